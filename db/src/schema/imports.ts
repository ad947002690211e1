import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, numeric, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { apiKeys } from './api-keys.ts';

export const importSource = pgEnum('import_source', ['kolada', 'csv']);
export const importStatus = pgEnum('import_status', ['running', 'succeeded', 'failed']);

/**
 * Every import of indicator data (Kolada, a CSV file): who ran it, when, from where, with which
 * parameters, what it did and how it ended. A Kolada run that failed part-way keeps its checkpoint
 * (the pages still to fetch) and its staged rows, so the next run with the same parameters resumes.
 */
export const imports = pgTable(
  'imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: importSource('source').notNull(),
    status: importStatus('status').notNull().default('running'),
    /** Who ran it: the operating-system user of the command line, or an API key's name. */
    actor: text('actor').notNull(),
    apiKeyId: uuid('api_key_id').references(() => apiKeys.id),
    /** The service's base URL or the file's path. */
    sourceUrl: text('source_url').notNull(),
    /** The parameters as given (KPIs, regions, years, mappings …), canonical: equal parameters, equal JSON. */
    parameters: jsonb('parameters').$type<Record<string, unknown>>().notNull(),
    /** Where an interrupted run resumes: the source's own position (Kolada: the requests and next_url still to fetch). */
    checkpoint: jsonb('checkpoint').$type<Record<string, unknown>>(),
    dryRun: boolean('dry_run').notNull().default(false),
    rowsRead: bigint('rows_read', { mode: 'number' }).notNull().default(0),
    indicatorsCreated: integer('indicators_created').notNull().default(0),
    indicatorsChanged: integer('indicators_changed').notNull().default(0),
    indicatorsUnchanged: integer('indicators_unchanged').notNull().default(0),
    observationsCreated: bigint('observations_created', { mode: 'number' }).notNull().default(0),
    observationsChanged: bigint('observations_changed', { mode: 'number' }).notNull().default(0),
    observationsUnchanged: bigint('observations_unchanged', { mode: 'number' }).notNull().default(0),
    observationsDeleted: bigint('observations_deleted', { mode: 'number' }).notNull().default(0),
    /** Why it failed, when it did. */
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [
    index('imports_started_at_idx').on(table.startedAt),
    index('imports_source_status_idx').on(table.source, table.status),
  ],
);

/**
 * Rows of an import on their way in, before they are merged into `observations` in one
 * transaction. Subjects are as the source names them (county code, kommunkod, organisation ID,
 * Kolada unit id) and resolved set-based at the merge; `position` is where the row stands in the
 * source (a CSV line), for error messages.
 */
export const observationStaging = pgTable(
  'observation_staging',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    position: bigint('position', { mode: 'number' }).notNull(),
    indicatorCode: text('indicator_code').notNull(),
    regionCode: text('region_code'),
    municipalityCode: text('municipality_code'),
    organisationId: uuid('organisation_id'),
    /** Kolada's id of an organisational unit, resolved to its organisation at the merge. */
    koladaOuId: text('kolada_ou_id'),
    period: text('period').notNull(),
    /** Null only for a tombstone. */
    value: numeric('value'),
    dimensions: jsonb('dimensions').$type<Record<string, string>>().notNull(),
    deleted: boolean('deleted').notNull().default(false),
  },
  (table) => [
    index('observation_staging_import_idx').on(table.importId, table.position),
    check('observation_staging_value_or_deleted', sql`${table.value} IS NOT NULL OR ${table.deleted}`),
  ],
);
