import { fileURLToPath } from 'node:url';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Connection } from './connect.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../migrations', import.meta.url));

/** Applies the committed migrations that have not run yet. Running it again changes nothing. */
export async function migrate(connection: Connection): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  if (connection.driver === 'pglite') {
    await migratePglite(connection.db as unknown as PgliteDatabase, config);
  } else {
    await migratePostgres(connection.db as unknown as PostgresJsDatabase, config);
  }
}
