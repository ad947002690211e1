import { selectRows, tables } from '@naravard/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wordsInVector } from '../src/filters.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/** Text filters match words the way `search` does: stemmed, accent-folded, whole words. */

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

describe('text filters', () => {
  it('decisions(filter: { text: "central kontaktingång" }) finds the decisions search finds for those words', async () => {
    const result = await data(`{
      decisions(first: 100, filter: { text: "central kontaktingång" }) { totalCount edges { node { id title text } } }
      search(query: "central kontaktingång", types: [DECISION], first: 100) { edges { node { approximate record { ... on Decision { id } } } } }
    }`);
    const found = result.decisions.edges.map((edge: any) => edge.node);
    expect(found.length).toBeGreaterThan(0);
    expect(result.decisions.totalCount).toBe(found.length);
    for (const decision of found) {
      const words = `${decision.title ?? ''} ${decision.text}`.toLowerCase();
      expect(words).toMatch(/central/);
      expect(words).toMatch(/kontakting[aå]ng/);
    }
    const exact = result.search.edges.filter((edge: any) => !edge.node.approximate).map((edge: any) => edge.node.record.id);
    expect(new Set(found.map((decision: any) => decision.id))).toEqual(new Set(exact));
  });

  it('assignments(filter: { text: "Nr 1" }) finds Nr 1, not Nr 10–19', async () => {
    const result = await data(`{ assignments(first: 100, filter: { text: "Nr 1" }) { edges { node { reference } } } }`);
    const references = result.assignments.edges.map((edge: any) => edge.node.reference);
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) expect(reference).toMatch(/^Nr 1\b(?![0-9])/);
    const all = await data(`{ assignments(first: 100, filter: { region: "18" }) { edges { node { reference } } } }`);
    expect(all.assignments.edges.map((edge: any) => edge.node.reference)).toContain('Nr 10');
  });

  it('decisions(filter: { text: "handlingsplan patientsäkerhet" }) finds "handlingsplanen i patientsäkerhet"', async () => {
    const result = await data(`{ decisions(first: 100, filter: { text: "handlingsplan patientsäkerhet" }) { edges { node { text } } } }`);
    const texts: string[] = result.decisions.edges.map((edge: any) => edge.node.text);
    expect(texts.some((text) => /handlingsplanen i patientsäkerhet/i.test(text))).toBe(true);
  });

  it('a dash standing alone in a title is a separator, not an exclusion; against a word it excludes', async () => {
    const title = 'Mötesanteckningar - Styrgrupp Nära vård';
    const result = await data(`{
      titled: documents(first: 100, filter: { text: "${title}" }) { edges { node { title } } }
      excluding: documents(first: 100, filter: { text: "Mötesanteckningar -Styrgrupp" }) { edges { node { title } } }
      search(query: "${title}", types: [DOCUMENT], first: 10) { edges { node { record { ... on Document { title } } } } }
    }`);
    expect(result.titled.edges.map((edge: any) => edge.node.title)).toContain(title);
    expect(result.excluding.edges.map((edge: any) => edge.node.title)).not.toContain(title);
    expect(result.search.edges.map((edge: any) => edge.node.record.title)).toContain(title);
  });

  it('accents and case are ignored, inflections match, and every word must be there', async () => {
    const folded = await data(`{ decisions(first: 100, filter: { text: "HANDLINGSPLAN PATIENTSAKERHET" }) { totalCount } }`);
    const accented = await data(`{ decisions(first: 100, filter: { text: "handlingsplanerna patientsäkerheten" }) { totalCount } }`);
    expect(folded.decisions.totalCount).toBeGreaterThan(0);
    expect(accented.decisions.totalCount).toBe(folded.decisions.totalCount);
    const none = await data(`{ decisions(first: 100, filter: { text: "handlingsplan zyxwvut" }) { totalCount } }`);
    expect(none.decisions.totalCount).toBe(0);
  });

  it('other lists match whole words too: meetings, audits, organisations, citations', async () => {
    const result = await data(`{
      whole: organisations(first: 100, filter: { text: "hälso- och sjukvårdsnämnden" }) { edges { node { name } } }
      part: organisations(first: 100, filter: { text: "sjukvårdsnäm" }) { totalCount }
    }`);
    expect(result.whole.edges.length).toBeGreaterThan(0);
    for (const { node } of result.whole.edges) expect(node.name.toLowerCase()).toMatch(/nämnd/);
    expect(result.part.totalCount).toBe(0);
  });

  it('is answered from the full-text index on a table with many rows', async () => {
    const { db } = server.database;
    await db.execute(sql`insert into decisions (kind, text, region_id)
      select 'decision', 'Beslut nummer ' || n || ' om vårdcentralernas bemanning och uppföljning', (select id from regions where code = '07')
      from generate_series(1, 20000) as n`);
    await db.execute(sql`vacuum analyze decisions`);
    const d = tables.decisions;
    const explain = async (condition: unknown) => {
      const rows = await selectRows<Record<string, string>>(
        db,
        sql`explain select ${d.id} from ${d} where ${condition} and ${d.deletedAt} is null order by ${d.decidedOn} desc nulls last, ${d.id} limit 21`,
      );
      return rows.map((row) => Object.values(row)[0]).join('\n');
    };
    const plan = await explain(wordsInVector(d.searchVector, 'handlingsplan patientsäkerhet'));
    expect(plan).toContain('decisions_search_idx');
    expect(plan).not.toMatch(/Seq Scan on decisions/);
    // Through the API, the rare words are still found among the 20,000 added rows.
    const result = await data(`{ decisions(first: 100, filter: { text: "handlingsplan patientsäkerhet" }) { totalCount } }`);
    expect(result.decisions.totalCount).toBeGreaterThan(0);
    expect(result.decisions.totalCount).toBeLessThan(10);
  });
});
