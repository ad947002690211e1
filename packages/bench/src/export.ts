/**
 * The export benchmark: the API started as `pnpm start` starts it (NODE_ENV=production, a child
 * process) streams `/export/observations.csv` (or .ndjson) of the database at DATABASE_URL to this
 * process, which counts rows and bytes as they arrive; the server's resident memory is sampled from
 * /proc every 50 ms. Prints rows per second, time to the first byte, and the server's resting and
 * peak RSS, and (when PostgreSQL runs on this machine) the CPU time of the API's PostgreSQL backends.
 *
 *   DATABASE_URL=postgres://…/naravard_bench pnpm bench:export [--format csv|ndjson] [--query 'indicator=…'] [--runs 1]
 *
 * It only reads: the API's start-up migrates and seeds, which on a database `pnpm bench:data`
 * filled changes nothing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { serverArguments } from './read/servers.ts';

const { values } = parseArgs({
  options: {
    format: { type: 'string', default: 'csv' },
    query: { type: 'string', default: '' },
    runs: { type: 'string', default: '1' },
  },
});
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('bench:export needs DATABASE_URL: the database to export from (e.g. the one `pnpm bench:data` filled)');
  process.exit(2);
}
if (values.format !== 'csv' && values.format !== 'ndjson') {
  console.error('--format is csv or ndjson');
  process.exit(2);
}
const root = fileURLToPath(new URL('../../../', import.meta.url));

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

const memory = (pid: number, field: 'VmRSS' | 'VmHWM') =>
  Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** The API as `pnpm start` runs it: the start script's command, run by node directly so its PID is the server's. */
async function startApi(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, serverArguments(root), {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 1200; attempt++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return { child, url };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the server did not start');
}

/** CPU time a process has used, in seconds (user + system). */
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

/**
 * CPU time of each of the API's PostgreSQL backends, in seconds, by process ID, when PostgreSQL
 * runs on this machine (their processes are in /proc); null otherwise.
 */
const observer = postgres(databaseUrl, { max: 1, onnotice: () => {}, connection: { application_name: 'naravard-bench' } });
async function databaseCpuByBackend(): Promise<Map<number, number> | null> {
  const backends = await observer<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database() and application_name = 'naravard'`;
  const byBackend = new Map<number, number>();
  for (const { pid } of backends) {
    try {
      byBackend.set(pid, cpuSeconds(pid));
    } catch {
      return null;
    }
  }
  return byBackend;
}

/**
 * The backends' CPU time between two readings: a backend that appeared counts from zero; one that
 * ended in between (the pool closed it) is left out, so the figure is then a lower bound, never a
 * difference of two different sets of processes.
 */
function databaseCpuBetween(before: Map<number, number> | null, after: Map<number, number> | null): { seconds: number; ended: number } | null {
  if (!before || !after) return null;
  let seconds = 0;
  for (const [pid, ticks] of after) seconds += ticks - (before.get(pid) ?? 0);
  const ended = [...before.keys()].filter((pid) => !after.has(pid)).length;
  return { seconds, ended };
}

async function exportOnce(url: string, pid: number) {
  const resting = memory(pid, 'VmRSS');
  const cpuBefore = cpuSeconds(pid);
  const databaseCpuBefore = await databaseCpuByBackend();
  let peak = resting;
  const sampler = setInterval(() => (peak = Math.max(peak, memory(pid, 'VmRSS'))), 50);
  const started = performance.now();
  const response = await fetch(`${url}/export/observations.${values.format}${values.query ? `?${values.query}` : ''}`);
  if (response.status !== 200) throw new Error(`the export answered ${response.status}: ${await response.text()}`);
  const expected = Number(response.headers.get('x-total-count'));
  const reader = response.body!.getReader();
  let bytes = 0;
  let lines = 0;
  let firstByte = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (bytes === 0) firstByte = performance.now() - started;
    bytes += value.length;
    for (let index = value.indexOf(10); index >= 0; index = value.indexOf(10, index + 1)) lines += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(pid) - cpuBefore;
  const databaseCpu = databaseCpuBetween(databaseCpuBefore, await databaseCpuByBackend());
  clearInterval(sampler);
  const rows = values.format === 'csv' ? lines - 1 : lines;
  if (rows !== expected) throw new Error(`the export announced ${expected} rows and sent ${rows}`);
  return {
    rows,
    megabytes: Math.round(bytes / 1e5) / 10,
    seconds: Math.round(seconds * 10) / 10,
    rowsPerSecond: Math.round(rows / seconds),
    firstByteMs: Math.round(firstByte),
    restingRssMb: Math.round(resting),
    peakRssMb: Math.round(peak),
    growthMb: Math.round(peak - resting),
    // Load on the machine stretches the seconds, hardly the CPU time a row costs the server.
    serverCpuSeconds: Math.round(cpu * 10) / 10,
    serverCpuMicrosecondsPerRow: Math.round((cpu * 1e6) / rows),
    // The backends the export used (its snapshot's connection among them); null when PostgreSQL is not local.
    databaseCpuSeconds: databaseCpu === null ? null : Math.round(databaseCpu.seconds * 10) / 10,
    // Backends that ended during the export: their CPU time is missing from the figure.
    databaseBackendsEnded: databaseCpu === null ? null : databaseCpu.ended,
  };
}

const { child, url } = await startApi();
try {
  console.log(`exporting /export/observations.${values.format}${values.query ? `?${values.query}` : ''} from ${new URL(databaseUrl).pathname.slice(1)}`);
  for (let run = 1; run <= Number(values.runs); run++) {
    const result = await exportOnce(url, child.pid!);
    console.log(
      `run ${run}: ${result.rows.toLocaleString('en')} rows, ${result.megabytes} MB in ${result.seconds} s = ${result.rowsPerSecond.toLocaleString('en')} rows/s; ` +
        `first byte ${result.firstByteMs} ms; server RSS resting ${result.restingRssMb} MB, peak ${result.peakRssMb} MB (+${result.growthMb} MB); ` +
        `server CPU ${result.serverCpuSeconds} s (${result.serverCpuMicrosecondsPerRow} µs a row)` +
        (result.databaseCpuSeconds === null
          ? ''
          : `; PostgreSQL CPU ${result.databaseBackendsEnded ? 'at least ' : ''}${result.databaseCpuSeconds} s` +
            (result.databaseBackendsEnded ? ` (${result.databaseBackendsEnded} backend(s) ended during the export)` : '')),
    );
    console.log(JSON.stringify(result));
  }
  console.log(`server peak RSS over its whole life (VmHWM, start-up included): ${Math.round(memory(child.pid!, 'VmHWM'))} MB`);
} finally {
  child.kill('SIGTERM');
  await observer.end();
}
