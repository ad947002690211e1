import { tables } from '@naravard/db';
import { eq, isNull } from 'drizzle-orm';
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
    const { db } = server.database;
    const [region] = await db.select().from(tables.regions).where(eq(tables.regions.code, '18'));
    const [short, long] = await db
      .insert(tables.decisions)
      .values([
        { kind: 'decision' as const, regionId: region!.id, decidedOn: '2024-02-01', text: 'Nämnden beslutar att anta handlingsplanen. Planen följs upp i augusti.' },
        {
          kind: 'decision' as const,
          regionId: region!.id,
          text: 'Nämnden beslutar att ge förvaltningen i uppdrag att utreda hur den centrala kontaktingången kan samordnas med vårdcentralernas egna telefonlinjer och digitala kanaler under hela året',
        },
      ])
      .returning();
    const result = await data(
      `query ($short: ID!, $long: ID!) {
        short: node(id: $short) { ... on Decision { title snippet citation } }
        long: node(id: $long) { ... on Decision { title citation } }
      }`,
      { short: globalId('Decision', short!.id), long: globalId('Decision', long!.id) },
    );
    expect(result.short).toEqual({
      title: 'Nämnden beslutar att anta handlingsplanen',
      snippet: 'Nämnden beslutar att anta handlingsplanen. Planen följs upp i augusti.',
      citation: 'Decision, Region Örebro län, 2024-02-01',
    });
    expect(result.long.title).toBe('Nämnden beslutar att ge förvaltningen i uppdrag att utreda hur den centrala kontaktingången kan …');
    expect(result.long.citation).toBe('Decision, Region Örebro län, undated');
  });
});

describe('search covers assignment status reports', () => {
  it('"fast läkarkontakt" finds Örebro assignment Nr 5 by what its status reports say', async () => {
    const result = await data(`{
      search(query: "fast läkarkontakt", types: [ASSIGNMENT], region: "Örebro", first: 50) {
        edges { node { approximate snippet record { ... on Assignment { reference title description reports { text } } } } }
      }
    }`);
    const hits = result.search.edges.map((edge: any) => edge.node);
    const nr5 = hits.find((hit: any) => hit.record.reference === 'Nr 5');
    expect(nr5).toBeDefined();
    expect(nr5.approximate).toBe(false);
    // The words are in its reports, not in its own title or description.
    expect(`${nr5.record.title} ${nr5.record.description ?? ''}`).not.toMatch(/fast läkarkontakt/i);
    expect(nr5.record.reports.some((report: any) => /fast läkarkontakt/i.test(report.text))).toBe(true);
    expect(nr5.snippet).toMatch(/«fast» «läkarkontakt»/i);
  });

  it('a deleted status report no longer finds its assignment', async () => {
    const { db } = server.database;
    const [assignment] = await db.insert(tables.assignments).values({ title: 'Uppdrag utan egna sökord', regionId: (await db.select().from(tables.regions).limit(1))[0]!.id }).returning();
    const [report] = await db.insert(tables.assignmentReports).values({ assignmentId: assignment!.id, text: 'Arbetet med zebrakontinuitet pågår.' }).returning();
    const found = await data(`{ search(query: "zebrakontinuitet", types: [ASSIGNMENT]) { totalCount edges { node { record { ... on Assignment { title } } } } } }`);
    expect(found.search.edges.map((edge: any) => edge.node.record.title)).toEqual(['Uppdrag utan egna sökord']);
    await db.update(tables.assignmentReports).set({ deletedAt: new Date() }).where(eq(tables.assignmentReports.id, report!.id));
    const gone = await data(`{ search(query: "zebrakontinuitet", types: [ASSIGNMENT]) { totalCount } }`);
    expect(gone.search.totalCount).toBe(0);
  });
});
