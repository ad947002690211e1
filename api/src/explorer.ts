import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

/**
 * GraphiQL, served by the API itself from the static files that `packages/explorer` builds
 * (`pnpm install` builds them; so does `pnpm explorer:build`). Nothing is loaded from outside:
 * the built files hold GraphiQL, Monaco and its web workers.
 *
 * - `GET /explorer/` (and `/explorer`) is the app; `/explorer/assets/…` are its files.
 * - `GET /graphql` from a browser (Accept includes text/html, no `query` parameter) is the app
 *   too, so the GraphQL URL opens GraphiQL; every other /graphql request goes to GraphQL.
 */

/** The path the app is built for: must match `base` in packages/explorer/vite.config.ts. */
export const EXPLORER_PATH = '/explorer';

/** Where packages/explorer builds to. */
export const EXPLORER_ROOT = fileURLToPath(new URL('../../packages/explorer/dist/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite names every file under assets/ by its content hash: such a URL never changes meaning. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current hashed files, so browsers must check it each time. */
const REVALIDATE = 'no-cache';

/** Whether this request is for the explorer rather than for GraphQL or the health checks. */
export function isExplorerRequest(request: IncomingMessage, url: URL): boolean {
  if (url.pathname === EXPLORER_PATH || url.pathname.startsWith(`${EXPLORER_PATH}/`)) return true;
  return url.pathname === '/graphql' && isBrowserPageLoad(request, url);
}

/** A browser opening /graphql as a page: GET or HEAD, asking for HTML, with no GraphQL query in the URL. */
function isBrowserPageLoad(request: IncomingMessage, url: URL): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (url.searchParams.has('query')) return false;
  return (request.headers.accept ?? '').toLowerCase().includes('text/html');
}

/** Serves the explorer's page or one of its files; `root` is the built folder (a test may point it elsewhere). */
export async function serveExplorer(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  root: string = EXPLORER_ROOT,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    return void response.end('Method not allowed.\n');
  }

  const isPage =
    url.pathname === '/graphql' ||
    url.pathname === EXPLORER_PATH ||
    url.pathname === `${EXPLORER_PATH}/` ||
    url.pathname === `${EXPLORER_PATH}/index.html`;

  if (!(await isFile(resolve(root, 'index.html')))) return notBuilt(response);

  let file: string | null;
  if (isPage) {
    file = resolve(root, 'index.html');
  } else {
    file = resolveInside(root, url.pathname.slice(EXPLORER_PATH.length + 1));
    if (file === null) return sendText(response, 400, 'Bad request.\n');
  }

  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) return sendText(response, 404, `Nothing at ${url.pathname}.\n`);
    size = info.size;
  } catch {
    return sendText(response, 404, `Nothing at ${url.pathname}.\n`);
  }

  const hashed = !isPage && url.pathname.startsWith(`${EXPLORER_PATH}/assets/`);
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': hashed ? IMMUTABLE : REVALIDATE,
    'x-content-type-options': 'nosniff',
    // /graphql answers HTML or GraphQL depending on Accept: caches must keep the two apart.
    ...(url.pathname === '/graphql' ? { vary: 'Accept' } : {}),
  });
  if (request.method === 'HEAD') return void response.end();
  try {
    await pipeline(createReadStream(file), response);
  } catch (error) {
    // A browser that goes away mid-file is routine; anything else (a file removed by a rebuild
    // while being read) is the server's own failure.
    if (!response.destroyed) throw error;
  }
}

/**
 * The file a URL path names inside `root`, or null when the path is malformed or would leave
 * `root` (`..`, encoded slashes or dots, NUL bytes).
 */
function resolveInside(root: string, urlPath: string): string | null {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (relative.includes('\0') || relative.includes('\\')) return null;
  const base = resolve(root);
  const file = resolve(base, relative);
  if (!file.startsWith(base + sep)) return null;
  return file;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function sendText(response: ServerResponse, status: number, text: string) {
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(text);
}

function notBuilt(response: ServerResponse) {
  response.writeHead(503, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'retry-after': '10',
    'x-content-type-options': 'nosniff',
  });
  response.end(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Explorer not built · Nära vård data platform</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>The GraphQL explorer has not been built</h1>
<p>GraphiQL is bundled from <code>packages/explorer</code> when the dependencies are installed.
Run <code>pnpm install</code> (or <code>pnpm explorer:build</code>) in the repository, then reload this page.</p>
<p>The GraphQL API itself works: send queries with POST to <code>/graphql</code>.</p>
</body>
</html>
`);
}
