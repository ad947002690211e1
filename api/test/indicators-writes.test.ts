import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Callers, databaseChecksum } from './support/auth.ts';
import { gid, MISSING, missingId } from './support/ids.ts';
import type { TestServer } from './support/server.ts';
import { issuePaths, sortedIssuePaths, startWriteTest, WRITE_ERRORS, type WriteTest } from './support/writes.ts';

/*
 * Writes of indicators, targets and single observations, through HTTP. The seeded records are
 * those of db/seed/halland-dialogmote-2018-09-19.json; the quotes come from its document
 * (Informationsbrev vecka 39 2018, db/seed/documents/001_b04ed263db983f3c.txt).
 */

let server: TestServer;
let as: Callers;
let refused: WriteTest['refused'];

const documentId = gid('Document', 'doc:halland-infobrev-2018-v39');

beforeAll(async () => {
  ({ server, as, refused } = await startWriteTest());
});
afterAll(() => server?.close());

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateIndicatorInput!) {
    createIndicator(input: $input) {
      __typename
      ... on Indicator { id version code name description unit direction sourceSystem koladaKpiId topics { slug } citations { quote document { title } } }
      ${WRITE_ERRORS}
    }
  }
`;

const UPDATE = /* GraphQL */ `
  mutation Update($id: ID!, $version: Int!, $patch: IndicatorPatch!) {
    updateIndicator(id: $id, version: $version, patch: $patch) {
      __typename
      ... on Indicator { code name description koladaKpiId version }
      ${WRITE_ERRORS}
    }
  }
`;

const ADD_TARGET = /* GraphQL */ `
  mutation Add($input: AddIndicatorTargetInput!) {
    addIndicatorTarget(input: $input) {
      __typename
      ... on IndicatorTarget { id version comparator value validFrom validTo basis region { code } indicator { code } citations { quote } }
      ${WRITE_ERRORS}
    }
  }
`;

const UPDATE_TARGET = /* GraphQL */ `
  mutation UpdateTarget($id: ID!, $version: Int!, $patch: IndicatorTargetPatch!) {
    updateIndicatorTarget(id: $id, version: $version, patch: $patch) {
      __typename
      ... on IndicatorTarget { version value validFrom validTo region { code } }
      ${WRITE_ERRORS}
    }
  }
