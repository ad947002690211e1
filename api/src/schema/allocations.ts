import { tables } from '@naravard/db';
import { type SQL, sql } from 'drizzle-orm';
import { builder } from '../builder.ts';
import { bookkeepingColumns, globalIdOf, idColumn, lifecycleParameters, regionParameter, registerExport } from '../exports.ts';
import { filterId, allOf, lifecycleConditions, lifecycleFilterFields, referenceIs, regionIs, textMatches } from '../filters.ts';
import { filteredList, type OrderKey } from '../pagination.ts';
import { periodBounds, periodStart } from './grant-periods.ts';
import { Allocation, type AllocationRow } from './refs.ts';

/** The root list of allocations: money passed on from grants and programmes, across regions. */

const a = tables.allocations;
const g = tables.grants;

/** The allocation's programme: the one it names, or else its grant's. */
const programmeOf = sql`coalesce(${a.programmeId}, (select ${g.programmeId} from ${g} where ${g.id} = ${a.grantId}))`;

const AllocationFilter = builder.inputType('AllocationFilter', {
  description: 'Narrows a list of allocations. Conditions combine with AND.',
  fields: (t) => ({
    region: t.string({ description: 'SCB county code of the region where the money is passed on ("07").' }),
    programme: t.globalID({ description: "From this programme (a GrantProgramme ID): named on the allocation, or its grant's." }),
    grant: t.globalID({ description: 'From this grant (a Grant ID).' }),
    fromOrganisation: t.globalID({ description: 'Passed on by this body (an Organisation ID).' }),
    recipientOrganisation: t.globalID({ description: 'Received by this organisation (an Organisation ID).' }),
    periodFrom: t.field({
      type: 'Period',
      description: 'Periods starting in or after this one, compared by the first day of each period (allocations without a period never match).',
    }),
    periodTo: t.field({
      type: 'Period',
      description: 'Periods starting in or before this one ("2024" keeps 2024-Q3 and 2024-09); allocations without a period never match.',
    }),
    text: t.string({ description: 'Words in the recipient description or the description, accents and case ignored.' }),
    ...lifecycleFilterFields(t),
  }),
});

const AllocationOrder = builder.enumType('AllocationOrder', {
  description: 'Orders of an allocation list; ties are broken by ID so paging is stable.',
  values: {
    PERIOD_DESC: { description: 'Newest period first (the default); allocations without a period last.' },
    PERIOD_ASC: { description: 'Oldest period first; allocations without a period last.' },
    AMOUNT_DESC: { description: 'Largest fixed amount first; allocations without one (rates, ceilings) last.' },
    UPDATED_AT: { description: 'By last change, oldest first: the order for incremental refresh.' },
  },
});

type AllocationFilterShape = typeof AllocationFilter.$inferInput;

function allocationConditions(filter: AllocationFilterShape | null | undefined): SQL | undefined {
  const programme = filterId(filter?.programme, 'GrantProgramme', 'programme');
  const start = periodStart(a.period);
  return allOf([
    ...lifecycleConditions(a, filter),
    regionIs(a.regionId, filter?.region),
    programme ? sql`${programmeOf} = ${programme}::uuid` : undefined,
    referenceIs(a.grantId, filter?.grant, 'Grant', 'grant'),
    referenceIs(a.fromOrganisationId, filter?.fromOrganisation, 'Organisation', 'fromOrganisation'),
    referenceIs(a.recipientOrganisationId, filter?.recipientOrganisation, 'Organisation', 'recipientOrganisation'),
    filter?.periodFrom ? sql`${start} >= ${periodBounds(filter.periodFrom).start}::date` : undefined,
    filter?.periodTo ? sql`${start} < ${periodBounds(filter.periodTo).next}::date` : undefined,
    textMatches([a.recipientDescription, a.description], filter?.text),
  ]);
}

/** Never-NULL keys: first whether the period is missing, then its first day. */
function byPeriod(direction: 'asc' | 'desc'): OrderKey[] {
  return [
    { column: sql`(${a.period} is null)`, direction: 'asc' },
    { column: sql`coalesce(${periodStart(a.period)}, date '0001-01-01')`, direction },
  ];
}

function allocationOrder(order: string | null | undefined): OrderKey[] {
  if (order === 'UPDATED_AT') return [{ column: a.updatedAt, direction: 'asc' }];
  if (order === 'PERIOD_ASC') return byPeriod('asc');
  if (order === 'AMOUNT_DESC') return [{ column: sql`coalesce(${a.amountSek}, -1)`, direction: 'desc' }];
  return byPeriod('desc');
}

