import { describe, expect, it } from 'vitest';
import { connect } from '../src/index.ts';

/*
 * The health check opens a connection of its own, within a deadline. A process whose event loop is
 * blocked (a large PDF being parsed) must not take its own slowness for the database's: the
 * deadline's timer would fire before the connection's answer, already waiting, is read, and the
 * API would mark a healthy database down and fail the requests in flight.
 */

const databaseUrl = process.env.DATABASE_URL;

/** Keeps the event loop busy, as a synchronous parse does. */
function blockEventLoop(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe.skipIf(!databaseUrl)('the health check on PostgreSQL', () => {
  it('answers when the event loop is blocked past its deadline while it connects', async () => {
    const connection = await connect({ databaseUrl: databaseUrl!, connectTimeoutMs: 700 });
    try {
      const ping = connection.ping();
      blockEventLoop(900);
      await expect(ping).resolves.toBeUndefined();
    } finally {
      await connection.close();
    }
  });

  it('still fails within its deadline on an address that never answers', async () => {
    // A port nothing listens on, behind an address that drops packets would wait forever; a closed
    // local port refuses at once, so the deadline is exercised by an unroutable address instead.
    const connection = await connect({ databaseUrl: 'postgres://postgres@10.255.255.1:5432/test', connectTimeoutMs: 700 });
    try {
      const started = performance.now();
      const error = await connection.ping().then(
        () => null,
        (caught: { code?: string }) => caught,
      );
      expect(error?.code).toBe('CONNECT_TIMEOUT');
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      await connection.close();
    }
  });
});
