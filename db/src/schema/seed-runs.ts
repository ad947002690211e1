import { pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Which versions of the shipped seed data set have been loaded, so a start loads a new one once. */
export const seedRuns = pgTable(
  'seed_runs',
  {
    id: serial('id').primaryKey(),
    /** SHA-256 over the seed files and reference data. */
    checksum: text('checksum').notNull(),
    appliedAt: timestamp('applied_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('seed_runs_checksum_key').on(table.checksum)],
);
