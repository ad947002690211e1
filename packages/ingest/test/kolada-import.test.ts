import type { ChildProcess } from 'node:child_process';
import { selectRows } from '@naravard/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeKolada, ROWS, startFakeKolada } from './fake-kolada.ts';
import { createApp, createLogger } from '../../../api/src/index.ts';
import { createClient } from '../../../sdk/src/index.ts';
import { type CliDatabase, contentChecksum, createCliDatabase } from './import-support.ts';

/*
 * `naravard import kolada` as a separate process against a fake Kolada API v3 (never the real
 * service), on a seeded database (PGlite data folder, or PostgreSQL when DATABASE_URL is set).
 */

let cli: CliDatabase;
let kolada: FakeKolada;

beforeAll(async () => {
  cli = await createCliDatabase();
  kolada = await startFakeKolada(3);
});
afterAll(async () => {
  await kolada?.close();
  await cli?.dispose();
});
beforeEach(() => {
  kolada.requests.length = 0;
  kolada.tooManyRequests = 0;
  kolada.failFromPage = null;
  kolada.slowFromPage = null;
  kolada.onSlowPage = null;
  kolada.rows = ROWS;
  kolada.changedRows = [];
});

const OPTIONS = ['--kpi', 'N79050,N71000', '--regions', '13,07', '--municipalities', '0780,1380', '--years', '2022-2023'];
const importKolada = (extra: string[] = [], onSpawn?: Parameters<CliDatabase['run']>[2]) =>
  cli.run(['import', 'kolada', ...OPTIONS, '--base-url', kolada.url, '--retries', '1', ...extra], {}, onSpawn);
const summaryOf = (result: { events: Record<string, any>[] }) => result.events.find((event) => event.event === 'summary');

interface Stored {
  code: string;
  subject: string;
  period: string;
  value: string;
  dimensions: Record<string, string>;
  deleted: boolean;
}

/** Observations of the Kolada indicators, as stored: subject is the county code or the municipality's kommunkod. */
const storedKolada = () =>
  cli.inspect(async ({ db }) =>
    selectRows<Stored>(
      db,
      sql`select i.code, coalesce(r.code, g.municipality_code) as subject, o.period, o.value::text as value, o.dimensions,
            o.deleted_at is not null as deleted
          from observations o join indicators i on i.id = o.indicator_id
          left join regions r on r.id = o.region_id left join organisations g on g.id = o.organisation_id
          where i.source_system = 'Kolada'
          order by i.code, coalesce(r.code, g.municipality_code) collate "C", o.period, o.dimensions::text collate "C"`,
    ),
  );

const EXPECTED: Stored[] = [
  { code: 'N71000', subject: '0780', period: '2022', value: '120', dimensions: {}, deleted: false },
  { code: 'N71000', subject: '0780', period: '2023', value: '131.5', dimensions: {}, deleted: false },
  { code: 'N79050', subject: '07', period: '2022', value: '48.4', dimensions: {}, deleted: false },
  { code: 'N79050', subject: '07', period: '2023', value: '50.1', dimensions: {}, deleted: false },
  { code: 'N79050', subject: '13', period: '2022', value: '59.75', dimensions: { gender: 'men' }, deleted: false },
  { code: 'N79050', subject: '13', period: '2022', value: '63.25', dimensions: { gender: 'women' }, deleted: false },
  { code: 'N79050', subject: '13', period: '2022', value: '61.5', dimensions: {}, deleted: false },
  { code: 'N79050', subject: '13', period: '2023', value: '62', dimensions: {}, deleted: false },
];

