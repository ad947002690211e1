import { and, eq, getTableName, isNull, type SQL, sql } from 'drizzle-orm';
import { anyOfPlaceholder, type ColumnChoice, columnsFor, idsValue, type Selection } from './columns.ts';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { columnList, type EntityTable, listed, readRows, renderedOnce } from '@naravard/db';
import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import { selectionOf, selectionOfType, selectionUnderType } from './selection.ts';
import type { Context } from './context.ts';

/** A table with the bookkeeping columns every entity table has. */
export type { EntityTable };

/** A UUID, the form of every record's ID (the part of a global ID after the type name). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const loaderKeys = new WeakMap<ColumnChoice, WeakMap<object, Map<string, string>>>();

/**
 * The name of a loader of `choice`'s columns for `owner` (a table, or a foreign key) and a variant,
 * made once (by `name`, from the same three): the same string object every time, so the request's
 * map of loaders finds it by a cached hash instead of hashing a freshly concatenated name on every
 * field resolved. Called for every row of a page, so it allocates nothing once the name is made.
 */
function loaderKey<Owner extends object>(choice: ColumnChoice, owner: Owner, variant: string, name: (choice: ColumnChoice, owner: Owner, variant: string) => string): string {
  let byOwner = loaderKeys.get(choice);
  if (!byOwner) loaderKeys.set(choice, (byOwner = new WeakMap()));
  let byVariant = byOwner.get(owner);
  if (!byVariant) byOwner.set(owner, (byVariant = new Map()));
  let key = byVariant.get(variant);
  if (key === undefined) byVariant.set(variant, (key = name(choice, owner, variant)));
  return key;
}

const rowLoaderName = (choice: ColumnChoice, table: EntityTable, folded: string) => `byId:${getTableName(table)}:${choice.key}${folded}`;
const childrenLoaderName = (choice: ColumnChoice, foreignKey: PgColumn, variant: string) =>
  `children:${getTableName(foreignKey.table)}.${foreignKey.name}:${variant}:${choice.key}`;

/**
 * The request's loader of one table's rows by ID: every lookup made while resolving one level of
 * a query becomes one statement. Tombstones are returned too (they carry `deletedAt`). With
 * `children` (see childFoldsFor), the rows' children those fields list are read in the same
 * statement and handed to the children's loaders, where the fields' resolvers find them.
 */
export function rowLoader<Row extends { id: string }>(
  context: Context,
  table: EntityTable,
  choice: ColumnChoice = columnsFor(table, null),
  children: readonly ChildFold[] = NO_CHILD_FOLDS,
) {
  const folded = childFoldsKey(children);
  const key = loaderKey(choice, table, folded, rowLoaderName);
  // Made once per request: a reference resolved for each row of a page finds it here without a closure of its own.
  const existing = context.existingLoader<string, Row | null>(key);
  if (existing) return existing;
  return context.loader(key, () => newRowLoader<Row>(context, table, choice, children, key));
}

