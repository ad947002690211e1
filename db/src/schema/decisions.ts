import { sql } from 'drizzle-orm';
import { date, index, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { bookkeeping, id, swedishSearchVector, tsvector } from './columns.ts';
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
    decidedOn: date('decided_on'),
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
    index('decisions_search_idx').using('gin', table.searchVector),
    index('decisions_trgm_idx').using(
      'gin',
      sql`naravard_unaccent(lower(coalesce(${table.title}, '') || ' ' || ${table.text})) gin_trgm_ops`,
    ),
  ],
);
