import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Connection, connect, loadSeedData, migrate, selectRows } from '@naravard/db';
import { createTestDatabase } from '@naravard/db/testing';
import { sql } from 'drizzle-orm';
import { cliCommand } from '../../../api/test/support/process.ts';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The JSON lines the command printed on stdout (it is not a terminal). */
  events: Record<string, any>[];
}

/**
 * A seeded database the command line can open as a separate process: a PGlite data folder, or a
 * fresh PostgreSQL database when DATABASE_URL is set. `inspect` opens it from the test between
 * commands (a PGlite folder is opened by one process at a time).
 */
export interface CliDatabase {
  env: NodeJS.ProcessEnv;
  /** Runs `naravard <args>`; `onSpawn` gets the process as soon as it is started (to signal it). */
  run(args: string[], extraEnv?: NodeJS.ProcessEnv, onSpawn?: (child: ChildProcess) => void): Promise<CliResult>;
  inspect<T>(work: (connection: Connection) => Promise<T>): Promise<T>;
  dispose(): Promise<void>;
}

export async function createCliDatabase(): Promise<CliDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'naravard-ingest-'));
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', NARAVARD_DATA_DIR: dataDir, USER: 'importer-test' };
  let dispose = async () => {};
  if (process.env.DATABASE_URL) {
    const database = await createTestDatabase({ seed: true });
    env.DATABASE_URL = database.url;
    await database.close();
    dispose = () => database.dispose();
  } else {
    delete env.DATABASE_URL;
    const connection = await connect({ dataDir });
    await migrate(connection);
    await loadSeedData(connection.db);
    await connection.close();
  }
  const inspect = async <T>(work: (connection: Connection) => Promise<T>) => {
    const connection = await connect({ databaseUrl: env.DATABASE_URL, dataDir });
    try {
      return await work(connection);
    } finally {
      // The work may have closed it already (an API server closes its connection when it stops).
      await connection.close().catch(() => {});
    }
  };
  return {
    env,
    inspect,
    run: (args, extraEnv = {}, onSpawn) =>
      new Promise((resolve, reject) => {
        const cli = cliCommand();
        const child = spawn(process.execPath, [...cli.args, ...args], {
          cwd: ROOT,
          env: { ...env, ...cli.env, ...extraEnv },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        onSpawn?.(child);
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk) => (stdout += chunk));
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.on('error', reject);
        child.on('close', (code) => {
          const events = [...stdout.split('\n'), ...stderr.split('\n')]
            .filter((line) => line.startsWith('{'))
            .map((line) => JSON.parse(line) as Record<string, any>);
          resolve({ code, stdout, stderr, events });
        });
      }),
    async dispose() {
      await dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every table's rows as a checksum, except `imports` (a refused import is recorded as failed). */
export async function contentChecksum(connection: Connection): Promise<string> {
  const tables = await selectRows<{ table_name: string }>(
    connection.db,
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_name not in ('imports') order by table_name`,
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const [row] = await selectRows<{ checksum: string | null; count: number }>(
      connection.db,
      sql.raw(`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as checksum, count(*)::int as count from ${table_name} t`),
    );
    parts.push(`${table_name}:${row!.count}:${row!.checksum}`);
  }
  return parts.join('\n');
}

/** An Organisation's global ID, as the API gives it out. */
export const organisationGlobalId = (uuid: string) => Buffer.from(`Organisation:${uuid}`).toString('base64');
