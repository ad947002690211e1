import { followNewestReport, newestDatedReport, tables } from '@naravard/db';
import { asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { builder } from '../builder.ts';
import { databaseEnum } from '../enums.ts';
import { bookkeepingColumns, idColumn, lifecycleFilter, lifecycleParameters, organisationParameter, regionParameter, registerExport, topicParameter } from '../exports.ts';
import { ValidationError } from '../errors.ts';
import {
  allOf,
  DateRange,
  dateInRange,
  filterId,
  lifecycleConditions,
  lifecycleFilterFields,
  referenceIs,
  regionIs, takesNames,
  taggedWith,
  wordsInVector,
} from '../filters.ts';
import { loadChildren, loadReference } from '../loaders.ts';
import { deleteField, restoreField, updateField } from '../mutation-fields.ts';
import { entityNode, taggedEntityNode } from './nodes.ts';
import { filteredList, type OrderKey } from '../pagination.ts';
import { parseInput, rules, write } from '../writes.ts';
import { WRITE_ERRORS } from '../write-error-types.ts';
import { citationsField } from './citations.ts';
import { ruledInput, ruledPatch } from '../ruled-inputs.ts';
import {
  Assignment, Searchable,
  AssignmentReport,
  type AssignmentReportRow,
  type AssignmentRow,
  Decision,
  type DecisionRow,
  Organisation,
  type OrganisationRow,
  Person,
  type PersonRow,
  Region,
  type RegionRow,
} from './refs.ts';

const AssignmentStatus = databaseEnum('AssignmentStatus', 'How far an assignment has come, as the records report it.', {
  not_started: 'Not started (ej påbörjat).',
  started: 'Started (startat, påbörjat).',
  ongoing: 'Ongoing (pågående, löpande).',
  completed: 'Completed (genomfört, klart).',
  not_applicable: 'Does not concern the reporting body (berörs ej, ej aktuellt). Before DIRECTED_ELSEWHERE existed this value also covered assignments directed to another body.',
  directed_elsewhere: 'Directed to another body than the reporting one (riktas till annan beredning): reported on, but not its to carry out.',
  not_handled: 'Not handled (ej behandlat): the reporting body has not dealt with it.',
});

const AssignmentForecast = databaseEnum('AssignmentForecast', 'Whether a report expects the assignment to be done in time.', {
  expected_done: 'Expected to be done in time (bedöms vara klart vid årets slut).',
  not_expected_done: 'Not expected to be done in time (bedöms inte vara klart).',
});

const a = tables.assignments;

/**
 * Natural order of references ("Nr 2" before "Nr 10"), as never-NULL keys: assignments without a
 * reference last, then the reference with every run of digits zero-padded to ten places (longer
 * runs are kept whole), then the reference as written (so "Nr 07" and "Nr 7" still differ).
 */
const referenceOrder: OrderKey[] = [
  { column: sql`(${a.reference} is null)`, direction: 'asc' },
  {
    column: sql`regexp_replace(regexp_replace(lower(coalesce(${a.reference}, '')), '([0-9]+)', '0000000000\\1', 'g'), '0*([0-9]{10})', '\\1', 'g')`,
    direction: 'asc',
  },
  { column: sql`coalesce(${a.reference}, '')`, direction: 'asc' },
];

/** Newest issue date first; assignments without one last. */
const issuedOnDescOrder: OrderKey[] = [
  { column: sql`(${a.issuedOn} is null)`, direction: 'asc' },
  { column: sql`coalesce(${a.issuedOn}, date '0001-01-01')`, direction: 'desc' },
];

/** The natural reference order as plain ORDER BY terms, for bounded lists. */
const referenceOrderBy = [...referenceOrder.map((key) => sql`${key.column} asc`), asc(a.id)];

builder.node(Assignment, {
  ...taggedEntityNode<AssignmentRow>(tables.assignments, [Searchable]),
  description:
    'An assignment (uppdrag) given by a body to a body or a person, from a decision or a plan (verksamhetsplan), followed by status reports (återrapportering).',
  fields: (t) => ({
    reference: t.exposeString('reference', { nullable: true, description: 'The reference the records use ("Nr 4").' }),
    title: t.exposeString('title', { description: 'What is to be done.' }),
    description: t.exposeString('description', { nullable: true, description: 'The assignment in more detail, from the records.' }),
    issuedBy: t.field({
      type: Organisation,
      nullable: true,
      description: 'The body that gave the assignment (uppdragsgivare), when the records say.',
      resolve: (assignment, _args, context, info) =>
        loadReference<OrganisationRow>(context, tables.organisations, assignment.issuedById, info),
    }),
    assigneeOrganisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The body that got the assignment, when it went to a body.',
      resolve: (assignment, _args, context, info) =>
        loadReference<OrganisationRow>(context, tables.organisations, assignment.assigneeOrganisationId, info),
    }),
    assigneePerson: t.field({
      type: Person,
      nullable: true,
      description: 'The person who got the assignment, when it went to a person.',
      resolve: (assignment, _args, context, info) => loadReference<PersonRow>(context, tables.people, assignment.assigneePersonId, info),
    }),
    originDecision: t.field({
      type: Decision,
      nullable: true,
      description: 'The decision the assignment comes from, when one is recorded.',
      resolve: (assignment, _args, context, info) =>
        loadReference<DecisionRow>(context, tables.decisions, assignment.originDecisionId, info),
    }),
    origin: t.exposeString('origin', {
      nullable: true,
      description: 'The plan or document the assignment comes from, in words ("Verksamhetsplan 2023").',
    }),
    region: t.field({
      type: Region,
      nullable: true,
      description: 'The region whose governance the assignment belongs to.',
      resolve: (assignment, _args, context, info) => loadReference<RegionRow>(context, tables.regions, assignment.regionId, info),
    }),
    issuedOn: t.expose('issuedOn', { type: 'Date', nullable: true, description: 'When the assignment was given, if known.' }),
    dueOn: t.expose('dueOn', { type: 'Date', nullable: true, description: 'When it is to be done (deadline), if known.' }),
    status: t.expose('status', { type: AssignmentStatus, description: 'The latest known status; the history is in `reports`.' }),
    reports: t.field({
      type: [AssignmentReport],
      description: 'Status reports on the assignment, by report date (undated last), then ID.',
      resolve: (assignment, _args, context) =>
        loadChildren<AssignmentReportRow>(
          context,
          {
            table: tables.assignmentReports,
            foreignKey: tables.assignmentReports.assignmentId,
            orderBy: [sql`${tables.assignmentReports.reportedOn} asc nulls last`, asc(tables.assignmentReports.id)],
          },
          assignment.id,
        ),
    }),
  }),
});

