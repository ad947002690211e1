import { createTestDatabase } from '@naravard/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, databaseErrorOf } from '@naravard/db';
import { LIMITS } from '../src/limits.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
});
afterAll(() => server?.close());

/** A selection nested `levels` deep through organisations and their parents. */
const deepQuery = (levels: number) => `{ organisations(first: 1) { edges { node { ${'parent { '.repeat(levels)}id${' }'.repeat(levels)} } } } }`;

describe('limits', () => {
  it('refuses a query deeper than the limit, before touching the database', async () => {
    server.database.resetStatements();
    const response = await server.graphql(deepQuery(LIMITS.depth));
    // Refused before execution, as the alias limit is: a request error (GraphQL over HTTP), no data.
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]?.message).toMatch(/depth is \d+, over the limit of 15/);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'depth' });
    expect(server.database.statements).toEqual([]);
  });

  it('accepts a realistic nested query', async () => {
    const response = await server.graphql(`{
      regions(first: 21) { edges { node { code meetings(first: 10) { edges { node {
        agendaItems { title decisions { kind citations { quote document { title } } } }
      } } } } } }
    }`);
    expect(response.errors).toBeUndefined();
  });

  it('refuses a query whose estimated cost is over the limit', async () => {
    const response = await server.graphql(`{
      regions(first: 100) { edges { node { meetings(first: 100) { edges { node { agendaItems { decisions { citations { quote } } } } } } } } }
    }`);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'complexity' });
    expect(response.data?.regions ?? null).toBeNull();
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: LIMITS.aliases + 1 }, (_, index) => `a${index}: regions(first: 1) { totalCount }`).join(' ');
    const response = await server.graphql(`{ ${aliases} }`);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.message).toMatch(/aliases/i);
  });

  it('accepts as many aliases as the limit', async () => {
    const aliases = Array.from({ length: LIMITS.aliases }, (_, index) => `a${index}: region(code: "07") { name }`).join(' ');
    const response = await server.graphql(`{ ${aliases} }`);
    expect(response.errors).toBeUndefined();
    expect(response.data!.a0.name).toBe('Region Kronoberg');
  });

  it('counts aliases of __typename too', async () => {
    const aliases = Array.from({ length: LIMITS.aliases + 1 }, (_, index) => `t${index}: __typename`).join(' ');
    const response = await server.graphql(`{ ${aliases} }`);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases' });
    expect(response.data).toBeUndefined();
  });

  it('refuses a document of more tokens than the limit, before touching the database', async () => {
    server.database.resetStatements();
    const fields = Array.from({ length: LIMITS.tokens }, () => 'code').join(' ');
    const response = await server.graphql(`{ regions(first: 1) { edges { node { ${fields} } } } }`);
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([
      {
        message: expect.stringMatching(new RegExp(`more than ${LIMITS.tokens} tokens`)),
        extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'tokens', maximum: LIMITS.tokens },
      },
    ]);
    expect(server.database.statements).toEqual([]);
  });

  it('refuses too many directives', async () => {
    const directives = Array.from({ length: LIMITS.directives + 1 }, () => '@include(if: true)').join(' ');
    const response = await server.graphql(`{ __typename ${directives} }`);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.message).toMatch(/directives/i);
  });

});

describe('unexpected failures', () => {
  it('show no SQL or stack trace, only an internal error', async () => {
    const failing = await startTestServer();
    try {
      // With the database gone every statement fails, the way it would in an outage.
      await failing.database.close();
      const response = await failing.graphql(`{ regions(first: 1) { edges { node { code } } } }`);
      expect(response.errors).toEqual([
        { message: 'Internal server error.', locations: expect.any(Array), path: ['regions'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ]);
      expect(JSON.stringify(response)).not.toMatch(/select|from "regions"|stack|drizzle/i);
    } finally {
      await failing.app.stop().catch(() => {});
      await failing.database.dispose();
    }
  });
});

// PostgreSQL enforces statement_timeout; the embedded PGlite runs single-threaded in WebAssembly
// without timers, so it accepts the setting but cannot cancel a running statement.
describe('statement timeout', () => {
  it.runIf(process.env.DATABASE_URL)('PostgreSQL cancels a statement that runs longer than the timeout', async () => {
    const database = await createTestDatabase();
    const connection = await connect({ databaseUrl: database.url, dataDir: 'memory://', statementTimeoutMs: 200 });
    try {
      const started = Date.now();
      const failure = await connection.db.execute(sql`select pg_sleep(3)`).then(
        () => null,
        (error: unknown) => error,
      );
      expect(databaseErrorOf(failure)?.code).toBe('57014');
      expect(Date.now() - started).toBeLessThan(2500);
    } finally {
      await connection.close();
      await database.dispose();
    }
  });
});
