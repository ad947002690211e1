import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../api/test/support/server.ts';
import { callers } from '../../api/test/support/auth.ts';
import { createClient, NetworkError, READ_PRIMARY_HEADER, RegionsDocument, RequestError } from '../src/index.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
});
afterAll(() => server?.close());

describe('createClient', () => {
  it('has a typed method per operation', async () => {
    const client = createClient({ url: `${server.url}/graphql` });
    const { region } = await client.region({ code: '07' });
    expect(region?.name).toBe('Region Kronoberg');
    const { regions } = await client.regions({ first: 3 });
    expect(regions.edges.map((edge) => edge.node.code)).toEqual(['01', '03', '04']);
  });

  it('runs any typed document with request()', async () => {
    const client = createClient({ url: `${server.url}/graphql` });
    const data = await client.request(RegionsDocument, { first: 1, filter: { text: 'halland' } });
    expect(data.regions.edges[0]?.node.name).toBe('Region Halland');
  });

  it('iterates every record of a connection with paginate, page by page', async () => {
    const client = createClient({ url: `${server.url}/graphql` });
    const codes: string[] = [];
    for await (const region of client.paginate.regions({ first: 4 })) codes.push(region.code);
    expect(codes).toHaveLength(21);
    expect(new Set(codes).size).toBe(21);
  });

  it('retries a read after network errors and 5xx answers, with backoff', async () => {
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      calls += 1;
      if (calls === 1) throw new TypeError('fetch failed: connection reset');
      if (calls === 2) return new Response('upstream down', { status: 503 });
      return fetch(input, init);
    };
    const client = createClient({ url: `${server.url}/graphql`, fetch: flaky, retryDelayMs: 1 });
    const { region } = await client.region({ code: '13' });
    expect(region?.name).toBe('Region Halland');
    expect(calls).toBe(3);
  });

  it('after its own write, asks for reads from the primary for the read-your-writes window', async () => {
    const key = (await callers(server)).write.authorization.replace('Bearer ', '');
    const sent: (string | null)[] = [];
    const recording: typeof fetch = async (input, init) => {
      sent.push(new Headers(init?.headers).get(READ_PRIMARY_HEADER));
      return fetch(input, init);
    };
    const client = createClient({ url: `${server.url}/graphql`, apiKey: key, fetch: recording, readYourWritesMs: 400 });
    await client.regions({ first: 1 });
    const { createTopic } = await client.createTopic({ input: { slug: 'sdk-read-your-writes', name: 'SDK read-your-writes' } });
    expect(createTopic.__typename).toBe('Topic');
    await client.regions({ first: 1 });
    await new Promise((resolve) => setTimeout(resolve, 450));
    await client.regions({ first: 1 });
    // Before the write: no header; the write itself: none; the read right after: asks; past the window: no more.
    expect(sent).toEqual([null, null, '1', null]);
  });

  it('gives up after the retries, with a NetworkError', async () => {
    let calls = 0;
    const down: typeof fetch = async () => {
      calls += 1;
      throw new TypeError('fetch failed');
    };
    const client = createClient({ url: `${server.url}/graphql`, fetch: down, retries: 2, retryDelayMs: 1 });
    await expect(client.region({ code: '07' })).rejects.toBeInstanceOf(NetworkError);
    expect(calls).toBe(3);
  });

  it('reports API errors as a RequestError with the code', async () => {
    const client = createClient({ url: `${server.url}/graphql` });
    const failure = await client.regions({ first: 500 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RequestError);
    expect((failure as RequestError).code).toBe('BAD_USER_INPUT');
    expect((failure as RequestError).message).toMatch(/"first" must be at most 100/);
    const badKey = createClient({ url: `${server.url}/graphql`, apiKey: 'nv_not_a_key' });
    const refused = await badKey.region({ code: '07' }).catch((error: unknown) => error);
    expect((refused as RequestError).status).toBe(401);
    expect((refused as RequestError).code).toBe('UNAUTHENTICATED');
  });

  it('gives up on an attempt after timeoutMs', async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    const client = createClient({ url: `${server.url}/graphql`, fetch: hanging, timeoutMs: 50, retries: 0 });
    await expect(client.region({ code: '07' })).rejects.toBeInstanceOf(NetworkError);
  });
});
