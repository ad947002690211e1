import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Callers, databaseChecksum } from './support/auth.ts';
import { globalId, gid, MISSING } from './support/ids.ts';
import type { TestServer } from './support/server.ts';
import { RESULT, sortedIssuePaths, startWriteTest, type WriteTest } from './support/writes.ts';

let server: TestServer;
let as: Callers;
let refused: WriteTest['refusedWith'];

const orebroDoc = () => gid('Document', 'doc:orebro-beredning-2023');
const kronobergDoc = () => gid('Document', 'doc:kronoberg-sg-2023-03-28');
const march14 = () => gid('Meeting', 'meeting:orebro-beredning-2023:2023-03-14');
const november15 = () => gid('Meeting', 'meeting:orebro-beredning-2023:2023-11-15');
const kronobergMeeting = () => gid('Meeting', 'meeting:kronoberg-sg-2023-03-28');

beforeAll(async () => {
  ({ server, as, refusedWith: refused } = await startWriteTest());
});
afterAll(() => server?.close());

const ITEM = `id version ordinal title summary deletedAt meeting { title } topics { slug } citations { quote locator }
  decisions { id kind text decidedOn decidedBy { name } region { code } citations { quote } }`;
const ADD_ITEM = `mutation ($meeting: ID!, $input: AgendaItemInput!) { addAgendaItem(meeting: $meeting, input: $input) { ${RESULT} ... on AgendaItem { ${ITEM} } } }`;
const UPDATE_ITEM = `mutation ($id: ID!, $version: Int!, $patch: AgendaItemPatch!) { updateAgendaItem(id: $id, version: $version, patch: $patch) { ${RESULT} ... on AgendaItem { ${ITEM} } } }`;
const DELETE_ITEM = `mutation ($id: ID!, $version: Int!) { deleteAgendaItem(id: $id, version: $version) { ${RESULT} ... on AgendaItem { id version deletedAt } } }`;
const RESTORE_ITEM = `mutation ($id: ID!) { restoreAgendaItem(id: $id) { ${RESULT} ... on AgendaItem { id version deletedAt } } }`;
const PARTICIPANT = `id version role title deletedAt person { name } organisation { name } meeting { title } citations { quote }`;
const ADD_PARTICIPANT = `mutation ($meeting: ID!, $input: ParticipantInput!, $citations: [CitationInput!]) {
  addParticipant(meeting: $meeting, input: $input, citations: $citations) { ${RESULT} ... on Participant { ${PARTICIPANT} } } }`;
const REMOVE_PARTICIPANT = `mutation ($id: ID!, $version: Int!) { removeParticipant(id: $id, version: $version) { ${RESULT} ... on Participant { ${PARTICIPANT} } } }`;
const RESTORE_PARTICIPANT = `mutation ($id: ID!) { restoreParticipant(id: $id) { ${RESULT} ... on Participant { ${PARTICIPANT} } } }`;
const DELETE_DECISION = `mutation ($id: ID!, $version: Int!) { deleteDecision(id: $id, version: $version) { ${RESULT} } }`;
const RESTORE_DECISION = `mutation ($id: ID!) { restoreDecision(id: $id) { ${RESULT} ... on Decision { deletedAt } } }`;
const ITEMS_OF = `query ($id: ID!) { node(id: $id) { ... on Meeting { agendaItems { ordinal title } participants { role person { name } organisation { name } } } } }`;

const SAMVERKAN = 'Vid redogörelse om psykisk hälsa för barn och unga informerades om samverkan mellan skolan, socialtjänst och hälso- och sjukvård den 14 mars.';

