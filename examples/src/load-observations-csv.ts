/**
 * Loads indicator observations from a CSV file through the SDK, in batches.
 *
 *   NARAVARD_API_KEY=nv_… pnpm --filter @naravard/examples load-observations-csv data/sip-halland-2018-09.csv
 *       [--indicator SIP_MEETINGS] [--batch-size 1000]
 *
 * The CSV has a header row. Columns:
 *   indicator     the indicator's code (or give --indicator for every row)
 *   region        SCB county code ("13"), or
 *   organisation  an organisation's global ID: each row has exactly one of the two
 *   period        2018, 2018-Q3 or 2018-09
 *   value         a decimal number, "." as decimal point
 *   any other     a dimension: the column name is the dimension's name ("setting"), the cell its
 *                 value ("home_care"); an empty cell means the row lacks that dimension
 *   period_start, updated_at, id    written by the export (export-series-csv.ts); not read
 *   deleted_at    written by the export for deleted observations: such rows are skipped (the
 *                 CLI's `naravard import csv` deletes them)
 * This is the shape of docs/CSV.md, so a file from the export loads back as it is.
 *
 * upsertObservations is idempotent (rows already stored as given are left alone), so the file
 * can be loaded again after a fix or a failure; the client retries it on network errors. A bad
 * row refuses its whole batch, and the script names its line in the file.
 * Needs NARAVARD_API_KEY with the `write` scope; reads NARAVARD_URL (default
 * http://localhost:4000/graphql).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createClient, type ObservationRowInput } from '@naravard/sdk';
import { parse } from 'csv-parse/sync';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { indicator: { type: 'string' }, 'batch-size': { type: 'string', default: '1000' } },
});
const file = positionals[0];
if (!file) {
  console.error('usage: load-observations-csv.ts <file.csv> [--indicator CODE] [--batch-size N]');
  process.exit(2);
}
const apiKey = process.env.NARAVARD_API_KEY;
if (!apiKey) {
  console.error('Set NARAVARD_API_KEY to an API key with the write scope.');
  process.exit(2);
}
const batchSize = Number(values['batch-size']);
const client = createClient({ url: process.env.NARAVARD_URL ?? 'http://localhost:4000/graphql', apiKey });

/** Columns that are not dimensions (docs/CSV.md). */
const KNOWN = new Set(['indicator', 'region', 'organisation', 'period', 'value', 'period_start', 'updated_at', 'deleted_at', 'id']);
const records: Record<string, string>[] = parse(readFileSync(file, 'utf8'), {
  columns: true,
  skip_empty_lines: true,
  trim: true,
});

/** The rows of each indicator, each with the line of the file it came from (the header is line 1). */
const byIndicator = new Map<string, { line: number; row: ObservationRowInput }[]>();
let deleted = 0;
records.forEach((record, index) => {
  if (record.deleted_at) {
    deleted += 1;
    return;
  }
  const indicator = values.indicator ?? record.indicator;
  if (!indicator) throw new Error(`line ${index + 2}: no indicator (add an "indicator" column or pass --indicator)`);
  const row: ObservationRowInput = {
    period: record.period ?? '',
    value: record.value ?? '',
    dimensions: Object.entries(record)
      .filter(([name, value]) => !KNOWN.has(name) && value !== '')
      .map(([name, value]) => ({ name, value })),
  };
  if (record.region) row.region = record.region;
  if (record.organisation) row.organisation = record.organisation;
  byIndicator.set(indicator, [...(byIndicator.get(indicator) ?? []), { line: index + 2, row }]);
});

const totals = { inserted: 0, updated: 0, unchanged: 0 };
let failed = false;
for (const [indicator, rows] of byIndicator) {
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const { upsertObservations: result } = await client.upsertObservations({ indicator, rows: batch.map((entry) => entry.row) });
    const lines = `lines ${batch[0]!.line}–${batch.at(-1)!.line}`;
    switch (result.__typename) {
      case 'UpsertObservationsResult':
        console.log(`${indicator} ${lines}: ${result.inserted} inserted, ${result.updated} updated, ${result.unchanged} unchanged`);
        totals.inserted += result.inserted;
        totals.updated += result.updated;
        totals.unchanged += result.unchanged;
        break;
      case 'ValidationError':
        failed = true;
        console.error(`${indicator} ${lines}: refused, nothing written in this batch: ${result.message}`);
        for (const issue of result.issues) {
          // ["rows", "3", "period"]: the fourth row of this batch, its period column.
          const [, index, ...field] = issue.path;
          const line = index !== undefined && /^\d+$/.test(index) ? batch[Number(index)]?.line : undefined;
          console.error(`  ${line ? `line ${line}` : issue.path.join('.')}${field.length ? ` (${field.join('.')})` : ''}: ${issue.message}`);
        }
        break;
      case 'NotFoundError':
        failed = true;
        console.error(`${indicator} ${lines}: ${result.message} (${result.type} ${result.id})`);
        break;
      case 'ForbiddenError':
        console.error(`The API key lacks the "${result.requiredScope}" scope.`);
        process.exit(1);
      case 'ConflictError':
        failed = true;
        console.error(`${indicator} ${lines}: ${result.message}`);
        break;
    }
  }
}
console.log(
  `Done: ${records.length} rows, ${totals.inserted} inserted, ${totals.updated} updated, ${totals.unchanged} unchanged${deleted ? `, ${deleted} deleted skipped` : ''}${failed ? '; some batches were refused' : ''}.`,
);
process.exitCode = failed ? 1 : 0;
