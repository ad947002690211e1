import { tables } from '@naravard/db';
import DataLoader from 'dataloader';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Context } from '../../context.ts';
import { BadInputError } from '../../errors.ts';
import { allOf, filterId, regionIs } from '../../filters.ts';
import type { ObservationRow } from '../refs.ts';
import { byGrain, type Grain, periodConditions } from './periods.ts';

/* Indicator.series: one line of a chart, batched across the indicators of a page. */

export interface SeriesArgs {
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
export function seriesLoader(context: Context, args: SeriesArgs) {
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
