/**
 * Benchmark of upsertObservations along the real path: an HTTP POST to the API running in this
 * process (createApp from @naravard/api), GraphQL parsing and validation, zod checks of every
 * row, the region lookups and the set-based upsert with its change log, on the database it is
 * given: DATABASE_URL, or else the PGlite data folder (NARAVARD_DATA_DIR, default .naravard/data),
 * migrated and seeded if needed. It never creates a database of its own.
 *
 * It upserts 10,000 rows of its own indicator (BENCH_UPSERT_CALLS; its observations and their
 * change-log entries from an earlier run are removed first) three times: the first insert, an
 * identical repeat (all unchanged), and the same batch with 10% of the values changed. It prints
 * wall time, rows per second and peak RSS. Figures, not a test: nothing fails on a slow machine.
 *
 *   pnpm --filter @naravard/bench bench
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pnpm --filter @naravard/bench bench
 *
 * The run happens in a child process, so peak RSS (getrusage maxrss) is that run's alone. With
 * PGlite the database runs inside the Node process and its memory is counted; with PostgreSQL
 * only the API process is measured, not the database server.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROWS = 10_000;
const INDICATOR = 'BENCH_UPSERT_CALLS';

type Driver = 'pglite' | 'postgres';

interface Phase {
  name: string;
  rows: number;
  ms: number;
  bodyBytes: number;
  result: { inserted: number; updated: number; unchanged: number };
  peakRssMb: number;
}

/** A deterministic pseudo-random sequence, so every run sends the same values. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * 10,000 rows as a real load would have them: the 21 regions, months from January 2008, and the
 * four breakdowns of the Halland SIP table (public/private × home care/joint planning).
 */
function batch(): { region: string; period: string; value: string; dimensions: { name: string; value: string }[] }[] {
  const regions = ['01', '03', '04', '05', '06', '07', '08', '09', '10', '12', '13', '14', '17', '18', '19', '20', '21', '22', '23', '24', '25'];
  const breakdowns = [
    [{ name: 'ownership', value: 'public' }, { name: 'setting', value: 'home_care' }],
    [{ name: 'ownership', value: 'public' }, { name: 'setting', value: 'joint_planning' }],
    [{ name: 'ownership', value: 'private' }, { name: 'setting', value: 'home_care' }],
    [{ name: 'ownership', value: 'private' }, { name: 'setting', value: 'joint_planning' }],
  ];
  const next = random(2018);
  const rows = [];
  for (let month = 0; rows.length < ROWS; month++) {
    const period = `${2008 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
    for (const region of regions) {
      for (const dimensions of breakdowns) {
        if (rows.length < ROWS) rows.push({ region, period, value: String(Math.floor(next() * 300)), dimensions });
      }
    }
  }
  return rows;
}

/** Samples RSS while a phase runs, for the peak of that phase (getrusage only gives the process peak). */
function rssSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss) / 2 ** 20;
  };
}

async function runDriver(driver: Driver): Promise<{ phases: Phase[]; maxRssMb: number; setupMs: number }> {
  process.env.LOG_LEVEL ??= 'silent';
  const { createApp, createLogger } = await import('@naravard/api');
  const { connect, createApiKey, prepareDatabase, revokeApiKey } = await import('@naravard/db');
  const { sql } = await import('drizzle-orm');

  const setupStarted = performance.now();
  const database = await connect();
  if (database.driver !== driver) throw new Error(`expected a ${driver} database, got ${database.driver}`);
  await prepareDatabase(database);
  await database.db.execute(sql`
    insert into indicators (code, name, unit, description)
    values (${INDICATOR}, 'Benchmark rows (upsertObservations)', 'rows', 'Written by the upsertObservations benchmark.')
    on conflict (code) do nothing`);
  await database.db.execute(sql`
    delete from change_log where entity_type = 'observation' and entity_id in
      (select o.id from observations o join indicators i on i.id = o.indicator_id where i.code = ${INDICATOR})`);
  await database.db.execute(sql`delete from observations where indicator_id = (select id from indicators where code = ${INDICATOR})`);
  const app = await createApp({ connection: database, logger: createLogger() });
  const port = await app.listen(0, '127.0.0.1');
  const { key, record } = await createApiKey(database.db, { name: `bench-${driver}-${Date.now()}`, scopes: ['write'] });
  const setupMs = performance.now() - setupStarted;

  const post = async (query: string, variables: Record<string, unknown>) => {
    const body = JSON.stringify({ query, variables });
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${key}` },
      body,
    });
    const json = (await response.json()) as { data?: any; errors?: unknown[] };
    if (json.errors) throw new Error(`GraphQL errors: ${JSON.stringify(json.errors).slice(0, 500)}`);
    return { data: json.data, bodyBytes: Buffer.byteLength(body) };
  };

  const UPSERT = `mutation ($indicator: String!, $rows: [ObservationRowInput!]!) {
    upsertObservations(indicator: $indicator, rows: $rows) {
      __typename
      ... on UpsertObservationsResult { inserted updated unchanged }
      ... on WriteError { message }
    }
  }`;

  // Warm the server (schema, JIT, connection) with a read, so the first phase measures the write.
  await post(`{ indicator(code: "${INDICATOR}") { code } }`, {});

  const rows = batch();
  const changed = rows.map((row, index) => (index % 10 === 0 ? { ...row, value: String(Number(row.value) + 1) } : row));
  const phases: Phase[] = [];
  const expected = {
    'first insert': { inserted: ROWS, updated: 0, unchanged: 0 },
    'identical repeat': { inserted: 0, updated: 0, unchanged: ROWS },
    '10% changed': { inserted: 0, updated: ROWS / 10, unchanged: ROWS - ROWS / 10 },
  };
  for (const [name, batchRows] of [
    ['first insert', rows],
    ['identical repeat', rows],
    ['10% changed', changed],
  ] as const) {
    const stop = rssSampler();
    const started = performance.now();
    const { data, bodyBytes } = await post(UPSERT, { indicator: INDICATOR, rows: batchRows });
    const ms = performance.now() - started;
    const peakRssMb = stop();
    const result = data.upsertObservations;
    if (result.__typename !== 'UpsertObservationsResult') throw new Error(`${name}: ${result.__typename}: ${result.message}`);
    const want = expected[name];
    if (result.inserted !== want.inserted || result.updated !== want.updated || result.unchanged !== want.unchanged) {
      throw new Error(`${name}: expected ${JSON.stringify(want)}, got ${JSON.stringify(result)}`);
    }
    phases.push({ name, rows: batchRows.length, ms, bodyBytes, result, peakRssMb });
  }

  await revokeApiKey(database.db, record.id); // kept, revoked: the change log refers to it
  await app.stop(); // closes the database too
  return { phases, maxRssMb: process.resourceUsage().maxRSS / 1024, setupMs };
}

