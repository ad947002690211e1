/**
 * Exports one series (tidsserie) of an indicator to CSV, for a BI tool or a spreadsheet.
 *
 *   pnpm --filter @naravard/examples export-series-csv [--indicator SIP_MEETINGS] [--region 13 | --organisation ID]
 *       [--dimension setting=home_care ...] [--from 2018-05] [--to 2018-12] [--grain MONTH] [--out series.csv]
 *
 * A series is the values of one subject (a region or an organisation) with exactly the given
 * dimensions, ordered by period. The defaults give the monthly totals of SIP meetings at
 * enrolment in home care in Region Halland (the series of BI.md). Writes to stdout, or to the
 * file given with --out. Reads NARAVARD_URL (default http://localhost:4000/graphql); needs no key.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createClient, type PeriodGrain } from '@naravard/sdk';

const { values } = parseArgs({
  options: {
    indicator: { type: 'string', default: 'SIP_MEETINGS' },
    region: { type: 'string' },
    organisation: { type: 'string' },
    dimension: { type: 'string', multiple: true },
    from: { type: 'string' },
    to: { type: 'string' },
    grain: { type: 'string' },
    out: { type: 'string' },
  },
});
const region = values.organisation ? undefined : (values.region ?? '13');
const dimensionArgs = values.dimension ?? (values.indicator === 'SIP_MEETINGS' && !values.organisation ? ['setting=home_care'] : []);
const dimensions = dimensionArgs.map((pair) => {
  const [name, value] = pair.split('=');
  if (!name || !value) throw new Error(`--dimension takes name=value, got "${pair}"`);
  return { name, value };
});

const client = createClient({ url: process.env.NARAVARD_URL ?? 'http://localhost:4000/graphql' });
const { indicator } = await client.indicator({
  code: values.indicator,
  withSeries: true,
  region,
  organisation: values.organisation,
  dimensions,
  periodFrom: values.from,
  periodTo: values.to,
  grain: values.grain as PeriodGrain | undefined,
});
if (!indicator) {
  console.error(`No indicator with the code "${values.indicator}"`);
  process.exit(1);
}

/** A CSV field, quoted when it holds a comma, a quote or a line break. */
const field = (value: string | null | undefined) => {
  const text = value ?? '';
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};
const dimensionText = dimensions.map(({ name, value }) => `${name}=${value}`).join(';');
const lines = [
  'indicator,region,organisation,dimensions,period,period_start,value',
  ...(indicator.series ?? []).map((point) =>
    [indicator.code, region, values.organisation, dimensionText, point.period, point.periodStart, point.value].map(field).join(','),
  ),
];
const csv = `${lines.join('\n')}\n`;

if (values.out) {
  writeFileSync(values.out, csv);
  console.error(`Wrote ${lines.length - 1} points of ${indicator.code} (${indicator.name}, ${indicator.unit}) to ${values.out}`);
} else {
  process.stdout.write(csv);
}
