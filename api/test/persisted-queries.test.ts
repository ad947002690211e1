import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.ts';

/*
 * Automatic persisted queries over GET, as BI tools and caches use them: the query is sent once
 * with its sha256, after which a short, stable URL (the hash and the variables) runs it; public
 * GET answers carry Cache-Control and an ETag, and a client holding the answer gets 304.
 */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
});
afterAll(() => server?.close());

const QUERY = 'query RegionByCode($code: String!) { region(code: $code) { code name } }';
const HASH = createHash('sha256').update(QUERY).digest('hex');
const extensions = (hash = HASH) => encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }));
const variables = (code: string) => encodeURIComponent(JSON.stringify({ code }));

const get = (search: string, headers: Record<string, string> = {}) => fetch(`${server.url}/graphql?${search}`, { headers });

describe('automatic persisted queries over GET', () => {
  it('asks for the query once, then answers the short URL', async () => {
    const short = `extensions=${extensions()}&variables=${variables('13')}`;
    const unknown = await get(short);
    expect(await unknown.json()).toMatchObject({ errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
    expect(unknown.headers.get('cache-control')).not.toMatch(/public/);

    const registered = await get(`query=${encodeURIComponent(QUERY)}&${short}`);
    expect(registered.status).toBe(200);
    expect(await registered.json()).toEqual({ data: { region: { code: '13', name: 'Region Halland' } } });

    const answered = await get(`extensions=${extensions()}&variables=${variables('07')}`);
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ data: { region: { code: '07', name: 'Region Kronoberg' } } });
  });

  it('refuses a query whose hash is not its own', async () => {
    const other = '{ regions { totalCount } }';
    const wrong = createHash('sha256').update(other).digest('hex');
    // Both documents have been hashed before (the server keeps the hashes of documents it has seen).
    expect((await get(`query=${encodeURIComponent(other)}`)).status).toBe(200);
    const response = await get(`query=${encodeURIComponent(QUERY)}&extensions=${extensions(wrong)}&variables=${variables('13')}`);
    const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/sha|hash/i);
  });
});

describe('caching of public GET reads', () => {
  it('marks a successful anonymous GET cacheable with an ETag, and answers 304 to it', async () => {
    const search = `query=${encodeURIComponent('{ regions { totalCount } }')}`;
    const first = await get(search);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('public, max-age=60');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(await first.json()).toEqual({ data: { regions: { totalCount: 21 } } });

    const again = await get(search, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // Another answer has another ETag.
    const other = await get(`query=${encodeURIComponent('{ region(code: "07") { name } }')}`, { 'if-none-match': etag });
    expect(other.status).toBe(200);
  });

  it('never marks an answer with errors, one to a caller with a key, or a POST as public', async () => {
    const failing = await get(`query=${encodeURIComponent('{ region(code: "13") { nonsense } }')}`);
    expect(failing.headers.get('cache-control') ?? '').not.toMatch(/public/);
    expect(failing.headers.get('etag')).toBeNull();

    const withKey = await get(`query=${encodeURIComponent('{ regions { totalCount } }')}`, { authorization: 'Bearer not-a-key' });
    expect(withKey.headers.get('cache-control') ?? '').not.toMatch(/public/);

    const post = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ regions { totalCount } }' }),
    });
    expect(post.status).toBe(200);
    expect(post.headers.get('cache-control') ?? '').not.toMatch(/public/);
    expect(post.headers.get('etag')).toBeNull();
  });
});
