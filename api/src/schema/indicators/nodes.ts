import { tables } from '@naravard/db';
import { asc, sql } from 'drizzle-orm';
import { builder } from '../../builder.ts';
import { allOf, takesNames, lifecycleConditions, lifecycleFilterFields, resolveFilterNames, taggedWith, textMatches } from '../../filters.ts';
import { loadChildren, loadReference } from '../../loaders.ts';
import { entityNode, taggedEntityNode } from '../nodes.ts';
import type { OrderKey } from '../../pagination.ts';
import { Indicator, type IndicatorRow, IndicatorTarget, type IndicatorTargetRow, Observation, type ObservationRow, Organisation, type OrganisationRow, Region, type RegionRow } from '../refs.ts';
import { type Grain, IndicatorDirection, PeriodGrain, TargetComparator } from './periods.ts';
import { Dimension, DimensionInput, dimensionList, indicatorObservationArgs, observationList, SeriesPoint } from './observation-list.ts';
import { type SeriesArgs, seriesLoader } from './series.ts';

/* The Indicator, IndicatorTarget and Observation nodes, and the list of indicators. */

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

export const IndicatorFilter = builder.inputType('IndicatorFilter', {
  description: 'Narrows a list of indicators. Conditions combine with AND.',
  fields: (t) => ({
    text: t.string({ description: 'Words in the code, name or description, matched as `search` matches them: whole words in any inflection, accents and case ignored, every word required ("quoted phrase", `or`, -word) ("SIP", "vardgaranti").' }),
    topic: t.string({ description: 'Tagged with this topic: its slug ("follow-up-and-indicators") or its name, English or Swedish ("central kontaktingång").' }),
    direction: t.field({ type: [IndicatorDirection], description: 'Any of these directions.' }),
    ...lifecycleFilterFields(t),
  }),
});

export const IndicatorOrder = builder.enumType('IndicatorOrder', {
  description: 'Orders of an indicator list; ties are broken by ID so paging is stable.',
  values: {
    CODE: { description: 'By code, ascending (the default).' },
    NAME: { description: 'By name, ascending.' },
    UPDATED_AT: { description: 'By last change, oldest first: the order for incremental refresh.' },
  },
});

type IndicatorFilterShape = typeof IndicatorFilter.$inferInput;

export function indicatorConditions(filter: IndicatorFilterShape | null | undefined) {
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

export function indicatorOrder(order: string | null | undefined): OrderKey[] {
  const i = tables.indicators;
  if (order === 'NAME') return [{ column: i.name, direction: 'asc' }];
  if (order === 'UPDATED_AT') return [{ column: i.updatedAt, direction: 'asc' }];
  return [{ column: i.code, direction: 'asc' }];
}
