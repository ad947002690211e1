/**
 * Benchmark of the ways observations come in, on the same rows, on the database at DATABASE_URL
 * (or the PGlite data folder in NARAVARD_DATA_DIR, default .naravard/data), never on a database it
 * was not given:
 *
 * - COPY straight into `observations` (no checks, no change log): the ceiling;
 * - COPY into `observations` and of one change-log entry per row into `change_log`: the ceiling
 *   for a path that logs every change, as every write of the platform does;
 * - `naravard import csv` as its own process: streaming parse and checks, COPY into staging, one
 *   set-based merge with the change log; its peak RSS is read from its summary;
 * - `upsertObservations` over HTTP, 10,000 rows a call (fewer rows: it is meant for batches).
 *
 * Each path writes its own bench indicator (BENCH_COPY, BENCH_CSV, BENCH_UPSERT); their
 * observations and change-log entries from an earlier run are removed first.
 *
 *   pnpm bench:import                       # 1,000,000 rows (BENCH_ROWS), 100,000 over HTTP (BENCH_UPSERT_ROWS)
 *   DATABASE_URL=postgres://… pnpm bench:import
 *   BENCH_PATHS=copy,csv pnpm bench:import  # only some paths: copy, logged, csv, upsert (default all)
 *   BENCH_CLI_ROOT=/other/checkout …        # the `naravard import csv` of another checkout of the platform
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Connection, connect, copyInto, createApiKey, prepareDatabase, revokeApiKey, selectRows } from '@naravard/db';
import { sql } from 'drizzle-orm';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const UPSERT_ROWS = Number(process.env.BENCH_UPSERT_ROWS ?? 100_000);
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI_ROOT = process.env.BENCH_CLI_ROOT ?? ROOT;
const PATHS = new Set((process.env.BENCH_PATHS ?? 'copy,logged,csv,upsert').split(',').map((path) => path.trim()));
const REGIONS = ['01', '03', '04', '05', '06', '07', '08', '09', '10', '12', '13', '14', '17', '18', '19', '20', '21', '22', '23', '24', '25'];
const INDICATORS = ['BENCH_COPY', 'BENCH_COPY_LOGGED', 'BENCH_CSV', 'BENCH_UPSERT'] as const;

/** The i-th row: 21 regions × 100 settings × months from 1900 on, a value from a fixed sequence. */
function row(i: number) {
  const region = REGIONS[i % REGIONS.length]!;
  const setting = `s${Math.floor(i / REGIONS.length) % 100}`;
  const month = Math.floor(i / (REGIONS.length * 100));
  const period = `${1900 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
  return { region, setting, period, value: String(((i * 7919) % 99_991) / 4) };
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const rate = (rows: number, ms: number) => Math.round((rows / ms) * 1000);

async function prepare(connection: Connection) {
  await prepareDatabase(connection);
  for (const code of INDICATORS) {
    await connection.db.execute(sql`
      insert into indicators (code, name, unit, description) values (${code}, ${`Benchmark rows (${code})`}, 'rows', 'Written by pnpm bench:import.')
      on conflict (code) do nothing`);
    await connection.db.execute(sql`
      delete from change_log where entity_type = 'observation' and entity_id in
        (select o.id from observations o join indicators i on i.id = o.indicator_id where i.code = ${code})`);
    await connection.db.execute(sql`delete from observations where indicator_id = (select id from indicators where code = ${code})`);
  }
}

async function benchCopy(connection: Connection, logged: boolean): Promise<number> {
  const code = logged ? 'BENCH_COPY_LOGGED' : 'BENCH_COPY';
  const [indicator] = await selectRows<{ id: string }>(connection.db, sql`select id from indicators where code = ${code}`);
  const regionIds = new Map(
    (await selectRows<{ id: string; code: string }>(connection.db, sql`select id, code from regions`)).map((region) => [region.code, region.id]),
  );
  const started = performance.now();
  const CHUNK = 50_000;
  for (let start = 0; start < ROWS; start += CHUNK) {
    let text = '';
    let log = '';
    for (let i = start; i < Math.min(ROWS, start + CHUNK); i++) {
      const r = row(i);
      const id = randomUUID();
      text += `${id},${indicator!.id},${regionIds.get(r.region)},${r.period},${r.value},"{""setting"": ""${r.setting}""}"\n`;
      if (logged) {
        const after = JSON.stringify({ id, indicatorId: indicator!.id, regionId: regionIds.get(r.region), period: r.period, value: r.value, dimensions: { setting: r.setting }, version: 1 });
        log += `bench,create,observation,${id},"${after.replaceAll('"', '""')}"\n`;
      }
    }
    await copyInto(connection, 'observations (id, indicator_id, region_id, period, value, dimensions)', text);
    if (logged) await copyInto(connection, 'change_log (actor, operation, entity_type, entity_id, after)', log);
  }
  return performance.now() - started;
}