const allocationList = filteredList<AllocationRow, AllocationFilterShape>({ table: a, where: allocationConditions, order: allocationOrder });

builder.queryFields((t) => ({
  allocations: t.connection({
    type: Allocation,
    description:
      'Money passed on from grants and programmes (fördelning, ersättning), across regions: fixed amounts, rates and ceilings.',
    args: {
      filter: t.arg({ type: AllocationFilter, description: 'Which allocations.' }),
      orderBy: t.arg({ type: AllocationOrder, defaultValue: 'PERIOD_DESC', description: 'In which order.' }),
    },
    resolve: (_root, args, context, info) => allocationList.page(context, args, info),
  }),
}));

// ---------------------------------------------------------------------------------------------
// Export: /export/allocations.csv and .ndjson, with the filter of `allocations`

registerExport({
  name: 'allocations',
  description:
    'Allocations (fördelning, ersättning): one row per allocation, with its source grant and programme, who passes it on and receives it, period, and amount, rate or ceiling in SEK.',
  table: a,
  references: [tables.grantProgrammes, tables.organisations],
  parameters: {
    region: { ...regionParameter, description: 'Passed on in this region, by SCB county code ("07").' },
    programme: { kind: 'id', types: ['GrantProgramme'], description: "From this programme (a GrantProgramme ID): named on the allocation, or its grant's." },
    grant: { kind: 'id', types: ['Grant'], description: 'From this grant (a Grant ID).' },
    fromOrganisation: { kind: 'id', types: ['Organisation'], description: 'Passed on by this body (an Organisation ID).' },
    recipientOrganisation: { kind: 'id', types: ['Organisation'], description: 'Received by this organisation (an Organisation ID).' },
    from: { kind: 'period', argument: 'periodFrom', description: 'Periods starting in or after this one ("2024"); allocations without a period never match.' },
    to: { kind: 'period', argument: 'periodTo', description: 'Periods starting in or before this one ("2024" includes its quarters and months).' },
    text: { kind: 'string', description: 'Words in the recipient description or the description, accents and case ignored.' },
    ...lifecycleParameters,
  },
  filter: (values): AllocationFilterShape => ({
    region: values.region ?? null,
    programme: values.programme ?? null,
    grant: values.grant ?? null,
    fromOrganisation: values.fromOrganisation ?? null,
    recipientOrganisation: values.recipientOrganisation ?? null,
    periodFrom: values.from ?? null,
    periodTo: values.to ?? null,
    text: values.text ?? null,
    updatedSince: values.updatedSince ?? null,
    includeDeleted: values.includeDeleted ?? null,
  }),
  where: allocationConditions,
  keys: [a.id],
  columns: () => [
    idColumn('id', a.id, 'Allocation'),
    idColumn('grant', a.grantId, 'Grant'),
    { name: 'programme', value: programmeOf, map: globalIdOf('GrantProgramme') },
    { name: 'programme_name', value: programmeOf, lookup: { key: tables.grantProgrammes.id, value: tables.grantProgrammes.name } },
    { name: 'region', value: a.regionId, lookup: { key: tables.regions.id, value: tables.regions.code } },
    idColumn('from_organisation', a.fromOrganisationId, 'Organisation'),
    { name: 'from_organisation_name', value: a.fromOrganisationId, lookup: { key: tables.organisations.id, value: tables.organisations.name } },
    idColumn('recipient_organisation', a.recipientOrganisationId, 'Organisation'),
    { name: 'recipient_organisation_name', value: a.recipientOrganisationId, lookup: { key: tables.organisations.id, value: tables.organisations.name } },
    { name: 'recipient_description', value: a.recipientDescription },
    { name: 'period', value: a.period },
    { name: 'amount_sek', value: a.amountSek, json: 'number' },
    { name: 'rate_sek', value: a.rateSek, json: 'number' },
    { name: 'rate_max_sek', value: a.rateMaxSek, json: 'number' },
    { name: 'rate_unit', value: a.rateUnit },
    { name: 'cap_sek', value: a.capSek, json: 'number' },
    { name: 'cap_unit', value: a.capUnit },
    { name: 'paid_on', value: a.paidOn },
    { name: 'description', value: a.description },
    ...bookkeepingColumns(a),
  ],
});
