import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Callers } from './support/auth.ts';
import { gid, missingId, uuidOf } from './support/ids.ts';
import type { TestServer } from './support/server.ts';
import { RESULT, issuePaths, startWriteTest, type WriteTest } from './support/writes.ts';

let server: TestServer;
let as: Callers;
let refused: WriteTest['refused'];

const SEEDED_AUDIT = gid('Audit', 'audit:kronoberg-revisionssvar-2025-03-25');
const SEEDED_RECOMMENDATION = (n: number) => gid('Recommendation', `recommendation:kronoberg-revisionssvar-2025-03-25:${n}`);
const SEEDED_PART = (n: number) => gid('RecommendationResponse', `recommendation-response:kronoberg-revisionssvar-2025-03-25:${n}`);
const REVISORER = gid('Organisation', 'org:07:revisorer');
const HSN = gid('Organisation', 'org:07:halso-och-sjukvardsnamnden');
const SALOMONSSON = gid('Person', 'person:07:jenny-salomonsson');
const EKMAN = gid('Person', 'person:07:ewa-ekman');
const DOCUMENT = gid('Document', 'doc:kronoberg-revisionssvar-2025');

beforeAll(async () => {
  ({ server, as, refused } = await startWriteTest());
});
afterAll(() => server?.close());

const CREATE = /* GraphQL */ `
  mutation ($input: CreateAuditInput!) {
    createAudit(input: $input) {
      ${RESULT}
      ... on Audit {
        id version title reportedOn summary
        auditor { name } audited { name } region { code }
        recommendations { id version ordinal text topics { slug } citations { quote lines { start end } document { title } } }
        topics { slug }
        citations { quote }
      }
    }
  }
`;

/** A follow-up audit resting on the real passages of the Kronoberg audit response (lines 37–41). */
const auditInput = (overrides: Record<string, unknown> = {}) => ({
  title: 'Uppföljande granskning av omställningen till god och nära vård',
  auditor: REVISORER,
  audited: HSN,
  region: '07',
  reportedOn: '2025-10-01',
  summary: 'Revisorerna följer upp de tidigare rekommendationerna.',
  topics: ['governance'],
  citations: [{ document: DOCUMENT, quote: 'Revisionen rekommenderar darfor hilso- och sjukvardsnimnden', lineStart: 34, lineEnd: 34 }],
  recommendations: [
    {
      ordinal: 1,
      text: 'Tydliggöra verksamheternas ansvar och mandat i att driva projekt inom nära vård.',
      topics: ['governance'],
      citations: [
        { document: DOCUMENT, quote: 'Tydliggbra verksamheternas ansvar och mandat i att driva projekt inom nira vard.', lineStart: 37, lineEnd: 38 },
      ],
    },
    {
      ordinal: 2,
      text: 'Säkerställa en god tillgänglighet och god kontinuitet samt möjlighet till fast läkarkontakt i primärvården.',
      topics: ['continuity-of-care', 'fixed-doctor-contact'],
    },
  ],
  ...overrides,
});

async function createAudit(overrides: Record<string, unknown> = {}) {
  const response = await server.graphql(CREATE, { input: auditInput(overrides) }, as.write);
  expect(response.errors).toBeUndefined();
  expect(response.data!.createAudit.__typename).toBe('Audit');
  return response.data!.createAudit;
}

