import { sql } from 'drizzle-orm';
import { check, date, index, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { bookkeeping, id, swedishSearchVector, tsvector } from './columns.ts';
import { decisions } from './decisions.ts';
import { meetings } from './meetings.ts';
import { organisations } from './organisations.ts';
import { people } from './people.ts';
import { regions } from './regions.ts';

export const assignmentStatus = pgEnum('assignment_status', [
  'not_started',
  'started',
  'ongoing',
  'completed',
  'not_applicable',
  'directed_elsewhere',
  'not_handled',
]);

/** Whether a status report expects the assignment to be done in time. */
export const assignmentForecast = pgEnum('assignment_forecast', ['expected_done', 'not_expected_done']);

/**
 * An assignment (uppdrag): given by a body to a body or a person, from a decision or a plan
 * ("Verksamhetsplan 2023"), followed by status reports.
 */
export const assignments = pgTable(
  'assignments',
  {
    id: id(),
    /** The reference the records use ("Nr 4"). */
    reference: text('reference'),
    title: text('title').notNull(),
    description: text('description'),
    issuedById: uuid('issued_by_id').references(() => organisations.id),
    assigneeOrganisationId: uuid('assignee_organisation_id').references(() => organisations.id),
    assigneePersonId: uuid('assignee_person_id').references(() => people.id),
    originDecisionId: uuid('origin_decision_id').references(() => decisions.id),
    /** The meeting the assignment was given at, with or without a decision of its own. */
    meetingId: uuid('meeting_id').references(() => meetings.id),
    /**
     * A decision the records name as what the assignment follows or brought about (the pilot it
     * follows, the plan its work led to), apart from the decision or plan it comes from.
     */
    relatedDecisionId: uuid('related_decision_id').references(() => decisions.id),
    /** The plan or document the assignment comes from when no decision is recorded ("Verksamhetsplan 2023"). */
    origin: text('origin'),
    regionId: uuid('region_id').references(() => regions.id),
    issuedOn: date('issued_on'),
    dueOn: date('due_on'),
    /** The latest known status; the timeline is in assignment_reports. */
    status: assignmentStatus('status').notNull().default('not_started'),
    searchVector: tsvector('search_vector').generatedAlwaysAs(swedishSearchVector('reference', 'title', 'description')),
    ...bookkeeping(),
  },
  (table) => [
    index('assignments_issued_by_idx').on(table.issuedById),
    index('assignments_assignee_organisation_idx').on(table.assigneeOrganisationId),
    index('assignments_assignee_person_idx').on(table.assigneePersonId),
    index('assignments_origin_decision_idx').on(table.originDecisionId),
    index('assignments_meeting_idx').on(table.meetingId),
    index('assignments_related_decision_idx').on(table.relatedDecisionId),
    index('assignments_issued_on_idx').on(table.issuedOn),
    index('assignments_region_status_idx').on(table.regionId, table.status),
    index('assignments_updated_at_idx').on(table.updatedAt),
    index('assignments_search_idx').using('gin', table.searchVector),
    check(
      'assignments_dates_ordered',
      sql`${table.issuedOn} IS NULL OR ${table.dueOn} IS NULL OR ${table.issuedOn} <= ${table.dueOn}`,
    ),
  ],
);

/** A dated report on an assignment's progress (återrapportering, delårsrapport). */
export const assignmentReports = pgTable(
  'assignment_reports',
  {
    id: id(),
    assignmentId: uuid('assignment_id')
      .notNull()
      .references(() => assignments.id),
    reportedOn: date('reported_on'),
    /** Where the report was given ("Delårsrapport augusti 2023"). */
    source: text('source'),
    status: assignmentStatus('status'),
    forecast: assignmentForecast('forecast'),
    text: text('text').notNull(),
    /** Swedish full-text vector of the report, so `search` finds an assignment by what its reports say. */
    searchVector: tsvector('search_vector').generatedAlwaysAs(swedishSearchVector('source', 'text')),
    ...bookkeeping(),
  },
  (table) => [
    index('assignment_reports_assignment_idx').on(table.assignmentId, table.reportedOn),
    index('assignment_reports_updated_at_idx').on(table.updatedAt),
    index('assignment_reports_search_idx').using('gin', table.searchVector),
  ],
);
