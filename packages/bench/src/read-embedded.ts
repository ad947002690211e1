/**
 * The read benchmark on the embedded database (PGlite), the default a newcomer runs: the queries
 * of `bench:read` against the API as `pnpm start` runs it (NODE_ENV=production, no DATABASE_URL)
 * on a PGlite data folder filled by `pnpm bench:data` (without DATABASE_URL, the folder in
 * NARAVARD_DATA_DIR).
 *
 *   NARAVARD_DATA_DIR=.naravard/bench pnpm bench:data --scale small
 *   NARAVARD_DATA_DIR=.naravard/bench pnpm bench:read:embedded [--rounds 2] [--duration 4] [--connections 16,64]
 *       [--queries Q1,…,mix] [--baseline <checkout>]
 *
 * There is no floor here: the database runs inside the API's process, and one data folder has one
 * owner, so no second server can read it at the same time. The API (and the baseline, one after
 * the other: each round starts and stops them in turn) is measured alone; its CPU includes the
 * database's. Parameters are sampled through the API itself.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMON_SEARCH, MIX, QUERIES, type QueryDefinition, type Samples } from './read/queries.ts';
import { fixed, load, median, peakRssMb, post, readBenchOptions, startApi, stopServers, type Target } from './read/servers.ts';
import { BENCH_INDICATOR_PREFIX, RARE_WORDS } from './scale.ts';

const values = readBenchOptions(
  'NARAVARD_DATA_DIR=.naravard/bench pnpm bench:read:embedded [--rounds 2] [--duration 4] [--connections 16,64] [--queries Q1,…,mix] [--baseline <checkout>]',
  { rounds: '2', duration: '4' },
);
if (process.env.DATABASE_URL) {
  console.error('bench:read:embedded measures the embedded database: unset DATABASE_URL (bench:read measures PostgreSQL)');
  process.exit(2);
}
// Absolute: each checkout's server runs in its own folder, and must open this data folder, not its own.
const dataDir = resolve(process.env.NARAVARD_DATA_DIR ?? '.naravard/data');
const root = fileURLToPath(new URL('../../../', import.meta.url));
const rounds = Number(values.rounds);
const duration = Number(values.duration);
const connectionCounts = values.connections.split(',').map(Number);
const env = { DATABASE_URL: undefined, NARAVARD_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };

async function graphql<T>(target: Target, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { json } = await post(target.url, JSON.stringify({ query, variables }));
  if (json.errors) throw new Error(`${query}: ${JSON.stringify(json.errors).slice(0, 500)}`);
  return json.data as T;
}

type Edges<T> = { edges: { node: T }[] };

/** The same kinds of parameters as bench:read samples from PostgreSQL, read through the API. */
async function sampleParameters(api: Target): Promise<Samples> {
  const { regions } = await graphql<{ regions: Edges<{ code: string }> }>(api, '{ regions(first: 100) { edges { node { code } } } }');
  const { meetings } = await graphql<{ meetings: Edges<{ id: string }> }>(api, '{ meetings(first: 100) { edges { node { id } } } }');
  const { indicators } = await graphql<{ indicators: Edges<{ code: string }> }>(api, '{ indicators(first: 100) { edges { node { code } } } }');
  const benchIndicators = indicators.edges.map((edge) => edge.node.code).filter((code) => code.startsWith(BENCH_INDICATOR_PREFIX));
  if (benchIndicators.length === 0 || meetings.edges.length === 0) {
    throw new Error(`The data folder ${dataDir} holds no bench data set: run \`NARAVARD_DATA_DIR=${dataDir} pnpm bench:data --scale small\` first`);
  }
  const { observationAggregates } = await graphql<{ observationAggregates: { period: string }[] }>(
    api,
    'query($indicator: String!) { observationAggregates(indicator: $indicator, groupBy: [YEAR]) { period } }',
    { indicator: benchIndicators[0] },
  );
  const rareWords: string[] = [];
  for (const word of RARE_WORDS.slice(0, 200)) {
    const { search } = await graphql<{ search: { totalCount: number } }>(api, 'query($q: String!) { search(query: $q, first: 1) { totalCount } }', { q: word });
    if (search.totalCount >= 1) rareWords.push(word);
    if (rareWords.length >= 20) break;
  }
  return {
    regions: regions.edges.map((edge) => edge.node.code),
    // bench:read samples meeting UUIDs; the queries turn them into global IDs again.
    meetingIds: meetings.edges.map((edge) => Buffer.from(edge.node.id, 'base64').toString('utf8').split(':')[1]!),
    indicators: benchIndicators,
    years: [...new Set(observationAggregates.map((group) => group.period.slice(0, 4)))].sort(),
    rareWords,
    commonWords: ['vårdcentral', 'patient', 'beslut', 'uppdrag', 'kommun'],
  };
}

