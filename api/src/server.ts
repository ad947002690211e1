import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { Connection, ReplicaSet } from '@naravard/db';
import { budgetErrorOf, budgetPlugin, type RequestScope, runWithBudget, shuttingDownError } from './budget.ts';
import { DEFAULT_LIMITS, type RuntimeLimits } from './config.ts';
import { type Context, createContext } from './context.ts';
import { formatErrorFor } from './errors.ts';
import { compiledGateway } from './executor.ts';
import { answerCors, type CorsPolicy, corsPolicyFromEnv } from './cors.ts';
import { isExplorerRequest, serveExplorer } from './explorer.ts';
import { handleExport } from './exports.ts';
import { sendGraphQLAnswer } from './http-cache.ts';
import { inputChecks, LIMITS, limitErrorOf, queryLimits, validationRules } from './limits.ts';
import type { Logger } from './logger.ts';
import { DatabaseHealth, databaseUnavailableError, unavailableResponse } from './outage.ts';
import { persistedQueries } from './persisted-queries.ts';
import { ClientLimits, clientOf, refusalResponse } from './rate-limits.ts';
import { ReadRouting } from './read-routing.ts';
import { asOnePlugin } from './request-plugins.ts';
import { schema } from './schema/index.ts';

/** Largest request body accepted; GraphQL documents and bulk upserts fit well inside. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface App {
  server: Server;
  /** Starts listening; resolves with the port (useful with port 0 in tests). */
  listen(port: number, host?: string): Promise<number>;
  /**
   * Stops taking requests and lets those in flight finish for at most `drainMs` (default: the
   * shutdown timeout); then stops what still runs (its SQL is cancelled, its transaction rolls
   * back), closes the connections, stops GraphQL and closes the database.
   */
  stop(options?: { drainMs?: number }): Promise<void>;
}

class PayloadTooLargeError extends Error {}

/**
 * The request body as text. Read through the stream's events rather than an async iterator, which
 * costs a request a promise per chunk and an end-of-stream watcher. Past MAX_BODY_BYTES the rest is
 * read and dropped (the answer, 413, closes the connection).
 */
function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      request.off('data', onData);
      request.resume();
      reject(new PayloadTooLargeError());
    };
    request.on('data', onData);
    request.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
    // Closed before its end (a client gone mid-body): settled here too, so the request is not left waiting.
    // Every request closes once answered; the error (and its stack trace, 3% of a light request's
    // CPU when made for each) only when the body was not read whole.
    request.once('close', () => {
      if (!request.complete) reject(new Error('The connection closed before the request body was read.'));
    });
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

/**
 * A POST body's media type, matched whole (GraphQL over HTTP): only `application/json`, in UTF-8.
 * Returns why it is refused, or null when it is accepted.
 */
export function refusedContentType(contentType: string | undefined): string | null {
  if (!contentType) return 'A POST needs Content-Type: application/json.';
  const [mediaType, ...parameters] = contentType.split(';');
  if (mediaType!.trim().toLowerCase() !== 'application/json') {
    return `Content-Type ${mediaType!.trim()} is not supported: send application/json.`;
  }
  for (const parameter of parameters) {
    const [name, value = ''] = parameter.split('=');
    if (name!.trim().toLowerCase() !== 'charset') continue;
    const charset = value.trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    if (charset !== 'utf-8' && charset !== 'utf8') return `Charset ${charset} is not supported: send UTF-8.`;
  }
  return null;
}

/** Errors of a well-formed request that GraphQL refused: parse, validation and variable coercion. */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'QUERY_TOO_COMPLEX']);

/**
 * GraphQL over HTTP: a client that accepts only application/json gets 200 for a request GraphQL
 * refused (the errors are in the body); application/graphql-response+json keeps the 4xx status.
 */
function legacyStatus(status: number, contentType: string | undefined, body: string): number {
  if (status !== 400 || !contentType?.startsWith('application/json')) return status;
  try {
    const errors = (JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] }).errors;
    if (errors?.length && errors.every((error) => REQUEST_ERROR_CODES.has(error.extensions?.code ?? ''))) return 200;
  } catch {
    // Not a GraphQL answer: keep the status.
  }
  return status;
}

/**
 * The HTTP front of the API: GraphQL at /graphql (Apollo Server over plain node:http, since
 * Apollo's standalone server would route every path to GraphQL), /healthz and /readyz.
 */