describe('addAgendaItem', () => {
  it('adds item 7 to the Örebro sitting of 14 March with topics and a citation, and logs it', async () => {
    const response = await server.graphql(
      ADD_ITEM,
      {
        meeting: march14(),
        input: {
          ordinal: 7,
          title: 'Samverkan mellan skolan, socialtjänst och hälso- och sjukvård',
          summary: 'Information om samverkan kring psykisk hälsa för barn och unga.',
          topics: ['municipal-collaboration'],
          citations: [{ document: orebroDoc(), quote: SAMVERKAN, lineStart: 144, lineEnd: 144 }],
        },
      },
      as.write,
    );
    expect(response.errors).toBeUndefined();
    const item = response.data!.addAgendaItem;
    expect(item).toMatchObject({
      __typename: 'AgendaItem',
      version: 1,
      ordinal: 7,
      meeting: { title: 'Beredning för nära vård, sammanträde 14 mars 2023' },
      topics: [{ slug: 'municipal-collaboration' }],
      citations: [{ quote: SAMVERKAN, locator: 'line 144' }],
      decisions: [],
    });
    const meeting = await server.graphql(ITEMS_OF, { id: march14() });
    expect(meeting.data!.node.agendaItems.map((i: any) => i.ordinal)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const log = await server.graphql(`query ($id: ID!) { changes(first: 10, entityId: $id) { edges { node { actor operation after } } } }`, { id: item.id });
    expect(log.data!.changes.edges).toEqual([{ node: { actor: as.writeKeyName, operation: 'CREATE', after: expect.objectContaining({ ordinal: 7 }) } }]);
  });

  it('refuses an ordinal the meeting already has at input.ordinal, and changes nothing', async () => {
    const result = await refused(ADD_ITEM, { meeting: march14(), input: { ordinal: 6, title: 'Dubblett' } }, 'addAgendaItem', { __typename: 'ValidationError' });
    expect(result.issues).toEqual([
      {
        path: ['input', 'ordinal'],
        message:
          'the meeting already has an item 6 (Psykisk hälsa barn och unga: ledningsstruktur för samverkan, mottagningen psykisk ohälsa (MPO) och barn- och ungdomspsykiatri (BUP))',
      },
    ]);
  });

  it('refuses ordinals out of range, blank and huge text, bad references, with their paths', async () => {
    const many = await refused(
      ADD_ITEM,
      { meeting: march14(), input: { ordinal: 0, title: ' ', summary: 'x'.repeat(20_001), topics: ['Bad Slug'] } },
      'addAgendaItem',
      { __typename: 'ValidationError' },
    );
    expect(sortedIssuePaths(many)).toEqual(['input.ordinal', 'input.summary', 'input.title', 'input.topics.0']);
    await refused(ADD_ITEM, { meeting: globalId('Meeting', MISSING), input: { ordinal: 1, title: 'X' } }, 'addAgendaItem', {
      __typename: 'NotFoundError',
      type: 'Meeting',
      path: ['meeting'],
    });
    const wrongType = await refused(ADD_ITEM, { meeting: orebroDoc(), input: { ordinal: 1, title: 'X' } }, 'addAgendaItem', { __typename: 'ValidationError' });
    expect(wrongType.issues).toEqual([{ path: ['meeting'], message: 'must be the ID of a Meeting, not of a Document' }]);
    await refused(
      ADD_ITEM,
      { meeting: march14(), input: { ordinal: 8, title: 'X', decisions: [{ kind: 'DECISION', text: 'Y', decidedBy: globalId('Organisation', MISSING) }] } },
      'addAgendaItem',
      { __typename: 'NotFoundError', type: 'Organisation', path: ['input', 'decisions', '0', 'decidedBy'] },
    );
  });

  it('refuses every ordinal outside 1..1000 (generated)', async () => {
    const before = await databaseChecksum(server);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.integer({ min: -(2 ** 31), max: 0 }), fc.integer({ min: 1001, max: 2 ** 31 - 1 })), async (ordinal) => {
        const response = await server.graphql(ADD_ITEM, { meeting: march14(), input: { ordinal, title: 'Utanför' } }, as.write);
        expect(sortedIssuePaths(response.data!.addAgendaItem)).toEqual(['input.ordinal']);
      }),
      { numRuns: 15 },
    );
    expect(await databaseChecksum(server)).toBe(before);
  });
});

