import { mkdtempSync } from 'node:fs';
import { connect as connectSocket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, removeDataFolder, selectRows } from '@naravard/db';
import { createTestDatabase, type TestDatabase } from '@naravard/db/testing';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, runCli, type ServerProcess, startServerProcess } from './support/process.ts';

/*
 * A stop that always ends: the server as `pnpm start` runs it (NODE_ENV=production, a child
 * process), on the driver of the run (PGlite, or PostgreSQL with DATABASE_URL), gets SIGTERM or
 * SIGINT idle, with a client that sent its headers and stalled, with a long query and with a write
 * batch in flight. Each time it exits 0 within the drain limit, and a write is whole or absent.
 */

const LIMIT_MS = 5_000;
const onPostgres = Boolean(process.env.DATABASE_URL);
let dataDir: string;
let database: TestDatabase | undefined;
let key: string;
let server: ServerProcess | undefined;

const env = (): NodeJS.ProcessEnv => ({
  SHUTDOWN_TIMEOUT_MS: String(LIMIT_MS),
  ...(onPostgres ? { DATABASE_URL: database!.url } : { NARAVARD_DATA_DIR: dataDir }),
});

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'naravard-h10-shutdown-'));
  if (onPostgres) {
    database = await createTestDatabase({ namePrefix: 'naravard_h10_shutdown' });
    await database.close();
  }
  const created = await runCli(['keys', 'create', '--name', 'shutdown-writer', '--scope', 'write'], env());
  expect(created.code, created.output).toBe(0);
  key = created.output.trim().split('\n').at(-1)!.trim();
}, 120_000);

afterAll(async () => {
  server?.kill();
  removeDataFolder(dataDir);
  await database?.dispose();
});

async function start() {
  server = await startServerProcess(env());
  return server;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rows of the shutdown test's batch now stored, read after the server exited. */
async function storedBatchRows(): Promise<number> {
  const connection = await connect(onPostgres ? { databaseUrl: database!.url } : { dataDir });
  try {
    const [row] = await selectRows<{ rows: number }>(
      connection.db,
      sql`select count(*)::int as rows from observations where dimensions->>'batch' = 'shutdown' and deleted_at is null`,
    );
    return row!.rows;
  } finally {
    await connection.close();
  }
}

describe(`stopping the server process (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits 0 on ${signal} when idle, within the drain limit`, async () => {
      const running = await start();
      expect((await post(running.url, '{ regions(first: 1) { totalCount } }')).status).toBe(200);
      const { code, ms } = await running.signal(signal);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(LIMIT_MS);
      expect(running.output()).toMatch(/"msg":"stopped"/);
    }, 120_000);
  }

  it('exits 0 within the limit while a client that sent its headers stalls, and closes its connection', async () => {
    const running = await start();
    const socket = connectSocket(running.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query":');
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    await sleep(300);
    const { code, ms } = await running.signal('SIGTERM');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(LIMIT_MS);
    await closed;
  }, 120_000);

  it('exits 0 within the limit with a long query in flight, which is answered or stopped', async () => {
    const running = await start();
    let blocker: postgres.Sql | undefined;
    let release: (() => void) | undefined;
    let query: string;
    if (onPostgres) {
      // A query that waits on a lock runs as long as the lock is held: longer than the limit.
      blocker = postgres(database!.url!, { max: 1, onnotice: () => {} });
      const held = new Promise<void>((resolve) => {
        void blocker!.begin(async (tx) => {
          await tx`lock table regions in access exclusive mode`;
          resolve();
          await new Promise<void>((done) => (release = done));
        });
      });
      await held;
      query = '{ regions(first: 5) { totalCount edges { node { code } } } }';
    } else {
      // PGlite runs one statement at a time in this process: the heaviest search the limits allow.
      const text = 'vårdcentral läkarkontakt samordnad individuell plan kontaktingång styrgrupp beslut uppdrag region kommun '.repeat(2).slice(0, 200);
      query = `{ ${[0, 1, 2].map((i) => `s${i}: search(query: "${text}${i}", first: 100) { totalCount }`).join(' ')} }`;
    }
    const answer = post(running.url, query).catch((error: unknown) => ({ status: 'closed', error }));
    await sleep(onPostgres ? 500 : 50);
    const { code, ms } = await running.signal('SIGTERM');
    release?.();
    await blocker?.end();
    expect(code).toBe(0);
    expect(ms).toBeLessThan(LIMIT_MS);
    const outcome = (await answer) as { status: number | string; body?: any };
    if (onPostgres) {
      // The stuck query was stopped with a typed error (or its connection closed), not left running.
      expect([503, 'closed']).toContain(outcome.status);
      if (outcome.status === 503) expect(outcome.body.errors[0].extensions.code).toBe('SHUTTING_DOWN');
      const check = postgres(database!.url!, { max: 1, onnotice: () => {} });
      const left = await check`select count(*)::int as n from pg_stat_activity where application_name = 'naravard' and datname = current_database()`;
      await check.end();
      expect(left[0]!.n).toBe(0);
    } else {
      expect([200, 503, 'closed']).toContain(outcome.status);
    }
  }, 120_000);

  it('exits 0 within the limit with a write batch in flight, which is stored whole or not at all', async () => {
    const running = await start();
    const regions = ['01', '03', '04', '05', '06', '07', '08', '09', '10', '12', '13', '14', '17', '18', '19', '20', '21', '22', '23', '24', '25'];
    const rows = Array.from({ length: 10_000 }, (_, index) => {
      const month = Math.floor(index / regions.length);
      return {
        region: regions[index % regions.length],
        period: `${1900 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`,
        value: String(index),
        dimensions: [{ name: 'batch', value: 'shutdown' }],
      };
    });
    const answer = post(
      running.url,
      'mutation($rows: [ObservationRowInput!]!) { upsertObservations(indicator: "SIP_MEETINGS", rows: $rows) { __typename ... on UpsertObservationsResult { inserted } } }',
      { rows },
      { authorization: `Bearer ${key}` },
    ).catch(() => null);
    await sleep(onPostgres ? 150 : 400);
    const { code, ms } = await running.signal('SIGTERM');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(LIMIT_MS);
    const outcome = await answer;
    const stored = await storedBatchRows();
    expect([0, rows.length]).toContain(stored);
    if (outcome?.status === 200 && outcome.body.data?.upsertObservations?.inserted === rows.length) expect(stored).toBe(rows.length);
    console.log(JSON.stringify({ answered: outcome?.status ?? 'closed', code: outcome?.body?.errors?.[0]?.extensions?.code, stored, ms }));
  }, 180_000);
});
