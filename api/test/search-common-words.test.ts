import { selectRows } from '@naravard/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RANKED_PER_TYPE } from '../src/schema/search/sources.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/*
 * A common word is ranked among the first RANKED_PER_TYPE matches of each type that a scan finds.
 * Those must be the same records every time: PostgreSQL otherwise starts a scan of a large table
 * (over a quarter of its shared buffers) where another scan of it last was, and the same search
 * then ranked other records. Here decisions fill more than that, every one of them with the word.
 */

let server: TestServer;
let decisionCount = 0;

const SEARCH = `query Search($query: String!, $first: Int!, $after: String) {
  search(query: $query, types: [DECISION], first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { rank record { ... on Decision { id } } } }
  }
}`;

interface SearchPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string };
  edges: { node: { rank: number; record: { id: string } } }[];
}

async function search(first: number, after?: string): Promise<SearchPage> {
  const response = await server.graphql<{ search: SearchPage }>(SEARCH, { query: 'vårdcentral', first, after });
  expect(response.errors).toBeUndefined();
  return response.data!.search;
}

const idsOf = (page: SearchPage) => page.edges.map((edge) => edge.node.record.id);

/**
 * A scan of decisions by another client that stops far into the table, under PostgreSQL's
 * default for synchronized scans: it leaves its place for the next scan to start from.
 */
async function scanDecisionsElsewhere(): Promise<void> {
  await server.database.db.transaction(async (tx) => {
    await tx.execute(sql`set local synchronize_seqscans = on`);
    const [far] = await selectRows<{ n: number }>(tx, sql`select count(*)::int as n from (select id from decisions offset ${decisionCount - 10} limit 1) as far`);
    expect(far).toEqual({ n: 1 });
  });
}

beforeAll(async () => {
  server = await startTestServer();
  const db = server.database.db;
  const [buffers] = await selectRows<{ pages: number }>(db, sql`select setting::int as pages from pg_settings where name = 'shared_buffers'`);
  // About 950 bytes a decision, 8 to a page: a quarter of the shared buffers and 256 pages more.
  decisionCount = (Math.ceil(buffers!.pages / 4) + 256) * 8;
  // One statement fills tens of thousands of decisions and their search words: on a loaded
  // machine it outlasts the platform's statement limit, which is for requests, not for set-up.
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local statement_timeout = 0`);
    // Each text has the word once or twice, so ranks differ; the rest is a digest repeated.
    await tx.execute(sql`insert into decisions (kind, text, decided_on)
      select 'decision', 'Vårdcentral ' || case when n % 7 = 0 then 'vårdcentral ' else '' end || repeat(md5(n::text) || ' ', 26),
        date '2024-01-01' + (n % 365)
      from generate_series(1, ${decisionCount}::int) as n`);
    await tx.execute(sql`analyze decisions`);
  });
}, 180_000);
afterAll(() => server?.close());

describe('search for a word in more records than it ranks', () => {
  it('ranks the same records each time, whatever scanned the table before', async () => {
    const first = await search(10);
    expect(first.totalCount).toBe(decisionCount);
    expect(first.edges).toHaveLength(10);
    for (let round = 0; round < 3; round++) {
      await scanDecisionsElsewhere();
      expect(idsOf(await search(10))).toEqual(idsOf(first));
    }
  });

  it('so each page continues the one before, up to the ranked records, while totalCount counts every match', async () => {
    const whole = await search(100);
    expect(whole.edges).toHaveLength(RANKED_PER_TYPE);
    const ids = idsOf(whole);
    expect(new Set(ids).size).toBe(RANKED_PER_TYPE);
    // Best first: the texts with the word twice rank above those with it once.
    const ranks = whole.edges.map((edge) => edge.node.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(ranks[0]).toBeGreaterThan(ranks[ranks.length - 1]!);

    const paged: string[] = [];
    const more: boolean[] = [];
    let after: string | undefined;
    for (let page = 0; page < RANKED_PER_TYPE / 25; page++) {
      await scanDecisionsElsewhere();
      const next = await search(25, after);
      paged.push(...idsOf(next));
      more.push(next.pageInfo.hasNextPage);
      after = next.pageInfo.endCursor;
    }
    expect(paged).toEqual(ids);
    expect(more).toEqual([true, true, true, false]);
    const beyond = await search(25, after);
    expect(beyond.edges).toEqual([]);
    expect(beyond.totalCount).toBe(decisionCount);
  });
});