builder.node(AssignmentReport, {
  ...entityNode<AssignmentReportRow>(tables.assignmentReports),
  description: 'A report on how far an assignment has come (återrapportering, delårsrapport).',
  fields: (t) => ({
    assignment: t.field({
      type: Assignment,
      description: 'The assignment reported on.',
      resolve: async (report, _args, context, info) =>
        (await loadReference<AssignmentRow>(context, tables.assignments, report.assignmentId, info))!,
    }),
    reportedOn: t.expose('reportedOn', { type: 'Date', nullable: true, description: 'The date of the report, if known.' }),
    source: t.exposeString('source', {
      nullable: true,
      description: 'Where the report was given ("Delårsrapport 2023, Region Örebro län").',
    }),
    status: t.expose('status', {
      type: AssignmentStatus,
      nullable: true,
      description: 'The status the report gives, if it gives one.',
    }),
    forecast: t.expose('forecast', {
      type: AssignmentForecast,
      nullable: true,
      description: 'Whether the report expects the assignment to be done in time, if it says.',
    }),
    text: t.exposeString('text', { description: 'What the report says.' }),
  }),
});

const AssignmentFilter = builder.inputType('AssignmentFilter', {
  description: 'Narrows a list of assignments. Conditions combine with AND.',
  fields: (t) => ({
    region: t.string({ description: 'The region: SCB county code ("18") or name ("Örebro", "Region Örebro län"), case and accents ignored.' }),
    issuedBy: t.id({ ...takesNames, description: 'Given by this body: its Organisation ID or its name ("Regionstyrelsen"; within `region` when given).' }),
    assignee: t.globalID({ description: 'Given to this body or person (an Organisation ID or a Person ID).' }),
    status: t.field({ type: [AssignmentStatus], description: 'With any of these latest statuses.' }),
    topic: t.string({ description: 'Tagged with this topic: its slug ("governance") or its name, English or Swedish ("central kontaktingång").' }),
    text: t.string({ description: 'Words in the reference, title or description, matched as `search` matches them: whole words in any inflection, accents and case ignored, every word required ("quoted phrase", `or`, -word).' }),
    dueOn: t.field({ type: DateRange, description: 'Due within these dates (assignments without a deadline never match).' }),
    issuedOn: t.field({ type: DateRange, description: 'Given within these dates (assignments without an issue date never match).' }),
    meeting: t.globalID({ description: 'Given at this meeting (a Meeting ID), with or without a decision of its own.' }),
    ...lifecycleFilterFields(t),
  }),
});

