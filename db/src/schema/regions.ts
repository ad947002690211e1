import { sql } from 'drizzle-orm';
import { check, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { bookkeeping, id } from './columns.ts';

/** The 21 Swedish regions (regioner), keyed by SCB county code (länskod). */
export const regions = pgTable(
  'regions',
  {
    id: id(),
    /** SCB county code, two digits: "07" is Kronoberg. */
    code: text('code').notNull(),
    /** The regional authority: "Region Kronoberg". */
    name: text('name').notNull(),
    /** The county: "Kronobergs län". */
    countyName: text('county_name').notNull(),
    /** ISO 3166-2 code: "SE-G". */
    isoCode: text('iso_code').notNull(),
    ...bookkeeping(),
  },
  (table) => [
    uniqueIndex('regions_code_key').on(table.code),
    uniqueIndex('regions_iso_code_key').on(table.isoCode),
    check('regions_code_format', sql`${table.code} ~ '^[0-9]{2}$'`),
    check('regions_iso_code_format', sql`${table.isoCode} ~ '^SE-[A-Z]{1,2}$'`),
  ],
);
