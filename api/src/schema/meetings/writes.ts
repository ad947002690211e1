import { createDecision, tables } from '@naravard/db';
import { z } from 'zod';
import { builder } from '../../builder.ts';
import { deleteField, restoreField, updateField } from '../../mutation-fields.ts';
import { parseInput, rules, write } from '../../writes.ts';
import { DecisionKind as DecisionKindInput } from '../decisions.ts';
import { WRITE_ERRORS } from '../../write-error-types.ts';
import { citationsField } from '../citations.ts';
import { ruledInput, ruledPatch } from '../../ruled-inputs.ts';
import { type AgendaItemRow, Meeting, type MeetingRow } from '../refs.ts';
import { MeetingKind, ParticipantRole } from './read.ts';

/* The rules, inputs and mutations of meetings. */

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const MeetingKindValues = tables.meetingKind.enumValues;
const ParticipantRoleValues = tables.participantRole.enumValues;

/** The rules of an agenda item's own fields, shared by AgendaItemInput and AgendaItemPatch (parts-writes.ts). */
export const agendaItemFields = {
  ordinal: z.number().int().min(1, 'agenda items are numbered from 1').max(1000),
  title: rules.text(500),
  summary: rules.text(20_000).nullish(),
};

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

export const ParticipantInput = ruledInput('ParticipantInput', {
  description: 'Someone taking part in a meeting: a person, a body, or a person representing a body.',
  fields: {
    person: { type: 'ID', description: 'The Person (ID).', rule: rules.globalId('Person').nullish() },
    organisation: { type: 'ID', description: 'The Organisation (ID), taking part or represented.', rule: rules.globalId('Organisation').nullish() },
    role: { type: ParticipantRole, description: 'How they took part.', rule: z.enum(ParticipantRoleValues) },
    title: { type: 'String', description: 'Their title as the minutes give it.', rule: rules.text(200).nullish() },
  },
  check: (participant, context) => {
    if (!(participant.person || participant.organisation)) {
      context.addIssue({ code: 'custom', message: 'a participant is a person, an organisation, or both', path: ['person'] });
    }
  },
});

const DecisionInput = ruledInput('DecisionInput', {
  description: 'A decision taken at an agenda item.',
  fields: {
    kind: { type: DecisionKindInput, description: 'What kind of decision.', rule: z.enum(tables.decisionKind.enumValues) },
    title: { type: 'String', description: 'A short title.', rule: rules.text(500).nullish() },
    text: { type: 'String', description: 'What was decided, as worded.', rule: rules.text(20_000) },
    decidedBy: { type: 'ID', description: 'The Organisation that decided (ID); the meeting’s body if left out.', rule: rules.globalId('Organisation').nullish() },
    topics: { type: ['String'], description: 'Topic slugs to tag the decision with.', rule: rules.topics.default([]) },
    citations: citationsField('Passages supporting the decision.'),
  },
});

export const AgendaItemInput = ruledInput('AgendaItemInput', {
  description: 'An agenda item with its decisions.',
  fields: {
    ordinal: { type: 'Int', description: 'The item number (unique within the meeting).', rule: agendaItemFields.ordinal },
    title: { type: 'String', description: 'The item heading.', rule: agendaItemFields.title },
    summary: { type: 'String', description: 'What was reported and discussed.', rule: agendaItemFields.summary },
    topics: { type: ['String'], description: 'Topic slugs to tag the item with.', rule: rules.topics.default([]) },
    decisions: { type: [DecisionInput.ref], description: 'Decisions taken at the item.', rule: z.array(DecisionInput.rules).max(100).default([]) },
    citations: citationsField('Passages supporting the item.'),
  },
});

const CreateMeetingInput = ruledInput('CreateMeetingInput', {
  description: 'A meeting with its participants, agenda items and decisions, recorded in one call.',
  fields: {
    title: { type: 'String', description: 'What the minutes call the meeting.', rule: meetingFields.title },
    kind: { type: MeetingKind, description: 'What kind of meeting.', rule: meetingFields.kind },
    organisation: { type: 'ID', description: 'The body that met (Organisation ID).', rule: meetingFields.organisation },
    region: { type: 'String', description: 'SCB county code of the region ("07").', rule: meetingFields.region },
    heldOn: { type: 'Date', description: 'The day of the meeting.', rule: meetingFields.heldOn },
    startsAt: { type: 'String', description: 'Local start time, "HH:MM".', rule: meetingFields.startsAt },
    endsAt: { type: 'String', description: 'Local end time, "HH:MM".', rule: meetingFields.endsAt },
    place: { type: 'String', description: 'Where it was held.', rule: meetingFields.place },
    topics: { type: ['String'], description: 'Topic slugs to tag the meeting with.', rule: rules.topics.default([]) },
    citations: citationsField('Passages supporting the meeting record.'),
    participants: { type: [ParticipantInput.ref], description: 'Who took part and how.', rule: z.array(ParticipantInput.rules).max(500).default([]) },
    agendaItems: {
      type: [AgendaItemInput.ref],
      description: 'The agenda items, each with its decisions.',
      rule: z.array(AgendaItemInput.rules).max(500).default([]),
    },
  },
  check: (meeting, context) => {
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
  },
});

const MeetingPatch = ruledPatch('MeetingPatch', {
  description: 'Fields of a meeting to change; fields left out stay as they are, null clears an optional field.',
  fields: {
    title: { type: 'String', description: 'New title.', rule: meetingFields.title },
    kind: { type: MeetingKind, description: 'New kind.', rule: meetingFields.kind },
    organisation: { type: 'ID', description: 'New body (Organisation ID).', rule: meetingFields.organisation },
    region: { type: 'String', description: 'New region (SCB county code).', rule: meetingFields.region },
    heldOn: { type: 'Date', description: 'New date.', rule: meetingFields.heldOn },
    startsAt: { type: 'String', description: 'New start time, "HH:MM".', rule: meetingFields.startsAt },
    endsAt: { type: 'String', description: 'New end time, "HH:MM".', rule: meetingFields.endsAt },
    place: { type: 'String', description: 'New place.', rule: meetingFields.place },
  },
});

builder.mutationFields((t) => ({
  createMeeting: t.field({
    type: Meeting,
    description:
      'Records a meeting with its participants, agenda items and decisions in one transaction. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CreateMeetingInput.ref, required: true, description: 'The meeting.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(CreateMeetingInput.rules, args.input);
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
