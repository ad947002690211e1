import { tables } from '@naravard/db';
import DataLoader from 'dataloader';
import { and, asc, eq, getTableColumns, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { builder } from '../builder.ts';
import { fieldReads } from '../columns.ts';
import type { Context } from '../context.ts';
import { databaseEnum } from '../enums.ts';
import { bookkeepingColumns, idColumn, lifecycleFilter, lifecycleParameters, organisationParameter, regionParameter, registerExport } from '../exports.ts';
import { type FieldIssue, ValidationError } from '../errors.ts';
import { allOf, takesNames, lifecycleConditions, lifecycleFilterFields, referenceIs, regionIs, resolveFilterNames, taggedWith, wordsInVector } from '../filters.ts';
import { loadChildren, loadReference } from '../loaders.ts';
import { deleteField, restoreField } from '../mutation-fields.ts';
import { entityNode, taggedEntityNode } from '../nodes.ts';
import { filteredList, type OrderKey, paginateTable } from '../pagination.ts';
import { parseInput, rules, stripUndefined, type Writer, write } from '../writes.ts';
import { WRITE_ERRORS } from './errors.ts';
import { periodBounds, periodStart, programmeInRegion } from './grant-periods.ts';
import { CitationInput } from './provenance.ts';
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
  Searchable,
} from './refs.ts';

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

// ─── Writes ──────────────────────────────────────────────────────────────────
//
// Money is given as a string ("51900000", "148.50"): exact, never a binary float, at most two
// decimals (öre), never negative. A programme or a grant that money is still recorded against
// (live grants or allocations) cannot be deleted: delete those first. A grant or an allocation
// cannot be restored while what it comes from is deleted.

/** A rule broken by a combination of fields, named by the field to fix. */
interface Broken {
  field: string;
  message: string;
}

/** Throws the broken rules as one ValidationError, each under `prefix` ("input" or "patch"). */
function refuse(broken: Broken[], prefix: string) {
  if (broken.length > 0) throw new ValidationError(broken.map((rule): FieldIssue => ({ path: [prefix, rule.field], message: rule.message })));
}

/** An amount in öre, for exact comparison; null unless it is a valid SEK amount. */
function oreOf(amount: string | null | undefined): bigint | null {
  if (amount === null || amount === undefined || !rules.sek.safeParse(amount).success) return null;
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole!) * 100n + BigInt(`${fraction}00`.slice(0, 2));
}

/** The value after a patch: the patched one when given (null included), else the current one. */
const after = <T>(patched: T | undefined, current: T) => (patched === undefined ? current : patched);

// Grant programmes

const programmeFields = {
  name: rules.text(300),
  legalBasis: rules.text(300).nullish(),
  grantor: rules.globalId('Organisation').nullish(),
  description: rules.text(20_000).nullish(),
};
const createProgrammeRules = z.object({ ...programmeFields, topics: rules.list(rules.topics), citations: rules.list(rules.citations()) });
const programmePatchRules = z.object(programmeFields).partial().strict();

// Grants

interface GrantShape {
  hasRecipientRegion: boolean;
  hasRecipientOrganisation: boolean;
  amountSek: string | null | undefined;
  amountIsApproximate: boolean;
}

function grantRulesBroken(grant: GrantShape): Broken[] {
  const broken: Broken[] = [];
  if (!grant.hasRecipientRegion && !grant.hasRecipientOrganisation) {
    broken.push({ field: 'recipientRegion', message: 'a grant goes to a region (recipientRegion), an organisation (recipientOrganisation), or both' });
  }
  if (grant.amountIsApproximate && (grant.amountSek === null || grant.amountSek === undefined)) {
    broken.push({ field: 'amountIsApproximate', message: 'only an amount can be approximate: give amountSek too' });
  }
  return broken;
}

const grantFields = {
  programme: rules.globalId('GrantProgramme'),
  recipientRegion: rules.regionCode.nullish(),
  recipientOrganisation: rules.globalId('Organisation').nullish(),
  period: rules.period,
  amountSek: rules.sek.nullish(),
  status: z.enum(tables.grantStatus.enumValues),
  requisitionDueOn: rules.date.nullish(),
  description: rules.text(20_000).nullish(),
};

