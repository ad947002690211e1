import { and, eq, inArray, isNull } from 'drizzle-orm';
import * as tables from './schema/index.ts';
import { NotFoundError } from './write-errors.ts';
import type { ObservationMergeRow, Writer } from './writer.ts';

/* The write rules of observations given one by one (upsertObservations); imports take the staged path of observation-imports.ts. */

/**
 * Rows per merge statement. PGlite cannot cancel a statement, and while one runs no timer fires:
 * a stop (the request's time budget, the server's drain limit) takes effect only between
 * statements, so each must be short. At 250 rows a statement takes a few tens of milliseconds on
 * PGlite (2,000 took seconds on a loaded machine and pushed a shutdown past its limit); the
 * extra statements cost PostgreSQL little, as the merge is set-based within each.
 */
export const OBSERVATION_ROWS_PER_STATEMENT = 250;

/** A row to upsert, its format already checked: a subject (region code or organisation UUID, exactly one), period, exact value, dimensions as JSON text with sorted names. */
export interface ObservationUpsertRow {
  regionCode: string | null;
  organisationId: string | null;
  period: string;
  value: string;
  dimensions: string;
}

export interface ObservationUpsertOutcome {
  inserted: number;
  updated: number;
  unchanged: number;
  indicator: typeof tables.indicators.$inferSelect;
}

/**
 * Stores values of the live indicator `indicatorCode`: new observations are inserted, those stored
 * with another value (or deleted) are updated and live again, the rest are left as they are; every
 * change is in the change log. A subject no live record has is a NotFoundError at
 * ["rows", index, "region" | "organisation"], and nothing is written.
 */
export async function upsertObservations(writer: Writer, indicatorCode: string, rows: readonly ObservationUpsertRow[]): Promise<ObservationUpsertOutcome> {
  const [indicator] = await writer.tx
    .select()
    .from(tables.indicators)
    .where(and(eq(tables.indicators.code, indicatorCode), isNull(tables.indicators.deletedAt)));
  if (!indicator) throw new NotFoundError('Indicator', indicatorCode, ['indicator']);

  const regionCodes = [...new Set(rows.flatMap((row) => (row.regionCode ? [row.regionCode] : [])))];
  const regionIds = new Map<string, string>();
  if (regionCodes.length > 0) {
    const found = await writer.tx
      .select({ id: tables.regions.id, code: tables.regions.code })
      .from(tables.regions)
      .where(and(inArray(tables.regions.code, regionCodes), isNull(tables.regions.deletedAt)));
    for (const region of found) regionIds.set(region.code, region.id);
  }
  const organisationIds = [...new Set(rows.flatMap((row) => (row.organisationId ? [row.organisationId] : [])))];
  const liveOrganisations = new Set<string>();
  if (organisationIds.length > 0) {
    // One statement: callers bound a batch well under the parameter limit (the API takes 10,000 rows).
    const found = await writer.tx
      .select({ id: tables.organisations.id })
      .from(tables.organisations)
      .where(and(inArray(tables.organisations.id, organisationIds), isNull(tables.organisations.deletedAt)));
    for (const organisation of found) liveOrganisations.add(organisation.id);
  }
  rows.forEach((row, index) => {
    if (row.regionCode && !regionIds.has(row.regionCode)) throw new NotFoundError('Region', row.regionCode, ['rows', index, 'region']);
    if (row.organisationId && !liveOrganisations.has(row.organisationId)) {
      throw new NotFoundError('Organisation', row.organisationId, ['rows', index, 'organisation']);
    }
  });

  // Written in the order of their identity, so two batches touching the same observations
  // take their row locks in the same order and cannot deadlock each other.
  const resolved = rows
    .map((row): ObservationMergeRow => ({
      regionId: row.regionCode ? regionIds.get(row.regionCode)! : null,
      organisationId: row.organisationId,
      period: row.period,
      value: row.value,
      dimensions: row.dimensions,
    }))
    .map((row) => ({ row, key: `${row.regionId ?? ''}|${row.organisationId ?? ''}|${row.period}|${row.dimensions}` }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ row }) => row);
  let inserted = 0;
  let updated = 0;
  for (let start = 0; start < resolved.length; start += OBSERVATION_ROWS_PER_STATEMENT) {
    const counts = await writer.mergeObservations(indicator.id, resolved.slice(start, start + OBSERVATION_ROWS_PER_STATEMENT));
    inserted += counts.inserted;
    updated += counts.updated;
  }
  return { inserted, updated, unchanged: rows.length - inserted - updated, indicator };
}
