import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COSTS, LIMITS } from '../src/limits.ts';
import { HEAVIEST_SEARCHES, searches } from './support/heavy.ts';
import { post } from './support/process.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/*
 * The cost model prices what work costs, and a request has a time budget: past it, or when its
 * client leaves, its SQL is cancelled (PostgreSQL) or no further statement is sent (both drivers),
 * and the client gets a typed error.
 */

let priced: TestServer;
let hurried: TestServer;

beforeAll(async () => {
  // A rate limit on, so answers report their cost; a budget too short for the heaviest query.
  priced = await startTestServer({ seed: true, namePrefix: 'naravard_h10_cost', limits: { rateLimitCost: 10_000_000 } });
  hurried = await startTestServer({ seed: true, namePrefix: 'naravard_h10_budget', limits: { requestTimeBudgetMs: 60 } });
}, 120_000);
afterAll(async () => {
  await priced?.close();
  await hurried?.close();
});

const costOf = async (query: string, variables?: Record<string, unknown>) => {
  const response = await priced.graphql(query, variables);
  expect(response.errors).toBeUndefined();
  return (response as unknown as { extensions: { cost: { requested: number } } }).extensions.cost.requested;
};

describe('the cost model', () => {
  it('prices one document by the page sizes and text its variables give, whatever else they hold', async () => {
    const query = 'query Q($n: Int, $text: String, $region: String) { decisions(first: $n, filter: { text: $text, region: $region }) { totalCount edges { node { id text } } } }';
    const small = await costOf(query, { n: 1, region: '07' });
    const large = await costOf(query, { n: 100, region: '07' });
    const filtered = await costOf(query, { n: 1, text: 'kontakt', region: '07' });
    // Worked out by hand: a field costs 1; `edges` 1 + node (1 + id 1 + text 1) = 4, plus totalCount
    // = 5 per page row; the list itself 1 (+500 with a text filter) + 5 × its page size.
    expect([small, large, filtered]).toEqual([6, 501, 506]);
    // The same values again (another region): the same price, from the measure kept for the document.
    expect(await costOf(query, { n: 1, region: '13' })).toBe(small);
    expect(await costOf(query, { n: 100, region: '13' })).toBe(large);
  });

  it('prices a search, an aggregate and a text filter above the rows they return', async () => {
    const rows = await costOf('{ decisions(first: 10) { totalCount } }');
    const filtered = await costOf('{ decisions(first: 10, filter: { text: "kontakt" }) { totalCount } }');
    const search = await costOf('{ search(query: "vårdcentral", first: 10) { totalCount } }');
    const aggregate = await costOf('{ observationAggregates(indicator: "SIP_MEETINGS", groupBy: [REGION]) { count } }');
    expect(rows).toBeLessThan(100);
    expect(filtered - rows).toBe(COSTS.textFilter);
    expect(search).toBeGreaterThanOrEqual(COSTS.search);
    expect(aggregate).toBeGreaterThanOrEqual(COSTS.aggregate);
  });

  it('refuses 30 aliased 200-character searches (finding 1) before touching the database', async () => {
    priced.database.resetStatements();
    const response = await priced.graphql(searches(30));
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'complexity' });
    expect(priced.database.statements).toEqual([]);
  });

  it(`lets through at most ${HEAVIEST_SEARCHES} such searches in one request`, async () => {
    expect((await priced.graphql(searches(HEAVIEST_SEARCHES))).errors).toBeUndefined();
    const over = await priced.graphql(searches(HEAVIEST_SEARCHES + 1));
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maximum: LIMITS.complexity });
  });
});

describe('the time budget', () => {
  // On PostgreSQL these searches take less than the budget; the lock below makes a query wait there.
  it.runIf(!process.env.DATABASE_URL)('stops a request past its budget with TIME_BUDGET_EXCEEDED (503, Retry-After) and sends no statement after', async () => {
    hurried.database.resetStatements();
    const response = await post(hurried.url, searches(HEAVIEST_SEARCHES));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.body.errors[0].extensions).toMatchObject({ code: 'TIME_BUDGET_EXCEEDED', budgetMs: 60 });
    const sent = hurried.database.statements.length;
    // Each search runs three statements one after another; stopped, the request runs fewer.
    expect(sent).toBeLessThan(HEAVIEST_SEARCHES * 3);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(hurried.database.statements.length).toBe(sent);
  });

  it.runIf(!process.env.DATABASE_URL)('stops the statements of a request whose client left', async () => {
    priced.database.resetStatements();
    const controller = new AbortController();
    const request = post(priced.url, searches(HEAVIEST_SEARCHES), undefined, {}, controller.signal).catch(() => 'aborted');
    await new Promise((resolve) => setTimeout(resolve, 30));
    controller.abort();
    expect(await request).toBe('aborted');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const sent = priced.database.statements.length;
    expect(sent).toBeLessThan(HEAVIEST_SEARCHES * 3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(priced.database.statements.length).toBe(sent);
  });
});

