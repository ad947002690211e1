import { selectRows, tables } from '@naravard/db';
import { sql } from 'drizzle-orm';
import { builder } from '../builder.ts';
import { loadReference } from '../loaders.ts';
import { GrantFilter, type GrantFilterShape, grantConditions } from './grants/read.ts';
import {
  GrantProgramme,
  type GrantProgrammeRow,
  Organisation,
  type OrganisationRow,
  Region,
  type RegionRow,
} from './refs.ts';

/**
 * Sums of grants grouped by region, recipient organisation, programme and year, in the style of
 * `observationAggregates`: one SQL statement on exact numerics, amounts as Decimal strings.
 */

const GrantGrouping = builder.enumType('GrantGrouping', {
  description: 'What to group grants by.',
  values: {
    REGION: { description: 'By recipient region (null for grants to an organisation only).' },
    ORGANISATION: { description: 'By recipient organisation (null for grants to a region only).' },
    PROGRAMME: { description: 'By grant programme.' },
    YEAR: { description: 'By calendar year of the period ("2025-Q2" counts in 2025).' },
  },
});

type Grouping = 'REGION' | 'ORGANISATION' | 'PROGRAMME' | 'YEAR';

interface GrantAggregateShape {
  regionId: string | null;
  organisationId: string | null;
  programmeId: string | null;
  year: number | null;
  count: number;
  amountCount: number;
  sumSek: string | null;
  approximate: boolean;
}

const GrantAggregate = builder.objectRef<GrantAggregateShape>('GrantAggregate').implement({
  description: 'One group of grants and the sum of their amounts, computed in the database on exact numerics. Keys not grouped by are null.',
  fields: (t) => ({
    region: t.field({
      type: Region,
      nullable: true,
      description: 'The recipient region of the group, when grouped by REGION.',
      resolve: (group, _args, context, info) => loadReference<RegionRow>(context, tables.regions, group.regionId, info),
    }),
    recipientOrganisation: t.field({
      type: Organisation,
      nullable: true,
      description: 'The recipient organisation of the group, when grouped by ORGANISATION.',
      resolve: (group, _args, context, info) => loadReference<OrganisationRow>(context, tables.organisations, group.organisationId, info),
    }),
    programme: t.field({
      type: GrantProgramme,
      nullable: true,
      description: 'The programme of the group, when grouped by PROGRAMME.',
      resolve: (group, _args, context, info) => loadReference<GrantProgrammeRow>(context, tables.grantProgrammes, group.programmeId, info),
    }),
    year: t.exposeInt('year', { nullable: true, description: 'The calendar year of the group, when grouped by YEAR.' }),
    count: t.exposeInt('count', { description: 'How many grants the group holds.' }),
    amountCount: t.exposeInt('amountCount', { description: 'How many of them give an amount (the others are not in `sumSek`).' }),
    sumSek: t.field({
      type: 'Decimal',
      nullable: true,
      description: 'The sum of the amounts in SEK, exact ("97900000.00"); null when no grant of the group gives an amount.',
      resolve: (group) => group.sumSek,
    }),
    approximate: t.exposeBoolean('approximate', {
      description: 'True when any amount added up is approximate in the records ("about 46 MSEK").',
    }),
  }),
});

const g = tables.grants;

async function aggregateGrants(
  context: Parameters<typeof loadReference>[0],
  groupBy: readonly Grouping[],
  filter: GrantFilterShape | null | undefined,
): Promise<GrantAggregateShape[]> {
  const by = new Set(groupBy);
  const region = by.has('REGION') ? sql`${g.recipientRegionId}` : sql`null::uuid`;
  const organisation = by.has('ORGANISATION') ? sql`${g.recipientOrganisationId}` : sql`null::uuid`;
  const programme = by.has('PROGRAMME') ? sql`${g.programmeId}` : sql`null::uuid`;
  const year = by.has('YEAR') ? sql`substr(${g.period}, 1, 4)::int` : sql`null::int`;
  const where = grantConditions(filter);
  // Keys are computed in a subquery and grouped by name outside it.
  const result = await selectRows<GrantAggregateShape>(context.db, sql`
    select k.region_id::text as "regionId", k.organisation_id::text as "organisationId", k.programme_id::text as "programmeId",
      k.year as "year", count(*)::int as "count", count(k.amount)::int as "amountCount", sum(k.amount)::text as "sumSek",
      coalesce(bool_or(k.approximate and k.amount is not null), false) as "approximate"
    from (select ${region} as region_id, ${organisation} as organisation_id, ${programme} as programme_id, ${year} as year,
        ${g.amountSek} as amount, ${g.amountIsApproximate} as approximate
      from ${g} ${where ? sql`where ${where}` : sql``}) k
    group by k.region_id, k.organisation_id, k.programme_id, k.year
    order by k.year asc nulls last,
      (select ${tables.regions.code} from ${tables.regions} where ${tables.regions.id} = k.region_id) asc nulls last,
      (select ${tables.grantProgrammes.name} from ${tables.grantProgrammes} where ${tables.grantProgrammes.id} = k.programme_id) asc nulls last,
      (select ${tables.organisations.name} from ${tables.organisations} where ${tables.organisations.id} = k.organisation_id) asc nulls last,
      k.region_id, k.programme_id, k.organisation_id`);
  return result;
}

builder.queryFields((t) => ({
  grantAggregates: t.field({
    type: [GrantAggregate],
    description: [
      'Count and sum of grant amounts, grouped by region, recipient organisation, programme and year, computed in one',
      'SQL statement on exact numerics (Decimal strings). Grants without an amount are counted but not summed',
      '(`amountCount`). Statuses are added together unless the filter picks some: filter by `status` to sum only',
      'what was awarded or paid. Groups come ordered by year, region code, programme name and organisation name.',
    ].join(' '),
    args: {
      groupBy: t.arg({ type: [GrantGrouping], defaultValue: [], description: 'Group by these keys; none gives one group of everything that matches.' }),
      filter: t.arg({ type: GrantFilter, description: 'Which grants to add up, as for `grants`.' }),
    },
    resolve: (_root, args, context) => aggregateGrants(context, (args.groupBy ?? []) as Grouping[], args.filter),
  }),
}));
