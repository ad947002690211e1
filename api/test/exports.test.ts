import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Callers } from './support/auth.ts';
import { gid } from './support/ids.ts';
import type { GraphQLResponse, TestServer } from './support/server.ts';
import { RESULT, startWriteTest } from './support/writes.ts';

/*
 * /export/observations.csv and .ndjson over HTTP, on the seeded data: the Halland table of SIP
 * meetings held in May–August 2018 (db/seed/halland-dialogmote-2018-09-19.json), per setting and
 * ownership, with the totals without "ownership", and two Kronoberg indicators. Expected values
 * are written out here from the document, not computed by the export.
 */

let server: TestServer;
let as: Callers;

beforeAll(async () => {
  ({ server, as } = await startWriteTest());
});
afterAll(() => server?.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });

async function csv(path: string): Promise<Record<string, string>[]> {
  const response = await get(path);
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
  return parse(await response.text(), { columns: true }) as Record<string, string>[];
}

async function header(path: string): Promise<string> {
  const text = await (await get(path)).text();
  return text.slice(0, text.indexOf('\n'));
}

const UPSERT = /* GraphQL */ `
  mutation Upsert($indicator: String!, $rows: [ObservationRowInput!]!) {
    upsertObservations(indicator: $indicator, rows: $rows) {
      ${RESULT}
      ... on UpsertObservationsResult { inserted updated unchanged }
    }
  }
`;

async function upsert(indicator: string, rows: Record<string, unknown>[]) {
  const response = await server.graphql(UPSERT, { indicator, rows }, as.write);
  expect(response.errors).toBeUndefined();
  expect(response.data!.upsertObservations.__typename).toBe('UpsertObservationsResult');
  return response.data!.upsertObservations;
}

const OBSERVATIONS = /* GraphQL */ `
  query Observations($filter: ObservationFilter, $after: String) {
    observations(filter: $filter, first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { id period periodStart value deletedAt indicator { code } region { code } organisation { id } dimensions { name value } } }
    }
  }
`;

interface ObservationNode {
  id: string;
  period: string;
  periodStart: string;
  value: string;
  deletedAt: string | null;
  indicator: { code: string };
  region: { code: string } | null;
  organisation: { id: string } | null;
  dimensions: { name: string; value: string }[];
}

