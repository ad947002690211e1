import { tables } from '@naravard/db';
import { asc, eq, inArray } from 'drizzle-orm';
import { builder } from '../builder.ts';
import { databaseEnum } from '../enums.ts';
import { allOf, DateRange, dateInRange, lifecycleConditions, lifecycleFilterFields, regionIs, taggedWith, textMatches } from '../filters.ts';
import { loadChildren, loadReference } from '../loaders.ts';
import { entityNode, taggedEntityNode } from '../nodes.ts';
import type { Context } from '../context.ts';
import { type ConnectionArgs, type OrderKey, paginateChildren, paginateTable } from '../pagination.ts';
import {
  AgendaItem,
  type AgendaItemRow,
  Decision,
  type DecisionRow,
  Meeting,
  type MeetingRow,
  Organisation,
  type OrganisationRow,
  Participant,
  type ParticipantRow,
  Person,
  type PersonRow,
  Region,
  type RegionRow,
} from './refs.ts';

const MeetingKind = databaseEnum('MeetingKind', 'What kind of meeting it was.', {
  sitting: 'A sitting (sammanträde) of a board or committee.',
  steering_group: 'A meeting of a steering group (styrgrupp).',
  dialogue_meeting: 'A dialogue meeting (dialogmöte) with providers or partners.',
  seminar: 'A seminar.',
  workshop: 'A workshop.',
  other: 'Any other meeting.',
});

const ParticipantRole = databaseEnum('ParticipantRole', 'How someone took part in a meeting.', {
  chair: 'Chaired the meeting (ordförande).',
  secretary: 'Kept the minutes (sekreterare).',
  present: 'Was present (närvarande).',
  absent: 'Was expected but absent (frånvarande).',
  presenter: 'Presented an item.',
  guest: 'Attended as a guest.',
});

/** The decisions taken at a meeting or an agenda item, batched per request. */
const decisionsBy = (column: typeof tables.decisions.meetingId | typeof tables.decisions.agendaItemId) => ({
  table: tables.decisions,
  foreignKey: column,
  orderBy: [asc(tables.decisions.decidedOn), asc(tables.decisions.id)],
});

builder.node(Meeting, {
  ...taggedEntityNode<MeetingRow>(tables.meetings),
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
      resolve: (meeting, _args, context) => loadReference<OrganisationRow>(context, tables.organisations, meeting.organisationId),
    }),
    region: t.field({
      type: Region,
      nullable: true,
      description: 'The region whose governance the meeting belongs to.',
      resolve: (meeting, _args, context) => loadReference<RegionRow>(context, tables.regions, meeting.regionId),
    }),
    participants: t.field({
      type: [Participant],
      description: 'Who took part and how: chair, secretary, present, absent, presenters.',
      resolve: (meeting, _args, context) =>
        loadChildren<ParticipantRow>(
          context,
          {
            table: tables.meetingParticipants,
            foreignKey: tables.meetingParticipants.meetingId,
            orderBy: [asc(tables.meetingParticipants.role), asc(tables.meetingParticipants.id)],
          },
          meeting.id,
        ),
    }),
    agendaItems: t.field({
      type: [AgendaItem],
      description: 'The numbered agenda items, in order.',
      resolve: (meeting, _args, context) =>
        loadChildren<AgendaItemRow>(
          context,
          { table: tables.agendaItems, foreignKey: tables.agendaItems.meetingId, orderBy: [asc(tables.agendaItems.ordinal)] },
          meeting.id,
        ),
    }),
    decisions: t.field({
      type: [Decision],
      description: 'Every decision taken at the meeting, across its agenda items.',
      resolve: (meeting, _args, context) => loadChildren<DecisionRow>(context, decisionsBy(tables.decisions.meetingId), meeting.id),
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
      resolve: (participant, _args, context) => loadReference<PersonRow>(context, tables.people, participant.personId),
    }),
    organisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The body taking part, or the one the person represented.',
      resolve: (participant, _args, context) =>
        loadReference<OrganisationRow>(context, tables.organisations, participant.organisationId),
    }),
    meeting: t.field({
      type: Meeting,
      description: 'The meeting.',
      resolve: async (participant, _args, context) =>
        (await loadReference<MeetingRow>(context, tables.meetings, participant.meetingId))!,
    }),
  }),
});

