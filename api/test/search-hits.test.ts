import { tables } from '@naravard/db';
import { isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalId } from './support/ids.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/** Every kind of record search finds shows a title, a snippet and a citation the same way. */

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

describe('the Searchable interface', () => {
  it('`... on Decision { title } ... on AgendaItem { title }` is a valid query, and every hit has a title, snippet and citation', async () => {
    const result = await data(`{
      search(query: "central kontaktingång", first: 100) {
        edges { node { type record {
          __typename
          ... on Decision { title }
          ... on AgendaItem { title }
          ... on Searchable { snippet citation }
        } } }
      }
    }`);
    const records = result.search.edges.map((edge: any) => edge.node.record);
    expect(records.length).toBeGreaterThan(10);
    const kinds = new Set(records.map((record: any) => record.__typename));
    expect(kinds.has('Decision')).toBe(true);
    expect(kinds.has('AgendaItem')).toBe(true);
    for (const record of records) {
      if (record.__typename === 'Decision' || record.__typename === 'AgendaItem') expect(record.title.length).toBeGreaterThan(0);
      expect(record.snippet.length).toBeGreaterThan(0);
      expect(record.snippet.split(' ').length).toBeLessThanOrEqual(31);
      expect(record.citation).toMatch(/\d{4}-\d{2}-\d{2}|undated/);
    }
  });

  it('asks for title on the interface across all five kinds', async () => {
    const result = await data(`{
      search(query: "vårdcentral", first: 100) { edges { node { type record { __typename ... on Searchable { title snippet citation } } } } }
    }`);
    const byKind = new Map<string, any>();
    for (const { node } of result.search.edges) byKind.set(node.record.__typename, node.record);
    for (const record of byKind.values()) {
      expect(typeof record.title).toBe('string');
      expect(record.title.length).toBeGreaterThan(0);
    }
    const recommendation = byKind.get('Recommendation');
    if (recommendation) {
      expect(recommendation.title).toMatch(/^Recommendation \d+: /);
      expect(recommendation.citation).toMatch(/^Recommendation \d+, /);
    }
  });

  it("a decision recorded without a heading is titled by its text's first sentence", async () => {
    const untitled = await server.database.db.select().from(tables.decisions).where(isNull(tables.decisions.title)).limit(3);
    expect(untitled.length).toBeGreaterThan(0);
    for (const row of untitled) {
      const result = await data(`query ($id: ID!) { node(id: $id) { ... on Decision { title text snippet citation } } }`, {
        id: globalId('Decision', row.id),
      });
      const decision = result.node;
      const text = row.text.replace(/\s+/g, ' ').trim();
      expect(decision.title.length).toBeGreaterThan(0);
      expect(decision.title.length).toBeLessThanOrEqual(102);
      expect(text.startsWith(decision.title.replace(/ …$/, ''))).toBe(true);
      expect(text.startsWith(decision.snippet.replace(/ …$/, ''))).toBe(true);
      expect(decision.citation).toMatch(/^Decision, /);
    }
  });
});
