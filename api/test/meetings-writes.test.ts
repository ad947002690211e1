import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Callers, databaseChecksum } from './support/auth.ts';
import { gid, missingId } from './support/ids.ts';
import type { TestServer } from './support/server.ts';
import { RESULT, startWriteTest } from './support/writes.ts';

let server: TestServer;
let as: Callers;

const styrgruppId = gid('Organisation', 'org:07:styrgrupp-nara-vard');
const documentId = gid('Document', 'doc:kronoberg-sg-2023-03-28');

beforeAll(async () => {
  ({ server, as } = await startWriteTest());
});
afterAll(() => server?.close());

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateMeetingInput!) {
    createMeeting(input: $input) {
      ${RESULT}
      ... on Meeting { id version title heldOn organisation { name } agendaItems { ordinal title decisions { kind text citations { quote } } } topics { slug } }
    }
  }
`;

const meetingInput = (overrides: Record<string, unknown> = {}) => ({
  title: 'Styrgrupp Nära vård, uppföljning',
  kind: 'STEERING_GROUP',
  organisation: styrgruppId,
  region: '07',
  heldOn: '2023-05-02',
  place: 'Växjö',
  topics: ['central-contact-entry'],
  agendaItems: [
    {
      ordinal: 1,
      title: 'Central kontaktingång',
      decisions: [
        {
          kind: 'DECISION',
          text: 'Programorganisationen får i uppdrag att ta fram ett projektdirektiv.',
          citations: [{ document: documentId, quote: 'Beslut: Programorganisationen får i uppdrag', lineStart: 37, lineEnd: 37 }],
        },
      ],
    },
    { ordinal: 2, title: 'Avslutning' },
  ],
  ...overrides,
});

describe('createMeeting', () => {
  it('records a meeting with its items, decisions, topics and citations in one call, and logs who did it', async () => {
    const response = await server.graphql(CREATE, { input: meetingInput() }, as.write);
    expect(response.errors).toBeUndefined();
    const meeting = response.data!.createMeeting;
    expect(meeting).toMatchObject({
      __typename: 'Meeting',
      version: 1,
      heldOn: '2023-05-02',
      organisation: { name: 'Styrgrupp Nära vård' },
      topics: [{ slug: 'central-contact-entry' }],
    });
    expect(meeting.agendaItems.map((item: any) => item.ordinal)).toEqual([1, 2]);
    expect(meeting.agendaItems[0].decisions[0].citations[0].quote).toBe('Beslut: Programorganisationen får i uppdrag');

    const log = await server.graphql(`{ changes(first: 100, entity: MEETING) { edges { node { actor operation entityId after } } } }`);
    const entry = log.data!.changes.edges.find((edge: any) => edge.node.operation === 'CREATE' && edge.node.after.title === 'Styrgrupp Nära vård, uppföljning');
    expect(entry.node.actor).toBe(as.writeKeyName);
  });

  it('refuses a quote that is not in the document, naming the field, and changes nothing', async () => {
    const before = await databaseChecksum(server);
    const input = meetingInput();
    (input.agendaItems as any)[0].decisions[0].citations[0].quote = 'Beslut: något som aldrig stod där';
    const response = await server.graphql(CREATE, { input }, as.write);
    expect(response.data!.createMeeting).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'agendaItems', '0', 'decisions', '0', 'citations', '0', 'quote'], message: 'the quote does not appear in the document' }],
    });
    expect(await databaseChecksum(server)).toBe(before);
  });

  it('refuses duplicate ordinals, blank and huge text, and a bad time, with every path', async () => {
    const before = await databaseChecksum(server);
    const response = await server.graphql(
      CREATE,
      {
        input: meetingInput({
          title: ' ',
          startsAt: '25:00',
          place: 'x'.repeat(501),
          agendaItems: [
            { ordinal: 1, title: 'A' },
            { ordinal: 1, title: 'B' },
          ],
        }),
      },
      as.write,
    );
    const result = response.data!.createMeeting;
    expect(result.__typename).toBe('ValidationError');
    const paths = result.issues.map((issue: any) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['input.title', 'input.startsAt', 'input.place', 'input.agendaItems.1.ordinal']));
    expect(await databaseChecksum(server)).toBe(before);
  });

  it('refuses a reference to a record that does not exist, naming the field', async () => {
    const before = await databaseChecksum(server);
    const missing = missingId('Organisation');
    const response = await server.graphql(CREATE, { input: meetingInput({ organisation: missing }) }, as.write);
    expect(response.data!.createMeeting).toMatchObject({ __typename: 'NotFoundError', type: 'Organisation', path: ['input', 'organisation'] });
    const wrongType = await server.graphql(CREATE, { input: meetingInput({ organisation: documentId }) }, as.write);
    expect(wrongType.data!.createMeeting.__typename).toBe('ValidationError');
    expect(wrongType.data!.createMeeting.issues[0].path).toEqual(['input', 'organisation']);
    const unknownTopic = await server.graphql(CREATE, { input: meetingInput({ topics: ['no-such-topic'] }) }, as.write);
    expect(unknownTopic.data!.createMeeting).toMatchObject({ __typename: 'NotFoundError', type: 'Topic', path: ['input', 'topics', '0'] });
    expect(await databaseChecksum(server)).toBe(before);
  });

  it('refuses a malformed date before running anything', async () => {
    const response = await server.graphql(CREATE, { input: meetingInput({ heldOn: '2023-02-30' }) }, as.write);
    expect(response.status).toBe(400);
    expect(response.errors![0]!.message).toMatch(/heldOn.*Date must be a calendar date/s);
  });
});

describe('who may write', () => {
  const cases = [
    ['no key', 'anonymous', 'ForbiddenError'],
    ['a write key', 'write', 'Meeting'],
    ['an admin key', 'admin', 'Meeting'],
  ] as const;
  it.each(cases)('createMeeting with %s answers %s', async (_label, caller, typename) => {
    const before = typename === 'Meeting' ? null : await databaseChecksum(server);
    const response = await server.graphql(CREATE, { input: meetingInput({ title: `Möte av ${caller}` }) }, as[caller]);
    expect(response.data!.createMeeting.__typename).toBe(typename);
    if (before) expect(await databaseChecksum(server)).toBe(before);
  });

  it.each([
    ['a revoked key', 'revoked'],
    ['a malformed header', 'malformed'],
  ] as const)('createMeeting with %s is refused as unauthenticated (401)', async (_label, caller) => {
    const before = await databaseChecksum(server);
    const response = await server.graphql(CREATE, { input: meetingInput() }, as[caller]);
    expect(response.status).toBe(401);
    expect(response.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(await databaseChecksum(server)).toBe(before);
  });
});

describe('update, delete and restore', () => {
  it('updates with the current version, and refuses a stale one as a conflict', async () => {
    const created = (await server.graphql(CREATE, { input: meetingInput({ title: 'Att ändra' }) }, as.write)).data!.createMeeting;
    const UPDATE = `mutation ($id: ID!, $version: Int!, $patch: MeetingPatch!) { updateMeeting(id: $id, version: $version, patch: $patch) {
      __typename ... on Meeting { title version place } ... on ConflictError { expectedVersion currentVersion } } }`;
    const updated = await server.graphql(UPDATE, { id: created.id, version: 1, patch: { title: 'Ändrad', place: null } }, as.write);
    expect(updated.data!.updateMeeting).toEqual({ __typename: 'Meeting', title: 'Ändrad', version: 2, place: null });
    const stale = await server.graphql(UPDATE, { id: created.id, version: 1, patch: { title: 'Skriver över' } }, as.write);
    expect(stale.data!.updateMeeting).toEqual({ __typename: 'ConflictError', expectedVersion: 1, currentVersion: 2 });
    const check = await server.graphql(`query ($id: ID!) { node(id: $id) { ... on Meeting { title } } }`, { id: created.id });
    expect(check.data!.node.title).toBe('Ändrad');
  });

  it('deletes softly: gone from lists, visible to updatedSince with deletedAt, restorable by an admin only', async () => {
    const startedAt = new Date(Date.now() - 1000).toISOString();
    const created = (await server.graphql(CREATE, { input: meetingInput({ title: 'Att ta bort', heldOn: '2023-06-01' }) }, as.write)).data!.createMeeting;
    const DELETE = `mutation ($id: ID!, $version: Int!) { deleteMeeting(id: $id, version: $version) { __typename ... on Meeting { deletedAt } } }`;
    const deleted = await server.graphql(DELETE, { id: created.id, version: 1 }, as.write);
    expect(deleted.data!.deleteMeeting.deletedAt).toEqual(expect.any(String));

    const list = await server.graphql(`{ meetings(first: 100, filter: { heldOn: { from: "2023-06-01", to: "2023-06-01" } }) { totalCount } }`);
    expect(list.data!.meetings.totalCount).toBe(0);
    const incremental = await server.graphql(`query ($since: DateTime!) { meetings(first: 100, filter: { updatedSince: $since }) { edges { node { title deletedAt } } } }`, { since: startedAt });
    expect(incremental.data!.meetings.edges).toEqual(expect.arrayContaining([{ node: { title: 'Att ta bort', deletedAt: expect.any(String) } }]));

    const RESTORE = `mutation ($id: ID!) { restoreMeeting(id: $id) { __typename ... on Meeting { deletedAt version } ... on ForbiddenError { requiredScope } } }`;
    const byWriter = await server.graphql(RESTORE, { id: created.id }, as.write);
    expect(byWriter.data!.restoreMeeting).toEqual({ __typename: 'ForbiddenError', requiredScope: 'admin' });
    const byAdmin = await server.graphql(RESTORE, { id: created.id }, as.admin);
    expect(byAdmin.data!.restoreMeeting).toEqual({ __typename: 'Meeting', deletedAt: null, version: 3 });
  });
});