describe('createAudit', () => {
  it('records an audit with its recommendations, topics and cited passages in one call, readable at once and logged', async () => {
    const audit = await createAudit();
    expect(audit).toMatchObject({
      version: 1,
      title: 'Uppföljande granskning av omställningen till god och nära vård',
      reportedOn: '2025-10-01',
      auditor: { name: 'Region Kronobergs revisorer' },
      audited: { name: 'Hälso- och sjukvårdsnämnden' },
      region: { code: '07' },
      topics: [{ slug: 'governance' }],
      citations: [{ quote: 'Revisionen rekommenderar darfor hilso- och sjukvardsnimnden' }],
    });
    expect(audit.recommendations.map((r: any) => [r.ordinal, r.topics.map((topic: any) => topic.slug).sort()])).toEqual([
      [1, ['governance']],
      [2, ['continuity-of-care', 'fixed-doctor-contact']],
    ]);
    expect(audit.recommendations[0].citations).toEqual([
      {
        quote: 'Tydliggbra verksamheternas ansvar och mandat i att driva projekt inom nira vard.',
        lines: { start: 37, end: 38 },
        document: { title: 'Svar på revisionsrapport – gällande omställning till god och nära vård' },
      },
    ]);

    const list = await server.graphql(`{ audits(first: 10, filter: { region: "07", reportedOn: { from: "2025-10-01" } }) { edges { node { id title } } } }`);
    expect(list.data!.audits.edges).toEqual([{ node: { id: audit.id, title: audit.title } }]);
    const byTopic = await server.graphql(
      `query ($id: ID!) { node(id: $id) { ... on Topic { records(first: 50, types: ["Recommendation"]) { edges { node { ... on Node { id } } } } } } }`,
      { id: gid('Topic', 'topic:fixed-doctor-contact') },
    );
    expect(byTopic.errors).toBeUndefined();
    expect(byTopic.data!.node.records.edges.map((edge: any) => edge.node.id)).toContain(audit.recommendations[1].id);

    const log = await server.graphql(`query ($id: ID!) { changes(first: 10, entityId: $id) { edges { node { actor operation entityType after } } } }`, { id: audit.id });
    expect(log.data!.changes.edges).toEqual([
      { node: { actor: as.writeKeyName, operation: 'CREATE', entityType: 'AUDIT', after: expect.objectContaining({ title: audit.title, reportedOn: '2025-10-01' }) } },
    ]);
    const recommendationLog = await server.graphql(`query ($id: ID!) { changes(first: 10, entityId: $id) { edges { node { operation entityType } } } }`, {
      id: audit.recommendations[0].id,
    });
    expect(recommendationLog.data!.changes.edges).toEqual([{ node: { operation: 'CREATE', entityType: 'RECOMMENDATION' } }]);
  });

  it('refuses a citation whose quote is not on the lines it names, and changes nothing', async () => {
    const input = auditInput();
    // The passage stands on lines 37–38, not on 40–41.
    (input.recommendations as any)[0].citations[0] = { ...(input.recommendations as any)[0].citations[0], lineStart: 40, lineEnd: 41 };
    const result = await refused(CREATE, { input }, 'createAudit');
    expect(result).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'recommendations', '0', 'citations', '0', 'lineStart'], message: 'the quote is not on lines 40-41' }],
    });
  });

  it('refuses a quote that is not in the document at all, naming the field', async () => {
    const result = await refused(
      CREATE,
      { input: auditInput({ citations: [{ document: DOCUMENT, quote: 'Revisionen rekommenderar att allt läggs ned', lineStart: 34, lineEnd: 35 }] }) },
      'createAudit',
    );
    expect(result).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['input', 'citations', '0', 'quote'] }] });
  });

  it('refuses duplicate ordinals, blank and huge text, a bad region code, a bad line range and an ordinal of 0, with every path', async () => {
    const result = await refused(
      CREATE,
      {
        input: auditInput({
          title: '   ',
          summary: 'x'.repeat(20_001),
          region: '7',
          citations: [{ document: DOCUMENT, quote: 'Sammanfattning', lineStart: 8, lineEnd: 7 }],
          recommendations: [
            { ordinal: 1, text: 'A' },
            { ordinal: 1, text: 'B' },
            { ordinal: 0, text: 'x'.repeat(5001) },
          ],
        }),
      },
      'createAudit',
    );
    expect(result.__typename).toBe('ValidationError');
    expect(issuePaths(result)).toEqual(
      expect.arrayContaining([
        'input.title',
        'input.summary',
        'input.region',
        'input.citations.0.lineEnd',
        'input.recommendations.1.ordinal',
        'input.recommendations.2.ordinal',
        'input.recommendations.2.text',
      ]),
    );
  });

  it('refuses references that do not exist or are of the wrong type, naming the field', async () => {
    expect(await refused(CREATE, { input: auditInput({ auditor: missingId('Organisation') }) }, 'createAudit')).toMatchObject({
      __typename: 'NotFoundError',
      type: 'Organisation',
      path: ['input', 'auditor'],
    });
    const wrongType = await refused(CREATE, { input: auditInput({ audited: DOCUMENT }) }, 'createAudit');
    expect(wrongType).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['input', 'audited'], message: 'must be the ID of a Organisation, not of a Document' }] });
    // ID accepts an integer at the GraphQL layer; it is still not an ID this API gave out.
    const integer = await refused(CREATE, { input: auditInput({ auditor: 12345 }) }, 'createAudit');
    expect(integer).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['input', 'auditor'] }] });
    expect(await refused(CREATE, { input: auditInput({ region: '99' }) }, 'createAudit')).toMatchObject({
      __typename: 'NotFoundError',
      type: 'Region',
      path: ['input', 'region'],
    });
    const input = auditInput();
    (input.recommendations as any)[1].topics = ['no-such-topic'];
    expect(await refused(CREATE, { input }, 'createAudit')).toMatchObject({
      __typename: 'NotFoundError',
      type: 'Topic',
      path: ['input', 'recommendations', '1', 'topics', '0'],
    });
  });

  it('refuses an anonymous caller with a ForbiddenError and changes nothing', async () => {
    expect(await refused(CREATE, { input: auditInput() }, 'createAudit', as.anonymous)).toEqual({
      __typename: 'ForbiddenError',
      message: expect.stringContaining('"write" scope'),
      requiredScope: 'write',
    });
  });

  it('refuses a malformed date before running anything', async () => {
    const response = await server.graphql(CREATE, { input: auditInput({ reportedOn: '2024-11-31' }) }, as.write);
    expect(response.status).toBe(400);
    expect(response.errors![0]!.message).toMatch(/reportedOn.*Date must be a calendar date/s);
  });
});