function newRowLoader<Row extends { id: string }>(context: Context, table: EntityTable, choice: ColumnChoice, children: readonly ChildFold[], key: string) {
  return new DataLoader<string, Row | null>(async (ids) => {
    const uuids = [...new Set(ids.filter((id) => UUID.test(id)))];
    const list = columnList(choice.columns, `${getTableName(table)}:${choice.key}`);
    const childLists = children.map((child) => columnList(child.choice.columns, `${getTableName(child.options.table)}:${child.choice.key}`));
    const one = uuids.length === 1;
    const statement = renderedOnce(one ? `${key}:one` : key, () => {
      const lists = children.map((child, index) => {
        const { table: childTable, foreignKey, orderBy, where } = child.options;
        return sql`(select coalesce(json_agg(${sql.raw(childLists[index]!.jsonArray)} order by ${sql.join(orderBy, sql`, `)}), '[]'::json)
          from ${childTable} where ${and(eq(foreignKey, table.id), isNull(childTable.deletedAt), where)})`;
      });
      return sql`select ${listed(list)}${sql.join(
        lists.map((column) => sql`, ${column}`),
        sql``,
      )} from ${table} where ${anyOfPlaceholder(table.id, one)}`;
    });
    const childRows = children.map(() => new Map<string, unknown[]>());
    const rows =
      uuids.length === 0
        ? []
        : await readRows(
            context.db,
            statement,
            (row) => {
              const parent = list.read(row, 0) as Row;
              children.forEach((_child, index) => {
                const value = row[list.width + index];
                const arrays = (typeof value === 'string' ? JSON.parse(value) : value) as unknown[][];
                childRows[index]!.set(parent.id, arrays.map((values) => childLists[index]!.read(values, 0)));
              });
              return parent;
            },
            { ids: idsValue(uuids) },
          );
    children.forEach((child, index) => {
      const loader = childrenLoaderOf(context, child.options, child.choice);
      for (const [parentId, rowsOfParent] of childRows[index]!) loader.prime(parentId, rowsOfParent);
    });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Loads rows by ID, null where missing: for `node(id:)`/`nodes(ids:)`. */
export function loadRows<Row extends { id: string }>(context: Context, table: EntityTable, ids: readonly string[]) {
  const loader = rowLoader<Row>(context, table);
  return Promise.all(ids.map((id) => loader.load(id)));
}

/** Rows a page's statement read by a join (a folded reference), by the loader they were handed to. */
const joinedRows = new WeakMap<DataLoader<string, unknown>, Map<string, unknown>>();

/**
 * Hands a row read by a page's join to the request's loader of its table and columns, where a
 * reference to it finds it without a statement; `loadReference` returns it without a promise.
 */
export function primeJoinedRow(context: Context, table: EntityTable, choice: ColumnChoice, row: { id: string }) {
  const loader = rowLoader(context, table, choice);
  loader.prime(row.id, row);
  let rows = joinedRows.get(loader);
  if (!rows) joinedRows.set(loader, (rows = new Map()));
  if (!rows.has(row.id)) rows.set(row.id, row);
}

/**
 * Follows a foreign key to the row it names, batched; null when the key is null. With the
 * resolving field's `info`, only the columns its selection needs are read. A row the page's
 * statement already read (primeJoinedRow) is returned as it is: a page's references then cost
 * no promise per row.
 */
export function loadReference<Row extends { id: string }>(
  context: Context,
  table: EntityTable,
  id: string | null,
  info?: GraphQLResolveInfo,
): Row | null | Promise<Row | null> {
  if (id === null) return null;
  const loader = rowLoader<Row>(context, table, columnsFor(table, info ? selectionOf(info) : null));
  const joined = joinedRows.get(loader as DataLoader<string, unknown>)?.get(id);
  return joined !== undefined ? (joined as Row) : loader.load(id);
}

export interface ChildrenOptions {
  table: EntityTable;
  /** The column that points at the parent. */
  foreignKey: PgColumn;
  /** The order of each parent's children. */
  orderBy: SQL[];
  /** Extra condition, e.g. the entity type of a polymorphic link. */
  where?: SQL;
  /** Names the extra condition, so loaders with different conditions never share a batch. */
  variant?: string;
  /** What the query selects from the children, so only the columns it needs are read. */
  selection?: Selection | null;
}

/**
 * Live children of many parents in one statement (a meeting's agenda items, an audit's
 * recommendations): for bounded lists that need no paging.
 */
export function childrenLoader<Row>(context: Context, options: ChildrenOptions) {
  return childrenLoaderOf<Row>(context, options, columnsFor(options.table, options.selection));
}

function childrenLoaderOf<Row>(context: Context, options: ChildrenOptions, choice: ColumnChoice) {
  const { table, foreignKey, orderBy, where, variant = '' } = options;
  // The variant names the extra condition (and so its bound values): one prepared statement each.
  // Callers of one table and foreign key give the same order, so the key need not name it.
  const key = loaderKey(choice, foreignKey, variant, childrenLoaderName);
  // Made once per request: each parent's field finds it here without a closure of its own.
  const existing = context.existingLoader<string, Row[]>(key);
  if (existing) return existing;
  return context.loader(
    key,
    () =>
      new DataLoader<string, Row[]>(async (parentIds) => {
        const list = columnList(choice.columns, `${getTableName(table)}:${choice.key}`);
        const ids = [...new Set(parentIds)];
        const one = ids.length === 1;
        const statement = renderedOnce(
          one ? `${key}:one` : key,
          () =>
            sql`select ${foreignKey}::text, ${listed(list)} from ${table} where ${and(anyOfPlaceholder(foreignKey, one), isNull(table.deletedAt), where)} order by ${sql.join(orderBy, sql`, `)}`,
        );
        const rows = await readRows(context.db, statement, (row) => ({ parent: row[0] as string, row: list.read(row, 1) as Row }), {
          ids: idsValue(ids),
        });
        const byParent = new Map<string, Row[]>();
        for (const { parent, row } of rows) {
          const list = byParent.get(parent);
          if (list) list.push(row);
          else byParent.set(parent, [row]);
        }
        return parentIds.map((id) => byParent.get(id) ?? []);
      }),
  );
}

/** Loads one parent's live children through the batched loader. */
export function loadChildren<Row>(context: Context, options: ChildrenOptions, parentId: string): Promise<Row[]> {
  return childrenLoader<Row>(context, options).load(parentId);
}

/** The children fields of a table whose lists can be read in its rows' statement (see foldableChildren). */
const foldableFields = new WeakMap<PgTable, Record<string, Omit<ChildrenOptions, 'selection'>>>();
const typeNames = new WeakMap<PgTable, string>();

/**
 * Declares fields of `table`'s GraphQL type `typeName` that list children through `loadChildren`
 * with these options (a meeting's `agendaItems`): when a query loads such rows by ID and selects
 * the field, the children are read in the same statement (`rowLoader`), as a JSON array each.
 */
export function foldableChildren(table: PgTable, typeName: string, fields: Record<string, Omit<ChildrenOptions, 'selection'>>) {
  foldableFields.set(table, { ...foldableFields.get(table), ...fields });
  typeNames.set(table, typeName);
}

/**
 * One row by ID for `node(id:)`/`nodes(ids:)` and for a field whose value may be of several types
 * (`typeName` names the one of this row), batched: the columns and foldable lists the query
 * selects from the type are read, in one statement. Without a type name, for a table that
 * declared no foldable children, every column is read.
 */
export function loadNode<Row extends { id: string }>(
  context: Context,
  table: EntityTable,
  id: string,
  info: GraphQLResolveInfo,
  typeName = typeNames.get(table),
): Promise<Row | null> {
  if (!typeName) return rowLoader<Row>(context, table).load(id);
  const selection = selectionOfType(info, typeName);
  return rowLoader<Row>(context, table, columnsFor(table, selection), childFoldsFor(table, info, typeName, selection)).load(id);
}

/** A children field read in its parent's statement. */
export interface ChildFold {
  field: string;
  options: ChildrenOptions;
  choice: ColumnChoice;
}

/** No children read with the parent. */
export const NO_CHILD_FOLDS: ChildFold[] = [];

const childFoldsBySelection = new WeakMap<Selection, Map<PgTable, ChildFold[]>>();
const childFoldKeys = new WeakMap<readonly ChildFold[], string>();

/** Column kinds whose text the columns' own decoders read back exactly (see ColumnList.jsonArray). */
const FOLDABLE_DATA_TYPES = new Set(['string', 'number', 'boolean', 'date', 'json', 'array']);

/**
 * The children fields of type `typeName` (rows of `table`) that the resolving field's query
 * selects and that can be read with the rows (see foldableChildren), each with the columns its
 * own selection needs. Kept per query document, like the selection.
 */
export function childFoldsFor(table: PgTable, info: GraphQLResolveInfo, typeName: string, selection: Selection | null): readonly ChildFold[] {
  const fields = foldableFields.get(table);
  if (!fields || !selection) return NO_CHILD_FOLDS;
  let byTable = childFoldsBySelection.get(selection);
  if (!byTable) childFoldsBySelection.set(selection, (byTable = new Map()));
  let folds = byTable.get(table);
  if (!folds) {
    folds = [];
    for (const [field, options] of Object.entries(fields)) {
      if (!selection.fields.has(field) || options.table === table) continue;
      const childSelection = selectionUnderType(info, typeName, field);
      const choice = columnsFor(options.table, childSelection);
      if (!Object.values(choice.columns).every((column) => FOLDABLE_DATA_TYPES.has(column.dataType))) continue;
      folds.push({ field, options: { ...options, selection: childSelection }, choice });
    }
    if (folds.length === 0) folds = NO_CHILD_FOLDS;
    byTable.set(table, folds);
  }
  return folds;
}

/** Names the children folded into a row loader's statement, so loaders with different ones never share a batch. */
function childFoldsKey(children: readonly ChildFold[]): string {
  if (children.length === 0) return '';
  let key = childFoldKeys.get(children);
  if (key === undefined) {
    key = `+${children.map((child) => `${child.field}(${child.options.variant ?? ''}:${child.choice.key})`).join('+')}`;
    childFoldKeys.set(children, key);
  }
  return key;
}
