import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import * as tables from './schema/index.ts';
import type { Writer } from './writer.ts';

/* The write rules of assignments and their reports on stored records, callable without GraphQL. */

// An assignment's status follows its reports: it takes the status of its newest dated live report
// (latest `reportedOn`, then the one recorded last), when that report gives one. Undated reports
// and reports without a status never move it.

type AssignmentRow = typeof tables.assignments.$inferSelect;

/** The newest dated live report of an assignment: latest date, then the one recorded last (then the highest ID). */
export async function newestDatedReport(writer: Writer, assignmentId: string) {
  const r = tables.assignmentReports;
  const [newest] = await writer.tx
    .select()
    .from(r)
    .where(and(eq(r.assignmentId, assignmentId), isNull(r.deletedAt), isNotNull(r.reportedOn)))
    .orderBy(desc(r.reportedOn), desc(r.createdAt), desc(r.id))
    .limit(1);
  return newest;
}

/**
 * Makes the live assignment take the status of its newest dated report, logged as an update: only
 * when that report gives a status and, if `onlyIf` is a report ID, is that report; nothing when
 * the status is already the same.
 */
export async function followNewestReport(writer: Writer, assignmentId: string, onlyIf: string | null) {
  const newest = await newestDatedReport(writer, assignmentId);
  if (!newest?.status || (onlyIf && newest.id !== onlyIf)) return;
  const assignment = await writer.current<AssignmentRow>('Assignment', assignmentId);
  if (assignment.status === newest.status) return;
  await writer.update('Assignment', assignmentId, assignment.version, { status: newest.status });
}