describe('recommendations', () => {
  const ADD = `mutation ($audit: ID!, $input: RecommendationInput!) { addRecommendation(audit: $audit, input: $input) {
    ${RESULT} ... on Recommendation { id version ordinal text audit { id } citations { quote } } } }`;
  const UPDATE = `mutation ($id: ID!, $version: Int!, $patch: RecommendationPatch!) { updateRecommendation(id: $id, version: $version, patch: $patch) {
    ${RESULT} ... on Recommendation { ordinal text version } } }`;

  it('adds a sixth recommendation to the Kronoberg audit, and refuses a number the audit already uses', async () => {
    const taken = await refused(ADD, { audit: SEEDED_AUDIT, input: { ordinal: 5, text: 'Dubblett' } }, 'addRecommendation');
    expect(taken).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'ordinal'], message: 'the audit already has a recommendation 5' }],
    });

    const added = await server.graphql(
      ADD,
      {
        audit: SEEDED_AUDIT,
        input: {
          ordinal: 6,
          text: 'Främja och stärka samverkan mellan primärvård och specialiserad vård.',
          citations: [{ document: DOCUMENT, quote: 'TFrimja och stirka samverkan mellan primirvard och specialiserad vard', lineStart: 46, lineEnd: 46 }],
        },
      },
      as.write,
    );
    expect(added.data!.addRecommendation).toMatchObject({ __typename: 'Recommendation', ordinal: 6, version: 1, audit: { id: SEEDED_AUDIT } });
    const audit = await server.graphql(`query ($id: ID!) { node(id: $id) { ... on Audit { recommendations { ordinal } } } }`, { id: SEEDED_AUDIT });
    expect(audit.data!.node.recommendations.map((r: any) => r.ordinal)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuses a missing or deleted audit, and an ID of another type', async () => {
    expect(await refused(ADD, { audit: missingId('Audit'), input: { ordinal: 1, text: 'X' } }, 'addRecommendation')).toMatchObject({
      __typename: 'NotFoundError',
      type: 'Audit',
      path: ['audit'],
    });
    expect(await refused(ADD, { audit: SEEDED_RECOMMENDATION(1), input: { ordinal: 9, text: 'X' } }, 'addRecommendation')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['audit'] }],
    });
  });

  it('updates a recommendation at its current version, refuses a stale version and a number in use', async () => {
    const audit = await createAudit({ title: 'Granskning att numrera om' });
    const [first] = audit.recommendations;
    const renumbered = await server.graphql(UPDATE, { id: first.id, version: 1, patch: { ordinal: 3 } }, as.write);
    expect(renumbered.data!.updateRecommendation).toMatchObject({ __typename: 'Recommendation', ordinal: 3, version: 2 });
    expect(await refused(UPDATE, { id: first.id, version: 1, patch: { text: 'Skriver över' } }, 'updateRecommendation')).toMatchObject({
      __typename: 'ConflictError',
      expectedVersion: 1,
      currentVersion: 2,
    });
    expect(await refused(UPDATE, { id: first.id, version: 2, patch: { ordinal: 2 } }, 'updateRecommendation')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['patch', 'ordinal'], message: 'the audit already has a recommendation 2' }],
    });
    expect(await refused(UPDATE, { id: first.id, version: 2, patch: { text: null } }, 'updateRecommendation')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['patch', 'text'] }],
    });
  });
});

