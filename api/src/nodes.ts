import type { Context } from './context.ts';
import { type EntityTable, loadRows } from './loaders.ts';
import { Timestamped } from './schema/bookkeeping.ts';
import { Cited, Tagged } from './schema/provenance.ts';

/**
 * What makes a domain type a Relay node: a global ID that `node(id:)` resolves through the
 * request's batched loader, and the shared interfaces (bookkeeping, citations, topics if tagged).
 * Spread into `builder.node(Ref, { ...entityNode(table), description, fields })`.
 */
export function entityNode<Row extends { id: string }>(table: EntityTable) {
  return {
    id: { resolve: (row: Row) => row.id },
    loadMany: (ids: string[], context: Context) => loadRows<Row>(context, table, ids),
    interfaces: [Timestamped, Cited] as [typeof Timestamped, typeof Cited],
  };
}

/** Like `entityNode`, for types that are also tagged with topics. */
export function taggedEntityNode<Row extends { id: string }>(table: EntityTable) {
  return { ...entityNode<Row>(table), interfaces: [Timestamped, Cited, Tagged] as [typeof Timestamped, typeof Cited, typeof Tagged] };
}
