import { getEventListeners } from 'node:events';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { connect } from '../src/connect.ts';

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
});
