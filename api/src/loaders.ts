import { and, getTableName, isNull, type SQL, sql } from 'drizzle-orm';
import { anyOf, type ColumnChoice, columnsFor, type Selection } from './columns.ts';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { columnList, listed, readRows, renderedOnce } from '@naravard/db';
import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import { selectionOf } from './selection.ts';
import type { Context } from './context.ts';

/** A table with the bookkeeping columns every entity table has. */
export type EntityTable = PgTable & { id: PgColumn; deletedAt: PgColumn; version: PgColumn; updatedAt: PgColumn };

/** A UUID, the form of every record's ID (the part of a global ID after the type name). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const loaderKeys = new WeakMap<ColumnChoice, WeakMap<object, Map<string, string>>>();

/**
 * The name of a loader of `choice`'s columns for `owner` (a table, or a foreign key) and a variant,
 * made once: the same string object every time, so the request's map of loaders finds it by a
 * cached hash instead of hashing a freshly concatenated name on every field resolved.
 */
function loaderKey(choice: ColumnChoice, owner: object, name: () => string, variant = ''): string {
  let byOwner = loaderKeys.get(choice);
  if (!byOwner) loaderKeys.set(choice, (byOwner = new WeakMap()));
  let byVariant = byOwner.get(owner);
  if (!byVariant) byOwner.set(owner, (byVariant = new Map()));
  let key = byVariant.get(variant);
  if (key === undefined) byVariant.set(variant, (key = name()));
  return key;
}

/**
 * The request's loader of one table's rows by ID: every lookup made while resolving one level of
 * a query becomes one statement. Tombstones are returned too (they carry `deletedAt`).
 */
export function rowLoader<Row extends { id: string }>(context: Context, table: EntityTable, choice: ColumnChoice = columnsFor(table, null)) {
  const key = loaderKey(choice, table, () => `byId:${getTableName(table)}:${choice.key}`);
  return context.loader(
    key,
    () =>
      new DataLoader<string, Row | null>(async (ids) => {
        const uuids = [...new Set(ids.filter((id) => UUID.test(id)))];
        const list = columnList(choice.columns, `${getTableName(table)}:${choice.key}`);
        const statement = renderedOnce(key, () => sql`select ${listed(list)} from ${table} where ${anyOf(table.id, sql.placeholder('ids'))}`);
        const rows = uuids.length === 0 ? [] : await readRows(context.db, statement, (row) => list.read(row, 0) as Row, { ids: uuids });
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  );
}

/** Loads rows by ID, null where missing: for `node(id:)`/`nodes(ids:)`. */
export function loadRows<Row extends { id: string }>(context: Context, table: EntityTable, ids: readonly string[]) {
  const loader = rowLoader<Row>(context, table);
  return Promise.all(ids.map((id) => loader.load(id)));
}

/**
 * Follows a foreign key to the row it names, batched; null when the key is null. With the
 * resolving field's `info`, only the columns its selection needs are read.
 */
export function loadReference<Row extends { id: string }>(
  context: Context,
  table: EntityTable,
  id: string | null,
  info?: GraphQLResolveInfo,
) {
  if (id === null) return Promise.resolve(null);
  return rowLoader<Row>(context, table, columnsFor(table, info ? selectionOf(info) : null)).load(id);
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
  const { table, foreignKey, orderBy, where, variant = '' } = options;
  const choice = columnsFor(table, options.selection);
  // The variant names the extra condition (and so its bound values): one prepared statement each.
  // Callers of one table and foreign key give the same order, so the key need not name it.
  const key = loaderKey(choice, foreignKey, () => `children:${getTableName(table)}.${foreignKey.name}:${variant}:${choice.key}`, variant);
  return context.loader(
    key,
    () =>
      new DataLoader<string, Row[]>(async (parentIds) => {
        const list = columnList(choice.columns, `${getTableName(table)}:${choice.key}`);
        const statement = renderedOnce(
          key,
          () =>
            sql`select ${foreignKey}::text, ${listed(list)} from ${table} where ${and(anyOf(foreignKey, sql.placeholder('ids')), isNull(table.deletedAt), where)} order by ${sql.join(orderBy, sql`, `)}`,
        );
        const rows = await readRows(context.db, statement, (row) => ({ parent: row[0] as string, row: list.read(row, 1) as Row }), {
          ids: [...new Set(parentIds)],
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
