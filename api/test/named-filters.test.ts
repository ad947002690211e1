import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUERY } from '../../packages/explorer/src/default-query.ts';
import { gid } from './support/ids.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/** Filters that name a region, a topic or an organisation take names as people type them. */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
});
afterAll(() => server?.close());

async function data(query: string, variables?: Record<string, unknown>) {
  const response = await server.graphql(query, variables);
  expect(response.errors).toBeUndefined();
  return response.data!;
}

async function refusal(query: string, variables?: Record<string, unknown>) {
  const response = await server.graphql(query, variables);
  expect(response.errors).toHaveLength(1);
  const [error] = response.errors!;
  expect(error!.extensions?.code).toBe('BAD_USER_INPUT');
  return error!;
}

describe('a region by county code or name', () => {
  it('"Örebro", "Region Örebro län", "orebro lan" and "SE-T" are region 18, for every list and search', async () => {
    const byCode = await data(`{
      decisions(first: 100, filter: { region: "18" }) { totalCount }
      assignments(first: 100, filter: { region: "18" }) { totalCount }
      meetings(first: 100, filter: { region: "18" }) { totalCount }
      search(query: "vårdcentral", region: "18", first: 100) { totalCount edges { node { region { code } } } }
    }`);
    expect(byCode.decisions.totalCount).toBeGreaterThan(0);
    expect(byCode.assignments.totalCount).toBe(23);
    for (const name of ['Örebro', 'Region Örebro län', 'orebro lan', 'ÖREBRO', 'SE-T', ' Örebro  län ']) {
      const byName = await data(
        `query ($region: String!) {
          decisions(first: 100, filter: { region: $region }) { totalCount }
          assignments(first: 100, filter: { region: $region }) { totalCount }
          meetings(first: 100, filter: { region: $region }) { totalCount }
          search(query: "vårdcentral", region: $region, first: 100) { totalCount edges { node { region { code } } } }
        }`,
        { region: name },
      );
      expect(byName).toEqual(byCode);
    }
    for (const { node } of byCode.search.edges) expect(node.region.code).toBe('18');
  });

  it('Kronoberg and Halland by their county names too, on nested lists', async () => {
    const result = await data(`{
      kronoberg: decisions(first: 100, filter: { region: "Kronobergs län" }) { edges { node { region { code } } } }
      halland: regions(first: 25) { edges { node { code meetings(first: 5, filter: { region: "Region Halland" }) { totalCount } } } }
    }`);
    expect(result.kronoberg.edges.length).toBeGreaterThan(0);
    for (const { node } of result.kronoberg.edges) expect(node.region.code).toBe('07');
    for (const { node } of result.halland.edges) {
      if (node.code === '13') expect(node.meetings.totalCount).toBeGreaterThan(0);
      else expect(node.meetings.totalCount).toBe(0);
    }
  });

  it('an unknown region name is refused at its argument, with the closest names, never zero rows', async () => {
    const error = await refusal(`{ decisions(filter: { region: "Örbero" }) { totalCount } }`);
    expect(error.extensions?.argument).toBe('filter.region');
    expect(error.message).toMatch(/no region is called "Örbero"/);
    expect(error.message).toMatch(/Region Örebro län/);
    const code = await refusal(`{ meetings(filter: { region: "99" }) { totalCount } }`);
    expect(code.extensions?.argument).toBe('filter.region');
    expect(code.message).toMatch(/no region has the county code "99"/);
    const search = await refusal(`{ search(query: "vårdcentral", region: "Kronoborg") { totalCount } }`);
    expect(search.extensions?.argument).toBe('region');
    expect(search.message).toMatch(/Region Kronoberg/);
  });
});

describe('a topic by slug or name', () => {
  it('"central kontaktingång" and "Central contact entry" are the topic central-contact-entry', async () => {
    const bySlug = await data(`{
      meetings(first: 100, filter: { topic: "central-contact-entry" }) { totalCount edges { node { id } } }
      decisions(first: 100, filter: { topic: "central-contact-entry" }) { totalCount }
    }`);
    expect(bySlug.meetings.totalCount).toBeGreaterThan(0);
    for (const name of ['central kontaktingång', 'Central Kontaktingang', 'central contact entry']) {
      const byName = await data(
        `query ($topic: String!) {
          meetings(first: 100, filter: { topic: $topic }) { totalCount edges { node { id } } }
          decisions(first: 100, filter: { topic: $topic }) { totalCount }
        }`,
        { topic: name },
      );
      expect(byName).toEqual(bySlug);
    }
  });

  it('an unknown topic is refused with the closest topics', async () => {
    const error = await refusal(`{ decisions(filter: { topic: "central kontakt" }) { totalCount } }`);
    expect(error.extensions?.argument).toBe('filter.topic');
    expect(error.message).toMatch(/no topic has the slug or name "central kontakt"/);
    expect(error.message).toMatch(/central-contact-entry/);
    const slug = await refusal(`{ assignments(filter: { topic: "no-such-topic" }) { totalCount } }`);
    expect(slug.extensions?.argument).toBe('filter.topic');
  });
});

