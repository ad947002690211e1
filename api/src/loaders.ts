import { and, eq, getTableName, isNull, type SQL, sql } from 'drizzle-orm';
import { anyOfPlaceholder, type ColumnChoice, columnsFor, idsValue, type Selection } from './columns.ts';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { type ColumnList, columnList, type EntityTable, listed, readRows, renderedOnce, renderStatement } from '@naravard/db';
import DataLoader from 'dataloader';
import { type FieldNode, getNamedType, type GraphQLResolveInfo, isObjectType } from 'graphql';
import { fieldNodesBelow, fieldNodesOfValue, selectionOf, selectionOfNodes, selectionOfType } from './selection.ts';
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
    const one = uuids.length === 1;
    const statement = renderedOnce(one ? `${key}:one` : key, () => {
      const lists = children.map((child) => sql`, ${foldedListColumn(table, child)}`);
      return sql`select ${listed(list)}${sql.join(lists, sql``)} from ${table} where ${anyOfPlaceholder(table.id, one)}`;
    });
    const primeLists = foldedListsPrimer(context, children);
    const rows =
      uuids.length === 0
        ? []
        : await readRows(
            context.db,
            statement,
            (row) => {
              const parent = list.read(row, 0) as Row;
              primeLists(parent.id, row, list.width);
              return parent;
            },
            { ids: idsValue(uuids) },
          );
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

/** Lists a parent's statement already read (see foldedListsPrimer), by the loader they were handed to. */
const foldedLists = new WeakMap<DataLoader<string, unknown[]>, Map<string, unknown[]>>();

/**
 * Loads one parent's live children through the batched loader. A list its parent's statement
 * already read (a folded list) is returned as it is: a page's 80 agenda items then cost no
 * promise each.
 */
export function loadChildren<Row>(context: Context, options: ChildrenOptions, parentId: string): Row[] | Promise<Row[]> {
  return childrenThrough(childrenLoader<Row>(context, options), parentId);
}

/** A parent's children through their loader: as its parent's statement read them (folded), else batched. */
function childrenThrough<Row>(loader: DataLoader<string, Row[]>, parentId: string): Row[] | Promise<Row[]> {
  const folded = foldedLists.get(loader as DataLoader<string, unknown[]>)?.get(parentId);
  return folded !== undefined ? (folded as Row[]) : loader.load(parentId);
}

/** The loader a children field found for one request (see childrenField), by the field's resolve info. */
const childrenFieldLoaders = new WeakMap<GraphQLResolveInfo, { context: Context; loader: DataLoader<string, unknown[]> }>();

/**
 * The resolver of a field listing a parent's live children (see loadChildren), reading only the
 * columns the field's selection needs. Compiled queries make such a field's resolve info once per
 * request (see markSharedResolveInfo), so the loader found for the first parent is kept with it:
 * the other parents of a page (the 80 agenda items of a page of meetings, each listing its
 * decisions) find it in one lookup, where each made its options object and looked the loader up
 * by selection, columns and name. An info made per call (graphql-js) finds nothing kept and looks
 * the loader up as loadChildren does.
 */
export function childrenField<Row>(options: Omit<ChildrenOptions, 'selection'>) {
  return (parent: { id: string }, _args: unknown, context: Context, info: GraphQLResolveInfo): Row[] | Promise<Row[]> => {
    let field = childrenFieldLoaders.get(info);
    if (field === undefined || field.context !== context) {
      field = { context, loader: childrenLoader<unknown>(context, { ...options, selection: selectionOf(info) }) };
      childrenFieldLoaders.set(info, field);
    }
    return childrenThrough(field.loader, parent.id) as Row[] | Promise<Row[]>;
  };
}

/** The children fields of a table whose lists can be read in its rows' statement (see foldableChildren). */
const foldableFields = new WeakMap<PgTable, Record<string, Omit<ChildrenOptions, 'selection'>>>();
const typeNames = new WeakMap<PgTable, string>();

/**
 * Declares fields of `table`'s GraphQL type `typeName` that list children through `loadChildren`
 * with these options (a meeting's `agendaItems`): when a query loads such rows by ID (`rowLoader`)
 * or as a page (pagination.ts) and selects the field, the children are read in the same
 * statement, as a JSON array each, with their own foldable children nested in it.
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
  return rowLoader<Row>(context, table, columnsFor(table, selection), childFoldsFor(table, info, typeName)).load(id);
}

/**
 * A children field read in its parent's statement, as a JSON array of its rows; each row's own
 * folded lists (`children`: an agenda item's decisions) are arrays within it.
 */
export interface ChildFold {
  field: string;
  options: ChildrenOptions;
  choice: ColumnChoice;
  list: ColumnList;
  children: readonly ChildFold[];
}

/** No children read with the parent. */
export const NO_CHILD_FOLDS: ChildFold[] = [];

const childFoldsByNode = new WeakMap<FieldNode, Map<string, readonly ChildFold[]>>();
const childFoldKeys = new WeakMap<readonly ChildFold[], string>();

/** Column kinds whose text the columns' own decoders read back exactly (see ColumnList.jsonValues). */
const FOLDABLE_DATA_TYPES = new Set(['string', 'number', 'boolean', 'date', 'json', 'array']);

/**
 * The children fields of type `typeName` (rows of `table`) that the resolving field's query
 * selects from its value (at `path` below it: a connection's "edges", "node") and that can be read
 * with the rows (see foldableChildren), each with the columns its own selection needs, and their
 * own foldable children in turn. Kept per query document, like the selection.
 */
