import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../api/test/support/server.ts';
import { createClient, RequestError } from '../src/index.ts';

/** Filters by name and by words, and search hits' shared fields, through the SDK's operations. */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
});
afterAll(() => server?.close());

describe('the SDK with names and words', () => {
  it('lists decisions by region name and words, as by county code', async () => {
    const client = createClient({ url: `${server.url}/graphql` });
    const byName = await client.decisions({ first: 100, filter: { region: 'Region Örebro län', text: 'handlingsplan patientsäkerhet' } });
    const byCode = await client.decisions({ first: 100, filter: { region: '18', text: 'handlingsplan patientsäkerhet' } });
    expect(byName.decisions.totalCount).toBeGreaterThan(0);
    expect(byName.decisions.edges.map((edge) => edge.node.id)).toEqual(byCode.decisions.edges.map((edge) => edge.node.id));
    for (const { node } of byName.decisions.edges) {
      expect(node.region?.code).toBe('18');
      expect(node.title.length).toBeGreaterThan(0);
    }
    const byTopic = await client.decisions({ first: 100, filter: { topic: 'central kontaktingång' } });
    expect(byTopic.decisions.totalCount).toBeGreaterThan(0);
  });

  it('refuses an unknown region name with a typed error that suggests the closest', async () => {
    const client = createClient({ url: `${server.url}/graphql` });
    const error = await client.decisions({ filter: { region: 'Örbero' } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).code).toBe('BAD_USER_INPUT');
    expect((error as RequestError).errors[0]?.extensions?.argument).toBe('filter.region');
    expect((error as RequestError).message).toMatch(/Region Örebro län/);
  });

  it('searches assignments by their status reports; every hit has a title, snippet and citation', async () => {
    const client = createClient({ url: `${server.url}/graphql` });
    const { search } = await client.search({ query: 'fast läkarkontakt', region: 'Örebro', types: ['ASSIGNMENT'], first: 50 });
    const records = search.edges.map((edge) => edge.node.record);
    const nr5 = records.find((record) => record.__typename === 'Assignment' && record.reference === 'Nr 5');
    expect(nr5).toBeDefined();
    for (const record of records) {
      expect(record.title.length).toBeGreaterThan(0);
      expect(record.snippet.length).toBeGreaterThan(0);
      expect(record.citation).toMatch(/^Assignment Nr \d+, Region Örebro län, /);
    }
  });
});
