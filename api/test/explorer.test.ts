import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUERY } from '../../packages/explorer/src/default-query.ts';
import { EXPLORER_ROOT, serveExplorer } from '../src/explorer.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/**
 * GraphiQL as a person meets it: served by the API from the files packages/explorer builds, opened
 * at /graphql in headless Debian Chromium (never a browser that playwright downloads), with a
 * query typed into the editor and run.
 */

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = '/tmp/explorer.png';
const QUERY = '{ region(code: "07") { name } }';

let server: TestServer;

beforeAll(async () => {
  if (!existsSync(join(EXPLORER_ROOT, 'index.html'))) {
    throw new Error(`the explorer is not built (no ${EXPLORER_ROOT}index.html): run 'pnpm install' or 'pnpm explorer:build'`);
  }
  server = await startTestServer({ seed: true });
});

afterAll(async () => {
  await server?.close();
});

describe('serving the explorer', () => {
  it('opens GraphiQL at /graphql for a browser, and keeps every other /graphql request for GraphQL', async () => {
    const page = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('vary')).toBe('Accept');
    expect(await page.text()).toContain('<title>Nära vård data platform</title>');

    // A GraphQL client's GET, a GET with a query in the URL even from a browser, and every POST.
    const get = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ region(code: "07") { name } }')}`, {
      headers: { accept: 'application/graphql-response+json' },
    });
    expect(await get.json()).toEqual({ data: { region: { name: 'Region Kronoberg' } } });
    const browserGet = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'text/html, application/json;q=0.9' },
    });
    expect(browserGet.headers.get('content-type')).toContain('application/json');
    const post = await server.graphql('{ region(code: "07") { name } }', undefined, { accept: 'text/html, application/json' });
    expect(post.data).toEqual({ region: { name: 'Region Kronoberg' } });
    const plain = await fetch(`${server.url}/graphql`, { headers: { accept: 'application/json' } });
    expect(plain.status).toBe(400);
    expect(plain.headers.get('content-type')).toContain('application/json');
  });

  it('serves the app at /explorer, its hashed files with long-lived caching, and nothing outside them', async () => {
    for (const path of ['/explorer', '/explorer/', '/explorer/index.html']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toBe('no-cache');
    }
    const html = await (await fetch(`${server.url}/explorer/`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/explorer\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    expect(assets.some((asset) => asset.endsWith('.js'))).toBe(true);
    expect(assets.some((asset) => asset.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      const response = await fetch(`${server.url}${asset}`);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('cache-control'), asset).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('content-type'), asset).toEqual(
        asset.endsWith('.js') ? 'text/javascript; charset=utf-8' : asset.endsWith('.css') ? 'text/css; charset=utf-8' : expect.any(String),
      );
      await response.arrayBuffer();
    }

    const missing = await fetch(`${server.url}/explorer/assets/missing-0000.js`);
    expect(missing.status).toBe(404);
    for (const path of ['/explorer/..%2f..%2fpackage.json', '/explorer/assets/..%2F..%2F..%2Fapi%2Fpackage.json', '/explorer/%00']) {
      const response = await fetch(`${server.url}${path}`);
      expect([400, 404], path).toContain(response.status);
      expect(await response.text(), path).not.toContain('@naravard');
    }
    const post = await fetch(`${server.url}/explorer/`, { method: 'POST', body: '' });
    expect(post.status).toBe(405);
  });

  it("answers GraphiQL's default query on the seed data without errors: names in filters, words, attendees, a meeting's assignments, related decisions, search", async () => {
    const response = await server.graphql<any>(DEFAULT_QUERY);
    expect(response.errors).toBeUndefined();
    const { region, assignments, search } = response.data;
    // From db/seed/kronoberg-styrgrupp-2023-03-28.json.
    expect(region.name).toBe('Region Kronoberg');
    const meeting = region.meetings.edges.map((edge: any) => edge.node).find((node: any) => node.title === 'Styrgrupp Nära vård 2023-03-28');
    expect(meeting).toBeDefined();
    expect(meeting.heldOn).toBe('2023-03-28');
    // One entry per person, the chair's roles together.
    const names = meeting.attendees.map((attendee: any) => attendee.person?.name);
    expect(new Set(names).size).toBe(names.length);
    expect(meeting.attendees.find((attendee: any) => attendee.person?.name === 'Martin Myrskog').roles).toContain('CHAIR');
    expect(meeting.assignments.edges.map((edge: any) => edge.node.title)).toContain(
      'Utveckla hur flödet från den centrala kontaktingången till vårdcentral ska ske',
    );
    expect(meeting.decisions.length).toBeGreaterThan(0);
    expect(meeting.decisions.every((decision: any) => decision.citations.length > 0)).toBe(true);
    // "Örebro" by name and words in any inflection: Nr 4 and the SMO pilot of December 2022 it relates to.
    expect(assignments.edges.map((edge: any) => edge.node.reference)).toEqual(['Nr 4']);
    expect(assignments.edges[0].node.relatedDecision).toMatchObject({ decidedOn: '2022-12-01', decidedOnPrecision: 'MONTH' });
    expect(search.edges.length).toBe(5);
    for (const { node } of search.edges) {
      expect(node.snippet).toMatch(/«fast» «läkarkontakt»/i);
      expect(node.record.title.length).toBeGreaterThan(0);
      expect(node.record.citation.length).toBeGreaterThan(0);
    }
  });

  it('says plainly, with a 503, when the explorer has not been built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'naravard-explorer-'));
    const bare: Server = createServer((request, response) => {
      void serveExplorer(request, response, new URL(request.url ?? '/', 'http://localhost'), empty);
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = bare.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/explorer/`);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).toContain('pnpm install');
    } finally {
      await new Promise((resolve) => bare.close(resolve));
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('GraphiQL in Chromium', () => {
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not at ${CHROMIUM}: install it with 'apt-get update && apt-get install -y chromium' (.ci/run does)`);
    }
    profile = mkdtempSync(join(tmpdir(), 'naravard-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
      viewport: { width: 1280, height: 800 },
    });
    // Every request the pages and their workers make, to prove that nothing leaves this machine.
    context.on('request', (request) => requests.push(request.url()));
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** What a pane shows (the lines Monaco has drawn), with its non-breaking spaces as plain ones. */
  const textOf = async (selector: string) => (await page.locator(selector).innerText()).replace(/\u00a0/g, ' ');

  it('runs a query typed into the editor and shows the answer', async () => {
    const response = await page.goto(`${server.url}/graphql`);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe('Nära vård data platform');

    // The query editor (Monaco) is ready once it shows the default query.
    const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
    await editor.waitFor({ state: 'visible', timeout: 30_000 });
    await expect.poll(() => textOf('.graphiql-query-editor'), { timeout: 30_000 }).toContain('region');

    // The default query (a region's meetings, decisions and citations) runs as shipped.
    await editor.click();
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => textOf('.graphiql-response'), { timeout: 30_000 }).toContain('Region Kronoberg');
    const defaultAnswer = await textOf('.graphiql-response');
    expect(defaultAnswer).toContain('"citations"');
    expect(defaultAnswer).not.toContain('"errors"');
    await page.screenshot({ path: SCREENSHOT.replace('.png', '-default.png') });

    // Replace it with our query, as a person pasting it would (typing would meet Monaco's bracket closing).
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(QUERY);
    await expect.poll(() => textOf('.graphiql-query-editor')).toContain(QUERY);
    // GraphiQL reads the operation name from the editor 100 ms after an edit, and keeps the query
    // in localStorage in that same step: once it is there, running sends the new query whole.
    await expect.poll(() => page.evaluate("localStorage.getItem('graphiql:query')")).toBe(QUERY);

    await page.keyboard.press('Control+Enter');
    // This answer has the name alone (the default query's went on to the meetings).
    await expect
      .poll(async () => (await textOf('.graphiql-response')).replace(/\s+/g, ' '), { timeout: 30_000 })
      .toContain('"region": { "name": "Region Kronoberg" }');

    await page.screenshot({ path: SCREENSHOT });

    const outside = requests.filter((url) => {
      const { protocol, hostname } = new URL(url);
      return (protocol === 'http:' || protocol === 'https:' || protocol === 'ws:' || protocol === 'wss:') && hostname !== '127.0.0.1';
    });
    expect(outside).toEqual([]);
    expect(requests.some((url) => url.endsWith('/graphql'))).toBe(true);
    expect(problems).toEqual([]);
  });
});
