import { OBSERVATION_CSV_COLUMNS, observationMerge, selectRows, tables } from '@naravard/db';
import DataLoader from 'dataloader';
import { and, asc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { actorOf } from '../auth.ts';
import { builder } from '../builder.ts';
import { selectedFields } from '../selection.ts';
import type { Context } from '../context.ts';
import { databaseEnum } from '../enums.ts';
import { BadInputError, type FieldIssue, NotFoundError, ValidationError } from '../errors.ts';
import { allOf, takesNames, filterId, lifecycleConditions, lifecycleFilterFields, regionIs, resolveFilterNames, taggedWith, textMatches } from '../filters.ts';
import { loadChildren, loadReference } from '../loaders.ts';
import { deleteField, restoreField } from '../mutation-fields.ts';
import { type ExportParameter, globalIdOf, isoTime, lifecycleFilter, organisationParameter, regionParameter, registerExport } from '../exports.ts';
import { entityNode, taggedEntityNode } from '../nodes.ts';
import { filteredList, type OrderKey, paginateTable } from '../pagination.ts';
import { parseInput, rules, stripUndefined, type Writer, write } from '../writes.ts';
import { WRITE_ERRORS } from './errors.ts';
import { CitationInput } from './provenance.ts';
import {
  Indicator,
  type IndicatorRow,
  IndicatorTarget,
  type IndicatorTargetRow,
  Observation,
  type ObservationRow,
  Organisation,
  type OrganisationRow,
  Region,
  type RegionRow,
} from './refs.ts';

/*
 * Indicators (indikatorer), their targets (målvärden) and their observations (utfall), for BI
 * tools. Three ways to read values:
 *
 * - `observations`: the flat, paged list of stored values, one row per indicator, subject, period
 *   and set of dimensions. For copies into Power BI and notebooks; `updatedSince` with
 *   `orderBy: UPDATED_AT` refreshes a copy incrementally (deleted rows come back with `deletedAt`).
 * - `Indicator.series`: one line of a chart, the stored points of one subject and one exact set of
 *   dimensions, ordered by period.
 * - `observationAggregates`: count, sum, avg, min and max computed in SQL on exact numerics,
 *   grouped by region, organisation, period (year, quarter, month) and named dimensions.
 *
 * Totals and their breakdowns are stored side by side: the Halland SIP table has the total per
 * setting ({"setting": "home_care"}) next to its parts ({"ownership": "public", "setting":
 * "home_care"} and "private"). Adding up "all observations" therefore counts every meeting twice.
 * The dimension filter can require a dimension to be present or absent
 * (`{ name: "ownership", present: false }` keeps only the totals), and every aggregate group shows
 * the sets of dimension names it added up (`dimensionSets`), so a mix is visible.
 */

// ---------------------------------------------------------------------------------------------
// Enums

const IndicatorDirection = databaseEnum('IndicatorDirection', 'Which way an indicator should move.', {
  higher_is_better: 'A higher value is better (e.g. a continuity index).',
  lower_is_better: 'A lower value is better (e.g. days of waiting, inhabitants per doctor).',
  neutral: 'Neither direction is better in itself (e.g. a volume such as SIP meetings held).',
});

const TargetComparator = databaseEnum('TargetComparator', 'How a value is compared with a target value.', {
  at_most: 'The value should be at most the target (≤), e.g. "at most 1,100 inhabitants per doctor".',
  at_least: 'The value should be at least the target (≥).',
  equal: 'The value should equal the target.',
});

const PeriodGrain = databaseEnum('PeriodGrain', 'The length of a reporting period.', {
  year: 'A calendar year ("2018").',
  quarter: 'A calendar quarter ("2018-Q2": April to June).',
  month: 'A calendar month ("2018-05").',
});

type Grain = 'year' | 'quarter' | 'month';

/** Finer grains have lower ranks. */
const GRAIN_RANK: Record<Grain, number> = { month: 1, quarter: 2, year: 3 };

/** Finest first. */
const byGrain = (a: Grain, b: Grain) => GRAIN_RANK[a] - GRAIN_RANK[b];

// ---------------------------------------------------------------------------------------------
// Periods

const PERIOD_PARTS = /^([0-9]{4})(?:-Q([1-4])|-([0-9]{2}))?$/;

const isoDate = (year: number, month: number) => `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;

/** The first day of a period ("2018-Q2" → "2018-04-01") and the first day after it ("2018-07-01"). */
function periodBounds(period: string): { start: string; end: string } {
  const match = PERIOD_PARTS.exec(period);
  if (!match) throw new BadInputError(`Period must be YYYY, YYYY-Qn or YYYY-MM, got "${period}"`);
  const year = Number(match[1]);
  const [firstMonth, months] = match[2] ? [(Number(match[2]) - 1) * 3 + 1, 3] : match[3] ? [Number(match[3]), 1] : [1, 12];
  const after = firstMonth - 1 + months; // months from January to the month after the period
  return { start: isoDate(year, firstMonth), end: isoDate(year + Math.floor(after / 12), (after % 12) + 1) };
}

/** The period a first day and a grain name: ("2018-04-01", quarter) → "2018-Q2". */
function periodOf(start: string, grain: Grain): string {
  const year = start.slice(0, 4);
  const month = Number(start.slice(5, 7));
  if (grain === 'year') return year;
  if (grain === 'quarter') return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
  return `${year}-${start.slice(5, 7)}`;
}

/** Observations whose period starts within [start of `from`, end of `to`]: a year includes its months. */
function periodConditions(from: string | null | undefined, to: string | null | undefined): SQL[] {
  const o = tables.observations;
  const conditions: SQL[] = [];
  const start = from ? periodBounds(from).start : undefined;
  const end = to ? periodBounds(to).end : undefined;
  if (start && end && start >= end) {
    throw new BadInputError(`"periodFrom" (${from}) must not come after "periodTo" (${to})`, 'periodFrom');
  }
  if (start) conditions.push(sql`${o.periodStart} >= ${start}::date`);
  if (end) conditions.push(sql`${o.periodStart} < ${end}::date`);
  return conditions;
}

// ---------------------------------------------------------------------------------------------
// Output types for dimensions and series points

interface DimensionShape {
  name: string;
  value: string;
}

const Dimension = builder.objectRef<DimensionShape>('Dimension').implement({
  description:
    'One dimension of an observation (a breakdown, nedbrytning): its name and value, e.g. ownership = "private" or setting = "home_care".',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The dimension, e.g. "ownership" (driftsform) or "setting".' }),
    value: t.exposeString('value', { description: 'Its value for this observation, e.g. "public" or "joint_planning".' }),
  }),
});

/** The dimensions of an observation as a list sorted by name. */
const dimensionList = (dimensions: Record<string, string>): DimensionShape[] =>
  Object.entries(dimensions)
    .map(([name, value]) => ({ name, value: String(value) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** A series point is backed by its observation. */
const SeriesPoint = builder.objectRef<ObservationRow>('SeriesPoint').implement({
  description:
    'One point of a series (tidsserie): a period and its value, ready for a chart, with the observation behind it for sources and bookkeeping.',
  fields: (t) => ({
    period: t.expose('period', { type: 'Period', description: 'The period of the point ("2018-05").' }),
    periodGrain: t.field({
      type: PeriodGrain,
      description: 'The length of the period.',
      resolve: (row) => row.periodGrain as Grain,
    }),
    periodStart: t.field({
      type: 'Date',
      description: 'The first day of the period: the x value of a time axis.',
      resolve: (row) => row.periodStart as string,
    }),
    value: t.expose('value', { type: 'Decimal', description: 'The value, exact.' }),
    observation: t.field({
      type: Observation,
      description: 'The stored observation: its citations, dimensions and change times.',
      resolve: (row) => row,
    }),
  }),
});

// ---------------------------------------------------------------------------------------------
// Filters

type FieldBuilder = PothosSchemaTypes.InputFieldBuilder<
  typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never,
  'InputObject'
>;

const DimensionFilter = builder.inputType('DimensionFilter', {
  description: [
    'A condition on one dimension of an observation.',
    '- `{ name, value }`: the dimension has this value (`{ name: "ownership", value: "private" }`).',
    '- `{ name }` or `{ name, present: true }`: the dimension is there, with any value.',
    '- `{ name, present: false }`: the dimension is absent. Totals are stored without the dimension they',
    '  sum over, so `{ name: "ownership", present: false }` keeps the SIP totals and drops the',
    '  public/private breakdown, and `present: true` does the reverse: use one or the other when',
    '  adding values up, or every meeting is counted twice.',
  ].join('\n'),
  fields: (t) => ({
    name: t.string({ required: true, description: 'The dimension name ("ownership", "setting").' }),
    value: t.string({ description: 'The value it must have. Leave out to test presence only.' }),
    present: t.boolean({
      description: 'true (the default): the observation has this dimension; false: it has not. Cannot be false with a value.',
    }),
  }),
});

const DimensionInput = builder.inputType('DimensionInput', {
  description: 'A dimension and its value, e.g. setting = "home_care".',
  fields: (t) => ({
    name: t.string({ required: true, description: 'The dimension name.' }),
    value: t.string({ required: true, description: 'Its value.' }),
  }),
});

/** The fields of the observation filter, except `indicator`: shared by the root list and Indicator.observations. */
const observationFilterFields = (t: FieldBuilder) => ({
  region: t.string({ description: 'Observations of this region: SCB county code ("13") or name ("Halland").' }),
  organisation: t.id({ ...takesNames, description: 'Observations of this organisation (its Organisation ID or name), e.g. a health centre.' }),
  periodFrom: t.field({
    type: 'Period',
    description: 'Periods starting on or after the start of this period ("2018-05" from 1 May 2018; "2018" from 1 January 2018).',
  }),
  periodTo: t.field({
    type: 'Period',
    description:
      'Periods starting before the end of this period: "2018" includes every month and quarter of 2018, "2018-Q2" includes April to June. Periods are compared by their first day.',
  }),
  grain: t.field({
    type: PeriodGrain,
    description: 'Only periods of this length. Use it when an indicator has both yearly and monthly values, so they are not mixed.',
  }),
  dimensions: t.field({
    type: [DimensionFilter],
    description:
      'Conditions on dimensions; all must hold. Value conditions use the dimensions index (jsonb containment). See DimensionFilter for totals versus breakdowns.',
  }),
  ...lifecycleFilterFields(t),
});

const ObservationFilter = builder.inputType('ObservationFilter', {
  description: 'Narrows a list of observations. Conditions combine with AND.',
  fields: (t) => ({
    indicator: t.stringList({ description: 'Observations of any of these indicators, by code ("SIP_MEETINGS").' }),
    ...observationFilterFields(t),
  }),
});

const IndicatorObservationFilter = builder.inputType('IndicatorObservationFilter', {
  description: "Narrows an indicator's observations: the observation filter without `indicator`. Conditions combine with AND.",
  fields: (t) => observationFilterFields(t),
});

type IndicatorObservationFilterShape = typeof IndicatorObservationFilter.$inferInput;
type ObservationFilterShape = IndicatorObservationFilterShape & { indicator?: readonly string[] | null };
type DimensionFilterShape = typeof DimensionFilter.$inferInput;

/**
 * Dimension conditions. Every value condition goes into one containment test
 * (`dimensions @> '{"ownership":"private"}'`), which the GIN index on `dimensions` answers;
 * presence uses `?`, which the same index answers too.
 */
function dimensionConditions(filters: readonly DimensionFilterShape[] | null | undefined): SQL[] {
  const o = tables.observations;
  const contained: Record<string, string> = {};
  const conditions: SQL[] = [];
  for (const filter of filters ?? []) {
    if (!filter.name) throw new BadInputError('A dimension filter needs a non-empty "name"', 'dimensions');
    if (filter.value !== null && filter.value !== undefined) {
      if (filter.present === false) {
        throw new BadInputError(
          `Dimension "${filter.name}": a value and "present: false" contradict each other`,
          'dimensions',
        );
      }
      if (filter.name in contained && contained[filter.name] !== filter.value) {
        conditions.push(sql`false`); // one dimension cannot have two values
      }
      contained[filter.name] = filter.value;
    } else if (filter.present === false) {
      conditions.push(sql`not (${o.dimensions} ? ${filter.name})`);
    } else {
      conditions.push(sql`${o.dimensions} ? ${filter.name}`);
    }
  }
  if (Object.keys(contained).length > 0) conditions.unshift(sql`${o.dimensions} @> ${JSON.stringify(contained)}::jsonb`);
  return conditions;
}

const indicatorIdByCodes = (codes: readonly string[]) =>
  sql`(select ${tables.indicators.id} from ${tables.indicators} where ${tables.indicators.code} in (${sql.join(
    codes.map((code) => sql`${code}`),
    sql`, `,
  )}))`;

/** The conditions of an observation filter, lifecycle included. */
function observationConditions(filter: ObservationFilterShape | null | undefined): SQL | undefined {
  const o = tables.observations;
  const organisation = filterId(filter?.organisation, 'Organisation', 'organisation');
  const codes = filter?.indicator;
  return allOf([
    ...lifecycleConditions(o, filter),
    codes ? (codes.length ? sql`${o.indicatorId} in ${indicatorIdByCodes(codes)}` : sql`false`) : undefined,
    regionIs(o.regionId, filter?.region),
    organisation ? eq(o.organisationId, organisation) : undefined,
    ...periodConditions(filter?.periodFrom, filter?.periodTo),
    filter?.grain ? eq(o.periodGrain, filter.grain) : undefined,
    ...dimensionConditions(filter?.dimensions),
  ]);
}

const ObservationOrder = builder.enumType('ObservationOrder', {
  description: 'Orders of an observation list; ties are broken by ID so paging is stable.',
  values: {
    PERIOD: { description: 'By the first day of the period, oldest first (the default).' },
    PERIOD_DESC: { description: 'By the first day of the period, newest first.' },
    UPDATED_AT: { description: 'By last change, oldest first: the order for incremental refresh with `updatedSince`.' },
  },
});

function observationOrder(order: string | null | undefined): OrderKey[] {
  const o = tables.observations;
  if (order === 'UPDATED_AT') return [{ column: o.updatedAt, direction: 'asc' }];
  if (order === 'PERIOD_DESC') return [{ column: o.periodStart, direction: 'desc' }];
  return [{ column: o.periodStart, direction: 'asc' }];
}

const observationList = filteredList<ObservationRow, ObservationFilterShape>({ table: tables.observations, where: observationConditions, order: observationOrder });

const observationListArgs = builder.args((t) => ({
  filter: t.field({ type: ObservationFilter, description: 'Which observations.' }),
  orderBy: t.field({ type: ObservationOrder, defaultValue: 'PERIOD', description: 'In which order.' }),
}));

const indicatorObservationArgs = builder.args((t) => ({
  filter: t.field({ type: IndicatorObservationFilter, description: 'Which of the indicator’s observations.' }),
  orderBy: t.field({ type: ObservationOrder, defaultValue: 'PERIOD', description: 'In which order.' }),
}));

// ---------------------------------------------------------------------------------------------
// Series

interface SeriesArgs {
  region?: string | null;
  organisation?: { typename: string; id: string } | null;
  dimensions?: readonly { name: string; value: string }[] | null;
  periodFrom?: string | null;
  periodTo?: string | null;
  grain?: Grain | null;
}

/**
 * The points of one series of many indicators in one statement: one subject, exactly the given
 * dimensions (containment for the index, equality for exactness), ordered by period.
 */
function seriesLoader(context: Context, args: SeriesArgs) {
  const o = tables.observations;
  const organisation = filterId(args.organisation, 'Organisation', 'organisation');
  if (!args.region === !organisation) {
    throw new BadInputError('A series is of one subject: give either "region" or "organisation"', args.region ? 'organisation' : 'region');
  }
  const dimensions: Record<string, string> = {};
  for (const { name, value } of args.dimensions ?? []) {
    if (name in dimensions) throw new BadInputError(`Dimension "${name}" is given twice`, 'dimensions');
    dimensions[name] = value;
  }
  const exact = JSON.stringify(dimensions);
  const where = allOf([
    isNull(o.deletedAt),
    regionIs(o.regionId, args.region),
    organisation ? eq(o.organisationId, organisation) : undefined,
    sql`${o.dimensions} @> ${exact}::jsonb`,
    sql`${o.dimensions} = ${exact}::jsonb`,
    ...periodConditions(args.periodFrom, args.periodTo),
    args.grain ? eq(o.periodGrain, args.grain) : undefined,
  ]);
  const key = JSON.stringify([args.region ?? null, organisation ?? null, dimensions, args.periodFrom, args.periodTo, args.grain]);
  return context.loader(
    `indicatorSeries:${key}`,
    () =>
      new DataLoader<string, ObservationRow[]>(async (indicatorIds) => {
        const rows = await context.db
          .select()
          .from(o)
          .where(and(sql`${o.indicatorId} in (${sql.join([...new Set(indicatorIds)].map((id) => sql`${id}::uuid`), sql`, `)})`, where))
          .orderBy(asc(o.indicatorId), asc(o.periodStart), asc(o.period));
        const byIndicator = new Map<string, ObservationRow[]>();
        for (const row of rows) {
          const list = byIndicator.get(row.indicatorId);
          if (list) list.push(row);
          else byIndicator.set(row.indicatorId, [row]);
        }
        return indicatorIds.map((id) => {
          const points = byIndicator.get(id) ?? [];
          const grains = [...new Set(points.map((point) => point.periodGrain as Grain))].sort(byGrain);
          if (grains.length > 1) {
            return new BadInputError(
              `This series has periods of more than one length (${grains.join(', ')}); choose one with "grain"`,
              'grain',
            );
          }
          return points;
        });
      }),
  );
}

// ---------------------------------------------------------------------------------------------
// Indicator, target, observation

builder.node(Indicator, {
  ...taggedEntityNode<IndicatorRow>(tables.indicators),
  description:
    'An indicator (indikator, nyckeltal) the reform is followed by: SIP meetings held per month, days to a medical assessment, inhabitants per doctor.',
  fields: (t) => ({
    code: t.exposeString('code', {
      description: 'The stable code of the indicator ("SIP_MEETINGS"): use it in filters and to join in BI tools.',
    }),
    name: t.exposeString('name', { description: 'The name, in Swedish as the sources give it ("Genomförda SIP-möten").' }),
    description: t.exposeString('description', { nullable: true, description: 'What is counted or measured, and how.' }),
    unit: t.exposeString('unit', { description: 'What a value counts ("meetings", "days", "inhabitants per doctor").' }),
    direction: t.expose('direction', { type: IndicatorDirection, description: 'Which way the indicator should move.' }),
    sourceSystem: t.exposeString('sourceSystem', {
      nullable: true,
      description: 'The system the values come from ("Nationella väntetidsdatabasen"), when known.',
    }),
    koladaKpiId: t.exposeString('koladaKpiId', {
      nullable: true,
      description: 'The Kolada KPI id ("N79050") where the indicator exists in Kolada.',
    }),
    targets: t.field({
      type: [IndicatorTarget],
      description: 'The targets (målvärden) set for the indicator, national and regional, earliest validity first.',
      resolve: (indicator, _args, context) =>
        loadChildren<IndicatorTargetRow>(
          context,
          {
            table: tables.indicatorTargets,
            foreignKey: tables.indicatorTargets.indicatorId,
            orderBy: [
              sql`${tables.indicatorTargets.validFrom} asc nulls first`,
              asc(tables.indicatorTargets.id),
            ],
          },
          indicator.id,
        ),
    }),
    observations: t.connection({
      type: Observation,
      description: "The indicator's stored values, filtered like the root `observations` list.",
      args: indicatorObservationArgs,
      resolve: (indicator, args, context, info) => observationList.pageOf(context, tables.observations.indicatorId, indicator.id, args, info),
    }),
    series: t.field({
      type: [SeriesPoint],
      description: [
        'One series (tidsserie) of the indicator, ordered by period: the values of one subject (a region or an',
        'organisation) for exactly one set of dimensions. `dimensions: [{ name: "setting", value: "home_care" }]`',
        'gives the stored totals for home care, not the public/private breakdown (that series has both',
        'dimensions). Points, not observations, because a chart needs only (period, value); each point',
        'links its observation for sources. If the series has periods of more than one length, `grain`',
        'must choose one, so a year is never drawn between two months.',
      ].join(' '),
      args: {
        region: t.arg.string({ description: 'The region: SCB county code ("13") or name ("Halland"). Give this or `organisation`.' }),
        organisation: t.arg.id({ ...takesNames, description: 'The organisation: its Organisation ID or name. Give this or `region`.' }),
        dimensions: t.arg({
          type: [DimensionInput],
          description: 'The exact dimensions of the series; leave out for observations without dimensions.',
        }),
        periodFrom: t.arg({ type: 'Period', description: 'Periods starting on or after the start of this period.' }),
        periodTo: t.arg({ type: 'Period', description: 'Periods starting before the end of this period ("2018" includes its months).' }),
        grain: t.arg({ type: PeriodGrain, description: 'Only periods of this length.' }),
      },
      resolve: async (indicator, args, context) => seriesLoader(context, (await resolveFilterNames(context, args, '')) as SeriesArgs).load(indicator.id),
    }),
  }),
});

builder.node(IndicatorTarget, {
  ...entityNode<IndicatorTargetRow>(tables.indicatorTargets),
  description:
    'A target (målvärde) for an indicator: "at most 1,100 inhabitants per doctor", "a medical assessment within 3 days".',
  fields: (t) => ({
    indicator: t.field({
      type: Indicator,
      description: 'The indicator the target is for.',
      resolve: async (target, _args, context, info) =>
        (await loadReference<IndicatorRow>(context, tables.indicators, target.indicatorId, info))!,
    }),
    comparator: t.expose('comparator', { type: TargetComparator, description: 'How a value is compared with `value`.' }),
    value: t.expose('value', { type: 'Decimal', description: 'The target value, exact, in the unit of the indicator.' }),
    region: t.field({
      type: Region,
      nullable: true,
      description: 'The region that set the target; null for a national target.',
      resolve: (target, _args, context, info) => loadReference<RegionRow>(context, tables.regions, target.regionId, info),
    }),
    validFrom: t.expose('validFrom', {
      type: 'Date',
      nullable: true,
      description: 'First day the target applies; null when it applies from the outset.',
    }),
    validTo: t.expose('validTo', {
      type: 'Date',
      nullable: true,
      description: 'Last day the target applies; null while it applies.',
    }),
    basis: t.exposeString('basis', {
      nullable: true,
      description: 'What sets the target: a law, a bill (proposition), a plan (handlingsplan).',
    }),
    description: t.exposeString('description', { nullable: true, description: 'The target in words.' }),
  }),
});

builder.node(Observation, {
  ...entityNode<ObservationRow>(tables.observations),
  description: [
    'One stored value (utfall) of an indicator for a subject (a region or an organisation), a period and a set',
    'of dimensions. A total is stored without the dimension it sums over ({"setting": "home_care"} next to',
    '{"ownership": "public", "setting": "home_care"}), so adding all observations up counts values twice:',
    'filter by dimension presence (DimensionFilter.present).',
  ].join(' '),
  fields: (t) => ({
    indicator: t.field({
      type: Indicator,
      description: 'The indicator measured.',
      resolve: async (observation, _args, context, info) =>
        (await loadReference<IndicatorRow>(context, tables.indicators, observation.indicatorId, info))!,
    }),
    region: t.field({
      type: Region,
      nullable: true,
      description: 'The region the value is for; null when it is for an organisation.',
      resolve: (observation, _args, context, info) => loadReference<RegionRow>(context, tables.regions, observation.regionId, info),
    }),
    organisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The organisation the value is for (e.g. a health centre); null when it is for a region.',
      resolve: (observation, _args, context, info) =>
        loadReference<OrganisationRow>(context, tables.organisations, observation.organisationId, info),
    }),
    period: t.expose('period', { type: 'Period', description: 'The period: "2018", "2018-Q2" or "2018-05".' }),
    periodGrain: t.field({
      type: PeriodGrain,
      description: 'The length of the period.',
      resolve: (observation) => observation.periodGrain as Grain,
    }),
    periodStart: t.field({
      type: 'Date',
      description: 'The first day of the period, for sorting and time axes.',
      resolve: (observation) => observation.periodStart as string,
    }),
    value: t.expose('value', { type: 'Decimal', description: 'The value, exact, in the unit of the indicator.' }),
    dimensions: t.field({
      type: [Dimension],
      description: 'The breakdown this value belongs to, sorted by name; empty for an overall total.',
      resolve: (observation) => dimensionList(observation.dimensions),
    }),
  }),
});

// ---------------------------------------------------------------------------------------------
// Indicator list

const IndicatorFilter = builder.inputType('IndicatorFilter', {
  description: 'Narrows a list of indicators. Conditions combine with AND.',
  fields: (t) => ({
    text: t.string({ description: 'Words in the code, name or description, matched as `search` matches them: whole words in any inflection, accents and case ignored, every word required ("quoted phrase", `or`, -word) ("SIP", "vardgaranti").' }),
    topic: t.string({ description: 'Tagged with this topic: its slug ("follow-up-and-indicators") or its name, English or Swedish ("central kontaktingång").' }),
    direction: t.field({ type: [IndicatorDirection], description: 'Any of these directions.' }),
    ...lifecycleFilterFields(t),
  }),
});

const IndicatorOrder = builder.enumType('IndicatorOrder', {
  description: 'Orders of an indicator list; ties are broken by ID so paging is stable.',
  values: {
    CODE: { description: 'By code, ascending (the default).' },
    NAME: { description: 'By name, ascending.' },
    UPDATED_AT: { description: 'By last change, oldest first: the order for incremental refresh.' },
  },
});

type IndicatorFilterShape = typeof IndicatorFilter.$inferInput;

function indicatorConditions(filter: IndicatorFilterShape | null | undefined) {
  const i = tables.indicators;
  return allOf([
    ...lifecycleConditions(i, filter),
    filter?.direction?.length
      ? sql`${i.direction} in (${sql.join(
          filter.direction.map((direction) => sql`${direction}`),
          sql`, `,
        )})`
      : undefined,
    taggedWith('indicator', i.id, filter?.topic),
    textMatches([i.code, i.name, i.description], filter?.text),
  ]);
}

function indicatorOrder(order: string | null | undefined): OrderKey[] {
  const i = tables.indicators;
  if (order === 'NAME') return [{ column: i.name, direction: 'asc' }];
  if (order === 'UPDATED_AT') return [{ column: i.updatedAt, direction: 'asc' }];
  return [{ column: i.code, direction: 'asc' }];
}

// ---------------------------------------------------------------------------------------------
// Aggregates

const ObservationGrouping = builder.enumType('ObservationGrouping', {
  description: [
    'What to group observations by. At most one of YEAR, QUARTER and MONTH. Periods are grouped by their',
    'first day truncated to the grain; a period longer than the grain (a yearly value when grouping by',
    'MONTH) cannot be split, so it forms its own group with its own period ("2018"). Use the filter',
    '`grain` to keep only one period length.',
  ].join(' '),
  values: {
    REGION: { description: 'By region.' },
    ORGANISATION: { description: 'By organisation.' },
    YEAR: { description: 'By calendar year ("2018").' },
    QUARTER: { description: 'By calendar quarter ("2018-Q2" holds April, May and June).' },
    MONTH: { description: 'By calendar month ("2018-05").' },
  },
});

type Grouping = 'REGION' | 'ORGANISATION' | 'YEAR' | 'QUARTER' | 'MONTH';

interface DimensionKeyShape {
  name: string;
  value: string | null;
}

const DimensionKey = builder.objectRef<DimensionKeyShape>('DimensionKey').implement({
  description: 'The value of a grouped dimension in an aggregate group.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The dimension grouped by.' }),
    value: t.exposeString('value', {
      nullable: true,
      description: 'Its value in this group; null for observations without the dimension (typically the totals).',
    }),
  }),
});

interface AggregateShape {
  regionId: string | null;
  organisationId: string | null;
  periodStart: string | null;
  periodGrain: Grain | null;
  dimensions: DimensionKeyShape[];
  count: number;
  sum: string;
  avg: string;
  min: string;
  max: string;
  grains: Grain[];
  dimensionSets: string[][];
}

const ObservationAggregate = builder.objectRef<AggregateShape>('ObservationAggregate').implement({
  description:
    'One group of observations and its aggregates, computed in the database on exact numerics. Keys not grouped by are null (or an empty list).',
  fields: (t) => ({
    region: t.field({
      type: Region,
      nullable: true,
      description: 'The region of the group, when grouped by REGION (null there for organisations’ observations).',
      resolve: (group, _args, context, info) => loadReference<RegionRow>(context, tables.regions, group.regionId, info),
    }),
    organisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The organisation of the group, when grouped by ORGANISATION (null there for regions’ observations).',
      resolve: (group, _args, context, info) =>
        loadReference<OrganisationRow>(context, tables.organisations, group.organisationId, info),
    }),
    period: t.field({
      type: 'Period',
      nullable: true,
      description: 'The period of the group ("2018", "2018-Q2", "2018-05"), when grouped by YEAR, QUARTER or MONTH.',
      resolve: (group) => (group.periodStart && group.periodGrain ? periodOf(group.periodStart, group.periodGrain) : null),
    }),
    periodGrain: t.field({
      type: PeriodGrain,
      nullable: true,
      description: 'The length of the group’s period; coarser than asked when a stored period could not be split.',
      resolve: (group) => group.periodGrain,
    }),
    periodStart: t.field({
      type: 'Date',
      nullable: true,
      description: 'The first day of the group’s period.',
      resolve: (group) => group.periodStart,
    }),
    dimensions: t.field({
      type: [DimensionKey],
      description: 'The values of the dimensions grouped by, in the order asked.',
      resolve: (group) => group.dimensions,
    }),
    count: t.exposeInt('count', { description: 'How many observations the group holds.' }),
    sum: t.field({ type: 'Decimal', description: 'The sum of the values, exact.', resolve: (group) => group.sum }),
    avg: t.field({
      type: 'Decimal',
      description:
        'The mean of the values, by exact numeric division in the database (at least 16 significant digits), trailing zeros removed.',
      resolve: (group) => group.avg,
    }),
    min: t.field({ type: 'Decimal', description: 'The smallest value.', resolve: (group) => group.min }),
    max: t.field({ type: 'Decimal', description: 'The largest value.', resolve: (group) => group.max }),
    grains: t.field({
      type: [PeriodGrain],
      description: 'The period lengths of the observations added up, finest first. More than one means yearly and monthly values were mixed: filter by `grain`.',
      resolve: (group) => group.grains,
    }),
    dimensionSets: t.field({
      type: t.listRef(t.listRef('String')),
      description: [
        'The distinct sets of dimension names among the observations added up, each sorted, e.g.',
        '[["ownership", "setting"], ["setting"]], in element-wise order. More than one set usually means totals were added to their',
        'own breakdowns, counting values twice: filter with `dimensions: [{ name: "ownership", present: true }]`',
        '(or false), or group by the dimension.',
      ].join(' '),
      resolve: (group) => group.dimensionSets,
    }),
  }),
});

/** Lists of names in element-wise order: ["ownership", "setting"] before ["setting"]. */
function compareNameLists(a: string[], b: string[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    if (a[index] !== b[index]) return a[index]! < b[index]! ? -1 : 1;
  }
  return a.length - b.length;
}

/** Most groups one request may return. */
const MAX_GROUPS = 10_000;

interface AggregateArgs {
  indicator: string;
  groupBy?: readonly Grouping[] | null;
  dimensions?: readonly string[] | null;
  filter?: IndicatorObservationFilterShape | null;
}

/**
 * Every group in one statement. The group keys are computed in a subquery and grouped by name
 * outside it, so parameters inside key expressions never trouble GROUP BY.
 */
async function aggregate(
  context: Context,
  args: AggregateArgs,
  wanted: { grains: boolean; dimensionSets: boolean } = { grains: true, dimensionSets: true },
): Promise<AggregateShape[]> {
  const o = tables.observations;
  const r = tables.regions;
  const g = tables.organisations;
  const groupBy = new Set(args.groupBy ?? []);
  const periodGroupings = (['YEAR', 'QUARTER', 'MONTH'] as const).filter((grouping) => groupBy.has(grouping));
  if (periodGroupings.length > 1) {
    throw new BadInputError(`Group by at most one of YEAR, QUARTER and MONTH, got ${periodGroupings.join(', ')}`, 'groupBy');
  }
  const dimensionNames = args.dimensions ?? [];
  if (dimensionNames.some((name) => !name)) throw new BadInputError('Dimension names must not be empty', 'dimensions');
  if (new Set(dimensionNames).size !== dimensionNames.length) {
    throw new BadInputError('A dimension is named twice in "dimensions"', 'dimensions');
  }
  const grain = periodGroupings[0]?.toLowerCase() as Grain | undefined;
  const filter = await resolveFilterNames(context, args.filter ?? {});
  // Deleted observations are never added up unless asked, even with `updatedSince`.
  const where = allOf([
    sql`${o.indicatorId} = (select ${tables.indicators.id} from ${tables.indicators} where ${tables.indicators.code} = ${args.indicator} and ${tables.indicators.deletedAt} is null)`,
    filter.includeDeleted ? undefined : isNull(o.deletedAt),
    observationConditions(filter),
  ]);
  const byRegion = groupBy.has('REGION');
  const byOrganisation = groupBy.has('ORGANISATION');
  const rank = sql`(case ${o.periodGrain} when 'month' then 1 when 'quarter' then 2 else 3 end)`;
  const periodKeys = grain
    ? {
        start: sql`(case when ${rank} > ${sql.raw(String(GRAIN_RANK[grain]))} then ${o.periodStart}
          else date_trunc('${sql.raw(grain)}', ${o.periodStart}::timestamp)::date end)`,
        grain: sql`(case when ${rank} > ${sql.raw(String(GRAIN_RANK[grain]))} then ${o.periodGrain} else '${sql.raw(grain)}' end)`,
      }
    : { start: sql`null::date`, grain: sql`null::text` };
  // Without dimensions every row has the same key: a constant, not an array built per row.
  const dimensionKey =
    dimensionNames.length === 0
      ? sql`'[]'::jsonb`
      : sql`jsonb_build_array(${sql.join(
          dimensionNames.map((name) => sql`${o.dimensions} ->> ${name}::text`),
          sql`, `,
        )})`;
  // Rows are grouped by IDs; region codes and organisation names (for the order) are joined to
  // the groups afterwards, a few dozen rows instead of every observation.
  const query = sql`
    select groups.k_region::text as "regionId", groups.k_organisation::text as "organisationId",
      groups.k_period_start::text as "periodStart", groups.k_period_grain as "periodGrain", groups.k_dimensions::text as "dimensions",
      groups.count as "count", groups.sum as "sum", groups.avg as "avg", groups.min as "min", groups.max as "max",
      groups.grains as "grains", groups.dimension_sets as "dimensionSets"
    from (
      select k_region, k_organisation, k_period_start, k_period_grain, k_dimensions,
        count(*)::int as count, sum(value)::text as sum, trim_scale(avg(value))::text as avg,
        min(value)::text as min, max(value)::text as max,
        ${wanted.grains ? sql`jsonb_agg(distinct period_grain)::text` : sql`'[]'`} as grains,
        ${wanted.dimensionSets ? sql`jsonb_agg(distinct dimension_names)::text` : sql`'[]'`} as dimension_sets
      from (
        select
          ${byRegion ? o.regionId : sql`null::uuid`} as k_region,
          ${byOrganisation ? o.organisationId : sql`null::uuid`} as k_organisation,
          ${periodKeys.start} as k_period_start,
          ${periodKeys.grain} as k_period_grain,
          ${dimensionKey} as k_dimensions,
          ${o.value} as value,
          ${o.periodGrain} as period_grain,
          ${
            // Listing each row's dimension names is most of the statement's work: only when asked for.
            wanted.dimensionSets
              ? sql`(select coalesce(jsonb_agg(k order by k), '[]'::jsonb) from jsonb_object_keys(${o.dimensions}) as k)`
              : sql`null::jsonb`
          } as dimension_names
        from ${o}
        where ${where}
      ) as base
      group by k_region, k_organisation, k_period_start, k_period_grain, k_dimensions
    ) as groups
    left join ${r} on ${r.id} = groups.k_region
    left join ${g} on ${g.id} = groups.k_organisation
    order by groups.k_period_start nulls first, groups.k_period_grain desc nulls first, ${r.code} nulls last, groups.k_region,
      ${g.name} nulls last, groups.k_organisation, groups.k_dimensions
    limit ${sql.raw(String(MAX_GROUPS + 1))}`; // a literal, so PostgreSQL can keep one plan for it (see literalLimit)
  const rows = await selectRows<
    Omit<AggregateShape, 'dimensions' | 'grains' | 'dimensionSets'> & { dimensions: string; grains: string; dimensionSets: string }
  >(context.db, query);
  if (rows.length === 0) {
    const [known] = await context.db
      .select({ id: tables.indicators.id })
      .from(tables.indicators)
      .where(and(eq(tables.indicators.code, args.indicator), isNull(tables.indicators.deletedAt)));
    if (!known) throw new BadInputError(`There is no indicator with code "${args.indicator}"`, 'indicator');
  }
  if (rows.length > MAX_GROUPS) {
    throw new BadInputError(`More than ${MAX_GROUPS} groups; narrow the filter or group by less`, 'groupBy');
  }
  return rows.map((row) => {
    const values = JSON.parse(row.dimensions) as (string | null)[];
    return {
      ...row,
      count: Number(row.count),
      dimensions: dimensionNames.map((name, index) => ({ name, value: values[index] ?? null })),
      grains: (JSON.parse(row.grains) as Grain[]).sort(byGrain),
      dimensionSets: (JSON.parse(row.dimensionSets) as string[][]).sort(compareNameLists),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Root fields and relationship fields on other types

builder.queryFields((t) => ({
  indicators: t.connection({
    type: Indicator,
    description: 'Indicators the reform is followed by, with their targets and values.',
    args: {
      filter: t.arg({ type: IndicatorFilter, description: 'Which indicators.' }),
      orderBy: t.arg({ type: IndicatorOrder, defaultValue: 'CODE', description: 'In which order.' }),
    },
    resolve: async (_root, args, context) =>
      paginateTable<IndicatorRow>({
        db: context.db,
        table: tables.indicators,
        where: indicatorConditions(await resolveFilterNames(context, args.filter)),
        order: indicatorOrder(args.orderBy),
        args,
      }),
  }),
  indicator: t.field({
    type: Indicator,
    nullable: true,
    description: 'An indicator by its code ("SIP_MEETINGS"), or null if there is none.',
    args: { code: t.arg.string({ required: true, description: 'The indicator code.' }) },
    resolve: async (_root, { code }, context) => {
      const [row] = await context.db
        .select()
        .from(tables.indicators)
        .where(and(eq(tables.indicators.code, code), isNull(tables.indicators.deletedAt)));
      return row ?? null;
    },
  }),
  observations: t.connection({
    type: Observation,
    description: [
      'Every stored value of every indicator, flat and paged: the table to load into a BI tool.',
      'For an incremental refresh, pass `filter: { updatedSince }` with `orderBy: UPDATED_AT`: changed and',
      'deleted observations come back, the deleted ones with `deletedAt` set. Totals and breakdowns are both',
      'listed: see DimensionFilter before adding values up.',
    ].join(' '),
    args: observationListArgs,
    resolve: (_root, args, context, info) => observationList.page(context, args, info),
  }),
  observationAggregates: t.field({
    type: [ObservationAggregate],
    description: [
      'Count, sum, mean, min and max of one indicator’s values, grouped, computed in one SQL statement on exact',
      'numerics and returned as Decimal strings. Groups come ordered by period, region code, organisation',
      'name and dimension values. Beware double counting: totals are stored next to their breakdowns (SIP',
      'totals lack "ownership"), so filter on dimension presence or group by the dimension, and check',
      '`dimensionSets`. Only live observations are aggregated unless `includeDeleted` is set.',
    ].join(' '),
    args: {
      indicator: t.arg.string({ required: true, description: 'The indicator, by code ("SIP_MEETINGS"). One unit per aggregate.' }),
      groupBy: t.arg({
        type: [ObservationGrouping],
        defaultValue: [],
        description: 'Group by these keys; none gives one group of everything that matches.',
      }),
      dimensions: t.arg.stringList({
        description:
          'Group also by these dimensions, by name (["ownership"]). Observations without a dimension form their own group with value null.',
      }),
      filter: t.arg({ type: IndicatorObservationFilter, description: 'Which observations to aggregate.' }),
    },
    resolve: (_root, args, context, info) => {
      const fields = selectedFields(info);
      return aggregate(context, args as AggregateArgs, { grains: fields.has('grains'), dimensionSets: fields.has('dimensionSets') });
    },
  }),
}));

builder.objectField(Region, 'observations', (t) =>
  t.connection({
    type: Observation,
    description: 'Indicator values stored for the region.',
    args: observationListArgs,
    resolve: (region, args, context, info) => observationList.pageOf(context, tables.observations.regionId, region.id, args, info),
  }),
);

builder.objectField(Organisation, 'observations', (t) =>
  t.connection({
    type: Observation,
    description: 'Indicator values stored for the organisation (e.g. a health centre).',
    args: observationListArgs,
    resolve: (organisation, args, context) =>
      observationList.pageOf(context, tables.observations.organisationId, organisation.id, args),
  }),
);

// ─── Writes ──────────────────────────────────────────────────────────────────

/** UPPER_SNAKE_CASE: capitals and digits in words joined by single underscores ("SIP_MEETINGS"). */
const INDICATOR_CODE = /^[A-Z0-9]+(_[A-Z0-9]+)*$/;
const KOLADA_KPI_ID = /^[NU][0-9]{5}$/;

const indicatorCode = z
  .string()
  .max(100, { message: 'must be at most 100 characters', abort: true })
  .regex(INDICATOR_CODE, 'must be UPPER_SNAKE_CASE, e.g. "SIP_MEETINGS"');

const indicatorFields = {
  code: indicatorCode,
  name: rules.text(300),
  description: rules.text(10_000).nullish(),
  unit: rules.text(100),
  direction: z.enum(tables.indicatorDirection.enumValues),
  sourceSystem: rules.text(300).nullish(),
  koladaKpiId: z
    .string()
    .regex(KOLADA_KPI_ID, 'must be a Kolada KPI id: N or U and five digits, e.g. "N79050"')
    .nullish(),
};

const createIndicatorRules = z.object({
  ...indicatorFields,
  direction: indicatorFields.direction.nullish().transform((direction) => direction ?? 'neutral'),
  topics: rules.list(rules.topics),
  citations: rules.list(rules.citations()),
});

const indicatorPatchRules = z.object(indicatorFields).partial().strict();

/** Valid-from must not come after valid-to, when both are given. */
const datesOrdered = (
  target: { validFrom?: string | null; validTo?: string | null },
  context: z.RefinementCtx,
) => {
  if (target.validFrom && target.validTo && target.validFrom > target.validTo) {
    context.addIssue({ code: 'custom', message: 'validTo must not be before validFrom', path: ['validTo'] });
  }
};

const targetFields = {
  comparator: z.enum(tables.targetComparator.enumValues),
  value: rules.decimal,
  region: rules.regionCode.nullish(),
  validFrom: rules.date.nullish(),
  validTo: rules.date.nullish(),
  basis: rules.text(1000).nullish(),
  description: rules.text(10_000).nullish(),
};

const addTargetRules = z
  .object({ indicator: rules.globalId('Indicator'), ...targetFields, citations: rules.list(rules.citations()) })
  .superRefine(datesOrdered);

const targetPatchRules = z.object(targetFields).partial().strict().superRefine(datesOrdered);

const CreateIndicatorInput = builder.inputType('CreateIndicatorInput', {
  description: 'A new indicator (indikator), with its topics and the passages that support it.',
  fields: (t) => ({
    code: t.string({
      required: true,
      description: 'The stable code, UPPER_SNAKE_CASE ("SIP_MEETINGS"); unique among all indicators, deleted ones included.',
    }),
    name: t.string({ required: true, description: 'The name as the sources give it ("Genomförda SIP-möten"), at most 300 characters.' }),
    description: t.string({ description: 'What is counted or measured, and how.' }),
    unit: t.string({ required: true, description: 'What a value counts ("meetings", "days"), at most 100 characters.' }),
    direction: t.field({ type: IndicatorDirection, description: 'Which way the indicator should move; NEUTRAL if left out.' }),
    sourceSystem: t.string({ description: 'The system the values come from ("Nationella väntetidsdatabasen").' }),
    koladaKpiId: t.string({ description: 'The Kolada KPI id ("N79050"): N or U and five digits.' }),
    topics: t.stringList({ description: 'Topic slugs to tag the indicator with ("follow-up-and-indicators").' }),
    citations: t.field({ type: [CitationInput], description: 'Passages supporting the indicator.' }),
  }),
});

const IndicatorPatch = builder.inputType('IndicatorPatch', {
  description: 'Fields of an indicator to change; fields left out stay as they are, null clears an optional field.',
  fields: (t) => ({
    code: t.string({ description: 'New code, UPPER_SNAKE_CASE and unique. Clients and BI models filter by code: change it only to correct it.' }),
    name: t.string({ description: 'New name.' }),
    description: t.string({ description: 'New description; null clears it.' }),
    unit: t.string({ description: 'New unit.' }),
    direction: t.field({ type: IndicatorDirection, description: 'New direction.' }),
    sourceSystem: t.string({ description: 'New source system; null clears it.' }),
    koladaKpiId: t.string({ description: 'New Kolada KPI id; null clears it.' }),
  }),
});

const AddIndicatorTargetInput = builder.inputType('AddIndicatorTargetInput', {
  description: 'A target (målvärde) for an indicator: national, or set by one region.',
  fields: (t) => ({
    indicator: t.id({ required: true, description: 'The indicator the target is for (an Indicator ID).' }),
    comparator: t.field({ type: TargetComparator, required: true, description: 'How a value is compared with the target value.' }),
    value: t.field({
      type: 'Decimal',
      required: true,
      description: 'The target value, exact, in the unit of the indicator: at most 15 digits before the point and 8 after.',
    }),
    region: t.string({ description: 'SCB county code of the region that set the target ("13"); leave out for a national target.' }),
    validFrom: t.field({ type: 'Date', description: 'First day the target applies.' }),
    validTo: t.field({ type: 'Date', description: 'Last day the target applies; not before validFrom.' }),
    basis: t.string({ description: 'What sets the target: a law, a bill, a plan ("Lag 2018:1302").' }),
    description: t.string({ description: 'The target in words.' }),
    citations: t.field({ type: [CitationInput], description: 'Passages supporting the target.' }),
  }),
});

const IndicatorTargetPatch = builder.inputType('IndicatorTargetPatch', {
  description: 'Fields of a target to change; fields left out stay as they are, null clears an optional field.',
  fields: (t) => ({
    comparator: t.field({ type: TargetComparator, description: 'New comparator.' }),
    value: t.field({ type: 'Decimal', description: 'New target value.' }),
    region: t.string({ description: 'New region (SCB county code); null makes the target national.' }),
    validFrom: t.field({ type: 'Date', description: 'New first day; null: from the outset.' }),
    validTo: t.field({ type: 'Date', description: 'New last day; null: while it applies.' }),
    basis: t.string({ description: 'New basis; null clears it.' }),
    description: t.string({ description: 'New description; null clears it.' }),
  }),
});

/** Refuses a code another indicator (live or deleted: the unique key covers both) already has. */
async function requireFreeCode(writer: Writer, code: string | undefined, path: (string | number)[], ownId?: string) {
  if (code === undefined) return;
  const [holder] = await writer.tx
    .select({ id: tables.indicators.id, deletedAt: tables.indicators.deletedAt })
    .from(tables.indicators)
    .where(eq(tables.indicators.code, code));
  if (!holder || holder.id === ownId) return;
  throw new ValidationError([
    {
      path,
      message: holder.deletedAt
        ? `a deleted indicator has the code "${code}"; an admin can restore it, or choose another code`
        : `an indicator with the code "${code}" already exists`,
    },
  ]);
}

// ─── Bulk upsert of observations ─────────────────────────────────────────────

/** Most rows one upsertObservations call takes. */
const MAX_UPSERT_ROWS = 10_000;
/**
 * Rows per merge statement. PGlite cannot cancel a statement, and while one runs no timer fires:
 * a stop (the request's time budget, the server's drain limit) takes effect only between
 * statements, so each must be short. At 250 rows a statement takes a few tens of milliseconds on
 * PGlite (2,000 took seconds on a loaded machine and pushed a shutdown past its limit); the
 * extra statements cost PostgreSQL little, as the merge is set-based within each.
 */
const ROWS_PER_STATEMENT = 250;
/** Most issues one refused batch lists; the rest are counted. */
const MAX_LISTED_ISSUES = 100;

const DIMENSION_NAME = /^[a-z][a-z_]*$/;
const DIMENSION_VALUE = /^[a-z][a-z0-9_]*$/;

const observationRowRules = z
  .object({
    region: rules.regionCode.nullish(),
    organisation: rules.globalId('Organisation').nullish(),
    period: z.string().max(16, { message: 'must be a period: YYYY, YYYY-Qn or YYYY-MM', abort: true }).pipe(rules.period),
    value: z
      .string()
      .max(40, { message: 'must be a decimal number with at most 15 digits before and 8 after the point', abort: true })
      .pipe(rules.decimal),
    dimensions: rules.list(
      z
        .array(
          z.object({
            name: z
              .string()
              .max(64, { message: 'must be at most 64 characters', abort: true })
              .regex(DIMENSION_NAME, 'must be lower-case letters and underscores, e.g. "setting"')
              .refine((name) => !(OBSERVATION_CSV_COLUMNS as readonly string[]).includes(name), {
                message: `must not be a column of the CSV shape (${OBSERVATION_CSV_COLUMNS.join(', ')})`,
              }),
            value: z
              .string()
              .max(100, { message: 'must be at most 100 characters', abort: true })
              .regex(DIMENSION_VALUE, 'must be lower-case letters, digits and underscores, starting with a letter, e.g. "home_care"'),
          }),
        )
        .max(10, 'at most 10 dimensions per observation'),
    ),
  })
  .superRefine((row, context) => {
    if (!row.region === !row.organisation) {
      context.addIssue({
        code: 'custom',
        message: 'an observation is of exactly one subject: give either region or organisation',
        path: [row.region ? 'organisation' : 'region'],
      });
    }
    const seen = new Set<string>();
    row.dimensions.forEach((dimension, index) => {
      if (seen.has(dimension.name)) {
        context.addIssue({ code: 'custom', message: `dimension "${dimension.name}" is given twice`, path: ['dimensions', index, 'name'] });
      }
      seen.add(dimension.name);
    });
  });

/** A validated row: subject, period, value, and dimensions as the object stored (names sorted). */
interface UpsertRow {
  regionCode: string | null;
  organisationId: string | null;
  period: string;
  value: string;
  dimensions: string;
}

/**
 * Every row checked before anything is read or written. A bad row refuses the whole batch with
 * issues at ["rows", index, field] (at most MAX_LISTED_ISSUES listed, the rest counted); so does a
 * row that repeats another row's identity (subject, period and dimensions).
 */
function validateRows(rows: readonly unknown[]): UpsertRow[] {
  if (rows.length > MAX_UPSERT_ROWS) {
    throw new ValidationError([{ path: ['rows'], message: `at most ${MAX_UPSERT_ROWS} rows per call, got ${rows.length}: split the batch` }]);
  }
  const issues: FieldIssue[] = [];
  let unlisted = 0;
  const report = (issue: FieldIssue) => {
    if (issues.length < MAX_LISTED_ISSUES) issues.push(issue);
    else unlisted += 1;
  };
  const valid: UpsertRow[] = [];
  const firstRowOf = new Map<string, number>();
  rows.forEach((input, index) => {
    const result = observationRowRules.safeParse(input);
    if (!result.success) {
      for (const issue of result.error.issues) {
        report({ path: ['rows', index, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))], message: issue.message });
      }
      return;
    }
    const row = result.data;
    const dimensions = Object.fromEntries(
      [...row.dimensions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(({ name, value }) => [name, value]),
    );
    const upsertRow: UpsertRow = {
      regionCode: row.region ?? null,
      organisationId: row.organisation ? row.organisation.toLowerCase() : null,
      period: row.period,
      value: row.value,
      dimensions: JSON.stringify(dimensions),
    };
    const key = JSON.stringify([upsertRow.regionCode, upsertRow.organisationId, upsertRow.period, upsertRow.dimensions]);
    const first = firstRowOf.get(key);
    if (first !== undefined) {
      report({
        path: ['rows', index],
        message: `rows ${first} and ${index} are the same observation (same subject, period and dimensions); give each once`,
      });
    } else {
      firstRowOf.set(key, index);
    }
    valid.push(upsertRow);
  });
  if (unlisted > 0) issues.push({ path: ['rows'], message: `and ${unlisted} more problems, not listed` });
  if (issues.length > 0) throw new ValidationError(issues);
  return valid;
}

/**
 * One statement per chunk: the rows as one JSON parameter, merged by the same set-based statement
 * imports use (`observationMerge`: insert or update what differs, and a change-log row with before
 * and after for each), instead of through Writer.log, which inserts one change per call. One
 * parameter keeps the statement's text the same for every chunk, so PostgreSQL parses it once per
 * connection; rows as VALUES with five parameters each took about 40% longer to merge. Returns how
 * many rows were inserted and updated.
 */
async function upsertChunk(
  writer: Writer,
  actor: { name: string; apiKeyId: string | null },
  indicatorId: string,
  chunk: readonly ResolvedUpsertRow[],
) {
  // `dimensions` is already JSON (validateRows wrote it with JSON.stringify); the rest are quoted here.
  const rows = `[${chunk
    .map((row) => `{"r":${JSON.stringify(row.regionId)},"o":${JSON.stringify(row.organisationId)},"p":${JSON.stringify(row.period)},"v":${JSON.stringify(row.value)},"d":${row.dimensions}}`)
    .join(',')}]`;
  const [counts] = await selectRows<{ inserted: number; updated: number }>(
    writer.tx,
    sql`
      with input as (
        select ${indicatorId}::uuid as indicator_id, v.r as region_id, v.o as organisation_id, v.p as period, v.v as value, v.d as dimensions
        from jsonb_to_recordset(${rows}::jsonb) as v (r uuid, o uuid, p text, v numeric, d jsonb)
      ),
      ${observationMerge('input', actor.name, actor.apiKeyId)}
      select (count(*) filter (where inserted))::int as inserted, (count(*) filter (where not inserted))::int as updated
      from written`,
  );
  return { inserted: Number(counts?.inserted ?? 0), updated: Number(counts?.updated ?? 0) };
}

/** A validated row with its subject resolved to IDs, as upsertChunk writes it. */
interface ResolvedUpsertRow {
  regionId: string | null;
  organisationId: string | null;
  period: string;
  value: string;
  dimensions: string;
}

interface UpsertOutcomeShape {
  inserted: number;
  updated: number;
  unchanged: number;
  indicator: IndicatorRow;
}

const UpsertObservationsResult = builder.objectRef<UpsertOutcomeShape>('UpsertObservationsResult').implement({
  description: 'What a bulk upsert of observations did: how many rows were new, changed, and already stored as given.',
  fields: (t) => ({
    inserted: t.exposeInt('inserted', { description: 'Rows stored as new observations.' }),
    updated: t.exposeInt('updated', {
      description: 'Rows whose observation existed with another value, or deleted: now changed (version + 1) and live.',
    }),
    unchanged: t.exposeInt('unchanged', { description: 'Rows already stored with the same value: nothing was written for them.' }),
    indicator: t.field({ type: Indicator, description: 'The indicator the values are for.', resolve: (outcome) => outcome.indicator }),
  }),
});

const ObservationRowInput = builder.inputType('ObservationRowInput', {
  description: [
    'One value of an indicator to store: a subject (a region or an organisation, exactly one), a period,',
    'dimensions and the value. Indicator, subject, period and dimensions identify the observation, so',
    'sending the same row again changes nothing.',
  ].join(' '),
  fields: (t) => ({
    region: t.string({ description: 'The region the value is for, by SCB county code ("13" is Halland). Give this or `organisation`.' }),
    organisation: t.id({ description: 'The organisation the value is for (an Organisation ID), e.g. a health centre. Give this or `region`.' }),
    period: t.string({
      required: true,
      description: [
        'The period: "2018", "2018-Q3" or "2018-05". A String, not the Period scalar, so that a bad period is',
        'answered with a ValidationError naming its row (["rows", "3", "period"]) like every other row problem.',
      ].join(' '),
    }),
    value: t.string({
      required: true,
      description: [
        'The value, an exact decimal as a string ("52", "-0.5", "1100.25"), at most 15 digits before the point',
        'and 8 after; negative values are allowed. A String, not the Decimal scalar, so a bad value is reported',
        'with its row. A value numerically equal to the stored one ("52.0" for "52") is unchanged.',
      ].join(' '),
    }),
    dimensions: t.field({
      type: [DimensionInput],
      description: [
        'The breakdown the value belongs to, e.g. [{ name: "ownership", value: "public" }, { name: "setting",',
        'value: "home_care" }]; leave out for an overall total. Names: lower-case letters and underscores; values:',
        'lower-case letters, digits and underscores, starting with a letter; no name twice; order does not matter.',
      ].join(' '),
    }),
  }),
});

builder.mutationFields((t) => ({
  createIndicator: t.field({
    type: Indicator,
    description: 'Records a new indicator with its topics and citations. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CreateIndicatorInput, required: true, description: 'The indicator.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(createIndicatorRules, args.input);
      return write(context, async (writer) => {
        await requireFreeCode(writer, input.code, ['input', 'code']);
        const indicator = await writer.create<IndicatorRow & { version: number }>('Indicator', {
          code: input.code,
          name: input.name,
          description: input.description ?? null,
          unit: input.unit,
          direction: input.direction,
          sourceSystem: input.sourceSystem ?? null,
          koladaKpiId: input.koladaKpiId ?? null,
        });
        await writer.tag('Indicator', indicator.id, input.topics, ['input', 'topics']);
        await writer.cite('Indicator', indicator.id, input.citations, ['input', 'citations']);
        return indicator;
      });
    },
  }),
  updateIndicator: t.field({
    type: Indicator,
    description: 'Changes fields of an indicator. `version` must be the one you read: a stale version is a ConflictError.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      id: t.arg.id({ required: true, description: 'The indicator (its ID).' }),
      version: t.arg.int({ required: true, description: 'The version you last read (`version` field).' }),
      patch: t.arg({ type: IndicatorPatch, required: true, description: 'The fields to change.' }),
    },
    resolve: async (_root, args, context) => {
      const id = parseInput(rules.globalId('Indicator'), args.id, ['id']);
      const patch = parseInput(indicatorPatchRules, stripUndefined(args.patch), ['patch']);
      return write(context, async (writer) => {
        await requireFreeCode(writer, patch.code, ['patch', 'code'], id);
        return writer.update<IndicatorRow & { version: number }>('Indicator', id, args.version, patch);
      });
    },
  }),
  deleteIndicator: deleteField(t, {
    ref: Indicator,
    description: [
      'Deletes an indicator (a tombstone: it leaves the lists, shows in `updatedSince` queries with `deletedAt`,',
      'and an admin can restore it). Its targets and observations are not deleted with it; its code stays taken.',
    ].join(' '),
    idDescription: 'The indicator.',
  }),
  restoreIndicator: restoreField(t, {
    ref: Indicator,
    description: 'Brings back a deleted indicator. Needs the `admin` scope.',
    idDescription: 'The deleted indicator.',
  }),

  addIndicatorTarget: t.field({
    type: IndicatorTarget,
    description: 'Adds a target (målvärde) to an indicator, with its citations. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: AddIndicatorTargetInput, required: true, description: 'The target.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(addTargetRules, args.input);
      return write(context, async (writer) => {
        await writer.requireLive([{ entity: 'Indicator', id: input.indicator, path: ['input', 'indicator'] }]);
        const regionId = await writer.regionId(input.region, ['input', 'region']);
        const target = await writer.create<IndicatorTargetRow & { version: number }>('IndicatorTarget', {
          indicatorId: input.indicator,
          comparator: input.comparator,
          value: input.value,
          regionId: regionId ?? null,
          validFrom: input.validFrom ?? null,
          validTo: input.validTo ?? null,
          basis: input.basis ?? null,
          description: input.description ?? null,
        });
        await writer.cite('IndicatorTarget', target.id, input.citations, ['input', 'citations']);
        return target;
      });
    },
  }),
  updateIndicatorTarget: t.field({
    type: IndicatorTarget,
    description: [
      'Changes fields of a target. `version` must be the one you read: a stale version is a ConflictError.',
      'The dates after the change must still be ordered (validFrom ≤ validTo).',
    ].join(' '),
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      id: t.arg.id({ required: true, description: 'The target (its ID).' }),
      version: t.arg.int({ required: true, description: 'The version you last read (`version` field).' }),
      patch: t.arg({ type: IndicatorTargetPatch, required: true, description: 'The fields to change.' }),
    },
    resolve: async (_root, args, context) => {
      const id = parseInput(rules.globalId('IndicatorTarget'), args.id, ['id']);
      const patch = parseInput(targetPatchRules, stripUndefined(args.patch), ['patch']);
      return write(context, async (writer) => {
        const current = await writer.current<IndicatorTargetRow & { version: number }>('IndicatorTarget', id);
        const validFrom = patch.validFrom !== undefined ? patch.validFrom : current.validFrom;
        const validTo = patch.validTo !== undefined ? patch.validTo : current.validTo;
        if (validFrom && validTo && validFrom > validTo) {
          throw new ValidationError([
            {
              path: ['patch', patch.validTo !== undefined ? 'validTo' : 'validFrom'],
              message: `the target would apply from ${validFrom} to ${validTo}: validTo must not be before validFrom`,
            },
          ]);
        }
        const regionId = await writer.regionId(patch.region, ['patch', 'region']);
        const { region: _region, ...rest } = patch;
        return writer.update<IndicatorTargetRow & { version: number }>('IndicatorTarget', id, args.version, {
          ...rest,
          ...(regionId !== undefined ? { regionId } : {}),
        });
      });
    },
  }),
  deleteIndicatorTarget: deleteField(t, {
    ref: IndicatorTarget,
    description: 'Deletes a target (a tombstone; an admin can restore it).',
    idDescription: 'The target.',
  }),
  restoreIndicatorTarget: restoreField(t, {
    ref: IndicatorTarget,
    description: 'Brings back a deleted target. Needs the `admin` scope.',
    idDescription: 'The deleted target.',
  }),

  deleteObservation: deleteField(t, {
    ref: Observation,
    description: [
      'Deletes one observation (a tombstone: it leaves lists, series and aggregates, and shows in `updatedSince`',
      'queries with `deletedAt`). Upserting the same observation again brings it back; so can an admin.',
    ].join(' '),
    idDescription: 'The observation.',
  }),
  restoreObservation: restoreField(t, {
    ref: Observation,
    description: 'Brings back a deleted observation. Needs the `admin` scope.',
    idDescription: 'The deleted observation.',
  }),

  upsertObservations: t.field({
    type: UpsertObservationsResult,
    description: [
      `Stores up to ${MAX_UPSERT_ROWS.toLocaleString('en')} values of one indicator in one transaction, idempotently: each row is`,
      'identified by indicator, subject, period and dimensions; a new row is inserted, a row whose value differs',
      '(or whose observation was deleted) is updated with version + 1, and a row already stored as given is left',
      'alone, so sending the same batch twice changes nothing the second time. Every row is checked first: one bad',
      'row, two rows with the same identity, or an unknown region or organisation refuses the whole batch with an',
      'error naming the row (["rows", "3", "period"]), and nothing is written. Each insert and update is recorded',
      'in the change log. Needs the `write` scope.',
    ].join(' '),
    authScopes: { write: true },
    errors: {
      types: WRITE_ERRORS,
      union: {
        name: 'UpsertObservationsOutcome',
        description: 'What upsertObservations answers: the counts of what it did, or why it wrote nothing.',
      },
    },
    args: {
      indicator: t.arg.string({ required: true, description: 'The indicator, by code ("SIP_MEETINGS").' }),
      rows: t.arg({
        type: [ObservationRowInput],
        required: true,
        description: `The values, at most ${MAX_UPSERT_ROWS.toLocaleString('en')}; each observation at most once.`,
      }),
    },
    resolve: async (_root, args, context) => {
      const code = parseInput(z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters'), args.indicator, ['indicator']);
      const rows = validateRows(args.rows);
      const actor = actorOf(context.principal);
      return write(context, async (writer) => {
        const [indicator] = await writer.tx
          .select()
          .from(tables.indicators)
          .where(and(eq(tables.indicators.code, code), isNull(tables.indicators.deletedAt)));
        if (!indicator) throw new NotFoundError('Indicator', code, ['indicator']);

        const regionCodes = [...new Set(rows.flatMap((row) => (row.regionCode ? [row.regionCode] : [])))];
        const regionIds = new Map<string, string>();
        if (regionCodes.length > 0) {
          const found = await writer.tx
            .select({ id: tables.regions.id, code: tables.regions.code })
            .from(tables.regions)
            .where(and(inArray(tables.regions.code, regionCodes), isNull(tables.regions.deletedAt)));
          for (const region of found) regionIds.set(region.code, region.id);
        }
        const organisationIds = [...new Set(rows.flatMap((row) => (row.organisationId ? [row.organisationId] : [])))];
        const liveOrganisations = new Set<string>();
        if (organisationIds.length > 0) {
          // At most MAX_UPSERT_ROWS parameters: one statement, under the parameter limit.
          const found = await writer.tx
            .select({ id: tables.organisations.id })
            .from(tables.organisations)
            .where(and(inArray(tables.organisations.id, organisationIds), isNull(tables.organisations.deletedAt)));
          for (const organisation of found) liveOrganisations.add(organisation.id);
        }
        rows.forEach((row, index) => {
          if (row.regionCode && !regionIds.has(row.regionCode)) throw new NotFoundError('Region', row.regionCode, ['rows', index, 'region']);
          if (row.organisationId && !liveOrganisations.has(row.organisationId)) {
            throw new NotFoundError('Organisation', row.organisationId, ['rows', index, 'organisation']);
          }
        });

        // Written in the order of their identity, so two batches touching the same observations
        // take their row locks in the same order and cannot deadlock each other.
        const resolved = rows
          .map((row): ResolvedUpsertRow => ({
            regionId: row.regionCode ? regionIds.get(row.regionCode)! : null,
            organisationId: row.organisationId,
            period: row.period,
            value: row.value,
            dimensions: row.dimensions,
          }))
          .map((row) => ({ row, key: `${row.regionId ?? ''}|${row.organisationId ?? ''}|${row.period}|${row.dimensions}` }))
          .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
          .map(({ row }) => row);
        let inserted = 0;
        let updated = 0;
        for (let start = 0; start < resolved.length; start += ROWS_PER_STATEMENT) {
          const counts = await upsertChunk(writer, actor, indicator.id, resolved.slice(start, start + ROWS_PER_STATEMENT));
          inserted += counts.inserted;
          updated += counts.updated;
        }
        return { inserted, updated, unchanged: rows.length - inserted - updated, indicator };
      });
    },
  }),
}));

// ---------------------------------------------------------------------------------------------
// Export: /export/observations.csv and .ndjson, in the CSV shape the importer reads (docs/CSV.md)

const observationExportParameters = {
  indicator: { kind: 'list', pattern: /^[A-Z0-9][A-Z0-9_]*$/, description: 'Indicator codes, comma-separated or repeated ("SIP_MEETINGS").' },
  region: regionParameter,
  organisation: organisationParameter('An organisation'),
  from: { kind: 'period', argument: 'periodFrom', description: 'Periods starting on or after the start of this period ("2018-05").' },
  to: { kind: 'period', argument: 'periodTo', description: 'Periods starting before the end of this period ("2018" includes its months).' },
  grain: { kind: 'enum', values: ['year', 'quarter', 'month'], description: 'Only periods of this length.' },
  updatedSince: { kind: 'dateTime', description: 'Only observations changed at or after this time, deleted ones included.' },
  includeDeleted: { kind: 'boolean', description: 'Include deleted observations (with deleted_at).' },
  dimension: {
    kind: 'prefixed',
    argument: 'dimensions',
    keyPattern: /^[a-z][a-z_]*$/,
    pattern: /^[a-z][a-z0-9_]*$/,
    description: '`dimension.<name>=<value>`: the dimension has this value; `=` (empty) it is absent (totals); `=*` it is present.',
  },
} as const satisfies Record<string, ExportParameter>;

registerExport({
  name: 'observations',
  description: 'Observations in the CSV shape the importer reads: one row per observation, one column per dimension.',
  table: tables.observations,
  references: [tables.indicators],
  parameters: observationExportParameters,
  filter: (values): ObservationFilterShape => ({
    indicator: values.indicator ?? null,
    region: values.region ?? null,
    organisation: values.organisation ?? null,
    periodFrom: values.from ?? null,
    periodTo: values.to ?? null,
    grain: (values.grain as Grain | undefined) ?? null,
    ...lifecycleFilter(values),
    dimensions: Object.entries(values.dimension ?? {}).map(([name, value]) =>
      value === '' ? { name, present: false } : value === '*' ? { name, present: true } : { name, value },
    ),
  }),
  where: observationConditions,
  // By ID: the primary key's index gives this order without sorting, and each page of PGlite's
  // keyset paging starts where the last ended, whatever the filter.
  keys: [tables.observations.id],
  // On PostgreSQL, in the order of an observation's identity (indicator, subject, period,
  // dimensions): its unique index follows the table's layout, as observations are loaded an
  // indicator at a time. By ID, every row of a national export was a read of another page: four
  // times the time for the scan alone.
  streamOrder: [
    tables.observations.indicatorId,
    tables.observations.regionId,
    tables.observations.organisationId,
    tables.observations.period,
    tables.observations.dimensions,
  ],
  dynamicNames: (where) =>
    sql`select distinct jsonb_object_keys(${tables.observations.dimensions}) from ${tables.observations}${where ? sql` where ${where}` : sql``}`,
  columns: (dimensions) => {
    const o = tables.observations;
    return [
      { name: 'indicator', value: o.indicatorId, lookup: { key: tables.indicators.id, value: tables.indicators.code } },
      { name: 'region', value: o.regionId, lookup: { key: tables.regions.id, value: tables.regions.code } },
      { name: 'organisation', value: o.organisationId, map: globalIdOf('Organisation') },
      { name: 'period', value: o.period },
      // The period's first day: a date column for time axes (Grafana, Power BI); ignored on import.
      { name: 'period_start', value: o.periodStart },
      { name: 'value', value: o.value, json: 'number' },
      ...dimensions.map((name) => ({ name, value: sql`${o.dimensions} ->> ${name}` })),
      { name: 'updated_at', value: isoTime(o.updatedAt) },
      { name: 'deleted_at', value: isoTime(o.deletedAt) },
      { name: 'id', value: o.id, map: globalIdOf('Observation') },
    ];
  },
});
