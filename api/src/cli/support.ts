import type { Connection } from '@naravard/db';

/** A mistake in how a command was called: printed without a stack, exit code 2. */
export class UsageError extends Error {}

/**
 * Runs a command's work on the database (DATABASE_URL, or the embedded one), migrated first,
 * and closes it whatever happens. Heavy modules are imported here, not at start, so `--help`
 * and mistyped commands answer at once.
 */
export async function withDatabase<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
  const { connect, migrate } = await import('@naravard/db');
  const connection = await connect();
  try {
    await migrate(connection);
    return await work(connection);
  } finally {
    await connection.close();
  }
}