function writeCsv(path: string) {
  const lines = ['indicator,region,organisation,period,value,setting'];
  for (let i = 0; i < ROWS; i++) {
    const r = row(i);
    lines.push(`BENCH_CSV,${r.region},,${r.period},${r.value},${r.setting}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function benchCsv(path: string): Promise<{ ms: number; summary: Record<string, any> }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // As users run it: `pnpm naravard` (the compiled command line, built first when sources changed).
    const child = spawn('pnpm', ['-s', 'naravard', 'import', 'csv', path], {
      cwd: CLI_ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const summary = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line))
        .find((event) => event.event === 'summary');
      if (code !== 0 || !summary) reject(new Error(`naravard import csv failed (exit ${code}):\n${stdout.slice(-2000)}`));
      else resolve({ ms: performance.now() - started, summary });
    });
  });
}

async function benchUpsert(connection: Connection): Promise<number> {
  process.env.LOG_LEVEL ??= 'silent';
  const { createApp, createLogger } = await import('@naravard/api');
  const app = await createApp({ connection, logger: createLogger() });
  const port = await app.listen(0, '127.0.0.1');
  const name = `bench-import-${Date.now()}`;
  const { key, record } = await createApiKey(connection.db, { name, scopes: ['write'] });
  const UPSERT = `mutation ($indicator: String!, $rows: [ObservationRowInput!]!) {
    upsertObservations(indicator: $indicator, rows: $rows) { __typename ... on UpsertObservationsResult { inserted } ... on WriteError { message } } }`;
  const started = performance.now();
  for (let start = 0; start < UPSERT_ROWS; start += 10_000) {
    const rows = [];
    for (let i = start; i < Math.min(UPSERT_ROWS, start + 10_000); i++) {
      const r = row(i);
      rows.push({ region: r.region, period: r.period, value: r.value, dimensions: [{ name: 'setting', value: r.setting }] });
    }
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: UPSERT, variables: { indicator: 'BENCH_UPSERT', rows } }),
    });
    const body = (await response.json()) as { data?: { upsertObservations: { __typename: string; message?: string } }; errors?: unknown };
    if (body.data?.upsertObservations.__typename !== 'UpsertObservationsResult') throw new Error(`upsertObservations: ${JSON.stringify(body).slice(0, 500)}`);
  }
  const ms = performance.now() - started;
  await revokeApiKey(connection.db, record.id); // kept, revoked: the change log refers to it
  await app.stop(); // closes the connection too
  return ms;
}

const driver = process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite (${process.env.NARAVARD_DATA_DIR ?? '.naravard/data'})`;
console.log(`Node ${process.version}; ${driver}; ${ROWS.toLocaleString('en')} rows (upsertObservations: ${UPSERT_ROWS.toLocaleString('en')})`);

const folder = mkdtempSync(join(tmpdir(), 'naravard-bench-'));
try {
  let connection = await connect({ statementTimeoutMs: 0 }); // a bench, not a request: its cleanup may take long
  await prepare(connection);
  let copyMs: number | undefined;
  let loggedCopyMs: number | undefined;
  if (PATHS.has('copy')) {
    copyMs = await benchCopy(connection, false);
    console.log(`COPY into observations     ${seconds(copyMs).padStart(7)} s ${rate(ROWS, copyMs).toLocaleString('en').padStart(9)} rows/s`);
  }
  if (PATHS.has('logged')) {
    loggedCopyMs = await benchCopy(connection, true);
    console.log(
      `COPY, change log included  ${seconds(loggedCopyMs).padStart(7)} s ${rate(ROWS, loggedCopyMs).toLocaleString('en').padStart(9)} rows/s  (observations and one change_log row each)`,
    );
  }
  await connection.close(); // a PGlite folder is opened by one process at a time

  let csv: { ms: number; summary: Record<string, any> } | undefined;
  if (PATHS.has('csv')) {
    const file = join(folder, 'observations.csv');
    writeCsv(file);
    csv = await benchCsv(file);
    if (csv.summary.created !== ROWS) throw new Error(`the CSV import created ${csv.summary.created} rows, not ${ROWS}`);
    console.log(
      `naravard import csv        ${seconds(csv.ms).padStart(7)} s ${rate(ROWS, csv.ms).toLocaleString('en').padStart(9)} rows/s  (process start, parse, checks, staging, merge, change log; peak RSS ${csv.summary.peakRssMb} MB${CLI_ROOT === ROOT ? '' : `; ${CLI_ROOT}`})`,
    );
  }

  let upsertMs: number | undefined;
  if (PATHS.has('upsert')) {
    connection = await connect({ statementTimeoutMs: 0 });
    upsertMs = await benchUpsert(connection);
    console.log(`upsertObservations (HTTP)  ${seconds(upsertMs).padStart(7)} s ${rate(UPSERT_ROWS, upsertMs).toLocaleString('en').padStart(9)} rows/s  (10,000 rows a call)`);
  }

  const ratios = (ceilingMs: number) =>
    [
      ...(csv ? [`import csv ${(rate(ROWS, csv.ms) / rate(ROWS, ceilingMs)).toFixed(2)}`] : []),
      ...(upsertMs !== undefined ? [`upsertObservations ${(rate(UPSERT_ROWS, upsertMs) / rate(ROWS, ceilingMs)).toFixed(2)}`] : []),
    ].join(', ');
  console.log('');
  if (copyMs !== undefined) console.log(`ratio to COPY:                     ${ratios(copyMs)}`);
  if (loggedCopyMs !== undefined) console.log(`ratio to COPY, change log included: ${ratios(loggedCopyMs)}`);
  console.log(`peak RSS: ${csv ? `import csv ${csv.summary.peakRssMb} MB (its own process); ` : ''}this process ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
