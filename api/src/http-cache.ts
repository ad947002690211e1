import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/*
 * Caching of public GraphQL reads over GET: a successful anonymous GET answer may be kept by
 * browsers, BI tools and shared caches for a minute, and carries an ETag (a hash of the answer),
 * so a client that asks again with If-None-Match gets 304 without the body. With automatic
 * persisted queries the URL is short and stable (`?extensions={"persistedQuery":…}` and variables),
 * so caches can key on it. Answers with errors, to callers with an API key, and POSTs are never
 * marked cacheable.
 */

/** How long a public GET answer may be reused before it is asked for again (with its ETag). */
export const PUBLIC_READ_CACHE_CONTROL = 'public, max-age=60';

/** A strong ETag of a body. */
export const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;

/** The request's If-None-Match names this ETag (or is `*`). */
export function matchesIfNoneMatch(request: IncomingMessage, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (header === undefined) return false;
  return header.trim() === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * Sends a complete GraphQL answer, as cacheable when it is a successful anonymous GET read:
 * Cache-Control and ETag, and 304 when the client holds it already.
 */
export function sendGraphQLAnswer(request: IncomingMessage, response: ServerResponse, body: string): void {
  if (request.method === 'GET' && request.headers.authorization === undefined && response.statusCode === 200 && isSuccess(body)) {
    const etag = etagOf(body);
    response.setHeader('etag', etag);
    response.setHeader('cache-control', PUBLIC_READ_CACHE_CONTROL);
    if (matchesIfNoneMatch(request, etag)) {
      response.statusCode = 304;
      response.removeHeader('content-length');
      response.removeHeader('content-type');
      response.end();
      return;
    }
  }
  response.end(body);
}

function isSuccess(body: string): boolean {
  try {
    const answer = JSON.parse(body) as { data?: unknown; errors?: unknown };
    return answer.data !== undefined && answer.data !== null && answer.errors === undefined;
  } catch {
    return false;
  }
}
