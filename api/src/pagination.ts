import { parseCursorConnectionArgs } from '@pothos/plugin-relay';
import { columnList, type Database, type EntityTable, readRows, type RenderedStatement, renderStatement } from '@naravard/db';
import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import { and, count, getTableName, or, type SQL, sql } from 'drizzle-orm';
import { type Fold, foldsFor, NO_FOLDS } from './folds.ts';
import { type ChildFold, childFoldsKey, foldedListColumn, NO_CHILD_FOLDS, foldedListsPrimer, pageChildFolds, primeJoinedRow } from './loaders.ts';
import { anyOf, type ColumnChoice, columnsFor, type Selection } from './columns.ts';
import type { GraphQLResolveInfo } from 'graphql';
import { selectionOf } from './selection.ts';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Context } from './context.ts';
import { BadInputError } from './errors.ts';
import { filterKeyOf } from './filter-keys.ts';
import { resolveFilterNames } from './names.ts';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface ConnectionArgs {
  first?: number | null | undefined;
  last?: number | null | undefined;
  after?: string | null | undefined;
  before?: string | null | undefined;
}

export interface OrderKey {
  /** A column, or an SQL expression over the table's columns; it must never be NULL. */
  column: PgColumn | SQL;
  direction: 'asc' | 'desc';
}

type TableWithId = PgTable & { id: PgColumn };

const CURSOR_PREFIX = 'c1:';

/**
 * A page size as a literal of the statement rather than a parameter. PostgreSQL plans a prepared
 * statement once for all calls only when that plan costs no more than planning each call, and
 * with `limit $n` it cannot know the page is small: it then plans every call again, which cost
 * more than running the statement on the national data set. Sizes are checked integers up to
 * MAX_PAGE_SIZE + 1, so the texts stay few.
 */
export function literalLimit(limit: number): SQL {
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE + 1) throw new Error(`page size out of range: ${limit}`);
  return sql.raw(String(limit));
}

/** Cursors are opaque to clients: the row's ID, so a page boundary survives any sort order. */
export const encodeCursor = (id: string) => Buffer.from(`${CURSOR_PREFIX}${id}`).toString('base64url');

const cursorOfRow = (row: { id: string }) => encodeCursor(row.id);

export function decodeCursor(cursor: string, argument: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = decoded.slice(CURSOR_PREFIX.length);
  if (!decoded.startsWith(CURSOR_PREFIX) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new BadInputError(`"${argument}" is not a cursor this API gave out: "${cursor}"`, argument);
  }
  return id;
}

export function checkPageSize(args: ConnectionArgs) {
  for (const argument of ['first', 'last'] as const) {
    const size = args[argument];
    if (size === null || size === undefined) continue;
    if (size < 0) throw new BadInputError(`"${argument}" must not be negative, got ${size}`, argument);
    if (size > MAX_PAGE_SIZE) {
      throw new BadInputError(`"${argument}" must be at most ${MAX_PAGE_SIZE}, got ${size}; page with "after" instead`, argument);
    }
  }
}

/**
 * Rows after (or before) the cursor row in the given order. The cursor row's sort values are read
 * in a subquery, so the comparison is exact for every column type (microsecond timestamps included).
 */
function beyondCursor(table: TableWithId, order: OrderKey[], cursorId: string, forward: boolean): SQL {
  const valueAtCursor = (column: PgColumn | SQL) =>
    sql`(select ${column} from ${table} where ${table.id} = ${cursorId})`;
  const alternatives = order.map((key, index) => {
    const ascending = (key.direction === 'asc') === forward;
    const equalBefore = order.slice(0, index).map((earlier) => sql`${earlier.column} = ${valueAtCursor(earlier.column)}`);
    const beyond = ascending
      ? sql`${key.column} > ${valueAtCursor(key.column)}`
      : sql`${key.column} < ${valueAtCursor(key.column)}`;
    return and(...equalBefore, beyond) as SQL;
  });
  return or(...alternatives) as SQL;
}

/**
 * A Relay connection over one table with keyset pagination: `first`/`after` and `last`/`before`,
 * a stable order that always ends with the ID, and a `totalCount` that runs only when asked for.
 */
