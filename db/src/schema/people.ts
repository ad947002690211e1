import { sql } from 'drizzle-orm';
import { check, date, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { bookkeeping, id } from './columns.ts';
import { organisations } from './organisations.ts';

/** People named in the records. */
export const people = pgTable(
  'people',
  {
    id: id(),
    name: text('name').notNull(),
    /** Other spellings of the name met in the documents. */
    aliases: text('aliases')
      .array()
      .notNull()
      .default(sql`ARRAY[]::text[]`),
    ...bookkeeping(),
  },
  (table) => [
    index('people_updated_at_idx').on(table.updatedAt),
    index('people_name_trgm_idx').using('gin', sql`naravard_unaccent(lower(${table.name})) gin_trgm_ops`),
  ],
);

/** A person's role in an organisation, with the title the records give ("Programchef"). */
export const memberships = pgTable(
  'memberships',
  {
    id: id(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    title: text('title'),
    startedOn: date('started_on'),
    endedOn: date('ended_on'),
    ...bookkeeping(),
  },
  (table) => [
    index('memberships_person_idx').on(table.personId),
    index('memberships_organisation_idx').on(table.organisationId),
    check(
      'memberships_dates_ordered',
      sql`${table.startedOn} IS NULL OR ${table.endedOn} IS NULL OR ${table.startedOn} <= ${table.endedOn}`,
    ),
  ],
);