describe('audit responses', () => {
  const RECORD = `mutation ($input: RecordAuditResponseInput!) { recordAuditResponse(input: $input) {
    ${RESULT}
    ... on AuditResponse { id version respondedOn summary audit { id } respondent { name } document { registryNumber } caseOfficer { name } signatory { name }
      citations { quote }
      parts { id version recommendation { ordinal } actionsTaken plannedActions timeline otherComments citations { quote } } } } }`;

  const responseInput = (audit: any, overrides: Record<string, unknown> = {}) => ({
    audit: audit.id,
    respondent: HSN,
    respondedOn: '2025-12-01',
    document: DOCUMENT,
    caseOfficer: SALOMONSSON,
    signatory: EKMAN,
    summary: 'Nämnden svarar på uppföljningen.',
    citations: [{ document: DOCUMENT, quote: 'Rekommendationer och svar', lineStart: 68, lineEnd: 68 }],
    parts: [
      {
        recommendation: audit.recommendations[1].id,
        plannedActions: 'Handlingsplan för 1100 invånare per läkare.',
        citations: [{ document: DOCUMENT, quote: 'framtagandet av handlingsplan f6r 1100', lineStart: 54, lineEnd: 54 }],
      },
      { recommendation: audit.recommendations[0].id, actionsTaken: 'Projektmodellen har vidareutvecklats.', timeline: '2026' },
    ],
    ...overrides,
  });

  it('records a response with one part per recommendation, in recommendation order, with its sources', async () => {
    const audit = await createAudit({ title: 'Granskning att besvara' });
    const response = await server.graphql(RECORD, { input: responseInput(audit) }, as.write);
    expect(response.errors).toBeUndefined();
    const recorded = response.data!.recordAuditResponse;
    expect(recorded).toMatchObject({
      __typename: 'AuditResponse',
      version: 1,
      respondedOn: '2025-12-01',
      audit: { id: audit.id },
      respondent: { name: 'Hälso- och sjukvårdsnämnden' },
      document: { registryNumber: '24HSNG673' },
      caseOfficer: { name: 'Jenny Salomonsson' },
      signatory: { name: 'Ewa Ekman' },
      citations: [{ quote: 'Rekommendationer och svar' }],
    });
    expect(recorded.parts).toMatchObject([
      { recommendation: { ordinal: 1 }, actionsTaken: 'Projektmodellen har vidareutvecklats.', plannedActions: null, timeline: '2026', citations: [] },
      { recommendation: { ordinal: 2 }, plannedActions: 'Handlingsplan för 1100 invånare per läkare.', citations: [{ quote: 'framtagandet av handlingsplan f6r 1100' }] },
    ]);
    const read = await server.graphql(`query ($id: ID!) { node(id: $id) { ... on Audit { responses { id } recommendations { ordinal responses { id } } } } }`, { id: audit.id });
    expect(read.data!.node.responses).toEqual([{ id: recorded.id }]);
    expect(read.data!.node.recommendations.map((r: any) => r.responses.length)).toEqual([1, 1]);

    const log = await server.graphql(`query ($id: ID!) { changes(first: 10, entityId: $id) { edges { node { operation actor } } } }`, { id: recorded.parts[0].id });
    expect(log.data!.changes.edges).toEqual([{ node: { operation: 'CREATE', actor: as.writeKeyName } }]);
  });

  it("refuses a part answering another audit's recommendation, two parts for one recommendation, and an empty part", async () => {
    const audit = await createAudit({ title: 'Granskning med felaktiga svar' });
    const other = await refused(
      RECORD,
      { input: responseInput(audit, { parts: [{ recommendation: SEEDED_RECOMMENDATION(1), actionsTaken: 'Fel granskning.' }] }) },
      'recordAuditResponse',
    );
    expect(other).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'parts', '0', 'recommendation'], message: 'the recommendation belongs to another audit than the one answered' }],
    });
    const twice = await refused(
      RECORD,
      {
        input: responseInput(audit, {
          parts: [
            { recommendation: audit.recommendations[0].id, actionsTaken: 'A' },
            { recommendation: audit.recommendations[0].id, timeline: 'B' },
          ],
        }),
      },
      'recordAuditResponse',
    );
    expect(twice).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['input', 'parts', '1', 'recommendation'] }] });
    const empty = await refused(
      RECORD,
      { input: responseInput(audit, { parts: [{ recommendation: audit.recommendations[0].id, actionsTaken: null }] }) },
      'recordAuditResponse',
    );
    expect(empty).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'parts', '0', 'actionsTaken'], message: expect.stringContaining('at least one of actionsTaken') }],
    });
    const missing = await refused(
      RECORD,
      { input: responseInput(audit, { parts: [{ recommendation: missingId('Recommendation'), timeline: '2026' }] }) },
      'recordAuditResponse',
    );
    expect(missing).toMatchObject({ __typename: 'NotFoundError', type: 'Recommendation', path: ['input', 'parts', '0', 'recommendation'] });
    const person = await refused(RECORD, { input: responseInput(audit, { signatory: missingId('Person') }) }, 'recordAuditResponse');
    expect(person).toMatchObject({ __typename: 'NotFoundError', type: 'Person', path: ['input', 'signatory'] });
    // A part's quote that is not on its lines is refused like any other citation.
    const misplaced = await refused(
      RECORD,
      {
        input: responseInput(audit, {
          parts: [
            {
              recommendation: audit.recommendations[0].id,
              actionsTaken: 'A',
              citations: [{ document: DOCUMENT, quote: 'framtagandet av handlingsplan f6r 1100', lineStart: 55, lineEnd: 56 }],
            },
          ],
        }),
      },
      'recordAuditResponse',
    );
    expect(misplaced).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['input', 'parts', '0', 'citations', '0', 'lineStart'] }] });
  });

  it('updates the seeded Kronoberg response and one of its parts with version checks; a part keeps at least one answer', async () => {
    const UPDATE_RESPONSE = `mutation ($id: ID!, $version: Int!, $patch: AuditResponsePatch!) { updateAuditResponse(id: $id, version: $version, patch: $patch) {
      ${RESULT} ... on AuditResponse { version respondedOn caseOfficer { name } signatory { name } } } }`;
    const UPDATE_PART = `mutation ($id: ID!, $version: Int!, $patch: RecommendationResponsePatch!) { updateRecommendationResponse(id: $id, version: $version, patch: $patch) {
      ${RESULT} ... on RecommendationResponse { version timeline otherComments recommendation { ordinal } } } }`;
    const responseId = gid('AuditResponse', 'audit-response:kronoberg-revisionssvar-2025-03-25');

    const updated = await server.graphql(UPDATE_RESPONSE, { id: responseId, version: 1, patch: { caseOfficer: null } }, as.write);
    expect(updated.data!.updateAuditResponse).toEqual({
      __typename: 'AuditResponse',
      version: 2,
      respondedOn: '2025-03-25',
      caseOfficer: null,
      signatory: { name: 'Ewa Ekman' },
    });
    expect(await refused(UPDATE_RESPONSE, { id: responseId, version: 1, patch: { summary: 'X' } }, 'updateAuditResponse')).toMatchObject({
      __typename: 'ConflictError',
      currentVersion: 2,
    });
    expect(await refused(UPDATE_RESPONSE, { id: responseId, version: 2, patch: { document: missingId('Document') } }, 'updateAuditResponse')).toMatchObject({
      __typename: 'NotFoundError',
      path: ['patch', 'document'],
    });

    const part = await server.graphql(UPDATE_PART, { id: SEEDED_PART(5), version: 1, patch: { otherComments: 'Tillägg.' } }, as.write);
    expect(part.data!.updateRecommendationResponse).toMatchObject({ __typename: 'RecommendationResponse', version: 2, otherComments: 'Tillägg.', recommendation: { ordinal: 5 } });
    const cleared = await refused(
      UPDATE_PART,
      { id: SEEDED_PART(5), version: 2, patch: { actionsTaken: null, plannedActions: null, timeline: null, otherComments: null } },
      'updateRecommendationResponse',
    );
    expect(cleared).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['patch'], message: expect.stringContaining('at least one') }] });
  });
});

