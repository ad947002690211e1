import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('GraphQL over HTTP', () => {
  it('passes every MUST audit of the graphql-http package', async () => {
    const audits = serverAudits({ url: `${server.url}/graphql`, fetchFn: fetch });
    const results = await Promise.all(audits.map((audit) => audit.fn()));
    const must = results.filter((result) => result.name.startsWith('MUST'));
    expect(must.length).toBeGreaterThan(10);
    const failed = must.filter((result) => result.status !== 'ok').map((result) => `${result.name}: ${result.reason ?? result.status}`);
    expect(failed).toEqual([]);
  });

  it('answers GET with a query in the URL', async () => {
    const response = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/graphql-response+json' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/graphql-response+json');
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses a mutation over GET', async () => {
    const response = await fetch(`${server.url}/graphql?query=${encodeURIComponent('mutation { __typename }')}`, {
      headers: { accept: 'application/graphql-response+json' },
    });
    expect(response.status).toBe(405);
  });

  it('says 404 for paths it does not serve, and 400 for a body that is not JSON', async () => {
    expect((await fetch(`${server.url}/nothing-here`)).status).toBe(404);
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
  });
});
