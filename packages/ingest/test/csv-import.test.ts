import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectRows } from '@naravard/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliDatabase, contentChecksum, createCliDatabase, organisationGlobalId } from './import-support.ts';

/*
 * `naravard import csv` as a separate process, on a seeded database (PGlite data folder, or
 * PostgreSQL when DATABASE_URL is set). Values are made up for the tests, in the agreed shape
 * (docs/CSV.md); expectations are written out by hand.
 */

let cli: CliDatabase;
let folder: string;
let healthCentre: { id: string; name: string };

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'naravard-csv-'));
  cli = await createCliDatabase();
  healthCentre = await cli.inspect(async ({ db }) => {
    const [row] = await selectRows<{ id: string; name: string }>(
      db,
      sql`select id, name from organisations where kind = 'health_centre' order by name limit 1`,
    );
    return row!;
  });
});
afterAll(async () => {
  await cli?.dispose();
  rmSync(folder, { recursive: true, force: true });
});

let files = 0;
const file = (text: string) => {
  const path = join(folder, `file-${++files}.csv`);
  writeFileSync(path, text);
  return path;
};

interface Stored {
  subject: string;
  period: string;
  value: string;
  dimensions: Record<string, string>;
  deleted: boolean;
  version: number;
}

/** SIP_MEETINGS observations of 2019 as stored: subject (county code or organisation name), period, value, dimensions. */
const stored2019 = () =>
  cli.inspect(async ({ db }) =>
    selectRows<Stored>(
      db,
      sql`select coalesce(r.code, g.name) as subject, o.period, o.value::text as value, o.dimensions,
            o.deleted_at is not null as deleted, o.version
          from observations o join indicators i on i.id = o.indicator_id
          left join regions r on r.id = o.region_id left join organisations g on g.id = o.organisation_id
          where i.code = 'SIP_MEETINGS' and o.period like '2019%'
          order by coalesce(r.code, g.name) collate "C", o.period, o.dimensions::text collate "C"`,
    ),
  );

const checksum = () => cli.inspect(contentChecksum);

const lastImport = () =>
  cli.inspect(async ({ db }) => {
    const [row] = await selectRows<{ status: string; actor: string; source: string; error: string | null; observations_created: string }>(
      db,
      sql`select status, actor, source, error, observations_created::text from imports order by started_at desc limit 1`,
    );
    return row!;
  });

const summaryOf = (result: { events: Record<string, any>[] }) => result.events.find((event) => event.event === 'summary');