builder.node(AgendaItem, {
  ...taggedEntityNode<AgendaItemRow>(tables.agendaItems),
  description: 'A numbered item (punkt, §) of a meeting: what was reported, discussed and decided.',
  fields: (t) => ({
    ordinal: t.exposeInt('ordinal', { description: 'The item number on the agenda.' }),
    title: t.exposeString('title', { description: 'The item heading.' }),
    summary: t.exposeString('summary', { nullable: true, description: 'What was reported and discussed, condensed.' }),
    meeting: t.field({
      type: Meeting,
      description: 'The meeting the item belongs to.',
      resolve: async (item, _args, context) => (await loadReference<MeetingRow>(context, tables.meetings, item.meetingId))!,
    }),
    decisions: t.field({
      type: [Decision],
      description: 'The decisions taken at this item.',
      resolve: (item, _args, context) => loadChildren<DecisionRow>(context, decisionsBy(tables.decisions.agendaItemId), item.id),
    }),
  }),
});

const MeetingFilter = builder.inputType('MeetingFilter', {
  description: 'Narrows a list of meetings. Conditions combine with AND.',
  fields: (t) => ({
    region: t.string({ description: 'SCB county code of the region ("07").' }),
    organisation: t.globalID({ description: 'The body that met (an Organisation ID).' }),
    kind: t.field({ type: [MeetingKind], description: 'Any of these kinds.' }),
    heldOn: t.field({ type: DateRange, description: 'Held within these dates.' }),
    topic: t.string({ description: 'Tagged with this topic (its slug, e.g. "central-contact-entry").' }),
    text: t.string({ description: 'Words in the title or place, accents and case ignored.' }),
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

type MeetingFilterShape = typeof MeetingFilter.$inferInput;

function meetingConditions(filter: MeetingFilterShape | null | undefined) {
  const m = tables.meetings;
  return allOf([
    ...lifecycleConditions(m, filter),
    regionIs(m.regionId, filter?.region),
    filter?.organisation ? eq(m.organisationId, filter.organisation.id) : undefined,
    filter?.kind?.length ? inArray(m.kind, filter.kind) : undefined,
    ...dateInRange(m.heldOn, filter?.heldOn),
    taggedWith('meeting', m.id, filter?.topic),
    textMatches([m.title, m.place], filter?.text),
  ]);
}

function meetingOrder(order: string | null | undefined): OrderKey[] {
  const m = tables.meetings;
  if (order === 'HELD_ON_ASC') return [{ column: m.heldOn, direction: 'asc' }];
  if (order === 'UPDATED_AT') return [{ column: m.updatedAt, direction: 'asc' }];
  return [{ column: m.heldOn, direction: 'desc' }];
}

const meetingListArgs = builder.args((t) => ({
  filter: t.field({ type: MeetingFilter, description: 'Which meetings.' }),
  orderBy: t.field({ type: MeetingOrder, defaultValue: 'HELD_ON_DESC', description: 'In which order.' }),
}));

interface MeetingListArgs extends ConnectionArgs {
  filter?: MeetingFilterShape | null;
  orderBy?: string | null;
}


builder.queryFields((t) => ({
  meetings: t.connection({
    type: Meeting,
    description: 'Meetings of steering groups, boards, committees and dialogue meetings, across regions.',
    args: meetingListArgs,
    resolve: (_root, args, context) =>
      paginateTable<MeetingRow>({
        db: context.db,
        table: tables.meetings,
        where: meetingConditions(args.filter),
        order: meetingOrder(args.orderBy),
        args,
      }),
  }),
}));

/** A parent's meetings (a region's, an organisation's), batched across parents. */
function meetingsOf(
  context: Context,
  foreignKey: typeof tables.meetings.regionId | typeof tables.meetings.organisationId,
  parentId: string,
  args: MeetingListArgs,
) {
  return paginateChildren<MeetingRow>({
    context,
    table: tables.meetings,
    foreignKey,
    parentId,
    where: meetingConditions(args.filter),
    filterKey: JSON.stringify([args.filter ?? null, args.orderBy ?? null]),
    order: meetingOrder(args.orderBy),
    args,
  });
}

builder.objectField(Region, 'meetings', (t) =>
  t.connection({
    type: Meeting,
    description: "The region's meetings.",
    args: meetingListArgs,
    resolve: (region, args, context) => meetingsOf(context, tables.meetings.regionId, region.id, args),
  }),
);

builder.objectField(Organisation, 'meetings', (t) =>
  t.connection({
    type: Meeting,
    description: 'Meetings of this body.',
    args: meetingListArgs,
    resolve: (organisation, args, context) => meetingsOf(context, tables.meetings.organisationId, organisation.id, args),
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
