import type { Connection } from './connect.ts';
import { migrate } from './migrate.ts';
import { isSeedLoaded, loadSeedData } from './seed/load.ts';
import { readSeedSet } from './seed/read.ts';

/**
 * Makes a database ready to serve: applies pending migrations, then loads the shipped reference
 * and seed data unless this exact version of it was loaded before (so records edited through the
 * API are not overwritten on every start; `pnpm db:seed` reloads on purpose).
 */
export async function prepareDatabase(connection: Connection): Promise<{ seeded: boolean }> {
  await migrate(connection);
  const set = readSeedSet();
  if (await isSeedLoaded(connection.db, set)) return { seeded: false };
  await loadSeedData(connection.db, set);
  return { seeded: true };
}