describe.runIf(process.env.DATABASE_URL)('the time budget on PostgreSQL', () => {
  /** Holds an exclusive lock on `table` until released: a query of it waits as long. */
  async function lockTable(url: string, table: 'decisions' | 'regions') {
    // One connection holds the lock in a transaction; the other looks at who waits for it.
    const blocker = postgres(url, { max: 2, onnotice: () => {} });
    let release!: () => void;
    let transaction!: Promise<unknown>;
    await new Promise<void>((held) => {
      transaction = blocker
        .begin(async (tx) => {
          await tx.unsafe(`lock table ${table} in access exclusive mode`);
          held();
          await new Promise<void>((done) => (release = done));
        })
        .catch(() => {});
    });
    return {
      waiting: async () =>
        (await blocker`select count(*)::int as n from pg_stat_activity where application_name = 'naravard' and wait_event_type = 'Lock' and datname = current_database()`)[0]!.n,
      async release() {
        release();
        await transaction;
        await blocker.end();
      },
    };
  }

  it('cancels the running statement past the budget', async () => {
    const lock = await lockTable(hurried.database.url!, 'decisions');
    try {
      const response = await post(hurried.url, '{ decisions(first: 3) { totalCount } }');
      expect(response.status, JSON.stringify(response.body)).toBe(503);
      expect(response.body.errors[0].extensions.code).toBe('TIME_BUDGET_EXCEEDED');
      expect(response.ms).toBeLessThan(1_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await lock.waiting()).toBe(0);
    } finally {
      await lock.release();
    }
  });

  it('cancels the running statement when the client leaves', async () => {
    const lock = await lockTable(priced.database.url!, 'decisions');
    try {
      const controller = new AbortController();
      const request = post(priced.url, '{ decisions(first: 3) { totalCount } }', undefined, {}, controller.signal).catch(() => 'aborted');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await lock.waiting()).toBeGreaterThan(0);
      controller.abort();
      expect(await request).toBe('aborted');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await lock.waiting()).toBe(0);
    } finally {
      await lock.release();
    }
  });

  it('gives every request its own answer when clients whose statements wait behind busy connections leave', async () => {
    // Ten times as many requests as the test database's 4 connections: while the lock holds, 4
    // statements wait for it and the rest wait for a connection. Every other client then leaves,
    // which cancels its statement wherever it waits. (A statement cancelled while it waited in a
    // connection's pipeline is the case db/test/postgres-driver.test.ts makes certain.)
    const codes = ['01', '03', '04', '05', '06', '07', '08', '09', '10', '12', '13', '14', '17', '18', '19', '20', '21', '22', '23', '24', '25'];
    const lock = await lockTable(priced.database.url!, 'regions');
    const requests = [...codes, ...codes].map((code, n) => {
      const controller = new AbortController();
      const answer = post(priced.url, `{ region(code: "${code}") { code } }`, undefined, {}, controller.signal).then(
        (response) => (response.body.data?.region?.code as string | undefined) ?? JSON.stringify(response.body),
        () => 'left',
      );
      return { code, leaves: n % 2 === 1, controller, answer };
    });
    try {
      for (let tries = 0; (await lock.waiting()) < 4 && tries < 50; tries += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await lock.waiting()).toBe(4);
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (const request of requests) if (request.leaves) request.controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      await lock.release();
    }
    const timeout = new Promise<string[]>((resolve) => setTimeout(() => resolve(['no answer within 10 s']), 10_000));
    const answers = await Promise.race([Promise.all(requests.map((request) => request.answer)), timeout]);
    expect(answers).toEqual(requests.map((request) => (request.leaves ? 'left' : request.code)));
    // The connections answer later requests with their own rows.
    const later = await Promise.all(['07', '18', '13', '01', '25', '12'].map((code) => post(priced.url, `{ region(code: "${code}") { code } }`)));
    expect(later.map((response) => response.body.data.region.code)).toEqual(['07', '18', '13', '01', '25', '12']);
  });
});
