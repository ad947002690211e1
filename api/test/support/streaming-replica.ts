import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { run } from './postgres-server.ts';

/** Whether a port of 127.0.0.1 can be listened on now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The first free port of a range, skipping `taken`. */
export async function freePortIn(from: number, to: number, taken: number[] = []): Promise<number> {
  for (let port = from; port <= to; port += 1) {
    if (!taken.includes(port) && (await portIsFree(port))) return port;
  }
  throw new Error(`no free port in ${from}-${to}`);
}

export interface OwnServer {
  port: number;
  url(database: string): string;
  /** Stops it (`fast`: clients are disconnected, a checkpoint is written; `immediate`: like a crash). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again, waiting until it accepts connections. */
  start(): Promise<void>;
  log(): string;
}

export interface StreamingPair {
  primary: OwnServer;
  standby: OwnServer;
  /** Stops both servers and removes their files; safe to call whatever state they are in. */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL primary and a hot standby that streams from it, both of the test's own in a
 * temporary folder: `initdb` with wal_level=replica, `pg_basebackup -R` for the standby. Both load
 * pg_stat_statements, so a test can count where statements ran. `prepare` runs on the primary
 * before the base backup (a database, extensions).
 */
export async function startStreamingPair({
  ports,
  prepare,
}: {
  ports: [number, number];
  prepare: (adminUrl: string) => Promise<void>;
}): Promise<StreamingPair> {
  const folder = mkdtempSync(join(tmpdir(), 'naravard-replica-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(folder, uid, gid);
  }
  const started: OwnServer[] = [];
  const server = (name: string, port: number): OwnServer => {
    const data = join(folder, name);
    const logFile = join(folder, `${name}.log`);
    const options = [
      `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c shared_buffers=16MB -c max_connections=60`,
      '-c wal_level=replica -c max_wal_senders=4 -c wal_keep_size=64MB -c wal_receiver_status_interval=1s',
      '-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all',
      // A standby whose primary went away tries again soon (the default waits 5 s).
      '-c wal_retrieve_retry_interval=500ms',
    ].join(' ');
    return {
      port,
      url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
      async start() {
        const deadline = Date.now() + 60_000;
        for (;;) {
          const result = await run('pg_ctl', ['-D', data, '-o', options, '-l', logFile, '-w', '-t', '30', 'start'], { allowFailure: true });
          if (result.status === 0) return;
          if (Date.now() > deadline) throw new Error(`PostgreSQL (${name}) did not start:\n${result.output}\n${this.log()}`);
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      },
      async stop(mode = 'fast') {
        await run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '30', 'stop'], { allowFailure: true });
      },
      log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : ''),
    };
  };
  const primary = server('primary', ports[0]);
  const standby = server('standby', ports[1]);
  const destroy = async () => {
    for (const each of started.reverse()) await each.stop('immediate');
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    await run('initdb', ['-D', join(folder, 'primary'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C.UTF-8']);
    started.push(primary);
    await primary.start();
    await prepare(primary.url('postgres'));
    await run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(ports[0]), '-U', 'postgres', '-D', join(folder, 'standby'), '-R', '-X', 'stream', '-c', 'fast', '--no-sync']);
    started.push(standby);
    await standby.start();
  } catch (error) {
    await destroy();
    throw error;
  }
  return { primary, standby, destroy };
}

/** Runs one statement on a server and closes the connection. */
export async function queryOnce<T = Record<string, unknown>>(url: string, text: string): Promise<T[]> {
  const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 2 });
  try {
    return (await client.unsafe(text)) as unknown as T[];
  } finally {
    await client.end({ timeout: 1 });
  }
}
