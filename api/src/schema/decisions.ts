import { tables } from '@naravard/db';
import { eq, inArray, type SQL, sql } from 'drizzle-orm';
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
import { loadReference } from '../loaders.ts';
import { taggedEntityNode } from '../nodes.ts';
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
  Region,
  type RegionRow,
} from './refs.ts';

export const DecisionKind = databaseEnum('DecisionKind', 'What kind of decision it is.', {
  decision: 'A decision (beslut).',
  direction: 'A decision on direction (inriktningsbeslut): which way the work is to go, without settling the details.',
  delegation: 'A delegation (delegation): a body or an office-holder hands a task and a mandate to another.',
  approval: 'An approval (godkännande, fastställande) of a plan, a guideline or a proposal.',
});

/**
 * A sort expression used as an order key. `paginateTable`/`paginateChildren` only compare keys
 * with `=`, `<` and `>` and read the cursor row's value in a subquery, so any expression over the
 * table's own columns works as long as it is never NULL.
 */
const expression = (value: SQL) => value as unknown as PgColumn;

/**
 * The decision date as two never-NULL keys: first whether it is missing (decisions known only
 * from a report have no date), so undated decisions come last in both directions, then the date.
 */
function decidedOnOrder(direction: 'asc' | 'desc'): OrderKey[] {
  const d = tables.decisions;
  return [
    { column: expression(sql`(${d.decidedOn} is null)`), direction: 'asc' },
    { column: expression(sql`coalesce(${d.decidedOn}, date '0001-01-01')`), direction },
  ];
}

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

builder.node(Decision, {
  ...taggedEntityNode<DecisionRow>(tables.decisions),
  description:
    'A decision (beslut), a decision on direction (inriktningsbeslut), a delegation or an approval (godkännande): taken at an agenda item of a meeting, or known only from a report.',
  fields: (t) => ({
    kind: t.expose('kind', { type: DecisionKind, description: 'What kind of decision it is.' }),
    title: t.exposeString('title', { nullable: true, description: 'A short heading for the decision.' }),
    text: t.exposeString('text', { description: 'What was decided, as the records word it.' }),
    decidedOn: t.expose('decidedOn', {
      type: 'Date',
      nullable: true,
      description: 'The day of the decision; null when the records do not give it (a decision known only from a report).',
    }),
    decidedBy: t.field({
      type: Organisation,
      nullable: true,
      description: 'The body that took the decision, when the records say.',
      resolve: (decision, _args, context) =>
        loadReference<OrganisationRow>(context, tables.organisations, decision.decidedById),
    }),
    meeting: t.field({
      type: Meeting,
      nullable: true,
      description: 'The meeting it was taken at; null when known only from a report.',
      resolve: (decision, _args, context) => loadReference<MeetingRow>(context, tables.meetings, decision.meetingId),
    }),
    agendaItem: t.field({
      type: AgendaItem,
      nullable: true,
      description: 'The agenda item (punkt, §) it was taken under.',
      resolve: (decision, _args, context) => loadReference<AgendaItemRow>(context, tables.agendaItems, decision.agendaItemId),
    }),
    region: t.field({
      type: Region,
      nullable: true,
      description: 'The region whose governance the decision belongs to.',
      resolve: (decision, _args, context) => loadReference<RegionRow>(context, tables.regions, decision.regionId),
    }),
  }),
});

const DecisionFilter = builder.inputType('DecisionFilter', {
  description: 'Narrows a list of decisions. Conditions combine with AND.',
  fields: (t) => ({
    region: t.string({ description: 'SCB county code of the region ("07").' }),
    organisation: t.globalID({ description: 'Taken by this body (an Organisation ID).' }),
    meeting: t.globalID({ description: 'Taken at this meeting (a Meeting ID).' }),
    kind: t.field({ type: [DecisionKind], description: 'Any of these kinds.' }),
    decidedOn: t.field({ type: DateRange, description: 'Decided within these dates (undated decisions never match).' }),
    topic: t.string({ description: 'Tagged with this topic (its slug, e.g. "care-pathways").' }),
    text: t.string({ description: 'Words in the title or text, accents and case ignored.' }),
    ...lifecycleFilterFields(t),
  }),
});

