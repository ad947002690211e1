import type { Context } from '../context.ts';
import { BadInputError } from '../errors.ts';
import type { GraphQLResolveInfo } from 'graphql';
import { type EntityTable, loadNode, loadRows, UUID } from '../loaders.ts';
import { Timestamped } from '../bookkeeping.ts';
import { Cited } from './citations.ts';
import { Tagged } from './tagged.ts';

/** Rows for `node(id:)`/`nodes(ids:)` of a type without an entity table's shared interfaces (topics). */
export function loadNodes<Row extends { id: string }>(context: Context, table: EntityTable, ids: string[]) {
  if (ids.some((id) => !UUID.test(id))) throw new BadInputError('"id" is not an ID this API gave out', 'id');
  return loadRows<Row>(context, table, ids);
}

/**
 * A row for `node(id:)`/`nodes(ids:)`, through the request's batched loader, with what the query
 * selects from it (see loadNode). Every record's ID is a UUID: anything else is refused before
 * the database.
 */
function loadNodeRow<Row extends { id: string }>(context: Context, table: EntityTable, id: string, info: GraphQLResolveInfo) {
  if (!UUID.test(id)) throw new BadInputError('"id" is not an ID this API gave out', 'id');
  return loadNode<Row>(context, table, id, info);
}

/**
 * What makes a domain type a Relay node: a global ID that `node(id:)` resolves through the
 * request's batched loader, and the shared interfaces (bookkeeping, citations, topics if tagged).
 * Spread into `builder.node(Ref, { ...entityNode(table), description, fields })`.
 */
export function entityNode<Row extends { id: string }>(table: EntityTable, extra: SharedInterface[] = []) {
  return {
    id: { resolve: (row: Row) => row.id },
    loadWithoutCache: (id: string, context: Context, info: GraphQLResolveInfo) => loadNodeRow<Row>(context, table, id, info),
    interfaces: [Timestamped, Cited, ...extra] as [typeof Timestamped, typeof Cited],
  };
}

/** Another interface every row of a table can implement (its fields resolve from `{ id }` and the type's name). */
type SharedInterface = typeof Cited;

/** Like `entityNode`, for types that are also tagged with topics. */
export function taggedEntityNode<Row extends { id: string }>(table: EntityTable, extra: SharedInterface[] = []) {
  return { ...entityNode<Row>(table), interfaces: [Timestamped, Cited, Tagged, ...extra] as [typeof Timestamped, typeof Cited, typeof Tagged] };
}
