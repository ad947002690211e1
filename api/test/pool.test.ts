import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@naravard/db/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, serverArguments, type ServerProcess, startServerProcess } from './support/process.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/*
 * DATABASE_POOL_SIZE: how many connections an API process keeps to PostgreSQL. Seen from
 * PostgreSQL: while every request waits for a lock, the API's backends waiting are as many as
 * the pool allows, however many requests are in flight.
 */

describe.runIf(process.env.DATABASE_URL)('the connection pool on PostgreSQL', () => {
  let database: TestDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    database = await createTestDatabase({ namePrefix: 'naravard_pool' });
    await database.close();
    server = await startServerProcess({ DATABASE_URL: database.url, DATABASE_POOL_SIZE: '2' });
  });
  afterAll(async () => {
    server?.kill();
    await database?.dispose();
  });

  it('uses at most DATABASE_POOL_SIZE connections, and answers every request once they are free', async () => {
    const blocker = postgres(database.url!, { max: 2, onnotice: () => {} });
    let release = () => {};
    let transaction: Promise<unknown> = Promise.resolve();
    try {
      await new Promise<void>((held) => {
        transaction = blocker.begin(async (tx) => {
          await tx`lock table decisions in access exclusive mode`;
          held();
          await new Promise<void>((done) => (release = done));
        });
      });
      // Four requests at once: as many as one client may have in flight (CONCURRENCY_LIMIT).
      const answers = Promise.all(
        Array.from({ length: 4 }, () => post(server.url, '{ decisions(first: 3) { edges { node { kind text } } } }')),
      );
      const waiting = async () =>
        (
          await blocker`select count(*)::int as n from pg_stat_activity
            where application_name = 'naravard' and wait_event_type = 'Lock' and datname = current_database()`
        )[0]!.n;
      const deadline = Date.now() + 5_000;
      while ((await waiting()) < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      // The other two requests wait in the API for one of the two connections, not in PostgreSQL.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await waiting()).toBe(2);
      release();
      await transaction;
      for (const answer of await answers) {
        expect(answer.status).toBe(200);
        expect(answer.body.errors).toBeUndefined();
        expect(answer.body.data.decisions.edges.length).toBeGreaterThan(0);
      }
    } finally {
      release();
      await transaction;
      await blocker.end();
    }
  });
});

describe('DATABASE_POOL_SIZE', () => {
  it('that is not a positive whole number stops the start with one line naming it, exit 1', () => {
    const result = spawnSync(process.execPath, serverArguments(), {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', PORT: '0', DATABASE_POOL_SIZE: '0' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/DATABASE_POOL_SIZE must be a positive whole number, not "0"/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
