import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, type Connection, loadSeedData, migrate } from '@naravard/db';
import { createTestDatabase, type TestDatabase } from '@naravard/db/testing';
import { cliCommand } from '../../../api/test/support/process.ts';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A database the command line (a child process) can use: a new PostgreSQL database when
 * DATABASE_URL is set, else a PGlite data folder of the test's own. Migrated, seeded when asked.
 */
export interface CliDatabase {
  env: Record<string, string>;
  /** Opens the database in this process (close it before the next command runs on PGlite). */
  open(): Promise<Connection>;
  dispose(): Promise<void>;
}

export async function createCliDatabase(options: { seed: boolean }): Promise<CliDatabase> {
  if (process.env.DATABASE_URL) {
    const database: TestDatabase = await createTestDatabase(options);
    await database.close();
    return {
      env: { DATABASE_URL: database.url! },
      open: () => connect({ databaseUrl: database.url! }),
      dispose: () => database.dispose(),
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'naravard-ingest-'));
  const connection = await connect({ dataDir });
  await migrate(connection);
  if (options.seed) await loadSeedData(connection.db);
  await connection.close();
  return {
    env: { NARAVARD_DATA_DIR: dataDir },
    open: () => connect({ dataDir }),
    dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** Runs `pnpm naravard …` as a user would, as a child process. */
export function naravard(args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<CliResult> {
  const cli = cliCommand();
  return run([...cli.args, ...args], { ...cli.env, ...env }, cwd);
}

/** Runs `pnpm seed:check <folder>`. */
export function seedCheck(folder: string): Promise<CliResult> {
  return run(['--import', 'tsx', join(ROOT, 'db/src/cli/check-seed.ts'), folder], {}, ROOT);
}

function run(args: string[], env: Record<string, string>, cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const { DATABASE_URL: _url, NARAVARD_DATA_DIR: _dir, ...inherited } = process.env;
    const child = spawn(process.execPath, args, { cwd, env: { ...inherited, LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Whitespace folded, as quotes are compared. */
export const folded = (value: string) => value.replace(/\s+/g, ' ').trim();

/** Every citation in a draft, with the record key carrying it. */
export function citations(value: unknown, found: { key: string; quote: string; lines: [number, number] }[] = []) {
  if (Array.isArray(value)) for (const item of value) citations(item, found);
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (Array.isArray(record.cite)) for (const c of record.cite as { quote: string; lines: [number, number] }[]) found.push({ key: String(record.key), ...c });
    for (const [field, child] of Object.entries(record)) if (field !== 'cite') citations(child, found);
  }
  return found;
}
