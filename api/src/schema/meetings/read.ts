import { tables } from '@naravard/db';
import { asc, inArray, sql } from 'drizzle-orm';
import { builder } from '../../builder.ts';
import { databaseEnum } from '../../enums.ts';
import { allOf, DateRange, dateInRange, lifecycleConditions, lifecycleFilterFields, referenceIs, regionIs, takesNames, taggedWith, wordsInVector } from '../../filters.ts';
import { childrenField, foldableChildren, loadChildren, loadReference } from '../../loaders.ts';
import { entityNode, taggedEntityNode } from '../nodes.ts';
import { filteredList, type OrderKey } from '../../pagination.ts';
import { AgendaItem, Searchable, type AgendaItemRow, Decision, type DecisionRow, Meeting, type MeetingRow, Organisation, type OrganisationRow, Participant, type ParticipantRow, Person, type PersonRow, Region, type RegionRow } from '../refs.ts';

/* Meetings, participants and agenda items as nodes, the list of meetings and the meetings of a region, an organisation and a person. */

export const MeetingKind = databaseEnum('MeetingKind', 'What kind of meeting it was.', {
  sitting: 'A sitting (sammanträde) of a board or committee.',
  steering_group: 'A meeting of a steering group (styrgrupp).',
  dialogue_meeting: 'A dialogue meeting (dialogmöte) with providers or partners.',
  seminar: 'A seminar.',
  workshop: 'A workshop.',
  other: 'Any other meeting.',
});

export const ParticipantRole = databaseEnum('ParticipantRole', 'How someone took part in a meeting.', {
  chair: 'Chaired the meeting (ordförande).',
  secretary: 'Kept the minutes (sekreterare).',
  present: 'Was present (närvarande).',
  absent: 'Was expected but absent (frånvarande).',
  presenter: 'Presented an item.',
  guest: 'Attended as a guest.',
  adjuster: 'Attended and checks the minutes (justerare).',
  substitute: 'Attended as a substitute member (ersättare).',
});

/** The number of the agenda item a decision was taken at (NULL when it names none). */
const agendaItemOrdinal = sql`(select ${tables.agendaItems.ordinal} from ${tables.agendaItems}
  where ${tables.agendaItems.id} = ${tables.decisions.agendaItemId})`;

/**
 * The decisions taken at a meeting or an agenda item, batched per request: in agenda order
 * (decisions without an item last), then by date, then as recorded. An agenda item's decisions
 * share its number, so only a meeting's list sorts by it (it costs a lookup per row).
 */
const decisionsOf = (column: typeof tables.decisions.meetingId | typeof tables.decisions.agendaItemId) => ({
  table: tables.decisions,
  foreignKey: column,
  orderBy: [
    ...(column === tables.decisions.meetingId ? [asc(agendaItemOrdinal)] : []),
    asc(tables.decisions.decidedOn),
    asc(tables.decisions.createdAt),
    asc(tables.decisions.id),
  ],
});
// Built once: a meeting lists its agenda items' decisions, dozens per request.
const decisionsOfMeeting = decisionsOf(tables.decisions.meetingId);
const decisionsOfAgendaItem = decisionsOf(tables.decisions.agendaItemId);
const participantsOfMeeting = {
  table: tables.meetingParticipants,
  foreignKey: tables.meetingParticipants.meetingId,
  orderBy: [asc(tables.meetingParticipants.role), asc(tables.meetingParticipants.id)],
};
const agendaItemsOfMeeting = {
  table: tables.agendaItems,
  foreignKey: tables.agendaItems.meetingId,
  orderBy: [asc(tables.agendaItems.ordinal)],
};
// A meeting (a page's, or loaded by ID: `node`, `nodes`, a search hit) brings these lists in its
// own statement, and its agenda items their decisions.
foldableChildren(tables.meetings, 'Meeting', { participants: participantsOfMeeting, agendaItems: agendaItemsOfMeeting, decisions: decisionsOfMeeting });
foldableChildren(tables.agendaItems, 'AgendaItem', { decisions: decisionsOfAgendaItem });

