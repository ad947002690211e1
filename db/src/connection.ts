/**
 * The light part of the database package: connecting, migrating, the tables and API keys, without
 * the seed data readers and loaders. The command line imports this for commands that need no more.
 */
export * from './connect.ts';
export * from './migrate.ts';
export * as tables from './schema/index.ts';
export * from './api-keys.ts';
export { DataFolderInUseError } from './data-lock.ts';