const DecisionOrder = builder.enumType('DecisionOrder', {
  description: 'Orders of a decision list; ties are broken by ID so paging is stable.',
  values: {
    DECIDED_ON_DESC: { description: 'Newest first (the default); undated decisions last.' },
    DECIDED_ON_ASC: { description: 'Oldest first; undated decisions last.' },
    UPDATED_AT: { description: 'By last change, oldest first: the order for incremental refresh.' },
  },
});

type DecisionFilterShape = typeof DecisionFilter.$inferInput;

function decisionConditions(filter: DecisionFilterShape | null | undefined) {
  const d = tables.decisions;
  const organisationId = typedId(filter?.organisation, 'organisation', 'Organisation');
  const meetingId = typedId(filter?.meeting, 'meeting', 'Meeting');
  return allOf([
    ...lifecycleConditions(d, filter),
    regionIs(d.regionId, filter?.region),
    organisationId ? eq(d.decidedById, organisationId) : undefined,
    meetingId ? eq(d.meetingId, meetingId) : undefined,
    filter?.kind?.length ? inArray(d.kind, filter.kind) : undefined,
    ...dateInRange(d.decidedOn, filter?.decidedOn),
    taggedWith('decision', d.id, filter?.topic),
    textMatches([d.title, d.text], filter?.text),
  ]);
}

function decisionOrder(order: string | null | undefined): OrderKey[] {
  if (order === 'UPDATED_AT') return [{ column: tables.decisions.updatedAt, direction: 'asc' }];
  if (order === 'DECIDED_ON_ASC') return decidedOnOrder('asc');
  return decidedOnOrder('desc');
}

const decisionListArgs = builder.args((t) => ({
  filter: t.field({ type: DecisionFilter, description: 'Which decisions.' }),
  orderBy: t.field({ type: DecisionOrder, defaultValue: 'DECIDED_ON_DESC', description: 'In which order.' }),
}));

interface DecisionListArgs extends ConnectionArgs {
  filter?: DecisionFilterShape | null;
  orderBy?: string | null;
}

builder.queryFields((t) => ({
  decisions: t.connection({
    type: Decision,
    description: 'Decisions, decisions on direction, delegations and approvals, across regions.',
    args: decisionListArgs,
    resolve: (_root, args, context) =>
      paginateTable<DecisionRow>({
        db: context.db,
        table: tables.decisions,
        where: decisionConditions(args.filter),
        order: decisionOrder(args.orderBy),
        args,
      }),
  }),
}));

/** A parent's decisions (a region's, an organisation's), batched across parents. */
function decisionsOf(
  context: Context,
  foreignKey: typeof tables.decisions.regionId | typeof tables.decisions.decidedById,
  parentId: string,
  args: DecisionListArgs,
) {
  return paginateChildren<DecisionRow>({
    context,
    table: tables.decisions,
    foreignKey,
    parentId,
    where: decisionConditions(args.filter),
    filterKey: JSON.stringify([args.filter ?? null, args.orderBy ?? null]),
    order: decisionOrder(args.orderBy),
    args,
  });
}

builder.objectField(Region, 'decisions', (t) =>
  t.connection({
    type: Decision,
    description: "The region's decisions.",
    args: decisionListArgs,
    resolve: (region, args, context) => decisionsOf(context, tables.decisions.regionId, region.id, args),
  }),
);

builder.objectField(Organisation, 'decisions', (t) =>
  t.connection({
    type: Decision,
    description: 'The decisions this body took.',
    args: decisionListArgs,
    resolve: (organisation, args, context) => decisionsOf(context, tables.decisions.decidedById, organisation.id, args),
  }),
);
