import { request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { connect, createApiKey } from '@naravard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgresBinaries } from './support/postgres-server.ts';
import { post, SERVER_ENTRY, type ServerProcess, serverArguments, startServerProcess } from './support/process.ts';
import { freePortIn, queryOnce, type StreamingPair, startStreamingPair } from './support/streaming-replica.ts';

/*
 * Read replicas on a real streaming replica: a primary and a hot standby of the test's own
 * (initdb, pg_basebackup -R), and the API as `pnpm start` runs it in production, as two processes
 * behind one port (WEB_CONCURRENCY=2) sharing their limits through Redis. Statements are counted
 * on each server with pg_stat_statements.
 *
 * PostgreSQL only: the embedded database has no replicas, so on PGlite (no DATABASE_URL) the
 * whole file is skipped.
 */

const onPostgres = Boolean(process.env.DATABASE_URL) && hasPostgresBinaries;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE = 'naravard_replicas';
const MAX_LAG_MS = 3_000;
const READ_YOUR_WRITES_MS = 2_500;
const RATE_LIMIT_COST = 20_000;

const READ = `query ($id: ID!) { node(id: $id) { ... on Topic { name version } } }`;
const CREATE = `mutation ($input: CreateTopicInput!) { createTopic(input: $input) { __typename ... on Topic { id name version } } }`;
const RENAME = `mutation ($id: ID!, $version: Int!, $name: String!) {
  updateTopic(id: $id, version: $version, patch: { name: $name }) { __typename ... on Topic { name version } } }`;

let pair: StreamingPair | undefined;
let api: ServerProcess | undefined;
let writerKey: string;
let otherKey: string;
let limitedKey: string;
let topicId: string;
let version: number;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(200);
  }
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function readTopic(headers: Record<string, string> = {}) {
  const response = await post(api!.url, READ, { id: topicId }, headers);
  return {
    status: response.status,
    servedBy: response.headers.get('x-naravard-served-by'),
    name: response.body.data?.node?.name as string | undefined,
    code: response.body.errors?.[0]?.extensions?.code as string | undefined,
  };
}

/** Who served `count` reads in a row, each on a connection of its own: `primary`, `replica`, or `mixed`. */
async function readsServedBy(count: number, headers: Record<string, string> = {}) {
  const served = new Set<string | null>();
  for (let index = 0; index < count; index += 1) {
    served.add((await postOnNewConnection(api!.port, `{ node(id: "${topicId}") { id } }`, headers)).servedBy);
  }
  return served.size === 1 ? [...served][0] : 'mixed';
}

async function readyz() {
  const response = await fetch(`${api!.url}/readyz`);
  return { status: response.status, body: (await response.json()) as any };
}

/** How many times statements reading the topics table ran on a server (pg_stat_statements). */
async function topicReads(url: string): Promise<number> {
  const [row] = await queryOnce<{ calls: string | null }>(
    url,
    `select sum(calls)::text as calls from pg_stat_statements
     where query ilike '%from "topics"%' and query not ilike 'insert%' and query not ilike 'update%'`,
  );
  return Number(row?.calls ?? 0);
}

async function topicNameOn(url: string): Promise<string | undefined> {
  const rows = await queryOnce<{ name: string }>(url, `select name from topics where slug = 'replica-test'`);
  return rows[0]?.name;
}

/** A request on a connection of its own, so the connections are spread over the API processes. */
function postOnNewConnection(port: number, query: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: any; servedBy: string | null }>((resolve, reject) => {
    const body = JSON.stringify({ query });
    const request = httpRequest(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent: false, headers: { 'content-type': 'application/json', connection: 'close', ...headers } },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text), servedBy: (response.headers['x-naravard-served-by'] as string) ?? null }),
        );
      },
    );
    request.once('error', reject);
    request.end(body);
  });
}

/** The process IDs of the API's worker processes. */
function workerPids(): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(api!.child.pid), '-f', SERVER_ENTRY], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