const AssignmentOrder = builder.enumType('AssignmentOrder', {
  description: 'Orders of an assignment list; ties are broken by ID so paging is stable.',
  values: {
    REFERENCE: {
      description: 'By reference in natural order, "Nr 2" before "Nr 10" (the default); assignments without a reference last.',
    },
    ISSUED_ON_DESC: { description: 'Newest first by issue date; assignments without one last.' },
    UPDATED_AT: { description: 'By last change, oldest first: the order for incremental refresh.' },
  },
});

type AssignmentFilterShape = typeof AssignmentFilter.$inferInput;

/** Given to the body or the person the `assignee` argument names. */
function assigneeCondition(assignee: { typename: string; id: string } | null | undefined): SQL | undefined {
  const id = filterId(assignee, ['Organisation', 'Person'], 'assignee');
  if (!id) return undefined;
  return eq(assignee?.typename === 'Organisation' ? a.assigneeOrganisationId : a.assigneePersonId, id);
}

function assignmentConditions(filter: AssignmentFilterShape | null | undefined) {
  return allOf([
    ...lifecycleConditions(a, filter),
    regionIs(a.regionId, filter?.region),
    referenceIs(a.issuedById, filter?.issuedBy, 'Organisation', 'issuedBy'),
    assigneeCondition(filter?.assignee),
    filter?.status?.length ? inArray(a.status, filter.status) : undefined,
    ...dateInRange(a.dueOn, filter?.dueOn),
    ...dateInRange(a.issuedOn, filter?.issuedOn),
    referenceIs(a.meetingId, filter?.meeting, 'Meeting', 'meeting'),
    taggedWith('assignment', a.id, filter?.topic),
    wordsInVector(a.searchVector, filter?.text),
  ]);
}

function assignmentOrder(order: string | null | undefined): OrderKey[] {
  if (order === 'UPDATED_AT') return [{ column: a.updatedAt, direction: 'asc' }];
  if (order === 'ISSUED_ON_DESC') return issuedOnDescOrder;
  return referenceOrder;
}

export const assignmentList = filteredList<AssignmentRow, AssignmentFilterShape>({ table: tables.assignments, where: assignmentConditions, order: assignmentOrder });

export const assignmentListArgs = builder.args((t) => ({
  filter: t.field({ type: AssignmentFilter, description: 'Which assignments.' }),
  orderBy: t.field({ type: AssignmentOrder, defaultValue: 'REFERENCE', description: 'In which order.' }),
}));

