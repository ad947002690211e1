import { connect as connectTcp, createServer } from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * What the platform needs of postgres.js (3.4.9, patched: patches/postgres@3.4.9.patch) when a
 * connection is lost in the middle of work, as in a database outage: the work fails, and nothing of
 * it runs on the next session the pool opens on the same connection object. Unpatched, a
 * transaction whose connection closed kept sending its statements to that object: once the pool had
 * reconnected it for another query, they ran outside any transaction (half a batch committed after
 * the client was told it failed) and their answers were taken for other queries' (an empty result
 * for another request, and one query never answered).
 */

const databaseUrl = process.env.DATABASE_URL;
const TABLE = `driver_test_${process.pid}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Settles within `ms`, or says it hung. */
const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(`${what}: no answer within ${ms} ms`)))]);

describe.skipIf(!databaseUrl)('postgres.js when a connection is lost mid-work', () => {
  let admin: postgres.Sql;
  beforeAll(async () => {
    admin = postgres(databaseUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create table ${TABLE} (n int primary key)`);
  });
  afterAll(async () => {
    await admin.unsafe(`drop table if exists ${TABLE}`);
    await admin.end();
  });

  // How long after the close the transaction's code sends its next statement: while the pool's
  // reconnect for the waiting query is still under way, and after it.
  it.each([0, 20, 100])(
    'fails the rest of a transaction whose connection closed, its code sending the next statement %i ms later',
    async (delayMs) => {
      const name = `driver_test_${process.pid}_${delayMs}`;
      const sql = postgres(databaseUrl!, { max: 1, onnotice: () => {}, connection: { application_name: name } });
      try {
        let releaseSecond!: () => void;
        const secondMayRun = new Promise<void>((resolve) => (releaseSecond = resolve));
        let secondStatement!: Promise<unknown>;
        const secondSent = new Promise<void>((sent) => {
          void sql
            .begin(async (tx) => {
              await tx.unsafe(`insert into ${TABLE} values (1)`);
              // The session is terminated while the transaction's code is between two statements.
              await secondMayRun;
              secondStatement = tx.unsafe(`insert into ${TABLE} values (2)`);
              sent();
              await secondStatement;
              await tx.unsafe(`insert into ${TABLE} values (3)`);
            })
            .catch(() => {});
        });
        await sleep(100);
        // Another query waits for the pool's only connection, so the pool reconnects it once it closes.
        const waiting = sql.unsafe('select 42 as answer');
        await admin`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${name}`;
        await sleep(delayMs);
        releaseSecond();
        await secondSent;
        await expect(within(secondStatement, 5_000, 'the statement after the close')).rejects.toMatchObject({
          code: expect.stringMatching(/^(CONNECTION_CLOSED|ECONNRESET|57P01)$/),
        });
        // The waiting query gets its own answer, and the pool keeps answering each query with its own.
        expect(await within(waiting, 5_000, 'the waiting query')).toEqual([{ answer: 42 }]);
        for (let n = 0; n < 3; n += 1) expect(await within(sql.unsafe(`select ${n} as n`), 5_000, `query ${n}`)).toEqual([{ n }]);
        // Nothing of the transaction was committed: neither its first statement nor any later one.
        expect(await admin.unsafe(`select n from ${TABLE} order by n`)).toEqual([]);
      } finally {
        await sql.end({ timeout: 1 });
        await admin.unsafe(`delete from ${TABLE}`);
      }
    },
  );

  it('fails the queries of a reserved connection once it closed, and its release hands out nothing', async () => {
    const name = `driver_test_${process.pid}_reserved`;
    const sql = postgres(databaseUrl!, { max: 1, onnotice: () => {}, connection: { application_name: name } });
    try {
      const reserved = await sql.reserve();
      expect(await reserved.unsafe('select 1 as one')).toEqual([{ one: 1 }]);
      const waiting = sql.unsafe('select 42 as answer');
      await admin`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${name}`;
      await sleep(100);
      await expect(within(reserved.unsafe('select 2 as two'), 5_000, 'a query of the lost reservation')).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
      reserved.release();
      expect(await within(waiting, 5_000, 'the waiting query')).toEqual([{ answer: 42 }]);
      // Released after the close, the connection is not handed out twice: queries in parallel each get their own answer.
      const answers = await within(Promise.all([0, 1, 2, 3].map((n) => sql.unsafe(`select ${n} as n`))), 5_000, 'queries after the release');
      expect(answers).toEqual([[{ n: 0 }], [{ n: 1 }], [{ n: 2 }], [{ n: 3 }]]);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});

/*
 * When a request stops (its client left, its time budget ran out), its queries are cancelled, and
 * with more requests than pooled connections some of them wait in a connection's pipeline, sent
 * but not yet running. Unpatched, postgres.js skipped a query cancelled there: its rows were handed
 * to the next query in the pipeline (another request's), that query's own answer to nobody, and
 * the connection answered every later query with the one before's rows or never. And a query that
 * failed while its rows came in left the row counter where it stopped, so the next query on the
 * connection got an array with holes.
 */
describe.skipIf(!databaseUrl)('postgres.js when queries are cancelled or fail in a pipeline', () => {
  it('gives every query its own answer when one waiting in the pipeline is cancelled', async () => {
    const sql = postgres(databaseUrl!, { max: 1, onnotice: () => {} });
    try {
      await sql`select 1`;
      const running = sql`select pg_sleep(0.3), 'running' as x`;
      const cancelled = sql`select 'cancelled' as x`;
      const after = sql`select 'after' as x`;
      const answers = [running, cancelled, after].map((query) =>
        query.then(
          (rows) => rows.map((row) => row.x as string),
          (error: { code?: string }) => `failed: ${error.code}`,
        ),
      );
      await sleep(50);
      cancelled.cancel();
      const [first, second, third] = await within(Promise.all(answers), 5_000, 'the pipelined queries');
      expect(first).toEqual(['running']);
      // The cancel reaches the server when the query runs: it is cancelled, or it had finished.
      expect([['cancelled'], 'failed: 57014']).toContainEqual(second);
      expect(third).toEqual(['after']);
      expect(await within(sql`select 'later' as x`, 5_000, 'a later query')).toEqual([{ x: 'later' }]);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });

  it('starts the next query’s rows at the first after a query failed while its rows came in', async () => {
    const sql = postgres(databaseUrl!, { max: 1, onnotice: () => {} });
    try {
      const failing = sql`select i, 1 / (4 - i) as boom from generate_series(1, 10) as i`.then(
        () => 'answered',
        (error: { code?: string }) => error.code,
      );
      const next = sql`select x from generate_series(1, 3) as x`;
      expect(await within(failing, 5_000, 'the failing query')).toBe('22012');
      const rows = await within(next, 5_000, 'the next query');
      expect(rows.length).toBe(3);
      expect([...rows]).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }]);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});

/**
 * A TCP proxy to the database that holds what a client sends for its first `holdMs`: a connection
 * through it takes that long to open.
 */
async function slowToOpen(target: URL, holdMs: number): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((client) => {
    const upstream = connectTcp(Number(target.port || 5432), target.hostname);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    upstream.pipe(client);
    // The client's start-up message waits in the socket's buffer until then.
    setTimeout(() => client.pipe(upstream), holdMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as { port: number }).port);
  return { url: url.toString(), close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/*
 * A request can stop while the pool is still opening the connection its first query is to run on.
 * Unpatched, postgres.js then left that connection out of the pool for good: with one connection,
 * every later query waited forever.
 */
describe.skipIf(!databaseUrl)('postgres.js when a query is cancelled while its connection opens', () => {
  it('fails that query and answers the next one on the same connection', async () => {
    const proxy = await slowToOpen(new URL(databaseUrl!), 300);
    const sql = postgres(proxy.url, { max: 1, onnotice: () => {} });
    try {
      const first = sql`select 'first' as x`;
      const firstAnswer = first.then(
        () => 'answered',
        (error: { code?: string }) => `failed: ${error.code}`,
      );
      // The connection is opening: its start-up message is held by the proxy.
      await sleep(100);
      await within(Promise.resolve(first.cancel()), 5_000, 'the cancel');
      expect(await within(firstAnswer, 5_000, 'the cancelled query')).toBe('failed: 57014');
      expect(await within(sql`select 'next' as x`, 5_000, 'the next query')).toEqual([{ x: 'next' }]);
      expect(await within(sql`select 'later' as x`, 5_000, 'a later query')).toEqual([{ x: 'later' }]);
    } finally {
      await sql.end({ timeout: 1 });
      await proxy.close();
    }
  });
});