beforeAll(async () => {
  if (!onPostgres) return;
  const primaryPort = await freePortIn(55400, 55420);
  const standbyPort = await freePortIn(55400, 55420, [primaryPort]);
  const apiPort = await freePortIn(4340, 4349);
  pair = await startStreamingPair({
    ports: [primaryPort, standbyPort],
    prepare: async (admin) => {
      await queryOnce(admin, `create database ${DATABASE}`);
      await queryOnce(admin.replace(/\/postgres$/, `/${DATABASE}`), 'create extension pg_stat_statements');
    },
  });
  api = await startServerProcess({
    PORT: String(apiPort),
    DATABASE_URL: pair.primary.url(DATABASE),
    DATABASE_REPLICA_URLS: pair.standby.url(DATABASE),
    WEB_CONCURRENCY: '2',
    REDIS_URL,
    REDIS_KEY_PREFIX: `naravard-test-replicas-${randomBytes(6).toString('hex')}`,
    REPLICA_MAX_LAG_MS: String(MAX_LAG_MS),
    READ_YOUR_WRITES_MS: String(READ_YOUR_WRITES_MS),
    RATE_LIMIT_COST: String(RATE_LIMIT_COST),
    CONCURRENCY_LIMIT: '8',
    SHUTDOWN_TIMEOUT_MS: '5000',
  });
  const connection = await connect({ databaseUrl: pair.primary.url(DATABASE) });
  try {
    writerKey = (await createApiKey(connection.db, { name: 'replica-writer', scopes: ['write'] })).key;
    otherKey = (await createApiKey(connection.db, { name: 'replica-reader', scopes: ['write'] })).key;
    limitedKey = (await createApiKey(connection.db, { name: 'replica-limited', scopes: ['write'] })).key;
  } finally {
    await connection.close();
  }
  // Both processes listen, and the replica is in use.
  await waitFor('two API processes', async () => /\(2 processes\)/.test(api!.output()), 60_000);
  await waitFor('the replica in use', async () => (await readyz()).body.replicas?.[0]?.state === 'ok');
}, 240_000);