describe('delete and restore', () => {
  const DELETE_AUDIT = `mutation ($id: ID!, $version: Int!) { deleteAudit(id: $id, version: $version) { ${RESULT} ... on Audit { deletedAt version } } }`;
  const RESTORE_AUDIT = `mutation ($id: ID!) { restoreAudit(id: $id) { ${RESULT} ... on Audit { deletedAt version recommendations { ordinal } responses { parts { recommendation { ordinal } } } } } }`;
  const DELETE_RECOMMENDATION = `mutation ($id: ID!, $version: Int!) { deleteRecommendation(id: $id, version: $version) { ${RESULT} ... on Recommendation { deletedAt } } }`;
  const RESTORE_RECOMMENDATION = `mutation ($id: ID!) { restoreRecommendation(id: $id) { ${RESULT} ... on Recommendation { deletedAt ordinal responses { id } } } }`;
  const DELETE_RESPONSE = `mutation ($id: ID!, $version: Int!) { deleteAuditResponse(id: $id, version: $version) { ${RESULT} ... on AuditResponse { deletedAt } } }`;
  const RESTORE_RESPONSE = `mutation ($id: ID!) { restoreAuditResponse(id: $id) { ${RESULT} ... on AuditResponse { deletedAt parts { recommendation { ordinal } } } } }`;
  const RECORD = `mutation ($input: RecordAuditResponseInput!) { recordAuditResponse(input: $input) { __typename ... on AuditResponse { id parts { id } } } }`;
  const NODE = `query ($id: ID!) { node(id: $id) { ... on Timestamped { deletedAt version } } }`;

  it('deletes an audit with its recommendations and responses; restore (admin only) brings back what was deleted with it', async () => {
    const startedAt = new Date(Date.now() - 1000).toISOString();
    const audit = await createAudit({ title: 'Granskning att ta bort', reportedOn: '2025-11-11' });
    const [first, second] = audit.recommendations;
    const recorded = await server.graphql(
      RECORD,
      {
        input: {
          audit: audit.id,
          parts: [
            { recommendation: first.id, actionsTaken: 'A' },
            { recommendation: second.id, actionsTaken: 'B' },
          ],
        },
      },
      as.write,
    );
    const response = recorded.data!.recordAuditResponse;

    // The second recommendation goes first, on its own, with the part answering it.
    expect((await server.graphql(DELETE_RECOMMENDATION, { id: second.id, version: 1 }, as.write)).data!.deleteRecommendation.deletedAt).toEqual(expect.any(String));
    const afterOne = await server.graphql(`query ($id: ID!) { node(id: $id) { ... on AuditResponse { parts { recommendation { ordinal } } } } }`, { id: response.id });
    expect(afterOne.data!.node.parts).toEqual([{ recommendation: { ordinal: 1 } }]);

    expect(await refused(DELETE_AUDIT, { id: audit.id, version: 2 }, 'deleteAudit')).toMatchObject({ __typename: 'ConflictError', currentVersion: 1 });
    const deleted = await server.graphql(DELETE_AUDIT, { id: audit.id, version: 1 }, as.write);
    expect(deleted.data!.deleteAudit).toMatchObject({ __typename: 'Audit', deletedAt: expect.any(String), version: 2 });
    for (const id of [first.id, response.id]) {
      expect((await server.graphql(NODE, { id })).data!.node.deletedAt).toEqual(expect.any(String));
    }

    const list = await server.graphql(`{ audits(first: 10, filter: { reportedOn: { from: "2025-11-11", to: "2025-11-11" } }) { totalCount } }`);
    expect(list.data!.audits.totalCount).toBe(0);
    const incremental = await server.graphql(`query ($since: DateTime!) { audits(first: 50, filter: { updatedSince: $since }) { edges { node { id deletedAt } } } }`, {
      since: startedAt,
    });
    expect(incremental.data!.audits.edges).toContainEqual({ node: { id: audit.id, deletedAt: expect.any(String) } });
    const log = await server.graphql(`query ($id: ID!) { changes(first: 10, entityId: $id) { edges { node { operation } } } }`, { id: first.id });
    expect(log.data!.changes.edges.map((edge: any) => edge.node.operation)).toEqual(['CREATE', 'DELETE']);

    expect(await refused(RESTORE_AUDIT, { id: audit.id }, 'restoreAudit')).toEqual({
      __typename: 'ForbiddenError',
      message: expect.any(String),
      requiredScope: 'admin',
    });
    // A recommendation of a deleted audit cannot come back on its own.
    expect(await refused(RESTORE_RECOMMENDATION, { id: first.id }, 'restoreRecommendation', as.admin)).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['id'], message: expect.stringContaining('its audit is deleted') }],
    });

    const restored = await server.graphql(RESTORE_AUDIT, { id: audit.id }, as.admin);
    expect(restored.data!.restoreAudit).toEqual({
      __typename: 'Audit',
      deletedAt: null,
      version: 3,
      recommendations: [{ ordinal: 1 }],
      responses: [{ parts: [{ recommendation: { ordinal: 1 } }] }],
    });
    expect((await server.graphql(NODE, { id: second.id })).data!.node.deletedAt).toEqual(expect.any(String));
    expect(await refused(RESTORE_AUDIT, { id: audit.id }, 'restoreAudit', as.admin)).toMatchObject({ __typename: 'NotFoundError', type: 'deleted Audit' });

    // Now the second recommendation comes back with the part deleted with it.
    const back = await server.graphql(RESTORE_RECOMMENDATION, { id: second.id }, as.admin);
    expect(back.data!.restoreRecommendation).toEqual({ __typename: 'Recommendation', deletedAt: null, ordinal: 2, responses: [{ id: expect.any(String) }] });
  });

  it('deletes a response with its parts, and restores them together', async () => {
    const audit = await createAudit({ title: 'Granskning med svar att ta bort' });
    const recorded = await server.graphql(
      RECORD,
      { input: { audit: audit.id, parts: [{ recommendation: audit.recommendations[0].id, timeline: '2026' }] } },
      as.write,
    );
    const response = recorded.data!.recordAuditResponse;
    const deleted = await server.graphql(DELETE_RESPONSE, { id: response.id, version: 1 }, as.write);
    expect(deleted.data!.deleteAuditResponse.deletedAt).toEqual(expect.any(String));
    expect((await server.graphql(NODE, { id: response.parts[0].id })).data!.node.deletedAt).toEqual(expect.any(String));
    const read = await server.graphql(`query ($id: ID!) { node(id: $id) { ... on Audit { responses { id } } } }`, { id: audit.id });
    expect(read.data!.node.responses).toEqual([]);

    const restored = await server.graphql(RESTORE_RESPONSE, { id: response.id }, as.admin);
    expect(restored.data!.restoreAuditResponse).toEqual({ __typename: 'AuditResponse', deletedAt: null, parts: [{ recommendation: { ordinal: 1 } }] });
  });

  it('refuses an anonymous delete and a restore of a live record', async () => {
    expect(await refused(DELETE_AUDIT, { id: SEEDED_AUDIT, version: 1 }, 'deleteAudit', as.anonymous)).toMatchObject({ __typename: 'ForbiddenError' });
    expect(await refused(RESTORE_AUDIT, { id: SEEDED_AUDIT }, 'restoreAudit', as.admin)).toMatchObject({
      __typename: 'NotFoundError',
      id: uuidOf(SEEDED_AUDIT),
      path: ['id'],
    });
  });
});