`;

/** Line 249 of the letter: whether every unit must offer remote contacts (distanskontakter) in 2019. */
const REMOTE_QUOTE = 'Krav på att alla enheter ska erbjuda distanskontakter 2019?';

const indicatorInput = (overrides: Record<string, unknown> = {}) => ({
  code: 'REMOTE_CONTACTS_OFFERED',
  name: 'Andel enheter som erbjuder distanskontakter',
  description: 'Andel vårdcentraler i Vårdval Halland närsjukvård som erbjuder distanskontakter.',
  unit: 'share of units',
  direction: 'HIGHER_IS_BETTER',
  topics: ['digital-communication'],
  citations: [{ document: documentId, quote: REMOTE_QUOTE, lineStart: 249, lineEnd: 249 }],
  ...overrides,
});

const create = async (overrides: Record<string, unknown> = {}, headers: Record<string, string> = as.write) => {
  const response = await server.graphql(CREATE, { input: indicatorInput(overrides) }, headers);
  expect(response.errors).toBeUndefined();
  return response.data!.createIndicator;
};

describe('createIndicator', () => {
  it('records an indicator with topics and a citation, shows it in reads and logs who did it', async () => {
    const indicator = await create();
    expect(indicator).toMatchObject({
      __typename: 'Indicator',
      version: 1,
      code: 'REMOTE_CONTACTS_OFFERED',
      unit: 'share of units',
      direction: 'HIGHER_IS_BETTER',
      sourceSystem: null,
      koladaKpiId: null,
      topics: [{ slug: 'digital-communication' }],
      citations: [{ quote: REMOTE_QUOTE, document: { title: 'Informationsbrev vecka 39 2018' } }],
    });
    const read = await server.graphql(`{ indicator(code: "REMOTE_CONTACTS_OFFERED") { id name } indicators(filter: { topic: "digital-communication" }) { edges { node { code } } } }`);
    expect(read.data!.indicator).toEqual({ id: indicator.id, name: 'Andel enheter som erbjuder distanskontakter' });
    expect(read.data!.indicators.edges).toContainEqual({ node: { code: 'REMOTE_CONTACTS_OFFERED' } });

    const log = await server.graphql(`query ($id: ID!) { changes(entity: INDICATOR, entityId: $id) { edges { node { actor operation after } } } }`, { id: indicator.id });
    expect(log.data!.changes.edges).toEqual([
      { node: { actor: as.writeKeyName, operation: 'CREATE', after: expect.objectContaining({ code: 'REMOTE_CONTACTS_OFFERED', version: 1 }) } },
    ]);
  });

  it('refuses a code another indicator has, at input.code', async () => {
    const result = await refused(CREATE, { input: indicatorInput({ code: 'SIP_MEETINGS' }) }, 'createIndicator');
    expect(result).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'code'], message: 'an indicator with the code "SIP_MEETINGS" already exists' }],
    });
  });

  it('refuses bad codes, a bad Kolada id, blank and huge text and a bad slug, with every path', async () => {
    const result = await refused(
      CREATE,
      {
        input: indicatorInput({
          code: 'remote_contacts',
          koladaKpiId: 'X12345',
          name: 'x'.repeat(301),
          unit: '   ',
          description: 'd'.repeat(10_001),
          topics: ['Not A Slug'],
        }),
      },
      'createIndicator',
    );
    expect(result.__typename).toBe('ValidationError');
    expect(sortedIssuePaths(result)).toEqual(['input.code', 'input.description', 'input.koladaKpiId', 'input.name', 'input.topics.0', 'input.unit']);
  });

  it('refuses an unknown topic and a quote that is not in the document, naming the field', async () => {
    const topic = await refused(CREATE, { input: indicatorInput({ code: 'SOME_INDICATOR', topics: ['no-such-topic'] }) }, 'createIndicator');
    expect(topic).toMatchObject({ __typename: 'NotFoundError', type: 'Topic', id: 'no-such-topic', path: ['input', 'topics', '0'] });
    const quote = await refused(
      CREATE,
      { input: indicatorInput({ code: 'SOME_INDICATOR', citations: [{ document: documentId, quote: 'Alla enheter erbjuder distanskontakter', lineStart: 249, lineEnd: 249 }] }) },
      'createIndicator',
    );
    expect(quote).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['input', 'citations', '0', 'quote'] }] });
    const lines = await refused(
      CREATE,
      { input: indicatorInput({ code: 'SOME_INDICATOR', citations: [{ document: documentId, quote: REMOTE_QUOTE, lineStart: 250, lineEnd: 240 }] }) },
      'createIndicator',
    );
    expect(issuePaths(lines)).toEqual(['input.citations.0.lineEnd']);
  });

  it('refuses generated codes that are not UPPER_SNAKE_CASE', async () => {
    const before = await databaseChecksum(server);
    const badCode = fc.oneof(
      fc.string({ maxLength: 20 }).filter((code) => !/^[A-Z0-9]+(_[A-Z0-9]+)*$/.test(code)),
      fc.constantFrom('sip', 'SIP__MEETINGS', '_SIP', 'SIP_', 'SIP-MEETINGS', 'SIP MEETINGS', 'ÅTGÄRD', 'X'.repeat(101)),
    );
    await fc.assert(
      fc.asyncProperty(badCode, async (code) => {
        const response = await server.graphql(CREATE, { input: indicatorInput({ code }) }, as.write);
        expect(response.data!.createIndicator.__typename).toBe('ValidationError');
        expect(issuePaths(response.data!.createIndicator)).toEqual(['input.code']);
      }),
      { numRuns: 25 },
    );
    expect(await databaseChecksum(server)).toBe(before);
  });
});

describe('updateIndicator, deleteIndicator, restoreIndicator', () => {
  it('updates with the current version, clears with null, and refuses a stale version as a conflict', async () => {
    const created = await create({ code: 'TO_UPDATE' });
    const updated = await server.graphql(UPDATE, { id: created.id, version: 1, patch: { name: 'Ändrat namn', description: null, koladaKpiId: 'U00001' } }, as.write);
    expect(updated.data!.updateIndicator).toEqual({
      __typename: 'Indicator',
      code: 'TO_UPDATE',
      name: 'Ändrat namn',
      description: null,
      koladaKpiId: 'U00001',
      version: 2,
    });
    const stale = await refused(UPDATE, { id: created.id, version: 1, patch: { name: 'Skriver över' } }, 'updateIndicator');
    expect(stale).toMatchObject({ __typename: 'ConflictError', expectedVersion: 1, currentVersion: 2 });

    const ownCode = await server.graphql(UPDATE, { id: created.id, version: 2, patch: { code: 'TO_UPDATE' } }, as.write);
    expect(ownCode.data!.updateIndicator).toMatchObject({ __typename: 'Indicator', version: 3 });
    const renamed = await server.graphql(UPDATE, { id: created.id, version: 3, patch: { code: 'UPDATED' } }, as.write);
    expect(renamed.data!.updateIndicator).toMatchObject({ __typename: 'Indicator', code: 'UPDATED', version: 4 });

    const log = await server.graphql(`query ($id: ID!) { changes(entityId: $id) { edges { node { operation before after } } } }`, { id: created.id });
    const update = log.data!.changes.edges[1].node;
    expect(update).toMatchObject({ operation: 'UPDATE', before: { name: 'Andel enheter som erbjuder distanskontakter' }, after: { name: 'Ändrat namn', description: null } });
  });

  it('refuses a taken code, a required field set to null, an ID of another type and a missing indicator', async () => {
    const created = await create({ code: 'TO_REFUSE' });
    const taken = await refused(UPDATE, { id: created.id, version: 1, patch: { code: 'SIP_MEETINGS' } }, 'updateIndicator');
    expect(taken).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['patch', 'code'] }] });
    const nulled = await refused(UPDATE, { id: created.id, version: 1, patch: { name: null, unit: null } }, 'updateIndicator');
    expect(sortedIssuePaths(nulled)).toEqual(['patch.name', 'patch.unit']);
    const wrongType = await refused(UPDATE, { id: documentId, version: 1, patch: { name: 'x' } }, 'updateIndicator');
    expect(wrongType).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['id'], message: 'must be the ID of a Indicator, not of a Document' }] });
    const missing = await refused(UPDATE, { id: missingId('Indicator'), version: 1, patch: { name: 'x' } }, 'updateIndicator');
    expect(missing).toMatchObject({ __typename: 'NotFoundError', type: 'Indicator', id: MISSING, path: ['id'] });
  });

  it('deletes softly: gone from lists and from upserts, visible to updatedSince, its code still taken, restorable by an admin only', async () => {
    const startedAt = new Date(Date.now() - 1000).toISOString();
    const created = await create({ code: 'TO_DELETE', name: 'Att ta bort' });
    const DELETE = `mutation ($id: ID!, $version: Int!) { deleteIndicator(id: $id, version: $version) { __typename ... on Indicator { deletedAt version } ${WRITE_ERRORS} } }`;
    const listed = await server.graphql(`{ indicators(filter: { text: "Att ta bort" }) { edges { node { code } } } }`);
    expect(listed.data!.indicators.edges).toEqual([{ node: { code: 'TO_DELETE' } }]);
    const stale = await refused(DELETE, { id: created.id, version: 7 }, 'deleteIndicator');
    expect(stale).toMatchObject({ __typename: 'ConflictError', expectedVersion: 7, currentVersion: 1 });
    const deleted = await server.graphql(DELETE, { id: created.id, version: 1 }, as.write);
    expect(deleted.data!.deleteIndicator).toEqual({ __typename: 'Indicator', deletedAt: expect.any(String), version: 2 });

    const reads = await server.graphql(`{ indicator(code: "TO_DELETE") { code } indicators(filter: { text: "Att ta bort" }) { totalCount } }`);
    expect(reads.data).toEqual({ indicator: null, indicators: { totalCount: 0 } });
    const incremental = await server.graphql(
      `query ($since: DateTime!) { indicators(filter: { updatedSince: $since }, orderBy: UPDATED_AT) { edges { node { code deletedAt } } } }`,
      { since: startedAt },
    );
    expect(incremental.data!.indicators.edges).toContainEqual({ node: { code: 'TO_DELETE', deletedAt: expect.any(String) } });

    const upsert = await refused(
      `mutation { upsertObservations(indicator: "TO_DELETE", rows: [{ region: "13", period: "2019", value: "1" }]) { __typename ${WRITE_ERRORS} } }`,
      {},
      'upsertObservations',
    );
    expect(upsert).toMatchObject({ __typename: 'NotFoundError', type: 'Indicator', path: ['indicator'] });
    const again = await refused(CREATE, { input: indicatorInput({ code: 'TO_DELETE' }) }, 'createIndicator');
    expect(again.issues).toEqual([{ path: ['input', 'code'], message: expect.stringMatching(/deleted indicator has the code "TO_DELETE"/) }]);

    const RESTORE = `mutation ($id: ID!) { restoreIndicator(id: $id) { __typename ... on Indicator { deletedAt version } ${WRITE_ERRORS} } }`;
    const byWriter = await refused(RESTORE, { id: created.id }, 'restoreIndicator');
    expect(byWriter).toMatchObject({ __typename: 'ForbiddenError', requiredScope: 'admin' });
    const byAdmin = await server.graphql(RESTORE, { id: created.id }, as.admin);
    expect(byAdmin.data!.restoreIndicator).toEqual({ __typename: 'Indicator', deletedAt: null, version: 3 });
    const restoredAgain = await refused(RESTORE, { id: created.id }, 'restoreIndicator', as.admin);
    expect(restoredAgain).toMatchObject({ __typename: 'NotFoundError', type: 'deleted Indicator' });
  });
});

describe('indicator targets', () => {
  let indicatorId: string;
  const targetInput = (overrides: Record<string, unknown> = {}) => ({
    indicator: indicatorId,
    comparator: 'AT_LEAST',
    value: '1',
    region: '13',
    validFrom: '2019-01-01',
    validTo: '2019-12-31',
    basis: 'Förslag till uppdragsbeskrivning Vårdval Halland närsjukvård 2019',
    description: 'Alla enheter erbjuder distanskontakter 2019 (fråga vid dialogmötet, ej beslutad).',
    citations: [{ document: documentId, quote: REMOTE_QUOTE, lineStart: 249, lineEnd: 249 }],
    ...overrides,
  });

  beforeAll(async () => {
    indicatorId = (await create({ code: 'TARGETED' })).id;
  });

  it('adds a regional target, shown on the indicator with its citation and logged', async () => {
    const response = await server.graphql(ADD_TARGET, { input: targetInput() }, as.write);
    const target = response.data!.addIndicatorTarget;
    expect(target).toMatchObject({
      __typename: 'IndicatorTarget',
      version: 1,
      comparator: 'AT_LEAST',
      value: '1',
      validFrom: '2019-01-01',
      validTo: '2019-12-31',
      region: { code: '13' },
      indicator: { code: 'TARGETED' },
      citations: [{ quote: REMOTE_QUOTE }],
    });
    const read = await server.graphql(`{ indicator(code: "TARGETED") { targets { id comparator value } } }`);
    expect(read.data!.indicator.targets).toEqual([{ id: target.id, comparator: 'AT_LEAST', value: '1' }]);
    const log = await server.graphql(`query ($id: ID!) { changes(entityId: $id) { edges { node { operation entityType actor } } } }`, { id: target.id });
    expect(log.data!.changes.edges).toEqual([{ node: { operation: 'CREATE', entityType: 'INDICATOR_TARGET', actor: as.writeKeyName } }]);
  });

  it('refuses over-precise values, unordered dates, bad and unknown regions, wrong and missing indicators, huge text', async () => {
    const precise = await refused(ADD_TARGET, { input: targetInput({ value: '0.123456789', validTo: '2018-12-31', basis: 'b'.repeat(1001) }) }, 'addIndicatorTarget');
    expect(sortedIssuePaths(precise)).toEqual(['input.basis', 'input.validTo', 'input.value']);
    expect(precise.issues.find((issue: any) => issue.path.at(-1) === 'validTo').message).toBe('validTo must not be before validFrom');
    const badRegion = await refused(ADD_TARGET, { input: targetInput({ region: 'SE-N' }) }, 'addIndicatorTarget');
    expect(issuePaths(badRegion)).toEqual(['input.region']);
    const unknownRegion = await refused(ADD_TARGET, { input: targetInput({ region: '99' }) }, 'addIndicatorTarget');
    expect(unknownRegion).toMatchObject({ __typename: 'NotFoundError', type: 'Region', id: '99', path: ['input', 'region'] });
    const wrongType = await refused(ADD_TARGET, { input: targetInput({ indicator: documentId }) }, 'addIndicatorTarget');
    expect(issuePaths(wrongType)).toEqual(['input.indicator']);
    const missing = await refused(ADD_TARGET, { input: targetInput({ indicator: missingId('Indicator') }) }, 'addIndicatorTarget');
    expect(missing).toMatchObject({ __typename: 'NotFoundError', type: 'Indicator', path: ['input', 'indicator'] });
  });

  it('refuses a value that is not a decimal before running anything (the Decimal scalar)', async () => {
    const before = await databaseChecksum(server);
    const response = await server.graphql(ADD_TARGET, { input: targetInput({ value: 'many' }) }, as.write);
    expect(response.status).toBe(400);
    expect(response.errors![0]!.message).toMatch(/value.*Decimal must be digits/s);
    expect(await databaseChecksum(server)).toBe(before);
  });

  it('updates a seeded target, keeping its dates ordered against what is stored', async () => {
    // Seeded: medical assessment within 3 days, national, valid from 2019-01-01.
    const id = gid('IndicatorTarget', 'target:halland-dialogmote-2018-09-19:medicinsk-bedomning-inom-3-dagar');
    const unordered = await refused(UPDATE_TARGET, { id, version: 1, patch: { validTo: '2018-12-31' } }, 'updateIndicatorTarget');
    expect(unordered).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['patch', 'validTo'], message: expect.stringMatching(/from 2019-01-01 to 2018-12-31/) }] });
    const both = await refused(UPDATE_TARGET, { id, version: 1, patch: { validFrom: '2020-01-01', validTo: '2019-01-01' } }, 'updateIndicatorTarget');
    expect(issuePaths(both)).toEqual(['patch.validTo']);
    const wrongType = await refused(UPDATE_TARGET, { id: indicatorId, version: 1, patch: { value: '2' } }, 'updateIndicatorTarget');
    expect(wrongType.issues).toEqual([{ path: ['id'], message: 'must be the ID of a IndicatorTarget, not of a Indicator' }]);

    const regional = await server.graphql(UPDATE_TARGET, { id, version: 1, patch: { value: '2', region: '13' } }, as.write);
    expect(regional.data!.updateIndicatorTarget).toEqual({
      __typename: 'IndicatorTarget',
      version: 2,
      value: '2',
      validFrom: '2019-01-01',
      validTo: null,
      region: { code: '13' },
    });
    const national = await server.graphql(UPDATE_TARGET, { id, version: 2, patch: { region: null, validTo: '2019-12-31' } }, as.write);
    expect(national.data!.updateIndicatorTarget).toMatchObject({ version: 3, region: null, validTo: '2019-12-31' });
    const stale = await refused(UPDATE_TARGET, { id, version: 2, patch: { value: '4' } }, 'updateIndicatorTarget');
    expect(stale).toMatchObject({ __typename: 'ConflictError', expectedVersion: 2, currentVersion: 3 });
  });

  it('deletes a target from its indicator and lets only an admin restore it', async () => {
    const added = (await server.graphql(ADD_TARGET, { input: targetInput({ comparator: 'AT_MOST', value: '5' }) }, as.write)).data!.addIndicatorTarget;
    const DELETE = `mutation ($id: ID!, $version: Int!) { deleteIndicatorTarget(id: $id, version: $version) { __typename ... on IndicatorTarget { deletedAt } ${WRITE_ERRORS} } }`;
    const deleted = await server.graphql(DELETE, { id: added.id, version: 1 }, as.write);
    expect(deleted.data!.deleteIndicatorTarget.deletedAt).toEqual(expect.any(String));
    const read = await server.graphql(`{ indicator(code: "TARGETED") { targets { value } } }`);
    expect(read.data!.indicator.targets).not.toContainEqual({ value: '5' });
    const RESTORE = `mutation ($id: ID!) { restoreIndicatorTarget(id: $id) { __typename ... on IndicatorTarget { deletedAt version } ${WRITE_ERRORS} } }`;
    expect(await refused(RESTORE, { id: added.id }, 'restoreIndicatorTarget')).toMatchObject({ __typename: 'ForbiddenError', requiredScope: 'admin' });
    const restored = await server.graphql(RESTORE, { id: added.id }, as.admin);
    expect(restored.data!.restoreIndicatorTarget).toEqual({ __typename: 'IndicatorTarget', deletedAt: null, version: 3 });
    const back = await server.graphql(`{ indicator(code: "TARGETED") { targets { value } } }`);
    expect(back.data!.indicator.targets).toContainEqual({ value: '5' });
  });
});

describe('deleteObservation and restoreObservation', () => {
  // Seeded: 52 SIP meetings at enrolment in home care, public health centres, May 2018.
  const id = () => gid('Observation', 'observation:halland-dialogmote-2018-09-19:sip-2018-05-public-home-care');
  const MAY_PUBLIC_HOME_CARE = `{ observations(filter: { indicator: ["SIP_MEETINGS"], periodFrom: "2018-05", periodTo: "2018-05",
    dimensions: [{ name: "ownership", value: "public" }, { name: "setting", value: "home_care" }] }) { edges { node { value } } } }`;

  it('deletes with the current version: gone from lists and aggregates, in updatedSince with deletedAt; admin restores', async () => {
    expect((await server.graphql(MAY_PUBLIC_HOME_CARE)).data!.observations.edges).toEqual([{ node: { value: '52' } }]);
    const DELETE = `mutation ($id: ID!, $version: Int!) { deleteObservation(id: $id, version: $version) { __typename ... on Observation { value deletedAt version } ${WRITE_ERRORS} } }`;
    const stale = await refused(DELETE, { id: id(), version: 5 }, 'deleteObservation');
    expect(stale).toMatchObject({ __typename: 'ConflictError', expectedVersion: 5, currentVersion: 1 });
    const wrongType = await refused(DELETE, { id: documentId, version: 1 }, 'deleteObservation');
    expect(issuePaths(wrongType)).toEqual(['id']);

    const startedAt = new Date(Date.now() - 1000).toISOString();
    const deleted = await server.graphql(DELETE, { id: id(), version: 1 }, as.write);
    expect(deleted.data!.deleteObservation).toEqual({ __typename: 'Observation', value: '52', deletedAt: expect.any(String), version: 2 });
    expect((await server.graphql(MAY_PUBLIC_HOME_CARE)).data!.observations.edges).toEqual([]);
    const sum = await server.graphql(`{ observationAggregates(indicator: "SIP_MEETINGS", filter: { periodFrom: "2018-05", periodTo: "2018-05",
      dimensions: [{ name: "ownership", value: "public" }] }) { count sum } }`);
    expect(sum.data!.observationAggregates).toEqual([{ count: 1, sum: '175' }]);
    const incremental = await server.graphql(
      `query ($since: DateTime!) { observations(filter: { updatedSince: $since }, orderBy: UPDATED_AT) { edges { node { id deletedAt } } } }`,
      { since: startedAt },
    );
    expect(incremental.data!.observations.edges).toContainEqual({ node: { id: id(), deletedAt: expect.any(String) } });
    const gone = await refused(DELETE, { id: id(), version: 2 }, 'deleteObservation');
    expect(gone).toMatchObject({ __typename: 'NotFoundError', type: 'Observation', path: ['id'] });

    const RESTORE = `mutation ($id: ID!) { restoreObservation(id: $id) { __typename ... on Observation { deletedAt version value } ${WRITE_ERRORS} } }`;
    expect(await refused(RESTORE, { id: id() }, 'restoreObservation')).toMatchObject({ __typename: 'ForbiddenError', requiredScope: 'admin' });
    const restored = await server.graphql(RESTORE, { id: id() }, as.admin);
    expect(restored.data!.restoreObservation).toEqual({ __typename: 'Observation', deletedAt: null, version: 3, value: '52' });
    expect((await server.graphql(MAY_PUBLIC_HOME_CARE)).data!.observations.edges).toEqual([{ node: { value: '52' } }]);
    const log = await server.graphql(`query ($id: ID!) { changes(entityId: $id) { edges { node { operation actor } } } }`, { id: id() });
    expect(log.data!.changes.edges.map((edge: any) => edge.node)).toEqual([
      { operation: 'DELETE', actor: as.writeKeyName },
      { operation: 'RESTORE', actor: as.adminKeyName },
    ]);
  });
});

describe('who may write', () => {
  it.each([
    ['createIndicator', CREATE, () => ({ input: indicatorInput({ code: 'BY_ANYONE' }) })],
    ['updateIndicator', UPDATE, () => ({ id: gid('Indicator', 'indicator:sip-meetings'), version: 1, patch: { name: 'x' } })],
    ['addIndicatorTarget', ADD_TARGET, () => ({ input: { indicator: gid('Indicator', 'indicator:sip-meetings'), comparator: 'AT_MOST', value: '1' } })],
    [
      'deleteObservation',
      `mutation ($id: ID!) { deleteObservation(id: $id, version: 1) { __typename ${WRITE_ERRORS} } }`,
      () => ({ id: gid('Observation', 'observation:halland-dialogmote-2018-09-19:sip-2018-06-public-home-care') }),
    ],
  ] as const)('%s without a key answers ForbiddenError and changes nothing', async (field, query, variables) => {
    const result = await refused(query, variables(), field, as.anonymous);
    expect(result).toMatchObject({ __typename: 'ForbiddenError', requiredScope: 'write' });
  });
});
