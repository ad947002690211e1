import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callers } from '../../api/test/support/auth.ts';
import { startTestServer, type TestServer } from '../../api/test/support/server.ts';

const EXAMPLES = fileURLToPath(new URL('..', import.meta.url));

let server: TestServer;
let writeKey: string;
let scratch: string;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
  writeKey = (await callers(server)).write.authorization.replace(/^Bearer /, '');
  scratch = mkdtempSync(join(tmpdir(), 'naravard-examples-'));
});
afterAll(async () => {
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs an example as a user would: its own Node process with tsx, in examples/, against the
 * test server. The SDK comes from its source through the workspace's export condition. The
 * process must not block this one: the server answering it runs here.
 */
function example(script: string, args: string[] = [], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@naravard/source', '--import', 'tsx', `src/${script}.ts`, ...args],
      { cwd: EXAMPLES, env: { ...process.env, NARAVARD_URL: `${server.url}/graphql`, NARAVARD_API_KEY: writeKey, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function ok<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<Data> {
  const response = await server.graphql<Data>(query, variables);
  expect(response.errors).toBeUndefined();
  return response.data!;
}

describe('decisions-on-topic', () => {
  it('lists the central-contact-entry decisions of Kronoberg, each with its source quotes', async () => {
    const run = await example('decisions-on-topic', ['central-contact-entry']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Central contact entry (central-contact-entry): 11 decisions in 1 region');
    expect(run.stdout).toContain('Region Kronoberg (07)');
    expect(run.stdout).toContain('2023-03-28  DECISION  Formuleringen om nya symtom stryks; man kan alltid vända sig till den centrala kontaktingången');
    expect(run.stdout).toContain(
      '“Beslut: Vi stryker formuleringen att man ska vända sig till den centrala kontaktingången vid nya symtom. Man kan alltid vända sig till den centrala kontaktingången.”',
    );
    expect(run.stdout).toContain('— Mötesanteckningar - Styrgrupp Nära vård, lines 64–65');

    // Every decision the API has on the topic is printed, with every one of its quotes.
    const { decisions } = await ok(`{
      decisions(first: 100, filter: { topic: "central-contact-entry" }) {
        totalCount edges { node { title region { code } citations { quote } } }
      }
    }`);
    expect(decisions.totalCount).toBe(11);
    for (const { node } of decisions.edges) {
      expect(node.region.code).toBe('07');
      expect(run.stdout).toContain(node.title);
      for (const citation of node.citations) expect(run.stdout).toContain(`“${citation.quote}”`);
    }
  });

  it('groups a topic decided on in several regions by region, and gives JSON with --json', async () => {
    const run = await example('decisions-on-topic', ['governance']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Governance of the shift \(governance\): 7 decisions in 2 regions/);
    expect(run.stdout).toContain('\nRegion Kronoberg (07)\n');
    expect(run.stdout).toContain('\nRegion Örebro län (18)\n');

    const json = await example('decisions-on-topic', ['governance', '--region', '18', '--json']);
    const decisions = JSON.parse(json.stdout) as { region: { code: string }; citations: { quote: string }[] }[];
    expect(decisions).toHaveLength(1);
    expect(decisions[0]!.region.code).toBe('18');
    expect(decisions[0]!.citations.length).toBeGreaterThan(0);
  });
});

describe('load-observations-csv', () => {
  const sipSeries = async (setting: string) =>
    (
      await ok(`{ indicator(code: "SIP_MEETINGS") { series(region: "13", dimensions: [{ name: "setting", value: "${setting}" }]) { period value } } }`)
    ).indicator.series as { period: string; value: string }[];

  it('loads the sample file: the seed holds the same 24 values, so all are unchanged', async () => {
    const run = await example('load-observations-csv', ['data/sip-halland-2018-09.csv']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('SIP_MEETINGS lines 2–25: 0 inserted, 0 updated, 24 unchanged');
    expect(run.stdout).toContain('Done: 24 rows, 0 inserted, 0 updated, 24 unchanged.');
  });

  it('loads new and changed rows in batches, visible through the API afterwards; a second load changes nothing', async () => {
    const csv = join(scratch, 'joint-planning.csv');
    writeFileSync(
      csv,
      [
        'region,period,value,ownership,setting',
        '13,2018-09,301,,joint_planning',
        '13,2018-09,131,private,joint_planning',
        '13,2018-09,170,public,joint_planning',
        '13,2018-08,272,,joint_planning', // stored as 271: an update
        '13,2018-10,288,,joint_planning',
      ].join('\n'),
    );
    const first = await example('load-observations-csv', [csv, '--indicator', 'SIP_MEETINGS', '--batch-size', '2']);
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n').filter((line) => line.startsWith('SIP_MEETINGS lines'))).toEqual([
      'SIP_MEETINGS lines 2–3: 2 inserted, 0 updated, 0 unchanged',
      'SIP_MEETINGS lines 4–5: 1 inserted, 1 updated, 0 unchanged',
      'SIP_MEETINGS lines 6–6: 1 inserted, 0 updated, 0 unchanged',
    ]);
    expect(first.stdout).toContain('Done: 5 rows, 4 inserted, 1 updated, 0 unchanged.');

    expect(await sipSeries('joint_planning')).toEqual([
      { period: '2018-05', value: '279' },
      { period: '2018-06', value: '221' },
      { period: '2018-07', value: '244' },
      { period: '2018-08', value: '272' },
      { period: '2018-09', value: '301' },
      { period: '2018-10', value: '288' },
    ]);
    const { observations } = await ok(`{
      observations(filter: { indicator: ["SIP_MEETINGS"], region: "13", periodFrom: "2018-09", periodTo: "2018-09",
        dimensions: [{ name: "ownership", present: true }, { name: "setting", value: "joint_planning" }] }) {
        edges { node { value dimensions { name value } } }
      }
    }`);
    expect(observations.edges.map((edge: any) => edge.node.value).sort()).toEqual(['131', '170']);

    const again = await example('load-observations-csv', [csv, '--indicator', 'SIP_MEETINGS']);
    expect(again.stdout).toContain('Done: 5 rows, 0 inserted, 0 updated, 5 unchanged.');
  });

  it('names the line of a bad row, writes nothing of its batch, and exits with 1', async () => {
    const csv = join(scratch, 'bad.csv');
    writeFileSync(csv, 'indicator,region,period,value,setting\nSIP_MEETINGS,13,2018-11,12,joint_planning\nSIP_MEETINGS,13,2018-13,5,joint_planning\n');
    const run = await example('load-observations-csv', [csv]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('line 3 (period): must be a period: YYYY, YYYY-Qn or YYYY-MM');
    expect((await sipSeries('joint_planning')).map((point) => point.period)).not.toContain('2018-11');
  });

  it('refuses to run without an API key', async () => {
    const run = await example('load-observations-csv', ['data/sip-halland-2018-09.csv'], { NARAVARD_API_KEY: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Set NARAVARD_API_KEY');
  });
});

describe('record-meeting', () => {
  it('records the meeting of the sample file with its items, decisions and citations, and it reads back through the API', async () => {
    const run = await example('record-meeting', ['data/meeting-example.json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const id = /^Recorded meeting (\S+) \(version 1\)$/m.exec(run.stdout)?.[1];
    expect(id).toBeDefined();
    expect(run.stdout).toContain('2023-03-28 · STEERING_GROUP · Styrgrupp Nära vård, Region Kronoberg');
    expect(run.stdout).toContain('  2. Digital kommunikation\n     DECISION: Projektdirektiv för breddinförande av digital kommunikation');
    expect(run.stdout).toContain('  3. Vårdförlopp\n     DELEGATION: Hälso- och sjukvårdsdirektören håller samman arbetet med vårdförlopp');

    const spec = JSON.parse(readFileSync(join(EXAMPLES, 'data/meeting-example.json'), 'utf8'));
    const { node } = await ok(
      `query ($id: ID!) {
        node(id: $id) {
          ... on Meeting {
            title kind heldOn version region { code } organisation { name } topics { slug }
            agendaItems { ordinal title summary decisions { kind title text citations { quote lines { start end } document { title } } } }
          }
        }
      }`,
      { id },
    );
    expect(node).toMatchObject({
      title: spec.title,
      kind: 'STEERING_GROUP',
      heldOn: '2023-03-28',
      version: 1,
      region: { code: '07' },
      organisation: { name: 'Styrgrupp Nära vård' },
    });
    expect(node.topics.map((topic: any) => topic.slug).sort()).toEqual([...spec.topics].sort());
    expect(node.agendaItems).toEqual(
      spec.agendaItems.map((item: any) => ({
        ordinal: item.ordinal,
        title: item.title,
        summary: item.summary ?? null,
        decisions: item.decisions.map((decision: any) => ({
          kind: decision.kind,
          title: decision.title,
          text: decision.text,
          citations: [
            {
              quote: decision.cite.quote,
              lines: { start: decision.cite.lines[0], end: decision.cite.lines[1] },
              document: { title: decision.cite.document },
            },
          ],
        })),
      })),
    );
  });

  it('prints the ValidationError of a quote that is not in its document, and exits with 1', async () => {
    const spec = JSON.parse(readFileSync(join(EXAMPLES, 'data/meeting-example.json'), 'utf8'));
    spec.agendaItems[0].decisions[0].cite.quote = 'Detta citat står inte i dokumentet.';
    const file = join(scratch, 'bad-meeting.json');
    writeFileSync(file, JSON.stringify(spec));
    const run = await example('record-meeting', [file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Refused: /);
    expect(run.stderr).toContain('input.agendaItems.0.decisions.0.citations.0.quote');
  });
});

describe('export-series-csv', () => {
  const HEADER = 'indicator,region,organisation,period,period_start,value,setting,updated_at,deleted_at,id';
  /** Parsed rows in period order: the export's order is by ID. */
  const byPeriod = (csv: string) =>
    (parse(csv, { columns: true }) as Record<string, string>[]).sort((a, b) => (a.period! < b.period! ? -1 : 1));

  it('writes the Halland SIP home-care totals 2018-05..08 to stdout: the export of those observations, byte for byte', async () => {
    const run = await example('export-series-csv', ['--indicator', 'SIP_MEETINGS', '--region', '13', '--dimension', 'setting=home_care']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(HEADER);
    expect(byPeriod(run.stdout).map((row) => [row.indicator, row.region, row.organisation, row.period, row.period_start, row.value, row.setting])).toEqual([
      ['SIP_MEETINGS', '13', '', '2018-05', '2018-05-01', '101', 'home_care'],
      ['SIP_MEETINGS', '13', '', '2018-06', '2018-06-01', '100', 'home_care'],
      ['SIP_MEETINGS', '13', '', '2018-07', '2018-07-01', '81', 'home_care'],
      ['SIP_MEETINGS', '13', '', '2018-08', '2018-08-01', '86', 'home_care'],
    ]);
    // The same bytes as the URL BI.md shows (the breakdowns by ownership are left out: a series has exactly its dimensions).
    const exported = await fetch(`${server.url}/export/observations.csv?indicator=SIP_MEETINGS&region=13&dimension.setting=home_care&dimension.ownership=`);
    expect(run.stdout).toBe(await exported.text());
    // Its defaults are the series of BI.md.
    expect((await example('export-series-csv')).stdout).toBe(run.stdout);
  });

  it('writes a breakdown series in a period range to a file that loads back unchanged, and changed after an edit', async () => {
    const out = join(scratch, 'series.csv');
    const run = await example('export-series-csv', ['--dimension', 'ownership=private', '--dimension', 'setting=joint_planning', '--from', '2018-06', '--to', '2018-08', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Wrote 3 observations of SIP_MEETINGS to');
    const written = readFileSync(out, 'utf8');
    expect(written.split('\n')[0]).toBe('indicator,region,organisation,period,period_start,value,ownership,setting,updated_at,deleted_at,id');
    expect(byPeriod(written).map((row) => [row.period, row.value, row.ownership, row.setting])).toEqual([
      ['2018-06', '93', 'private', 'joint_planning'],
      ['2018-07', '99', 'private', 'joint_planning'],
      ['2018-08', '125', 'private', 'joint_planning'],
    ]);

    // One shape both ways: the loader reads the file as it is, every row matching its stored observation.
    const loaded = await example('load-observations-csv', [out]);
    expect(loaded.stderr).toBe('');
    expect(loaded.stdout).toContain('Done: 3 rows, 0 inserted, 0 updated, 3 unchanged.');

    const edited = join(scratch, 'series-edited.csv');
    writeFileSync(edited, written.replace(/,2018-07,2018-07-01,99,/, ',2018-07,2018-07-01,98,'));
    expect((await example('load-observations-csv', [edited])).stdout).toContain('Done: 3 rows, 0 inserted, 1 updated, 2 unchanged.');
    const series = async () =>
      (
        await ok(`{ indicator(code: "SIP_MEETINGS") { series(region: "13", periodFrom: "2018-06", periodTo: "2018-08",
          dimensions: [{ name: "ownership", value: "private" }, { name: "setting", value: "joint_planning" }]) { period value } } }`)
      ).indicator.series.map((point: { value: string }) => point.value);
    expect(await series()).toEqual(['93', '98', '125']);
    expect((await example('load-observations-csv', [out])).stdout).toContain('Done: 3 rows, 0 inserted, 1 updated, 2 unchanged.');
    expect(await series()).toEqual(['93', '99', '125']);
  });

  it('names the parameter the export refuses', async () => {
    const run = await example('export-series-csv', ['--from', '2018-13']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^\/export\/observations\.csv: 400 Parameter "from"/);
  });
});

describe('BI.md', () => {
  const text = readFileSync(join(EXAMPLES, 'BI.md'), 'utf8');
  const post = async (body: unknown) => {
    const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await response.json()) as { data?: any; errors?: unknown[] };
  };

  it('has a curl command whose JSON body gives the Halland SIP series', async () => {
    const curl = /```sh\n(curl[\s\S]*?)```/.exec(text)?.[1];
    expect(curl).toContain("-H 'content-type: application/json'");
    const body = /-d '([\s\S]*?)'\n/.exec(curl!)?.[1];
    const answer = await post(JSON.parse(body!));
    expect(answer.errors).toBeUndefined();
    expect(answer.data.indicator.series.map((point: any) => [point.period, point.value])).toEqual([
      ['2018-05', '101'],
      ['2018-06', '100'],
      ['2018-07', '81'],
      ['2018-08', '86'],
    ]);
  });

  it('has Power Query M queries whose GraphQL runs with the variables they send', async () => {
    // The M queries that post GraphQL (the one reading the CSV export is run by bi-guides.test.ts).
    const blocks = [...text.matchAll(/```m\n([\s\S]*?)```/g)].map((match) => match[1]!).filter((block) => block.includes('Query = "'));
    expect(blocks).toHaveLength(2);
    for (const block of blocks) {
      expect(block).toContain('Web.Contents(Url');
      expect(block).toContain('Content = Json.FromValue(Body)');
      expect(block).toContain('Json.Document(');
    }
    const query = (block: string) => /Query = "([^"]*)"/.exec(block)![1]!;

    const series = await post({
      query: query(blocks[0]!),
      variables: { code: 'SIP_MEETINGS', region: '13', dimensions: [{ name: 'setting', value: 'home_care' }] },
    });
    expect(series.errors).toBeUndefined();
    expect(series.data.indicator.series.slice(0, 4).map((point: any) => point.value)).toEqual(['101', '100', '81', '86']);
    expect(blocks[0]).toContain('Table.FromRecords(Series, {"period", "periodStart", "value"})');

    const changes = await post({ query: query(blocks[1]!), variables: { indicator: ['SIP_MEETINGS'], region: '13', since: '2018-01-01T00:00:00Z', after: null } });
    expect(changes.errors).toBeUndefined();
    expect(changes.data.observations.edges.length).toBeGreaterThanOrEqual(24);
    expect(changes.data.observations.edges[0].node).toHaveProperty('deletedAt');
    expect(blocks[1]).toContain('updatedSince: $since');
  });
});
