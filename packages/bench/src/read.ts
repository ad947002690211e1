/**
 * The read benchmark: the query mix Q1–Q6 and the even mix of Q1–Q5, at 16 and 64 connections, in
 * interleaved rounds, against the API (started as `pnpm start` starts it, NODE_ENV=production, in
 * a child process) and against the floor server (one hand-written SQL statement per query on bare
 * node:http + postgres.js, also a child process), on the database at DATABASE_URL filled by
 * `pnpm bench:data`.
 *
 *   DATABASE_URL=postgres://…/naravard_bench pnpm bench:read [--rounds 3] [--duration 5] [--connections 16,64]
 *       [--queries Q1,…,mix] [--baseline <checkout>] [--smoke]
 *
 * `--baseline` names another checkout of the platform (an earlier commit, installed): its API is
 * measured in the same rounds, so a change is compared with what it changed on the same machine
 * at the same time.
 *
 * Before timing it checks that both servers return the same data for every query on many
 * parameter sets. Per query it prints req/s (median of the rounds, and their spread), p50/p99
 * latency, errors, server and PostgreSQL CPU seconds per 1,000 requests, SQL statements per request
 * (transactions counted by PostgreSQL), the servers' peak RSS and the ratio API/floor. Its last line
 * is `mix/floor 16: <ratio> 64: <ratio>`. Figures, not a test: nothing fails on a slow machine.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import postgres from 'postgres';
import {
  CLOCK_TICKS,
  cpuTicks,
  fixed,
  freePort,
  load,
  median,
  peakRssMb,
  post,
  readBenchOptions,
  requestBody,
  startApi,
  stopServers,
  type Target,
  waitFor,
} from './read/servers.ts';
import { startStatementCounter } from './read/statement-counter.ts';
import { COMMON_SEARCH, MIX, QUERIES, type QueryDefinition, type Samples } from './read/queries.ts';
import { BENCH_INDICATOR_PREFIX, RARE_WORDS } from './scale.ts';

const values = readBenchOptions(
  'DATABASE_URL=postgres://…/naravard_bench pnpm bench:read [--rounds 3] [--duration 5] [--connections 16,64] [--queries Q1,…,mix] [--baseline <checkout>] [--smoke]',
  { rounds: '3', duration: '5' },
  { smoke: true },
);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('bench:read needs DATABASE_URL: the database `pnpm bench:data` filled');
  process.exit(2);
}
const rounds = values.smoke ? 1 : Number(values.rounds);
const duration = values.smoke ? 1 : Number(values.duration);
const connectionCounts = values.connections.split(',').map(Number);
const root = fileURLToPath(new URL('../../../', import.meta.url));

async function startFloorServer(database = databaseUrl): Promise<Target> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./read/floor.ts', import.meta.url))], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), DATABASE_URL: database },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  await waitFor(url, child);
  return { name: 'floor', url, process: child };
}

const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
const database = new URL(databaseUrl).pathname.slice(1);

/** CPU ticks of the PostgreSQL backends serving this database. */
async function databaseCounters() {
  const backends = await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`;
  return { pids: backends.map((b) => b.pid), ticks: backends.reduce((sum, b) => sum + cpuTicks(b.pid), 0) };
}

async function sampleParameters(): Promise<Samples> {
  const regions = (await sql<{ code: string }[]>`select code from regions order by code`).map((r) => r.code);
  const meetingIds = (await sql<{ id: string }[]>`select id from meetings where deleted_at is null order by md5(id::text) limit 2000`).map((r) => r.id);
  const indicators = (
    await sql<{ code: string }[]>`select code from indicators where code like ${`${BENCH_INDICATOR_PREFIX}%`} order by code`
  ).map((r) => r.code);
  const years = (await sql<{ year: string }[]>`select distinct left(period, 4) as year from observations order by 1`).map((r) => r.year);
  // Rare words with at least a page of exact hits, so both servers' first page holds exact hits only.
  const rareWords: string[] = [];
  for (const word of RARE_WORDS.filter((_, index) => index % 37 === 0 || index < 40)) {
    const [row] = await sql<{ hits: number }[]>`select count(*)::int as hits from decisions
      where search_vector @@ websearch_to_tsquery('swedish', naravard_unaccent(${word}::text))`;
    if ((row?.hits ?? 0) >= 10) rareWords.push(word);
    if (rareWords.length >= 20) break;
  }
  if (indicators.length === 0 || meetingIds.length === 0 || rareWords.length === 0) {
    throw new Error('This database holds no bench data set: run `pnpm bench:data` first');
  }
  return { regions, meetingIds, indicators, years, rareWords, commonWords: ['vårdcentral', 'patient', 'beslut', 'uppdrag', 'kommun'] };
}

/**
 * SQL statements per request: a second server of the same kind, pointed at a proxy that counts
 * the statements on the wire, answers 100 requests one after another.
 */
async function countStatements(kind: Target['name'], workloads: { name: string; definitions: QueryDefinition[] }[], samples: Samples) {
  const url = new URL(databaseUrl!);
  const counter = await startStatementCounter({ host: url.hostname, port: Number(url.port || 5432) });
  url.hostname = '127.0.0.1';
  url.port = String(counter.port);
  const target =
    kind === 'floor' ? await startFloorServer(url.toString()) : await startApi(kind === 'api' ? root : values.baseline!, kind, { DATABASE_URL: url.toString() });
  const perRequest = new Map<string, number>();
  try {
    for (const workload of workloads) {
      // 100 requests, or as many as 10 seconds allow for slow ones.
      for (let n = 0; n < 3; n++) await post(target.url, requestBody(workload.definitions[n % workload.definitions.length]!, samples, n));
      const before = counter.count();
      const until = Date.now() + 10_000;
      let requests = 0;
      while (requests < 100 && (requests < 5 || Date.now() < until)) {
        await post(target.url, requestBody(workload.definitions[requests % workload.definitions.length]!, samples, requests));
        requests++;
      }
      perRequest.set(workload.name, (counter.count() - before) / requests);
    }
  } finally {
    await stopServers([target]);
    counter.close();
  }
  return perRequest;
}

/** Both servers must answer the same data before anything is timed. */
async function verify(api: Target, floor: Target, samples: Samples, definitions: QueryDefinition[]) {
  for (const definition of definitions) {
    for (let n = 0; n < 25; n++) {
      const body = requestBody(definition, samples, n);
      const [fromApi, fromFloor] = await Promise.all([post(api.url, body), post(floor.url, body)]);
      if (fromApi.json.errors || !isDeepStrictEqual(fromApi.json.data, fromFloor.json.data)) {
        console.error(`${definition.name}: the API and the floor differ for ${body}`);
        console.error(`api:   ${JSON.stringify(fromApi.json).slice(0, 1500)}`);
        console.error(`floor: ${JSON.stringify(fromFloor.json).slice(0, 1500)}`);
        throw new Error(`${definition.name}: answers differ`);
      }
    }
  }
}

interface Measurement {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  errorKinds: Map<string, number>;
  serverCpuPer1000: number;
  databaseCpuPer1000: number;
}

/**
 * Waits until no statement of a previous measurement still runs in the database: requests a load
 * generator gave up on go on in the servers and would weigh on the next measurement.
 */
async function settle() {
  for (let attempt = 0; attempt < 600; attempt++) {
    const [row] = await sql<{ active: number }[]>`select count(*)::int as active from pg_stat_activity
      where datname = ${database} and state = 'active' and pid <> pg_backend_pid()`;
    if (row!.active === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function measure(target: Target, definitions: QueryDefinition[], samples: Samples, connections: number, seconds: number): Promise<Measurement> {
  await settle();
  const before = await databaseCounters();
  const result = await load(target, definitions, samples, connections, seconds);
  const after = await databaseCounters();
  const databaseTicks = after.pids.reduce((sum, pid) => sum + cpuTicks(pid), 0) - before.ticks;
  return { ...result, databaseCpuPer1000: ((databaseTicks / CLOCK_TICKS) * 1000) / Math.max(result.requests, 1) };
}


const samples = await sampleParameters();
const selected = values.queries.split(',');
const workloads: { name: string; description: string; definitions: QueryDefinition[] }[] = [
  ...QUERIES.map((q) => ({ name: q.name, description: q.description, definitions: [q] })),
  { name: 'mix', description: 'even mix Q1–Q5', definitions: MIX },
  { name: COMMON_SEARCH.name, description: COMMON_SEARCH.description, definitions: [COMMON_SEARCH] },
].filter((workload) => selected.includes(workload.name));

const api = await startApi(root, 'api', { DATABASE_URL: databaseUrl });
const floor = await startFloorServer();
const baseline = values.baseline ? await startApi(values.baseline, 'baseline', { DATABASE_URL: databaseUrl }) : null;
const targets = baseline ? [api, floor, baseline] : [api, floor];
// Common words have no ratio to reach, only a latency (the floor ranks every match, for seconds).
const targetsOf = (workload: string) => (workload === COMMON_SEARCH.name ? targets.filter((t) => t.name !== 'floor') : targets);
try {
  console.log(`Checking that the API and the floor return the same data …`);
  await verify(api, floor, samples, QUERIES);
  console.log('Same data. Counting statements and warming up …');
  const statements = new Map<string, number>();
  for (const target of targets) {
    const counted = workloads.filter((workload) => targetsOf(workload.name).includes(target));
    for (const [workload, count] of await countStatements(target.name, counted, samples)) statements.set(`${workload}|${target.name}`, count);
  }
  for (const workload of workloads) {
    for (const target of targetsOf(workload.name)) await measure(target, workload.definitions, samples, 16, values.smoke ? 0.5 : 2);
  }

  const results = new Map<string, Measurement[]>();
  for (let round = 0; round < rounds; round++) {
    for (const connections of connectionCounts) {
      for (const workload of workloads) {
        const order = round % 2 === 0 ? targetsOf(workload.name) : [...targetsOf(workload.name)].reverse();
        for (const target of order) {
          const key = `${workload.name}|${connections}|${target.name}`;
          const measurement = await measure(target, workload.definitions, samples, connections, duration);
          results.set(key, [...(results.get(key) ?? []), measurement]);
        }
      }
      process.stderr.write(`round ${round + 1}/${rounds} at ${connections} connections done\n`);
    }
  }

  const ratios: Record<number, number> = {};
  console.log(`\nRead benchmark: ${rounds} round(s) of ${duration} s per query, target and connection count; PostgreSQL database "${database}".`);
  console.log('| query | conns | server | req/s median (min–max) | p50 ms | p99 ms | errors | server CPU s/1k req | PG CPU s/1k req | SQL stmts/req | API/floor |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const workload of workloads) {
    for (const connections of connectionCounts) {
      const floorRate = median((results.get(`${workload.name}|${connections}|floor`) ?? []).map((m) => m.requestsPerSecond));
      for (const target of targets.map((t) => t.name)) {
        const list = results.get(`${workload.name}|${connections}|${target}`) ?? [];
        const rates = list.map((m) => m.requestsPerSecond);
        const rate = median(rates);
        const ratio = floorRate > 0 ? rate / floorRate : Number.NaN;
        if (workload.name === 'mix' && target === 'api') ratios[connections] = ratio;
        if (list.length === 0) continue;
        console.log(
          `| ${workload.name} ${workload.description} | ${connections} | ${target} | ${fixed(rate)} (${fixed(Math.min(...rates))}–${fixed(Math.max(...rates))}) | ` +
            `${fixed(median(list.map((m) => m.p50)), 1)} | ${fixed(median(list.map((m) => m.p99)), 1)} | ${list.reduce((sum, m) => sum + m.errors, 0)} | ` +
            `${fixed(median(list.map((m) => m.serverCpuPer1000)), 2)} | ${fixed(median(list.map((m) => m.databaseCpuPer1000)), 2)} | ` +
            `${fixed(statements.get(`${workload.name}|${target}`) ?? Number.NaN, 2)} | ${target === 'floor' ? '' : Number.isNaN(ratio) ? '–' : fixed(ratio, 2)} |`,
        );
      }
    }
  }
  for (const [key, list] of results) {
    const kinds = new Map<string, number>();
    for (const measurement of list) for (const [kind, n] of measurement.errorKinds) kinds.set(kind, (kinds.get(kind) ?? 0) + n);
    if (kinds.size > 0) {
      const [workload, connections, target] = key.split('|');
      console.log(`errors of ${workload} at ${connections} connections, ${target}: ${[...kinds].map(([kind, n]) => `${n} × ${kind}`).join('; ')}`);
    }
  }
  console.log(`peak RSS: ${targets.map((t) => `${t.name} ${fixed(peakRssMb(t.process.pid!))} MB`).join(', ')}`);
  console.log(`mix/floor ${connectionCounts.map((c) => `${c}: ${fixed(ratios[c] ?? Number.NaN, 2)}`).join(' ')}`);
} finally {
  await stopServers(targets);
  await sql.end();
}