builder.node(Meeting, {
  ...taggedEntityNode<MeetingRow>(tables.meetings, [Searchable]),
  description: 'A meeting (möte, sammanträde, dialogmöte) of a body, with its participants, agenda items and decisions.',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'What the minutes call the meeting.' }),
    kind: t.expose('kind', { type: MeetingKind, description: 'What kind of meeting it was.' }),
    heldOn: t.expose('heldOn', { type: 'Date', description: 'The day of the meeting.' }),
    startsAt: t.string({
      nullable: true,
      description: 'Local start time, "HH:MM", when the minutes give it.',
      resolve: (meeting) => meeting.startsAt?.slice(0, 5) ?? null,
    }),
    endsAt: t.string({
      nullable: true,
      description: 'Local end time, "HH:MM", when the minutes give it.',
      resolve: (meeting) => meeting.endsAt?.slice(0, 5) ?? null,
    }),
    place: t.exposeString('place', { nullable: true, description: 'Where it was held ("Fysiskt möte", a room, a town).' }),
    organisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The body that met.',
      resolve: (meeting, _args, context, info) => loadReference<OrganisationRow>(context, tables.organisations, meeting.organisationId, info),
    }),
    region: t.field({
      type: Region,
      nullable: true,
      description: 'The region whose governance the meeting belongs to.',
      resolve: (meeting, _args, context, info) => loadReference<RegionRow>(context, tables.regions, meeting.regionId, info),
    }),
    participants: t.field({
      type: [Participant],
      description: 'Who took part and how: chair, secretary, present, absent, presenters.',
      resolve: childrenField<ParticipantRow>(participantsOfMeeting),
    }),
    agendaItems: t.field({
      type: [AgendaItem],
      description: 'The numbered agenda items, in order.',
      resolve: childrenField<AgendaItemRow>(agendaItemsOfMeeting),
    }),
    decisions: t.field({
      type: [Decision],
      description: 'Every decision taken at the meeting, across its agenda items, in agenda order.',
      resolve: childrenField<DecisionRow>(decisionsOfMeeting),
    }),
  }),
});

builder.node(Participant, {
  ...entityNode<ParticipantRow>(tables.meetingParticipants),
  description: 'A person or a body taking part in a meeting, in a role.',
  fields: (t) => ({
    role: t.expose('role', { type: ParticipantRole, description: 'How they took part.' }),
    title: t.exposeString('title', { nullable: true, description: 'The title the minutes give them ("Programchef").' }),
    person: t.field({
      type: Person,
      nullable: true,
      description: 'The person, when a person took part.',
      resolve: (participant, _args, context, info) => loadReference<PersonRow>(context, tables.people, participant.personId, info),
    }),
    organisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The body taking part, or the one the person represented.',
      resolve: (participant, _args, context, info) =>
        loadReference<OrganisationRow>(context, tables.organisations, participant.organisationId, info),
    }),
    meeting: t.field({
      type: Meeting,
      description: 'The meeting.',
      resolve: async (participant, _args, context, info) =>
        (await loadReference<MeetingRow>(context, tables.meetings, participant.meetingId, info))!,
    }),
  }),
});

builder.node(AgendaItem, {
  ...taggedEntityNode<AgendaItemRow>(tables.agendaItems, [Searchable]),
  description: 'A numbered item (punkt, §) of a meeting: what was reported, discussed and decided.',
  fields: (t) => ({
    ordinal: t.exposeInt('ordinal', { description: 'The item number on the agenda.' }),
    title: t.exposeString('title', { description: 'The item heading.' }),
    summary: t.exposeString('summary', { nullable: true, description: 'What was reported and discussed, condensed.' }),
    meeting: t.field({
      type: Meeting,
      description: 'The meeting the item belongs to.',
      resolve: async (item, _args, context, info) => (await loadReference<MeetingRow>(context, tables.meetings, item.meetingId, info))!,
    }),
    decisions: t.field({
      type: [Decision],
      description: 'The decisions taken at this item.',
      resolve: childrenField<DecisionRow>(decisionsOfAgendaItem),
    }),
  }),
});

