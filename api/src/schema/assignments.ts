import { tables } from '@naravard/db';
import { asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { databaseEnum } from '../enums.ts';
import { BadInputError } from '../errors.ts';
import {
  allOf,
  DateRange,
  dateInRange,
  lifecycleConditions,
  lifecycleFilterFields,
  regionIs,
  taggedWith,
  textMatches,
} from '../filters.ts';
import { loadChildren, loadReference } from '../loaders.ts';
import { entityNode, taggedEntityNode } from '../nodes.ts';
import { type ConnectionArgs, type OrderKey, paginateChildren, paginateTable } from '../pagination.ts';
import {
  Assignment,
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
  not_applicable: 'Not applicable to the reporting body (ej aktuellt), e.g. addressed to another committee.',
  not_handled: 'Not handled (ej behandlat): the reporting body has not dealt with it.',
});

const AssignmentForecast = databaseEnum('AssignmentForecast', 'Whether a report expects the assignment to be done in time.', {
  expected_done: 'Expected to be done in time (bedöms vara klart vid årets slut).',
  not_expected_done: 'Not expected to be done in time (bedöms inte vara klart).',
});

/**
 * A sort expression used as an order key. `paginateTable`/`paginateChildren` only compare keys
 * with `=`, `<` and `>` and read the cursor row's value in a subquery, so any expression over the
 * table's own columns works as long as it is never NULL.
 */
const expression = (value: SQL) => value as unknown as PgColumn;

const a = tables.assignments;

/**
 * Natural order of references ("Nr 2" before "Nr 10"), as never-NULL keys: assignments without a
 * reference last, then the reference with every run of digits zero-padded to ten places (longer
 * runs are kept whole), then the reference as written (so "Nr 07" and "Nr 7" still differ).
 */
const referenceOrder: OrderKey[] = [
  { column: expression(sql`(${a.reference} is null)`), direction: 'asc' },
  {
    column: expression(
      sql`regexp_replace(regexp_replace(lower(coalesce(${a.reference}, '')), '([0-9]+)', '0000000000\\1', 'g'), '0*([0-9]{10})', '\\1', 'g')`,
    ),
    direction: 'asc',
  },
  { column: expression(sql`coalesce(${a.reference}, '')`), direction: 'asc' },
];

/** Newest issue date first; assignments without one last. */
const issuedOnDescOrder: OrderKey[] = [
  { column: expression(sql`(${a.issuedOn} is null)`), direction: 'asc' },
  { column: expression(sql`coalesce(${a.issuedOn}, date '0001-01-01')`), direction: 'desc' },
];

/** The natural reference order as plain ORDER BY terms, for bounded lists. */
const referenceOrderBy = [...referenceOrder.map((key) => sql`${key.column} asc`), asc(a.id)];

const typedId = (value: { typename: string; id: string } | null | undefined, argument: string, expected: string) => {
  if (!value) return undefined;
  if (value.typename !== expected) {
    throw new BadInputError(`"${argument}" must be an ID of type ${expected}, got an ID of type ${value.typename}`, argument);
  }
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value.id)) {
    throw new BadInputError(`"${argument}" is not an ID this API gave out`, argument);
  }
  return value.id;
};

