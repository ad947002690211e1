import { and, eq, inArray, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import type { EntityName } from './entities.ts';
import * as tables from './schema/index.ts';
import { ValidationError } from './write-errors.ts';
import type { Writer } from './writer.ts';

/* The write rules of audits on stored records, callable without GraphQL. */

// An audit owns its recommendations and its responses; a response owns its parts (one per
// recommendation answered). Deleting a whole deletes its live parts in the same transaction, so
// they share its `deletedAt`; restoring the whole brings back exactly the parts deleted with it
// (a part deleted on its own earlier stays deleted). A part cannot be restored while its whole
// is deleted.

type PartTable = typeof tables.recommendations | typeof tables.auditResponses | typeof tables.recommendationResponses;

/** Deletes the live rows of a part table that match, each logged, in the transaction deleting their whole. */
export async function deletePartsOf(writer: Writer, entity: EntityName, table: PartTable, where: SQL | undefined) {
  const rows = await writer.tx.select({ id: table.id }).from(table).where(and(isNull(table.deletedAt), where));
  for (const { id } of rows) await writer.delete(entity, id, null);
}

/** The answers to recommendations within an audit: the parts of its responses and those answering its recommendations. */
export function answersWithin(writer: Writer, auditId: string): SQL | undefined {
  const r = tables.recommendations;
  const ar = tables.auditResponses;
  const rr = tables.recommendationResponses;
  return or(
    inArray(rr.auditResponseId, writer.tx.select({ id: ar.id }).from(ar).where(eq(ar.auditId, auditId))),
    inArray(rr.recommendationId, writer.tx.select({ id: r.id }).from(r).where(eq(r.auditId, auditId))),
  );
}

/** The rows of a part table deleted in the same transaction as their whole (the same `deletedAt`), before the whole is restored. */
export async function partsDeletedWith(writer: Writer, table: PartTable, wholeDeletedAt: SQL, where: SQL | undefined) {
  const rows = await writer.tx
    .select({ id: table.id })
    .from(table)
    .where(and(sql`${table.deletedAt} = ${wholeDeletedAt}`, where));
  return rows.map((row) => row.id);
}

/** Refuses to restore a part whose audit is deleted (restoring the audit brings back the parts deleted with it). */
export async function requireLiveAudit(writer: Writer, auditId: string) {
  const [audit] = await writer.tx.select({ deletedAt: tables.audits.deletedAt }).from(tables.audits).where(eq(tables.audits.id, auditId));
  if (!audit || audit.deletedAt) {
    throw new ValidationError([
      { path: ['id'], message: 'its audit is deleted: restore the audit (restoreAudit), which brings back what was deleted with it' },
    ]);
  }
}

/** Refuses an ordinal the audit already uses; deleted recommendations keep their number until restored. */
export async function requireFreeRecommendationOrdinal(writer: Writer, auditId: string, ordinal: number, exceptId: string | null, path: (string | number)[]) {
  const r = tables.recommendations;
  const [taken] = await writer.tx
    .select({ id: r.id, deletedAt: r.deletedAt })
    .from(r)
    .where(and(eq(r.auditId, auditId), eq(r.ordinal, ordinal), exceptId ? ne(r.id, exceptId) : undefined));
  if (taken) {
    throw new ValidationError([
      {
        path,
        message: taken.deletedAt
          ? `recommendation ${ordinal} of this audit exists but is deleted: restore it (restoreRecommendation) or use another number`
          : `the audit already has a recommendation ${ordinal}`,
      },
    ]);
  }
}
