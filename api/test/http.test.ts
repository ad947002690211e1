import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';
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

  it('passes every SHOULD audit too (200 for refused requests when only application/json is accepted)', async () => {
    const audits = serverAudits({ url: `${server.url}/graphql`, fetchFn: fetch });
    const results = await Promise.all(audits.map((audit) => audit.fn()));
    const should = results.filter((result) => result.name.startsWith('SHOULD'));
    expect(should.length).toBeGreaterThan(10);
    const failed = should.filter((result) => result.status !== 'ok').map((result) => `${result.name}: ${result.reason ?? result.status}`);
    expect(failed).toEqual([]);
  });

  it('matches the media type whole and refuses charsets other than UTF-8 (415), running nothing', async () => {
    for (const contentType of [
      'application/jsonx',
      'text/plain; a=application/json',
      'application/json-patch+json',
      'application/json; charset=utf-16',
      'text/plain',
    ]) {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': contentType, accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(response.status, contentType).toBe(415);
    }
    for (const contentType of ['application/json', 'Application/JSON; charset=UTF-8', 'application/json;charset="utf-8"']) {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': contentType, accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(response.status, contentType).toBe(200);
      expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    }
  });

  it('leaves no request waiting for the rest of a body its client never sent', async () => {
    const own = await startTestServer();
    const socket = connect(Number(new URL(own.url).port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write('POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":');
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The server stops at once: a request still waiting for its body would hold the stop for most
    // of its drain limit (10 s).
    const started = performance.now();
    await own.close();
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('answers a body over the size limit with 413 and closes the connection, so the next request is not lost', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: string) =>
      new Promise<{ status: number; connection: string | undefined; text: string }>((resolve, reject) => {
        const request = httpRequest(
          `${server.url}/graphql`,
          { method: 'POST', agent, headers: { 'content-type': 'application/json', accept: 'application/json' } },
          (response) => {
            let text = '';
            response.on('data', (chunk) => (text += chunk));
            response.on('end', () => resolve({ status: response.statusCode!, connection: response.headers.connection, text }));
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    try {
      const tooLarge = await post(JSON.stringify({ query: `{ __typename }${' '.repeat(9 * 1024 * 1024)}` }));
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.connection).toBe('close');
      const next = await post(JSON.stringify({ query: '{ __typename }' }));
      expect(next.status).toBe(200);
      expect(JSON.parse(next.text)).toEqual({ data: { __typename: 'Query' } });
    } finally {
      agent.destroy();
    }
  });

  it('answers in the media type each Accept header prefers, the same each time the header comes again', async () => {
    const answer = async (accept: string | null) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(accept === null ? {} : { accept }) },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      const text = await response.text();
      const ok = response.status === 200 && JSON.stringify(JSON.parse(text)) === '{"data":{"__typename":"Query"}}';
      return { status: response.status, type: response.headers.get('content-type'), ok };
    };
    const json = { status: 200, type: 'application/json; charset=utf-8', ok: true };
    const graphqlResponse = { status: 200, type: 'application/graphql-response+json; charset=utf-8', ok: true };
    const expected: [string | null, { status: number; type: string | null; ok: boolean } | number][] = [
      [null, json],
      ['application/graphql-response+json', graphqlResponse],
      ['application/json', json],
      ['application/json;q=0.5, application/graphql-response+json', graphqlResponse],
      ['application/graphql-response+json;q=0.5, application/json', json],
      ['*/*', json],
      ['text/html', 406],
      ['multipart/mixed', 406],
      ['application/graphql-response+json, application/json, multipart/mixed', graphqlResponse],
    ];
    // Twice through, the second time in reverse order: an answer kept for one header never serves another.
    for (const [accept, wanted] of [...expected, ...[...expected].reverse()]) {
      const got = await answer(accept);
      if (typeof wanted === 'number') expect(got.status, String(accept)).toBe(wanted);
      else expect(got, String(accept)).toEqual(wanted);
    }
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
