import { getTableColumns, getTableName, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

const readable = new WeakMap<PgTable, Record<string, PgColumn>>();

/**
 * The columns a read selects: every column but the generated `search_vector`, which no field
 * shows and which is often longer than the text it indexes. Computed once per table.
 */
export function readColumns(table: PgTable): Record<string, PgColumn> {
  let columns = readable.get(table);
  if (!columns) {
    columns = Object.fromEntries(Object.entries(getTableColumns(table)).filter(([name]) => name !== 'searchVector'));
    readable.set(table, columns);
  }
  return columns;
}

/**
 * `column = any($1)` with the IDs as one array parameter: the statement's text is the same for
 * one ID or a hundred, so the driver prepares it once per connection and reuses it.
 */
export function anyOf(column: PgColumn | SQL, ids: readonly string[], type = 'uuid'): SQL {
  return sql`${column} = any(${sql.param([...ids])}::${sql.raw(type)}[])`;
}

/** The table's name, for loader keys. */
export const nameOf = (table: PgTable) => getTableName(table);