describe('updateAgendaItem, deleteAgendaItem and restoreAgendaItem', () => {
  it('renumbers and renames with the current version, refusing a taken ordinal and a stale version', async () => {
    const item = (await server.graphql(ADD_ITEM, { meeting: november15(), input: { ordinal: 5, title: 'Övrigt' } }, as.write)).data!.addAgendaItem;
    const taken = await refused(UPDATE_ITEM, { id: item.id, version: 1, patch: { ordinal: 2 } }, 'updateAgendaItem', { __typename: 'ValidationError' });
    expect(taken.issues).toEqual([
      { path: ['patch', 'ordinal'], message: 'the meeting already has an item 2 (Redogörelse om SMO i samband med studiebesök på Fylstamottagningen, Kumla vårdcentral)' },
    ]);
    const same = await server.graphql(UPDATE_ITEM, { id: item.id, version: 1, patch: { ordinal: 5, summary: 'Inget att rapportera.' } }, as.write);
    expect(same.data!.updateAgendaItem).toMatchObject({ version: 2, ordinal: 5, summary: 'Inget att rapportera.' });
    const renumbered = await server.graphql(UPDATE_ITEM, { id: item.id, version: 2, patch: { ordinal: 6, title: 'Övriga frågor', summary: null } }, as.write);
    expect(renumbered.data!.updateAgendaItem).toMatchObject({ version: 3, ordinal: 6, title: 'Övriga frågor', summary: null });
    await refused(UPDATE_ITEM, { id: item.id, version: 2, patch: { title: 'Skriver över' } }, 'updateAgendaItem', {
      __typename: 'ConflictError',
      expectedVersion: 2,
      currentVersion: 3,
    });
    const nulls = await refused(UPDATE_ITEM, { id: item.id, version: 3, patch: { ordinal: null, title: null } }, 'updateAgendaItem', { __typename: 'ValidationError' });
    expect(sortedIssuePaths(nulls)).toEqual(['patch.ordinal', 'patch.title']);
  });

  it("refuses to delete item 6 of the Kronoberg meeting while its ten decisions are live, and changes nothing", async () => {
    const id = gid('AgendaItem', 'item:kronoberg-sg-2023-03-28:6');
    const result = await refused(DELETE_ITEM, { id, version: 1 }, 'deleteAgendaItem', { __typename: 'ValidationError' });
    expect(result.issues).toEqual([{ path: ['id'], message: '10 live decision(s) were taken at this item; delete or move them first' }]);
  });

  it('adds an item with a decision, then deletes and restores them in order; a deleted ordinal stays taken', async () => {
    const startedAt = new Date(Date.now() - 1000).toISOString();
    const item = (
      await server.graphql(
        ADD_ITEM,
        {
          meeting: kronobergMeeting(),
          input: {
            ordinal: 11,
            title: 'Tidsplaner',
            decisions: [
              {
                kind: 'DECISION',
                text: 'Tidsplaner ska granskas.',
                citations: [{ document: kronobergDoc(), quote: 'Tidsplaner ska granskas.', lineStart: 180, lineEnd: 180 }],
              },
            ],
          },
        },
        as.write,
      )
    ).data!.addAgendaItem;
    expect(item.decisions).toEqual([
      {
        id: expect.any(String),
        kind: 'DECISION',
        text: 'Tidsplaner ska granskas.',
        decidedOn: '2023-03-28',
        decidedBy: { name: 'Styrgrupp Nära vård' },
        region: { code: '07' },
        citations: [{ quote: 'Tidsplaner ska granskas.' }],
      },
    ]);
    const decisionId = item.decisions[0].id;

    const inUse = await refused(DELETE_ITEM, { id: item.id, version: 1 }, 'deleteAgendaItem', { __typename: 'ValidationError' });
    expect(inUse.issues[0].message).toBe('1 live decision(s) were taken at this item; delete or move them first');
    expect((await server.graphql(DELETE_DECISION, { id: decisionId, version: 1 }, as.write)).data!.deleteDecision.__typename).toBe('Decision');
    const deleted = await server.graphql(DELETE_ITEM, { id: item.id, version: 1 }, as.write);
    expect(deleted.data!.deleteAgendaItem).toMatchObject({ __typename: 'AgendaItem', version: 2, deletedAt: expect.any(String) });

    const meeting = await server.graphql(ITEMS_OF, { id: kronobergMeeting() });
    expect(meeting.data!.node.agendaItems.map((i: any) => i.ordinal)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const incremental = await server.graphql(
      `query ($since: DateTime!) { search: decisions(first: 100, filter: { updatedSince: $since }) { edges { node { id deletedAt } } } }`,
      { since: startedAt },
    );
    expect(incremental.data!.search.edges).toEqual(expect.arrayContaining([{ node: { id: decisionId, deletedAt: expect.any(String) } }]));
    const taken = await refused(ADD_ITEM, { meeting: kronobergMeeting(), input: { ordinal: 11, title: 'Igen' } }, 'addAgendaItem', { __typename: 'ValidationError' });
    expect(taken.issues).toEqual([{ path: ['input', 'ordinal'], message: 'the meeting already has an item 11 (Tidsplaner, deleted: restore or renumber it)' }]);

    const early = await refused(RESTORE_DECISION, { id: decisionId }, 'restoreDecision', { __typename: 'ValidationError' }, as.admin);
    expect(early.issues).toEqual([{ path: ['id'], message: 'its agenda item 11 (Tidsplaner) is deleted; restore that first' }]);
    await refused(RESTORE_ITEM, { id: item.id }, 'restoreAgendaItem', { __typename: 'ForbiddenError', requiredScope: 'admin' });
    expect((await server.graphql(RESTORE_ITEM, { id: item.id }, as.admin)).data!.restoreAgendaItem).toMatchObject({ version: 3, deletedAt: null });
    expect((await server.graphql(RESTORE_DECISION, { id: decisionId }, as.admin)).data!.restoreDecision).toMatchObject({ deletedAt: null });
    const back = await server.graphql(ITEMS_OF, { id: kronobergMeeting() });
    expect(back.data!.node.agendaItems.map((i: any) => i.ordinal)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});

describe('participants', () => {
  it('adds Fylstamottagningen to the sitting of 15 November, removes it softly and restores it', async () => {
    const startedAt = new Date(Date.now() - 1000).toISOString();
    const response = await server.graphql(
      ADD_PARTICIPANT,
      {
        meeting: november15(),
        input: { organisation: gid('Organisation', 'org:18:fylstamottagningen'), role: 'PRESENTER', title: 'Studiebesök' },
        citations: [
          { document: orebroDoc(), quote: 'i samband med studiebesök på Fylstamottagningen, Kumla vårdcentral, där SMO är stationerat.', lineStart: 52, lineEnd: 52 },
        ],
      },
      as.write,
    );
    expect(response.errors).toBeUndefined();
    const participant = response.data!.addParticipant;
    expect(participant).toMatchObject({
      __typename: 'Participant',
      version: 1,
      role: 'PRESENTER',
      title: 'Studiebesök',
      person: null,
      organisation: { name: 'Fylstamottagningen' },
      meeting: { title: 'Beredning för nära vård, sammanträde 15 november 2023' },
      citations: [{ quote: 'i samband med studiebesök på Fylstamottagningen, Kumla vårdcentral, där SMO är stationerat.' }],
    });
    const meeting = await server.graphql(ITEMS_OF, { id: november15() });
    expect(meeting.data!.node.participants).toEqual([{ role: 'PRESENTER', person: null, organisation: { name: 'Fylstamottagningen' } }]);

    await refused(REMOVE_PARTICIPANT, { id: participant.id, version: 3 }, 'removeParticipant', { __typename: 'ConflictError', expectedVersion: 3, currentVersion: 1 });
    const removed = await server.graphql(REMOVE_PARTICIPANT, { id: participant.id, version: 1 }, as.write);
    expect(removed.data!.removeParticipant).toMatchObject({ version: 2, deletedAt: expect.any(String) });
    expect((await server.graphql(ITEMS_OF, { id: november15() })).data!.node.participants).toEqual([]);
    const log = await server.graphql(
      `query ($since: DateTime!) { changes(first: 100, since: $since, entity: MEETING_PARTICIPANT) { edges { node { operation entityId } } } }`,
      { since: startedAt },
    );
    expect(log.data!.changes.edges.map((edge: any) => edge.node.operation)).toEqual(['CREATE', 'DELETE']);

    await refused(RESTORE_PARTICIPANT, { id: participant.id }, 'restoreParticipant', { __typename: 'ForbiddenError', requiredScope: 'admin' });
    const restored = await server.graphql(RESTORE_PARTICIPANT, { id: participant.id }, as.admin);
    expect(restored.data!.restoreParticipant).toMatchObject({ version: 3, deletedAt: null });
    expect((await server.graphql(ITEMS_OF, { id: november15() })).data!.node.participants).toHaveLength(1);
  });

  it('adds a person representing a body, and shows it on the person', async () => {
    const person = gid('Person', 'person:07:jonas-karlstrom');
    const response = await server.graphql(
      ADD_PARTICIPANT,
      { meeting: kronobergMeeting(), input: { person, organisation: gid('Organisation', 'org:07:styrgrupp-nara-vard'), role: 'GUEST' } },
      as.write,
    );
    expect(response.data!.addParticipant).toMatchObject({ role: 'GUEST', person: { name: 'Jonas Karlström' }, organisation: { name: 'Styrgrupp Nära vård' }, citations: [] });
    const participations = await server.graphql(`query ($id: ID!) { node(id: $id) { ... on Person { participations { role meeting { title } } } } }`, { id: person });
    expect(participations.data!.node.participations).toEqual([{ role: 'GUEST', meeting: { title: 'Styrgrupp Nära vård 2023-03-28' } }]);
  });

  it('refuses a participant that is neither person nor body, bad references and a bad citation, with their paths', async () => {
    const nobody = await refused(ADD_PARTICIPANT, { meeting: november15(), input: { role: 'PRESENT', title: 'x'.repeat(201) } }, 'addParticipant', {
      __typename: 'ValidationError',
    });
    expect(nobody.issues).toEqual(
      expect.arrayContaining([
        { path: ['input', 'person'], message: 'a participant is a person, an organisation, or both' },
        { path: ['input', 'title'], message: 'must be at most 200 characters' },
      ]),
    );
    await refused(ADD_PARTICIPANT, { meeting: november15(), input: { person: globalId('Person', MISSING), role: 'PRESENT' } }, 'addParticipant', {
      __typename: 'NotFoundError',
      type: 'Person',
      path: ['input', 'person'],
    });
    await refused(
      ADD_PARTICIPANT,
      { meeting: globalId('Meeting', MISSING), input: { organisation: gid('Organisation', 'org:18:fylstamottagningen'), role: 'PRESENT' } },
      'addParticipant',
      { __typename: 'NotFoundError', type: 'Meeting', path: ['meeting'] },
    );
    const wrongType = await refused(ADD_PARTICIPANT, { meeting: november15(), input: { person: november15(), role: 'PRESENT' } }, 'addParticipant', {
      __typename: 'ValidationError',
    });
    expect(wrongType.issues).toEqual([{ path: ['input', 'person'], message: 'must be the ID of a Person, not of a Meeting' }]);
    const citation = await refused(
      ADD_PARTICIPANT,
      {
        meeting: november15(),
        input: { organisation: gid('Organisation', 'org:18:fylstamottagningen'), role: 'PRESENT' },
        citations: [{ document: november15(), quote: 'Fylstamottagningen', lineStart: 0, lineEnd: 1 }],
      },
      'addParticipant',
      { __typename: 'ValidationError' },
    );
    expect(sortedIssuePaths(citation)).toEqual(['citations.0.document', 'citations.0.lineStart']);
  });
});

describe('who may write', () => {
  it.each([
    ['addAgendaItem', ADD_ITEM, () => ({ meeting: march14(), input: { ordinal: 20, title: 'Anonym' } })],
    ['updateAgendaItem', UPDATE_ITEM, () => ({ id: gid('AgendaItem', 'item:kronoberg-sg-2023-03-28:1'), version: 1, patch: { title: 'Anonym' } })],
    ['deleteAgendaItem', DELETE_ITEM, () => ({ id: gid('AgendaItem', 'item:kronoberg-sg-2023-03-28:1'), version: 1 })],
    ['addParticipant', ADD_PARTICIPANT, () => ({ meeting: march14(), input: { person: gid('Person', 'person:07:dan-petersson'), role: 'GUEST' } })],
    ['removeParticipant', REMOVE_PARTICIPANT, () => ({ id: gid('Participant', 'participant:kronoberg-sg-2023-03-28:dan-petersson-present'), version: 1 })],
  ])('%s without a key is a ForbiddenError and changes nothing', async (field, query, variables) => {
    await refused(query, variables(), field, { __typename: 'ForbiddenError', requiredScope: 'write' }, as.anonymous);
  });
});

describe('approximate search over the words of added and renamed agenda items', () => {
  const SEARCH = `query ($query: String!) { search(query: $query, types: [AGENDA_ITEM], first: 5) {
    edges { node { approximate rank record { ... on AgendaItem { id } } } } } }`;
  const hitsFor = async (query: string) => {
    const response = await server.graphql(SEARCH, { query });
    expect(response.errors).toBeUndefined();
    return response.data!.search.edges.map((edge: { node: unknown }) => edge.node);
  };

  it('finds a misspelt word of an item as soon as it is added, and the words of its new title', async () => {
    const added = await server.graphql(
      ADD_ITEM,
      { meeting: november15(), input: { ordinal: 20, title: 'Snöbollsberedningen informerar', summary: 'Kort lägesrapport.' } },
      as.write,
    );
    expect(added.errors).toBeUndefined();
    const item = added.data!.addAgendaItem;
    expect(item.__typename).toBe('AgendaItem');
    expect(await hitsFor('snobollsberednngen')).toEqual([{ approximate: true, rank: expect.any(Number), record: { id: item.id } }]);

    const renamed = await server.graphql(UPDATE_ITEM, { id: item.id, version: 1, patch: { title: 'Isflaksgruppen informerar' } }, as.write);
    expect(renamed.data!.updateAgendaItem).toMatchObject({ version: 2, title: 'Isflaksgruppen informerar' });
    expect(await hitsFor('isflaksgrupen')).toEqual([{ approximate: true, rank: expect.any(Number), record: { id: item.id } }]);
    expect(await hitsFor('snobollsberednngen')).toEqual([]);
  });
});