afterAll(async () => {
  if (api) {
    const workers = workerPids();
    api.kill();
    for (const pid of workers) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  await pair?.destroy();
}, 60_000);

describe.skipIf(!onPostgres)('read replicas on a streaming replica, two API processes (PostgreSQL only: PGlite has no replicas)', () => {
  it('writes land on the primary; reads are served by the replica; /readyz reports it', async () => {
    const created = await post(api!.url, CREATE, { input: { slug: 'replica-test', name: 'Replica test v1' } }, bearer(writerKey));
    expect(created.status).toBe(200);
    expect(created.body.data.createTopic).toMatchObject({ __typename: 'Topic', name: 'Replica test v1', version: 1 });
    expect(created.headers.get('x-naravard-served-by')).toBe('primary');
    topicId = created.body.data.createTopic.id;
    version = 1;
    expect(await topicNameOn(pair!.primary.url(DATABASE))).toBe('Replica test v1');
    // The standby has it by streaming replication.
    await waitFor('the row on the standby', async () => (await topicNameOn(pair!.standby.url(DATABASE))) === 'Replica test v1');
    // A client that did not write (anonymous) reads from the replica.
    const before = { primary: await topicReads(pair!.primary.url(DATABASE)), standby: await topicReads(pair!.standby.url(DATABASE)) };
    for (let index = 0; index < 20; index += 1) {
      expect(await readTopic()).toEqual({ status: 200, servedBy: 'replica', name: 'Replica test v1', code: undefined });
    }
    const after = { primary: await topicReads(pair!.primary.url(DATABASE)), standby: await topicReads(pair!.standby.url(DATABASE)) };
    expect(after.standby - before.standby).toBeGreaterThanOrEqual(20);
    expect(after.primary - before.primary).toBe(0);
    const ready = await readyz();
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', database: 'postgres', primary: 'ok' });
    expect(ready.body.replicas).toEqual([
      expect.objectContaining({ name: `127.0.0.1:${pair!.standby.port}/${DATABASE}`, state: 'ok', lagBytes: expect.any(Number) }),
    ]);
  });

  it('a client reads its own writes (both processes), others read the replica, a lagging replica is skipped', async () => {
    const standby = pair!.standby.url(DATABASE);
    await queryOnce(standby, 'select pg_wal_replay_pause()');
    try {
      const renamed = await post(api!.url, RENAME, { id: topicId, version, name: 'Replica test v2' }, bearer(writerKey));
      expect(renamed.body.data.updateTopic).toMatchObject({ __typename: 'Topic', name: 'Replica test v2', version: version + 1 });
      version += 1;
      const wroteAt = Date.now();
      // The writer's next reads, on new connections (so on either process), come from the primary.
      const own = await Promise.all([0, 1, 2, 3].map(() => readTopic(bearer(writerKey))));
      const others = await readTopic(bearer(otherKey));
      const asked = await readTopic({ ...bearer(otherKey), 'x-naravard-read-primary': '1' });
      expect(Date.now() - wroteAt).toBeLessThan(READ_YOUR_WRITES_MS);
      for (const read of own) expect(read).toEqual({ status: 200, servedBy: 'primary', name: 'Replica test v2', code: undefined });
      // Another client, within the lag limit, still reads the replica, which has not replayed the write.
      expect(others).toEqual({ status: 200, servedBy: 'replica', name: 'Replica test v1', code: undefined });
      // With the header the SDK sends, it reads from the primary.
      expect(asked).toEqual({ status: 200, servedBy: 'primary', name: 'Replica test v2', code: undefined });
      // Past the lag limit the replica is skipped, and /readyz says so.
      const lagging = await waitFor('the replica reported lagging', async () => {
        const ready = await readyz();
        return ready.body.replicas[0].state === 'lagging' && ready;
      });
      expect(lagging.status).toBe(200);
      expect(lagging.body.replicas[0].lagMs).toBeGreaterThan(MAX_LAG_MS);
      // Each process checks the replica on its own (every 500 ms): the other one follows within a check.
      await waitFor('reads of the other client from the primary', async () => (await readsServedBy(4, bearer(otherKey))) === 'primary', 5_000);
      for (let index = 0; index < 4; index += 1) {
        expect(await readTopic(bearer(otherKey))).toEqual({ status: 200, servedBy: 'primary', name: 'Replica test v2', code: undefined });
      }
    } finally {
      await queryOnce(standby, 'select pg_wal_replay_resume()');
    }
    await waitFor('the replica in use again', async () => (await readyz()).body.replicas[0].state === 'ok');
    await waitFor('reads from the replica in both processes', async () => (await readsServedBy(4, bearer(otherKey))) === 'replica', 5_000);
    expect(await readTopic(bearer(otherKey))).toEqual({ status: 200, servedBy: 'replica', name: 'Replica test v2', code: undefined });
    // The writer's window is over: it reads the replica again.
    expect(await readTopic(bearer(writerKey))).toMatchObject({ servedBy: 'replica', name: 'Replica test v2' });
  });

  it('keeps serving reads and writes from the primary while the replica is stopped, and uses it again once back', async () => {
    await pair!.standby.stop('immediate');
    try {
      const statuses: number[] = [];
      // Reads are answered (a read that met the replica as it went down may get 503, never 500).
      const served = await waitFor('reads served by the primary', async () => {
        const read = await readTopic();
        statuses.push(read.status);
        return read.status === 200 && read.servedBy === 'primary' && read;
      }, 5_000);
      expect(served.name).toBe('Replica test v2');
      expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
      // Each process finds the replica down on its own check: the other one follows within one.
      await waitFor('reads from the primary in both processes', async () => (await readsServedBy(6)) === 'primary', 5_000);
      for (let index = 0; index < 5; index += 1) expect(await readTopic()).toMatchObject({ status: 200, servedBy: 'primary' });
      const ready = await readyz();
      expect(ready.status).toBe(200);
      expect(ready.body.replicas[0]).toMatchObject({ state: 'down', lagMs: null });
      const renamed = await post(api!.url, RENAME, { id: topicId, version, name: 'Replica test v3' }, bearer(writerKey));
      expect(renamed.body.data.updateTopic).toMatchObject({ name: 'Replica test v3' });
      version += 1;
    } finally {
      // Started again even when an expectation failed, so the next cases find it.
      await pair!.standby.start();
    }
    await waitFor('the replica in use again', async () => (await readyz()).body.replicas[0].state === 'ok', 30_000);
    await waitFor('reads from the replica in both processes', async () => (await readsServedBy(4)) === 'replica', 5_000);
    // It caught up with the write made while it was down.
    expect(await readTopic()).toEqual({ status: 200, servedBy: 'replica', name: 'Replica test v3', code: undefined });
  });

  it('keeps serving reads from the replica while the primary is stopped (writes get 503), and recovers', async () => {
    await pair!.primary.stop('fast');
    try {
      // Reads, anonymous and with a key, come from the replica.
      expect(await readTopic()).toEqual({ status: 200, servedBy: 'replica', name: 'Replica test v3', code: undefined });
      const write = await post(api!.url, RENAME, { id: topicId, version, name: 'Replica test v4' }, bearer(writerKey));
      expect(write.status).toBe(503);
      expect(write.headers.get('retry-after')).toBeTruthy();
      expect(write.body.errors[0].extensions.code).toBe('DATABASE_UNAVAILABLE');
      for (let index = 0; index < 5; index += 1) {
        expect(await readTopic()).toMatchObject({ status: 200, servedBy: 'replica', name: 'Replica test v3' });
        expect(await readTopic(bearer(otherKey))).toMatchObject({ status: 200, servedBy: 'replica', name: 'Replica test v3' });
      }
      const again = await post(api!.url, RENAME, { id: topicId, version, name: 'Replica test v4' }, bearer(writerKey));
      expect(again.status).toBe(503);
      const ready = await waitFor('/readyz reporting the primary down', async () => {
        const answer = await readyz();
        return answer.body.primary === 'unavailable' && answer;
      }, 5_000);
      expect(ready.status).toBe(200);
      expect(ready.body.replicas[0].state).toBe('ok');
    } finally {
      await pair!.primary.start();
    }
    const written = await waitFor('writes accepted again', async () => {
      const answer = await post(api!.url, RENAME, { id: topicId, version, name: 'Replica test v4' }, bearer(writerKey));
      return answer.status === 200 && answer;
    }, 30_000);
    expect(written.body.data.updateTopic).toMatchObject({ name: 'Replica test v4', version: version + 1 });
    version += 1;
    expect(await topicNameOn(pair!.primary.url(DATABASE))).toBe('Replica test v4');
    // The standby streams from the primary again.
    await waitFor('the write on the standby', async () => (await topicNameOn(pair!.standby.url(DATABASE))) === 'Replica test v4', 30_000);
    await waitFor('the replica in use', async () => (await readyz()).body.status === 'ready' && (await readTopic()).servedBy === 'replica');
  });

  it('two API processes behind one port share one cost allowance per client (Redis)', async () => {
    expect(workerPids()).toHaveLength(2);
    const query = '{ topics(first: 100) { edges { node { id name swedishName description } } } }';
    const first = await postOnNewConnection(api!.port, query, bearer(limitedKey));
    expect(first.status).toBe(200);
    const cost = first.body.extensions.cost.requested as number;
    const allowed = Math.floor(RATE_LIMIT_COST / cost);
    expect(allowed).toBeGreaterThan(2);
    const before = api!.output().length;
    const answers = [first];
    for (let index = 1; index < 2 * allowed + 2; index += 1) answers.push(await postOnNewConnection(api!.port, query, bearer(limitedKey)));
    const served = answers.filter((answer) => answer.status === 200);
    // The allowance is counted once for both processes: as many requests as it covers, not twice as many.
    expect(served).toHaveLength(allowed);
    expect(served.map((answer) => answer.body.extensions.cost.remaining)).toEqual(
      Array.from({ length: allowed }, (_, index) => RATE_LIMIT_COST - (index + 1) * cost),
    );
    expect(answers.slice(allowed).every((answer) => answer.status === 429)).toBe(true);
    // Both processes answered them (their log lines are written in batches: wait for every line).
    const requestLines = () =>
      api!
        .output()
        .slice(before)
        .split('\n')
        .filter((line) => line.includes('"path":"/graphql"'));
    await waitFor('a log line for every request', async () => requestLines().length >= answers.length - 1, 5_000);
    const pids = new Set(requestLines().map((line) => JSON.parse(line).pid as number));
    expect(pids.size).toBe(2);
  });

  it('SIGTERM stops every API process cleanly', async () => {
    const workers = workerPids();
    expect(workers).toHaveLength(2);
    const { code, ms } = await api!.signal('SIGTERM');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(7_000);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
    api = undefined;
  });
});

/** Starts the API with `env` and expects it to refuse to start; resolves with its exit code and output. */
function refusedStart(env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    let output = '';
    const child = spawn(process.execPath, serverArguments(), {
      cwd: new URL('../..', import.meta.url),
      env: { ...process.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (code) => (clearTimeout(timer), resolve({ code, output })));
  });
}

// Bad configuration is refused before anything connects, so this runs on either database.
describe('replica and process configuration', () => {
  it('refuses a malformed replica URL, naming the variable and the entry, never its password', async () => {
    const { code, output } = await refusedStart({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
      DATABASE_REPLICA_URLS: 'postgres://reader:s3cret-pw@127.0.0.1:5433/db, mysql://reader:other-s3cret@127.0.0.1/db',
    });
    expect(code).toBe(1);
    expect(output).toContain('DATABASE_REPLICA_URLS, entry 2 of 2 (mysql://reader:***@127.0.0.1/db) has the scheme "mysql:"');
    expect(output).not.toContain('s3cret');
  }, 40_000);

  it('refuses replicas and several processes on the embedded database', async () => {
    const replicas = await refusedStart({ DATABASE_URL: '', DATABASE_REPLICA_URLS: 'postgres://127.0.0.1:5433/db', NARAVARD_DATA_DIR: 'memory://' });
    expect(replicas.code).toBe(1);
    expect(replicas.output).toContain('DATABASE_REPLICA_URLS needs DATABASE_URL');
    const processes = await refusedStart({ DATABASE_URL: '', WEB_CONCURRENCY: '2', NARAVARD_DATA_DIR: 'memory://' });
    expect(processes.code).toBe(1);
    expect(processes.output).toContain('WEB_CONCURRENCY=2 needs DATABASE_URL');
  }, 60_000);
});