export interface Connection<Row> {
  edges: { cursor: string; node: Row }[];
  pageInfo: { startCursor: string; endCursor: string; hasPreviousPage: boolean; hasNextPage: boolean };
  /** Counts every match, across pages; called only when a client selects `totalCount`. */
  totalCount: () => Promise<number>;
}

/** An edge whose cursor is encoded when a query reads it: most queries select only `node`. */
class Edge<Row> {
  constructor(
    readonly node: Row,
    private readonly toCursor: (node: Row) => string,
  ) {}

  get cursor(): string {
    return this.toCursor(this.node);
  }
}

/** A page's PageInfo, its cursors encoded when a query reads them. */
class PageInfo<Row> {
  constructor(
    private readonly edges: Edge<Row>[],
    private readonly emptyCursor: string,
    readonly hasPreviousPage: boolean,
    readonly hasNextPage: boolean,
  ) {}

  get startCursor(): string {
    return this.edges.length > 0 ? this.edges[0]!.cursor : this.emptyCursor;
  }

  get endCursor(): string {
    return this.edges.length > 0 ? this.edges[this.edges.length - 1]!.cursor : this.emptyCursor;
  }
}

/**
 * A Relay connection of the rows `read` returns for the page the arguments ask for, with the
 * meaning of Pothos' `resolveCursorConnection` (same page sizes, order, `hasPreviousPage` and
 * `hasNextPage`, the empty page's cursors), but its cursors are encoded only when read: a query
 * that selects nodes alone (most do) pays nothing for them.
 */
export async function cursorConnection<Row>(
  options: { args: ConnectionArgs; toCursor: (row: Row) => string; defaultSize: number; maxSize: number },
  read: (page: { before?: string; after?: string; limit: number; inverted: boolean }) => Promise<Row[]>,
): Promise<Omit<Connection<Row>, 'totalCount'>> {
  const { before, after, limit, inverted, expectedSize, hasPreviousPage, hasNextPage } = parseCursorConnectionArgs(options);
  const rows = await read({ before, after, limit, inverted });
  const trimmed = rows.length > expectedSize ? rows.slice(0, expectedSize) : rows;
  if (inverted) trimmed.reverse();
  const edges = trimmed.map((row) => new Edge(row, options.toCursor));
  return { edges, pageInfo: new PageInfo(edges, options.args.after ?? options.args.before ?? '', hasPreviousPage(rows.length), hasNextPage(rows.length)) };
}

export async function paginateTable<Row extends { id: string }>(options: {
  db: Database;
  table: TableWithId;
  where: SQL | undefined;
  order: OrderKey[];
  args: ConnectionArgs;
  /** What the query selects from the nodes, so only the columns it needs are read. */
  selection?: Selection | null;
  /**
   * References read by a join in the same statement, and children lists read as JSON arrays in it
   * (see childFoldsFor), their rows handed to the request's loaders.
   */
  folds?: { context: Context; list: Fold[]; children?: readonly ChildFold[] };
  /**
   * Names `where` and `order` exactly (the list and its filter's value), so that a first page's
   * statement, the same text and values each time, is rendered once for all requests that ask for it.
   */
  statementKey?: string;
}): Promise<Connection<Row>> {
  const { db, table, where, args, statementKey } = options;
  const choice = columnsFor(table, options.selection);
  const folds = options.folds?.list ?? NO_FOLDS;
  const context = options.folds?.context;
  const page = pageStatement(table, choice, folds, options.folds?.children ?? NO_CHILD_FOLDS);
  checkPageSize(args);
  const order = [...options.order, { column: table.id, direction: 'asc' as const }];
  const connection = await cursorConnection<Row>(
    { args, toCursor: cursorOfRow, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE },
    ({ before, after, limit, inverted }) => {
      const read = page.reader(context);
      const map = (row: unknown[]) => read(row) as unknown as Row;
      // Pages after a cursor are left out: each cursor is a new statement, seldom asked for again.
      const renderedKey = statementKey !== undefined && !after && !before ? `${page.key}\u0000${statementKey}\u0000${limit}\u0000${inverted}` : undefined;
      const rendered = renderedKey === undefined ? undefined : firstPagesRendered.get(renderedKey);
      if (rendered) return readRows(db, rendered, map);
      const conditions = and(
        where,
        after ? beyondCursor(table, order, decodeCursor(after, 'after'), true) : undefined,
        before ? beyondCursor(table, order, decodeCursor(before, 'before'), false) : undefined,
      );
      const orderBy = order.map(({ column, direction }) =>
        (direction === 'asc') !== inverted ? sql`${column} asc` : sql`${column} desc`,
      );
      const statement = renderStatement(
        sql`select ${sql.raw(page.text)}${conditions ? sql` where ${conditions}` : sql``} order by ${sql.join(orderBy, sql`, `)} limit ${literalLimit(limit)}`,
      );
      if (renderedKey !== undefined) firstPagesRendered.set(renderedKey, statement);
      return readRows(db, statement, map);
    },
  );
  return withTotalCount(connection, async () => {
    const [result] = await db.select({ value: count() }).from(table as PgTable).where(where);
    return result?.value ?? 0;
  });
}