builder.queryFields((t) => ({
  assignments: t.connection({
    type: Assignment,
    description: 'Assignments (uppdrag) given to bodies and people, across regions, with their status.',
    args: assignmentListArgs,
    resolve: (_root, args, context, info) => assignmentList.page(context, args, info),
  }),
}));

builder.objectField(Region, 'assignments', (t) =>
  t.connection({
    type: Assignment,
    description: "The region's assignments.",
    args: assignmentListArgs,
    resolve: (region, args, context, info) => assignmentList.pageOf(context, a.regionId, region.id, args, info),
  }),
);

builder.objectFields(Organisation, (t) => ({
  assignmentsIssued: t.connection({
    type: Assignment,
    description: 'The assignments this body gave (as uppdragsgivare).',
    args: assignmentListArgs,
    resolve: (organisation, args, context, info) => assignmentList.pageOf(context, a.issuedById, organisation.id, args, info),
  }),
  assignmentsReceived: t.connection({
    type: Assignment,
    description: 'The assignments this body got.',
    args: assignmentListArgs,
    resolve: (organisation, args, context, info) => assignmentList.pageOf(context, a.assigneeOrganisationId, organisation.id, args, info),
  }),
}));

builder.objectField(Person, 'assignments', (t) =>
  t.field({
    type: [Assignment],
    description: 'The assignments given to this person, by reference in natural order.',
    resolve: (person, _args, context) =>
      loadChildren<AssignmentRow>(
        context,
        { table: tables.assignments, foreignKey: a.assigneePersonId, orderBy: referenceOrderBy },
        person.id,
      ),
  }),
);

builder.objectField(Decision, 'assignments', (t) =>
  t.field({
    type: [Assignment],
    description: 'The assignments that come from this decision, by reference in natural order.',
    resolve: (decision, _args, context) =>
      loadChildren<AssignmentRow>(
        context,
        { table: tables.assignments, foreignKey: a.originDecisionId, orderBy: referenceOrderBy },
        decision.id,
      ),
  }),
);

// ─── Writes ──────────────────────────────────────────────────────────────────
//
// An assignment's `status` follows its reports: when a report that gives a status is (after it is
// added, changed or restored) the newest dated live report of its assignment — latest `reportedOn`,
// then the one recorded last — the assignment takes that status in the same transaction, logged as
// an update of the assignment. When the newest dated report is deleted, the assignment follows the
// next newest dated report, if that gives a status. Undated reports never move the status.
// Deleting an assignment leaves its reports as they are (they are reached only through it) and
// restoring it brings it back with them.

const AssignmentStatusValues = tables.assignmentStatus.enumValues;
const AssignmentForecastValues = tables.assignmentForecast.enumValues;

const assignmentFields = {
  reference: rules.text(100).nullish(),
  title: rules.text(1000),
  description: rules.text(20_000).nullish(),
  issuedBy: rules.globalId('Organisation').nullish(),
  assigneeOrganisation: rules.globalId('Organisation').nullish(),
  assigneePerson: rules.globalId('Person').nullish(),
  originDecision: rules.globalId('Decision').nullish(),
  meeting: rules.globalId('Meeting').nullish(),
  relatedDecision: rules.globalId('Decision').nullish(),
  origin: rules.text(1000).nullish(),
  region: rules.regionCode.nullish(),
  issuedOn: rules.date.nullish(),
  dueOn: rules.date.nullish(),
  status: z.enum(AssignmentStatusValues),
};

const datesProblem = (issuedOn: string | null | undefined, dueOn: string | null | undefined) =>
  issuedOn && dueOn && dueOn < issuedOn ? `the assignment must not be due (${dueOn}) before it was given (${issuedOn})` : null;

const reportFields = {
  reportedOn: rules.date.nullish(),
  source: rules.text(1000).nullish(),
  status: z.enum(AssignmentStatusValues).nullish(),
  forecast: z.enum(AssignmentForecastValues).nullish(),
  text: rules.text(20_000),
};