const createGrantRules = z
  .object({
    ...grantFields,
    amountIsApproximate: z
      .boolean()
      .nullish()
      .transform((value) => value ?? false),
    citations: rules.list(rules.citations()),
  })
  .superRefine((grant, context) => {
    for (const rule of grantRulesBroken({
      hasRecipientRegion: Boolean(grant.recipientRegion),
      hasRecipientOrganisation: Boolean(grant.recipientOrganisation),
      amountSek: grant.amountSek,
      amountIsApproximate: grant.amountIsApproximate,
    })) {
      context.addIssue({ code: 'custom', message: rule.message, path: [rule.field] });
    }
  });

const grantPatchRules = z.object({ ...grantFields, amountIsApproximate: z.boolean() }).partial().strict();

// Allocations

interface AllocationShape {
  grant?: string | null | undefined;
  programme?: string | null | undefined;
  amountSek?: string | null | undefined;
  rateSek?: string | null | undefined;
  rateMaxSek?: string | null | undefined;
  rateUnit?: string | null | undefined;
  capSek?: string | null | undefined;
  capUnit?: string | null | undefined;
}

const given = (value: string | null | undefined) => value !== null && value !== undefined;

function allocationRulesBroken(allocation: AllocationShape): Broken[] {
  const broken: Broken[] = [];
  if (!given(allocation.grant) && !given(allocation.programme)) {
    broken.push({ field: 'grant', message: 'money is passed on from a grant, a programme, or both: give grant or programme' });
  }
  if (!given(allocation.amountSek) && !given(allocation.rateSek) && !given(allocation.capSek)) {
    broken.push({ field: 'amountSek', message: 'an allocation needs an amount (amountSek), a rate (rateSek) or a ceiling (capSek)' });
  }
  if (given(allocation.rateSek) && !given(allocation.rateUnit)) {
    broken.push({ field: 'rateUnit', message: 'a rate needs its unit, e.g. "listed patient"' });
  }
  if (!given(allocation.rateSek) && given(allocation.rateUnit)) {
    broken.push({ field: 'rateUnit', message: 'a rate unit needs a rate (rateSek)' });
  }
  if (given(allocation.rateMaxSek)) {
    const low = oreOf(allocation.rateSek);
    const high = oreOf(allocation.rateMaxSek);
    if (!given(allocation.rateSek)) {
      broken.push({ field: 'rateMaxSek', message: 'the upper end of a rate range needs its lower end (rateSek)' });
    } else if (low !== null && high !== null && low > high) {
      broken.push({ field: 'rateMaxSek', message: 'the upper end of the rate range must not be below its lower end (rateSek)' });
    }
  }
  if (given(allocation.capSek) && !given(allocation.capUnit)) {
    broken.push({ field: 'capUnit', message: 'a ceiling needs its unit, e.g. "health centre and year"' });
  }
  if (!given(allocation.capSek) && given(allocation.capUnit)) {
    broken.push({ field: 'capUnit', message: 'a ceiling unit needs a ceiling (capSek)' });
  }
  return broken;
}

const allocationFields = {
  grant: rules.globalId('Grant').nullish(),
  programme: rules.globalId('GrantProgramme').nullish(),
  fromOrganisation: rules.globalId('Organisation').nullish(),
  recipientOrganisation: rules.globalId('Organisation').nullish(),
  recipientDescription: rules.text(1000).nullish(),
  region: rules.regionCode.nullish(),
  period: rules.period.nullish(),
  amountSek: rules.sek.nullish(),
  rateSek: rules.sek.nullish(),
  rateMaxSek: rules.sek.nullish(),
  rateUnit: rules.text(200).nullish(),
  capSek: rules.sek.nullish(),
  capUnit: rules.text(200).nullish(),
  paidOn: rules.date.nullish(),
  description: rules.text(20_000).nullish(),
};

const createAllocationRules = z
  .object({ ...allocationFields, citations: rules.list(rules.citations()) })
  .superRefine((allocation, context) => {
    for (const rule of allocationRulesBroken(allocation)) context.addIssue({ code: 'custom', message: rule.message, path: [rule.field] });
  });

