import { tables } from '@naravard/db';
import { bookkeepingColumns, idColumn, lifecycleFilter, lifecycleParameters, organisationParameter, regionParameter, registerExport } from '../../exports.ts';
import { grantConditions, type GrantFilterShape } from './read.ts';

/* The export of grants: /export/grants.csv and .ndjson, with the filter of `grants`. */

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