const CreateAssignmentInput = ruledInput('CreateAssignmentInput', {
  description: 'An assignment (uppdrag) to record: who gave it to whom, from which decision or plan, and by when.',
  fields: {
    reference: { type: 'String', description: 'The reference the records use ("Nr 4"), at most 100 characters.', rule: assignmentFields.reference },
    title: { type: 'String', description: 'What is to be done, at most 1000 characters.', rule: assignmentFields.title },
    description: { type: 'String', description: 'The assignment in more detail.', rule: assignmentFields.description },
    issuedBy: { type: 'ID', description: 'The body that gave it (Organisation ID).', rule: assignmentFields.issuedBy },
    assigneeOrganisation: { type: 'ID', description: 'The body that got it (Organisation ID).', rule: assignmentFields.assigneeOrganisation },
    assigneePerson: { type: 'ID', description: 'The person who got it (Person ID).', rule: assignmentFields.assigneePerson },
    originDecision: { type: 'ID', description: 'The decision it comes from (Decision ID).', rule: assignmentFields.originDecision },
    meeting: {
      type: 'ID',
      description: "The meeting it was given at (Meeting ID); if left out, the origin decision's meeting.",
      rule: assignmentFields.meeting,
    },
    relatedDecision: {
      type: 'ID',
      description: 'A decision the records name as what it follows or brought about (Decision ID).',
      rule: assignmentFields.relatedDecision,
    },
    origin: { type: 'String', description: 'The plan or document it comes from, in words ("Verksamhetsplan 2023").', rule: assignmentFields.origin },
    region: { type: 'String', description: 'SCB county code of the region ("18").', rule: assignmentFields.region },
    issuedOn: { type: 'Date', description: 'When it was given.', rule: assignmentFields.issuedOn },
    dueOn: { type: 'Date', description: 'When it is to be done; not before `issuedOn`.', rule: assignmentFields.dueOn },
    status: { type: AssignmentStatus, description: 'The status known now; NOT_STARTED if left out.', rule: assignmentFields.status.default('not_started') },
    topics: { type: ['String'], description: 'Topic slugs to tag the assignment with.', rule: rules.topics.default([]) },
    citations: citationsField('Passages supporting the assignment.'),
  },
  check: (assignment, context) => {
    const problem = datesProblem(assignment.issuedOn, assignment.dueOn);
    if (problem) context.addIssue({ code: 'custom', message: problem, path: ['dueOn'] });
  },
});

const AssignmentPatch = ruledPatch('AssignmentPatch', {
  description: 'Fields of an assignment to change; fields left out stay as they are, null clears an optional field.',
  fields: {
    reference: { type: 'String', description: 'New reference.', rule: assignmentFields.reference },
    title: { type: 'String', description: 'New title.', rule: assignmentFields.title },
    description: { type: 'String', description: 'New description.', rule: assignmentFields.description },
    issuedBy: { type: 'ID', description: 'New issuing body (Organisation ID).', rule: assignmentFields.issuedBy },
    assigneeOrganisation: { type: 'ID', description: 'New assignee body (Organisation ID).', rule: assignmentFields.assigneeOrganisation },
    assigneePerson: { type: 'ID', description: 'New assignee person (Person ID).', rule: assignmentFields.assigneePerson },
    originDecision: { type: 'ID', description: 'New origin decision (Decision ID).', rule: assignmentFields.originDecision },
    meeting: { type: 'ID', description: 'New meeting it was given at (Meeting ID).', rule: assignmentFields.meeting },
    relatedDecision: { type: 'ID', description: 'New related decision (Decision ID).', rule: assignmentFields.relatedDecision },
    origin: { type: 'String', description: 'New origin, in words.', rule: assignmentFields.origin },
    region: { type: 'String', description: 'New region (SCB county code).', rule: assignmentFields.region },
    issuedOn: { type: 'Date', description: 'New issue date.', rule: assignmentFields.issuedOn },
    dueOn: { type: 'Date', description: 'New due date; not before the issue date.', rule: assignmentFields.dueOn },
    status: {
      type: AssignmentStatus,
      description: 'New status, set by hand (a later dated report with a status will move it again).',
      rule: assignmentFields.status,
    },
  },
});

