import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type Connection, connect, type Database } from './connect.ts';
import { migrate } from './migrate.ts';
import { loadSeedData } from './seed/load.ts';
import { type Actor, Writer } from './writer.ts';

export interface TestDatabase extends Connection {
  /** The connection string of the test's own database, when running on PostgreSQL. */
  url: string | undefined;
  /** SQL statements sent since the last `resetStatements()`. */
  statements: string[];
  resetStatements(): void;
  /** Closes the connection (if still open) and drops the test's database. */
  dispose(): Promise<void>;
}

/**
 * A database of the test file's own: PGlite in memory when `DATABASE_URL` is not set, otherwise
 * a new database on that PostgreSQL server, dropped at the end. Migrated; seeded when asked.
 */
export async function createTestDatabase(options: { seed?: boolean; namePrefix?: string } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  const statements: string[] = [];
  let url: string | undefined;
  let drop = async () => {};
  if (serverUrl) {
    // NARAVARD_TEST_DATABASE_PREFIX keeps the databases of one checkout apart from another's on a shared server.
    const prefix = options.namePrefix ?? process.env.NARAVARD_TEST_DATABASE_PREFIX ?? 'naravard_test';
    if (!/^[a-z_][a-z0-9_]{0,30}$/.test(prefix)) throw new Error(`NARAVARD_TEST_DATABASE_PREFIX must be a lower-case SQL name, got "${prefix}"`);
    const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await admin.end();
    const parsed = new URL(serverUrl);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
    drop = async () => {
      const cleanup = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    };
  }
  const connection = await connect({
    databaseUrl: url,
    dataDir: 'memory://',
    maxConnections: 4,
    onQuery: (sql) => statements.push(sql),
  });
  await migrate(connection);
  if (options.seed) await loadSeedData(connection.db);
  statements.length = 0;
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= connection.close());
  return {
    ...connection,
    close,
    url,
    statements,
    resetStatements: () => {
      statements.length = 0;
    },
    dispose: async () => {
      await close();
      await drop();
    },
  };
}

/** Carries what a rolled-back write returned or threw out of its transaction. */
class RolledBack extends Error {
  constructor(readonly outcome: { value: unknown } | { error: unknown }) {
    super('rolled back');
  }
}

/**
 * Runs `work` through a Writer in a transaction that is always rolled back: a test of a write rule
 * sees its writes (and the change log) inside, and leaves the database as it found it for the
 * next test. Returns what `work` returned, or throws what it threw.
 */
export async function inRolledBackWrite<T>(db: Database, actor: Actor, work: (writer: Writer) => Promise<T>): Promise<T> {
  try {
    await db.transaction(async (tx) => {
      let outcome: { value: unknown } | { error: unknown };
      try {
        outcome = { value: await work(new Writer(tx, actor)) };
      } catch (error) {
        outcome = { error };
      }
      throw new RolledBack(outcome);
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
    if ('error' in error.outcome) throw error.outcome.error;
    return error.outcome.value as T;
  }
  throw new Error('unreachable: the transaction always rolls back');
}
