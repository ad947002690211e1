import { sql } from 'drizzle-orm';
import { check, date, index, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { bookkeeping, id, swedishSearchVector, tsvector } from './columns.ts';
import { datePrecision } from './enums.ts';
import { agendaItems, meetings } from './meetings.ts';
import { organisations } from './organisations.ts';
import { regions } from './regions.ts';

export const decisionKind = pgEnum('decision_kind', ['decision', 'direction', 'delegation', 'approval']);

/**
 * A decision (beslut), a decision on direction (inriktningsbeslut), a delegation or an approval.
 * Taken at a meeting's agenda item, or known only from a report ("the board decided the action
 * plan on 2023-09-07"), in which case meeting and item are empty.
 */
export const decisions = pgTable(
  'decisions',
  {
    id: id(),
    kind: decisionKind('kind').notNull(),
    title: text('title'),
    text: text('text').notNull(),
    /** The day of the decision, or the first day of its month or year when the source gives no more. */
    decidedOn: date('decided_on'),
    /** How much of `decided_on` the source gives. */
    decidedOnPrecision: datePrecision('decided_on_precision').notNull().default('day'),
    decidedById: uuid('decided_by_id').references(() => organisations.id),
    meetingId: uuid('meeting_id').references(() => meetings.id),
    agendaItemId: uuid('agenda_item_id').references(() => agendaItems.id),
    regionId: uuid('region_id').references(() => regions.id),
    searchVector: tsvector('search_vector').generatedAlwaysAs(swedishSearchVector('title', 'text')),
    ...bookkeeping(),
  },
  (table) => [
    index('decisions_decided_by_idx').on(table.decidedById),
    index('decisions_meeting_idx').on(table.meetingId),
    index('decisions_agenda_item_idx').on(table.agendaItemId),
    index('decisions_region_decided_on_idx').on(table.regionId, table.decidedOn),
    index('decisions_updated_at_idx').on(table.updatedAt),
    check(
      'decisions_decided_on_precision_start',
      sql`${table.decidedOn} IS NULL OR ${table.decidedOnPrecision} = 'day'
        OR (${table.decidedOnPrecision} = 'month' AND extract(day from ${table.decidedOn}) = 1)
        OR (${table.decidedOnPrecision} = 'year' AND extract(day from ${table.decidedOn}) = 1 AND extract(month from ${table.decidedOn}) = 1)`,
    ),
    index('decisions_search_idx').using('gin', table.searchVector),
  ],
);
