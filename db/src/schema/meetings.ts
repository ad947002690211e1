import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  time,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bookkeeping, id, swedishSearchVector, tsvector } from './columns.ts';
import { organisations } from './organisations.ts';
import { people } from './people.ts';
import { regions } from './regions.ts';

export const meetingKind = pgEnum('meeting_kind', [
  'sitting',
  'steering_group',
  'dialogue_meeting',
  'seminar',
  'workshop',
  'other',
]);

export const participantRole = pgEnum('participant_role', [
  'chair',
  'secretary',
  'present',
  'absent',
  'presenter',
  'guest',
  'adjuster',
  'substitute',
]);

/** A meeting (möte, sammanträde, dialogmöte) of a body. */
export const meetings = pgTable(
  'meetings',
  {
    id: id(),
    title: text('title').notNull(),
    kind: meetingKind('kind').notNull(),
    /** The body that met. */
    organisationId: uuid('organisation_id').references(() => organisations.id),
    regionId: uuid('region_id').references(() => regions.id),
    heldOn: date('held_on').notNull(),
    startsAt: time('starts_at'),
    endsAt: time('ends_at'),
    place: text('place'),
    /** Swedish full-text vector of the title and place, for `search` and the `text` filter. */
    searchVector: tsvector('search_vector').generatedAlwaysAs(swedishSearchVector('title', 'place')),
    ...bookkeeping(),
  },
  (table) => [
    index('meetings_organisation_idx').on(table.organisationId),
    index('meetings_search_idx').using('gin', table.searchVector),
    index('meetings_region_held_on_idx').on(table.regionId, table.heldOn),
    index('meetings_held_on_idx').on(table.heldOn),
    index('meetings_updated_at_idx').on(table.updatedAt),
  ],
);

/**
 * Who took part in a meeting and how. A participant is a person, an organisation
 * (e.g. "the private health centres"), or both (a person representing a body).
 */
export const meetingParticipants = pgTable(
  'meeting_participants',
  {
    id: id(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id),
    personId: uuid('person_id').references(() => people.id),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    role: participantRole('role').notNull(),
    /** The title the minutes give the participant ("Programchef"). */
    title: text('title'),
    ...bookkeeping(),
  },
  (table) => [
    index('meeting_participants_meeting_idx').on(table.meetingId),
    index('meeting_participants_person_idx').on(table.personId),
    check(
      'meeting_participants_has_subject',
      sql`${table.personId} IS NOT NULL OR ${table.organisationId} IS NOT NULL`,
    ),
  ],
);

/** A numbered item (punkt, §) on a meeting's agenda. */
export const agendaItems = pgTable(
  'agenda_items',
  {
    id: id(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id),
    ordinal: integer('ordinal').notNull(),
    title: text('title').notNull(),
    /** What was reported and discussed. */
    summary: text('summary'),
    searchVector: tsvector('search_vector').generatedAlwaysAs(swedishSearchVector('title', 'summary')),
    ...bookkeeping(),
  },
  (table) => [
    uniqueIndex('agenda_items_meeting_ordinal_key').on(table.meetingId, table.ordinal),
    index('agenda_items_updated_at_idx').on(table.updatedAt),
    index('agenda_items_search_idx').using('gin', table.searchVector),
    check('agenda_items_ordinal_positive', sql`${table.ordinal} > 0`),
  ],
);
