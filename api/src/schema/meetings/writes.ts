import { createDecision, tables } from '@naravard/db';
import { z } from 'zod';
import { builder } from '../../builder.ts';
import { deleteField, restoreField, updateField } from '../../mutation-fields.ts';
import { parseInput, rules, write } from '../../writes.ts';
import { DecisionKind as DecisionKindInput } from '../decisions.ts';
import { WRITE_ERRORS } from '../../write-error-types.ts';
import { CitationInput } from '../citations.ts';
import { type AgendaItemRow, Meeting, type MeetingRow } from '../refs.ts';
import { MeetingKind, ParticipantRole } from './read.ts';

/* The rules, inputs and mutations of meetings. */

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const MeetingKindValues = tables.meetingKind.enumValues;
const ParticipantRoleValues = tables.participantRole.enumValues;

export const participantRules = z
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
  kind: z.enum(tables.decisionKind.enumValues),
  title: rules.text(500).nullish(),
  text: rules.text(20_000),
  decidedBy: rules.globalId('Organisation').nullish(),
  topics: rules.topics.default([]),
  citations: rules.citations().default([]),
});

export const agendaItemRules = z.object({
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

export const ParticipantInput = builder.inputType('ParticipantInput', {
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

export const AgendaItemInput = builder.inputType('AgendaItemInput', {
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
            await createDecision(
              writer,
              {
                kind: decisionInput.kind,
                title: decisionInput.title ?? null,
                text: decisionInput.text,
                decidedOn: input.heldOn,
                decidedById: decisionInput.decidedBy ?? input.organisation ?? null,
                meetingId: meeting.id,
                agendaItemId: item.id,
                regionId: regionId ?? null,
                topics: decisionInput.topics,
                citations: decisionInput.citations,
              },
              ['input', 'agendaItems', i, 'decisions', d],
            );
          }
        }
        return meeting;
      });
    },
  }),
  updateMeeting: updateField(t, {
    ref: Meeting,
    description: 'Changes fields of a meeting. `version` must be the one you read: a stale version is a ConflictError.',
    idDescription: 'The meeting.',
    patch: MeetingPatch,
    patchRules: meetingPatchRules,
    references: { organisation: { entity: 'Organisation', column: 'organisationId' } },
    regions: { region: 'regionId' },
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
