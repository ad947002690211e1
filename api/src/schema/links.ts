import { tables } from '@naravard/db';
import { asc } from 'drizzle-orm';
import { builder } from '../builder.ts';
import { loadChildren, loadReference } from '../loaders.ts';
import { assignmentList, assignmentListArgs } from './assignments.ts';
import { ParticipantRole } from './meetings/read.ts';
import {
  Assignment,
  type AssignmentRow,
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
} from './refs.ts';

/**
 * The links between meetings, decisions and assignments that the records state: the meeting an
 * assignment was given at (with or without a decision of its own), the decision the records name
 * with it, and a meeting's attendees one per person.
 */

const a = tables.assignments;

builder.objectFields(Assignment, (t) => ({
  meeting: t.field({
    type: Meeting,
    nullable: true,
    description: 'The meeting the assignment was given at, when the records say: the meeting of its origin decision, or the meeting that gave it without a decision.',
    resolve: (assignment, _args, context, info) => loadReference<MeetingRow>(context, tables.meetings, assignment.meetingId, info),
  }),
  relatedDecision: t.field({
    type: Decision,
    nullable: true,
    description:
      'A decision the records name as what the assignment follows or brought about (the pilot it follows, the plan its work led to), apart from the decision or plan it comes from (`originDecision`).',
    resolve: (assignment, _args, context, info) =>
      loadReference<DecisionRow>(context, tables.decisions, assignment.relatedDecisionId, info),
  }),
}));

builder.objectField(Meeting, 'assignments', (t) =>
  t.connection({
    type: Assignment,
    description: 'The assignments given at the meeting, from its decisions or without a decision of their own.',
    args: assignmentListArgs,
    resolve: (meeting, args, context, info) => assignmentList.pageOf(context, a.meetingId, meeting.id, args, info),
  }),
);

builder.objectField(Decision, 'relatedAssignments', (t) =>
  t.field({
    type: [Assignment],
    description: 'Assignments whose records name this decision as what they follow or brought about (their `relatedDecision`).',
    resolve: (decision, _args, context) =>
      loadChildren<AssignmentRow>(
        context,
        { table: tables.assignments, foreignKey: a.relatedDecisionId, orderBy: [asc(a.reference), asc(a.id)] },
        decision.id,
      ),
  }),
);

// ─── Attendees: one entry per person ─────────────────────────────────────────

interface AttendeeShape {
  key: string;
  personId: string | null;
  organisationId: string | null;
  participations: ParticipantRow[];
}

/** A meeting's listings, batched per request (the same statement as `Meeting.participants`). */
const listingsOf = (context: Parameters<typeof loadChildren>[0], meetingId: string) =>
  loadChildren<ParticipantRow>(
    context,
    {
      table: tables.meetingParticipants,
      foreignKey: tables.meetingParticipants.meetingId,
      orderBy: [asc(tables.meetingParticipants.role), asc(tables.meetingParticipants.id)],
    },
    meetingId,
  );

const attendeeKey = (row: ParticipantRow) => (row.personId ? `person:${row.personId}` : `organisation:${row.organisationId}`);

const Attendee = builder.objectRef<AttendeeShape>('Attendee').implement({
  description:
    'A person (or a body, when the minutes name no person) listed at a meeting, once, with every role they had: count these to count attendees.',
  fields: (t) => ({
    person: t.field({
      type: Person,
      nullable: true,
      description: 'The person, when a person is listed.',
      resolve: (attendee, _args, context, info) => loadReference<PersonRow>(context, tables.people, attendee.personId, info),
    }),
    organisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The body listed, or the one the person represented (the first the minutes give).',
      resolve: (attendee, _args, context, info) =>
        loadReference<OrganisationRow>(context, tables.organisations, attendee.organisationId, info),
    }),
    title: t.string({
      nullable: true,
      description: 'The title the minutes give them ("Programchef"), the first one given.',
      resolve: (attendee) => attendee.participations.find((participant) => participant.title)?.title ?? null,
    }),
    roles: t.field({
      type: [ParticipantRole],
      description: 'Every role they had (CHAIR and PRESENT for a chair listed among those present), each once.',
      resolve: (attendee) => [...new Set(attendee.participations.map((participant) => participant.role))],
    }),
    present: t.boolean({
      description: 'Whether they took part: false only when every listing says ABSENT.',
      resolve: (attendee) => attendee.participations.some((participant) => participant.role !== 'absent'),
    }),
    participations: t.field({
      type: [Participant],
      description: 'The listings this entry gathers, one per role.',
      resolve: (attendee) => attendee.participations,
    }),
  }),
});

builder.objectFields(Meeting, (t) => ({
  attendees: t.field({
    type: [Attendee],
    description:
      'Who is listed at the meeting, one entry per person (or per body when no person is named) with all their roles, in the order of their first role (chair first). Unlike `participants`, no one appears twice.',
    resolve: async (meeting, _args, context) => {
      const rows = await listingsOf(context, meeting.id);
      const byKey = new Map<string, AttendeeShape>();
      for (const row of rows) {
        const key = attendeeKey(row);
        const attendee = byKey.get(key);
        if (attendee) {
          attendee.participations.push(row);
          attendee.organisationId ??= row.organisationId;
        } else {
          byKey.set(key, { key, personId: row.personId, organisationId: row.organisationId, participations: [row] });
        }
      }
      return [...byKey.values()];
    },
  }),
  attendeeCount: t.int({
    description: 'How many people (or bodies) took part: attendees not marked only ABSENT.',
    resolve: async (meeting, _args, context) => {
      const rows = await listingsOf(context, meeting.id);
      return new Set(rows.filter((row) => row.role !== 'absent').map(attendeeKey)).size;
    },
  }),
}));