const allocationPatchRules = z.object(allocationFields).partial().strict();

/** When both are named, the grant must be made under the programme. */
async function requireGrantUnderProgramme(writer: Writer, grantId: string | null, programmeId: string | null, path: (string | number)[]) {
  if (!grantId || !programmeId) return;
  const [grant] = await writer.tx.select({ programmeId: tables.grants.programmeId }).from(tables.grants).where(eq(tables.grants.id, grantId));
  if (grant && grant.programmeId !== programmeId) {
    throw new ValidationError([{ path, message: 'the grant is made under another programme; give the grant’s own programme or leave programme out' }]);
  }
}

/** Refuses to delete a source of money while live records are still recorded against it. */
async function requireNothingAgainst(writer: Writer, what: string, dependants: { label: string; count: () => Promise<number> }[]) {
  const counts = await Promise.all(dependants.map(async ({ label, count }) => ({ label, count: await count() })));
  const remaining = counts.filter(({ count }) => count > 0);
  if (remaining.length > 0) {
    throw new ValidationError([
      {
        path: ['id'],
        message: `the ${what} still has ${remaining.map(({ label, count }) => `${count} live ${label}`).join(' and ')}: delete those first`,
      },
    ]);
  }
}

async function liveCount(writer: Writer, table: typeof tables.grants | typeof tables.allocations, where: SQL) {
  const rows = await writer.tx.select({ id: table.id }).from(table).where(and(isNull(table.deletedAt), where));
  return rows.length;
}

/** Refuses to restore a record whose source of money is deleted. */
async function requireLiveSources(writer: Writer, sources: { entity: 'Grant' | 'GrantProgramme'; id: string | null }[]) {
  for (const { entity, id } of sources) {
    if (!id) continue;
    const table = entity === 'Grant' ? tables.grants : tables.grantProgrammes;
    const [row] = await writer.tx.select({ deletedAt: table.deletedAt }).from(table).where(eq(table.id, id));
    if (row?.deletedAt) {
      const name = entity === 'Grant' ? 'grant' : 'programme';
      throw new ValidationError([{ path: ['id'], message: `its ${name} is deleted: restore the ${name} first` }]);
    }
  }
}

const CreateGrantProgrammeInput = builder.inputType('CreateGrantProgrammeInput', {
  description: 'A grant programme (statsbidrag, satsning).',
  fields: (t) => ({
    name: t.string({ required: true, description: 'The name of the programme ("Statsbidrag för nära vård"), at most 300 characters.' }),
    legalBasis: t.string({ description: 'The legal basis: an ordinance ("SFS 2024:1253") or an agreement (överenskommelse).' }),
    grantor: t.id({ description: 'Who grants the money (Organisation ID).' }),
    description: t.string({ description: 'What the programme is for and how it works (at most 20 000 characters).' }),
    topics: t.stringList({ description: 'Topic slugs to tag the programme with.' }),
    citations: t.field({ type: [CitationInput], description: 'Passages supporting the programme record.' }),
  }),
});

const GrantProgrammePatch = builder.inputType('GrantProgrammePatch', {
  description: 'Fields of a grant programme to change; fields left out stay as they are, null clears an optional field.',
  fields: (t) => ({
    name: t.string({ description: 'New name.' }),
    legalBasis: t.string({ description: 'New legal basis.' }),
    grantor: t.id({ description: 'New grantor (Organisation ID).' }),
    description: t.string({ description: 'New description.' }),
  }),
});

const CreateGrantInput = builder.inputType('CreateGrantInput', {
  description: 'An amount granted under a programme to a region, an organisation or both, for a period.',
  fields: (t) => ({
    programme: t.id({ required: true, description: 'The programme the grant is made under (GrantProgramme ID).' }),
    recipientRegion: t.string({ description: 'SCB county code of the region that receives it ("07"); this or recipientOrganisation is required.' }),
    recipientOrganisation: t.id({ description: 'The organisation that receives it (Organisation ID).' }),
    period: t.field({ type: 'Period', required: true, description: 'The year, quarter or month the grant is for ("2025").' }),
    amountSek: t.string({
      description: 'The amount in SEK as a string, exact: digits with at most two decimals, not negative ("51900000", "148.50").',
    }),
    amountIsApproximate: t.boolean({ description: 'True when the records give the amount as approximate ("cirka 46 miljoner"); false if left out.' }),
    status: t.field({ type: GrantStatus, required: true, description: 'Requested, awarded or paid.' }),
    requisitionDueOn: t.field({ type: 'Date', description: 'The last day to requisition (rekvirera) the money.' }),
    description: t.string({ description: 'What the records say about the grant (at most 20 000 characters).' }),
    citations: t.field({ type: [CitationInput], description: 'Passages supporting the grant.' }),
  }),
});

