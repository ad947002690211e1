/**
 * What both read benchmarks (on PostgreSQL, `read.ts`, and on the embedded database,
 * `read-embedded.ts`) share: servers in child processes, their CPU and memory from /proc, the
 * requests they are sent and the load that times them.
 */
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { QueryDefinition, Samples } from './queries.ts';

/**
 * The command line both read benchmarks take; `usage` is printed for `--help` (exit 0) and for an
 * unknown option (exit 2).
 */
export function readBenchOptions(usage: string, defaults: { rounds: string; duration: string }, extra: { smoke?: boolean } = {}) {
  try {
    const { values } = parseArgs({
      options: {
        rounds: { type: 'string', default: defaults.rounds },
        duration: { type: 'string', default: defaults.duration },
        connections: { type: 'string', default: '16,64' },
        queries: { type: 'string', default: 'Q1,Q2,Q3,Q4,Q5,Q6,Q6c,mix' },
        baseline: { type: 'string' },
        help: { type: 'boolean', default: false },
        ...(extra.smoke ? { smoke: { type: 'boolean' as const, default: false } } : {}),
      },
    });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    return values as typeof values & { smoke?: boolean };
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
}

export interface Target {
  name: 'api' | 'floor' | 'baseline';
  url: string;
  process: ChildProcess;
}

export const CLOCK_TICKS = 100;

export const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

export async function waitFor(url: string, child: ChildProcess) {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with ${child.exitCode}`);
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' });
      if (response.status < 500) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not start`);
}

/**
 * The node arguments of the server a checkout's `pnpm start` runs, so the measured process is the
 * server itself (not pnpm's): the start script's last command. The commands before it (a build)
 * are run first, in the checkout. Older checkouts start with tsx.
 */
export function serverArguments(checkout: string): string[] {
  const start = JSON.parse(readFileSync(`${checkout}/package.json`, 'utf8')).scripts.start as string;
  const commands = start.split('&&').map((command) => command.trim());
  const server = commands.pop()!.replace(/^exec\s+/, '');
  for (const command of commands) execSync(command, { cwd: checkout, stdio: ['ignore', 'ignore', 'inherit'] });
  if (server.startsWith('tsx ')) return ['--import', 'tsx', ...server.slice(4).split(/\s+/)];
  if (server.startsWith('node ')) return server.slice(5).split(/\s+/);
  throw new Error(`${checkout}: pnpm start runs neither node nor tsx: ${start}`);
}

/**
 * The API of a checkout as its `pnpm start` runs it, in production mode, with `env` added (the
 * database it uses: DATABASE_URL, or none and NARAVARD_DATA_DIR for the embedded one).
 */
export async function startApi(checkout: string, name: 'api' | 'baseline', env: Record<string, string | undefined>): Promise<Target> {
  const port = await freePort();
  const child = spawn(process.execPath, serverArguments(checkout), {
    cwd: checkout,
    // The load generator is one client sending many requests at once: the per-client limits,
    // which would refuse most of them, are off for the measurement.
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', RATE_LIMIT_COST: '0', CONCURRENCY_LIMIT: '0', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  await waitFor(url, child);
  return { name, url, process: child };
}

/** CPU ticks (user + system) of one process so far; 0 once it is gone. */
const ownTicks = (pid: number) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
};

/** The live child processes of a process (an API's workers when WEB_CONCURRENCY > 1). */
const childrenOf = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

/** CPU ticks of a server: its process and its live child processes, so that a cluster's workers count too. */
export const cpuTicks = (pid: number): number => ownTicks(pid) + childrenOf(pid).reduce((sum, child) => sum + ownTicks(child), 0);

export const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

export async function stopServers(list: Target[]) {
  // A server gets a moment to stop on SIGTERM, then is killed: the figures are taken already.
  for (const target of list) target.process.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 2000));
  for (const target of list) if (target.process.exitCode === null) target.process.kill('SIGKILL');
}

export function requestBody(definition: QueryDefinition, samples: Samples, n: number) {
  return JSON.stringify({ operationName: definition.name.slice(0, 2), query: definition.query, variables: definition.variables(samples, n) });
}

export async function post(url: string, body: string) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, json: (await response.json()) as { data?: unknown; errors?: unknown } };
}

/** One timed load of a workload against one server: rates, latencies, errors, the server's CPU. */
export async function load(target: Target, definitions: QueryDefinition[], samples: Samples, connections: number, seconds: number) {
  let counter = 0;
  // Each failed request counts once, under one kind: a GraphQL error (whatever its HTTP status),
  // another HTTP status, no answer, or a connection error.
  const errorKinds = new Map<string, number>();
  const count = (kind: string, n = 1) => n > 0 && errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + n);
  const serverBefore = cpuTicks(target.process.pid!);
  const result = await autocannon({
    url: target.url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request: autocannon.Request) => {
          const n = counter++;
          return { ...request, body: requestBody(definitions[n % definitions.length]!, samples, Math.floor(n / definitions.length)) };
        },
        onResponse: (status: number, body: string) => {
          if (body.includes('"errors"')) count(`GraphQL error "${graphqlMessage(body)}"`);
          else if (status >= 300) count(`HTTP ${status}`);
        },
      },
    ],
  });
  const serverTicks = cpuTicks(target.process.pid!) - serverBefore;
  const requests = result.requests.total;
  // autocannon's `errors` counts its timeouts (no answer within 10 s) as well as socket errors.
  count('no answer within 10 s', result.timeouts);
  count('connection error', result.errors - result.timeouts);
  return {
    requests,
    requestsPerSecond: requests / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: [...errorKinds.values()].reduce((sum, n) => sum + n, 0),
    serverCpuPer1000: ((serverTicks / CLOCK_TICKS) * 1000) / Math.max(requests, 1),
    /** What the errors were, by kind, so a table's error count can be told apart from a slow answer. */
    errorKinds,
  };
}

/** The first message of a GraphQL error response, shortened. */
function graphqlMessage(body: string): string {
  try {
    const message = String((JSON.parse(body) as { errors?: { message?: unknown }[] }).errors?.[0]?.message ?? '');
    return message.length > 100 ? `${message.slice(0, 100)}…` : message;
  } catch {
    return body.slice(0, 100);
  }
}

export const median = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export const fixed = (value: number, digits = 0) => value.toFixed(digits);
