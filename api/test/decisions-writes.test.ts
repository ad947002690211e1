import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Callers, databaseChecksum } from './support/auth.ts';
import { globalId, gid, MISSING } from './support/ids.ts';
import type { TestServer } from './support/server.ts';
import { RESULT, sortedIssuePaths, startWriteTest, type WriteTest } from './support/writes.ts';

let server: TestServer;
let as: Callers;
let refused: WriteTest['refusedWith'];

const kronobergDoc = () => gid('Document', 'doc:kronoberg-sg-2023-03-28');
const kronobergMeeting = () => gid('Meeting', 'meeting:kronoberg-sg-2023-03-28');
const item = (ordinal: number) => gid('AgendaItem', `item:kronoberg-sg-2023-03-28:${ordinal}`);
const hallandMeeting = () => gid('Meeting', 'meeting:halland-dialogmote-2018-09-19');
const styrgrupp = () => gid('Organisation', 'org:07:styrgrupp-nara-vard');

beforeAll(async () => {
  ({ server, as, refusedWith: refused } = await startWriteTest());
});
afterAll(() => server?.close());

const DECISION = /* GraphQL */ `
  id version kind title recordedTitle text decidedOn deletedAt
  decidedBy { name } meeting { title } agendaItem { ordinal title } region { code }
  topics { slug } citations { quote locator document { title } }
`;
const RECORD = `mutation ($input: RecordDecisionInput!) { recordDecision(input: $input) { ${RESULT} ... on Decision { ${DECISION} } } }`;
const UPDATE = `mutation ($id: ID!, $version: Int!, $patch: DecisionPatch!) { updateDecision(id: $id, version: $version, patch: $patch) { ${RESULT} ... on Decision { ${DECISION} } } }`;
const DELETE = `mutation ($id: ID!, $version: Int!) { deleteDecision(id: $id, version: $version) { ${RESULT} ... on Decision { id version deletedAt } } }`;
const RESTORE = `mutation ($id: ID!) { restoreDecision(id: $id) { ${RESULT} ... on Decision { id version deletedAt } } }`;

const OMVARLDSBEVAKNING = 'Ordförande vill att en omvärldsbevakning ska göras och Magnus Frithiof får i uppdrag att göra detta.';

const decisionInput = (overrides: Record<string, unknown> = {}) => ({
  kind: 'DECISION',
  title: 'Omvärldsbevakning av centrala kontaktingångar',
  text: OMVARLDSBEVAKNING,
  agendaItem: item(6),
  topics: ['central-contact-entry'],
  citations: [{ document: kronobergDoc(), quote: OMVARLDSBEVAKNING, lineStart: 144, lineEnd: 145 }],
  ...overrides,
});

