import { columnList, selectRows, tables } from '@naravard/db';
import { and, eq, getTableName, isNull, sql } from 'drizzle-orm';
import { builder } from '../../builder.ts';
import type { ColumnChoice } from '../../columns.ts';
import type { Context } from '../../context.ts';
import { BadInputError } from '../../errors.ts';
import { allOf, resolveFilterNames } from '../../filters.ts';
import { type EntityTable, loadReference, primeJoinedRow } from '../../loaders.ts';
import { Organisation, type OrganisationRow, Region, type RegionRow } from '../refs.ts';
import { byGrain, type Grain, GRAIN_RANK, PeriodGrain, periodOf } from './periods.ts';
import { type IndicatorObservationFilterShape, observationConditions } from './observation-list.ts';

/* observationAggregates: count, sum, avg, min and max in SQL, grouped by region, organisation, period and dimensions. */

export const ObservationGrouping = builder.enumType('ObservationGrouping', {
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

export const ObservationAggregate = builder.objectRef<AggregateShape>('ObservationAggregate').implement({
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

export interface AggregateArgs {
  indicator: string;
  groupBy?: readonly Grouping[] | null;
  dimensions?: readonly string[] | null;
  filter?: IndicatorObservationFilterShape | null;
}

/** What a query reads of the groups, so the statement computes no more than that. */
export interface AggregateWanted {
  grains: boolean;
  dimensionSets: boolean;
  /** The columns read of each group's region and organisation, when the query selects them: read by the statement's joins. */
  region?: ColumnChoice;
  organisation?: ColumnChoice;
}

/**
 * Every group in one statement. The group keys are computed in a subquery and grouped by name
 * outside it, so parameters inside key expressions never trouble GROUP BY.
 */
export async function aggregate(
  context: Context,
  args: AggregateArgs,
  wanted: AggregateWanted = { grains: true, dimensionSets: true },
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
  // The group's region and organisation, when the query reads them, come from the joins below
  // (a JSON array of the columns it reads), handed to the request's loaders: no second statement.
  const joined = (
    [
      ['regionRow', r, wanted.region],
      ['organisationRow', g, wanted.organisation],
    ] as const
  ).flatMap(([name, table, choice]) => {
    if (!choice) return [];
    const list = columnList(choice.columns, `${getTableName(table)}:${choice.key}`);
    const column = sql`, case when ${table.id} is null then null else json_build_array(${sql.raw(list.jsonValues)})::text end as ${sql.identifier(name)}`;
    return [{ name, table: table as EntityTable, choice, list, column }];
  });
  // Rows are grouped by IDs; region codes and organisation names (for the order) are joined to
  // the groups afterwards, a few dozen rows instead of every observation.
  const query = sql`
    select groups.k_region::text as "regionId", groups.k_organisation::text as "organisationId",
      groups.k_period_start::text as "periodStart", groups.k_period_grain as "periodGrain", groups.k_dimensions::text as "dimensions",
      groups.count as "count", groups.sum as "sum", groups.avg as "avg", groups.min as "min", groups.max as "max",
      groups.grains as "grains", groups.dimension_sets as "dimensionSets"${sql.join(
        joined.map(({ column }) => column),
        sql``,
      )}
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
    Omit<AggregateShape, 'dimensions' | 'grains' | 'dimensionSets'> & { dimensions: string; grains: string; dimensionSets: string } & Record<string, unknown>
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
    for (const { name, table, choice, list } of joined) {
      const folded = row[name] as string | null;
      if (folded !== null) primeJoinedRow(context, table, choice, list.read(JSON.parse(folded) as unknown[], 0) as { id: string });
      delete row[name];
    }
    return {
      ...row,
      count: Number(row.count),
      dimensions: dimensionNames.map((name, index) => ({ name, value: values[index] ?? null })),
      grains: (JSON.parse(row.grains) as Grain[]).sort(byGrain),
      dimensionSets: (JSON.parse(row.dimensionSets) as string[][]).sort(compareNameLists),
    };
  });
}
