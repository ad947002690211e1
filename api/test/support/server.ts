import { createTestDatabase, type TestDatabase } from '@naravard/db/testing';
import { pino } from 'pino';
import type { RuntimeLimits } from '../../src/config.ts';
import { type App, createApp } from '../../src/server.ts';

export interface GraphQLResponse<Data = Record<string, unknown>> {
  status: number;
  contentType: string | null;
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestServer {
  url: string;
  database: TestDatabase;
  app: App;
  /** Posts a GraphQL request to the running server, as any client would. */
  graphql<Data = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<Data>>;
  close(): Promise<void>;
}

/** The API on its own database and a free port, reached over real HTTP. */
export async function startTestServer(
  options: { seed?: boolean; limits?: Partial<RuntimeLimits>; namePrefix?: string } = {},
): Promise<TestServer> {
  const database = await createTestDatabase(options);
  // A test file's requests all come from one address: the per-client limits are off unless a
  // test of them turns them on. Test files run two at a time on two shared cores, where the
  // largest writes (5 MB texts, 10,000 rows) can take longer than the 10 s a request may have in
  // production; the budget itself is tested in budget.test.ts.
  const limits = { rateLimitCost: 0, concurrencyLimit: 0, requestTimeBudgetMs: 60_000, ...options.limits };
  const app = await createApp({ connection: database, logger: pino({ level: 'silent' }), limits });
  const port = await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    database,
    app,
    async graphql(query, variables, headers) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResponse, 'status' | 'contentType'>;
      return { status: response.status, contentType: response.headers.get('content-type'), ...body } as never;
    },
    async close() {
      await app.stop(); // closes the database connection too
      await database.dispose();
    },
  };
}