describe('recordDecision', () => {
  it("records a decision at item 6 of the Kronoberg steering group, taking the meeting's day, body and region", async () => {
    const response = await server.graphql(RECORD, { input: decisionInput() }, as.write);
    expect(response.errors).toBeUndefined();
    const decision = response.data!.recordDecision;
    expect(decision).toMatchObject({
      __typename: 'Decision',
      version: 1,
      kind: 'DECISION',
      text: OMVARLDSBEVAKNING,
      decidedOn: '2023-03-28',
      decidedBy: { name: 'Styrgrupp Nära vård' },
      meeting: { title: 'Styrgrupp Nära vård 2023-03-28' },
      agendaItem: { ordinal: 6, title: 'Central kontaktingång' },
      region: { code: '07' },
      topics: [{ slug: 'central-contact-entry' }],
      citations: [{ quote: OMVARLDSBEVAKNING, locator: 'lines 144–145', document: { title: 'Mötesanteckningar - Styrgrupp Nära vård' } }],
    });

    const atItem = await server.graphql(`query ($id: ID!) { node(id: $id) { ... on AgendaItem { decisions { id kind } } } }`, { id: item(6) });
    expect(atItem.data!.node.decisions).toHaveLength(11); // ten directions from the seed, and this decision
    expect(atItem.data!.node.decisions).toEqual(expect.arrayContaining([{ id: decision.id, kind: 'DECISION' }]));
    const listed = await server.graphql(
      `query ($meeting: ID!) { decisions(first: 20, filter: { meeting: $meeting, kind: [DECISION], text: "omvärldsbevakning" }) { edges { node { id } } } }`,
      { meeting: kronobergMeeting() },
    );
    expect(listed.data!.decisions.edges).toEqual([{ node: { id: decision.id } }]);

    const log = await server.graphql(`query ($id: ID!) { changes(first: 10, entityId: $id) { edges { node { actor operation after } } } }`, { id: decision.id });
    expect(log.data!.changes.edges).toEqual([
      { node: { actor: as.writeKeyName, operation: 'CREATE', after: expect.objectContaining({ text: OMVARLDSBEVAKNING, decidedOn: '2023-03-28' }) } },
    ]);
  });

  it('records a decision known only from a report, with no meeting, keeping what is left empty empty', async () => {
    const response = await server.graphql(
      RECORD,
      { input: { kind: 'APPROVAL', text: 'Planeringen av fortbildning för riktade hälsosamtal beslutas.', decidedOn: null, region: '07' } },
      as.write,
    );
    expect(response.data!.recordDecision).toMatchObject({
      __typename: 'Decision',
      kind: 'APPROVAL',
      decidedOn: null,
      decidedBy: null,
      meeting: null,
      agendaItem: null,
      region: { code: '07' },
      topics: [],
      citations: [],
    });
  });

  it('refuses an agenda item of another meeting at input.agendaItem, and changes nothing', async () => {
    const result = await refused(RECORD, { input: decisionInput({ meeting: hallandMeeting() }) }, 'recordDecision', { __typename: 'ValidationError' });
    expect(result.issues).toEqual([{ path: ['input', 'agendaItem'], message: 'agenda item 6 (Central kontaktingång) belongs to another meeting' }]);
  });

  it('refuses missing, wrong-typed and malformed references with their paths', async () => {
    await refused(RECORD, { input: decisionInput({ decidedBy: globalId('Organisation', MISSING) }) }, 'recordDecision', {
      __typename: 'NotFoundError',
      type: 'Organisation',
      path: ['input', 'decidedBy'],
    });
    await refused(RECORD, { input: decisionInput({ agendaItem: globalId('AgendaItem', MISSING) }) }, 'recordDecision', {
      __typename: 'NotFoundError',
      type: 'AgendaItem',
      path: ['input', 'agendaItem'],
    });
    const wrong = await refused(
      RECORD,
      { input: decisionInput({ agendaItem: kronobergMeeting(), meeting: item(6), decidedBy: 'bm90LWFuLWlk' }) },
      'recordDecision',
      { __typename: 'ValidationError' },
    );
    expect(sortedIssuePaths(wrong)).toEqual(['input.agendaItem', 'input.decidedBy', 'input.meeting']);
    expect(wrong.issues.find((issue: any) => issue.path[1] === 'agendaItem').message).toBe('must be the ID of a AgendaItem, not of a Meeting');
    await refused(RECORD, { input: decisionInput({ topics: ['central-contact-entry', 'no-such-topic'] }) }, 'recordDecision', {
      __typename: 'NotFoundError',
      type: 'Topic',
      path: ['input', 'topics', '1'],
    });
    await refused(RECORD, { input: decisionInput({ region: '99' }) }, 'recordDecision', { __typename: 'NotFoundError', type: 'Region', path: ['input', 'region'] });
  });

  it('refuses blank, huge and malformed values, and citations that do not stand in the document', async () => {
    const many = await refused(
      RECORD,
      {
        input: decisionInput({
          title: 'x'.repeat(501),
          text: '   ',
          region: 'Kronoberg',
          topics: ['Not A Slug'],
          citations: [{ document: kronobergDoc(), quote: OMVARLDSBEVAKNING, lineStart: 145, lineEnd: 144 }],
        }),
      },
      'recordDecision',
      { __typename: 'ValidationError' },
    );
    expect(sortedIssuePaths(many)).toEqual(['input.citations.0.lineEnd', 'input.region', 'input.text', 'input.title', 'input.topics.0']);

    const notThere = await refused(
      RECORD,
      { input: decisionInput({ citations: [{ document: kronobergDoc(), quote: 'Styrgruppen beslutar att lägga ned vården.', lineStart: 144, lineEnd: 145 }] }) },
      'recordDecision',
      { __typename: 'ValidationError' },
    );
    expect(notThere.issues).toEqual([{ path: ['input', 'citations', '0', 'quote'], message: 'the quote does not appear in the document' }]);
  });

  it('refuses texts over 20 000 characters and region codes that are not two digits (generated)', async () => {
    const before = await databaseChecksum(server);
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          text: fc.string({ minLength: 20_001, maxLength: 21_000 }).filter((text) => text.trim().length > 20_000),
          region: fc.string({ maxLength: 5 }).filter((code) => !/^[0-9]{2}$/.test(code)),
        }),
        async ({ text, region }) => {
          const response = await server.graphql(RECORD, { input: decisionInput({ text, region }) }, as.write);
          expect(sortedIssuePaths(response.data!.recordDecision)).toEqual(['input.region', 'input.text']);
        },
      ),
      { numRuns: 10 },
    );
    expect(await databaseChecksum(server)).toBe(before);
  });

  it('refuses a malformed date before running anything', async () => {
    const response = await server.graphql(RECORD, { input: decisionInput({ decidedOn: '2023-02-30' }) }, as.write);
    expect(response.status).toBe(400);
    expect(response.errors![0]!.message).toMatch(/decidedOn/);
  });
});

