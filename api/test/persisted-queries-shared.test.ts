import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, loadSeedData, migrate } from '@naravard/db';
import { createTestDatabase } from '@naravard/db/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from './support/process.ts';

/*
 * Automatic persisted queries across API processes (several hosts, or WEB_CONCURRENCY > 1): with
 * REDIS_URL a query registered with one process is found by the others, so a short GET URL works
 * whichever process answers it. Two processes as `pnpm start` runs them in production, sharing a
 * Redis (one runs on 127.0.0.1:6379) under a key prefix of their own. On PostgreSQL both read one
 * database; on PGlite each has its own copy of the seeded data folder (a folder is one process's).
 */

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEY_PREFIX = `naravard-test-apq-${randomBytes(6).toString('hex')}:`;

const QUERY = 'query RegionByCode($code: String!) { region(code: $code) { code name } }';
const HASH = createHash('sha256').update(QUERY).digest('hex');
const extensions = (hash: string) => encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }));
const variables = (code: string) => encodeURIComponent(JSON.stringify({ code }));

let first: ServerProcess | undefined;
let second: ServerProcess | undefined;
const cleanups: (() => Promise<void>)[] = [];

async function databases(): Promise<[Record<string, string>, Record<string, string>]> {
  if (process.env.DATABASE_URL) {
    const database = await createTestDatabase({ seed: true });
    await database.close();
    cleanups.push(() => database.dispose());
    const env = { DATABASE_URL: database.url! };
    return [env, env];
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'naravard-apq-'));
  const connection = await connect({ dataDir });
  await migrate(connection);
  await loadSeedData(connection.db);
  await connection.close();
  const copy = mkdtempSync(join(tmpdir(), 'naravard-apq-'));
  cpSync(dataDir, copy, { recursive: true });
  cleanups.push(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(copy, { recursive: true, force: true });
  });
  return [
    { NARAVARD_DATA_DIR: dataDir, DATABASE_URL: '' },
    { NARAVARD_DATA_DIR: copy, DATABASE_URL: '' },
  ];
}

beforeAll(async () => {
  const [one, two] = await databases();
  const shared = { REDIS_URL, REDIS_KEY_PREFIX: KEY_PREFIX, WEB_CONCURRENCY: '1' };
  [first, second] = await Promise.all([startServerProcess({ ...one, ...shared }), startServerProcess({ ...two, ...shared })]);
}, 300_000);

afterAll(async () => {
  first?.kill();
  second?.kill();
  await Promise.all([first?.exited, second?.exited]);
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${KEY_PREFIX}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  for (const cleanup of cleanups) await cleanup();
}, 60_000);

async function getByHash(server: ServerProcess, hash: string, code: string) {
  const response = await fetch(`${server.url}/graphql?extensions=${extensions(hash)}&variables=${variables(code)}`);
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
}

describe('persisted queries shared through Redis', () => {
  it('finds on one process the query registered by POST on the other', async () => {
    // Unknown to both at first.
    expect((await getByHash(second!, HASH, '13')).body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const registered = await fetch(`${first!.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY, variables: { code: '13' }, extensions: { persistedQuery: { version: 1, sha256Hash: HASH } } }),
    });
    expect(((await registered.json()) as { data?: unknown }).data).toEqual({ region: { code: '13', name: 'Region Halland' } });

    // Apollo stores the query while it runs it, without waiting: allow the write a moment.
    let answer = await getByHash(second!, HASH, '07');
    for (let attempt = 0; attempt < 20 && answer.body.errors; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await getByHash(second!, HASH, '07');
    }
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data).toEqual({ region: { code: '07', name: 'Region Kronoberg' } });

    // Kept in Redis under the deployment's prefix, with an expiry.
    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys(`${KEY_PREFIX}*`);
      const key = keys.find((name) => name.endsWith(HASH));
      expect(key, keys.join(', ')).toBeDefined();
      expect(await redis.get(key!)).toContain(QUERY);
      const ttl = await redis.ttl(key!);
      expect(ttl).toBeGreaterThan(60 * 60);
      expect(ttl).toBeLessThanOrEqual(24 * 60 * 60);
    } finally {
      redis.disconnect();
    }
  });

  it('still answers PersistedQueryNotFound for a hash neither process was given', async () => {
    const never = createHash('sha256').update('{ regions { totalCount } }').digest('hex');
    expect((await getByHash(first!, never, '13')).body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await getByHash(second!, never, '13')).body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