const GrantPatch = builder.inputType('GrantPatch', {
  description:
    'Fields of a grant to change, e.g. its status as it moves from requested to awarded to paid; fields left out stay as they are, null clears an optional field.',
  fields: (t) => ({
    programme: t.id({ description: 'New programme (GrantProgramme ID).' }),
    recipientRegion: t.string({ description: 'New recipient region (SCB county code); null clears it.' }),
    recipientOrganisation: t.id({ description: 'New recipient organisation (Organisation ID); null clears it.' }),
    period: t.field({ type: 'Period', description: 'New period.' }),
    amountSek: t.string({ description: 'New amount in SEK as a string, at most two decimals, not negative; null clears it.' }),
    amountIsApproximate: t.boolean({ description: 'Whether the amount is approximate.' }),
    status: t.field({ type: GrantStatus, description: 'New status.' }),
    requisitionDueOn: t.field({ type: 'Date', description: 'New last day to requisition.' }),
    description: t.string({ description: 'New description.' }),
  }),
});

const allocationInputFields = {
  grant: 'The grant the money comes from (Grant ID); this or programme is required.',
  programme: 'The programme the money comes from (GrantProgramme ID); when grant is given too, it must be the grant’s programme.',
  fromOrganisation: 'The body that passes the money on (Organisation ID).',
  recipientOrganisation: 'The organisation that receives it, when it is one (Organisation ID).',
  recipientDescription: 'Who receives it when that is a group ("Vårdcentralerna i Region Kronoberg"), at most 1000 characters.',
  region: 'SCB county code of the region where the money is passed on ("07").',
  amountSek: 'A fixed amount in SEK as a string: at most two decimals, not negative ("30000000").',
  rateSek: 'A rate in SEK per `rateUnit` as a string ("148"); the lower end when the rate is a range. Needs rateUnit.',
  rateMaxSek: 'The upper end of a rate range ("44" in "4–44 SEK per listed patient"); needs rateSek, not below it.',
  rateUnit: 'What the rate is per ("listed patient").',
  capSek: 'A ceiling in SEK per `capUnit` as a string ("180000"). Needs capUnit.',
  capUnit: 'What the ceiling is per ("health centre and year").',
  description: 'What the allocation is for and its conditions (at most 20 000 characters).',
} as const;

const CreateAllocationInput = builder.inputType('CreateAllocationInput', {
  description:
    'Money passed on from a grant or a programme: a fixed amount, a rate (with its unit), or a ceiling (with its unit); at least one of the three.',
  fields: (t) => ({
    grant: t.id({ description: allocationInputFields.grant }),
    programme: t.id({ description: allocationInputFields.programme }),
    fromOrganisation: t.id({ description: allocationInputFields.fromOrganisation }),
    recipientOrganisation: t.id({ description: allocationInputFields.recipientOrganisation }),
    recipientDescription: t.string({ description: allocationInputFields.recipientDescription }),
    region: t.string({ description: allocationInputFields.region }),
    period: t.field({ type: 'Period', description: 'The year, quarter or month ("2024-09").' }),
    amountSek: t.string({ description: allocationInputFields.amountSek }),
    rateSek: t.string({ description: allocationInputFields.rateSek }),
    rateMaxSek: t.string({ description: allocationInputFields.rateMaxSek }),
    rateUnit: t.string({ description: allocationInputFields.rateUnit }),
    capSek: t.string({ description: allocationInputFields.capSek }),
    capUnit: t.string({ description: allocationInputFields.capUnit }),
    paidOn: t.field({ type: 'Date', description: 'When the money was paid out.' }),
    description: t.string({ description: allocationInputFields.description }),
    citations: t.field({ type: [CitationInput], description: 'Passages supporting the allocation.' }),
  }),
});

