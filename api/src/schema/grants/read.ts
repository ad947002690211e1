import { tables } from '@naravard/db';
import { anyOf, fieldReads } from '../../columns.ts';
import DataLoader from 'dataloader';
import { and, asc, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import { databaseEnum } from '../../enums.ts';
import { allOf, takesNames, lifecycleConditions, lifecycleFilterFields, referenceIs, regionIs, resolveFilterNames, taggedWith, wordsInVector } from '../../filters.ts';
import { loadChildren, loadReference } from '../../loaders.ts';
import { entityNode, taggedEntityNode } from '../nodes.ts';
import { filteredList, type OrderKey, paginateTable } from '../../pagination.ts';
import { periodBounds, periodStart, programmeInRegion } from '../grant-periods.ts';
import { Allocation, type AllocationRow, Grant, GrantProgramme, type GrantProgrammeRow, type GrantRow, Organisation, type OrganisationRow, Region, type RegionRow, Searchable } from '../refs.ts';

/* Grant programmes, grants and allocations as nodes, their lists and root fields, and the grants of a region and of an organisation. */

export const GrantStatus = databaseEnum('GrantStatus', 'Where a grant stands.', {
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
            .where(and(isNull(a.deletedAt), anyOf(programme, [...new Set(programmeIds)])))
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
  ...taggedEntityNode<GrantProgrammeRow>(tables.grantProgrammes, [Searchable]),
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
      resolve: (programme, _args, context, info) => loadReference<OrganisationRow>(context, tables.organisations, programme.grantorId, info),
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
  ...entityNode<GrantRow>(tables.grants, [Searchable]),
  description: 'An amount granted (bidrag) under a programme to a region or an organisation for a period.',
  fields: (t) => ({
    programme: t.field({
      type: GrantProgramme,
      description: 'The programme the grant is made under.',
      resolve: async (grant, _args, context, info) =>
        (await loadReference<GrantProgrammeRow>(context, tables.grantProgrammes, grant.programmeId, info))!,
    }),
    recipientRegion: t.field({
      type: Region,
      nullable: true,
      description: 'The region that receives the grant.',
      resolve: (grant, _args, context, info) => loadReference<RegionRow>(context, tables.regions, grant.recipientRegionId, info),
    }),
    recipientOrganisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The organisation that receives the grant, when it is not a region as a whole.',
      resolve: (grant, _args, context, info) =>
        loadReference<OrganisationRow>(context, tables.organisations, grant.recipientOrganisationId, info),
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
      resolve: (allocation, _args, context, info) => loadReference<GrantRow>(context, tables.grants, allocation.grantId, info),
    }),
    programme: t.field({
      type: GrantProgramme,
      nullable: true,
      description: "The programme the money comes from: the one named, or else the grant's.",
      // Reads two columns; see fieldReads below.
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
      resolve: (allocation, _args, context, info) =>
        loadReference<OrganisationRow>(context, tables.organisations, allocation.fromOrganisationId, info),
    }),
    recipientOrganisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The organisation that receives it, when it is one organisation.',
      resolve: (allocation, _args, context, info) =>
        loadReference<OrganisationRow>(context, tables.organisations, allocation.recipientOrganisationId, info),
    }),
    recipientDescription: t.exposeString('recipientDescription', {
      nullable: true,
      description: 'Who receives it when that is a group ("Vårdcentralerna i Region Kronoberg").',
    }),
    region: t.field({
      type: Region,
      nullable: true,
      description: 'The region where the money is passed on.',
      resolve: (allocation, _args, context, info) => loadReference<RegionRow>(context, tables.regions, allocation.regionId, info),
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

// Allocation.programme falls back to the grant's programme, so it reads `grantId` as well.
fieldReads(tables.allocations, 'programme', ['programmeId', 'grantId']);

const GrantProgrammeFilter = builder.inputType('GrantProgrammeFilter', {
  description: 'Narrows a list of grant programmes. Conditions combine with AND.',
  fields: (t) => ({
    text: t.string({ description: 'Words in the name, legal basis or description, matched as `search` matches them: whole words in any inflection, accents and case ignored, every word required ("quoted phrase", `or`, -word).' }),
    topic: t.string({ description: 'Tagged with this topic: its slug ("state-grants") or its name, English or Swedish ("central kontaktingång").' }),
    region: t.string({ description: 'With a grant to, or an allocation in, this region: SCB county code ("07") or name ("Örebro", "Region Örebro län"), case and accents ignored.' }),
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

export const GrantFilter = builder.inputType('GrantFilter', {
  description: 'Narrows a list of grants. Conditions combine with AND.',
  fields: (t) => ({
    region: t.string({ description: 'The recipient region: SCB county code ("07") or name ("Örebro", "Region Örebro län"), case and accents ignored.' }),
    recipientOrganisation: t.id({ ...takesNames, description: 'Granted to this organisation: its Organisation ID or name.' }),
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
export type GrantFilterShape = typeof GrantFilter.$inferInput;

function grantProgrammeConditions(filter: GrantProgrammeFilterShape | null | undefined) {
  const p = tables.grantProgrammes;
  return allOf([
    ...lifecycleConditions(p, filter),
    taggedWith('grant_programme', p.id, filter?.topic),
    programmeInRegion(p.id, filter?.region),
    wordsInVector(p.searchVector, filter?.text),
  ]);
}

export function grantConditions(filter: GrantFilterShape | null | undefined) {
  const g = tables.grants;
  const start = periodStart(g.period);
  return allOf([
    ...lifecycleConditions(g, filter),
    regionIs(g.recipientRegionId, filter?.region),
    referenceIs(g.recipientOrganisationId, filter?.recipientOrganisation, 'Organisation', 'recipientOrganisation'),
    referenceIs(g.programmeId, filter?.programme, 'GrantProgramme', 'programme'),
    filter?.status?.length ? inArray(g.status, filter.status) : undefined,
    filter?.periodFrom ? sql`${start} >= ${periodBounds(filter.periodFrom).start}::date` : undefined,
    filter?.periodTo ? sql`${start} < ${periodBounds(filter.periodTo).next}::date` : undefined,
  ]);
}

function grantOrder(order: string | null | undefined): OrderKey[] {
  const g = tables.grants;
  if (order === 'PERIOD_ASC') return [{ column: periodStart(g.period), direction: 'asc' }];
  if (order === 'AMOUNT_DESC') return [{ column: sql`coalesce(${g.amountSek}, -1)`, direction: 'desc' }];
  if (order === 'UPDATED_AT') return [{ column: g.updatedAt, direction: 'asc' }];
  return [{ column: periodStart(g.period), direction: 'desc' }];
}

const grantList = filteredList<GrantRow, GrantFilterShape>({ table: tables.grants, where: grantConditions, order: grantOrder });

const grantListArgs = builder.args((t) => ({
  filter: t.field({ type: GrantFilter, description: 'Which grants.' }),
  orderBy: t.field({ type: GrantOrder, defaultValue: 'PERIOD_DESC', description: 'In which order.' }),
}));

builder.queryFields((t) => ({
  grantProgrammes: t.connection({
    type: GrantProgramme,
    description: 'Grant programmes: state grants for the reform and the funds regions pass on.',
    args: {
      filter: t.arg({ type: GrantProgrammeFilter, description: 'Which programmes.' }),
      orderBy: t.arg({ type: GrantProgrammeOrder, defaultValue: 'NAME', description: 'In which order.' }),
    },
    resolve: async (_root, args, context) => {
      const p = tables.grantProgrammes;
      return paginateTable<GrantProgrammeRow>({
        db: context.db,
        table: p,
        where: grantProgrammeConditions(await resolveFilterNames(context, args.filter)),
        order: [args.orderBy === 'UPDATED_AT' ? { column: p.updatedAt, direction: 'asc' } : { column: p.name, direction: 'asc' }],
        args,
      });
    },
  }),
  grants: t.connection({
    type: Grant,
    description: 'Amounts granted to regions and organisations, across programmes.',
    args: grantListArgs,
    resolve: (_root, args, context, info) => grantList.page(context, args, info),
  }),
}));

builder.objectField(Region, 'grants', (t) =>
  t.connection({
    type: Grant,
    description: 'Grants the region received.',
    args: grantListArgs,
    resolve: (region, args, context, info) => grantList.pageOf(context, tables.grants.recipientRegionId, region.id, args, info),
  }),
);

builder.objectField(Organisation, 'grants', (t) =>
  t.connection({
    type: Grant,
    description: 'Grants this organisation received.',
    args: grantListArgs,
    resolve: (organisation, args, context, info) => grantList.pageOf(context, tables.grants.recipientOrganisationId, organisation.id, args, info),
  }),
);