/**
 * A page with its `totalCount`, as a literal of named properties. `{ ...page, totalCount }` made a
 * new hidden class for every page on Node 20 (V8 11, seen with `--log-maps`): hidden classes live
 * in the old generation, and the young-generation collector kept what they pointed at alive, so
 * each request's objects were promoted rather than collected young.
 */
function withTotalCount<Row>(page: Omit<Connection<Row>, 'totalCount'>, totalCount: () => Promise<number>): Connection<Row> {
  return { edges: page.edges, pageInfo: page.pageInfo, totalCount };
}

/**
 * First pages' statements, rendered, by page statement, list, filter value, size and direction.
 * Dashboards and BI refreshes ask for the same pages again and again; for those, assembling and
 * rendering the statement was about 3.5% of a simple page's server CPU (Q1), building its
 * conditions (kept by filteredList) another 2.9%.
 */
const firstPagesRendered = new LRUCache<string, RenderedStatement>({ max: 2_000 });

/** The fixed part of a page's statement (select list, table, joins of folded references) and how to read its rows. */
interface PageStatement {
  /** Names the table, column choice and folds the statement was made for. */
  key: string;
  text: string;
  /** How to read the statement's rows; with the request's context, the folded rows and lists are handed to its loaders. */
  reader(context: Context | undefined): (row: unknown[]) => Record<string, unknown>;
}

const pageStatements = new Map<string, PageStatement>();

/** The statements of column choices and folds seen before, by identity (all are kept per query document). */
const pageStatementsSeen = new WeakMap<ColumnChoice, WeakMap<Fold[], WeakMap<readonly ChildFold[], PageStatement>>>();

/**
 * A page's select list and joins, rendered once per table, column choice and folds. A folded
 * reference's row is read from the joined columns and handed to the request's loader, where the
 * reference's resolver finds it without a statement of its own.
 */
function pageStatement(table: TableWithId, choice: ColumnChoice, folds: Fold[], children: readonly ChildFold[]): PageStatement {
  let byFolds = pageStatementsSeen.get(choice);
  if (!byFolds) pageStatementsSeen.set(choice, (byFolds = new WeakMap()));
  let byChildren = byFolds.get(folds);
  if (!byChildren) byFolds.set(folds, (byChildren = new WeakMap()));
  let page = byChildren.get(children);
  if (!page) byChildren.set(children, (page = renderPageStatement(table, choice, folds, children)));
  return page;
}

