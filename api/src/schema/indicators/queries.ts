import { tables } from '@naravard/db';
import { and, eq, isNull } from 'drizzle-orm';
import { builder } from '../../builder.ts';
import { columnsFor } from '../../columns.ts';
import { selectedFields, selectionOf } from '../../selection.ts';
import { resolveFilterNames } from '../../filters.ts';
import { paginateTable } from '../../pagination.ts';
import { Indicator, type IndicatorRow, Observation, Organisation, Region } from '../refs.ts';
import { IndicatorObservationFilter, observationList, observationListArgs } from './observation-list.ts';
import { indicatorConditions, IndicatorFilter, IndicatorOrder, indicatorOrder } from './nodes.ts';
import { aggregate, type AggregateArgs, ObservationAggregate, ObservationGrouping } from './aggregates.ts';

/* Root fields, and the observations of a region and of an organisation. */

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
      return aggregate(context, args as AggregateArgs, {
        grains: fields.has('grains'),
        dimensionSets: fields.has('dimensionSets'),
        region: fields.has('region') ? columnsFor(tables.regions, selectionOf(info, 'region')) : undefined,
        organisation: fields.has('organisation') ? columnsFor(tables.organisations, selectionOf(info, 'organisation')) : undefined,
      });
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
