import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../sdk/src/index.ts';
import { gid } from './support/ids.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
});
afterAll(() => server?.close());

const nodes = (connection: any) => connection.edges.map((edge: any) => edge.node);
const SEKTORSBIDRAG = gid('GrantProgramme', 'grant-programme:kronoberg-revisionssvar-2025-03-25:sektorsbidrag');
const STATSBIDRAG = gid('GrantProgramme', 'grant-programme:kronoberg-revisionssvar-2025-03-25:statsbidrag-nara-vard');
const VARDVAL = gid('GrantProgramme', 'grant-programme:kronoberg-revisionssvar-2025-03-25:vardval-primarvard-ersattning');
const PSYKISK_HALSA = gid('GrantProgramme', 'grant-programme:halland-dialogmote-2018-09-19:psykisk-halsa');

async function graphql(query: string, variables: Record<string, unknown> = {}) {
  const response = await server.graphql(query, variables);
  expect(response.errors).toBeUndefined();
  return response.data as any;
}

const ALLOCATIONS = `query ($filter: AllocationFilter, $orderBy: AllocationOrder, $first: Int, $after: String) {
  allocations(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id period amountSek rateSek rateMaxSek capSek programme { id name } region { code } } }
  }
}`;

describe('allocations', () => {
  it('lists the four Kronoberg allocations, newest period first and undated last', async () => {
    const data = await graphql(ALLOCATIONS, { first: 10 });
    expect(data.allocations.totalCount).toBe(4);
    const all = nodes(data.allocations);
    expect(all[0]).toMatchObject({ period: '2024-09', amountSek: '30000000.00', programme: { id: SEKTORSBIDRAG }, region: { code: '07' } });
    expect(all.slice(1).map((node: any) => node.period)).toEqual([null, null, null]);
    const rates = all.filter((node: any) => node.rateSek !== null).map((node: any) => [node.rateSek, node.rateMaxSek]);
    expect(rates.sort()).toEqual([
      ['148.00', null],
      ['4.00', '44.00'],
    ]);
  });

  it('filters by programme, region, period and text, and pages without repeats', async () => {
    const byProgramme = await graphql(ALLOCATIONS, { first: 10, filter: { programme: SEKTORSBIDRAG } });
    expect(byProgramme.allocations.totalCount).toBe(2);
    expect(nodes(byProgramme.allocations).every((node: any) => node.programme.id === SEKTORSBIDRAG)).toBe(true);
    const vardval = await graphql(ALLOCATIONS, { first: 10, filter: { programme: VARDVAL } });
    expect(nodes(vardval.allocations).map((node: any) => node.capSek).sort()).toEqual(['180000.00', null]);
    const text = await graphql(ALLOCATIONS, { first: 10, filter: { text: 'listad' } });
    expect(text.allocations.totalCount).toBeGreaterThanOrEqual(1);
    const in2024 = await graphql(ALLOCATIONS, { first: 10, filter: { periodFrom: '2024', periodTo: '2024' } });
    expect(nodes(in2024.allocations).map((node: any) => node.period)).toEqual(['2024-09']);
    const halland = await graphql(ALLOCATIONS, { first: 10, filter: { region: '13' } });
    expect(halland.allocations.totalCount).toBe(0);

    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const data: any = await graphql(ALLOCATIONS, { first: 3, after, orderBy: 'AMOUNT_DESC' });
      seen.push(...nodes(data.allocations).map((node: any) => node.id));
      if (!data.allocations.pageInfo.hasNextPage) break;
      after = data.allocations.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
  });

  it('refuses a programme filter that is not a GrantProgramme ID, saying where', async () => {
    const response = await server.graphql(ALLOCATIONS, { first: 1, filter: { programme: gid('Region', 'region:07') } });
    expect(response.errors?.[0]?.message).toBe('"programme" must be an ID of type GrantProgramme, got an ID of type Region');
  });
});

describe('grant programmes by region', () => {
  it('keeps the programmes with a grant to or an allocation in the region', async () => {
    const query = `query ($region: String) { grantProgrammes(first: 20, filter: { region: $region }) { totalCount edges { node { id } } } }`;
    const kronoberg = await graphql(query, { region: '07' });
    expect(nodes(kronoberg.grantProgrammes).map((node: any) => node.id).sort()).toEqual([SEKTORSBIDRAG, STATSBIDRAG, VARDVAL].sort());
    const halland = await graphql(query, { region: '13' });
    expect(nodes(halland.grantProgrammes).map((node: any) => node.id)).toEqual([PSYKISK_HALSA]);
    const orebro = await graphql(query, { region: '18' });
    expect(orebro.grantProgrammes.totalCount).toBe(0);
    const all = await graphql(`{ grantProgrammes(first: 20) { totalCount } }`);
    expect(all.grantProgrammes.totalCount).toBe(5);
  });
});

describe('grantAggregates', () => {
  it('sums by region exactly, flagging approximate amounts', async () => {
    const data = await graphql(`{ grantAggregates(groupBy: [REGION]) { region { code } programme { id } year count amountCount sumSek approximate } }`);
    expect(data.grantAggregates).toEqual([
      { region: { code: '07' }, programme: null, year: null, count: 2, amountCount: 2, sumSek: '97900000.00', approximate: true },
      { region: { code: '13' }, programme: null, year: null, count: 1, amountCount: 1, sumSek: '17000000.00', approximate: false },
    ]);
  });

  it('sums by programme and year, and only what the filter keeps', async () => {
    const data = await graphql(`{ grantAggregates(groupBy: [PROGRAMME, YEAR]) { programme { name } year count sumSek approximate } }`);
    expect(data.grantAggregates).toEqual([
      { programme: { name: 'Statlig satsning på psykisk hälsa' }, year: 2018, count: 1, sumSek: '17000000.00', approximate: false },
      { programme: { name: 'Statsbidrag för nära vård' }, year: 2024, count: 1, sumSek: '46000000.00', approximate: true },
      { programme: { name: 'Statsbidrag för nära vård' }, year: 2025, count: 1, sumSek: '51900000.00', approximate: false },
    ]);
    const awarded = await graphql(`{ grantAggregates(filter: { status: [AWARDED], region: "07" }) { count sumSek } }`);
    expect(awarded.grantAggregates).toEqual([{ count: 1, sumSek: '46000000.00' }]);
    const none = await graphql(`{ grantAggregates(groupBy: [YEAR], filter: { region: "18" }) { count sumSek } }`);
    expect(none.grantAggregates).toEqual([]);
  });

  it('reads the same through the SDK, with the allocations list', async () => {
    const client = createClient({ url: `${server.url}/graphql` });
    const { grantAggregates } = await client.grantAggregates({ groupBy: ['REGION', 'YEAR'], filter: { region: '07' } });
    expect(grantAggregates.map((group) => [group.region?.code, group.year, group.sumSek])).toEqual([
      ['07', 2024, '46000000.00'],
      ['07', 2025, '51900000.00'],
    ]);
    const { allocations } = await client.allocations({ first: 10, filter: { region: '07' }, orderBy: 'PERIOD_DESC' });
    expect(allocations.totalCount).toBe(4);
    const { grantProgrammes } = await client.grantProgrammes({ first: 10, filter: { region: '13' } });
    expect(grantProgrammes.edges.map((edge) => edge.node.id)).toEqual([PSYKISK_HALSA]);
  });
});
