import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Callers, databaseChecksum } from './support/auth.ts';
import { gid, MISSING, missingId } from './support/ids.ts';
import type { TestServer } from './support/server.ts';
import { RESULT, startWriteTest } from './support/writes.ts';

/*
 * upsertObservations through HTTP. Real values: the Halland table of SIP meetings held in
 * May–August 2018 (db/seed/halland-dialogmote-2018-09-19.json, document lines 975–997), stored
 * per setting ("home_care" = SIP at enrolment in home care, "joint_planning" = via the joint
 * planning function GP) and ownership of the health centres, with the totals without "ownership".
 */

let server: TestServer;
let as: Callers;


beforeAll(async () => {
  ({ server, as } = await startWriteTest());
});
afterAll(() => server?.close());

const UPSERT = /* GraphQL */ `
  mutation Upsert($indicator: String!, $rows: [ObservationRowInput!]!) {
    upsertObservations(indicator: $indicator, rows: $rows) {
      ${RESULT}
      ... on UpsertObservationsResult { inserted updated unchanged indicator { code } }
    }
  }
`;

interface Row {
  region?: string | null;
  organisation?: string | null;
  period: string;
  value: string;
  dimensions?: { name: string; value: string }[] | null;
}

const upsert = async (rows: Row[], headers: Record<string, string> = as.write, indicator = 'SIP_MEETINGS') => {
  const response = await server.graphql(UPSERT, { indicator, rows }, headers);
  expect(response.errors).toBeUndefined();
  return response.data!.upsertObservations;
};

const sip = (period: string, setting: string, ownership: string | null, value: string): Row => ({
  region: '13',
  period,
  value,
  dimensions: [...(ownership ? [{ name: 'ownership', value: ownership }] : []), { name: 'setting', value: setting }],
});

/** The seeded table, as the document gives it: public, private and total; home care and GP; May to August. */
const MONTHS = ['2018-05', '2018-06', '2018-07', '2018-08'];
const TABLE = {
  public: ['52', '175', '58', '128', '42', '145', '49', '146'],
  private: ['49', '104', '42', '93', '39', '99', '37', '125'],
  total: ['101', '279', '100', '221', '81', '244', '86', '271'],
};
const seededRows = (): Row[] =>
  Object.entries(TABLE).flatMap(([ownership, values]) =>
    MONTHS.flatMap((month, m) => [
      sip(month, 'home_care', ownership === 'total' ? null : ownership, values[m * 2]!),
      sip(month, 'joint_planning', ownership === 'total' ? null : ownership, values[m * 2 + 1]!),
    ]),
  );

/** September 2018, in the shape of the table (values made up for the test: the letter stops at August). */
const september = (): Row[] => [
  sip('2018-09', 'home_care', 'public', '51'),
  sip('2018-09', 'joint_planning', 'public', '150'),
  sip('2018-09', 'home_care', 'private', '40'),
  sip('2018-09', 'joint_planning', 'private', '110'),
  sip('2018-09', 'home_care', null, '91'),
  sip('2018-09', 'joint_planning', null, '260'),
];

const observationChanges = async () =>
  (await server.graphql(`{ changes(entity: OBSERVATION) { totalCount } }`)).data!.changes.totalCount as number;

const seriesOf = async (dimensions: { name: string; value: string }[]) =>
  (
    await server.graphql(
      `query ($dimensions: [DimensionInput!]) { indicator(code: "SIP_MEETINGS") {
        series(region: "13", dimensions: $dimensions) { period value observation { id version deletedAt } } } }`,
      { dimensions },
    )
  ).data!.indicator.series as { period: string; value: string; observation: { id: string; version: number; deletedAt: string | null } }[];

