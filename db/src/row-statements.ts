import { getTableName, is, SQL, sql } from 'drizzle-orm';
import { PgColumn } from 'drizzle-orm/pg-core';
import type { Database } from './connect.ts';
import { type RenderedStatement, renderStatement } from './render.ts';

export type { RenderedStatement };

/**
 * Statements that read rows of the platform's tables (list pages, a parent's children), sent
 * without Drizzle's query builder.
 *
 * Drizzle's select builder renders the whole statement on every call: each selected column is a
 * chunk checked against a chain of classes (`is()`), escaped and joined, and each result row is
 * mapped through the same checks again. For the list pages every request reads, that cost more
 * CPU than PostgreSQL spent on the statement. Here the select list of a column set is rendered
 * once (`columnList`), the rest of the statement (conditions, order, limit: a few chunks) is still
 * an SQL template, rendered as Drizzle's dialect renders it (render.ts), and rows are mapped by a plan made once per list.
 * Values are decoded by the columns' own `mapFromDriverValue`, as Drizzle does, so rows are the
 * same as the builder's.
 */

/** A rendered select list of some columns of one table (or of an alias of it) and how to read them back. */
export interface ColumnList {
  /** `"t"."a", "t"."b"`: to put into a statement with `sql.raw`. */
  text: string;
  /** How many values of a result row (in array form) the list takes. */
  width: number;
  /** The row object of the list's values, starting at `row[at]`, keyed by the columns' property names. */
  read(row: readonly unknown[], at: number): Record<string, unknown>;
  /**
   * As `read`, or null when the first column (the ID) is null: the row of a left join that
   * found nothing.
   */
  readJoined(row: readonly unknown[], at: number): Record<string, unknown> | null;
  /**
   * The same columns for `json_build_array(...)`, each as the driver reads it (its text; booleans
   * as they are), so that rows aggregated into JSON (`json_agg`) are read back by `read` alike.
   */
  jsonValues: string;
}

interface Decoder {
  mapFromDriverValue(value: unknown): unknown;
}

const lists = new Map<string, ColumnList>();
const MAX_LISTS = 2_000;

/**
 * The select list of `columns` (property name → column of `table`), qualified by `qualifier`
 * (an alias of a joined table) or by the table's name. Rendered once per `key`, which must name
 * the column set (table, alias and columns).
 */
export function columnList(columns: Record<string, PgColumn>, key: string, qualifier?: string): ColumnList {
  const cacheKey = `${qualifier ?? ''}|${key}`;
  let list = lists.get(cacheKey);
  if (!list) {
    list = buildColumnList(columns, qualifier);
    // Keys come from the schema and the queries' selections, so they are few; the cap only guards memory.
    if (lists.size >= MAX_LISTS) lists.clear();
    lists.set(cacheKey, list);
  }
  return list;
}

const quoteName = (name: string) => `"${name.replace(/"/g, '""')}"`;

function buildColumnList(columns: Record<string, PgColumn>, qualifier: string | undefined): ColumnList {
  const entries = Object.entries(columns);
  for (const [name, column] of entries) {
    if (!is(column, PgColumn)) throw new Error(`columnList: "${name}" is not a column`);
  }
  const names = entries.map(([name]) => name);
  const decoders: Decoder[] = entries.map(([, column]) => column);
  const text = entries
    .map(([, column]) => `${quoteName(qualifier ?? getTableName(column.table))}.${quoteName(column.name)}`)
    .join(', ');
  const width = names.length;
  // Text is what the driver reads for every type but booleans (numbers and times included), and
  // what each column's own decoder expects; JSON numbers would lose a numeric's digits.
  const jsonValues = entries
    .map(([, column]) => `${quoteName(qualifier ?? getTableName(column.table))}.${quoteName(column.name)}${column.dataType === 'boolean' ? '' : '::text'}`)
    .join(', ');
  const read = (row: readonly unknown[], at: number) => {
    const record: Record<string, unknown> = {};
    for (let index = 0; index < width; index++) {
      const value = row[at + index];
      record[names[index]!] = value === null || value === undefined ? null : decoders[index]!.mapFromDriverValue(value);
    }
    return record;
  };
  return {
    text,
    width,
    read,
    readJoined: (row, at) => (row[at] === null || row[at] === undefined ? null : read(row, at)),
    jsonValues,
  };
}

/** The part of a Drizzle database (or transaction) that prepares a rendered statement: its session. */
export interface DatabaseInternals {
  session: {
    prepareQuery(
      query: RenderedStatement,
      fields: undefined,
      name: undefined,
      isResponseInArrayMode: boolean,
      customResultMapper?: (rows: unknown[][]) => unknown,
    ): { execute(placeholderValues?: Record<string, unknown>): Promise<unknown> };
  };
}

const rendered = new Map<string, RenderedStatement>();
const MAX_RENDERED = 2_000;

/**
 * A statement whose text depends only on `key` (its values come in through `sql.placeholder`s),
 * rendered once: the loaders' statements (rows by ID, children of parents)
 * are the same text for every batch, and rendering them was most of a small request's Drizzle work.
 */
export function renderedOnce(key: string, build: () => SQL): RenderedStatement {
  let statement = rendered.get(key);
  if (!statement) {
    statement = renderStatement(build());
    // Keys come from the schema and the queries' selections, so they are few; the cap only guards memory.
    if (rendered.size >= MAX_RENDERED) rendered.clear();
    rendered.set(key, statement);
  }
  return statement;
}

/**
 * Sends `statement` through `db`'s session (so a request's handle keeps its scope, statement
 * counting and prepared-statement policy) and maps each result row, in array form, with `map`.
 * A statement rendered once takes its placeholders' `values`.
 */
export function readRows<Row>(
  db: Database,
  statement: SQL | RenderedStatement,
  map: (row: unknown[]) => Row,
  values?: Record<string, unknown>,
): Promise<Row[]> {
  const internals = db as unknown as DatabaseInternals;
  const query = statement instanceof SQL ? renderStatement(statement) : statement;
  return internals.session
    .prepareQuery(query, undefined, undefined, true, (rows) => rows.map(map))
    .execute(values) as Promise<Row[]>;
}

/** `sql.raw` of a column list's text, for use in a statement template. */
export const listed = (list: ColumnList): SQL => sql.raw(list.text);