const AddAssignmentReportInput = ruledInput('AddAssignmentReportInput', {
  description:
    'A report on how far an assignment has come (återrapportering). When it gives a status and is the newest dated report, the assignment takes that status.',
  fields: {
    assignment: { type: 'ID', description: 'The assignment reported on (Assignment ID).', rule: rules.globalId('Assignment') },
    reportedOn: { type: 'Date', description: 'The date of the report; undated reports do not move the status.', rule: reportFields.reportedOn },
    source: { type: 'String', description: 'Where the report was given ("Delårsrapport 2023, Region Örebro län").', rule: reportFields.source },
    status: { type: AssignmentStatus, description: 'The status the report gives, if it gives one.', rule: reportFields.status },
    forecast: { type: AssignmentForecast, description: 'Whether the report expects it to be done in time.', rule: reportFields.forecast },
    text: { type: 'String', description: 'What the report says (at most 20 000 characters).', rule: reportFields.text },
    citations: citationsField('Passages supporting the report.'),
  },
});

const AssignmentReportPatch = ruledPatch('AssignmentReportPatch', {
  description: 'Fields of a report to change; fields left out stay as they are, null clears an optional field.',
  fields: {
    reportedOn: { type: 'Date', description: 'New report date.', rule: reportFields.reportedOn },
    source: { type: 'String', description: 'New source.', rule: reportFields.source },
    status: { type: AssignmentStatus, description: 'New status.', rule: reportFields.status },
    forecast: { type: AssignmentForecast, description: 'New forecast.', rule: reportFields.forecast },
    text: { type: 'String', description: 'New text.', rule: reportFields.text },
  },
});