function print(driver: Driver, report: { phases: Phase[]; maxRssMb: number; setupMs: number }) {
  const label = driver === 'pglite' ? `PGlite (in-process, ${process.env.NARAVARD_DATA_DIR ?? '.naravard/data'})` : 'PostgreSQL (DATABASE_URL)';
  console.log(`\n${label}: ${ROWS.toLocaleString('en')} rows of ${INDICATOR} per call (set up in ${(report.setupMs / 1000).toFixed(1)} s)`);
  console.log('phase               rows    inserted  updated  unchanged  body MB   time s   rows/s   peak RSS MB');
  for (const phase of report.phases) {
    console.log(
      [
        phase.name.padEnd(18),
        String(phase.rows).padStart(6),
        String(phase.result.inserted).padStart(10),
        String(phase.result.updated).padStart(8),
        String(phase.result.unchanged).padStart(10),
        (phase.bodyBytes / 2 ** 20).toFixed(2).padStart(8),
        (phase.ms / 1000).toFixed(2).padStart(8),
        Math.round((phase.rows / phase.ms) * 1000).toLocaleString('en').padStart(8),
        phase.peakRssMb.toFixed(0).padStart(13),
      ].join(' '),
    );
  }
  console.log(`peak RSS of the whole run (getrusage maxrss): ${report.maxRssMb.toFixed(0)} MB`);
}

const self = fileURLToPath(import.meta.url);
const driverArgument = process.argv.find((argument) => argument.startsWith('--driver='))?.slice('--driver='.length) as Driver | undefined;

if (driverArgument) {
  // A child: run one database and hand the figures back as JSON on the last line.
  const report = await runDriver(driverArgument);
  console.log(JSON.stringify(report));
} else {
  const drivers: Driver[] = process.env.DATABASE_URL ? ['postgres'] : ['pglite'];
  console.log(`Node ${process.version}, ${process.platform}/${process.arch}`);
  for (const driver of drivers) {
    const child = spawnSync(process.execPath, [...process.execArgv, self, `--driver=${driver}`], {
      encoding: 'utf8',
      env: process.env,
      maxBuffer: 64 * 2 ** 20,
    });
    if (child.status !== 0) {
      console.error(child.stdout, child.stderr);
      throw new Error(`the ${driver} run failed (exit ${child.status})`);
    }
    const lines = child.stdout.trim().split('\n');
    print(driver, JSON.parse(lines[lines.length - 1]!));
  }
}
