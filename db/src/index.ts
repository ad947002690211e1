export * from './connect.ts';
export * from './migrate.ts';
export * from './reference.ts';
export * from './sql.ts';
export * as tables from './schema/index.ts';
export { idFor } from './seed/keys.ts';
export { foldWhitespace, readSeedSet, SeedError, type SeedSet } from './seed/read.ts';
export { isSeedLoaded, loadReferenceData, loadSeedData, type LoadSummary } from './seed/load.ts';
export { prepareDatabase } from './prepare.ts';
