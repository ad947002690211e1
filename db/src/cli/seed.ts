import { connect } from '../connect.ts';
import { migrate } from '../migrate.ts';
import { loadSeedData } from '../seed/load.ts';
import { SeedError } from '../seed/read.ts';

/** Loads (or reloads) the reference data and the seed data set; a second run changes nothing. */
const connection = await connect();
try {
  await migrate(connection);
  const summary = await loadSeedData(connection.db);
  for (const [table, { inserted, updated }] of Object.entries(summary.tables)) {
    console.log(`${table.padEnd(26)} ${String(inserted).padStart(5)} inserted ${String(updated).padStart(5)} updated`);
  }
} catch (error) {
  if (!(error instanceof SeedError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await connection.close();
}
