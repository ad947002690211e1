import { getTableColumns, type SQL, sql } from 'drizzle-orm';
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
 * two IDs or a hundred, so the driver prepares it once per connection and reuses it. One ID is
 * matched with `column = $1` instead (its own statement): PostgreSQL costs the generic plan of
 * `= any($1)` for ten elements, so with one it makes a custom plan at every execution; a
 * record read by ID then cost about 80% more database CPU than with `= $1`, planned once.
 */
export function anyOf(column: PgColumn | SQL, ids: readonly string[], type = 'uuid'): SQL {
  return ids.length === 1 ? sql`${column} = ${ids[0]}::${sql.raw(type)}` : sql`${column} = any(${sql.param([...ids])}::${sql.raw(type)}[])`;
}

/**
 * `anyOf` for a statement rendered once, its IDs bound later to the placeholder `ids`: an array
 * of them, or with `one` the single ID (see `idsValue`).
 */
export function anyOfPlaceholder(column: PgColumn | SQL, one: boolean, type = 'uuid'): SQL {
  const ids = sql.placeholder('ids');
  return one ? sql`${column} = ${ids}::${sql.raw(type)}` : sql`${column} = any(${ids}::${sql.raw(type)}[])`;
}

/** The value of the placeholder `ids` of a statement made by `anyOfPlaceholder`. */
export const idsValue = (ids: readonly string[]): string | readonly string[] => (ids.length === 1 ? ids[0]! : ids);

const declaredNeeds = new WeakMap<PgTable, Record<string, string[]>>();

/**
 * Declares the columns a field reads when its name alone does not say it (Allocation.programme
 * reads `programmeId`, and `grantId` when that is empty), so `columnsFor` reads them too.
 */
export function fieldReads(table: PgTable, field: string, columns: string[]) {
  declaredNeeds.set(table, { ...declaredNeeds.get(table), [field]: columns });
}

/** Columns a selection needs, and a key naming that set (for loaders, so different sets never share a batch). */
export interface ColumnChoice {
  columns: Record<string, PgColumn>;
  key: string;
}

const everyColumn = new WeakMap<PgTable, ColumnChoice>();
const everything = (table: PgTable): ColumnChoice => {
  let choice = everyColumn.get(table);
  if (!choice) everyColumn.set(table, (choice = { columns: readColumns(table), key: '*' }));
  return choice;
};

/**
 * The columns of `table` that the fields selected from its rows need: a field named like a
 * column reads that column; a reference `organisation` reads `organisationId`; a list or a
 * connection (agenda items, citations, topics) is found by the row's ID; a field declared with
 * `fieldReads` reads what it declares. Any other field may
 * read anything, so then every column is read: leaving a column out is never a guess. The ID,
 * the tombstone and the version are always read (loaders and writes rely on them).
 */
export function columnsFor(table: PgTable, selection: Selection | null | undefined): ColumnChoice {
  if (!selection) return everything(table);
  // Selections are kept per query document (see selectionOf), so their column choice is too.
  let byTable = choices.get(selection);
  if (!byTable) choices.set(selection, (byTable = new Map()));
  let choice = byTable.get(table);
  if (!choice) byTable.set(table, (choice = chooseColumns(table, selection)));
  return choice;
}

const choices = new WeakMap<Selection, Map<PgTable, ColumnChoice>>();

function chooseColumns(table: PgTable, selection: Selection): ColumnChoice {
  const all = readColumns(table);
  const chosen = new Set(['id', 'deletedAt', 'version']);
  const declared = declaredNeeds.get(table);
  for (const field of selection.fields) {
    if (field === '__typename') continue;
    const needs = declared?.[field];
    if (needs) for (const column of needs) chosen.add(column);
    else if (field in all) chosen.add(field);
    else if (`${field}Id` in all) chosen.add(`${field}Id`);
    else if (!selection.isCollection(field)) return everything(table);
  }
  const names = Object.keys(all).filter((name) => chosen.has(name));
  return { columns: Object.fromEntries(names.map((name) => [name, all[name]!])), key: names.join(',') };
}

/** What a query selects from one type: the field names, and which of them are lists or connections. */
export interface Selection {
  fields: ReadonlySet<string>;
  isCollection(field: string): boolean;
}