describe('naravard import kolada', () => {
  it('refuses a run that Kolada fails in the middle, writing no observation, then resumes after the last page it kept', async () => {
    const before = await cli.inspect(contentChecksum);
    kolada.failFromPage = 2;
    const failed = await importKolada();
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stderr).toMatch(/Kolada answered 500 .* 2 times[\s\S]*run the same command again to resume/);
    expect(await storedKolada()).toEqual([]);
    // Only staging and the run's record moved; no indicator, observation or change-log entry.
    const after = await cli.inspect(contentChecksum);
    const withoutStaging = (checksum: string) => checksum.split('\n').filter((line) => !line.startsWith('observation_staging:')).join('\n');
    expect(withoutStaging(after)).toBe(withoutStaging(before));
    const [run] = await cli.inspect(({ db }) =>
      selectRows<{ status: string; checkpoint: { pages: number } }>(db, sql`select status, checkpoint from imports where source = 'kolada'`),
    );
    expect(run).toMatchObject({ status: 'failed', checkpoint: { pages: 1 } });

    kolada.failFromPage = null;
    kolada.requests.length = 0;
    const resumed = await importKolada();
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(summaryOf(resumed)).toMatchObject({
      resumed: true,
      pages: 3,
      rows: 7,
      skippedMissing: 3,
      indicators: { created: 2, changed: 0, unchanged: 0 },
      created: 8,
      changed: 0,
      unchanged: 0,
      deleted: 0,
    });
    // The first page was not fetched again: the run went on at page 2.
    const dataRequests = kolada.requests.filter((request) => request.startsWith('/v3/data'));
    expect(dataRequests.map((request) => new URLSearchParams(request.split('?')[1]).get('page'))).toEqual(['2', '3']);
    expect(await storedKolada()).toEqual(EXPECTED);
    const [indicator] = await cli.inspect(({ db }) =>
      selectRows<{ name: string; kolada_kpi_id: string; description: string }>(
        db,
        sql`select name, kolada_kpi_id, description from indicators where code = 'N79050'`,
      ),
    );
    expect(indicator).toMatchObject({ name: 'Invånare med fast läkarkontakt, andel (%)', kolada_kpi_id: 'N79050' });
    expect(indicator!.description).toContain('Källa: Kolada');
  });

  it('a second run, waiting out a 429 as Retry-After says, asks for changes since the last run and changes nothing', async () => {
    const before = await cli.inspect(contentChecksum);
    kolada.tooManyRequests = 1;
    const started = Date.now();
    const again = await importKolada();
    expect(again.code, again.stderr).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(again.events.find((event) => event.event === 'retry')).toMatchObject({ status: 429, waitMs: 1000 });
    const today = new Date().toISOString().slice(0, 10);
    expect(kolada.requests.filter((request) => request.startsWith('/v3/data')).every((request) => request.includes(`from_date=${today}`))).toBe(true);
    expect(summaryOf(again)).toMatchObject({ resumed: false, fromDate: today, rows: 0, indicators: { created: 0, changed: 0, unchanged: 2 }, created: 0, changed: 0, deleted: 0 });
    const after = await cli.inspect(contentChecksum);
    expect(after).toBe(before);
  });

  it('applies what changed since a date: a new value and a row Kolada deleted', async () => {
    kolada.changedRows = [
      { kpi: 'N79050', period: 2023, municipality: '0007', values: [{ gender: 'T', value: 50.3, status: '' }] },
      { kpi: 'N71000', period: 2022, municipality: '0780', values: [{ gender: 'T', value: null, status: '' }], isdeleted: true },
    ];
    const result = await importKolada(['--since', '2024-01-01']);
    expect(result.code, result.stderr).toBe(0);
    expect(summaryOf(result)).toMatchObject({ fromDate: '2024-01-01', created: 0, changed: 1, unchanged: 0, deleted: 1 });
    const stored = await storedKolada();
    expect(stored.find((row) => row.subject === '07' && row.period === '2023')).toMatchObject({ value: '50.3', deleted: false });
    expect(stored.find((row) => row.subject === '0780' && row.period === '2022')).toMatchObject({ value: '120', deleted: true });
  });

  it('finds KPIs by words of their titles, and a dry run writes nothing', async () => {
    const before = await cli.inspect(contentChecksum);
    const result = await cli.run(['import', 'kolada', '--kpi', 'fast läkarkontakt', '--regions', '13', '--years', '2022', '--since', '2000-01-01', '--base-url', kolada.url, '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(kolada.requests.some((request) => request.startsWith('/v3/data/kpi/N79050/municipality/0013/year/2022'))).toBe(true);
    expect(summaryOf(result)).toMatchObject({ dryRun: true });
    expect((await cli.inspect(contentChecksum)).split('\n').filter((line) => !line.startsWith('observation_staging:'))).toEqual(
      before.split('\n').filter((line) => !line.startsWith('observation_staging:')),
    );
  });

  it('refuses unknown KPIs and malformed options before fetching any data', async () => {
    const unknown = await cli.run(['import', 'kolada', '--kpi', 'N00001', '--regions', '13', '--base-url', kolada.url]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Kolada has no KPI N00001/);
    const badRegion = await cli.run(['import', 'kolada', '--kpi', 'N79050', '--regions', '013', '--base-url', kolada.url]);
    expect(badRegion.code).toBe(2);
    expect(badRegion.stderr).toMatch(/"013" is not a two-digit county code/);
    expect(kolada.requests.filter((request) => request.startsWith('/v3/data'))).toEqual([]);
  });

  it('lists every run in the `imports` connection, newest first, through the SDK', async () => {
    const imports = await cli.inspect(async (connection) => {
      const app = await createApp({ connection, logger: createLogger() });
      const port = await app.listen(0, '127.0.0.1');
      try {
        const client = createClient({ url: `http://127.0.0.1:${port}/graphql` });
        return (await client.imports({ source: 'KOLADA' as never, first: 10 })).imports;
      } finally {
        await app.stop();
      }
    });
    // The failed run resumed and succeeded, the incremental run, the --since run, the dry run.
    // (The refused options never started a run.)
    expect(imports.totalCount).toBe(4);
    const runs = imports.edges.map((edge) => edge.node);
    expect(runs.map((run) => [run.status, run.dryRun])).toEqual([
      ['SUCCEEDED', true],
      ['SUCCEEDED', false],
      ['SUCCEEDED', false],
      ['SUCCEEDED', false],
    ]);
    expect(runs[3]).toMatchObject({
      source: 'KOLADA',
      actor: 'cli:importer-test',
      sourceUrl: kolada.url,
      resumable: false,
      rowsRead: 7,
      indicators: { created: 2, changed: 0, unchanged: 0 },
      observations: { created: 8, changed: 0, unchanged: 0, deleted: 0 },
      error: null,
    });
    expect(runs[3]!.parameters).toMatchObject({ kpis: ['N71000', 'N79050'], subjects: ['0013', '0007', '0780', '1380'], years: [2022, 2023] });
    expect(runs[1]!.observations).toEqual({ created: 0, changed: 1, unchanged: 0, deleted: 1 });
  });

  it('stops cleanly on Ctrl-C (SIGINT) mid-run, writing nothing, and the next run resumes', async () => {
    kolada.changedRows = ROWS;
    kolada.slowFromPage = 2;
    const before = await cli.inspect(contentChecksum);
    // Ctrl-C while the importer waits for its second page, the first one staged.
    let running: ChildProcess | undefined;
    kolada.onSlowPage = () => running?.kill('SIGINT');
    const interrupted = await importKolada(['--since', '2000-01-01'], (child) => (running = child));
    expect(interrupted.code, interrupted.stderr).toBe(130);
    expect(interrupted.events.find((event) => event.event === 'interrupted')).toEqual({ event: 'interrupted', resumable: true });
    const strip = (checksum: string) => checksum.split('\n').filter((line) => !line.startsWith('observation_staging:')).join('\n');
    expect(strip(await cli.inspect(contentChecksum))).toBe(strip(before));
    const [run] = await cli.inspect(({ db }) =>
      selectRows<{ status: string; checkpoint: { pages: number } }>(db, sql`select status, checkpoint from imports order by started_at desc limit 1`),
    );
    expect(run).toMatchObject({ status: 'failed', checkpoint: { pages: 1 } });

    kolada.slowFromPage = null;
    kolada.requests.length = 0;
    const resumed = await importKolada(['--since', '2000-01-01']);
    expect(resumed.code, resumed.stderr).toBe(0);
    // Kolada's values again: 07/2023 back from 50.3 to 50.1, and 0780/2022 back from deleted.
    expect(summaryOf(resumed)).toMatchObject({ resumed: true, pages: 3, rows: 7, created: 0, changed: 2, unchanged: 6, deleted: 0 });
    expect(kolada.requests.filter((request) => request.startsWith('/v3/data')).map((request) => new URLSearchParams(request.split('?')[1]).get('page'))).toEqual(['2', '3']);
    expect(await storedKolada()).toEqual(EXPECTED);
  });
});
