import { tables } from '@naravard/db';
import { sql } from 'drizzle-orm';
import { type ExportParameter, globalIdOf, isoTime, lifecycleFilter, organisationParameter, regionParameter, registerExport } from '../../exports.ts';
import type { Grain } from './periods.ts';
import { observationConditions, type ObservationFilterShape } from './observation-list.ts';

/* The export of observations: /export/observations.csv and .ndjson. */

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