const MeetingFilter = builder.inputType('MeetingFilter', {
  description: 'Narrows a list of meetings. Conditions combine with AND.',
  fields: (t) => ({
    region: t.string({ description: 'The region: SCB county code ("07") or name ("Örebro", "Region Örebro län"), case and accents ignored.' }),
    organisation: t.id({ ...takesNames, description: 'The body that met: its Organisation ID or its name (within `region` when given).' }),
    kind: t.field({ type: [MeetingKind], description: 'Any of these kinds.' }),
    heldOn: t.field({ type: DateRange, description: 'Held within these dates.' }),
    topic: t.string({ description: 'Tagged with this topic: its slug ("central-contact-entry") or its name, English or Swedish ("central kontaktingång").' }),
    text: t.string({ description: 'Words in the title or place, matched as `search` matches them: whole words in any inflection, accents and case ignored, every word required ("quoted phrase", `or`, -word).' }),
    ...lifecycleFilterFields(t),
  }),
});

const MeetingOrder = builder.enumType('MeetingOrder', {
  description: 'Orders of a meeting list; ties are broken by ID so paging is stable.',
  values: {
    HELD_ON_DESC: { description: 'Newest first (the default).' },
    HELD_ON_ASC: { description: 'Oldest first.' },
    UPDATED_AT: { description: 'By last change, oldest first: the order for incremental refresh.' },
  },
});

export type MeetingFilterShape = typeof MeetingFilter.$inferInput;

export function meetingConditions(filter: MeetingFilterShape | null | undefined) {
  const m = tables.meetings;
  return allOf([
    ...lifecycleConditions(m, filter),
    regionIs(m.regionId, filter?.region),
    referenceIs(m.organisationId, filter?.organisation, 'Organisation', 'organisation'),
    filter?.kind?.length ? inArray(m.kind, filter.kind) : undefined,
    ...dateInRange(m.heldOn, filter?.heldOn),
    taggedWith('meeting', m.id, filter?.topic),
    wordsInVector(m.searchVector, filter?.text),
  ]);
}

function meetingOrder(order: string | null | undefined): OrderKey[] {
  const m = tables.meetings;
  if (order === 'HELD_ON_ASC') return [{ column: m.heldOn, direction: 'asc' }];
  if (order === 'UPDATED_AT') return [{ column: m.updatedAt, direction: 'asc' }];
  return [{ column: m.heldOn, direction: 'desc' }];
}

const meetingList = filteredList<MeetingRow, MeetingFilterShape>({ table: tables.meetings, where: meetingConditions, order: meetingOrder });

const meetingListArgs = builder.args((t) => ({
  filter: t.field({ type: MeetingFilter, description: 'Which meetings.' }),
  orderBy: t.field({ type: MeetingOrder, defaultValue: 'HELD_ON_DESC', description: 'In which order.' }),
}));

builder.queryFields((t) => ({
  meetings: t.connection({
    type: Meeting,
    description: 'Meetings of steering groups, boards, committees and dialogue meetings, across regions.',
    args: meetingListArgs,
    resolve: (_root, args, context, info) => meetingList.page(context, args, info),
  }),
}));

builder.objectField(Region, 'meetings', (t) =>
  t.connection({
    type: Meeting,
    description: "The region's meetings.",
    args: meetingListArgs,
    resolve: (region, args, context, info) => meetingList.pageOf(context, tables.meetings.regionId, region.id, args, info),
  }),
);

builder.objectField(Organisation, 'meetings', (t) =>
  t.connection({
    type: Meeting,
    description: 'Meetings of this body.',
    args: meetingListArgs,
    resolve: (organisation, args, context, info) => meetingList.pageOf(context, tables.meetings.organisationId, organisation.id, args, info),
  }),
);

builder.objectField(Person, 'participations', (t) =>
  t.field({
    type: [Participant],
    description: "The meetings this person took part in, with the role they had.",
    resolve: (person, _args, context) =>
      loadChildren<ParticipantRow>(
        context,
        {
          table: tables.meetingParticipants,
          foreignKey: tables.meetingParticipants.personId,
          orderBy: [asc(tables.meetingParticipants.meetingId)],
        },
        person.id,
      ),
  }),
);
