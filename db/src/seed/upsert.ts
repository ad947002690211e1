import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database, Transaction } from '../connect.ts';

type TableWithBookkeeping = PgTable & { id: PgColumn; version: PgColumn; updatedAt: PgColumn };

const CHUNK_ROWS = 500;

/**
 * Inserts rows by primary key, or updates the existing row only where a value differs, so
 * loading the same data twice leaves every row (its `updated_at` and `version` included) as it was.
 * Every row must name the same columns. Returns how many rows were inserted and updated.
 */
export async function upsertById<T extends TableWithBookkeeping>(
  tx: Database | Transaction,
  table: T,
  rows: T['$inferInsert'][],
): Promise<{ inserted: number; updated: number }> {
  const counts = { inserted: 0, updated: 0 };
  const first = rows[0];
  if (!first) return counts;
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const names = Object.keys(first).filter((name) => name !== 'id');
  const set: Record<string, SQL> = {};
  const differs: SQL[] = [];
  for (const name of names) {
    const column = columns[name];
    if (!column) throw new Error(`${name} is not a column of the table`);
    set[name] = sql.raw(`excluded."${column.name}"`);
    differs.push(sql`${column} IS DISTINCT FROM ${sql.raw(`excluded."${column.name}"`)}`);
  }
  set.version = sql`${table.version} + 1`;
  set.updatedAt = sql`now()`;
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const result = await tx
      .insert(table)
      .values(rows.slice(start, start + CHUNK_ROWS))
      .onConflictDoUpdate({ target: table.id, set, setWhere: sql.join(differs, sql` OR `) })
      .returning({ inserted: sql<boolean>`(xmax = 0)` });
    for (const row of result as { inserted: boolean }[]) {
      if (row.inserted) counts.inserted += 1;
      else counts.updated += 1;
    }
  }
  return counts;
}
