import type { Connection } from '@naravard/db/connection';
import { checkDatabase } from '../startup.ts';

/** A mistake in how a command was called: printed without a stack, exit code 2. */
export class UsageError extends Error {}

/**
 * Runs a command's work on the database (DATABASE_URL, or the embedded one), migrated first,
 * and closes it whatever happens. Heavy modules are imported here, not at start, so `--help`
 * and mistyped commands answer at once.
 */
export async function withDatabase<T>(work: (connection: Connection) => Promise<T>, options: { embeddedCacheMb?: number } = {}): Promise<T> {
  const { connect, migrate, DataFolderInUseError } = await import('@naravard/db/connection');
  let connection: Connection;
  try {
    connection = await connect(options);
  } catch (error) {
    // One process at a time may open the embedded database: say who has it and what to do.
    if (error instanceof DataFolderInUseError) {
      const pid = error.owner?.pid;
      throw new UsageError(
        `${error.message}\n` +
          `While the API runs, do this through it: keys with the admin mutations createApiKey(name, scopes) and ` +
          `revokeApiKey(id) (Authorization: Bearer <admin key>), data with the write mutations. ` +
          `Or stop the API first${pid ? ` (kill -TERM ${pid})` : ''} and run this command again.`,
      );
    }
    throw error;
  }
  try {
    // PostgreSQL that cannot be reached or refuses the login: one line, before anything is migrated.
    await checkDatabase(() => connection.ping(), process.env.DATABASE_URL);
    await migrate(connection);
    return await work(connection);
  } finally {
    await connection.close();
  }
}