builder.mutationFields((t) => ({
  createAssignment: t.field({
    type: Assignment,
    description: 'Records an assignment with its topics and citations, in one transaction. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CreateAssignmentInput.ref, required: true, description: 'The assignment.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(CreateAssignmentInput.rules, args.input);
      return write(context, async (writer) => {
        await writer.requireLive([
          { entity: 'Organisation', id: input.issuedBy, path: ['input', 'issuedBy'] },
          { entity: 'Organisation', id: input.assigneeOrganisation, path: ['input', 'assigneeOrganisation'] },
          { entity: 'Person', id: input.assigneePerson, path: ['input', 'assigneePerson'] },
          { entity: 'Decision', id: input.originDecision, path: ['input', 'originDecision'] },
          { entity: 'Meeting', id: input.meeting, path: ['input', 'meeting'] },
          { entity: 'Decision', id: input.relatedDecision, path: ['input', 'relatedDecision'] },
        ]);
        const origin = input.originDecision && input.meeting === undefined ? await writer.current<DecisionRow>('Decision', input.originDecision) : null;
        const regionId = await writer.regionId(input.region, ['input', 'region']);
        const assignment = await writer.create<AssignmentRow & { version: number }>('Assignment', {
          reference: input.reference ?? null,
          title: input.title,
          description: input.description ?? null,
          issuedById: input.issuedBy ?? null,
          assigneeOrganisationId: input.assigneeOrganisation ?? null,
          assigneePersonId: input.assigneePerson ?? null,
          originDecisionId: input.originDecision ?? null,
          meetingId: input.meeting ?? origin?.meetingId ?? null,
          relatedDecisionId: input.relatedDecision ?? null,
          origin: input.origin ?? null,
          regionId: regionId ?? null,
          issuedOn: input.issuedOn ?? null,
          dueOn: input.dueOn ?? null,
          status: input.status,
        });
        await writer.tag('Assignment', assignment.id, input.topics, ['input', 'topics']);
        await writer.cite('Assignment', assignment.id, input.citations, ['input', 'citations']);
        return assignment;
      });
    },
  }),
  updateAssignment: updateField(t, {
    ref: Assignment,
    description:
      'Changes fields of an assignment. `version` must be the one you read: a stale version is a ConflictError. The dates must stay in order.',
    idDescription: 'The assignment.',
    patch: AssignmentPatch,
    references: {
      issuedBy: { entity: 'Organisation', column: 'issuedById' },
      assigneeOrganisation: { entity: 'Organisation', column: 'assigneeOrganisationId' },
      assigneePerson: { entity: 'Person', column: 'assigneePersonId' },
      originDecision: { entity: 'Decision', column: 'originDecisionId' },
      meeting: { entity: 'Meeting', column: 'meetingId' },
      relatedDecision: { entity: 'Decision', column: 'relatedDecisionId' },
    },
    regions: { region: 'regionId' },
    check: (_writer, { patch, current }) => {
      const problem = datesProblem(
        patch.issuedOn !== undefined ? patch.issuedOn : current.issuedOn,
        patch.dueOn !== undefined ? patch.dueOn : current.dueOn,
      );
      if (problem) throw new ValidationError([{ path: ['patch', patch.dueOn !== undefined ? 'dueOn' : 'issuedOn'], message: problem }]);
    },
  }),
  deleteAssignment: deleteField(t, {
    ref: Assignment,
    description:
      'Deletes an assignment (a tombstone: it leaves the lists, shows in `updatedSince` queries with `deletedAt`, and an admin can restore it, reports and all).',
    idDescription: 'The assignment.',
  }),
  restoreAssignment: restoreField(t, {
    ref: Assignment,
    description: 'Brings back a deleted assignment. Needs the `admin` scope.',
    idDescription: 'The deleted assignment.',
  }),

  addAssignmentReport: t.field({
    type: AssignmentReport,
    description:
      "Records a report on an assignment. When the report gives a status and is the assignment's newest dated report, the assignment takes that status in the same transaction (logged as an update of the assignment). Needs the `write` scope.",
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: AddAssignmentReportInput.ref, required: true, description: 'The report.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(AddAssignmentReportInput.rules, args.input);
      return write(context, async (writer) => {
        await writer.requireLive([{ entity: 'Assignment', id: input.assignment, path: ['input', 'assignment'] }]);
        const report = await writer.create<AssignmentReportRow & { version: number }>('AssignmentReport', {
          assignmentId: input.assignment,
          reportedOn: input.reportedOn ?? null,
          source: input.source ?? null,
          status: input.status ?? null,
          forecast: input.forecast ?? null,
          text: input.text,
        });
        await writer.cite('AssignmentReport', report.id, input.citations, ['input', 'citations']);
        await followNewestReport(writer, input.assignment, report.id);
        return report;
      });
    },
  }),
  updateAssignmentReport: updateField(t, {
    ref: AssignmentReport,
    description:
      "Changes fields of a report; if it then gives a status and is the assignment's newest dated report, the assignment takes that status. A stale `version` is a ConflictError.",
    idDescription: 'The report.',
    patch: AssignmentReportPatch,
    afterUpdate: async (writer, report) => {
      await writer.requireLive([{ entity: 'Assignment', id: report.assignmentId, path: ['id'] }]);
      await followNewestReport(writer, report.assignmentId, report.id);
    },
  }),
  deleteAssignmentReport: deleteField(t, {
    ref: AssignmentReport,
    description:
      'Deletes a report (a tombstone an admin can restore). If it was the newest dated report, the assignment takes the status of the next newest dated report, if that gives one.',
    idDescription: 'The report.',
    beforeDelete: async (writer, report) => (await newestDatedReport(writer, report.assignmentId))?.id === report.id,
    afterDelete: async (writer, report, wasNewest) => {
      if (wasNewest) await followNewestReport(writer, report.assignmentId, null);
    },
  }),
  restoreAssignmentReport: restoreField(t, {
    ref: AssignmentReport,
    description:
      "Brings back a deleted report; if it gives a status and is the assignment's newest dated report, the assignment takes that status. Needs the `admin` scope.",
    idDescription: 'The deleted report.',
    afterRestore: async (writer, report) => {
      const [assignment] = await writer.tx.select({ deletedAt: a.deletedAt }).from(a).where(eq(a.id, report.assignmentId));
      if (!assignment?.deletedAt) await followNewestReport(writer, report.assignmentId, report.id);
    },
  }),
}));

