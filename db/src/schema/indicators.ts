import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bookkeeping, id } from './columns.ts';
import { organisations } from './organisations.ts';
import { periodGrainOf, periodIsValid, periodStartOf } from './periods.ts';
import { regions } from './regions.ts';

export const indicatorDirection = pgEnum('indicator_direction', ['higher_is_better', 'lower_is_better', 'neutral']);
export const targetComparator = pgEnum('target_comparator', ['at_most', 'at_least', 'equal']);

/** An indicator the reform is followed by (kontinuitetsindex, SIP per month, inhabitants per doctor). */
export const indicators = pgTable(
  'indicators',
  {
    id: id(),
    /** A stable code chosen by the platform ("SIP_MEETINGS"), or the Kolada KPI id's own. */
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    /** What a value counts ("meetings", "per 1,000 listed", "index 0–1"). */
    unit: text('unit').notNull(),
    direction: indicatorDirection('direction').notNull().default('neutral'),
    /** The system the values come from ("Cosmic", "Kolada"). */
    sourceSystem: text('source_system'),
    /** Kolada KPI id (e.g. "N79050") where the indicator exists there. */
    koladaKpiId: text('kolada_kpi_id'),
    ...bookkeeping(),
  },
  (table) => [
    uniqueIndex('indicators_code_key').on(table.code),
    index('indicators_updated_at_idx').on(table.updatedAt),
    check('indicators_code_format', sql`${table.code} ~ '^[A-Z0-9][A-Z0-9_]*$'`),
    check('indicators_kolada_kpi_id_format', sql`${table.koladaKpiId} ~ '^[NU][0-9]{5}$'`),
  ],
);

/** A target for an indicator ("at most 1,100 inhabitants per doctor", "medical assessment within 3 days"). */
export const indicatorTargets = pgTable(
  'indicator_targets',
  {
    id: id(),
    indicatorId: uuid('indicator_id')
      .notNull()
      .references(() => indicators.id),
    comparator: targetComparator('comparator').notNull(),
    value: numeric('value').notNull(),
    /** Null for a national target. */
    regionId: uuid('region_id').references(() => regions.id),
    validFrom: date('valid_from'),
    validTo: date('valid_to'),
    /** The law or plan that sets the target ("Lag 2018:1302"). */
    basis: text('basis'),
    description: text('description'),
    ...bookkeeping(),
  },
  (table) => [
    index('indicator_targets_indicator_idx').on(table.indicatorId),
    check(
      'indicator_targets_dates_ordered',
      sql`${table.validFrom} IS NULL OR ${table.validTo} IS NULL OR ${table.validFrom} <= ${table.validTo}`,
    ),
  ],
);

/**
 * One value of an indicator for a subject (a region or an organisation), a period and a set of
 * dimensions ({"ownership": "private", "setting": "home_care"}). The identity of an observation is
 * indicator + subject + period + dimensions, so bulk upserts are idempotent.
 */
export const observations = pgTable(
  'observations',
  {
    id: id(),
    indicatorId: uuid('indicator_id')
      .notNull()
      .references(() => indicators.id),
    regionId: uuid('region_id').references(() => regions.id),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    period: text('period').notNull(),
    periodGrain: text('period_grain').generatedAlwaysAs(periodGrainOf('period')),
    periodStart: date('period_start').generatedAlwaysAs(periodStartOf('period')),
    value: numeric('value').notNull(),
    /** Dimension name → value; `{}` for the total. */
    dimensions: jsonb('dimensions')
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    ...bookkeeping(),
  },
  (table) => [
    unique('observations_identity_key')
      .on(table.indicatorId, table.regionId, table.organisationId, table.period, table.dimensions)
      .nullsNotDistinct(),
    index('observations_indicator_period_idx').on(table.indicatorId, table.periodStart),
    // A subject's series (an indicator for a region or a municipality over a period range, the
    // main read of BI tools) from one index range. With a subject alone indexed, PostgreSQL read a
    // region's 16,000 index entries at each such read; these also serve the foreign keys.
    index('observations_region_series_idx').on(table.regionId, table.indicatorId, table.periodStart),
    index('observations_organisation_series_idx').on(table.organisationId, table.indicatorId, table.periodStart),
    index('observations_updated_at_idx').on(table.updatedAt),
    index('observations_dimensions_idx').using('gin', table.dimensions),
    check('observations_period_format', periodIsValid('period')),
    check('observations_has_one_subject', sql`num_nonnulls(${table.regionId}, ${table.organisationId}) = 1`),
    check('observations_dimensions_object', sql`jsonb_typeof(${table.dimensions}) = 'object'`),
  ],
);
