import { getEventListeners } from 'node:events';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { connect } from '../src/connect.ts';
import { Stop } from '../src/statement-scope.ts';

// The scope's listeners are postgres.js's (PostgreSQL); on PGlite a stopped scope only refuses the next statement.
const databaseUrl = process.env.DATABASE_URL;

describe.skipIf(!databaseUrl)('a request scope on PostgreSQL', () => {
  it('keeps no abort listener for a statement once it has answered or failed, and still stops a running one', async () => {
    const connection = await connect({ databaseUrl, maxConnections: 2 });
    const controller = new AbortController();
    const listeners = () => getEventListeners(controller.signal, 'abort').length;
    try {
      const db = connection.scoped({ signal: controller.signal });
      for (let n = 0; n < 25; n++) expect(await db.execute(sql`select ${n}::int as n`)).toEqual([{ n }]);
      expect(listeners()).toBe(0);
      await expect(db.execute(sql`select 1 / ${0}::int as n`)).rejects.toThrow();
      expect(listeners()).toBe(0);

      const running = db.execute(sql`select pg_sleep(30)`).then((rows) => rows);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(listeners()).toBe(1);
      const started = Date.now();
      controller.abort(new Error('stopped by the test'));
      // Drizzle names the statement and gives the scope's reason as the cause.
      await expect(running).rejects.toHaveProperty('cause.message', 'stopped by the test');
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(listeners()).toBe(0);
    } finally {
      await connection.close();
    }
  });

  it("stops a running statement with a Stop (the API's request signal) and keeps no listener once statements settle", async () => {
    const connection = await connect({ databaseUrl, maxConnections: 2 });
    const stop = new Stop();
    try {
      const db = connection.scoped({ signal: stop });
      for (let n = 0; n < 25; n++) expect(await db.execute(sql`select ${n}::int as n`)).toEqual([{ n }]);
      expect(stop.listenerCount).toBe(0);
      const running = db.execute(sql`select pg_sleep(30)`).then((rows) => rows);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(stop.listenerCount).toBe(1);
      const started = Date.now();
      stop.abort(new Error('stopped by the test'));
      await expect(running).rejects.toHaveProperty('cause.message', 'stopped by the test');
      expect(Date.now() - started).toBeLessThan(5_000);
      // The scope refuses further statements with the same reason.
      await expect(db.execute(sql`select 1`)).rejects.toThrow('stopped by the test');
    } finally {
      await connection.close();
    }
  });

  it('never cancels the statement of another request that shares its connection', async () => {
    // One connection, two requests. The second request's statement is sent behind the first one's
    // on the wire (every other round), or waits in the pool and is sent once the first is done.
    // The first request stops at moments around the end of its statement, when a cancel request
    // on its way could arrive while the backend already runs the second request's statement.
    const connection = await connect({ databaseUrl, maxConnections: 1 });
    const outcomes = { firstAnswered: 0, firstStopped: 0 };
    const rounds = 60;
    try {
      await connection.db.execute(sql`select 1`);
      for (let n = 0; n < rounds; n++) {
        const first = new AbortController();
        const firstDone = connection
          .scoped({ signal: first.signal })
          .execute(sql`select pg_sleep(0.015)`)
          .then(
            () => outcomes.firstAnswered++,
            (error: unknown) => {
              expect(error).toHaveProperty('cause.message', 'the first request went away');
              outcomes.firstStopped++;
            },
          );
        const runSecond = () => connection.scoped({ signal: new AbortController().signal }).execute(sql`select pg_sleep(0.005), ${n}::int as n`);
        const pipelined = n % 2 === 0 ? runSecond() : null;
        await new Promise((resolve) => setTimeout(resolve, 8 + ((n * 7) % 15)));
        first.abort(new Error('the first request went away'));
        const second = pipelined ?? runSecond();
        await firstDone;
        expect(await second).toEqual([{ pg_sleep: '', n }]);
      }
      // Both ways happened: stopped while it ran, and after it had answered.
      expect(outcomes.firstStopped).toBeGreaterThan(0);
      expect(outcomes.firstAnswered).toBeGreaterThan(0);
      expect(outcomes.firstAnswered + outcomes.firstStopped).toBe(rounds);
    } finally {
      await connection.close();
    }
  });
});