describe('naravard import csv', () => {
  it('imports a file with a BOM, then a second run changes nothing, then a changed value and a deletion', async () => {
    const org = organisationGlobalId(healthCentre.id);
    const text = [
      '\uFEFFindicator,region,organisation,period,value,ownership,setting,id,updated_at',
      'SIP_MEETINGS,13,,2019-01,104,,home_care,ignored-id,2020-01-01T00:00:00Z',
      'SIP_MEETINGS,13,,2019-01,55,public,home_care,,',
      `SIP_MEETINGS,,${org},2019-Q1,7.25,,,,`,
      '',
    ].join('\n');
    const path = file(text);
    const first = await cli.run(['import', 'csv', path]);
    expect(first.stderr).not.toMatch(/refused/);
    expect(first.code).toBe(0);
    expect(summaryOf(first)).toMatchObject({ rows: 3, created: 3, changed: 0, unchanged: 0, deleted: 0, dryRun: false });
    expect(first.events.some((event) => event.event === 'progress')).toBe(true);
    expect(await stored2019()).toEqual([
      { subject: '13', period: '2019-01', value: '55', dimensions: { ownership: 'public', setting: 'home_care' }, deleted: false, version: 1 },
      { subject: '13', period: '2019-01', value: '104', dimensions: { setting: 'home_care' }, deleted: false, version: 1 },
      { subject: healthCentre.name, period: '2019-Q1', value: '7.25', dimensions: {}, deleted: false, version: 1 },
    ]);
    expect(await lastImport()).toMatchObject({ status: 'succeeded', actor: 'cli:importer-test', source: 'csv', observations_created: '3' });

    const before = await checksum();
    const again = await cli.run(['import', 'csv', path]);
    expect(again.code).toBe(0);
    expect(summaryOf(again)).toMatchObject({ rows: 3, created: 0, changed: 0, unchanged: 3, deleted: 0 });
    expect(await checksum()).toBe(before);

    const changes = file(
      [
        'indicator,region,organisation,period,value,ownership,setting,deleted_at',
        'SIP_MEETINGS,13,,2019-01,106,,home_care,',
        'SIP_MEETINGS,13,,2019-01,,public,home_care,2020-02-01T00:00:00Z',
        `SIP_MEETINGS,,${org},2019-Q1,7.250,,,`,
      ].join('\n'),
    );
    const third = await cli.run(['import', 'csv', changes]);
    expect(third.code).toBe(0);
    expect(summaryOf(third)).toMatchObject({ rows: 3, created: 0, changed: 1, unchanged: 1, deleted: 1 });
    const rows = await stored2019();
    expect(rows.find((row) => row.subject === '13' && !row.dimensions.ownership)).toMatchObject({ value: '106', version: 2, deleted: false });
    expect(rows.find((row) => row.dimensions.ownership === 'public')).toMatchObject({ value: '55', version: 2, deleted: true });
  });

  it('reads ";" files with decimal commas, and --indicator with --map for a file in its own words', async () => {
    const path = file(['län;år;värde;setting', '07;2019-02;12,5;joint_planning', '07;2019;-0,75;'].join('\r\n'));
    const result = await cli.run(['import', 'csv', path, '--indicator', 'SIP_MEETINGS', '--map', 'län=region', '--map', 'år=period', '--map', 'värde=value']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(summaryOf(result)).toMatchObject({ rows: 2, created: 2 });
    const rows = (await stored2019()).filter((row) => row.subject === '07');
    expect(rows).toEqual([
      { subject: '07', period: '2019', value: '-0.75', dimensions: {}, deleted: false, version: 1 },
      { subject: '07', period: '2019-02', value: '12.5', dimensions: { setting: 'joint_planning' }, deleted: false, version: 1 },
    ]);
  });

  const header = 'indicator,region,organisation,period,value,setting';
  const good = (n: number) => `SIP_MEETINGS,12,,2020-${String((n % 12) + 1).padStart(2, '0')},${n},${n % 2 ? 'home_care' : ''}`;
  const manyGood = (from: number, count: number) => Array.from({ length: count }, (_, i) => good(from + i));

  it.each([
    ['at the start', [header, 'SIP_MEETINGS,13,,2020-13,5,', ...manyGood(0, 10)], { line: 2, column: 'period', message: /"2020-13" is not a period/ }],
    ['in the middle', [header, ...manyGood(0, 5), 'SIP_MEETINGS,13,,2020-01,5 st,', ...manyGood(5, 5)], { line: 7, column: 'value', message: /"5 st" is not a decimal/ }],
    ['at the end', [header, ...manyGood(0, 10), 'SIP_MEETINGS,,,2020-01,5,'], { line: 12, column: 'region', message: /needs a region or an organisation/ }],
    ['with a bad dimension value', [header, ...manyGood(0, 3), 'SIP_MEETINGS,13,,2020-01,5,Home Care'], { line: 5, column: 'setting', message: /not a dimension value/ }],
    ['naming an unknown region', [header, ...manyGood(0, 3), 'SIP_MEETINGS,99,,2020-01,5,', good(3)], { line: 5, column: 'region', message: /no region has the county code "99"/ }],
    ['naming an unknown indicator', [header, good(0), 'NO_SUCH_INDICATOR,13,,2020-01,5,'], { line: 3, column: 'indicator', message: /no indicator has the code "NO_SUCH_INDICATOR"/ }],
    ['giving one observation twice', [header, good(1), good(2), good(1)], { line: 4, column: 'period', message: /line 4 is the same observation as line 2/ }],
    ['with a short row', [header, good(1), 'SIP_MEETINGS,13,,2020-01'], { line: 3, column: '*', message: /the header has 6 columns, this row 4/ }],
  ])('refuses a file with a bad row %s, naming line and column, and writes nothing', async (_where, lines, expected) => {
    const before = await checksum();
    const result = await cli.run(['import', 'csv', file(lines.join('\n'))]);
    expect(result.code).toBe(2);
    const refused = result.events.find((event) => event.event === 'refused');
    expect(refused, result.stderr).toBeDefined();
    expect(refused!.problems[0]).toMatchObject({ line: expected.line, column: expected.column });
    expect(refused!.problems[0].message).toMatch(expected.message);
    expect(result.stderr).toMatch(new RegExp(`line ${expected.line}, column "${expected.column.replace('*', '\\*')}"`));
    expect(await checksum()).toBe(before);
    expect(await lastImport()).toMatchObject({ status: 'failed' });
  });

  it('refuses a dimension column with a reserved or malformed name, and a file without --indicator or indicator column', async () => {
    const before = await checksum();
    const badHeader = await cli.run(['import', 'csv', file(['indicator,region,period,value,Kön', 'SIP_MEETINGS,13,2020,1,k'].join('\n'))]);
    expect(badHeader.code).toBe(2);
    expect(badHeader.stderr).toMatch(/line 1, column "Kön": "Kön" is not a dimension name/);
    const noIndicator = await cli.run(['import', 'csv', file(['region,period,value', '13,2020,1'].join('\n'))]);
    expect(noIndicator.code).toBe(2);
    expect(noIndicator.stderr).toMatch(/give --indicator/);
    expect(await checksum()).toBe(before);
  });

  it('imports 200,000 rows streaming, in one transaction, within 300 MB', async () => {
    const regions = ['01', '03', '04', '05', '06', '07', '08', '09', '10', '12', '13', '14', '17', '18', '19', '20', '21', '22', '23', '24', '25'];
    const lines = ['indicator,region,organisation,period,value,setting'];
    let n = 0;
    // 21 regions × 100 dimension values × 96 months (1950–1957) = 201,600 rows; keep 200,000.
    outer: for (let month = 0; month < 96; month++) {
      for (const region of regions) {
        for (let d = 0; d < 100; d++) {
          if (n++ >= 200_000) break outer;
          lines.push(`SIP_MEETINGS,${region},,${1950 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')},${(n % 997) / 4},s${d}`);
        }
      }
    }
    const path = file(`${lines.join('\n')}\n`);
    const result = await cli.run(['import', 'csv', path]);
    expect(result.stderr.slice(0, 2000)).not.toMatch(/refused|Error/);
    expect(result.code).toBe(0);
    const summary = summaryOf(result)!;
    expect(summary).toMatchObject({ rows: 200_000, created: 200_000 });
    // The importer's own memory: on PostgreSQL the database is another process; PGlite runs the
    // database inside the importer, so its buffers count too and the bound does not apply.
    if (process.env.DATABASE_URL) expect(summary.peakRssMb).toBeLessThan(300);
    const [count] = await cli.inspect(({ db }) =>
      selectRows<{ rows: number; logged: number }>(
        db,
        sql`select (select count(*) from observations where period < '1958')::int as rows,
                   (select count(*) from change_log c join observations o on o.id = c.entity_id where o.period < '1958')::int as logged`,
      ),
    );
    expect(count).toEqual({ rows: 200_000, logged: 200_000 });
  }, 300_000);
});
