import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  const { loadReferenceData } = await import('@naravard/db');
  await loadReferenceData(server.database.db);
});
afterAll(() => server?.close());

const REGIONS = /* GraphQL */ `
  query Regions($first: Int, $after: String, $last: Int, $before: String, $filter: RegionFilter, $orderBy: RegionOrder) {
    regions(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
      totalCount
      edges { cursor node { id code name countyName isoCode } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

describe('regions over GraphQL', () => {
  it('lists the 21 regions in county-code order', async () => {
    const response = await server.graphql(REGIONS, { first: 100 });
    expect(response.status).toBe(200);
    expect(response.contentType).toContain('application/graphql-response+json');
    expect(response.errors).toBeUndefined();
    const { regions } = response.data!;
    expect(regions.totalCount).toBe(21);
    expect(regions.edges).toHaveLength(21);
    expect(regions.edges[5].node).toMatchObject({ code: '07', name: 'Region Kronoberg', countyName: 'Kronobergs län', isoCode: 'SE-G' });
    expect(regions.pageInfo.hasNextPage).toBe(false);
  });

  it('pages forward with first/after and back with last/before, without gaps or repeats', async () => {
    const codes: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const response: any = await server.graphql(REGIONS, { first: 5, after });
      const { edges, pageInfo } = response.data.regions;
      codes.push(...edges.map((edge: any) => edge.node.code));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(codes).toHaveLength(21);
    expect(new Set(codes).size).toBe(21);
    expect(codes).toEqual([...codes].sort());

    const last = await server.graphql(REGIONS, { last: 3 });
    expect(last.data!.regions.edges.map((edge: any) => edge.node.code)).toEqual(['23', '24', '25']);
    const before = await server.graphql(REGIONS, { last: 2, before: last.data!.regions.pageInfo.startCursor });
    expect(before.data!.regions.edges.map((edge: any) => edge.node.code)).toEqual(['21', '22']);
    expect(before.data!.regions.pageInfo.hasPreviousPage).toBe(true);
  });

  it('filters by name and orders by name', async () => {
    const response = await server.graphql(REGIONS, { filter: { text: 'land' }, orderBy: 'NAME' });
    const names = response.data!.regions.edges.map((edge: any) => edge.node.name);
    expect(names).toContain('Region Halland');
    expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b, 'sv')));
    expect(response.data!.regions.totalCount).toBe(names.length);
  });

  it('finds a region by code, and any region by its global ID', async () => {
    const byCode = await server.graphql(`{ region(code: "13") { id name } none: region(code: "99") { id } }`);
    expect(byCode.data!.region.name).toBe('Region Halland');
    expect(byCode.data!.none).toBeNull();
    const byId = await server.graphql(`query ($id: ID!) { node(id: $id) { id ... on Region { code } } }`, {
      id: byCode.data!.region.id,
    });
    expect(byId.data!.node).toEqual({ id: byCode.data!.region.id, code: '13' });
  });

  it('refuses a page larger than 100 and a cursor it did not give out, saying which argument', async () => {
    const tooLarge = await server.graphql(REGIONS, { first: 101 });
    expect(tooLarge.errors![0]!.message).toBe('"first" must be at most 100, got 101; page with "after" instead');
    expect(tooLarge.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    const badCursor = await server.graphql(REGIONS, { first: 2, after: 'bm9wZQ' });
    expect(badCursor.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it('counts only when totalCount is asked for', async () => {
    server.database.resetStatements();
    await server.graphql(`{ regions(first: 3) { edges { node { code } } } }`);
    expect(server.database.statements.filter((statement) => /count\(/i.test(statement))).toHaveLength(0);
    server.database.resetStatements();
    await server.graphql(`{ regions(first: 3) { totalCount } }`);
    expect(server.database.statements.filter((statement) => /count\(/i.test(statement))).toHaveLength(1);
  });
});
