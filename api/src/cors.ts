import type { IncomingMessage, ServerResponse } from 'node:http';

/*
 * Cross-origin requests (CORS), so notebooks and dashboards in a browser can call the API.
 *
 * Reads are public records: any origin may read unless `CORS_ORIGINS` lists the ones that may.
 * Writes carry an API key in `Authorization`, which browsers send cross-origin only after a
 * preflight: that preflight, and the request itself, succeed only from an origin listed in
 * `CORS_WRITE_ORIGINS` (none by default), so a page elsewhere cannot use a key it got hold of
 * through a user's browser. No cookies are ever read, so credentials mode is never allowed.
 */

export interface CorsPolicy {
  /** Origins that may read; `'*'` for any. */
  readOrigins: '*' | Set<string>;
  /** Origins that may send `Authorization` (writes, and reads with a key). */
  writeOrigins: Set<string>;
}

const originList = (text: string | undefined) =>
  new Set(
    (text ?? '')
      .split(',')
      .map((origin) => origin.trim().replace(/\/+$/, ''))
      .filter(Boolean),
  );

/** The policy from the environment: `CORS_ORIGINS` (default `*`) and `CORS_WRITE_ORIGINS` (default none), comma-separated. */
export function corsPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): CorsPolicy {
  const read = env.CORS_ORIGINS?.trim();
  const writeOrigins = originList(env.CORS_WRITE_ORIGINS);
  return {
    readOrigins: !read || read === '*' ? '*' : new Set([...originList(read), ...writeOrigins]),
    writeOrigins,
  };
}

/** Request headers a cross-origin read may send. */
const READ_HEADERS = ['accept', 'content-type', 'if-none-match', 'if-modified-since', 'apollo-require-preflight', 'x-apollo-operation-name'];
/** Response headers a cross-origin caller may read. */
const EXPOSED_HEADERS = ['etag', 'last-modified', 'x-total-count', 'content-disposition', 'retry-after'].join(', ');
const METHODS = 'GET, HEAD, POST, OPTIONS';

const mayRead = (policy: CorsPolicy, origin: string) => policy.readOrigins === '*' || policy.readOrigins.has(origin);

function refuse(response: ServerResponse, message: string) {
  response.writeHead(403, { 'content-type': 'application/json; charset=utf-8', vary: 'Origin' });
  response.end(JSON.stringify({ error: message }));
}

/**
 * Sets the cross-origin headers of a response, and answers preflights and refused requests itself.
 * Returns true when it answered (the request is done), false when the request goes on.
 */
export function answerCors(policy: CorsPolicy, request: IncomingMessage, response: ServerResponse): boolean {
  const origin = request.headers.origin;
  if (request.method === 'OPTIONS') {
    const method = request.headers['access-control-request-method'];
    if (!origin || !method) {
      response.writeHead(204, { allow: METHODS });
      response.end();
      return true;
    }
    const asked = (request.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((header) => header.trim().toLowerCase())
      .filter(Boolean);
    const writes = asked.includes('authorization');
    if (writes ? !policy.writeOrigins.has(origin) : !mayRead(policy, origin)) {
      refuse(
        response,
        writes
          ? `Origin ${origin} may not send Authorization (writes): it is not in CORS_WRITE_ORIGINS.`
          : `Origin ${origin} may not call this API: it is not in CORS_ORIGINS.`,
      );
      return true;
    }
    const exact = writes || policy.readOrigins !== '*';
    response.writeHead(204, {
      'access-control-allow-origin': exact ? origin : '*',
      'access-control-allow-methods': METHODS,
      'access-control-allow-headers': [...READ_HEADERS, ...(writes ? ['authorization'] : [])].join(', '),
      'access-control-max-age': '600',
      vary: 'Origin, Access-Control-Request-Headers',
    });
    response.end();
    return true;
  }
  if (!origin) return false;
  if (request.headers.authorization !== undefined) {
    // A browser sends this only after a preflight this policy allowed; anything else is refused before it runs.
    if (!policy.writeOrigins.has(origin)) {
      refuse(response, `Origin ${origin} may not send Authorization (writes): it is not in CORS_WRITE_ORIGINS.`);
      return true;
    }
    response.setHeader('access-control-allow-origin', origin);
    response.setHeader('vary', 'Origin');
  } else if (policy.readOrigins === '*') {
    response.setHeader('access-control-allow-origin', '*');
  } else if (policy.readOrigins.has(origin)) {
    response.setHeader('access-control-allow-origin', origin);
    response.setHeader('vary', 'Origin');
  } else {
    // Not refused: the answer is public anyway, and without the header the browser withholds it from the page.
    response.setHeader('vary', 'Origin');
    return false;
  }
  response.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
  return false;
}