describe('upsertObservations with real rows', () => {
  it('leaves the seeded Halland SIP table unchanged when it is sent again as the document gives it', async () => {
    const before = await databaseChecksum(server);
    const result = await upsert(seededRows());
    expect(result).toEqual({ __typename: 'UpsertObservationsResult', inserted: 0, updated: 0, unchanged: 24, indicator: { code: 'SIP_MEETINGS' } });
    expect(await databaseChecksum(server)).toBe(before);
  });

  it('inserts September, then the same call again changes nothing, then a changed value is an update with version + 1 and a log entry', async () => {
    const logBefore = await observationChanges();
    const first = await upsert(september());
    expect(first).toMatchObject({ inserted: 6, updated: 0, unchanged: 0 });
    expect(await observationChanges()).toBe(logBefore + 6);

    const totals = await seriesOf([{ name: 'setting', value: 'home_care' }]);
    expect(totals.map((point) => [point.period, point.value])).toEqual([
      ['2018-05', '101'],
      ['2018-06', '100'],
      ['2018-07', '81'],
      ['2018-08', '86'],
      ['2018-09', '91'],
    ]);

    const checksum = await databaseChecksum(server);
    const again = await upsert(september());
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 6 });
    expect(await databaseChecksum(server)).toBe(checksum);
    expect(await observationChanges()).toBe(logBefore + 6);

    // Dimensions in another order, and a value numerically equal ("91.0"), are the same observation.
    const reordered = september().map((row) => ({ ...row, dimensions: [...row.dimensions!].reverse() }));
    reordered[4] = { ...reordered[4]!, value: '91.0' };
    expect(await upsert(reordered)).toMatchObject({ inserted: 0, updated: 0, unchanged: 6 });
    expect(await databaseChecksum(server)).toBe(checksum);

    const changed = september();
    changed[4] = { ...changed[4]!, value: '93' };
    expect(await upsert(changed)).toMatchObject({ inserted: 0, updated: 1, unchanged: 5 });
    const point = (await seriesOf([{ name: 'setting', value: 'home_care' }])).find((p) => p.period === '2018-09')!;
    expect(point.value).toBe('93');
    expect(point.observation.version).toBe(2);

    const log = await server.graphql(
      `query ($id: ID!) { changes(entity: OBSERVATION, entityId: $id) { edges { node { actor operation before after } } } }`,
      { id: point.observation.id },
    );
    const entries = log.data!.changes.edges.map((edge: any) => edge.node);
    expect(entries.map((entry: any) => entry.operation)).toEqual(['CREATE', 'UPDATE']);
    expect(entries[1]).toMatchObject({
      actor: as.writeKeyName,
      operation: 'UPDATE',
      before: { value: '91', version: 1, period: '2018-09', dimensions: { setting: 'home_care' }, deletedAt: null },
      after: { value: '93', version: 2, period: '2018-09', periodGrain: 'month', periodStart: '2018-09-01', dimensions: { setting: 'home_care' } },
    });
    expect(entries[1].after.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await observationChanges()).toBe(logBefore + 7);
  });

  it('logs in the same shape as every other write (the keys of a deleteObservation entry)', async () => {
    const inserted = await upsert([sip('2018-10', 'home_care', null, '77')]);
    expect(inserted.inserted).toBe(1);
    const [point] = (await seriesOf([{ name: 'setting', value: 'home_care' }])).filter((p) => p.period === '2018-10');
    const deleted = await server.graphql(
      `mutation ($id: ID!) { deleteObservation(id: $id, version: 1) { __typename ... on Observation { deletedAt } } }`,
      { id: point!.observation.id },
      as.write,
    );
    expect(deleted.data!.deleteObservation.deletedAt).toEqual(expect.any(String));
    const log = await server.graphql(`query ($id: ID!) { changes(entityId: $id) { edges { node { operation before after } } } }`, {
      id: point!.observation.id,
    });
    const [create, remove] = log.data!.changes.edges.map((edge: any) => edge.node);
    expect(create.operation).toBe('CREATE');
    expect(create.before).toBeNull();
    expect(remove.operation).toBe('DELETE');
    expect(Object.keys(create.after).sort()).toEqual(Object.keys(remove.before).sort());
    expect(create.after).toEqual({ ...remove.before });

    // Upserting a deleted observation brings it back live (an update), even with the same value.
    expect(await upsert([sip('2018-10', 'home_care', null, '77')])).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    const [back] = (await seriesOf([{ name: 'setting', value: 'home_care' }])).filter((p) => p.period === '2018-10');
    expect(back!.observation).toMatchObject({ deletedAt: null, version: 3 });
  });

  it('stores values of an organisation, negative values included', async () => {
    const stenblomman = gid('Organisation', 'org:13:stenblommans-vardcentral');
    const result = await upsert([{ organisation: stenblomman, period: '2018-Q3', value: '-2.5', dimensions: [{ name: 'setting', value: 'home_care' }] }]);
    expect(result).toMatchObject({ inserted: 1, updated: 0, unchanged: 0 });
    const list = await server.graphql(
      `query ($org: ID!) { observations(filter: { organisation: $org, indicator: ["SIP_MEETINGS"] }) { edges { node { period periodGrain value organisation { name } region { code } } } } }`,
      { org: stenblomman },
    );
    expect(list.data!.observations.edges.map((edge: any) => edge.node)).toEqual([
      { period: '2018-Q3', periodGrain: 'QUARTER', value: '-2.5', organisation: { name: 'Stenblommans vårdcentral' }, region: null },
    ]);
  });

  it('keeps every digit of the largest and the most precise values, and two dimensions as given', async () => {
    const dimensions = [{ name: 'setting', value: 'home_care' }, { name: 'ownership', value: 'public' }];
    const result = await upsert([
      { region: '13', period: '2021-01', value: '999999999999999.99999999', dimensions },
      { region: '13', period: '2021-02', value: '-0.00000001', dimensions },
    ]);
    expect(result).toMatchObject({ inserted: 2, updated: 0, unchanged: 0 });
    const list = await server.graphql(
      `{ observations(filter: { region: "13", indicator: ["SIP_MEETINGS"], periodFrom: "2021-01", periodTo: "2021-02" }) { edges { node { period value dimensions { name value } } } } }`,
    );
    const byPeriod = Object.fromEntries(list.data!.observations.edges.map((edge: any) => [edge.node.period, edge.node]));
    expect(byPeriod['2021-01'].value).toBe('999999999999999.99999999');
    expect(byPeriod['2021-02'].value).toBe('-0.00000001');
    expect(byPeriod['2021-01'].dimensions).toEqual(expect.arrayContaining([{ name: 'setting', value: 'home_care' }, { name: 'ownership', value: 'public' }]));
    expect(byPeriod['2021-01'].dimensions).toHaveLength(2);
  });

  it('upserts 10,000 rows (the most allowed) set-based, a statement per 250 rows, and again as unchanged', async () => {
    const rows = Array.from({ length: 10_000 }, (_, index) => ({
      region: '13',
      period: `${2000 + Math.floor(index / 500)}-${String((index % 12) + 1).padStart(2, '0')}`,
      value: String(index),
      dimensions: [{ name: 'unit', value: `u${index}` }],
    }));
    const logBefore = await observationChanges();
    server.database.resetStatements();
    expect(await upsert(rows)).toMatchObject({ inserted: 10_000, updated: 0, unchanged: 0 });
    const statements = server.database.statements.length;
    expect(statements).toBeLessThan(60); // set-based: 40 merge statements of 250 rows, a few lookups
    expect(await observationChanges()).toBe(logBefore + 10_000);
    const again = await upsert(rows);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 10_000 });
    expect(await observationChanges()).toBe(logBefore + 10_000);
    const changed = rows.map((row, index) => (index % 10 === 0 ? { ...row, value: `${row.value}.5` } : row));
    expect(await upsert(changed)).toMatchObject({ inserted: 0, updated: 1_000, unchanged: 9_000 });
    expect(await observationChanges()).toBe(logBefore + 11_000);
  });
});