function renderPageStatement(table: TableWithId, choice: ColumnChoice, folds: Fold[], children: readonly ChildFold[]): PageStatement {
  const name = getTableName(table);
  const key = `${name}:${choice.key}:${folds.map((fold) => `${fold.field}=${fold.choice.key}`).join(';')}${childFoldsKey(children)}`;
  let page = pageStatements.get(key);
  if (page) return page;
  const main = columnList(choice.columns, `${name}:${choice.key}`);
  const joined = folds.map((fold) => {
    const alias = `fold_${fold.field}`;
    const list = columnList(fold.choice.columns, `${getTableName(fold.table)}:${fold.choice.key}`, alias);
    const join = `left join "${getTableName(fold.table)}" "${alias}" on "${alias}"."id" = "${name}"."${fold.foreignKey.name}"`;
    return { fold, list, join };
  });
  // Rendered as text: childFoldsFor folds only lists whose statements bind no values.
  const lists = children.map((child) => renderStatement(foldedListColumn(table as EntityTable, child)).sql);
  page = {
    key,
    text: [[main.text, ...joined.map(({ list }) => list.text), ...lists].join(', '), `from "${name}"`, ...joined.map(({ join }) => join)].join(' '),
    reader(context) {
      if (!context) return (row) => main.read(row, 0);
      const primeLists = foldedListsPrimer(context, children);
      return (row) => {
        const record = main.read(row, 0);
        let at = main.width;
        for (const { fold, list } of joined) {
          const reference = list.readJoined(row, at);
          at += list.width;
          if (reference) primeJoinedRow(context, fold.table, fold.choice, reference as { id: string });
        }
        primeLists(record.id as string, row, at);
        return record;
      };
    },
  };
  // Keys come from the schema and the queries' selections; the cap only guards memory.
  if (pageStatements.size >= 1_000) pageStatements.clear();
  pageStatements.set(key, page);
  return page;
}

export interface ChildConnectionOptions {
  context: Context;
  table: TableWithId & { deletedAt: PgColumn };
  /** The column that points at the parent. */
  foreignKey: PgColumn;
  parentId: string;
  /** The list's filter, the same for every parent in a batch; it decides whether tombstones show (see lifecycleConditions). */
  where: SQL | undefined;
  /** Identifies `where` (e.g. the filter arguments as JSON), so different filters never share a batch. */
  filterKey: string;
  order: OrderKey[];
  args: ConnectionArgs;
  /** What the query selects from the nodes, so only the columns it needs are read. */
  selection?: Selection | null;
}

/**
 * A Relay connection of one parent's children (a region's meetings, an organisation's decisions),
 * batched: all parents asking for the same page of the same list are answered by one statement
 * that ranks each parent's rows with a window function. `totalCount` is batched the same way.
 */
export async function paginateChildren<Row extends { id: string }>(options: ChildConnectionOptions): Promise<Connection<Row>> {
  const { context, table, foreignKey, parentId, where, filterKey, args } = options;
  checkPageSize(args);
  const order = [...options.order, { column: table.id, direction: 'asc' as const }];
  const choice = columnsFor(table, options.selection);
  const name = `${getTableName(table)}.${foreignKey.name}:${choice.key}`;
  const connection = await cursorConnection<Row>(
    { args, toCursor: cursorOfRow, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE },
    ({ before, after, limit, inverted }) => {
      const pageKey = JSON.stringify([filterKey, before ?? null, after ?? null, limit, inverted]);
      const loader = context.loader(
        `childPage:${name}:${pageKey}`,
        () =>
          new DataLoader<string, Row[]>(async (parentIds) => {
            const bounds = [
              after ? beyondCursor(table, order, decodeCursor(after, 'after'), true) : undefined,
              before ? beyondCursor(table, order, decodeCursor(before, 'before'), false) : undefined,
            ];
            const orderBy = sql.join(
              order.map(({ column, direction }) =>
                (direction === 'asc') !== inverted ? sql`${column} asc` : sql`${column} desc`,
              ),
              sql`, `,
            );
            const list = columnList(choice.columns, `${getTableName(table)}:${choice.key}`);
            const conditions = and(anyOf(foreignKey, [...new Set(parentIds)]), where, ...bounds);
            const ranked = sql`select ${sql.raw(list.text)}, ${foreignKey}::text as naravard_parent, row_number() over (partition by ${foreignKey} order by ${orderBy}) as naravard_rank from ${table} where ${conditions}`;
            const rows = await readRows(
              context.db,
              sql`select * from (${ranked}) ranked where naravard_rank <= ${literalLimit(limit)} order by naravard_parent, naravard_rank`,
              (row) => ({ parent: row[list.width] as string, row: list.read(row, 0) as unknown as Row }),
            );
            const byParent = new Map<string, Row[]>();
            for (const { parent, row } of rows) {
              const siblings = byParent.get(parent);
              if (siblings) siblings.push(row);
              else byParent.set(parent, [row]);
            }
            return parentIds.map((id) => byParent.get(id) ?? []);
          }),
      );
      return loader.load(parentId);
    },
  );
  return withTotalCount(connection, () =>
      context
        .loader(
          `childCount:${name}:${filterKey}`,
          () =>
            new DataLoader<string, number>(async (parentIds) => {
              const counts = await context.db
                .select({ parent: sql<string>`${foreignKey}::text`, value: count() })
                .from(table as PgTable)
                .where(and(anyOf(foreignKey, [...new Set(parentIds)]), where))
                .groupBy(foreignKey);
              const byParent = new Map(counts.map((row) => [row.parent, row.value]));
              return parentIds.map((id) => byParent.get(id) ?? 0);
            }),
        )
        .load(parentId));
}