const selected = values.queries.split(',');
const workloads: { name: string; description: string; definitions: QueryDefinition[] }[] = [
  ...QUERIES.map((q) => ({ name: q.name, description: q.description, definitions: [q] })),
  { name: 'mix', description: 'even mix Q1–Q5', definitions: MIX },
  { name: COMMON_SEARCH.name, description: COMMON_SEARCH.description, definitions: [COMMON_SEARCH] },
].filter((workload) => selected.includes(workload.name));
const checkouts: { name: 'api' | 'baseline'; checkout: string }[] = [
  { name: 'api', checkout: root },
  ...(values.baseline ? [{ name: 'baseline' as const, checkout: values.baseline }] : []),
];

/**
 * Waits until the server has worked off what a previous load left in flight (the load generator
 * stops waiting, the server does not; on the embedded database statements run one at a time).
 */
async function settle(target: Target) {
  for (let attempt = 0; attempt < 600; attempt++) {
    const started = performance.now();
    await post(target.url, JSON.stringify({ query: '{ regions(first: 1) { totalCount } }' }));
    if (performance.now() - started < 50) return;
  }
}

async function measure(target: Target, definitions: QueryDefinition[], connections: number, seconds: number) {
  await settle(target);
  return load(target, definitions, samples!, connections, seconds);
}

/**
 * The answers of Q1–Q5 for their first parameters: the baseline must give the API's, so both
 * sides are known to read the same data set (a side on another data folder would be timed on
 * other data). Search is left out: its ranking may change between releases.
 */
async function answersOf(target: Target): Promise<Map<string, string>> {
  const answers = new Map<string, string>();
  for (const definition of MIX) {
    const { json } = await post(target.url, JSON.stringify({ query: definition.query, variables: definition.variables(samples!, 0) }));
    answers.set(definition.name, JSON.stringify(json));
  }
  return answers;
}

let apiAnswers: Map<string, string> | null = null;
async function checkSameAnswers(name: 'api' | 'baseline', target: Target) {
  const answers = await answersOf(target);
  if (name === 'api') return void (apiAnswers = answers);
  for (const [query, answer] of answers) {
    const expected = apiAnswers?.get(query);
    if (expected !== undefined && expected !== answer) {
      throw new Error(`${query}: the baseline answers differently from the API on ${dataDir}:\napi:      ${expected.slice(0, 300)}\nbaseline: ${answer.slice(0, 300)}`);
    }
  }
}

type Measurement = Awaited<ReturnType<typeof load>>;
const results = new Map<string, Measurement[]>();
const peakRss = new Map<string, number>();
let samples: Samples | null = null;
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? checkouts : [...checkouts].reverse();
  for (const { name, checkout } of order) {
    const target = await startApi(checkout, name, env);
    try {
      samples ??= await sampleParameters(target);
      if (round === 0) await checkSameAnswers(name, target);
      // Warm-up: documents parsed, statements compiled, the data folder's pages read.
      for (const workload of workloads) await measure(target, workload.definitions, 16, 1);
      for (const connections of connectionCounts) {
        for (const workload of workloads) {
          const key = `${workload.name}|${connections}|${name}`;
          results.set(key, [...(results.get(key) ?? []), await measure(target, workload.definitions, connections, duration)]);
        }
      }
      peakRss.set(name, Math.max(peakRss.get(name) ?? 0, peakRssMb(target.process.pid!)));
    } finally {
      await stopServers([target]);
    }
    process.stderr.write(`round ${round + 1}/${rounds}: ${name} done\n`);
  }
}

console.log(`\nRead benchmark on the embedded database (PGlite, ${dataDir}): ${rounds} round(s) of ${duration} s per query, server and connection count.`);
console.log('| query | conns | server | req/s median (min–max) | p50 ms | p99 ms | errors | server CPU s/1k req (database included) |');
console.log('|---|---|---|---|---|---|---|---|');
for (const workload of workloads) {
  for (const connections of connectionCounts) {
    for (const { name } of checkouts) {
      const list = results.get(`${workload.name}|${connections}|${name}`) ?? [];
      if (list.length === 0) continue;
      const rates = list.map((m) => m.requestsPerSecond);
      console.log(
        `| ${workload.name} ${workload.description} | ${connections} | ${name} | ${fixed(median(rates))} (${fixed(Math.min(...rates))}–${fixed(Math.max(...rates))}) | ` +
          `${fixed(median(list.map((m) => m.p50)), 1)} | ${fixed(median(list.map((m) => m.p99)), 1)} | ${list.reduce((sum, m) => sum + m.errors, 0)} | ` +
          `${fixed(median(list.map((m) => m.serverCpuPer1000)), 2)} |`,
      );
    }
  }
}
console.log(`peak RSS: ${checkouts.map(({ name }) => `${name} ${fixed(peakRss.get(name) ?? 0)} MB`).join(', ')}`);