const AllocationPatch = builder.inputType('AllocationPatch', {
  description:
    'Fields of an allocation to change; fields left out stay as they are, null clears one. The result must still have a source, an amount, a rate or a ceiling, and units for its rate and ceiling.',
  fields: (t) => ({
    grant: t.id({ description: `New grant. ${allocationInputFields.grant}` }),
    programme: t.id({ description: `New programme. ${allocationInputFields.programme}` }),
    fromOrganisation: t.id({ description: `New ${allocationInputFields.fromOrganisation}` }),
    recipientOrganisation: t.id({ description: `New ${allocationInputFields.recipientOrganisation}` }),
    recipientDescription: t.string({ description: `New recipient description. ${allocationInputFields.recipientDescription}` }),
    region: t.string({ description: `New region. ${allocationInputFields.region}` }),
    period: t.field({ type: 'Period', description: 'New period.' }),
    amountSek: t.string({ description: `New amount. ${allocationInputFields.amountSek}` }),
    rateSek: t.string({ description: `New rate. ${allocationInputFields.rateSek}` }),
    rateMaxSek: t.string({ description: `New upper end of the rate. ${allocationInputFields.rateMaxSek}` }),
    rateUnit: t.string({ description: `New rate unit. ${allocationInputFields.rateUnit}` }),
    capSek: t.string({ description: `New ceiling. ${allocationInputFields.capSek}` }),
    capUnit: t.string({ description: `New ceiling unit. ${allocationInputFields.capUnit}` }),
    paidOn: t.field({ type: 'Date', description: 'New payment date.' }),
    description: t.string({ description: 'New description.' }),
  }),
});