export async function createApp({
  connection,
  logger,
  compiledExecution = true,
  cors = corsPolicyFromEnv(),
  limits: limitOptions = {},
  replicas = null,
}: {
  connection: Connection;
  /** Read replicas of the primary (DATABASE_REPLICA_URLS): reads go there, see read-routing.ts. */
  replicas?: ReplicaSet | null;
  logger: Logger;
  /** Runs queries compiled by graphql-jit (see executor.ts); false runs them all with graphql-js. */
  compiledExecution?: boolean;
  /** Cross-origin policy; from CORS_ORIGINS and CORS_WRITE_ORIGINS by default. */
  cors?: CorsPolicy;
  /** Limits and timeouts (main.ts reads them from the environment); defaults otherwise. */
  limits?: Partial<RuntimeLimits>;
}): Promise<App> {
  const limits = { ...DEFAULT_LIMITS, ...limitOptions };
  const running = new Set<RequestScope>();
  const health = new DatabaseHealth(
    connection.ping,
    logger,
    () => {
      for (const scope of running) if (routing.usesPrimary(scope)) scope.abort(databaseUnavailableError());
    },
    connection.driver === 'postgres',
  );
  // The health checks' own connection is opened now, not by the first slow request: opened then,
  // on a busy process, its opening could be what is slow.
  if (connection.driver === 'postgres') connection.ping().catch(() => {});
  const routing = new ReadRouting({
    primary: connection,
    replicas,
    health,
    logger,
    readYourWritesMs: limits.readYourWritesMs,
    redisUrl: limits.redisUrl,
    keyPrefix: limits.redisKeyPrefix,
  });
  routing.onReplicaDown((replica) => {
    for (const scope of running) if (routing.usesReplica(scope, replica)) scope.abort(databaseUnavailableError());
  });
  const clientLimits = new ClientLimits(
    { ...limits, keyPrefix: limits.redisKeyPrefix, maximumRequestCost: LIMITS.complexity },
    logger,
  );
  // Queries registered by hash (APQ): in Redis when there is one, so every process finds them.
  const persisted = persistedQueries({ redisUrl: limits.redisUrl, keyPrefix: limits.redisKeyPrefix, logger });
  const apollo = new ApolloServer<Context>({
    persistedQueries: persisted.options,
    ...(compiledExecution ? { gateway: compiledGateway(schema) } : { schema }),
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM/SIGINT: Apollo's own handlers would race it and leave the process running.
    stopOnTerminationSignals: false,
    // CSRF protection guards APIs that trust ambient credentials (cookies). This one never does:
    // reads are public and writes need an Authorization header, which browsers do not attach
    // cross-site. Leaving it on would refuse plain GET requests from BI tools.
    csrfPrevention: false,
    validationRules,
    // The parser stops at this many tokens, so a huge document is refused before it costs much.
    parseOptions: { maxTokens: LIMITS.tokens },
    formatError: (formatted, error) =>
      limitErrorOf(formatted) ??
      budgetErrorOf(formatted, error) ??
      routing.errorOf(formatted, error) ??
      health.errorOf(formatted, error) ??
      formatErrorFor(logger)(formatted, error),
    // Only what the API uses: the cache-control plugin alone would hook every field of every
    // request (answers are not cached by Apollo here), and reporting goes to no Apollo service.
    plugins: [
      // One plugin to Apollo, the hooks run in this order (see request-plugins.ts).
      asOnePlugin<Context>([
        inputChecks,
        // Before the client limits: they charge the cost it measured.
        queryLimits,
        clientLimits.plugin(),
        health.plugin(),
        routing.plugin(),
        budgetPlugin,
      ]),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
    ],
    logger: {
      debug: (message) => logger.debug(message),
      info: (message) => logger.info(message),
      warn: (message) => logger.warn(message),
      error: (message) => logger.error(message),
    },
  });
  await Promise.all([apollo.start(), clientLimits.ready()]);

  let inFlight = 0;
  let stopping = false;
  let drained: (() => void) | null = null;

  async function handleGraphQL(request: IncomingMessage, response: ServerResponse, url: URL) {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown;
    if (request.method === 'POST') {
      const refused = refusedContentType(headers.get('content-type'));
      if (refused) {
        // The body is left unread, so the connection cannot carry another request.
        return sendJson(response, 415, { errors: [{ message: refused }] }, { connection: 'close' });
      }
      const text = await readBody(request);
      try {
        body = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        return sendJson(response, 400, { errors: [{ message: 'The request body is not valid JSON.' }] });
      }
      // Apollo checks the content type again; it is application/json here, without parameters it does not know.
      headers.set('content-type', 'application/json');
    }
    if (!routing.readable) return sendJson(response, unavailableResponse.status, unavailableResponse.body, unavailableResponse.headers);
    const client = clientOf(request);
    const admission = await clientLimits.admit(client);
    if (!('release' in admission)) {
      const refusal = refusalResponse(admission);
      return sendJson(response, refusal.status, refusal.body, refusal.headers);
    }
    const route = await routing.route(client, request.headers);
    const result = await runWithBudget(
      {
        budgetMs: limits.requestTimeBudgetMs,
        response,
        client,
        track: (scope) => {
          running.add(scope);
          routing.bind(scope, route);
          const unwatch = health.watch(scope.signal);
          return () => (running.delete(scope), unwatch());
        },
      },
      (scope) =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: request.method ?? 'GET', headers, search: url.search, body },
          context: async () => {
            const db = route.reader.scoped(scope.statements);
            return createContext({
              db,
              // Without replicas (or for a request routed to the primary) one handle serves both.
              writer: route.reader === connection ? db : connection.scoped(scope.statements),
              principal: await routing.authenticate(route, scope, request.headers.authorization),
              request: scope,
            });
          },
        }),
    ).finally(admission.release);
    for (const [name, value] of result.headers) response.setHeader(name, value);
    response.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      response.statusCode = legacyStatus(response.statusCode, result.headers.get('content-type'), result.body.string);
      sendGraphQLAnswer(request, response, result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) response.write(chunk);
      response.end();
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (answerCors(cors, request, response)) return;
    if (url.pathname === '/healthz') return sendJson(response, 200, { status: 'ok' });
    if (url.pathname === '/readyz') {
      if (stopping) return sendJson(response, 503, { status: 'stopping' });
      const readiness = routing.readiness(connection.driver, await health.ready());
      return sendJson(response, readiness.status, readiness.body, readiness.headers);
    }
    if (isExplorerRequest(request, url)) return serveExplorer(request, response, url);
    if (url.pathname === '/graphql') return handleGraphQL(request, response, url);
    if (url.pathname === '/export' || url.pathname.startsWith('/export/')) return handleExport(routing.exportConnection(), request, response, url);
    return sendJson(response, 404, { error: `Nothing at ${url.pathname}. GraphQL is at /graphql.` });
  }

  const server = createServer((request, response) => {
    const started = process.hrtime.bigint();
    inFlight += 1;
    if (stopping) response.setHeader('connection', 'close');
    handle(request, response)
      .catch((error: unknown) => {
        if (error instanceof PayloadTooLargeError) {
          // The rest of the body is unread: close the connection rather than read it as the next request.
          return sendJson(
            response,
            413,
            { errors: [{ message: `The request body is larger than ${MAX_BODY_BYTES} bytes.` }] },
            { connection: 'close' },
          );
        }
        logger.error({ err: error }, 'request failed');
        if (!response.headersSent) sendJson(response, 500, { errors: [{ message: 'Internal server error.' }] });
        else response.end();
      })
      .finally(() => {
        inFlight -= 1;
        logger.info(
          {
            method: request.method,
            path: request.url?.split('?')[0],
            status: response.statusCode,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          },
          'request',
        );
        if (stopping && inFlight === 0) drained?.();
      });
  });

  // Idle keep-alive connections are left for clients to close (they do after a few seconds):
  // a server that closes first races a client reusing the socket at that moment, which then gets
  // ECONNRESET on a request it had every reason to send.
  server.keepAliveTimeout = 65_000;

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      }),
    async stop({ drainMs = limits.shutdownTimeoutMs } = {}) {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const finished = inFlight > 0 ? new Promise<void>((resolve) => (drained = resolve)) : Promise.resolve();
      await drainWithin(finished, drainMs, () => {
        logger.warn({ inFlight }, 'stopping: requests still in flight at the drain limit are stopped');
        for (const scope of running) scope.abort(shuttingDownError());
      }, () => server.closeAllConnections());
      server.closeIdleConnections();
      await closed;
      health.stop();
      await apollo.stop();
      await clientLimits.close();
      await routing.close();
      await persisted.close();
      await connection.close();
    },
  };
}

/**
 * Waits for the requests in flight for at most `drainMs`; then stops them (their SQL cancelled,
 * transactions rolled back) and gives them a moment to answer, and closes every connection left
 * (a client that sent its headers and stalled included).
 */
async function drainWithin(finished: Promise<void>, drainMs: number, stopRequests: () => void, closeConnections: () => void) {
  const wait = (ms: number) => new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), ms).unref());
  // Most of the limit is for the requests; the rest for stopping them and closing.
  if ((await Promise.race([finished, wait(Math.round(drainMs * 0.7))])) !== 'late') return;
  stopRequests();
  await Promise.race([finished, wait(Math.round(drainMs * 0.1))]);
  closeConnections();
}
