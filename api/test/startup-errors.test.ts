import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect as connectSocket, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * A start that cannot succeed says why in one line on stderr and exits 1: the server as users run
 * it (`pnpm start`, NODE_ENV=production, a child process), on the driver of the run.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const onPostgres = Boolean(process.env.DATABASE_URL);
/** Ports of this test: one kept busy by the test, one nothing listens on. */
const BUSY_PORT = 4320;
const CLOSED_PORT = 4329;
const SECRET = 's3cret-Pa55';

let dataParent: string;
/** On PostgreSQL: an empty database of this test's own, dropped at the end. */
let databaseUrl: string | undefined;
const databaseName = `naravard_startup_${process.pid}`;
const admin = () => postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });

beforeAll(async () => {
  dataParent = mkdtempSync(join(tmpdir(), 'naravard-startup-'));
  if (onPostgres) {
    const client = admin();
    await client.unsafe(`CREATE DATABASE ${databaseName}`);
    await client.end();
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
  }
}, 120_000);
afterAll(async () => {
  rmSync(dataParent, { recursive: true, force: true });
  if (onPostgres) {
    const client = admin();
    await client.unsafe(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await client.end();
  }
});

/** `pnpm start` with this environment (DATABASE_URL only when given); its exit code, stdout and stderr. */
function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info', HOST: '', ...env };
  if (!('DATABASE_URL' in env)) delete childEnv.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn('pnpm', ['start'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the start did not end:\n${stdout}\n${stderr}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Whether something accepts connections on 127.0.0.1:port. */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connectSocket({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('pnpm start that cannot start', () => {
  it('an unreachable database: one line naming host and port, no password, exit 1', async () => {
    expect(await accepts(CLOSED_PORT)).toBe(false);
    const result = await start({ DATABASE_URL: `postgres://naravard:${SECRET}@127.0.0.1:${CLOSED_PORT}/naravard`, PORT: '4321' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `naravard: cannot start: cannot reach PostgreSQL at 127.0.0.1:${CLOSED_PORT}/naravard (ECONNREFUSED); is it running, and is DATABASE_URL right?\n`,
    );
    expect(result.stdout).not.toContain(SECRET);
    expect(result.stdout).not.toContain('migrated');
  });

  it('a malformed DATABASE_URL: one line that repeats neither the URL nor its password, exit 1', async () => {
    for (const url of [`postgres://naravard:${SECRET}@[127.0.0.1:${CLOSED_PORT}/naravard`, `naravard:${SECRET}@127.0.0.1/naravard`]) {
      const result = await start({ DATABASE_URL: url, PORT: '4322' });
      expect(result.code, url).toBe(1);
      expect(result.stderr.split('\n')).toHaveLength(2); // one line and its newline
      expect(result.stderr).toMatch(/^naravard: cannot start: DATABASE_URL (is not a valid URL|does not start with postgres:\/\/ or postgresql:\/\/); expected postgres:\/\/user:password@host:5432\/database/);
      expect(result.stderr + result.stdout).not.toContain(SECRET);
      expect(result.stderr + result.stdout).not.toContain('127.0.0.1');
    }
  });

  it('a busy port: found before the database is touched, one line, exit 1', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(BUSY_PORT, resolve));
    try {
      const dataDir = join(dataParent, 'busy-port');
      const result = await start({ PORT: String(BUSY_PORT), NARAVARD_DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `naravard: cannot start: port ${BUSY_PORT} is already in use (is the API running already?); stop what listens there or set PORT to a free port\n`,
      );
      expect(result.stdout).not.toContain('migrated');
      // Nothing was migrated or seeded: no embedded database made, no table in the PostgreSQL one.
      expect(existsSync(dataDir)).toBe(false);
      if (databaseUrl) {
        const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
        const [row] = await client`select count(*)::int as count from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')`;
        await client.end();
        expect(row!.count).toBe(0);
      }
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('a PORT that is not a port: one line, exit 1', async () => {
    const result = await start({ PORT: '40x0', NARAVARD_DATA_DIR: join(dataParent, 'bad-port') });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('naravard: cannot start: PORT must be a whole number from 0 to 65535, not "40x0"\n');
  });
});