builder.mutationFields((t) => ({
  createGrantProgramme: t.field({
    type: GrantProgramme,
    description: 'Records a grant programme with its topics and citations. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CreateGrantProgrammeInput, required: true, description: 'The programme.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(createProgrammeRules, args.input);
      return write(context, async (writer) => {
        await writer.requireLive([{ entity: 'Organisation', id: input.grantor, path: ['input', 'grantor'] }]);
        const programme = await writer.create<GrantProgrammeRow>('GrantProgramme', {
          name: input.name,
          legalBasis: input.legalBasis ?? null,
          grantorId: input.grantor ?? null,
          description: input.description ?? null,
        });
        await writer.tag('GrantProgramme', programme.id, input.topics, ['input', 'topics']);
        await writer.cite('GrantProgramme', programme.id, input.citations, ['input', 'citations']);
        return programme;
      });
    },
  }),
  updateGrantProgramme: t.field({
    type: GrantProgramme,
    description: 'Changes fields of a grant programme. `version` must be the one you read: a stale version is a ConflictError.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      id: t.arg.id({ required: true, description: 'The programme.' }),
      version: t.arg.int({ required: true, description: 'The version you last read (`version` field).' }),
      patch: t.arg({ type: GrantProgrammePatch, required: true, description: 'The fields to change.' }),
    },
    resolve: async (_root, args, context) => {
      const id = parseInput(rules.globalId('GrantProgramme'), args.id, ['id']);
      const patch = parseInput(programmePatchRules, stripUndefined(args.patch), ['patch']);
      return write(context, async (writer) => {
        await writer.requireLive([{ entity: 'Organisation', id: patch.grantor, path: ['patch', 'grantor'] }]);
        const { grantor, ...rest } = patch;
        return writer.update<GrantProgrammeRow>('GrantProgramme', id, args.version, {
          ...rest,
          ...(grantor !== undefined ? { grantorId: grantor } : {}),
        });
      });
    },
  }),
  deleteGrantProgramme: deleteField(t, {
    ref: GrantProgramme,
    description:
      'Deletes a grant programme (a tombstone; an admin can restore it). Refused while live grants or allocations are recorded under it: delete those first.',
    idDescription: 'The programme.',
    beforeDelete: async (writer, { id }) => {
      await requireNothingAgainst(writer, 'programme', [
        { label: 'grants', count: () => liveCount(writer, tables.grants, eq(tables.grants.programmeId, id)) },
        { label: 'allocations', count: () => liveCount(writer, tables.allocations, eq(tables.allocations.programmeId, id)) },
      ]);
    },
  }),
  restoreGrantProgramme: restoreField(t, {
    ref: GrantProgramme,
    description: 'Brings back a deleted grant programme. Needs the `admin` scope.',
    idDescription: 'The deleted programme.',
  }),

  createGrant: t.field({
    type: Grant,
    description: 'Records an amount granted under a programme, with its citations. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CreateGrantInput, required: true, description: 'The grant.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(createGrantRules, args.input);
      return write(context, async (writer) => {
        await writer.requireLive([
          { entity: 'GrantProgramme', id: input.programme, path: ['input', 'programme'] },
          { entity: 'Organisation', id: input.recipientOrganisation, path: ['input', 'recipientOrganisation'] },
        ]);
        const regionId = await writer.regionId(input.recipientRegion, ['input', 'recipientRegion']);
        const grant = await writer.create<GrantRow>('Grant', {
          programmeId: input.programme,
          recipientRegionId: regionId ?? null,
          recipientOrganisationId: input.recipientOrganisation ?? null,
          period: input.period,
          amountSek: input.amountSek ?? null,
          amountIsApproximate: input.amountIsApproximate,
          status: input.status,
          requisitionDueOn: input.requisitionDueOn ?? null,
          description: input.description ?? null,
        });
        await writer.cite('Grant', grant.id, input.citations, ['input', 'citations']);
        return grant;
      });
    },
  }),
  updateGrant: t.field({
    type: Grant,
    description:
      'Changes fields of a grant, e.g. its status from REQUESTED to AWARDED to PAID. `version` must be the one you read: a stale version is a ConflictError.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      id: t.arg.id({ required: true, description: 'The grant.' }),
      version: t.arg.int({ required: true, description: 'The version you last read (`version` field).' }),
      patch: t.arg({ type: GrantPatch, required: true, description: 'The fields to change.' }),
    },
    resolve: async (_root, args, context) => {
      const id = parseInput(rules.globalId('Grant'), args.id, ['id']);
      const patch = parseInput(grantPatchRules, stripUndefined(args.patch), ['patch']);
      return write(context, async (writer) => {
        const current = await writer.currentAt<GrantRow>('Grant', id, args.version);
        await writer.requireLive([
          { entity: 'GrantProgramme', id: patch.programme, path: ['patch', 'programme'] },
          { entity: 'Organisation', id: patch.recipientOrganisation, path: ['patch', 'recipientOrganisation'] },
        ]);
        const regionId = await writer.regionId(patch.recipientRegion, ['patch', 'recipientRegion']);
        refuse(
          grantRulesBroken({
            hasRecipientRegion: Boolean(after(regionId, current.recipientRegionId)),
            hasRecipientOrganisation: Boolean(after(patch.recipientOrganisation, current.recipientOrganisationId)),
            amountSek: after(patch.amountSek, current.amountSek),
            amountIsApproximate: after(patch.amountIsApproximate, current.amountIsApproximate),
          }),
          'patch',
        );
        const { programme, recipientRegion: _region, recipientOrganisation, ...rest } = patch;
        return writer.update<GrantRow>('Grant', id, args.version, {
          ...rest,
          ...(programme !== undefined ? { programmeId: programme } : {}),
          ...(regionId !== undefined ? { recipientRegionId: regionId } : {}),
          ...(recipientOrganisation !== undefined ? { recipientOrganisationId: recipientOrganisation } : {}),
        });
      });
    },
  }),
  deleteGrant: deleteField(t, {
    ref: Grant,
    description:
      'Deletes a grant (a tombstone; an admin can restore it). Refused while live allocations are recorded against it: delete those first.',
    idDescription: 'The grant.',
    beforeDelete: async (writer, { id }) => {
      await requireNothingAgainst(writer, 'grant', [
        { label: 'allocations', count: () => liveCount(writer, tables.allocations, eq(tables.allocations.grantId, id)) },
      ]);
    },
  }),
  restoreGrant: restoreField(t, {
    ref: Grant,
    description: 'Brings back a deleted grant; its programme must be live. Needs the `admin` scope.',
    idDescription: 'The deleted grant.',
    afterRestore: (writer, grant) => requireLiveSources(writer, [{ entity: 'GrantProgramme', id: grant.programmeId }]),
  }),

  createAllocation: t.field({
    type: Allocation,
    description:
      'Records money passed on from a grant or a programme: an amount, a rate or a ceiling, with its citations. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CreateAllocationInput, required: true, description: 'The allocation.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(createAllocationRules, args.input);
      return write(context, async (writer) => {
        await writer.requireLive([
          { entity: 'Grant', id: input.grant, path: ['input', 'grant'] },
          { entity: 'GrantProgramme', id: input.programme, path: ['input', 'programme'] },
          { entity: 'Organisation', id: input.fromOrganisation, path: ['input', 'fromOrganisation'] },
          { entity: 'Organisation', id: input.recipientOrganisation, path: ['input', 'recipientOrganisation'] },
        ]);
        await requireGrantUnderProgramme(writer, input.grant ?? null, input.programme ?? null, ['input', 'programme']);
        const regionId = await writer.regionId(input.region, ['input', 'region']);
        const allocation = await writer.create<AllocationRow>('Allocation', {
          grantId: input.grant ?? null,
          programmeId: input.programme ?? null,
          fromOrganisationId: input.fromOrganisation ?? null,
          recipientOrganisationId: input.recipientOrganisation ?? null,
          recipientDescription: input.recipientDescription ?? null,
          regionId: regionId ?? null,
          period: input.period ?? null,
          amountSek: input.amountSek ?? null,
          rateSek: input.rateSek ?? null,
          rateMaxSek: input.rateMaxSek ?? null,
          rateUnit: input.rateUnit ?? null,
          capSek: input.capSek ?? null,
          capUnit: input.capUnit ?? null,
          paidOn: input.paidOn ?? null,
          description: input.description ?? null,
        });
        await writer.cite('Allocation', allocation.id, input.citations, ['input', 'citations']);
        return allocation;
      });
    },
  }),
  updateAllocation: t.field({
    type: Allocation,
    description:
      'Changes fields of an allocation; the result must still satisfy the rules of a new one. `version` must be the one you read.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      id: t.arg.id({ required: true, description: 'The allocation.' }),
      version: t.arg.int({ required: true, description: 'The version you last read (`version` field).' }),
      patch: t.arg({ type: AllocationPatch, required: true, description: 'The fields to change.' }),
    },
    resolve: async (_root, args, context) => {
      const id = parseInput(rules.globalId('Allocation'), args.id, ['id']);
      const patch = parseInput(allocationPatchRules, stripUndefined(args.patch), ['patch']);
      return write(context, async (writer) => {
        const current = await writer.currentAt<AllocationRow>('Allocation', id, args.version);
        await writer.requireLive([
          { entity: 'Grant', id: patch.grant, path: ['patch', 'grant'] },
          { entity: 'GrantProgramme', id: patch.programme, path: ['patch', 'programme'] },
          { entity: 'Organisation', id: patch.fromOrganisation, path: ['patch', 'fromOrganisation'] },
          { entity: 'Organisation', id: patch.recipientOrganisation, path: ['patch', 'recipientOrganisation'] },
        ]);
        const grantId = after(patch.grant, current.grantId);
        const programmeId = after(patch.programme, current.programmeId);
        refuse(
          allocationRulesBroken({
            grant: grantId,
            programme: programmeId,
            amountSek: after(patch.amountSek, current.amountSek),
            rateSek: after(patch.rateSek, current.rateSek),
            rateMaxSek: after(patch.rateMaxSek, current.rateMaxSek),
            rateUnit: after(patch.rateUnit, current.rateUnit),
            capSek: after(patch.capSek, current.capSek),
            capUnit: after(patch.capUnit, current.capUnit),
          }),
          'patch',
        );
        await requireGrantUnderProgramme(writer, grantId, programmeId, ['patch', patch.programme !== undefined ? 'programme' : 'grant']);
        const regionId = await writer.regionId(patch.region, ['patch', 'region']);
        const { grant, programme, fromOrganisation, recipientOrganisation, region: _region, ...rest } = patch;
        return writer.update<AllocationRow>('Allocation', id, args.version, {
          ...rest,
          ...(grant !== undefined ? { grantId: grant } : {}),
          ...(programme !== undefined ? { programmeId: programme } : {}),
          ...(fromOrganisation !== undefined ? { fromOrganisationId: fromOrganisation } : {}),
          ...(recipientOrganisation !== undefined ? { recipientOrganisationId: recipientOrganisation } : {}),
          ...(regionId !== undefined ? { regionId } : {}),
        });
      });
    },
  }),
  deleteAllocation: deleteField(t, {
    ref: Allocation,
    description: 'Deletes an allocation (a tombstone: it leaves the lists, shows in `updatedSince` with `deletedAt`; an admin can restore it).',
    idDescription: 'The allocation.',
  }),
  restoreAllocation: restoreField(t, {
    ref: Allocation,
    description: 'Brings back a deleted allocation; its grant and programme must be live. Needs the `admin` scope.',
    idDescription: 'The deleted allocation.',
    afterRestore: (writer, allocation) =>
      requireLiveSources(writer, [
        { entity: 'Grant', id: allocation.grantId },
        { entity: 'GrantProgramme', id: allocation.programmeId },
      ]),
  }),
}));

