import { createServer, type Server, type Socket, connect as connectSocket } from 'node:net';
import { connect, type Connection } from '@naravard/db';
import { createTestDatabase, type TestDatabase } from '@naravard/db/testing';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../src/server.ts';
import { freePort } from './support/postgres-server.ts';
import { post } from './support/process.ts';

/*
 * A database outage is not a server bug: while PostgreSQL cannot be reached, GraphQL answers 503
 * with Retry-After and DATABASE_UNAVAILABLE within a second, /readyz says so within a second, and
 * the API serves again by itself when the database is back. These run the postgres.js driver
 * against addresses where no database answers; with DATABASE_URL set, also through a proxy to
 * the real server that is cut and restored.
 */

const started: { app: App; connection: Connection }[] = [];
afterAll(async () => {
  for (const { app } of started) await app.stop({ drainMs: 100 }).catch(() => {});
});

async function apiOn(databaseUrl: string) {
  const connection = await connect({ databaseUrl });
  const app = await createApp({ connection, logger: pino({ level: 'silent' }), limits: { rateLimitCost: 0, concurrencyLimit: 0 } });
  const port = await app.listen(0, '127.0.0.1');
  started.push({ app, connection });
  return `http://127.0.0.1:${port}`;
}

async function expectUnavailable(url: string, headers: Record<string, string> = {}) {
  const response = await post(url, '{ regions(first: 1) { totalCount } }', undefined, headers);
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toBe('2');
  expect(response.body.errors[0].extensions.code).toBe('DATABASE_UNAVAILABLE');
  expect(JSON.stringify(response.body)).not.toMatch(/INTERNAL_SERVER_ERROR|ECONNREFUSED|select/i);
  expect(response.ms).toBeLessThan(1_000);
}

async function expectNotReady(url: string) {
  const begun = performance.now();
  const response = await fetch(`${url}/readyz`);
  expect(response.status).toBe(503);
  expect(performance.now() - begun).toBeLessThan(1_000);
}

describe('an unreachable database', () => {
  it('refusing connections: 503 DATABASE_UNAVAILABLE with Retry-After within a second, also with an API key; /readyz within a second', async () => {
    const url = await apiOn(`postgres://postgres@127.0.0.1:${await freePort()}/naravard_h10_nowhere`);
    await expectUnavailable(url);
    await expectUnavailable(url);
    await expectUnavailable(url, { authorization: 'Bearer nrv_some_key_while_down' });
    await expectNotReady(url);
  });

  it('accepting connections and never answering: the same, within a second', async () => {
    const sockets: Socket[] = [];
    const blackHole: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    try {
      const url = await apiOn(`postgres://postgres@127.0.0.1:${(blackHole.address() as { port: number }).port}/naravard_h10_nowhere`);
      await expectUnavailable(url);
      await expectUnavailable(url);
      await expectNotReady(url);
    } finally {
      for (const socket of sockets) socket.destroy();
      blackHole.close();
    }
  });

  it('accepting connections and closing them at once (a proxy whose database is gone): the same, within a second', async () => {
    const slammer: Server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => slammer.listen(0, '127.0.0.1', resolve));
    try {
      const url = await apiOn(`postgres://postgres@127.0.0.1:${(slammer.address() as { port: number }).port}/naravard_h10_nowhere`);
      await expectUnavailable(url);
      await expectUnavailable(url);
      await expectNotReady(url);
    } finally {
      slammer.close();
    }
  });
});

describe.runIf(process.env.DATABASE_URL)('a database that goes away and comes back', () => {
  let database: TestDatabase;
  afterAll(() => database?.dispose());

  it('answers 503 while it is away and serves again by itself', async () => {
    database = await createTestDatabase({ seed: true, namePrefix: 'naravard_h10_outage' });
    const target = new URL(database.url!);
    // A proxy to the real server that can be cut, the way a network or a crash cuts it.
    let up = true;
    const open = new Set<Socket>();
    const proxy = createServer((client) => {
      if (!up) return void client.destroy();
      const upstream = connectSocket(Number(target.port || 5432), target.hostname);
      open.add(client).add(upstream);
      const drop = () => (client.destroy(), upstream.destroy(), open.delete(client), open.delete(upstream));
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const viaProxy = new URL(database.url!);
      viaProxy.host = `127.0.0.1:${(proxy.address() as { port: number }).port}`;
      const url = await apiOn(viaProxy.toString());
      const query = '{ regions(first: 1) { totalCount } }';
      expect((await post(url, query)).body.data.regions.totalCount).toBe(21);

      // Cut: connections dropped, new ones refused.
      up = false;
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      const during = await post(url, query);
      expect(during.status).toBe(503);
      expect(during.body.errors[0].extensions.code).toBe('DATABASE_UNAVAILABLE');
      expect(during.ms).toBeLessThan(1_000);
      await expectUnavailable(url);
      await expectNotReady(url);

      up = true;
      await new Promise<void>((resolve) => proxy.listen(Number(viaProxy.port), '127.0.0.1', resolve));
      const deadline = Date.now() + 5_000;
      let after = await post(url, query);
      while (after.status !== 200 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        after = await post(url, query);
      }
      expect(after.status).toBe(200);
      expect(after.body.data.regions.totalCount).toBe(21);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
    } finally {
      for (const socket of open) socket.destroy();
      proxy.close();
    }
  });
});