/**
 * Filter values longer than this (as JSON) are not kept: the caches' memory stays bounded by
 * their entry counts (a few MB), whatever clients send. Filters people and dashboards use are
 * far shorter.
 */
const MAX_KEPT_FILTER_KEY = 1_000;

/** Numbers the lists made by filteredList, so their cached statements never meet. */
let listsMade = 0;

/** The arguments of a list with a typed `filter` and an `orderBy` (an order enum's value). */
export interface ListArgs<Filter> extends ConnectionArgs {
  filter?: Filter | null;
  orderBy?: string | null;
}

/**
 * One table's list with its typed filter and order, read the same way wherever it appears: as a
 * root connection (`page`) and as a parent's connection batched across parents (`pageOf`: a
 * region's meetings, an organisation's decisions), where the filter and the order also key the batch.
 */
export function filteredList<Row extends { id: string }, Filter>(options: {
  table: TableWithId & { deletedAt: PgColumn };
  /** The filter's conditions, lifecycle included. */
  where: (filter: Filter | null | undefined) => SQL | undefined;
  /** The sort keys of an `orderBy` value; the ID breaks ties. */
  order: (orderBy: string | null | undefined) => OrderKey[];
}) {
  const { table, where, order } = options;
  const listKey = `list${++listsMade}`;
  /**
   * The conditions of the filter values asked for lately. They depend on the value alone (names
   * are resolved to IDs before), and a list is asked for with the same few filters again and again
   * (a dashboard's regions, a parent's list for each parent of a page).
   */
  const conditionsSeen = new LRUCache<string, { where: SQL | undefined }>({ max: 500 });
  const conditionsOf = (filter: Filter | null | undefined, orderBy: string | null | undefined) => {
    const filterKey = filterKeyOf([filter ?? null, orderBy ?? null]);
    if (filterKey === undefined || filterKey.length > MAX_KEPT_FILTER_KEY) return { where: where(filter), filterKey: undefined };
    let seen = conditionsSeen.get(filterKey);
    if (!seen) conditionsSeen.set(filterKey, (seen = { where: where(filter) }));
    return { where: seen.where, filterKey };
  };
  return {
    page: async (context: Context, args: ListArgs<Filter>, info?: GraphQLResolveInfo) => {
      const { where, filterKey } = conditionsOf(await resolveFilterNames(context, args.filter), args.orderBy);
      return paginateTable<Row>({
        db: context.db,
        table,
        where,
        statementKey: filterKey === undefined ? undefined : `${listKey}:${filterKey}`,
        order: order(args.orderBy),
        args,
        selection: info ? selectionOf(info, 'edges', 'node') : null,
        folds: info ? { context, list: foldsFor(table, info, 'edges', 'node'), children: pageChildFolds(table, info) } : undefined,
      });
    },
    pageOf: async (context: Context, foreignKey: PgColumn, parentId: string, args: ListArgs<Filter>, info?: GraphQLResolveInfo) => {
      const filter = await resolveFilterNames(context, args.filter);
      const conditions = conditionsOf(filter, args.orderBy);
      return paginateChildren<Row>({
        selection: info ? selectionOf(info, 'edges', 'node') : null,
        context,
        table,
        foreignKey,
        parentId,
        where: conditions.where,
        filterKey: conditions.filterKey ?? JSON.stringify([filter ?? null, args.orderBy ?? null]),
        order: order(args.orderBy),
        args,
      });
    },
  };
}
