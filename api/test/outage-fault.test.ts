import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
import { createApiKey, connect } from '@naravard/db';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, hasPostgresBinaries, type OwnPostgres, startOwnPostgres } from './support/postgres-server.ts';
import { post, type ServerProcess, startServerProcess } from './support/process.ts';

/*
 * A database outage under load, on a PostgreSQL server of the test's own: 8 writers upsert
 * batches of observations through the API (a child process as `pnpm start` runs it), the
 * postmaster is killed with SIGKILL mid-run and started again. Nothing acknowledged may be lost,
 * no batch may be half written, clients must get 503 (never 500) while it is down, and the same
 * API process must serve again once it is back.
 */

const WRITERS = 8;
const REGIONS = ['01', '03', '04', '05', '06', '07', '08', '09', '10', '12'];
const UPSERT = /* GraphQL */ `
  mutation Upsert($rows: [ObservationRowInput!]!) {
    upsertObservations(indicator: "SIP_MEETINGS", rows: $rows) {
      __typename
      ... on UpsertObservationsResult { inserted updated unchanged }
    }
  }
`;

/** Batch `n` of a writer: one value for each of ten regions, in a month of its own, tagged with the writer. */
const batch = (writer: number, n: number) => {
  const period = `${1950 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
  return {
    period,
    rows: REGIONS.map((region, index) => ({
      region,
      period,
      value: String(n * 100 + index),
      dimensions: [{ name: 'writer', value: `w${writer}` }],
    })),
  };
};

interface Outcome {
  writer: number;
  period: string;
  status: number | 'network';
  code?: string;
  retryAfter: string | null;
  ms: number;
  startedAt: number;
  acknowledged: boolean;
}

let pg: OwnPostgres;
let api: ServerProcess;
let databaseUrl: string;
let key: string;

beforeAll(async () => {
  if (!hasPostgresBinaries) return;
  pg = await startOwnPostgres();
  await createDatabase(pg.url('postgres'), 'naravard_h10_fault');
  databaseUrl = pg.url('naravard_h10_fault');
  // One key for all eight writers: its concurrency limit must let them all run.
  api = await startServerProcess({ DATABASE_URL: databaseUrl, CONCURRENCY_LIMIT: String(WRITERS * 2) });
  const connection = await connect({ databaseUrl });
  try {
    key = (await createApiKey(connection.db, { name: 'fault-writer', scopes: ['write'] })).key;
  } finally {
    await connection.close();
  }
}, 240_000);

afterAll(async () => {
  if (process.env.H10_DEBUG) require('node:fs').writeFileSync('/tmp/h10/api.log', api?.output() ?? '');
  api?.kill();
  await pg?.destroy();
});

describe.runIf(hasPostgresBinaries)('a killed PostgreSQL under concurrent writers', () => {
  it('loses no acknowledged write, half-writes no batch, answers 503 (never 500) while down and recovers without a restart', async () => {
    const outcomes: Outcome[] = [];
    const readiness: { status: number; ms: number; retryAfter: string | null }[] = [];
    let running = true;
    const writer = async (id: number) => {
      for (let n = 0; running; n += 1) {
        const { period, rows } = batch(id, n);
        const startedAt = Date.now();
        try {
          // A request left unanswered shows as a failed outcome instead of holding the test to its timeout.
          const response = await post(api.url, UPSERT, { rows }, { authorization: `Bearer ${key}` }, AbortSignal.timeout(20_000));
          const result = response.body?.data?.upsertObservations;
          outcomes.push({
            writer: id,
            period,
            status: response.status,
            code: response.body?.errors?.[0]?.extensions?.code,
            retryAfter: response.headers.get('retry-after'),
            ms: response.ms,
            startedAt,
            acknowledged: response.status === 200 && result?.__typename === 'UpsertObservationsResult' && result.inserted === rows.length,
          });
          if (response.status === 503) await new Promise((resolve) => setTimeout(resolve, 100));
        } catch {
          outcomes.push({ writer: id, period, status: 'network', retryAfter: null, ms: Date.now() - startedAt, startedAt, acknowledged: false });
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, id) => writer(id));
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    await sleep(3_000);
    const acknowledgedBefore = outcomes.filter((outcome) => outcome.acknowledged).length;
    const killedAt = Date.now();
    pg.crash();
    await sleep(1_500);
    // While it is down: readiness says so quickly.
    for (let i = 0; i < 3; i += 1) {
      const started = performance.now();
      const response = await fetch(`${api.url}/readyz`);
      readiness.push({ status: response.status, ms: performance.now() - started, retryAfter: response.headers.get('retry-after') });
      await sleep(200);
    }
    await pg.start();
    const restartedAt = Date.now();
    await sleep(4_000);
    running = false;
    await Promise.all(writers);

    const duringOutage = outcomes.filter((outcome) => outcome.startedAt >= killedAt && outcome.startedAt < restartedAt);
    const afterRecovery = outcomes.filter((outcome) => outcome.startedAt >= restartedAt + 2_000);
    const summary = {
      total: outcomes.length,
      acknowledgedBefore,
      statuses: Object.fromEntries(
        [...new Set(outcomes.map((outcome) => `${outcome.status}:${outcome.code ?? ''}`))].map((status) => [
          status,
          outcomes.filter((outcome) => `${outcome.status}:${outcome.code ?? ''}` === status).length,
        ]),
      ),
      slowest503: Math.max(0, ...outcomes.filter((outcome) => outcome.status === 503).map((outcome) => outcome.ms)),
      readiness,
      slow: outcomes.filter((outcome) => outcome.ms > 1_000).map((outcome) => ({ ...outcome, startedAt: outcome.startedAt - killedAt })),
      restartedAt: restartedAt - killedAt,
    };
    console.log(JSON.stringify(summary));

    expect(acknowledgedBefore).toBeGreaterThan(0);
    // Never 500, never a broken connection: only success or 503 DATABASE_UNAVAILABLE with Retry-After.
    for (const outcome of outcomes) {
      expect(outcome.status === 200 || (outcome.status === 503 && outcome.code === 'DATABASE_UNAVAILABLE' && outcome.retryAfter === '2'), JSON.stringify(outcome)).toBe(true);
      if (outcome.status === 200) expect(outcome.acknowledged, JSON.stringify(outcome)).toBe(true);
    }
    const unavailable = duringOutage.filter((outcome) => outcome.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    // Requests sent while it is down are answered within a second.
    for (const outcome of unavailable) expect(outcome.ms, JSON.stringify(outcome)).toBeLessThan(1_000);
    for (const check of readiness) {
      expect(check.status).toBe(503);
      expect(check.ms).toBeLessThan(1_000);
    }
    // Recovered by itself: the same process, writing again.
    expect(api.child.exitCode).toBeNull();
    expect(afterRecovery.filter((outcome) => outcome.acknowledged).length).toBeGreaterThan(0);
    expect((await fetch(`${api.url}/readyz`)).status).toBe(200);

    // What the database holds: every acknowledged batch whole, and no batch in part.
    const check = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      const stored = await check<{ writer: string; period: string; rows: number; values: string[] }[]>`
        select o.dimensions->>'writer' as writer, o.period, count(*)::int as rows, array_agg(o.value::text order by o.value) as values
        from observations o join indicators i on i.id = o.indicator_id
        where i.code = 'SIP_MEETINGS' and o.dimensions ? 'writer' and o.deleted_at is null
        group by 1, 2`;
      const batches = new Map(stored.map((row) => [`${row.writer}|${row.period}`, row]));
      const partial = stored.filter((row) => row.rows !== REGIONS.length);
      expect(partial).toEqual([]);
      const lost = outcomes.filter((outcome) => outcome.acknowledged && !batches.has(`w${outcome.writer}|${outcome.period}`));
      expect(lost).toEqual([]);
      console.log(JSON.stringify({ acknowledged: outcomes.filter((outcome) => outcome.acknowledged).length, storedBatches: stored.length }));
    } finally {
      await check.end();
    }
  }, 120_000);
});
