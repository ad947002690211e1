import { tables } from '@naravard/db';
import { z } from 'zod';
import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { builder } from '../builder.ts';
import { databaseEnum } from '../enums.ts';
import { bookkeepingColumns, idColumn, lifecycleFilter, lifecycleParameters, organisationParameter, regionParameter, registerExport, topicParameter } from '../exports.ts';
import { ValidationError } from '../errors.ts';
import {
  allOf,
  DateRange,
  dateInRange,
  lifecycleConditions,
  lifecycleFilterFields,
  referenceIs,
  regionIs, takesNames,
  taggedWith,
  wordsInVector,
} from '../filters.ts';
import { foldableChildren, loadChildren, loadReference } from '../loaders.ts';
import { selectionOf } from '../selection.ts';
import { deleteField, restoreField } from '../mutation-fields.ts';
import { entityNode, taggedEntityNode } from '../nodes.ts';
import { filteredList, type OrderKey } from '../pagination.ts';
import { parseInput, rules, stripUndefined, type Writer, write } from '../writes.ts';
import { DecisionKind as DecisionKindInput } from './decisions.ts';
import { WRITE_ERRORS } from './errors.ts';
import { CitationInput } from './provenance.ts';
import {
  AgendaItem, Searchable,
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
// A meeting loaded by ID (`node`, `nodes`, a search hit) brings these lists in its own statement.
foldableChildren(tables.meetings, 'Meeting', { participants: participantsOfMeeting, agendaItems: agendaItemsOfMeeting, decisions: decisionsOfMeeting });

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
      resolve: (meeting, _args, context, info) =>
        loadChildren<ParticipantRow>(context, { ...participantsOfMeeting, selection: selectionOf(info) }, meeting.id),
    }),
    agendaItems: t.field({
      type: [AgendaItem],
      description: 'The numbered agenda items, in order.',
      resolve: (meeting, _args, context, info) =>
        loadChildren<AgendaItemRow>(context, { ...agendaItemsOfMeeting, selection: selectionOf(info) }, meeting.id),
    }),
    decisions: t.field({
      type: [Decision],
      description: 'Every decision taken at the meeting, across its agenda items, in agenda order.',
      resolve: (meeting, _args, context, info) =>
        loadChildren<DecisionRow>(context, { ...decisionsOfMeeting, selection: selectionOf(info) }, meeting.id),
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
      resolve: (item, _args, context, info) =>
        loadChildren<DecisionRow>(context, { ...decisionsOfAgendaItem, selection: selectionOf(info) }, item.id),
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

type MeetingFilterShape = typeof MeetingFilter.$inferInput;

function meetingConditions(filter: MeetingFilterShape | null | undefined) {
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

// ─── Writes ──────────────────────────────────────────────────────────────────

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const MeetingKindValues = tables.meetingKind.enumValues;
const ParticipantRoleValues = tables.participantRole.enumValues;

const participantRules = z
  .object({
    person: rules.globalId('Person').nullish(),
    organisation: rules.globalId('Organisation').nullish(),
    role: z.enum(ParticipantRoleValues),
    title: rules.text(200).nullish(),
  })
  .refine((participant) => participant.person || participant.organisation, {
    message: 'a participant is a person, an organisation, or both',
    path: ['person'],
  });

const decisionRules = z.object({
  kind: z.enum(['decision', 'direction', 'delegation', 'approval']),
  title: rules.text(500).nullish(),
  text: rules.text(20_000),
  decidedBy: rules.globalId('Organisation').nullish(),
  topics: rules.topics.default([]),
  citations: rules.citations().default([]),
});

const agendaItemRules = z.object({
  ordinal: z.number().int().min(1, 'agenda items are numbered from 1').max(1000),
  title: rules.text(500),
  summary: rules.text(20_000).nullish(),
  topics: rules.topics.default([]),
  decisions: z.array(decisionRules).max(100).default([]),
  citations: rules.citations().default([]),
});

const meetingFields = {
  title: rules.text(500),
  kind: z.enum(MeetingKindValues),
  organisation: rules.globalId('Organisation').nullish(),
  region: rules.regionCode.nullish(),
  heldOn: z.iso.date('must be a date, YYYY-MM-DD'),
  startsAt: z.string().regex(TIME, 'must be a time, HH:MM').nullish(),
  endsAt: z.string().regex(TIME, 'must be a time, HH:MM').nullish(),
  place: rules.text(500).nullish(),
};

const createMeetingRules = z
  .object({
    ...meetingFields,
    topics: rules.topics.default([]),
    citations: rules.citations().default([]),
    participants: z.array(participantRules).max(500).default([]),
    agendaItems: z.array(agendaItemRules).max(500).default([]),
  })
  .superRefine((meeting, context) => {
    const seen = new Set<number>();
    meeting.agendaItems.forEach((item, index) => {
      if (seen.has(item.ordinal)) {
        context.addIssue({ code: 'custom', message: `ordinal ${item.ordinal} is used twice`, path: ['agendaItems', index, 'ordinal'] });
      }
      seen.add(item.ordinal);
    });
    if (meeting.startsAt && meeting.endsAt && meeting.endsAt < meeting.startsAt) {
      context.addIssue({ code: 'custom', message: 'the meeting must not end before it starts', path: ['endsAt'] });
    }
  });

const meetingPatchRules = z.object(meetingFields).partial().strict();

const ParticipantInput = builder.inputType('ParticipantInput', {
  description: 'Someone taking part in a meeting: a person, a body, or a person representing a body.',
  fields: (t) => ({
    person: t.id({ description: 'The Person (ID).' }),
    organisation: t.id({ description: 'The Organisation (ID), taking part or represented.' }),
    role: t.field({ type: ParticipantRole, required: true, description: 'How they took part.' }),
    title: t.string({ description: 'Their title as the minutes give it.' }),
  }),
});

const DecisionInput = builder.inputType('DecisionInput', {
  description: 'A decision taken at an agenda item.',
  fields: (t) => ({
    kind: t.field({ type: DecisionKindInput, required: true, description: 'What kind of decision.' }),
    title: t.string({ description: 'A short title.' }),
    text: t.string({ required: true, description: 'What was decided, as worded.' }),
    decidedBy: t.id({ description: 'The Organisation that decided (ID); the meeting’s body if left out.' }),
    topics: t.stringList({ description: 'Topic slugs to tag the decision with.' }),
    citations: t.field({ type: [CitationInput], description: 'Passages supporting the decision.' }),
  }),
});

const AgendaItemInput = builder.inputType('AgendaItemInput', {
  description: 'An agenda item with its decisions.',
  fields: (t) => ({
    ordinal: t.int({ required: true, description: 'The item number (unique within the meeting).' }),
    title: t.string({ required: true, description: 'The item heading.' }),
    summary: t.string({ description: 'What was reported and discussed.' }),
    topics: t.stringList({ description: 'Topic slugs to tag the item with.' }),
    decisions: t.field({ type: [DecisionInput], description: 'Decisions taken at the item.' }),
    citations: t.field({ type: [CitationInput], description: 'Passages supporting the item.' }),
  }),
});

const CreateMeetingInput = builder.inputType('CreateMeetingInput', {
  description: 'A meeting with its participants, agenda items and decisions, recorded in one call.',
  fields: (t) => ({
    title: t.string({ required: true, description: 'What the minutes call the meeting.' }),
    kind: t.field({ type: MeetingKind, required: true, description: 'What kind of meeting.' }),
    organisation: t.id({ description: 'The body that met (Organisation ID).' }),
    region: t.string({ description: 'SCB county code of the region ("07").' }),
    heldOn: t.field({ type: 'Date', required: true, description: 'The day of the meeting.' }),
    startsAt: t.string({ description: 'Local start time, "HH:MM".' }),
    endsAt: t.string({ description: 'Local end time, "HH:MM".' }),
    place: t.string({ description: 'Where it was held.' }),
    topics: t.stringList({ description: 'Topic slugs to tag the meeting with.' }),
    citations: t.field({ type: [CitationInput], description: 'Passages supporting the meeting record.' }),
    participants: t.field({ type: [ParticipantInput], description: 'Who took part and how.' }),
    agendaItems: t.field({ type: [AgendaItemInput], description: 'The agenda items, each with its decisions.' }),
  }),
});

const MeetingPatch = builder.inputType('MeetingPatch', {
  description: 'Fields of a meeting to change; fields left out stay as they are, null clears an optional field.',
  fields: (t) => ({
    title: t.string({ description: 'New title.' }),
    kind: t.field({ type: MeetingKind, description: 'New kind.' }),
    organisation: t.id({ description: 'New body (Organisation ID).' }),
    region: t.string({ description: 'New region (SCB county code).' }),
    heldOn: t.field({ type: 'Date', description: 'New date.' }),
    startsAt: t.string({ description: 'New start time, "HH:MM".' }),
    endsAt: t.string({ description: 'New end time, "HH:MM".' }),
    place: t.string({ description: 'New place.' }),
  }),
});

builder.mutationFields((t) => ({
  createMeeting: t.field({
    type: Meeting,
    description:
      'Records a meeting with its participants, agenda items and decisions in one transaction. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CreateMeetingInput, required: true, description: 'The meeting.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(createMeetingRules, args.input);
      return write(context, async (writer) => {
        await writer.requireLive([
          { entity: 'Organisation', id: input.organisation, path: ['input', 'organisation'] },
          ...input.participants.flatMap((participant, index) => [
            { entity: 'Person' as const, id: participant.person, path: ['input', 'participants', index, 'person'] },
            { entity: 'Organisation' as const, id: participant.organisation, path: ['input', 'participants', index, 'organisation'] },
          ]),
          ...input.agendaItems.flatMap((item, i) =>
            item.decisions.map((decision, d) => ({
              entity: 'Organisation' as const,
              id: decision.decidedBy,
              path: ['input', 'agendaItems', i, 'decisions', d, 'decidedBy'],
            })),
          ),
        ]);
        const regionId = await writer.regionId(input.region, ['input', 'region']);
        const meeting = await writer.create<MeetingRow & { version: number }>('Meeting', {
          title: input.title,
          kind: input.kind,
          organisationId: input.organisation ?? null,
          regionId: regionId ?? null,
          heldOn: input.heldOn,
          startsAt: input.startsAt ?? null,
          endsAt: input.endsAt ?? null,
          place: input.place ?? null,
        });
        await writer.tag('Meeting', meeting.id, input.topics, ['input', 'topics']);
        await writer.cite('Meeting', meeting.id, input.citations, ['input', 'citations']);
        for (const [index, participant] of input.participants.entries()) {
          await writer.create('Participant', {
            meetingId: meeting.id,
            personId: participant.person ?? null,
            organisationId: participant.organisation ?? null,
            role: participant.role,
            title: participant.title ?? null,
          });
          void index;
        }
        for (const [i, itemInput] of input.agendaItems.entries()) {
          const item = await writer.create<AgendaItemRow & { version: number }>('AgendaItem', {
            meetingId: meeting.id,
            ordinal: itemInput.ordinal,
            title: itemInput.title,
            summary: itemInput.summary ?? null,
          });
          await writer.tag('AgendaItem', item.id, itemInput.topics, ['input', 'agendaItems', i, 'topics']);
          await writer.cite('AgendaItem', item.id, itemInput.citations, ['input', 'agendaItems', i, 'citations']);
          for (const [d, decisionInput] of itemInput.decisions.entries()) {
            const decision = await writer.create<DecisionRow & { version: number }>('Decision', {
              kind: decisionInput.kind,
              title: decisionInput.title ?? null,
              text: decisionInput.text,
              decidedOn: input.heldOn,
              decidedById: decisionInput.decidedBy ?? input.organisation ?? null,
              meetingId: meeting.id,
              agendaItemId: item.id,
              regionId: regionId ?? null,
            });
            const at = ['input', 'agendaItems', i, 'decisions', d];
            await writer.tag('Decision', decision.id, decisionInput.topics, [...at, 'topics']);
            await writer.cite('Decision', decision.id, decisionInput.citations, [...at, 'citations']);
          }
        }
        return meeting;
      });
    },
  }),
  updateMeeting: t.field({
    type: Meeting,
    description: 'Changes fields of a meeting. `version` must be the one you read: a stale version is a ConflictError.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      id: t.arg.id({ required: true, description: 'The meeting.' }),
      version: t.arg.int({ required: true, description: 'The version you last read (`version` field).' }),
      patch: t.arg({ type: MeetingPatch, required: true, description: 'The fields to change.' }),
    },
    resolve: async (_root, args, context) => {
      const id = parseInput(rules.globalId('Meeting'), args.id, ['id']);
      const patch = parseInput(meetingPatchRules, stripUndefined(args.patch), ['patch']);
      return write(context, async (writer) => {
        await writer.requireLive([{ entity: 'Organisation', id: patch.organisation, path: ['patch', 'organisation'] }]);
        const regionId = await writer.regionId(patch.region, ['patch', 'region']);
        const { organisation, region: _region, ...rest } = patch;
        return writer.update<MeetingRow & { version: number }>('Meeting', id, args.version, {
          ...rest,
          ...(organisation !== undefined ? { organisationId: organisation } : {}),
          ...(regionId !== undefined ? { regionId } : {}),
        });
      });
    },
  }),
  deleteMeeting: deleteField(t, {
    ref: Meeting,
    description:
      'Deletes a meeting (a tombstone: it leaves the lists, shows in `updatedSince` queries with `deletedAt`, and an admin can restore it).',
    idDescription: 'The meeting.',
  }),
  restoreMeeting: restoreField(t, {
    ref: Meeting,
    description: 'Brings back a deleted meeting. Needs the `admin` scope.',
    idDescription: 'The deleted meeting.',
  }),
}));

// ─── Writes: agenda items and participants ───────────────────────────────────
//
// Agenda items and participants are added to an existing meeting one at a time, with the input
// types createMeeting uses (AgendaItemInput with its decisions, ParticipantInput). An ordinal is
// unique within its meeting, deleted items included (the database key covers them: restore the
// deleted item, or renumber it first). Deleting an agenda item is refused while live decisions
// were taken at it. Participants are removed softly (removeParticipant) and can be restored.

const agendaItemPatchRules = z
  .object({ ordinal: agendaItemRules.shape.ordinal, title: agendaItemRules.shape.title, summary: agendaItemRules.shape.summary })
  .partial()
  .strict();

const AgendaItemPatch = builder.inputType('AgendaItemPatch', {
  description: 'Fields of an agenda item to change; fields left out stay as they are, null clears the summary.',
  fields: (t) => ({
    ordinal: t.int({ description: 'New item number (unique within the meeting).' }),
    title: t.string({ description: 'New heading.' }),
    summary: t.string({ description: 'New summary.' }),
  }),
});

/** Refuses an ordinal another item of the meeting (a deleted one too) already has, at `path`. */
async function requireFreeOrdinal(writer: Writer, meetingId: string, ordinal: number, self: string | null, path: (string | number)[]) {
  const i = tables.agendaItems;
  const [other] = await writer.tx
    .select({ id: i.id, title: i.title, deletedAt: i.deletedAt })
    .from(i)
    .where(and(eq(i.meetingId, meetingId), eq(i.ordinal, ordinal)));
  if (other && other.id !== self) {
    throw new ValidationError([
      {
        path,
        message: `the meeting already has an item ${ordinal} (${other.title}${other.deletedAt ? ', deleted: restore or renumber it' : ''})`,
      },
    ]);
  }
}

builder.mutationFields((t) => ({
  addAgendaItem: t.field({
    type: AgendaItem,
    description:
      "Adds an agenda item, with its decisions, topics and citations, to a meeting in one transaction. The ordinal must be free in the meeting; decisions take the meeting's day, body (unless `decidedBy` is given) and region. Needs the `write` scope.",
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      meeting: t.arg.id({ required: true, description: 'The meeting (Meeting ID).' }),
      input: t.arg({ type: AgendaItemInput, required: true, description: 'The agenda item.' }),
    },
    resolve: async (_root, args, context) => {
      const meetingId = parseInput(rules.globalId('Meeting'), args.meeting, ['meeting']);
      const input = parseInput(agendaItemRules, args.input);
      return write(context, async (writer) => {
        const meeting = await writer.current<MeetingRow & { version: number }>('Meeting', meetingId, ['meeting']);
        await writer.requireLive(
          input.decisions.map((decision, d) => ({
            entity: 'Organisation' as const,
            id: decision.decidedBy,
            path: ['input', 'decisions', d, 'decidedBy'],
          })),
        );
        await requireFreeOrdinal(writer, meetingId, input.ordinal, null, ['input', 'ordinal']);
        const item = await writer.create<AgendaItemRow & { version: number }>('AgendaItem', {
          meetingId,
          ordinal: input.ordinal,
          title: input.title,
          summary: input.summary ?? null,
        });
        await writer.tag('AgendaItem', item.id, input.topics, ['input', 'topics']);
        await writer.cite('AgendaItem', item.id, input.citations, ['input', 'citations']);
        for (const [d, decisionInput] of input.decisions.entries()) {
          const decision = await writer.create<DecisionRow & { version: number }>('Decision', {
            kind: decisionInput.kind,
            title: decisionInput.title ?? null,
            text: decisionInput.text,
            decidedOn: meeting.heldOn,
            decidedById: decisionInput.decidedBy ?? meeting.organisationId ?? null,
            meetingId,
            agendaItemId: item.id,
            regionId: meeting.regionId ?? null,
          });
          await writer.tag('Decision', decision.id, decisionInput.topics, ['input', 'decisions', d, 'topics']);
          await writer.cite('Decision', decision.id, decisionInput.citations, ['input', 'decisions', d, 'citations']);
        }
        return item;
      });
    },
  }),
  updateAgendaItem: t.field({
    type: AgendaItem,
    description:
      'Changes the number, heading or summary of an agenda item. A new ordinal must be free in the meeting. A stale `version` is a ConflictError.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      id: t.arg.id({ required: true, description: 'The agenda item.' }),
      version: t.arg.int({ required: true, description: 'The version you last read (`version` field).' }),
      patch: t.arg({ type: AgendaItemPatch, required: true, description: 'The fields to change.' }),
    },
    resolve: async (_root, args, context) => {
      const id = parseInput(rules.globalId('AgendaItem'), args.id, ['id']);
      const patch = parseInput(agendaItemPatchRules, stripUndefined(args.patch), ['patch']);
      return write(context, async (writer) => {
        const before = await writer.currentAt<AgendaItemRow>('AgendaItem', id, args.version);
        if (patch.ordinal !== undefined) await requireFreeOrdinal(writer, before.meetingId, patch.ordinal, id, ['patch', 'ordinal']);
        return writer.update<AgendaItemRow & { version: number }>('AgendaItem', id, args.version, patch);
      });
    },
  }),
  deleteAgendaItem: deleteField(t, {
    ref: AgendaItem,
    description:
      'Deletes an agenda item (a tombstone an admin can restore). Refused while live decisions were taken at it: delete or move those first.',
    idDescription: 'The agenda item.',
    beforeDelete: async (writer, item) => {
      const d = tables.decisions;
      const [{ value }] = (await writer.tx
        .select({ value: count() })
        .from(d)
        .where(and(eq(d.agendaItemId, item.id), isNull(d.deletedAt)))) as [{ value: number }];
      if (value > 0) {
        throw new ValidationError([{ path: ['id'], message: `${value} live decision(s) were taken at this item; delete or move them first` }]);
      }
    },
  }),
  restoreAgendaItem: restoreField(t, {
    ref: AgendaItem,
    description: 'Brings back a deleted agenda item. Needs the `admin` scope.',
    idDescription: 'The deleted agenda item.',
  }),

  addParticipant: t.field({
    type: Participant,
    description: 'Adds someone who took part in a meeting: a person, a body, or a person representing a body. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      meeting: t.arg.id({ required: true, description: 'The meeting (Meeting ID).' }),
      input: t.arg({ type: ParticipantInput, required: true, description: 'Who took part and how.' }),
      citations: t.arg({ type: [CitationInput], description: 'Passages of the minutes naming the participant.' }),
    },
    resolve: async (_root, args, context) => {
      const meetingId = parseInput(rules.globalId('Meeting'), args.meeting, ['meeting']);
      const input = parseInput(participantRules, args.input);
      const citations = parseInput(rules.citations().default([]), args.citations ?? undefined, ['citations']);
      return write(context, async (writer) => {
        await writer.requireLive([
          { entity: 'Meeting', id: meetingId, path: ['meeting'] },
          { entity: 'Person', id: input.person, path: ['input', 'person'] },
          { entity: 'Organisation', id: input.organisation, path: ['input', 'organisation'] },
        ]);
        const participant = await writer.create<ParticipantRow & { version: number }>('Participant', {
          meetingId,
          personId: input.person ?? null,
          organisationId: input.organisation ?? null,
          role: input.role,
          title: input.title ?? null,
        });
        await writer.cite('Participant', participant.id, citations, ['citations']);
        return participant;
      });
    },
  }),
  removeParticipant: deleteField(t, {
    ref: Participant,
    description: 'Removes a participant from a meeting (a tombstone an admin can restore).',
    idDescription: 'The participant.',
  }),
  restoreParticipant: restoreField(t, {
    ref: Participant,
    description: 'Brings back a removed participant. Needs the `admin` scope.',
    idDescription: 'The removed participant.',
  }),
}));