// Allocation.programme falls back to the grant's programme, so it reads `grantId` as well.
fieldReads(tables.allocations, 'programme', ['programmeId', 'grantId']);

// ---------------------------------------------------------------------------------------------
// Export: /export/grants.csv and .ndjson, with the filter of `grants`

registerExport({
  name: 'grants',
  description: 'Grants (statsbidrag): one row per grant, with its programme, recipient, period, amount in SEK and status.',
  table: tables.grants,
  references: [tables.grantProgrammes, tables.organisations],
  parameters: {
    region: { ...regionParameter, description: 'Granted to this region: SCB county code ("07") or name ("Kronoberg").' },
    recipientOrganisation: organisationParameter('Granted to this organisation'),
    programme: { kind: 'id', types: ['GrantProgramme'], description: 'Under this programme (a GrantProgramme ID).' },
    status: { kind: 'list', values: tables.grants.status.enumValues, description: 'Any of these statuses, comma-separated.' },
    from: { kind: 'period', argument: 'periodFrom', description: 'Periods starting in or after this one ("2025").' },
    to: { kind: 'period', argument: 'periodTo', description: 'Periods starting in or before this one ("2024" includes its quarters and months).' },
    ...lifecycleParameters,
  },
  filter: (values): GrantFilterShape => ({
    region: values.region ?? null,
    recipientOrganisation: values.recipientOrganisation ?? null,
    programme: values.programme ?? null,
    status: (values.status as GrantFilterShape['status']) ?? null,
    periodFrom: values.from ?? null,
    periodTo: values.to ?? null,
    ...lifecycleFilter(values),
  }),
  where: grantConditions,
  keys: [tables.grants.id],
  columns: () => {
    const g = tables.grants;
    return [
      idColumn('id', g.id, 'Grant'),
      idColumn('programme', g.programmeId, 'GrantProgramme'),
      { name: 'programme_name', value: g.programmeId, lookup: { key: tables.grantProgrammes.id, value: tables.grantProgrammes.name } },
      { name: 'recipient_region', value: g.recipientRegionId, lookup: { key: tables.regions.id, value: tables.regions.code } },
      idColumn('recipient_organisation', g.recipientOrganisationId, 'Organisation'),
      { name: 'recipient_organisation_name', value: g.recipientOrganisationId, lookup: { key: tables.organisations.id, value: tables.organisations.name } },
      { name: 'period', value: g.period },
      { name: 'amount_sek', value: g.amountSek, json: 'number' },
      { name: 'amount_is_approximate', value: g.amountIsApproximate, json: 'boolean' },
      { name: 'status', value: g.status },
      { name: 'requisition_due_on', value: g.requisitionDueOn },
      { name: 'description', value: g.description },
      ...bookkeepingColumns(g),
    ];
  },
});