describe('an organisation by ID or name', () => {
  it('a name or alias finds the body, within the region when one is given', async () => {
    const board = gid('Organisation', 'org:18:halso-och-sjukvardsnamnden');
    const byId = await data(`query ($id: ID!) { decisions(first: 100, filter: { organisation: $id }) { totalCount } }`, { id: board });
    expect(byId.decisions.totalCount).toBeGreaterThan(0);
    const byName = await data(`{
      decisions(first: 100, filter: { region: "Örebro", organisation: "hälso- och sjukvårdsnämnden" }) { totalCount }
    }`);
    expect(byName.decisions.totalCount).toBe(byId.decisions.totalCount);
    const alias = await data(`{
      meetings(first: 100, filter: { organisation: "Styrgrupp Nära vård" }) { edges { node { organisation { name } } } }
      byAlias: organisations(first: 5, filter: { parent: "HSN" }) { totalCount }
    }`);
    expect(alias.meetings.edges.length).toBeGreaterThan(0);
    for (const { node } of alias.meetings.edges) expect(node.organisation.name).toBe('Styrgrupp Nära vård');
  });

  it('a name several bodies share is refused with their IDs; an unknown one with the closest names', async () => {
    const ambiguous = await refusal(`{ decisions(filter: { organisation: "Hälso- och sjukvårdsnämnden" }) { totalCount } }`);
    expect(ambiguous.extensions?.argument).toBe('filter.organisation');
    expect(ambiguous.message).toMatch(/2 organisations are called/);
    expect(ambiguous.message).toContain(gid('Organisation', 'org:18:halso-och-sjukvardsnamnden'));
    expect(ambiguous.message).toContain(gid('Organisation', 'org:07:halso-och-sjukvardsnamnden'));
    const unknown = await refusal(`{ meetings(filter: { organisation: "Styrgrup Nära vård" }) { totalCount } }`);
    expect(unknown.extensions?.argument).toBe('filter.organisation');
    expect(unknown.message).toMatch(/no organisation is called "Styrgrup Nära vård". Closest: "Styrgrupp Nära vård"/);
    const wrongType = await refusal(`query ($id: ID!) { decisions(filter: { organisation: $id }) { totalCount } }`, {
      id: gid('Region', 'region:18'),
    });
    expect(wrongType.message).toMatch(/must be an ID of type Organisation/);
  });

  it('names are looked up once per request, not per row or per parent', async () => {
    server.database.resetStatements();
    const result = await data(`{
      regions(first: 25) { edges { node { code decisions(first: 3, filter: { topic: "central kontaktingång", organisation: "Styrgrupp Nära vård" }) { totalCount } } } }
    }`);
    const counts = Object.fromEntries(result.regions.edges.map((edge: any) => [edge.node.code, edge.node.decisions.totalCount]));
    expect(counts['07']).toBeGreaterThan(0);
    // regions, the topic's lookup, the organisation's lookup, the decisions (one window over all regions), their counts.
    expect(server.database.statements).toHaveLength(5);
  });
});

describe('the examples the README and GraphiQL show', () => {
  it('run as written and find records', async () => {
    const readme = (await import('node:fs')).readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = /Filters take what people type[\s\S]*?```graphql\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const result = await data(example!);
    expect(result.decisions.totalCount).toBeGreaterThan(0);
    expect(result.meetings.totalCount).toBeGreaterThan(0);
    expect(result.search.edges.length).toBeGreaterThan(0);
    // GraphiQL's default query filters assignments by a region's name and words (explorer.test.ts checks the rest of it).
    expect(DEFAULT_QUERY).toContain('region: "Örebro"');
    const shown = await data(DEFAULT_QUERY);
    expect(shown.region.meetings.totalCount).toBeGreaterThan(0);
    expect(shown.assignments.edges.map((edge: any) => edge.node.reference)).toEqual(['Nr 4']);
  });
});
