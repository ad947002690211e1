import { createDecision, requireFreeAgendaItemOrdinal, tables } from '@naravard/db';
import { and, count, eq, isNull } from 'drizzle-orm';
import { builder } from '../../builder.ts';
import { ValidationError } from '../../errors.ts';
import { deleteField, restoreField, updateField } from '../../mutation-fields.ts';
import { parseInput, rules, write } from '../../writes.ts';
import { WRITE_ERRORS } from '../../write-error-types.ts';
import { CitationInput, citationList } from '../citations.ts';
import { ruledPatch } from '../../ruled-inputs.ts';
import { AgendaItem, type AgendaItemRow, type MeetingRow, Participant, type ParticipantRow } from '../refs.ts';
import { agendaItemFields, AgendaItemInput, ParticipantInput } from './writes.ts';

/* The mutations of a meeting's agenda items and participants. */

// Agenda items and participants are added to an existing meeting one at a time, with the input
// types createMeeting uses (AgendaItemInput with its decisions, ParticipantInput). An ordinal is
// unique within its meeting, deleted items included (the database key covers them: restore the
// deleted item, or renumber it first). Deleting an agenda item is refused while live decisions
// were taken at it. Participants are removed softly (removeParticipant) and can be restored.

const AgendaItemPatch = ruledPatch('AgendaItemPatch', {
  description: 'Fields of an agenda item to change; fields left out stay as they are, null clears the summary.',
  fields: {
    ordinal: { type: 'Int', description: 'New item number (unique within the meeting).', rule: agendaItemFields.ordinal },
    title: { type: 'String', description: 'New heading.', rule: agendaItemFields.title },
    summary: { type: 'String', description: 'New summary.', rule: agendaItemFields.summary },
  },
});

builder.mutationFields((t) => ({
  addAgendaItem: t.field({
    type: AgendaItem,
    description:
      "Adds an agenda item, with its decisions, topics and citations, to a meeting in one transaction. The ordinal must be free in the meeting; decisions take the meeting's day, body (unless `decidedBy` is given) and region. Needs the `write` scope.",
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      meeting: t.arg.id({ required: true, description: 'The meeting (Meeting ID).' }),
      input: t.arg({ type: AgendaItemInput.ref, required: true, description: 'The agenda item.' }),
    },
    resolve: async (_root, args, context) => {
      const meetingId = parseInput(rules.globalId('Meeting'), args.meeting, ['meeting']);
      const input = parseInput(AgendaItemInput.rules, args.input);
      return write(context, async (writer) => {
        const meeting = await writer.current<MeetingRow & { version: number }>('Meeting', meetingId, ['meeting']);
        await writer.requireLive(
          input.decisions.map((decision, d) => ({
            entity: 'Organisation' as const,
            id: decision.decidedBy,
            path: ['input', 'decisions', d, 'decidedBy'],
          })),
        );
        await requireFreeAgendaItemOrdinal(writer, meetingId, input.ordinal, null, ['input', 'ordinal']);
        const item = await writer.create<AgendaItemRow & { version: number }>('AgendaItem', {
          meetingId,
          ordinal: input.ordinal,
          title: input.title,
          summary: input.summary ?? null,
        });
        await writer.tag('AgendaItem', item.id, input.topics, ['input', 'topics']);
        await writer.cite('AgendaItem', item.id, input.citations, ['input', 'citations']);
        for (const [d, decisionInput] of input.decisions.entries()) {
          await createDecision(
            writer,
            {
              kind: decisionInput.kind,
              title: decisionInput.title ?? null,
              text: decisionInput.text,
              decidedOn: meeting.heldOn,
              decidedById: decisionInput.decidedBy ?? meeting.organisationId ?? null,
              meetingId,
              agendaItemId: item.id,
              regionId: meeting.regionId ?? null,
              topics: decisionInput.topics,
              citations: decisionInput.citations,
            },
            ['input', 'decisions', d],
          );
        }
        return item;
      });
    },
  }),
  updateAgendaItem: updateField(t, {
    ref: AgendaItem,
    description:
      'Changes the number, heading or summary of an agenda item. A new ordinal must be free in the meeting. A stale `version` is a ConflictError.',
    idDescription: 'The agenda item.',
    patch: AgendaItemPatch,
    check: async (writer, { patch, current }) => {
      if (patch.ordinal !== undefined) await requireFreeAgendaItemOrdinal(writer, current.meetingId, patch.ordinal, current.id, ['patch', 'ordinal']);
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
      input: t.arg({ type: ParticipantInput.ref, required: true, description: 'Who took part and how.' }),
      citations: t.arg({ type: [CitationInput.ref], description: 'Passages of the minutes naming the participant.' }),
    },
    resolve: async (_root, args, context) => {
      const meetingId = parseInput(rules.globalId('Meeting'), args.meeting, ['meeting']);
      const input = parseInput(ParticipantInput.rules, args.input);
      const citations = parseInput(citationList.default([]), args.citations ?? undefined, ['citations']);
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