// ---------------------------------------------------------------------------------------------
// Export: /export/assignments.csv and .ndjson, with the filter of `assignments`

registerExport({
  name: 'assignments',
  description: 'Assignments (uppdrag): one row per assignment, with who gave it, to whom, its origin, due date and latest status.',
  table: tables.assignments,
  references: [tables.organisations, tables.people],
  parameters: {
    region: regionParameter,
    issuedBy: organisationParameter('Given by this body'),
    assignee: { kind: 'id', types: ['Organisation', 'Person'], description: 'Given to this body or person (an Organisation or Person ID).' },
    meeting: { kind: 'id', types: ['Meeting'], description: 'Given at this meeting (a Meeting ID).' },
    status: { kind: 'list', values: tables.assignments.status.enumValues, description: 'With any of these latest statuses, comma-separated.' },
    from: { kind: 'date', argument: 'dueOn', description: 'Due on or after this date (YYYY-MM-DD).' },
    to: { kind: 'date', argument: 'dueOn', description: 'Due on or before this date (YYYY-MM-DD).' },
    topic: topicParameter,
    text: { kind: 'string', description: 'Words in the reference, title or description, accents and case ignored.' },
    ...lifecycleParameters,
  },
  filter: (values): AssignmentFilterShape => ({
    region: values.region ?? null,
    issuedBy: values.issuedBy ?? null,
    assignee: values.assignee ?? null,
    meeting: values.meeting ?? null,
    status: (values.status as AssignmentFilterShape['status']) ?? null,
    dueOn: values.from || values.to ? { from: values.from ?? null, to: values.to ?? null } : null,
    topic: values.topic ?? null,
    text: values.text ?? null,
    ...lifecycleFilter(values),
  }),
  where: assignmentConditions,
  keys: [a.id],
  columns: () => [
    idColumn('id', a.id, 'Assignment'),
    { name: 'reference', value: a.reference },
    { name: 'title', value: a.title },
    { name: 'status', value: a.status },
    { name: 'issued_on', value: a.issuedOn },
    { name: 'due_on', value: a.dueOn },
    { name: 'region', value: a.regionId, lookup: { key: tables.regions.id, value: tables.regions.code } },
    idColumn('issued_by', a.issuedById, 'Organisation'),
    { name: 'issued_by_name', value: a.issuedById, lookup: { key: tables.organisations.id, value: tables.organisations.name } },
    idColumn('assignee_organisation', a.assigneeOrganisationId, 'Organisation'),
    { name: 'assignee_organisation_name', value: a.assigneeOrganisationId, lookup: { key: tables.organisations.id, value: tables.organisations.name } },
    idColumn('assignee_person', a.assigneePersonId, 'Person'),
    { name: 'assignee_person_name', value: a.assigneePersonId, lookup: { key: tables.people.id, value: tables.people.name } },
    idColumn('origin_decision', a.originDecisionId, 'Decision'),
    idColumn('meeting', a.meetingId, 'Meeting'),
    idColumn('related_decision', a.relatedDecisionId, 'Decision'),
    { name: 'origin', value: a.origin },
    { name: 'description', value: a.description },
    ...bookkeepingColumns(a),
  ],
});
