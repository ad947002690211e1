import { tables } from '@naravard/db';
import { eq, type SQL, sql } from 'drizzle-orm';
import { builder } from '../../builder.ts';
import { BadInputError } from '../../errors.ts';
import { allOf, takesNames, filterId, lifecycleConditions, lifecycleFilterFields, regionIs } from '../../filters.ts';
import { filteredList, type OrderKey } from '../../pagination.ts';
import { Observation, type ObservationRow } from '../refs.ts';
import { type Grain, PeriodGrain, periodConditions } from './periods.ts';

/* Dimensions, series points, the observation filter and the paged list of observations. */

interface DimensionShape {
  name: string;
  value: string;
}

export const Dimension = builder.objectRef<DimensionShape>('Dimension').implement({
  description:
    'One dimension of an observation (a breakdown, nedbrytning): its name and value, e.g. ownership = "private" or setting = "home_care".',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The dimension, e.g. "ownership" (driftsform) or "setting".' }),
    value: t.exposeString('value', { description: 'Its value for this observation, e.g. "public" or "joint_planning".' }),
  }),
});

/** The dimensions of an observation as a list sorted by name. */
export const dimensionList = (dimensions: Record<string, string>): DimensionShape[] =>
  Object.entries(dimensions)
    .map(([name, value]) => ({ name, value: String(value) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** A series point is backed by its observation. */
export const SeriesPoint = builder.objectRef<ObservationRow>('SeriesPoint').implement({
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

export const DimensionFilter = builder.inputType('DimensionFilter', {
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

export const DimensionInput = builder.inputType('DimensionInput', {
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

export const IndicatorObservationFilter = builder.inputType('IndicatorObservationFilter', {
  description: "Narrows an indicator's observations: the observation filter without `indicator`. Conditions combine with AND.",
  fields: (t) => observationFilterFields(t),
});

export type IndicatorObservationFilterShape = typeof IndicatorObservationFilter.$inferInput;
export type ObservationFilterShape = IndicatorObservationFilterShape & { indicator?: readonly string[] | null };
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
export function observationConditions(filter: ObservationFilterShape | null | undefined): SQL | undefined {
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

export const observationList = filteredList<ObservationRow, ObservationFilterShape>({ table: tables.observations, where: observationConditions, order: observationOrder });

export const observationListArgs = builder.args((t) => ({
  filter: t.field({ type: ObservationFilter, description: 'Which observations.' }),
  orderBy: t.field({ type: ObservationOrder, defaultValue: 'PERIOD', description: 'In which order.' }),
}));

export const indicatorObservationArgs = builder.args((t) => ({
  filter: t.field({ type: IndicatorObservationFilter, description: 'Which of the indicator’s observations.' }),
  orderBy: t.field({ type: ObservationOrder, defaultValue: 'PERIOD', description: 'In which order.' }),
}));
