import { and, eq } from 'drizzle-orm';
import * as tables from './schema/index.ts';
import { ValidationError } from './write-errors.ts';
import type { Writer } from './writer.ts';

/* The write rules of meetings and their agenda items on stored records, callable without GraphQL. */

/**
 * Refuses an ordinal another item of the meeting (a deleted one too: the unique key covers both)
 * already has, at `path`; `exceptId` is the item being renumbered, whose own ordinal is free for it.
 */
export async function requireFreeAgendaItemOrdinal(writer: Writer, meetingId: string, ordinal: number, exceptId: string | null, path: (string | number)[]) {
  const i = tables.agendaItems;
  const [other] = await writer.tx
    .select({ id: i.id, title: i.title, deletedAt: i.deletedAt })
    .from(i)
    .where(and(eq(i.meetingId, meetingId), eq(i.ordinal, ordinal)));
  if (other && other.id !== exceptId) {
    throw new ValidationError([
      {
        path,
        message: `the meeting already has an item ${ordinal} (${other.title}${other.deletedAt ? ', deleted: restore or renumber it' : ''})`,
      },
    ]);
  }
}
