import { getTableName, inArray } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import DataLoader from 'dataloader';
import type { Database } from '@naravard/db';
import type { Context } from './context.ts';

type TableWithId = PgTable & { id: PgColumn };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Loads rows by ID in one statement and returns them in the order asked, null where missing. */
export async function rowsByIds<Row extends { id: string }>(
  db: Database,
  table: TableWithId,
  ids: readonly string[],
): Promise<(Row | null)[]> {
  const uuids = [...new Set(ids.filter((id) => UUID.test(id)))];
  const rows = uuids.length === 0 ? [] : ((await db.select().from(table as PgTable).where(inArray(table.id, uuids))) as Row[]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** The request's loader of one table's rows by ID: every lookup in one request's tick is one statement. */
export function rowLoader<Row extends { id: string }>(context: Context, table: TableWithId) {
  return context.loader(`byId:${getTableName(table)}`, () => new DataLoader<string, Row | null>((ids) => rowsByIds<Row>(context.db, table, ids)));
}

/** Loads rows by ID through the request's loader, null where missing (for `node(id:)` and references). */
export function loadRows<Row extends { id: string }>(context: Context, table: TableWithId, ids: readonly string[]) {
  const loader = rowLoader<Row>(context, table);
  return Promise.all(ids.map((id) => loader.load(id)));
}
