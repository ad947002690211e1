import { randomBytes } from 'node:crypto';
import { createApiKey } from '@naravard/db';
import { createTestDatabase } from '@naravard/db/testing';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/server.ts';
import { searches } from './support/heavy.ts';
import { post } from './support/process.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/*
 * Per-client limits: a rate limit on query cost per window and a limit on requests in flight, by
 * API key, else by address; 429 with Retry-After; the cost spent and left in `extensions.cost`.
 * In memory, and shared across replicas through Redis (REDIS_URL; one runs on 127.0.0.1:6379).
 */

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisAnswers = await (async () => {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000 });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
})();

const ALLOWANCE = 200_000;
const HEAVY = searches(3);

for (const store of ['memory', 'redis'] as const) {
  describe.runIf(store === 'memory' || redisAnswers)(`per-client limits (${store})`, () => {
    const keyPrefix = `naravard_h10_${randomBytes(4).toString('hex')}`;
    const limits = {
      rateLimitCost: ALLOWANCE,
      rateLimitWindowSeconds: 60,
      concurrencyLimit: 2,
      ...(store === 'redis' ? { redisUrl: REDIS_URL, redisKeyPrefix: keyPrefix } : {}),
    };
    let server: TestServer;
    const bearer = async (name: string) => {
      const { key } = await createApiKey(server.database.db, { name: `${name}-${randomBytes(3).toString('hex')}`, scopes: ['write'] });
      return { authorization: `Bearer ${key}` };
    };

    beforeAll(async () => {
      server = await startTestServer({ seed: true, namePrefix: 'naravard_h10_limits', limits });
    }, 120_000);
    afterAll(async () => {
      await server?.close();
      if (store === 'redis') {
        const redis = new Redis(REDIS_URL);
        const keys = await redis.keys(`${keyPrefix}*`);
        if (keys.length) await redis.del(...keys);
        redis.disconnect();
      }
    });

    it('reports the cost spent and what is left in extensions.cost', async () => {
      const headers = await bearer('cost-report');
      const first = await post(server.url, '{ decisions(first: 10, filter: { text: "kontakt" }) { totalCount } }', undefined, headers);
      expect(first.status).toBe(200);
      const cost = first.body.extensions.cost;
      expect(cost).toMatchObject({ limit: ALLOWANCE, windowSeconds: 60, maximumPerRequest: 100_000 });
      expect(cost.requested).toBeGreaterThan(500);
      expect(cost.remaining).toBe(ALLOWANCE - cost.requested);
      expect(Date.parse(cost.resetAt)).toBeGreaterThan(Date.now());
      const second = await post(server.url, '{ decisions(first: 10, filter: { text: "kontakt" }) { totalCount } }', undefined, headers);
      expect(second.body.extensions.cost.remaining).toBe(ALLOWANCE - 2 * cost.requested);
    });

    it('charges by the page size and the text a request sends in variables, whatever its other variables', async () => {
      const headers = await bearer('cost-variables');
      const query = 'query Costs($n: Int, $r: String, $t: String) { decisions(first: $n, filter: { region: $r, text: $t }) { totalCount } }';
      const charged = async (variables: Record<string, unknown>) => {
        const answer = await post(server.url, query, variables, headers);
        expect(answer.status).toBe(200);
        expect(answer.body.errors).toBeUndefined();
        return answer.body.extensions.cost.requested as number;
      };
      const literal = await post(server.url, '{ decisions(first: 20, filter: { region: "07", text: "kontakt" }) { totalCount } }', undefined, headers);
      const plain = await charged({ n: 20, r: '07', t: '' });
      // A region changes no cost; a text filter and a larger page do, each time they are sent.
      expect(await charged({ n: 20, r: '18', t: '' })).toBe(plain);
      expect(await charged({ n: 20, r: '07', t: 'kontakt' })).toBe(plain + 500);
      expect(await charged({ n: 20, r: '18', t: 'kontakt' })).toBe(literal.body.extensions.cost.requested);
      expect(await charged({ n: 40, r: '07', t: '' })).toBeGreaterThan(plain);
      expect(await charged({ n: 20, r: '18', t: '' })).toBe(plain);
    });

    it('answers 429 with Retry-After once a client spent its allowance, running nothing; other clients keep theirs', async () => {
      const spender = await bearer('spender');
      const answers = [];
      for (let i = 0; i < 3; i += 1) answers.push(await post(server.url, HEAVY, undefined, spender));
      expect(answers.slice(0, 2).map((answer) => answer.status)).toEqual([200, 200]);
      const refused = answers[2]!;
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(refused.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'cost', retryAfterSeconds: retryAfter });
      expect(refused.body.errors[0].extensions.cost).toMatchObject({ limit: ALLOWANCE, remaining: 0 });
      expect(refused.body.data).toBeUndefined();

      server.database.resetStatements();
      expect((await post(server.url, HEAVY, undefined, spender)).status).toBe(429);
      // Only the key was looked up: no search ran.
      expect(server.database.statements.filter((statement) => !/"api_keys"/.test(statement))).toEqual([]);

      // Another key, and the anonymous client (by address), each have an allowance of their own.
      expect((await post(server.url, HEAVY, undefined, await bearer('other'))).status).toBe(200);
      expect((await post(server.url, '{ regions(first: 1) { totalCount } }')).status).toBe(200);
    });

    it('answers 429 to a client with more requests in flight than its concurrency limit', async () => {
      const headers = await bearer('parallel');
      const answers = await Promise.all(Array.from({ length: 6 }, () => post(server.url, searches(1), undefined, headers)));
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
      const refused = answers.filter((answer) => answer.status === 429);
      expect(refused.length).toBeGreaterThan(0);
      for (const answer of refused) {
        expect(answer.headers.get('retry-after')).toBe('1');
        expect(answer.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'concurrency' });
      }
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(2);
      // Slots are given back: one at a time is always let through.
      for (let i = 0; i < 3; i += 1) expect((await post(server.url, '{ regions(first: 1) { totalCount } }', undefined, headers)).status).toBe(200);
    });

    it.runIf(store === 'redis')('shares one allowance across replicas', async () => {
      const other = await createTestDatabase({ namePrefix: 'naravard_h10_replica' });
      const replica = await createApp({ connection: other, logger: pino({ level: 'silent' }), limits });
      const url = `http://127.0.0.1:${await replica.listen(0, '127.0.0.1')}`;
      try {
        // The same client (this address) on two replicas, each with a database of its own.
        const onFirst = await post(server.url, '{ regions(first: 5) { totalCount } }');
        const onSecond = await post(url, '{ regions(first: 5) { totalCount } }');
        const spent = onFirst.body.extensions.cost.requested;
        expect(onSecond.body.extensions.cost.requested).toBe(spent);
        expect(onSecond.body.extensions.cost.remaining).toBe(onFirst.body.extensions.cost.remaining - spent);
      } finally {
        await replica.stop();
        await other.dispose();
      }
    });
  });
}