// ---------------------------------------------------------------------------------------------
// Export: /export/meetings.csv and .ndjson, with the filter of `meetings`

registerExport({
  name: 'meetings',
  description: 'Meetings (sammanträden, möten): one row per meeting, with the body that met, when and where.',
  table: tables.meetings,
  references: [tables.organisations],
  parameters: {
    region: regionParameter,
    organisation: organisationParameter('The body that met'),
    kind: { kind: 'list', values: tables.meetings.kind.enumValues, description: 'Any of these kinds, comma-separated.' },
    from: { kind: 'date', argument: 'heldOn', description: 'Held on or after this date (YYYY-MM-DD).' },
    to: { kind: 'date', argument: 'heldOn', description: 'Held on or before this date (YYYY-MM-DD).' },
    topic: topicParameter,
    text: { kind: 'string', description: 'Words in the title or place, accents and case ignored.' },
    ...lifecycleParameters,
  },
  filter: (values): MeetingFilterShape => ({
    region: values.region ?? null,
    organisation: values.organisation ?? null,
    kind: (values.kind as MeetingFilterShape['kind']) ?? null,
    heldOn: values.from || values.to ? { from: values.from ?? null, to: values.to ?? null } : null,
    topic: values.topic ?? null,
    text: values.text ?? null,
    ...lifecycleFilter(values),
  }),
  where: meetingConditions,
  keys: [tables.meetings.id],
  columns: () => {
    const m = tables.meetings;
    return [
      idColumn('id', m.id, 'Meeting'),
      { name: 'title', value: m.title },
      { name: 'kind', value: m.kind },
      { name: 'held_on', value: m.heldOn },
      { name: 'starts_at', value: m.startsAt },
      { name: 'ends_at', value: m.endsAt },
      { name: 'place', value: m.place },
      { name: 'region', value: m.regionId, lookup: { key: tables.regions.id, value: tables.regions.code } },
      idColumn('organisation', m.organisationId, 'Organisation'),
      { name: 'organisation_name', value: m.organisationId, lookup: { key: tables.organisations.id, value: tables.organisations.name } },
      ...bookkeepingColumns(m),
    ];
  },
});
