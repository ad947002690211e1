import type { ServerResponse } from 'node:http';
import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { type StatementScope, Stop, type StopSignal } from '@naravard/db';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/**
 * What one request may still do, and who sent it. It travels explicitly: its statements through
 * the request's database handle (`Connection.scoped`), the rest as the GraphQL context's `request`.
 */
export interface RequestScope {
  /** What the database layer knows of the request: its stop signal and its priority (its cost). */
  statements: StatementScope;
  /** Aborts when the request runs out of time, its client leaves, or the server stops waiting for it. */
  signal: StopSignal;
  /** Who the per-client limits count it against: an API key (hashed) or the client's address. */
  client: string;
  /** Stops the request's database work now, with a reason the client is told. */
  abort(reason: GraphQLError): void;
  /** The request's cost and the client's allowance, once charged (see rate-limits.ts). */
  cost?: Record<string, unknown>;
}

/** The errors requests were stopped with: whatever surfaces from the stop carries one of them. */
const stopReasons = new WeakSet<object>();

export const TIME_BUDGET_EXCEEDED = 'TIME_BUDGET_EXCEEDED';

export function timeBudgetError(budgetMs: number): GraphQLError {
  return new GraphQLError(
    `The request used up its time budget of ${budgetMs} ms and its database work was stopped. Ask for less: fewer aliases, smaller pages, narrower filters.`,
    { extensions: { code: TIME_BUDGET_EXCEEDED, budgetMs, http: unavailable() } },
  );
}

/** Both stops answer 503: the service could not finish the request now; it may be retried. */
const unavailable = () => ({ status: 503, headers: new HeaderMap([['retry-after', '1']]) });

const clientGone = () => new GraphQLError('The client closed the connection; the request was stopped.', { extensions: { code: 'CLIENT_CLOSED_REQUEST' } });

/** The request was stopped because the server is shutting down. */
export const shuttingDownError = () =>
  new GraphQLError('The server is shutting down and stopped this request; nothing of it was written. Retry it.', {
    extensions: { code: 'SHUTTING_DOWN', http: unavailable() },
  });

/**
 * Runs a request's work with a time budget: past `budgetMs`, or when the client disconnects, its
 * SQL is cancelled (PostgreSQL: running statements get a cancel request; both drivers: no further
 * statement is sent, so a transaction rolls back whole) and the error says why.
 */
export async function runWithBudget<T>(
  options: { budgetMs: number; response: ServerResponse; client: string; track?: (scope: RequestScope) => () => void },
  work: (scope: RequestScope) => Promise<T>,
): Promise<T> {
  const stop = new Stop();
  const scope: RequestScope = {
    statements: { signal: stop },
    signal: stop,
    client: options.client,
    abort: (reason) => {
      if (stop.aborted) return;
      stopReasons.add(reason);
      stop.abort(reason);
    },
  };
  const timer = setTimeout(() => scope.abort(timeBudgetError(options.budgetMs)), options.budgetMs);
  const onClose = () => {
    if (!options.response.writableFinished) scope.abort(clientGone());
  };
  options.response.once('close', onClose);
  const untrack = options.track?.(scope);
  try {
    return await work(scope);
  } finally {
    clearTimeout(timer);
    options.response.off('close', onClose);
    untrack?.();
  }
}

/**
 * A request stopped by its budget (or by its client leaving, or the server stopping) says why,
 * whichever error the stop caused on the way: the statements of a stopped request fail with the
 * stop's reason itself, which the driver, Drizzle or a resolver may have wrapped (as `cause` or
 * `originalError`).
 */
export function budgetErrorOf(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError | undefined {
  let reason: GraphQLError | undefined;
  for (let current: unknown = error, depth = 0; current && !reason && depth < 8; depth += 1) {
    if (typeof current === 'object' && stopReasons.has(current)) reason = current as GraphQLError;
    const next = current as { originalError?: unknown; cause?: unknown };
    current = next.originalError ?? next.cause;
  }
  if (!reason) return undefined;
  return {
    message: reason.message,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: reason.extensions.code, ...(reason.extensions.budgetMs ? { budgetMs: reason.extensions.budgetMs } : {}) },
  };
}

/** A request stopped by its budget or by the stop of the server answers 503 with Retry-After, however the stop surfaced. */
export const budgetPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const codes = (response.body.singleResult.errors ?? []).map((error) => error.extensions?.code);
        if (!codes.includes(TIME_BUDGET_EXCEEDED) && !codes.includes('SHUTTING_DOWN')) return;
        response.http.status = 503;
        response.http.headers.set('retry-after', '1');
      },
    };
  },
};

/**
 * Runs database work of the request's front (authentication, before GraphQL executes): a stop by
 * the budget surfaces as its own error (503), not as a failure to build the request's context.
 */
export async function budgeted<T>(scope: RequestScope, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (scope.signal.aborted) throw scope.signal.reason;
    throw error;
  }
}
