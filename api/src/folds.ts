import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import type { GraphQLResolveInfo } from 'graphql';
import { type ColumnChoice, columnsFor, type Selection } from './columns.ts';
import type { EntityTable } from './loaders.ts';
import { selectionOf } from './selection.ts';

/**
 * A single-valued reference (a meeting's `organisation`) read in the statement of the page that
 * holds it, by a join, instead of by one more statement: its rows are handed to the request's
 * loader, where the reference's resolver finds them.
 */
export interface Fold {
  /** The field of the parent type ("organisation"). */
  field: string;
  /** The parent's foreign key column ("organisationId"). */
  foreignKey: PgColumn;
  /** The table it names, and the columns the query selects from it. */
  table: EntityTable;
  choice: ColumnChoice;
}

const referencesOf = new WeakMap<PgTable, Map<string, EntityTable>>();

/** The tables a table's single-column foreign keys point at, by the key column's property name. */
function references(table: PgTable): Map<string, EntityTable> {
  let found = referencesOf.get(table);
  if (!found) {
    found = new Map();
    const columns = Object.entries(table as unknown as Record<string, unknown>);
    for (const foreignKey of getTableConfig(table).foreignKeys) {
      const reference = foreignKey.reference();
      if (reference.columns.length !== 1) continue;
      const property = columns.find(([, column]) => column === reference.columns[0])?.[0];
      if (property) found.set(property, reference.foreignTable as EntityTable);
    }
    referencesOf.set(table, found);
  }
  return found;
}

/** The references among the fields selected from a page's rows (at `path` below the field) that can be folded in. */
export function foldsFor(table: PgTable, info: GraphQLResolveInfo, ...path: string[]): Fold[] {
  const selection = selectionOf(info, ...path);
  if (!selection) return NO_FOLDS;
  // The selection is kept per query document (see selectionOf), so its folds are too: the same
  // array every time, by which the page's statement is found (pagination.ts).
  let byTable = foldsBySelection.get(selection);
  if (!byTable) foldsBySelection.set(selection, (byTable = new Map()));
  let folds = byTable.get(table);
  if (!folds) byTable.set(table, (folds = chooseFolds(table, info, selection, path)));
  return folds;
}

/** No reference folded. */
export const NO_FOLDS: Fold[] = [];

const foldsBySelection = new WeakMap<Selection, Map<PgTable, Fold[]>>();

function chooseFolds(table: PgTable, info: GraphQLResolveInfo, selection: Selection, path: string[]): Fold[] {
  const folds: Fold[] = [];
  const keys = references(table);
  for (const field of selection.fields) {
    const key = `${field}Id`;
    const target = keys.get(key);
    if (!target || selection.isCollection(field) || target === table) continue;
    folds.push({
      field,
      foreignKey: (table as unknown as Record<string, PgColumn>)[key]!,
      table: target,
      choice: columnsFor(target, selectionOf(info, ...path, field)),
    });
  }
  return folds;
}