describe('updateDecision', () => {
  it('changes fields with the current version, moves to another item of the meeting, and refuses a stale version', async () => {
    const created = (await server.graphql(RECORD, { input: decisionInput({ title: 'Att ändra' }) }, as.write)).data!.recordDecision;
    const moved = await server.graphql(UPDATE, { id: created.id, version: 1, patch: { title: null, kind: 'DIRECTION', agendaItem: item(9) } }, as.write);
    expect(moved.data!.updateDecision).toMatchObject({ __typename: 'Decision', version: 2, recordedTitle: null, kind: 'DIRECTION', agendaItem: { ordinal: 9 } });
    // Without a recorded heading, `title` is the first sentence of the text.
    expect(moved.data!.updateDecision.text.replace(/\s+/g, ' ').startsWith(moved.data!.updateDecision.title)).toBe(true);
    await refused(UPDATE, { id: created.id, version: 1, patch: { text: 'Skriver över' } }, 'updateDecision', {
      __typename: 'ConflictError',
      expectedVersion: 1,
      currentVersion: 2,
    });
    const log = await server.graphql(`query ($id: ID!) { changes(first: 10, entityId: $id) { edges { node { operation before after } } } }`, { id: created.id });
    const update = log.data!.changes.edges[1].node;
    expect(update.operation).toBe('UPDATE');
    expect([update.before.title, update.after.title, update.after.kind]).toEqual(['Att ändra', null, 'direction']);
  });

  it('keeps an agenda item with its meeting: refuses an item of another meeting, or a meeting without the item', async () => {
    const created = (await server.graphql(RECORD, { input: decisionInput({ title: 'Att flytta' }) }, as.write)).data!.recordDecision;
    const otherItem = await refused(
      UPDATE,
      { id: created.id, version: 1, patch: { agendaItem: gid('AgendaItem', 'item:halland-dialogmote-2018-09-19:1') } },
      'updateDecision',
      { __typename: 'ValidationError' },
    );
    expect(otherItem.issues[0].path).toEqual(['patch', 'agendaItem']);
    const otherMeeting = await refused(UPDATE, { id: created.id, version: 1, patch: { meeting: hallandMeeting() } }, 'updateDecision', { __typename: 'ValidationError' });
    expect(otherMeeting.issues).toEqual([{ path: ['patch', 'meeting'], message: 'agenda item 6 (Central kontaktingång) belongs to another meeting' }]);
    const noMeeting = await refused(UPDATE, { id: created.id, version: 1, patch: { meeting: null } }, 'updateDecision', { __typename: 'ValidationError' });
    expect(noMeeting.issues[0].path).toEqual(['patch', 'meeting']);
    const nulls = await refused(UPDATE, { id: created.id, version: 1, patch: { kind: null, text: null } }, 'updateDecision', { __typename: 'ValidationError' });
    expect(sortedIssuePaths(nulls)).toEqual(['patch.kind', 'patch.text']);
    await refused(UPDATE, { id: created.id, version: 1, patch: { decidedBy: globalId('Organisation', MISSING) } }, 'updateDecision', {
      __typename: 'NotFoundError',
      path: ['patch', 'decidedBy'],
    });

    // Clearing both, or moving both to the Halland meeting, is fine.
    const halland = await server.graphql(
      UPDATE,
      { id: created.id, version: 1, patch: { meeting: hallandMeeting(), agendaItem: gid('AgendaItem', 'item:halland-dialogmote-2018-09-19:1'), decidedBy: styrgrupp() } },
      as.write,
    );
    expect(halland.data!.updateDecision).toMatchObject({ meeting: { title: expect.stringContaining('Dialogmöte') }, agendaItem: { ordinal: 1 } });
    const cleared = await server.graphql(UPDATE, { id: created.id, version: 2, patch: { meeting: null, agendaItem: null } }, as.write);
    expect(cleared.data!.updateDecision).toMatchObject({ version: 3, meeting: null, agendaItem: null });
  });
});