builder.node(Assignment, {
  ...taggedEntityNode<AssignmentRow>(tables.assignments),
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
      resolve: (assignment, _args, context) =>
        loadReference<OrganisationRow>(context, tables.organisations, assignment.issuedById),
    }),
    assigneeOrganisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The body that got the assignment, when it went to a body.',
      resolve: (assignment, _args, context) =>
        loadReference<OrganisationRow>(context, tables.organisations, assignment.assigneeOrganisationId),
    }),
    assigneePerson: t.field({
      type: Person,
      nullable: true,
      description: 'The person who got the assignment, when it went to a person.',
      resolve: (assignment, _args, context) => loadReference<PersonRow>(context, tables.people, assignment.assigneePersonId),
    }),
    originDecision: t.field({
      type: Decision,
      nullable: true,
      description: 'The decision the assignment comes from, when one is recorded.',
      resolve: (assignment, _args, context) =>
        loadReference<DecisionRow>(context, tables.decisions, assignment.originDecisionId),
    }),
    origin: t.exposeString('origin', {
      nullable: true,
      description: 'The plan or document the assignment comes from, in words ("Verksamhetsplan 2023").',
    }),
    region: t.field({
      type: Region,
      nullable: true,
      description: 'The region whose governance the assignment belongs to.',
      resolve: (assignment, _args, context) => loadReference<RegionRow>(context, tables.regions, assignment.regionId),
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
      resolve: async (report, _args, context) =>
        (await loadReference<AssignmentRow>(context, tables.assignments, report.assignmentId))!,
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
    region: t.string({ description: 'SCB county code of the region ("18").' }),
    issuedBy: t.globalID({ description: 'Given by this body (an Organisation ID).' }),
    assignee: t.globalID({ description: 'Given to this body or person (an Organisation ID or a Person ID).' }),
    status: t.field({ type: [AssignmentStatus], description: 'With any of these latest statuses.' }),
    topic: t.string({ description: 'Tagged with this topic (its slug, e.g. "governance").' }),
    text: t.string({ description: 'Words in the reference, title or description, accents and case ignored.' }),
    dueOn: t.field({ type: DateRange, description: 'Due within these dates (assignments without a deadline never match).' }),
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

function assigneeCondition(assignee: { typename: string; id: string } | null | undefined): SQL | undefined {
  if (!assignee) return undefined;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(assignee.id)) {
    throw new BadInputError(`"assignee" is not an ID this API gave out`, 'assignee');
  }
  if (assignee.typename === 'Organisation') return eq(a.assigneeOrganisationId, assignee.id);
  if (assignee.typename === 'Person') return eq(a.assigneePersonId, assignee.id);
  throw new BadInputError(`"assignee" must be an ID of type Organisation or Person, got an ID of type ${assignee.typename}`, 'assignee');
}

function assignmentConditions(filter: AssignmentFilterShape | null | undefined) {
  const issuedById = typedId(filter?.issuedBy, 'issuedBy', 'Organisation');
  return allOf([
    ...lifecycleConditions(a, filter),
    regionIs(a.regionId, filter?.region),
    issuedById ? eq(a.issuedById, issuedById) : undefined,
    assigneeCondition(filter?.assignee),
    filter?.status?.length ? inArray(a.status, filter.status) : undefined,
    ...dateInRange(a.dueOn, filter?.dueOn),
    taggedWith('assignment', a.id, filter?.topic),
    textMatches([a.reference, a.title, a.description], filter?.text),
  ]);
}

function assignmentOrder(order: string | null | undefined): OrderKey[] {
  if (order === 'UPDATED_AT') return [{ column: a.updatedAt, direction: 'asc' }];
  if (order === 'ISSUED_ON_DESC') return issuedOnDescOrder;
  return referenceOrder;
}

const assignmentListArgs = builder.args((t) => ({
  filter: t.field({ type: AssignmentFilter, description: 'Which assignments.' }),
  orderBy: t.field({ type: AssignmentOrder, defaultValue: 'REFERENCE', description: 'In which order.' }),
}));

interface AssignmentListArgs extends ConnectionArgs {
  filter?: AssignmentFilterShape | null;
  orderBy?: string | null;
}

builder.queryFields((t) => ({
  assignments: t.connection({
    type: Assignment,
    description: 'Assignments (uppdrag) given to bodies and people, across regions, with their status.',
    args: assignmentListArgs,
    resolve: (_root, args, context) =>
      paginateTable<AssignmentRow>({
        db: context.db,
        table: tables.assignments,
        where: assignmentConditions(args.filter),
        order: assignmentOrder(args.orderBy),
        args,
      }),
  }),
}));

/** A parent's assignments (a region's, those a body gave or got), batched across parents. */
function assignmentsOf(
  context: Context,
  foreignKey: typeof a.regionId | typeof a.issuedById | typeof a.assigneeOrganisationId,
  parentId: string,
  args: AssignmentListArgs,
) {
  return paginateChildren<AssignmentRow>({
    context,
    table: tables.assignments,
    foreignKey,
    parentId,
    where: assignmentConditions(args.filter),
    filterKey: JSON.stringify([args.filter ?? null, args.orderBy ?? null]),
    order: assignmentOrder(args.orderBy),
    args,
  });
}

builder.objectField(Region, 'assignments', (t) =>
  t.connection({
    type: Assignment,
    description: "The region's assignments.",
    args: assignmentListArgs,
    resolve: (region, args, context) => assignmentsOf(context, a.regionId, region.id, args),
  }),
);

builder.objectFields(Organisation, (t) => ({
  assignmentsIssued: t.connection({
    type: Assignment,
    description: 'The assignments this body gave (as uppdragsgivare).',
    args: assignmentListArgs,
    resolve: (organisation, args, context) => assignmentsOf(context, a.issuedById, organisation.id, args),
  }),
  assignmentsReceived: t.connection({
    type: Assignment,
    description: 'The assignments this body got.',
    args: assignmentListArgs,
    resolve: (organisation, args, context) => assignmentsOf(context, a.assigneeOrganisationId, organisation.id, args),
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
