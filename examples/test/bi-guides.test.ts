import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../api/test/support/server.ts';

/*
 * The requests examples/BI.md shows, run against a live server on the seed data: every export
 * URL in the guide, every shell block (curl), the pandas URL, Excel's URL and Grafana's two panels
 * (the CSV URL, and the GraphQL query paged the way Infinity's backend parser pages it).
 */

const GUIDE = readFileSync(fileURLToPath(new URL('../BI.md', import.meta.url)), 'utf8');
const ORIGIN = 'http://localhost:4000';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
});
afterAll(() => server?.close());

/** The fenced code blocks of the guide in one language. */
const blocks = (language: string) => [...GUIDE.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]!);
const live = (url: string) => url.replace(ORIGIN, server.url);

async function csvAt(url: string): Promise<Record<string, string>[]> {
  const response = await fetch(live(url));
  expect(response.status, url).toBe(200);
  return parse(await response.text(), { columns: true }) as Record<string, string>[];
}

/** The values of the SIP series in period order, as the guide says they are. */
const seriesValues = (rows: Record<string, string>[]) =>
  [...rows].sort((a, b) => (a.period_start! < b.period_start! ? -1 : 1)).map((row) => [row.period, row.value]);
const SERIES = [
  ['2018-05', '101'],
  ['2018-06', '100'],
  ['2018-07', '81'],
  ['2018-08', '86'],
];

describe('examples/BI.md', () => {
  it('shows only export URLs that answer with rows', async () => {
    const urls = [...new Set([...GUIDE.matchAll(/http:\/\/localhost:4000\/export\/[^\s"'`|)]+/g)].map((match) => match[0]))];
    expect(urls.length).toBeGreaterThanOrEqual(2);
    for (const url of urls) expect((await csvAt(url)).length, url).toBeGreaterThan(0);
  });

  it('runs every shell block as written, against the live server', async () => {
    const scripts = blocks('sh');
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    const outputs: string[] = [];
    for (const script of scripts) {
      const output = await new Promise<string>((resolve, reject) =>
        execFile('bash', ['-euo', 'pipefail', '-c', script.replaceAll(ORIGIN, server.url)], { timeout: 30_000 }, (error, stdout, stderr) =>
          error ? reject(new Error(`${script}\n${stderr}`)) : resolve(stdout),
        ),
      );
      outputs.push(output);
    }
    // The GraphQL series, the CSV export and the persisted query (registered, then by hash alone).
    expect(outputs[0]).toContain('{"period":"2018-05","periodStart":"2018-05-01","value":"101"}');
    expect(seriesValues(parse(outputs[1]!, { columns: true }))).toEqual(SERIES);
    expect(outputs[2]!.trim().split('\n')).toEqual(['{"data":{"regions":{"totalCount":21}}}', '{"data":{"regions":{"totalCount":21}}}']);
  });

  it('gives pandas the series, region codes as text', async () => {
    const [python] = blocks('python');
    const url = /url = "([^"]+)"/.exec(python!)![1]!;
    const rows = await csvAt(url);
    expect(seriesValues(rows)).toEqual(SERIES);
    expect(rows.every((row) => row.region === '13')).toBe(true);
  });

  it('gives Excel every SIP observation of Halland with a header row', async () => {
    const [url] = blocks('text').map((block) => block.trim());
    const rows = await csvAt(url!);
    expect(rows).toHaveLength(24);
    expect(Object.keys(rows[0]!)).toEqual([
      'indicator', 'region', 'organisation', 'period', 'period_start', 'value', 'ownership', 'setting', 'updated_at', 'deleted_at', 'id',
    ]);
    // The M query in the guide reads the same URL.
    expect(blocks('m').some((m) => m.includes(url!))).toBe(true);
  });

  it('gives Grafana’s CSV panel a date column and a number column', async () => {
    const url = /\| URL \| `(http:\/\/localhost:4000\/export\/[^`]+)` \|/.exec(GUIDE)![1]!;
    const rows = await csvAt(url);
    expect(seriesValues(rows)).toEqual(SERIES);
    for (const row of rows) {
      expect(row.period_start).toMatch(/^\d{4}-\d{2}-01$/);
      expect(Number.isFinite(Number(row.value))).toBe(true);
    }
  });

  it('lets Grafana’s GraphQL panel page with ${__pagination.cursor} to the last row', async () => {
    const [query] = blocks('graphql');
    const rootSelector = /\| Root selector \| `([^`]+)` \|/.exec(GUIDE)![1]!.split('.');
    const cursorPath = /\*Extraction path\* `([^`]+)`/.exec(GUIDE)![1]!.split('.');
    const maxPages = Number(/\*Max pages\* (\d+)/.exec(GUIDE)![1]);
    // Infinity's backend parser: a path step over a list maps over its items.
    const select = (value: unknown, path: string[]): unknown =>
      path.length === 0
        ? value
        : Array.isArray(value)
          ? value.map((item) => select(item, path))
          : select((value as Record<string, unknown> | null)?.[path[0]!], path.slice(1));
    const rows: Record<string, string>[] = [];
    let cursor = '';
    let pages = 0;
    for (; pages < maxPages; pages += 1) {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: query!.trim().replace('${__pagination.cursor}', cursor) }),
      });
      const body = (await response.json()) as { errors?: unknown };
      expect(body.errors).toBeUndefined();
      const page = select(body, rootSelector) as Record<string, string>[];
      if (page.length === 0) break;
      rows.push(...page);
      cursor = select(body, cursorPath) as string;
    }
    expect(pages).toBe(1); // 24 rows: one full page, then an empty one
    expect(rows).toHaveLength(24);
    expect(rows).toContainEqual({ period: '2018-05', periodStart: '2018-05-01', value: '101' });
  });
});
