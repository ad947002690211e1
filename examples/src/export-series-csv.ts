/**
 * Exports one series (tidsserie) of an indicator to CSV, for a BI tool or a spreadsheet.
 *
 *   pnpm --filter @naravard/examples export-series-csv [--indicator SIP_MEETINGS] [--region 13 | --organisation ID]
 *       [--dimension setting=home_care ...] [--from 2018-05] [--to 2018-12] [--grain month] [--out series.csv]
 *
 * A series is the values of one subject (a region or an organisation) with exactly the given
 * dimensions. The defaults give the monthly totals of SIP meetings at enrolment in home care in
 * Region Halland (the series of BI.md).
 *
 * The file is the observations export (`/export/observations.csv`, docs/EXPORTS.md) as the API
 * streams it: the shape `pnpm naravard import csv` and load-observations-csv.ts read (docs/CSV.md),
 * one column per dimension, rows in a stable order (sort by `period_start` for a time axis).
 * Writes to stdout, or to the file given with --out. Reads NARAVARD_URL (default
 * http://localhost:4000/graphql; the export is on the same host); needs no key.
 */
import { createWriteStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';

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
const dimensions = new Map(
  dimensionArgs.map((pair) => {
    const [name, value] = pair.split('=');
    if (!name || !value) {
      console.error(`--dimension takes name=value, got "${pair}"`);
      process.exit(2);
    }
    return [name, value] as const;
  }),
);

/** Columns of the export that are not dimensions (docs/CSV.md). */
const RESERVED = new Set(['indicator', 'region', 'organisation', 'period', 'period_start', 'value', 'id', 'updated_at', 'deleted_at']);

const url = new URL('/export/observations.csv', process.env.NARAVARD_URL ?? 'http://localhost:4000/graphql');
url.searchParams.set('indicator', values.indicator);
if (region) url.searchParams.set('region', region);
if (values.organisation) url.searchParams.set('organisation', values.organisation);
if (values.from) url.searchParams.set('from', values.from);
if (values.to) url.searchParams.set('to', values.to);
if (values.grain) url.searchParams.set('grain', values.grain.toLowerCase());
for (const [name, value] of dimensions) url.searchParams.set(`dimension.${name}`, value);

async function request(target: URL): Promise<Response> {
  const response = await fetch(target);
  if (response.status !== 200) {
    const text = await response.text();
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {
      // Not JSON: the text as it came.
    }
    console.error(`${target.pathname}: ${response.status} ${message}`);
    process.exit(1);
  }
  return response;
}

/** The header row of an answer, and the answer's bytes from the start (the header included). */
async function header(response: Response) {
  const reader = response.body!.getReader();
  const chunks: Uint8Array[] = [];
  let text = '';
  while (!text.includes('\n')) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    text += Buffer.from(value).toString('utf8');
  }
  async function* body() {
    yield* chunks;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  }
  return {
    columns: text.slice(0, text.indexOf('\n')).split(','),
    rows: Number(response.headers.get('x-total-count')),
    body: body(),
    cancel: () => reader.cancel(),
  };
}

// The export keeps rows with other dimensions too (breakdowns of the series by ownership, say);
// a series has exactly the given ones, so any other dimension found must be absent
// (`dimension.<name>=` with nothing after it) and the export is asked again with that.
let answer = await header(await request(url));
const others = answer.columns.filter((column) => !RESERVED.has(column) && !dimensions.has(column));
if (others.length > 0) {
  await answer.cancel();
  for (const name of others) url.searchParams.set(`dimension.${name}`, '');
  answer = await header(await request(url));
}

const target = values.out ? createWriteStream(values.out) : new Writable({ write: (chunk, _encoding, done) => process.stdout.write(chunk, done) });
await pipeline(Readable.from(answer.body), target);
if (values.out) console.error(`Wrote ${answer.rows} observations of ${values.indicator} to ${values.out} (from ${url.pathname}${url.search})`);
