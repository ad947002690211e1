import { eq } from 'drizzle-orm';
import * as tables from './schema/index.ts';
import type { CitationInputShape, Writer } from './writer.ts';

/* The write rules of decisions shared by every write that records one (a decision alone, an agenda item's, a meeting's). */

type DecisionRow = typeof tables.decisions.$inferSelect;

/** What a new decision holds; `decidedOnPrecision` is "day" when left out. */
export type NewDecision = Pick<typeof tables.decisions.$inferInsert, 'kind' | 'text' | 'decidedOnPrecision'> & {
  title: string | null;
  decidedOn: string | null;
  decidedById: string | null;
  meetingId: string | null;
  agendaItemId: string | null;
  regionId: string | null;
  /** Topic slugs to tag it with. */
  topics: readonly string[];
  citations: readonly CitationInputShape[];
};

/**
 * Records a decision, tagged and cited, through the writer (so it is logged). `path` is where the
 * decision stands in the input, so an unknown topic or a quote its document does not hold is
 * named at `[...path, "topics", i]` or `[...path, "citations", i, …]`.
 */
export async function createDecision(writer: Writer, decision: NewDecision, path: (string | number)[]): Promise<DecisionRow & { version: number }> {
  const { topics, citations, ...values } = decision;
  const created = await writer.create<DecisionRow & { version: number }>('Decision', { ...values, decidedOnPrecision: values.decidedOnPrecision ?? 'day' });
  await writer.tag('Decision', created.id, [...topics], [...path, 'topics']);
  await writer.cite('Decision', created.id, [...citations], [...path, 'citations']);
  return created;
}

/**
 * The meeting an agenda item belongs to, with its number, heading and tombstone for messages
 * ("agenda item 3 (Budget) belongs to another meeting"); deleted items too, undefined for an ID no item has.
 */
export async function agendaItemOf(writer: Writer, id: string) {
  const i = tables.agendaItems;
  const [item] = await writer.tx
    .select({ meetingId: i.meetingId, ordinal: i.ordinal, title: i.title, deletedAt: i.deletedAt })
    .from(i)
    .where(eq(i.id, id));
  return item;
}
