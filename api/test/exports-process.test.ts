import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Connection, connect, createApiKey, loadSeedData, migrate } from '@naravard/db';
import { createTestDatabase } from '@naravard/db/testing';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../src/server.ts';
import { gid } from './support/ids.ts';
import { serverArguments } from './support/process.ts';

/*
 * Exports from the server as `pnpm start` runs it in production (NODE_ENV=production, a child
 * process): an export imported with `pnpm naravard import csv` into a fresh database gives the same
 * observations; a large generated set streams within bounded memory; cross-origin rules hold.
 * On PGlite (a data folder per database) or PostgreSQL (a database per test run) when DATABASE_URL is set.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STENBLOMMAN = gid('Organisation', 'org:13:stenblommans-vardcentral');
const WRITE_ORIGIN = 'https://dashboards.example.se';

/** Rows of the generated set (Stockholm, monthly from 1800, 200 units a month): large enough that holding it would show. */
const LARGE = process.env.DATABASE_URL ? 300_000 : 100_000;

interface Database {
  env: Record<string, string>;
  open(): Promise<Connection>;
  dispose(): Promise<void>;
}

/** A fresh, migrated and seeded database a child process can open. */
async function freshDatabase(): Promise<Database> {
  if (process.env.DATABASE_URL) {
    const database = await createTestDatabase({ seed: true });
    await database.close();
    return { env: { DATABASE_URL: database.url! }, open: () => connect({ databaseUrl: database.url!, statementTimeoutMs: 300_000 }), dispose: () => database.dispose() };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'naravard-export-'));
  const connection = await connect({ dataDir });
  await migrate(connection);
  await loadSeedData(connection.db);
  await connection.close();
  return {
    env: { NARAVARD_DATA_DIR: dataDir, DATABASE_URL: '' },
    open: () => connect({ dataDir }),
    dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** Runs a command to its end. */
function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Resident memory of a process in MB. */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

let source: Database;
let target: Database;
let child: ChildProcess;
let output = '';
let url = '';
let serverPid = 0;
let writeKey = '';
let workDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'naravard-export-files-'));
  source = await freshDatabase();
  target = await freshDatabase();
  const connection = await source.open();
  writeKey = (await createApiKey(connection.db, { name: 'exporter', scopes: ['write'] })).key;
  // The large set: monthly values of one indicator for the regions, generated in the database.
  await connection.db.execute(sql`insert into observations (indicator_id, region_id, period, value, dimensions)
    select (select id from indicators where code = 'HOME_AND_HOME_CARE_VISITS_PER_1000_LISTED'), r.id,
      (1800 + g / 2400)::text || '-' || lpad(((g / 200) % 12 + 1)::text, 2, '0'), g / 8.0, jsonb_build_object('unit', 'u' || (g % 200))
    from generate_series(0, ${sql.raw(String(LARGE - 1))}) g
    join regions r on r.code = '01'`);
  await connection.close();

  // The server `pnpm start` runs (its compiled JavaScript, built by the tests' global setup), as a
  // process of its own whose PID is the server's.
  child = spawn(process.execPath, serverArguments(), {
    cwd: ROOT,
    env: {
      ...process.env,
      ...source.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      CORS_WRITE_ORIGINS: WRITE_ORIGIN,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 150_000;
  while (!url) {
    const match = /"port":(\d+)/.exec(output);
    if (match) url = `http://127.0.0.1:${match[1]}`;
    else if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not start:\n${output}`);
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  serverPid = child.pid!;
}, 240_000);

afterAll(async () => {
  if (child?.pid && child.exitCode === null) child.kill('SIGKILL');
  await source?.dispose();
  await target?.dispose();
  rmSync(workDir, { recursive: true, force: true });
});

/** Fetches from the server; when it cannot be reached, says what the server printed (it may have stopped). */
async function reach(address: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(address, init);
  } catch (error) {
    throw new Error(`${address}: ${(error as Error).message}; server exit code ${child.exitCode ?? 'none'}, its output:\n${output.slice(-4000)}`);
  }
}

const text = async (address: string, init?: RequestInit) => {
  const response = await reach(address, init);
  const body = await response.text();
  expect(response.status, body.slice(0, 500)).toBe(200);
  return body;
};

async function graphql(query: string, variables: Record<string, unknown> = {}) {
  const response = await reach(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${writeKey}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

async function upsert(indicator: string, rows: Record<string, unknown>[]) {
  const data = await graphql(
    `mutation ($indicator: String!, $rows: [ObservationRowInput!]!) {
      upsertObservations(indicator: $indicator, rows: $rows) { __typename ... on UpsertObservationsResult { inserted updated } }
    }`,
    { indicator, rows },
  );
  expect(data.upsertObservations.__typename).toBe('UpsertObservationsResult');
  return data.upsertObservations;
}

/** The target database's server, in this process, for reading what the import wrote. */
async function serveTarget(): Promise<{ url: string; app: App }> {
  const app = await createApp({ connection: await target.open(), logger: pino({ level: 'silent' }) });
  const port = await app.listen(0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, app };
}

/** An export's observations without what a database gives them of its own (ID, change time), sorted. */
function observationsOf(csv: string): Record<string, string | boolean>[] {
  const rows = parse(csv, { columns: true }) as Record<string, string>[];
  return rows
    .map(({ id: _id, updated_at: _updatedAt, deleted_at: deletedAt, ...row }): Record<string, string | boolean> => ({ ...row, deleted: deletedAt !== '' }))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

const ROUND_TRIP = '/export/observations.csv?indicator=SIP_MEETINGS,CONTINUITY_INDEX_DOCTOR_18M';

describe('an export read back by `pnpm naravard import csv`', () => {
  it('gives the same observations in a fresh database, then carries later changes and deletions', async () => {
    await upsert('CONTINUITY_INDEX_DOCTOR_18M', [
      { organisation: STENBLOMMAN, period: '2024', value: '0.12345678' },
      { organisation: STENBLOMMAN, period: '2024-Q2', value: '-123456789012345.5' },
      { region: '07', period: '2023-11', value: '0.5', dimensions: [{ name: 'gender', value: 'women' }] },
      { region: '07', period: '2023-11', value: '0.25', dimensions: [{ name: 'gender', value: 'men' }] },
    ]);
    const first = join(workDir, 'observations.csv');
    writeFileSync(first, await text(`${url}${ROUND_TRIP}`));
    const imported = await run('pnpm', ['naravard', 'import', 'csv', first], target.env);
    expect(imported.code, imported.output).toBe(0);

    let copy = await serveTarget();
    const copied = observationsOf(await text(`${copy.url}${ROUND_TRIP}&includeDeleted`));
    await copy.app.stop();
    expect(copied).toEqual(observationsOf(await text(`${url}${ROUND_TRIP}&includeDeleted`)));
    expect(copied).toHaveLength(28);
    expect(copied).toContainEqual({
      indicator: 'CONTINUITY_INDEX_DOCTOR_18M', region: '', organisation: STENBLOMMAN, period: '2024-Q2', period_start: '2024-04-01',
      value: '-123456789012345.5', gender: '', ownership: '', setting: '', deleted: false,
    });
    expect(copied).toContainEqual({
      indicator: 'SIP_MEETINGS', region: '13', organisation: '', period: '2018-05', period_start: '2018-05-01',
      value: '52', gender: '', ownership: 'public', setting: 'home_care', deleted: false,
    });

    // Later: one value changes, one observation is deleted; the copy takes only what changed since.
    const since = new Date(Date.now() - 1).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await upsert('CONTINUITY_INDEX_DOCTOR_18M', [{ organisation: STENBLOMMAN, period: '2024', value: '0.87654321' }]);
    const men = await graphql(`{ observations(filter: { region: "07", dimensions: [{ name: "gender", value: "men" }] }) { edges { node { id version } } } }`);
    const { id, version } = men.observations.edges[0].node;
    expect((await graphql(`mutation { deleteObservation(id: "${id}", version: ${version}) { __typename } }`)).deleteObservation.__typename).toBe('Observation');

    const changes = await text(`${url}${ROUND_TRIP}&updatedSince=${encodeURIComponent(since)}`);
    expect(observationsOf(changes).map((row) => [row.period, row.value, row.deleted])).toEqual([
      ['2024', '0.87654321', false],
      ['2023-11', '0.25', true],
    ]);
    const second = join(workDir, 'changes.csv');
    writeFileSync(second, changes);
    const again = await run('pnpm', ['naravard', 'import', 'csv', second], target.env);
    expect(again.code, again.output).toBe(0);

    copy = await serveTarget();
    const updated = observationsOf(await text(`${copy.url}${ROUND_TRIP}&includeDeleted`));
    const live = await text(`${copy.url}${ROUND_TRIP}`);
    await copy.app.stop();
    expect(updated).toEqual(observationsOf(await text(`${url}${ROUND_TRIP}&includeDeleted`)));
    expect(updated.filter((row) => row.deleted).map((row) => [row.region, row.gender])).toEqual([['07', 'men']]);
    expect(observationsOf(live)).toHaveLength(27);
  }, 240_000);
});

describe('a large export from the production server', () => {
  it(`streams ${LARGE.toLocaleString('en')} rows with bounded memory, also to a client that reads slowly`, async () => {
    const path = '/export/observations.csv?indicator=HOME_AND_HOME_CARE_VISITS_PER_1000_LISTED';
    const measure = async (pauseMs: number) => {
      const before = rssOf(serverPid);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, rssOf(serverPid))), 25);
      const started = Date.now();
      const response = await reach(`${url}${path}`);
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      let bytes = 0;
      let lines = 0;
      let head = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (bytes === 0 && pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
        bytes += value.length;
        const chunk = Buffer.from(value).toString('latin1');
        if (head.length < 200) head += chunk.slice(0, 200);
        for (let index = chunk.indexOf('\n'); index >= 0; index = chunk.indexOf('\n', index + 1)) lines += 1;
      }
      clearInterval(sampler);
      return { before, peak, bytes, rows: lines - 1, seconds: (Date.now() - started) / 1000, header: head.slice(0, head.indexOf('\n')) };
    };
    const first = await measure(0);
    const slow = await measure(3000);
    for (const result of [first, slow]) {
      expect(result.rows).toBe(LARGE);
      expect(result.header).toBe('indicator,region,organisation,period,period_start,value,unit,updated_at,deleted_at,id');
    }
    expect(first.bytes).toBeGreaterThan(LARGE * 100);
    // Holding the rows would take about four times the bytes sent (measured: +200 MB for 300,000
    // rows on PostgreSQL); streaming takes a few MB, whatever the number of rows.
    expect(first.peak - first.before).toBeLessThan(40);
    expect(slow.peak - slow.before).toBeLessThan(40);
  }, 240_000);
});

describe('cross-origin requests to the production server', () => {
  it('lets any origin read, and only the configured origin send an API key', async () => {
    const read = await reach(`${url}/export/observations.csv?indicator=SIP_MEETINGS`, { headers: { origin: 'https://notebook.example.org' } });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBe('*');
    expect(read.headers.get('access-control-expose-headers')).toContain('etag');
    await read.text();

    const preflight = (origin: string, headers: string) =>
      fetch(`${url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
      });
    const readPreflight = await preflight('https://notebook.example.org', 'content-type');
    expect(readPreflight.status).toBe(204);
    expect(readPreflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(readPreflight.headers.get('access-control-allow-headers')).not.toContain('authorization');

    const writePreflight = await preflight(WRITE_ORIGIN, 'content-type, authorization');
    expect(writePreflight.status).toBe(204);
    expect(writePreflight.headers.get('access-control-allow-origin')).toBe(WRITE_ORIGIN);
    expect(writePreflight.headers.get('access-control-allow-headers')).toContain('authorization');

    const refused = await preflight('https://notebook.example.org', 'content-type, authorization');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();

    const write = (origin: string) =>
      fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${writeKey}` },
        body: JSON.stringify({ query: '{ regions { totalCount } }' }),
      });
    const allowed = await write(WRITE_ORIGIN);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(WRITE_ORIGIN);
    expect(((await allowed.json()) as any).data.regions.totalCount).toBe(21);
    expect((await write('https://notebook.example.org')).status).toBe(403);
  });
});
