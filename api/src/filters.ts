import { type EntityType, tables } from '@naravard/db';
import { and, eq, gte, isNull, lte, type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { builder } from './builder.ts';
import { BadInputError } from './errors.ts';
import { ACCEPTS_NAMES } from './limits.ts';
import { UUID } from './loaders.ts';
import { globalIdParts } from './scalars.ts';

export { organisationIdOf, regionCodeOf, resolveFilterNames, topicSlugOf } from './names.ts';

/** Shared pieces of every list's `filter`, so each list reads the same way. */

export const DateRange = builder.inputType('DateRange', {
  description: 'An inclusive range of dates; either end may be left open.',
  fields: (t) => ({
    from: t.field({ type: 'Date', description: 'First date included.' }),
    to: t.field({ type: 'Date', description: 'Last date included.' }),
  }),
});

export interface Lifecycle {
  updatedSince?: Date | null | undefined;
  includeDeleted?: boolean | null | undefined;
}

/**
 * Which rows a list shows by their lifecycle: live rows by default; with `updatedSince`, every row
 * changed since then, deleted ones included (marked by `deletedAt`), so incremental copies can drop them.
 */
export function lifecycleConditions(table: { updatedAt: PgColumn; deletedAt: PgColumn }, filter: Lifecycle | null | undefined): SQL[] {
  const conditions: SQL[] = [];
  if (filter?.updatedSince) conditions.push(gte(table.updatedAt, filter.updatedSince));
  if (!filter?.updatedSince && !filter?.includeDeleted) conditions.push(isNull(table.deletedAt));
  return conditions;
}

export function dateInRange(column: PgColumn, range: { from?: string | null; to?: string | null } | null | undefined): SQL[] {
  const conditions: SQL[] = [];
  if (range?.from) conditions.push(gte(column, range.from));
  if (range?.to) conditions.push(lte(column, range.to));
  return conditions;
}

/**
 * The words of a text filter as `search` reads them: Swedish stemming, accents folded, web-search
 * syntax ("quoted phrase", `or`, -word); every word must be in the text, as a whole word.
 */
export function wordsQuery(text: string): SQL {
  return sql`websearch_to_tsquery('swedish', naravard_unaccent(${withoutLoneDashes(text)}::text))`;
}

/**
 * The text with dashes that stand alone (a title's separator: "Mötesanteckningar - Styrgrupp")
 * taken out: `websearch_to_tsquery` would read them as excluding the next word, which only a dash
 * against its word ("-styrgrupp") means.
 */
export function withoutLoneDashes(text: string): string {
  return text.replace(/(^|\s)[-–—]+(?=\s|$)/g, '$1');
}

/**
 * A date known to a day, a month or a year (stored as the first day and a precision column) whose
 * period overlaps the range: "December 2022" is found by any range that touches December 2022.
 */
export function periodInRange(
  start: PgColumn,
  precision: PgColumn,
  range: { from?: string | null; to?: string | null } | null | undefined,
): SQL[] {
  const conditions: SQL[] = [];
  if (range?.to) conditions.push(lte(start, range.to));
  if (range?.from) {
    conditions.push(sql`(case ${precision} when 'year' then (${start} + interval '1 year' - interval '1 day')::date
      when 'month' then (${start} + interval '1 month' - interval '1 day')::date else ${start} end) >= ${range.from}::date`);
  }
  return conditions;
}

/**
 * The words of a text filter in one or more text columns, matched as `search` matches them
 * (stemmed, accent-folded, whole words: "Nr 1" does not find "Nr 10", "handlingsplan" finds
 * "handlingsplanen"). For a table with a generated `search_vector` over the same columns use
 * `wordsInVector`, which is answered from its full-text index.
 */
export function textMatches(columns: (PgColumn | SQL)[], text: string | null | undefined): SQL | undefined {
  if (!text?.trim()) return undefined;
  const haystack = sql.join(
    columns.map((column) => sql`coalesce(${column}, '')`),
    sql` || ' ' || `,
  );
  return sql`to_tsvector('swedish', naravard_unaccent(${haystack})) @@ ${wordsQuery(text.trim())}`;
}

/** The words of a text filter in a table's generated Swedish `search_vector` (through its GIN index). */
export function wordsInVector(vector: PgColumn, text: string | null | undefined): SQL | undefined {
  if (!text?.trim()) return undefined;
  return sql`${vector} @@ ${wordsQuery(text.trim())}`;
}

/** The row's region, given by SCB county code. */
export function regionIs(column: PgColumn, code: string | Placeholder | null | undefined): SQL | undefined {
  if (!code) return undefined;
  return eq(column, sql`(select ${tables.regions.id} from ${tables.regions} where ${tables.regions.code} = ${code})`);
}

/**
 * The UUID of a global ID given as a filter argument (`t.globalID`), undefined when it is left out.
 * Refused, with a BadInputError naming the argument, unless it names a record of the expected type
 * (or one of the expected types) and holds a UUID.
 */
export function filterId(
  given: { typename: string; id: string } | string | null | undefined,
  expected: string | readonly string[],
  argument: string,
): string | undefined {
  if (!given) return undefined;
  const value = typeof given === 'string' ? globalIdParts(given) : given;
  if (!value) throw new BadInputError(`"${argument}" is not an ID this API gave out`, argument);
  const typeNames = typeof expected === 'string' ? [expected] : expected;
  if (!typeNames.includes(value.typename)) {
    throw new BadInputError(`"${argument}" must be an ID of type ${typeNames.join(' or ')}, got an ID of type ${value.typename}`, argument);
  }
  if (!UUID.test(value.id)) throw new BadInputError(`"${argument}" is not an ID this API gave out`, argument);
  return value.id;
}

/** Options of an ID filter field that also takes a name (`organisation: "Regionstyrelsen"`), resolved by `resolveFilterNames`. */
export const takesNames = { extensions: { [ACCEPTS_NAMES]: true } } as const;

/** The row references the record a filter argument names by global ID (checked by `filterId`). */
export function referenceIs(
  column: PgColumn,
  value: { typename: string; id: string } | string | null | undefined,
  expected: string,
  argument: string,
): SQL | undefined {
  const id = filterId(value, expected, argument);
  return id ? eq(column, id) : undefined;
}

/** The row is tagged with the topic (by slug); a deleted topic or tag matches nothing. */
export function taggedWith(entityType: EntityType, idColumn: PgColumn, slug: string | null | undefined): SQL | undefined {
  if (!slug) return undefined;
  return sql`exists (select 1 from ${tables.topicLinks} join ${tables.topics} on ${tables.topics.id} = ${tables.topicLinks.topicId}
    and ${tables.topics.deletedAt} is null
    where ${tables.topics.slug} = ${slug} and ${tables.topicLinks.entityType} = ${entityType}
    and ${tables.topicLinks.entityId} = ${idColumn} and ${tables.topicLinks.deletedAt} is null)`;
}

export function allOf(conditions: (SQL | undefined)[]): SQL | undefined {
  return and(...conditions.filter((condition): condition is SQL => condition !== undefined));
}

/** Adds the lifecycle fields (`updatedSince`, `includeDeleted`) every list filter has. */
export const lifecycleFilterFields = (t: PothosSchemaTypes.InputFieldBuilder<typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never, 'InputObject'>) => ({
  updatedSince: t.field({
    type: 'DateTime',
    description: 'Only records changed at or after this instant, deleted ones included (see `deletedAt`): for incremental refresh.',
  }),
  includeDeleted: t.boolean({ description: 'Include deleted records (tombstones). Off by default.' }),
});