describe('upsertObservations refuses bad batches whole, naming the row, and writes nothing', () => {
  const refused = async (rows: Row[], indicator = 'SIP_MEETINGS') => {
    const before = await databaseChecksum(server);
    const result = await upsert(rows, as.write, indicator);
    expect(await databaseChecksum(server)).toBe(before);
    return result;
  };

  /** 500 valid rows for Halland (distinct by the "unit" dimension). */
  const batch = (size = 500): Row[] =>
    Array.from({ length: size }, (_, index) => ({
      region: '13',
      period: '2019-01',
      value: String(index),
      dimensions: [{ name: 'unit', value: `batch_${index}` }],
    }));

  it('one bad period among 500 rows', async () => {
    const rows = batch();
    rows[317] = { ...rows[317]!, period: '2018-13' };
    expect(await refused(rows)).toEqual({
      __typename: 'ValidationError',
      message: 'Invalid input at rows.317.period: must be a period: YYYY, YYYY-Qn or YYYY-MM',
      issues: [{ path: ['rows', '317', 'period'], message: 'must be a period: YYYY, YYYY-Qn or YYYY-MM' }],
    });
  });

  it('the period "0000", which has no dates', async () => {
    const rows = batch(10);
    rows[4] = { ...rows[4]!, period: '0000' };
    rows[6] = { ...rows[6]!, period: '0000-Q1' };
    const result = await refused(rows);
    expect(result.__typename).toBe('ValidationError');
    expect(result.issues.map((issue: any) => issue.path.join('.'))).toEqual(['rows.4.period', 'rows.6.period']);
  });

  it('bad values: not a number, over-precise, too many digits', async () => {
    const rows = batch(10);
    rows[2] = { ...rows[2]!, value: '12,5' };
    rows[5] = { ...rows[5]!, value: '0.123456789' };
    rows[8] = { ...rows[8]!, value: '1e6' };
    const result = await refused(rows);
    expect(result.__typename).toBe('ValidationError');
    expect(result.issues.map((issue: any) => issue.path.join('.'))).toEqual(['rows.2.value', 'rows.5.value', 'rows.8.value']);
  });

  it('the same observation twice, even with dimensions in another order, names both rows', async () => {
    const rows = batch(10);
    rows[3] = { region: '13', period: '2019-02', value: '1', dimensions: [{ name: 'ownership', value: 'public' }, { name: 'setting', value: 'home_care' }] };
    rows[7] = { region: '13', period: '2019-02', value: '2', dimensions: [{ name: 'setting', value: 'home_care' }, { name: 'ownership', value: 'public' }] };
    const result = await refused(rows);
    expect(result.__typename).toBe('ValidationError');
    expect(result.issues).toEqual([{ path: ['rows', '7'], message: expect.stringMatching(/rows 3 and 7 are the same observation/) }]);
  });

  it('an unknown region code', async () => {
    const rows = batch(20);
    rows[12] = { ...rows[12]!, region: '99' };
    expect(await refused(rows)).toMatchObject({ __typename: 'NotFoundError', type: 'Region', id: '99', path: ['rows', '12', 'region'] });
  });

  it('an organisation ID of the wrong type, and one of no organisation', async () => {
    const rows = batch(5);
    const document = gid('Document', 'doc:halland-infobrev-2018-v39');
    rows[1] = { organisation: document, period: '2019-01', value: '1' };
    const wrongType = await refused(rows);
    expect(wrongType.__typename).toBe('ValidationError');
    expect(wrongType.issues).toEqual([{ path: ['rows', '1', 'organisation'], message: 'must be the ID of a Organisation, not of a Document' }]);

    rows[1] = { organisation: missingId('Organisation'), period: '2019-01', value: '1' };
    expect(await refused(rows)).toMatchObject({ __typename: 'NotFoundError', type: 'Organisation', id: MISSING, path: ['rows', '1', 'organisation'] });
  });

  it('a row with no subject, and one with two', async () => {
    const stenblomman = gid('Organisation', 'org:13:stenblommans-vardcentral');
    const rows = batch(5);
    rows[0] = { period: '2019-01', value: '1' };
    rows[4] = { region: '13', organisation: stenblomman, period: '2019-01', value: '1' };
    const result = await refused(rows);
    expect(result.issues.map((issue: any) => issue.path.join('.'))).toEqual(['rows.0.region', 'rows.4.organisation']);
  });

  it('bad dimensions: a name twice, upper case, a value starting with a digit', async () => {
    const rows = batch(4);
    rows[0] = { ...rows[0]!, dimensions: [{ name: 'setting', value: 'home_care' }, { name: 'setting', value: 'joint_planning' }] };
    rows[1] = { ...rows[1]!, dimensions: [{ name: 'Setting', value: 'home_care' }] };
    rows[2] = { ...rows[2]!, dimensions: [{ name: 'setting', value: '1home' }] };
    const result = await refused(rows);
    expect(result.issues.map((issue: any) => issue.path.join('.'))).toEqual([
      'rows.0.dimensions.1.name',
      'rows.1.dimensions.0.name',
      'rows.2.dimensions.0.value',
    ]);
  });

  it('10,001 rows, at ["rows"] alone', async () => {
    const result = await refused(batch(10_001));
    expect(result).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['rows'], message: expect.stringMatching(/at most 10000 rows per call, got 10001/) }] });
  });

  it('huge strings in every field', async () => {
    const rows = batch(6);
    rows[0] = { ...rows[0]!, period: '2018-'.repeat(20_000) };
    rows[1] = { ...rows[1]!, value: '9'.repeat(100_000) };
    rows[2] = { ...rows[2]!, dimensions: [{ name: 'a'.repeat(50_000), value: 'x' }] };
    rows[3] = { ...rows[3]!, dimensions: [{ name: 'setting', value: 'v'.repeat(50_000) }] };
    rows[4] = { ...rows[4]!, region: '1'.repeat(50_000) };
    const result = await refused(rows);
    expect(result.issues.map((issue: any) => issue.path.join('.'))).toEqual([
      'rows.0.period',
      'rows.1.value',
      'rows.2.dimensions.0.name',
      'rows.3.dimensions.0.value',
      'rows.4.region',
    ]);
    const hugeCode = await refused(batch(1), 'X'.repeat(50_000));
    expect(hugeCode).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['indicator'] }] });
  });

  it('an unknown indicator', async () => {
    expect(await refused(batch(2), 'NO_SUCH_INDICATOR')).toMatchObject({ __typename: 'NotFoundError', type: 'Indicator', path: ['indicator'] });
  });

  it('lists at most 100 problems and counts the rest', async () => {
    const rows = batch(300).map((row) => ({ ...row, period: 'never' }));
    const result = await refused(rows);
    expect(result.issues).toHaveLength(101);
    expect(result.issues[100]).toEqual({ path: ['rows'], message: 'and 200 more problems, not listed' });
  });

  it('generated bad rows anywhere in a batch', async () => {
    const before = await databaseChecksum(server);
    const logBefore = await observationChanges();
    const badPeriod = fc.oneof(
      // A period has only digits, '-' and 'Q': any text with another character is not one.
      fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom('x', '/', ' ', '.', 'ä')).map(([text, stray]) => `${text}${stray}`),
      fc.constantFrom('2018-13', '2018-00', '2018-Q5', '18', '2018-5', '2018-Q0', ' 2018', '2018-05-01'),
    );
    const badValue = fc.oneof(
      // A decimal has only digits, one '.' and a leading '-': any text with a letter or a space is not one.
      fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom('x', 'e', ' ', ',', 'ä')).map(([text, stray]) => `${stray}${text}`),
      fc.constantFrom('1e3', '1,5', '.5', '5.', '+5', '0x10', 'NaN', '1.000000001', '1234567890123456'),
    );
    const corruption = fc.oneof(
      badPeriod.map((period) => ({ field: 'period', change: { period } })),
      badValue.map((value) => ({ field: 'value', change: { value } })),
      fc.constantFrom('99', '00', '7', 'SE-N').map((region) => ({ field: 'region', change: { region } })),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.nat(), corruption, async (size, position, { field, change }) => {
        const rows = batch(size);
        const index = position % size;
        rows[index] = { ...rows[index]!, ...change };
        const result = await upsert(rows);
        if (result.__typename === 'NotFoundError') {
          expect(result).toMatchObject({ type: 'Region', path: ['rows', String(index), 'region'] });
        } else {
          expect(result.__typename).toBe('ValidationError');
          expect(result.issues.map((issue: any) => issue.path)).toContainEqual(['rows', String(index), field]);
          expect(result.issues.every((issue: any) => issue.path[1] === String(index))).toBe(true);
        }
      }),
      { numRuns: 25 },
    );
    expect(await observationChanges()).toBe(logBefore);
    expect(await databaseChecksum(server)).toBe(before);
  });
});

describe('who may upsert', () => {
  it('refuses an anonymous caller with ForbiddenError and changes nothing', async () => {
    const before = await databaseChecksum(server);
    const response = await server.graphql(UPSERT, { indicator: 'SIP_MEETINGS', rows: [sip('2019-03', 'home_care', null, '1')] }, as.anonymous);
    expect(response.data!.upsertObservations).toEqual({
      __typename: 'ForbiddenError',
      requiredScope: 'write',
      message: expect.stringMatching(/"write" scope/),
    });
    expect(await databaseChecksum(server)).toBe(before);
  });

  it('refuses a revoked key as unauthenticated (401) and changes nothing', async () => {
    const before = await databaseChecksum(server);
    const response = await server.graphql(UPSERT, { indicator: 'SIP_MEETINGS', rows: [sip('2019-03', 'home_care', null, '1')] }, as.revoked);
    expect(response.status).toBe(401);
    expect(await databaseChecksum(server)).toBe(before);
  });

  it('lets an admin key write', async () => {
    expect(await upsert([sip('2019-03', 'home_care', null, '1')], as.admin)).toMatchObject({ inserted: 1 });
  });
});