/** Every observation the GraphQL list gives for a filter, page by page. */
async function graphqlList(filter: Record<string, unknown>): Promise<ObservationNode[]> {
  const nodes: ObservationNode[] = [];
  let after: string | null = null;
  for (;;) {
    const response: GraphQLResponse<Record<string, any>> = await server.graphql(OBSERVATIONS, { filter, after });
    expect(response.errors).toBeUndefined();
    const page: { edges: { node: ObservationNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = response.data!.observations;
    nodes.push(...page.edges.map((edge: { node: ObservationNode }) => edge.node));
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}

/** A GraphQL node written as an export row (dimension columns of the export given). */
function asRow(node: ObservationNode, dimensionColumns: string[]): Record<string, string> {
  const dimensions = Object.fromEntries(node.dimensions.map((d) => [d.name, d.value]));
  return {
    id: node.id,
    indicator: node.indicator.code,
    region: node.region?.code ?? '',
    organisation: node.organisation?.id ?? '',
    period: node.period,
    period_start: node.periodStart,
    value: node.value,
    deleted_at: node.deletedAt ?? '',
    ...Object.fromEntries(dimensionColumns.map((name) => [name, dimensions[name] ?? ''])),
  };
}

const STENBLOMMAN = gid('Organisation', 'org:13:stenblommans-vardcentral');

describe('observations.csv on the seed data', () => {
  it('writes the importer’s shape: a header, one row per observation, one column per dimension', async () => {
    expect(await header('/export/observations.csv')).toBe(
      'indicator,region,organisation,period,period_start,value,ownership,setting,updated_at,deleted_at,id',
    );
    const rows = await csv('/export/observations.csv?indicator=SIP_MEETINGS&from=2018-05&to=2018-05');
    const cells = rows.map((row) => [row.region, row.organisation, row.period, row.value, row.ownership, row.setting].join('|')).sort();
    expect(cells).toEqual(
      [
        '13||2018-05|101||home_care',
        '13||2018-05|279||joint_planning',
        '13||2018-05|52|public|home_care',
        '13||2018-05|175|public|joint_planning',
        '13||2018-05|49|private|home_care',
        '13||2018-05|104|private|joint_planning',
      ].sort(),
    );
    for (const row of rows) {
      expect(row.indicator).toBe('SIP_MEETINGS');
      expect(row.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(row.deleted_at).toBe('');
      expect(Buffer.from(row.id!, 'base64').toString()).toMatch(/^Observation:[0-9a-f-]{36}$/);
    }
  });

  it('leaves out dimension columns no selected row has', async () => {
    expect(await header('/export/observations.csv?indicator=SIP_MEETINGS&dimension.ownership=')).toBe(
      'indicator,region,organisation,period,period_start,value,setting,updated_at,deleted_at,id',
    );
    const rows = await csv('/export/observations.csv?indicator=SIP_MEETINGS&dimension.ownership=');
    expect(rows.map((row) => row.value).sort((a, b) => Number(a) - Number(b))).toEqual(['81', '86', '100', '101', '221', '244', '271', '279']);
  });

  it('orders rows the same way every time', async () => {
    const first = await (await get('/export/observations.csv')).text();
    const second = await (await get('/export/observations.csv')).text();
    expect(second).toBe(first);
  });
});

describe('the same meaning as the GraphQL list', () => {
  beforeAll(async () => {
    // Rows of every kind: an organisation as subject, exact decimals, a third dimension, a deleted one.
    await upsert('CONTINUITY_INDEX_DOCTOR_18M', [
      { organisation: STENBLOMMAN, period: '2024', value: '0.12345678' },
      { organisation: STENBLOMMAN, period: '2024-Q2', value: '-123456789012345.5' },
      { region: '07', period: '2023-11', value: '0.5', dimensions: [{ name: 'gender', value: 'women' }] },
      { region: '07', period: '2023-11', value: '0.25', dimensions: [{ name: 'gender', value: 'men' }] },
    ]);
    const [doomed] = await graphqlList({ indicator: ['CONTINUITY_INDEX_DOCTOR_18M'], region: '07', dimensions: [{ name: 'gender', value: 'men' }] });
    const version = await server.graphql(`query { node(id: "${doomed!.id}") { ... on Observation { version } } }`);
    const deleted = await server.graphql(
      `mutation { deleteObservation(id: "${doomed!.id}", version: ${version.data!.node.version}) { __typename } }`,
      {},
      as.write,
    );
    expect(deleted.data!.deleteObservation.__typename).toBe('Observation');
  });

  const cases: { query: string; filter: Record<string, unknown>; count: number }[] = [
    { query: '', filter: {}, count: 27 },
    { query: 'indicator=SIP_MEETINGS', filter: { indicator: ['SIP_MEETINGS'] }, count: 24 },
    { query: 'indicator=SIP_MEETINGS,CONTINUITY_INDEX_DOCTOR_18M', filter: { indicator: ['SIP_MEETINGS', 'CONTINUITY_INDEX_DOCTOR_18M'] }, count: 27 },
    { query: 'indicator=SIP_MEETINGS&indicator=CONTINUITY_INDEX_DOCTOR_18M', filter: { indicator: ['SIP_MEETINGS', 'CONTINUITY_INDEX_DOCTOR_18M'] }, count: 27 },
    { query: 'region=13', filter: { region: '13' }, count: 24 },
    { query: 'region=07', filter: { region: '07' }, count: 1 },
    { query: `organisation=${encodeURIComponent(STENBLOMMAN)}`, filter: { organisation: STENBLOMMAN }, count: 2 },
    { query: 'from=2018-06&to=2018-07', filter: { periodFrom: '2018-06', periodTo: '2018-07' }, count: 12 },
    { query: 'from=2024', filter: { periodFrom: '2024' }, count: 2 },
    { query: 'to=2018', filter: { periodTo: '2018' }, count: 24 },
    { query: 'grain=quarter', filter: { grain: 'QUARTER' }, count: 1 },
    { query: 'dimension.ownership=private', filter: { dimensions: [{ name: 'ownership', value: 'private' }] }, count: 8 },
    { query: 'dimension.ownership=*', filter: { dimensions: [{ name: 'ownership', present: true }] }, count: 16 },
    { query: 'dimension.ownership=&indicator=SIP_MEETINGS', filter: { indicator: ['SIP_MEETINGS'], dimensions: [{ name: 'ownership', present: false }] }, count: 8 },
    { query: 'dimension.ownership=public&dimension.setting=home_care', filter: { dimensions: [{ name: 'ownership', value: 'public' }, { name: 'setting', value: 'home_care' }] }, count: 4 },
    { query: 'includeDeleted=true&region=07', filter: { includeDeleted: true, region: '07' }, count: 2 },
    { query: 'updatedSince=2000-01-01T00:00:00Z&region=07', filter: { updatedSince: '2000-01-01T00:00:00Z', region: '07' }, count: 2 },
  ];

  it.each(cases)('?$query', async ({ query, filter, count }) => {
    const rows = await csv(`/export/observations.csv?${query}`);
    const nodes = await graphqlList(filter);
    expect(rows).toHaveLength(count);
    expect(nodes).toHaveLength(count);
    const dimensionColumns = Object.keys(rows[0] ?? {}).filter(
      (name) => !['indicator', 'region', 'organisation', 'period', 'period_start', 'value', 'updated_at', 'deleted_at', 'id'].includes(name),
    );
    const byId = (a: { id?: string }, b: { id?: string }) => (a.id! < b.id! ? -1 : 1);
    const exported = rows.map(({ updated_at: _updatedAt, ...row }) => row).sort(byId);
    expect(exported).toEqual(nodes.map((node) => asRow(node, dimensionColumns)).sort(byId));
  });

  it('keeps decimals exact and writes the organisation by its ID', async () => {
    const rows = await csv(`/export/observations.csv?organisation=${encodeURIComponent(STENBLOMMAN)}`);
    expect(rows.map((row) => [row.period, row.value, row.region, row.organisation]).sort()).toEqual([
      ['2024', '0.12345678', '', STENBLOMMAN],
      ['2024-Q2', '-123456789012345.5', '', STENBLOMMAN],
    ]);
  });

  it('writes a deleted observation with its deletion time', async () => {
    const rows = await csv('/export/observations.csv?includeDeleted&region=07');
    const men = rows.find((row) => row.gender === 'men')!;
    expect(men.value).toBe('0.25');
    expect(men.deleted_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(rows.find((row) => row.gender === 'women')!.deleted_at).toBe('');
  });
});

describe('one shape both ways', () => {
  it('refuses to store a dimension named like a column of the CSV shape', async () => {
    const response = await server.graphql(
      UPSERT,
      { indicator: 'SIP_MEETINGS', rows: [{ region: '13', period: '2019', value: '1', dimensions: [{ name: 'period', value: 'spring' }] }] },
      as.write,
    );
    const result = response.data!.upsertObservations;
    expect(result.__typename).toBe('ValidationError');
    expect(result.issues).toEqual([
      { path: ['rows', '0', 'dimensions', '0', 'name'], message: expect.stringContaining('must not be a column of the CSV shape') },
    ]);
    expect(await header('/export/observations.csv?indicator=SIP_MEETINGS')).toBe(
      'indicator,region,organisation,period,period_start,value,ownership,setting,updated_at,deleted_at,id',
    );
  });
});

describe('observations.ndjson', () => {
  it('has the rows of the CSV, one JSON object a line, decimals as exact JSON numbers', async () => {
    const response = await get(`/export/observations.ndjson?organisation=${encodeURIComponent(STENBLOMMAN)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const text = await response.text();
    const lines = text.trimEnd().split('\n').sort((a, b) => (JSON.parse(a).period < JSON.parse(b).period ? -1 : 1));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('"value":-123456789012345.5,');
    const objects = lines.map((line) => JSON.parse(line));
    expect(Object.keys(objects[0])).toEqual(['indicator', 'region', 'organisation', 'period', 'period_start', 'value', 'updated_at', 'deleted_at', 'id']);
    expect(objects[0]).toMatchObject({ indicator: 'CONTINUITY_INDEX_DOCTOR_18M', region: null, organisation: STENBLOMMAN, period: '2024', value: 0.12345678, deleted_at: null });
  });

  it('matches the CSV row for row', async () => {
    const rows = await csv('/export/observations.csv?indicator=SIP_MEETINGS');
    const objects = (await (await get('/export/observations.ndjson?indicator=SIP_MEETINGS')).text())
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects.map((object) => Object.fromEntries(Object.entries(object).map(([key, value]) => [key, value === null ? '' : String(value)])))).toEqual(rows);
  });
});

describe('caching', () => {
  it('answers 304 to If-None-Match and If-Modified-Since, and a new ETag after a change', async () => {
    const path = '/export/observations.csv?indicator=SIP_MEETINGS&region=13';
    const first = await get(path);
    await first.text();
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=60');
    expect(new Date(lastModified).getTime()).toBeGreaterThan(Date.parse('2020-01-01'));

    const again = await get(path, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect((await get(path, { 'if-modified-since': lastModified })).status).toBe(304);
    // Another format or filter is another resource.
    expect((await get(path.replace('.csv', '.ndjson'), { 'if-none-match': etag })).status).toBe(200);
    expect((await get(`${path}&grain=month`, { 'if-none-match': etag })).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 1100)); // Last-Modified has whole seconds
    await upsert('SIP_MEETINGS', [{ region: '13', period: '2018-05', value: '102', dimensions: [{ name: 'setting', value: 'home_care' }] }]);
    const changed = await get(path, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(await changed.text()).toContain('13,,2018-05,2018-05-01,102,,home_care');
    expect((await get(path, { 'if-modified-since': lastModified })).status).toBe(200);
    await upsert('SIP_MEETINGS', [{ region: '13', period: '2018-05', value: '101', dimensions: [{ name: 'setting', value: 'home_care' }] }]);
  });

  it('answers HEAD with the headers only', async () => {
    const response = await fetch(`${server.url}/export/observations.csv?indicator=SIP_MEETINGS`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-total-count')).toBe('24');
    expect(response.headers.get('etag')).toBeTruthy();
  });
});

describe('bad requests', () => {
  const refusals: [string, string][] = [
    ['from=2018-13', 'from'],
    ['to=last-year', 'to'],
    ['from=2019&to=2018', 'from'],
    ['updatedSince=yesterday', 'updatedSince'],
    ['includeDeleted=maybe', 'includeDeleted'],
    ['region=Narnia', 'region'],
    ['region=00', 'region'],
    ['region=13&region=07', 'region'],
    ['indicator=sip', 'indicator'],
    ['organisation=nonsense', 'organisation'],
    [`organisation=${encodeURIComponent(gid('Region', 'region:13'))}`, 'organisation'],
    ['grain=week', 'grain'],
    ['dimension.Ownership=public', 'dimension.Ownership'],
    ['dimension.ownership=Public', 'dimension.ownership'],
    ['page=2', 'page'],
  ];
  it.each(refusals)('?%s is refused naming %s', async (query, parameter) => {
    const response = await get(`/export/observations.csv?${query}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as { error: string; parameter: string };
    expect(body.parameter).toBe(parameter);
    expect(body.error).toContain(parameter.split('.')[0]);
  });

  it('answers 404 for an export that does not exist, 405 for a POST', async () => {
    expect((await get('/export/people.csv')).status).toBe(404);
    expect((await get('/export/observations.xlsx')).status).toBe(404);
    expect((await fetch(`${server.url}/export/observations.csv`, { method: 'POST' })).status).toBe(405);
  });

  it('answers OPTIONS (204) and a preflight from any origin for reads', async () => {
    const plain = await fetch(`${server.url}/export/observations.csv`, { method: 'OPTIONS' });
    expect(plain.status).toBe(204);
    expect(plain.headers.get('allow')).toContain('GET');
    const preflight = await fetch(`${server.url}/export/observations.csv`, {
      method: 'OPTIONS',
      headers: { origin: 'https://sheets.example.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('if-none-match');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
  });

  it('lists the exports and their parameters at /export', async () => {
    const response = await get('/export');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { exports: { name: string; urls: string[]; parameters: { name: string }[] }[] };
    const observations = body.exports.find((entry) => entry.name === 'observations')!;
    expect(observations.urls).toEqual(['/export/observations.csv', '/export/observations.ndjson']);
    expect(observations.parameters.map((p) => p.name)).toEqual([
      'indicator', 'region', 'organisation', 'from', 'to', 'grain', 'updatedSince', 'includeDeleted', 'dimension.<name>',
    ]);
  });
});

describe('many rows', () => {
  it('streams every row across many batches, in a stable order, without repeats', async () => {
    // 4,500 observations: more than two of the export's batches (2,000 rows).
    const rows = [];
    for (let month = 0; month < 150; month += 1) {
      const period = `${2000 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
      for (let n = 0; n < 30; n += 1) rows.push({ region: '18', period, value: `${month}.${n}`, dimensions: [{ name: 'unit', value: `u${n}` }] });
    }
    for (let start = 0; start < rows.length; start += 1000) await upsert('HOME_AND_HOME_CARE_VISITS_PER_1000_LISTED', rows.slice(start, start + 1000));
    const exported = await csv('/export/observations.csv?region=18');
    expect(exported).toHaveLength(4500);
    expect(new Set(exported.map((row) => row.id)).size).toBe(4500);
    expect(new Set(exported.map((row) => `${row.period}|${row.unit}|${row.value}`)).size).toBe(4500);
    if (process.env.DATABASE_URL) {
      // On PostgreSQL by the observation's identity (indicator, subject, period, dimensions): here,
      // one indicator in one region, by period, then by the one dimension's value.
      const identities = exported.map((row) => `${row.period}|${row.unit}`);
      expect(identities).toEqual([...identities].sort());
    } else {
      // On the embedded database by the observation's UUID, the keyset of its pages.
      const uuids = exported.map((row) => Buffer.from(row.id!, 'base64').toString().split(':')[1]!);
      expect(uuids).toEqual([...uuids].sort());
    }
    expect(exported.find((row) => row.period === '2012-06' && row.unit === 'u29')!.value).toBe('149.29');
  });
});
