import { tables } from '@naravard/db';
import DataLoader from 'dataloader';
import { and, asc, eq, getTableColumns, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { databaseEnum } from '../enums.ts';
import { BadInputError } from '../errors.ts';
import { allOf, lifecycleConditions, lifecycleFilterFields, regionIs, taggedWith, textMatches } from '../filters.ts';
import { loadChildren, loadReference } from '../loaders.ts';
import { entityNode, taggedEntityNode } from '../nodes.ts';
import { type ConnectionArgs, type OrderKey, paginateChildren, paginateTable } from '../pagination.ts';
import {
  Allocation,
  type AllocationRow,
  Grant,
  GrantProgramme,
  type GrantProgrammeRow,
  type GrantRow,
  Organisation,
  type OrganisationRow,
  Region,
  type RegionRow,
} from './refs.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The UUID of a global ID given in a filter, refused unless it names a record of the expected type. */
function idOf(globalId: { id: string; typename: string } | null | undefined, typename: string, argument: string) {
  if (!globalId) return undefined;
  if (globalId.typename !== typename || !UUID.test(globalId.id)) {
    throw new BadInputError(`"${argument}" must be the ID of a ${typename}`, argument);
  }
  return globalId.id;
}

/** A sort key that is an expression rather than a column; pagination compares and orders by it the same way. */
const orderExpression = (expression: SQL) => expression as unknown as PgColumn;

/**
 * The first day of a period column ("2024" → 2024-01-01, "2024-Q3" → 2024-07-01, "2024-09" →
 * 2024-09-01), so periods of any grain sort and compare by date. NULL for a NULL period.
 */
function periodStart(column: PgColumn): SQL {
  return sql`make_date(substr(${column}, 1, 4)::int, case when length(${column}) = 4 then 1
    when substr(${column}, 6, 1) = 'Q' then (substr(${column}, 7, 1)::int - 1) * 3 + 1
    else substr(${column}, 6, 2)::int end, 1)`;
}

/** The first day of a period given as an argument ("2024-Q3" → "2024-07-01"), and of the period after it. */
function periodBounds(period: string): { start: string; next: string } {
  const year = Number(period.slice(0, 4));
  let month = 1;
  let months = 12;
  if (period.length > 4 && period[5] === 'Q') {
    month = (Number(period[6]) - 1) * 3 + 1;
    months = 3;
  } else if (period.length > 4) {
    month = Number(period.slice(5, 7));
    months = 1;
  }
  const day = (y: number, m: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`;
  const after = month - 1 + months;
  return { start: day(year, month), next: day(year + Math.floor(after / 12), (after % 12) + 1) };
}

const GrantStatus = databaseEnum('GrantStatus', 'Where a grant stands.', {
  requested: 'Requested (rekvirerat, ansökt) but not yet decided or paid.',
  awarded: 'Awarded (beviljat) to the recipient.',
  paid: 'Paid out (utbetalt).',
});

/** A grant's or a programme's allocations: by period, then amount; dateless ones last. */
const allocationOrder = [
  sql`${periodStart(tables.allocations.period)} asc nulls last`,
  sql`${tables.allocations.paidOn} asc nulls last`,
  asc(tables.allocations.id),
];

/**
 * The allocations of many programmes in one statement: those made from the programme directly
 * and those made from one of its grants.
 */
function programmeAllocations(context: Context, programmeId: string) {
  return context
    .loader(
      'grants:programmeAllocations',
      () =>
        new DataLoader<string, AllocationRow[]>(async (programmeIds) => {
          const a = tables.allocations;
          const g = tables.grants;
          const programme = sql`coalesce(${a.programmeId}, ${g.programmeId})`;
          const rows = (await context.db
            .select({ parent: sql<string>`${programme}::text`, row: getTableColumns(a) })
            .from(a)
            .leftJoin(g, eq(g.id, a.grantId))
            .where(and(isNull(a.deletedAt), inArray(programme, [...new Set(programmeIds)])))
            .orderBy(...allocationOrder)) as { parent: string; row: AllocationRow }[];
          const byProgramme = new Map<string, AllocationRow[]>();
          for (const { parent, row } of rows) {
            const list = byProgramme.get(parent);
            if (list) list.push(row);
            else byProgramme.set(parent, [row]);
          }
          return programmeIds.map((id) => byProgramme.get(id) ?? []);
        }),
    )
    .load(programmeId);
}

builder.node(GrantProgramme, {
  ...taggedEntityNode<GrantProgrammeRow>(tables.grantProgrammes),
  description:
    'A grant programme (statsbidrag, satsning): the state grant for nära vård, Patientmiljarden, the mental-health grant, or a regional fund passed on to health centres.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name of the programme ("Statsbidrag för nära vård").' }),
    legalBasis: t.exposeString('legalBasis', {
      nullable: true,
      description: 'The legal basis: an ordinance (förordning, "SFS 2024:1253") or an agreement (överenskommelse).',
    }),
    grantor: t.field({
      type: Organisation,
      nullable: true,
      description: 'Who grants the money (Socialstyrelsen, Regeringen), when the records say.',
      resolve: (programme, _args, context) => loadReference<OrganisationRow>(context, tables.organisations, programme.grantorId),
    }),
    description: t.exposeString('description', { nullable: true, description: 'What the programme is for and how it works.' }),
    grants: t.field({
      type: [Grant],
      description: 'The amounts granted under the programme, newest period first.',
      resolve: (programme, _args, context) =>
        loadChildren<GrantRow>(
          context,
          {
            table: tables.grants,
            foreignKey: tables.grants.programmeId,
            orderBy: [sql`${periodStart(tables.grants.period)} desc`, asc(tables.grants.id)],
          },
          programme.id,
        ),
    }),
    allocations: t.field({
      type: [Allocation],
      description:
        "Money passed on under the programme, directly or from one of its grants: amounts, rates and ceilings, by period.",
      resolve: (programme, _args, context) => programmeAllocations(context, programme.id),
    }),
  }),
});

builder.node(Grant, {
  ...entityNode<GrantRow>(tables.grants),
  description: 'An amount granted (bidrag) under a programme to a region or an organisation for a period.',
  fields: (t) => ({
    programme: t.field({
      type: GrantProgramme,
      description: 'The programme the grant is made under.',
      resolve: async (grant, _args, context) =>
        (await loadReference<GrantProgrammeRow>(context, tables.grantProgrammes, grant.programmeId))!,
    }),
    recipientRegion: t.field({
      type: Region,
      nullable: true,
      description: 'The region that receives the grant.',
      resolve: (grant, _args, context) => loadReference<RegionRow>(context, tables.regions, grant.recipientRegionId),
    }),
    recipientOrganisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The organisation that receives the grant, when it is not a region as a whole.',
      resolve: (grant, _args, context) =>
        loadReference<OrganisationRow>(context, tables.organisations, grant.recipientOrganisationId),
    }),
    period: t.expose('period', { type: 'Period', description: 'The year, quarter or month the grant is for ("2025").' }),
    amountSek: t.expose('amountSek', {
      type: 'Decimal',
      nullable: true,
      description: 'The amount in SEK, exact ("51900000.00"); null when the records give none.',
    }),
    amountIsApproximate: t.exposeBoolean('amountIsApproximate', {
      description: 'True when the records give the amount as approximate ("cirka 46 miljoner kronor").',
    }),
    status: t.expose('status', { type: GrantStatus, description: 'Requested, awarded or paid.' }),
    requisitionDueOn: t.expose('requisitionDueOn', {
      type: 'Date',
      nullable: true,
      description: 'The last day to requisition (rekvirera) the money.',
    }),
    description: t.exposeString('description', { nullable: true, description: 'What the records say about the grant.' }),
    allocations: t.field({
      type: [Allocation],
      description: 'Money passed on from this grant, by period.',
      resolve: (grant, _args, context) =>
        loadChildren<AllocationRow>(
          context,
          { table: tables.allocations, foreignKey: tables.allocations.grantId, orderBy: allocationOrder },
          grant.id,
        ),
    }),
  }),
});

builder.node(Allocation, {
  ...entityNode<AllocationRow>(tables.allocations),
  description:
    'Money passed on from a grant or a programme (fördelning, ersättning): a fixed amount ("30 MSEK to the health centres"), a rate ("148 SEK per listed patient", "4–44 SEK per listed patient"), or a ceiling ("at most 180 000 SEK per health centre and year").',
  fields: (t) => ({
    grant: t.field({
      type: Grant,
      nullable: true,
      description: 'The grant the money comes from, when the records name one.',
      resolve: (allocation, _args, context) => loadReference<GrantRow>(context, tables.grants, allocation.grantId),
    }),
    programme: t.field({
      type: GrantProgramme,
      nullable: true,
      description: "The programme the money comes from: the one named, or else the grant's.",
      resolve: async (allocation, _args, context) => {
        if (allocation.programmeId) {
          return loadReference<GrantProgrammeRow>(context, tables.grantProgrammes, allocation.programmeId);
        }
        const grant = await loadReference<GrantRow>(context, tables.grants, allocation.grantId);
        return grant ? loadReference<GrantProgrammeRow>(context, tables.grantProgrammes, grant.programmeId) : null;
      },
    }),
    fromOrganisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The body that passes the money on.',
      resolve: (allocation, _args, context) =>
        loadReference<OrganisationRow>(context, tables.organisations, allocation.fromOrganisationId),
    }),
    recipientOrganisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The organisation that receives it, when it is one organisation.',
      resolve: (allocation, _args, context) =>
        loadReference<OrganisationRow>(context, tables.organisations, allocation.recipientOrganisationId),
    }),
    recipientDescription: t.exposeString('recipientDescription', {
      nullable: true,
      description: 'Who receives it when that is a group ("Vårdcentralerna i Region Kronoberg").',
    }),
    region: t.field({
      type: Region,
      nullable: true,
      description: 'The region where the money is passed on.',
      resolve: (allocation, _args, context) => loadReference<RegionRow>(context, tables.regions, allocation.regionId),
    }),
    period: t.expose('period', { type: 'Period', nullable: true, description: 'The year, quarter or month ("2024-09").' }),
    amountSek: t.expose('amountSek', { type: 'Decimal', nullable: true, description: 'A fixed amount in SEK, exact.' }),
    rateSek: t.expose('rateSek', {
      type: 'Decimal',
      nullable: true,
      description: 'A rate in SEK per `rateUnit` ("148" per listed patient); the lower end when the rate is a range.',
    }),
    rateMaxSek: t.expose('rateMaxSek', {
      type: 'Decimal',
      nullable: true,
      description: 'The upper end of the rate when it is a range ("44" in "4–44 SEK per listed patient").',
    }),
    rateUnit: t.exposeString('rateUnit', { nullable: true, description: 'What the rate is per ("listed patient", per listad).' }),
    capSek: t.expose('capSek', {
      type: 'Decimal',
      nullable: true,
      description: 'A ceiling in SEK per `capUnit` ("180000"), alone or capping a rate.',
    }),
    capUnit: t.exposeString('capUnit', { nullable: true, description: 'What the ceiling is per ("health centre and year").' }),
    paidOn: t.expose('paidOn', { type: 'Date', nullable: true, description: 'When the money was paid out.' }),
    description: t.exposeString('description', { nullable: true, description: 'What the allocation is for and its conditions.' }),
  }),
});

const GrantProgrammeFilter = builder.inputType('GrantProgrammeFilter', {
  description: 'Narrows a list of grant programmes. Conditions combine with AND.',
  fields: (t) => ({
    text: t.string({ description: 'Words in the name, legal basis or description, accents and case ignored.' }),
    topic: t.string({ description: 'Tagged with this topic (its slug, e.g. "state-grants").' }),
    ...lifecycleFilterFields(t),
  }),
});

const GrantProgrammeOrder = builder.enumType('GrantProgrammeOrder', {
  description: 'Orders of a grant programme list; ties are broken by ID so paging is stable.',
  values: {
    NAME: { description: 'By name, ascending (the default).' },
    UPDATED_AT: { description: 'By last change, oldest first: the order for incremental refresh.' },
  },
});

const GrantFilter = builder.inputType('GrantFilter', {
  description: 'Narrows a list of grants. Conditions combine with AND.',
  fields: (t) => ({
    region: t.string({ description: 'SCB county code of the recipient region ("07").' }),
    recipientOrganisation: t.globalID({ description: 'Granted to this organisation (an Organisation ID).' }),
    programme: t.globalID({ description: 'Under this programme (a GrantProgramme ID).' }),
    status: t.field({ type: [GrantStatus], description: 'Any of these statuses.' }),
    periodFrom: t.field({
      type: 'Period',
      description:
        'Periods starting in or after this one: "2025" keeps 2025, 2025-Q2, 2025-05 and later; compared by the first day of each period.',
    }),
    periodTo: t.field({
      type: 'Period',
      description:
        'Periods starting in or before this one: "2024" keeps 2024, 2024-Q3 and 2024-09 (a year contains its quarters and months) and earlier.',
    }),
    ...lifecycleFilterFields(t),
  }),
});

const GrantOrder = builder.enumType('GrantOrder', {
  description: 'Orders of a grant list; ties are broken by ID so paging is stable.',
  values: {
    PERIOD_DESC: { description: 'Newest period first (the default), by the first day of each period.' },
    PERIOD_ASC: { description: 'Oldest period first.' },
    AMOUNT_DESC: { description: 'Largest amount first; grants without an amount last.' },
    UPDATED_AT: { description: 'By last change, oldest first: the order for incremental refresh.' },
  },
});

type GrantProgrammeFilterShape = typeof GrantProgrammeFilter.$inferInput;
type GrantFilterShape = typeof GrantFilter.$inferInput;

function grantProgrammeConditions(filter: GrantProgrammeFilterShape | null | undefined) {
  const p = tables.grantProgrammes;
  return allOf([
    ...lifecycleConditions(p, filter),
    taggedWith('grant_programme', p.id, filter?.topic),
    textMatches([p.name, p.legalBasis, p.description], filter?.text),
  ]);
}

function grantConditions(filter: GrantFilterShape | null | undefined) {
  const g = tables.grants;
  const recipient = idOf(filter?.recipientOrganisation, 'Organisation', 'recipientOrganisation');
  const programme = idOf(filter?.programme, 'GrantProgramme', 'programme');
  const start = periodStart(g.period);
  return allOf([
    ...lifecycleConditions(g, filter),
    regionIs(g.recipientRegionId, filter?.region),
    recipient ? eq(g.recipientOrganisationId, recipient) : undefined,
    programme ? eq(g.programmeId, programme) : undefined,
    filter?.status?.length ? inArray(g.status, filter.status) : undefined,
    filter?.periodFrom ? sql`${start} >= ${periodBounds(filter.periodFrom).start}::date` : undefined,
    filter?.periodTo ? sql`${start} < ${periodBounds(filter.periodTo).next}::date` : undefined,
  ]);
}

function grantOrder(order: string | null | undefined): OrderKey[] {
  const g = tables.grants;
  if (order === 'PERIOD_ASC') return [{ column: orderExpression(periodStart(g.period)), direction: 'asc' }];
  if (order === 'AMOUNT_DESC') {
    return [{ column: orderExpression(sql`coalesce(${g.amountSek}, -1)`), direction: 'desc' }];
  }
  if (order === 'UPDATED_AT') return [{ column: g.updatedAt, direction: 'asc' }];
  return [{ column: orderExpression(periodStart(g.period)), direction: 'desc' }];
}

const grantListArgs = builder.args((t) => ({
  filter: t.field({ type: GrantFilter, description: 'Which grants.' }),
  orderBy: t.field({ type: GrantOrder, defaultValue: 'PERIOD_DESC', description: 'In which order.' }),
}));

interface GrantListArgs extends ConnectionArgs {
  filter?: GrantFilterShape | null;
  orderBy?: string | null;
}

builder.queryFields((t) => ({
  grantProgrammes: t.connection({
    type: GrantProgramme,
    description: 'Grant programmes: state grants for the reform and the funds regions pass on.',
    args: {
      filter: t.arg({ type: GrantProgrammeFilter, description: 'Which programmes.' }),
      orderBy: t.arg({ type: GrantProgrammeOrder, defaultValue: 'NAME', description: 'In which order.' }),
    },
    resolve: (_root, args, context) => {
      const p = tables.grantProgrammes;
      return paginateTable<GrantProgrammeRow>({
        db: context.db,
        table: p,
        where: grantProgrammeConditions(args.filter),
        order: [args.orderBy === 'UPDATED_AT' ? { column: p.updatedAt, direction: 'asc' } : { column: p.name, direction: 'asc' }],
        args,
      });
    },
  }),
  grants: t.connection({
    type: Grant,
    description: 'Amounts granted to regions and organisations, across programmes.',
    args: grantListArgs,
    resolve: (_root, args, context) =>
      paginateTable<GrantRow>({
        db: context.db,
        table: tables.grants,
        where: grantConditions(args.filter),
        order: grantOrder(args.orderBy),
        args,
      }),
  }),
}));

/** A recipient's grants (a region's, an organisation's), batched across parents. */
function grantsOf(
  context: Context,
  foreignKey: typeof tables.grants.recipientRegionId | typeof tables.grants.recipientOrganisationId,
  parentId: string,
  args: GrantListArgs,
) {
  return paginateChildren<GrantRow>({
    context,
    table: tables.grants,
    foreignKey,
    parentId,
    where: grantConditions(args.filter),
    filterKey: JSON.stringify([args.filter ?? null, args.orderBy ?? null]),
    order: grantOrder(args.orderBy),
    args,
  });
}

builder.objectField(Region, 'grants', (t) =>
  t.connection({
    type: Grant,
    description: 'Grants the region received.',
    args: grantListArgs,
    resolve: (region, args, context) => grantsOf(context, tables.grants.recipientRegionId, region.id, args),
  }),
);

builder.objectField(Organisation, 'grants', (t) =>
  t.connection({
    type: Grant,
    description: 'Grants this organisation received.',
    args: grantListArgs,
    resolve: (organisation, args, context) => grantsOf(context, tables.grants.recipientOrganisationId, organisation.id, args),
  }),
);
