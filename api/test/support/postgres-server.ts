import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

export const BIN = '/usr/lib/postgresql/15/bin';

/** Whether this machine has the PostgreSQL 15 binaries a test can run its own server with. */
export const hasPostgresBinaries = existsSync(join(BIN, 'initdb')) && existsSync(join(BIN, 'pg_ctl'));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs a PostgreSQL binary as the `postgres` user when this process is root (initdb refuses root).
 * Asynchronously: the test's clients keep running meanwhile.
 */
export function run(binary: string, args: string[], options: { allowFailure?: boolean } = {}) {
  const asRoot = process.getuid?.() === 0;
  const command = asRoot ? 'runuser' : join(BIN, binary);
  const fullArgs = asRoot ? ['-u', 'postgres', '--', join(BIN, binary), ...args] : args;
  return new Promise<{ status: number | null; output: string }>((resolve, reject) => {
    let output = '';
    const child = spawn(command, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (status) => {
      if (status !== 0 && !options.allowFailure) reject(new Error(`${binary} ${args.join(' ')} failed (${status}):\n${output}`));
      else resolve({ status, output });
    });
  });
}

export interface OwnPostgres {
  port: number;
  /** A connection string for a database on this server. */
  url(database: string): string;
  /** The postmaster's process ID. */
  postmasterPid(): number;
  /** Kills the postmaster with SIGKILL, the way a crash would. */
  crash(): void;
  /** Starts the server again (after a crash, once the orphaned backends are gone), waiting until it accepts connections. */
  start(): Promise<void>;
  /** Stops it for good and removes its files. */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL server of the test's own: initdb into a temporary folder, pg_ctl on a free port of
 * 127.0.0.1. Never the machine's shared server.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const folder = mkdtempSync(join(tmpdir(), 'naravard-h10-pg-'));
  const data = join(folder, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(folder, uid, gid);
  }
  const port = await freePort();
  await run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C.UTF-8']);
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c shared_buffers=32MB -c max_connections=60 -c fsync=on -c synchronous_commit=on`;
  const start = async () => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const result = await run('pg_ctl', ['-D', data, '-o', options, '-l', join(folder, 'log'), '-w', '-t', '30', 'start'], { allowFailure: true });
      if (result.status === 0) return;
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not start:\n${result.output}\n${readLog()}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  };
  const readLog = () => (existsSync(join(folder, 'log')) ? readFileSync(join(folder, 'log'), 'utf8').slice(-3000) : '');
  const postmasterPid = () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  await start();
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    postmasterPid,
    crash() {
      process.kill(postmasterPid(), 'SIGKILL');
    },
    start,
    async destroy() {
      await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], { allowFailure: true });
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Creates a database on a server (its admin database reached by `url`). */
export async function createDatabase(serverUrl: string, name: string) {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
}
