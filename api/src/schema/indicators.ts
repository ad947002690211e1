import { selectRows, tables } from '@naravard/db';
import DataLoader from 'dataloader';
import { and, asc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { databaseEnum } from '../enums.ts';
import { BadInputError } from '../errors.ts';
import { allOf, lifecycleConditions, lifecycleFilterFields, regionIs, taggedWith, textMatches } from '../filters.ts';
import { loadChildren, loadReference } from '../loaders.ts';
import { entityNode, taggedEntityNode } from '../nodes.ts';
import { type ConnectionArgs, type OrderKey, paginateChildren, paginateTable } from '../pagination.ts';
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
  region: t.string({ description: 'Observations of this region, by SCB county code ("13" is Halland).' }),
  organisation: t.globalID({ description: 'Observations of this organisation (an Organisation ID), e.g. a health centre.' }),
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

function organisationIdOf(value: { typename: string; id: string } | null | undefined, argument: string) {
  if (!value) return undefined;
  if (value.typename !== 'Organisation') {
    throw new BadInputError(`"${argument}" must be the ID of an Organisation, got one of a ${value.typename}`, argument);
  }
  return value.id;
}

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
  const organisation = organisationIdOf(filter?.organisation, 'organisation');
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

const observationListArgs = builder.args((t) => ({
  filter: t.field({ type: ObservationFilter, description: 'Which observations.' }),
  orderBy: t.field({ type: ObservationOrder, defaultValue: 'PERIOD', description: 'In which order.' }),
}));

const indicatorObservationArgs = builder.args((t) => ({
  filter: t.field({ type: IndicatorObservationFilter, description: 'Which of the indicator’s observations.' }),
  orderBy: t.field({ type: ObservationOrder, defaultValue: 'PERIOD', description: 'In which order.' }),
}));

interface ObservationListArgs extends ConnectionArgs {
  filter?: ObservationFilterShape | null;
  orderBy?: string | null;
}

/** A parent's observations (an indicator's, a region's, an organisation's), batched across parents. */
function observationsOf(
  context: Context,
  foreignKey:
    | typeof tables.observations.indicatorId
    | typeof tables.observations.regionId
    | typeof tables.observations.organisationId,
  parentId: string,
  args: ObservationListArgs,
) {
  return paginateChildren<ObservationRow>({
    context,
    table: tables.observations,
    foreignKey,
    parentId,
    where: observationConditions(args.filter),
    filterKey: JSON.stringify([args.filter ?? null, args.orderBy ?? null]),
    order: observationOrder(args.orderBy),
    args,
  });
}

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
  const organisation = organisationIdOf(args.organisation, 'organisation');
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
      resolve: (indicator, args, context) => observationsOf(context, tables.observations.indicatorId, indicator.id, args),
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
        region: t.arg.string({ description: 'The region, by SCB county code ("13"). Give this or `organisation`.' }),
        organisation: t.arg.globalID({ description: 'The organisation (an Organisation ID). Give this or `region`.' }),
        dimensions: t.arg({
          type: [DimensionInput],
          description: 'The exact dimensions of the series; leave out for observations without dimensions.',
        }),
        periodFrom: t.arg({ type: 'Period', description: 'Periods starting on or after the start of this period.' }),
        periodTo: t.arg({ type: 'Period', description: 'Periods starting before the end of this period ("2018" includes its months).' }),
        grain: t.arg({ type: PeriodGrain, description: 'Only periods of this length.' }),
      },
      resolve: (indicator, args, context) => seriesLoader(context, args as SeriesArgs).load(indicator.id),
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
      resolve: async (target, _args, context) =>
        (await loadReference<IndicatorRow>(context, tables.indicators, target.indicatorId))!,
    }),
    comparator: t.expose('comparator', { type: TargetComparator, description: 'How a value is compared with `value`.' }),
    value: t.expose('value', { type: 'Decimal', description: 'The target value, exact, in the unit of the indicator.' }),
    region: t.field({
      type: Region,
      nullable: true,
      description: 'The region that set the target; null for a national target.',
      resolve: (target, _args, context) => loadReference<RegionRow>(context, tables.regions, target.regionId),
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
      resolve: async (observation, _args, context) =>
        (await loadReference<IndicatorRow>(context, tables.indicators, observation.indicatorId))!,
    }),
    region: t.field({
      type: Region,
      nullable: true,
      description: 'The region the value is for; null when it is for an organisation.',
      resolve: (observation, _args, context) => loadReference<RegionRow>(context, tables.regions, observation.regionId),
    }),
    organisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The organisation the value is for (e.g. a health centre); null when it is for a region.',
      resolve: (observation, _args, context) =>
        loadReference<OrganisationRow>(context, tables.organisations, observation.organisationId),
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
    text: t.string({ description: 'Words in the code, name or description, accents and case ignored ("SIP", "vardgaranti").' }),
    topic: t.string({ description: 'Tagged with this topic (its slug, e.g. "follow-up-and-indicators").' }),
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
      resolve: (group, _args, context) => loadReference<RegionRow>(context, tables.regions, group.regionId),
    }),
    organisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The organisation of the group, when grouped by ORGANISATION (null there for regions’ observations).',
      resolve: (group, _args, context) =>
        loadReference<OrganisationRow>(context, tables.organisations, group.organisationId),
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
async function aggregate(context: Context, args: AggregateArgs): Promise<AggregateShape[]> {
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
  const filter = args.filter ?? {};
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
  const dimensionKey = sql`jsonb_build_array(${sql.join(
    dimensionNames.map((name) => sql`${o.dimensions} ->> ${name}::text`),
    sql`, `,
  )})`;
  const query = sql`
    select k_region::text as "regionId", k_organisation::text as "organisationId",
      k_period_start::text as "periodStart", k_period_grain as "periodGrain", k_dimensions::text as "dimensions",
      count(*)::int as "count", sum(value)::text as "sum", trim_scale(avg(value))::text as "avg",
      min(value)::text as "min", max(value)::text as "max",
      jsonb_agg(distinct period_grain)::text as "grains", jsonb_agg(distinct dimension_names)::text as "dimensionSets"
    from (
      select
        ${byRegion ? o.regionId : sql`null::uuid`} as k_region,
        ${byRegion ? r.code : sql`null::text`} as k_region_code,
        ${byOrganisation ? o.organisationId : sql`null::uuid`} as k_organisation,
        ${byOrganisation ? g.name : sql`null::text`} as k_organisation_name,
        ${periodKeys.start} as k_period_start,
        ${periodKeys.grain} as k_period_grain,
        ${dimensionKey} as k_dimensions,
        ${o.value} as value,
        ${o.periodGrain} as period_grain,
        (select coalesce(jsonb_agg(k order by k), '[]'::jsonb) from jsonb_object_keys(${o.dimensions}) as k) as dimension_names
      from ${o}
      ${byRegion ? sql`left join ${r} on ${r.id} = ${o.regionId}` : sql``}
      ${byOrganisation ? sql`left join ${g} on ${g.id} = ${o.organisationId}` : sql``}
      where ${where}
    ) as base
    group by k_region, k_region_code, k_organisation, k_organisation_name, k_period_start, k_period_grain, k_dimensions
    order by k_period_start nulls first, k_period_grain desc nulls first, k_region_code nulls last, k_region,
      k_organisation_name nulls last, k_organisation, k_dimensions
    limit ${MAX_GROUPS + 1}`;
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
    resolve: (_root, args, context) =>
      paginateTable<IndicatorRow>({
        db: context.db,
        table: tables.indicators,
        where: indicatorConditions(args.filter),
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
    resolve: (_root, args, context) =>
      paginateTable<ObservationRow>({
        db: context.db,
        table: tables.observations,
        where: observationConditions(args.filter),
        order: observationOrder(args.orderBy),
        args,
      }),
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
    resolve: (_root, args, context) => aggregate(context, args as AggregateArgs),
  }),
}));

builder.objectField(Region, 'observations', (t) =>
  t.connection({
    type: Observation,
    description: 'Indicator values stored for the region.',
    args: observationListArgs,
    resolve: (region, args, context) => observationsOf(context, tables.observations.regionId, region.id, args),
  }),
);

builder.objectField(Organisation, 'observations', (t) =>
  t.connection({
    type: Observation,
    description: 'Indicator values stored for the organisation (e.g. a health centre).',
    args: observationListArgs,
    resolve: (organisation, args, context) =>
      observationsOf(context, tables.observations.organisationId, organisation.id, args),
  }),
);