export function childFoldsFor(table: PgTable, info: GraphQLResolveInfo, typeName: string, ...path: string[]): readonly ChildFold[] {
  if (!foldableFields.has(table)) return NO_CHILD_FOLDS;
  const compute = () => foldsAmong(table, typeName, fieldNodesOfValue(info, typeName, path), info, [table]);
  // A field merged from several nodes (selected twice) is rare: computed each time.
  if (info.fieldNodes.length !== 1) return compute();
  const node = info.fieldNodes[0]!;
  let byKey = childFoldsByNode.get(node);
  if (!byKey) childFoldsByNode.set(node, (byKey = new Map()));
  const key = `${info.parentType.name}>${typeName}>${path.join('.')}`;
  let folds = byKey.get(key);
  if (!folds) byKey.set(key, (folds = compute()));
  return folds;
}

/** The children folds of a connection's nodes (rows of `table`), read in the page's statement. */
export function pageChildFolds(table: PgTable, info: GraphQLResolveInfo): readonly ChildFold[] {
  const typeName = typeNames.get(table);
  return typeName ? childFoldsFor(table, info, typeName, 'edges', 'node') : NO_CHILD_FOLDS;
}

/**
 * The folds of the fields `selected` from a row of `table`. A table already among the rows'
 * ancestors is not folded again (its name would then stand for two rows in one statement).
 */
function foldsAmong(table: PgTable, typeName: string, selected: FieldNode[], info: GraphQLResolveInfo, ancestors: PgTable[]): readonly ChildFold[] {
  const fields = foldableFields.get(table);
  const type = info.schema.getType(typeName);
  if (!fields || !isObjectType(type)) return NO_CHILD_FOLDS;
  const folds: ChildFold[] = [];
  for (const [field, options] of Object.entries(fields)) {
    if (ancestors.includes(options.table)) continue;
    const nodes = selected.filter((node) => node.name.value === field);
    const childType = getNamedType(type.getFields()[field]?.type);
    if (nodes.length === 0 || !isObjectType(childType)) continue;
    const below = fieldNodesBelow(nodes, info);
    const selection = selectionOfNodes(below, childType);
    const choice = columnsFor(options.table, selection);
    if (!Object.values(choice.columns).every((column) => FOLDABLE_DATA_TYPES.has(column.dataType))) continue;
    // A list whose condition binds values cannot go into a statement rendered as text once (pagination.ts).
    if (options.where && renderStatement(options.where).params.length > 0) continue;
    const childTypeName = typeNames.get(options.table);
    const children = childTypeName ? foldsAmong(options.table, childTypeName, below, info, [...ancestors, options.table]) : NO_CHILD_FOLDS;
    const list = columnList(choice.columns, `${getTableName(options.table)}:${choice.key}`);
    folds.push({ field, options: { ...options, selection }, choice, list, children });
  }
  return folds.length === 0 ? NO_CHILD_FOLDS : folds;
}

/**
 * The column of a folded list in its parent's statement: the children of the row of `parent` as a
 * JSON array of arrays (the child's columns, then its own folded lists), in the list's order.
 */
export function foldedListColumn(parent: EntityTable, fold: ChildFold): SQL {
  const { table, foreignKey, orderBy, where } = fold.options;
  const nested = fold.children.map((child) => sql`, ${foldedListColumn(table, child)}`);
  return sql`(select coalesce(json_agg(json_build_array(${sql.raw(fold.list.jsonValues)}${sql.join(nested, sql``)}) order by ${sql.join(orderBy, sql`, `)}), '[]'::json)
    from ${table} where ${and(eq(foreignKey, parent.id), isNull(table.deletedAt), where)})`;
}

/** Hands the folded lists of one parent row (its values from `row[at]` on) to their loaders. */
export type FoldedListsPrimer = (parentId: string, row: readonly unknown[], at: number) => void;

const primeNothing: FoldedListsPrimer = () => {};

/**
 * What hands the folded lists of a statement's parent rows (one value per fold, from `row[at]`
 * on) to the request's loaders of those lists, where the fields' resolvers find them; nested
 * lists likewise. The loaders are looked up once per statement, not once per row.
 */
export function foldedListsPrimer(context: Context, folds: readonly ChildFold[]): FoldedListsPrimer {
  if (folds.length === 0) return primeNothing;
  const targets = folds.map((fold) => {
    const loader = childrenLoaderOf<unknown>(context, fold.options, fold.choice);
    let lists = foldedLists.get(loader);
    if (!lists) foldedLists.set(loader, (lists = new Map()));
    return { fold, loader, lists, primeChildren: foldedListsPrimer(context, fold.children) };
  });
  return (parentId, row, at) => {
    for (let index = 0; index < targets.length; index++) {
      const { fold, loader, lists, primeChildren } = targets[index]!;
      const value = row[at + index];
      const arrays = (typeof value === 'string' ? JSON.parse(value) : value) as unknown[][];
      const rows = arrays.map((values) => {
        const child = fold.list.read(values, 0) as { id: string };
        primeChildren(child.id, values, fold.list.width);
        return child;
      });
      loader.prime(parentId, rows);
      if (!lists.has(parentId)) lists.set(parentId, rows);
    }
  };
}

/** Names the children folded into a statement, nested ones included, so loaders with different ones never share a batch. */
export function childFoldsKey(children: readonly ChildFold[]): string {
  if (children.length === 0) return '';
  let key = childFoldKeys.get(children);
  if (key === undefined) {
    key = `+${children.map((child) => `${child.field}(${child.options.variant ?? ''}:${child.choice.key}${childFoldsKey(child.children)})`).join('+')}`;
    childFoldKeys.set(children, key);
  }
  return key;
}