describe('deleteDecision and restoreDecision', () => {
  it('deletes softly: gone from lists, seen by updatedSince with deletedAt, restored by an admin only', async () => {
    const startedAt = new Date(Date.now() - 1000).toISOString();
    const created = (await server.graphql(RECORD, { input: decisionInput({ text: 'Ett beslut att ta bort.' }) }, as.write)).data!.recordDecision;
    await refused(DELETE, { id: created.id, version: 2 }, 'deleteDecision', { __typename: 'ConflictError', expectedVersion: 2, currentVersion: 1 });
    const deleted = await server.graphql(DELETE, { id: created.id, version: 1 }, as.write);
    expect(deleted.data!.deleteDecision).toMatchObject({ __typename: 'Decision', version: 2, deletedAt: expect.any(String) });

    const listed = await server.graphql(`{ decisions(first: 10, filter: { text: "Ett beslut att ta bort" }) { totalCount } }`);
    expect(listed.data!.decisions.totalCount).toBe(0);
    const atItem = await server.graphql(`query ($id: ID!) { node(id: $id) { ... on AgendaItem { decisions { id } } } }`, { id: item(6) });
    expect(atItem.data!.node.decisions.map((decision: any) => decision.id)).not.toContain(created.id);
    const incremental = await server.graphql(
      `query ($since: DateTime!) { decisions(first: 100, filter: { updatedSince: $since }) { edges { node { text deletedAt } } } }`,
      { since: startedAt },
    );
    expect(incremental.data!.decisions.edges).toEqual(expect.arrayContaining([{ node: { text: 'Ett beslut att ta bort.', deletedAt: expect.any(String) } }]));

    await refused(DELETE, { id: created.id, version: 2 }, 'deleteDecision', { __typename: 'NotFoundError', type: 'Decision', path: ['id'] });
    await refused(RESTORE, { id: created.id }, 'restoreDecision', { __typename: 'ForbiddenError', requiredScope: 'admin' });
    const restored = await server.graphql(RESTORE, { id: created.id }, as.admin);
    expect(restored.data!.restoreDecision).toMatchObject({ __typename: 'Decision', version: 3, deletedAt: null });
    const back = await server.graphql(`{ decisions(first: 10, filter: { text: "Ett beslut att ta bort" }) { totalCount } }`);
    expect(back.data!.decisions.totalCount).toBe(1);
  });
});

describe('who may write', () => {
  it.each([
    ['recordDecision', RECORD, () => ({ input: decisionInput() })],
    ['updateDecision', UPDATE, () => ({ id: gid('Decision', 'decision:kronoberg-sg-2023-03-28:6'), version: 1, patch: { title: 'Anonym' } })],
    ['deleteDecision', DELETE, () => ({ id: gid('Decision', 'decision:kronoberg-sg-2023-03-28:6'), version: 1 })],
  ])('%s without a key is a ForbiddenError and changes nothing', async (field, query, variables) => {
    await refused(query, variables(), field, { __typename: 'ForbiddenError', requiredScope: 'write' }, as.anonymous);
  });
});
