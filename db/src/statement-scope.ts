import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The unit of work the statements being sent belong to (an API request): when its signal aborts,
 * no further statement of it is sent, and on PostgreSQL the ones running are cancelled.
 */
export interface StatementScope {
  signal: AbortSignal;
}

const scopes = new AsyncLocalStorage<StatementScope>();

/** Runs `work` so that every statement it sends, directly or in a transaction, belongs to `scope`. */
export function runInStatementScope<T>(scope: StatementScope, work: () => T): T {
  return scopes.run(scope, work);
}

/** Refuses to send a statement for a scope that was stopped; the error is the abort reason. */
export function checkStatementScope(): void {
  const scope = scopes.getStore();
  if (scope?.signal.aborted) throw scope.signal.reason ?? new Error('The work this statement belongs to was stopped.');
}

interface CancellableQuery {
  cancel(): unknown;
  canceller?: ((query: CancellableQuery) => unknown) | null;
}

/**
 * Cancels a postgres.js query. Its `cancel()` drops the promise of the cancel request, which
 * rejects when the server cannot be reached (the very time requests are stopped in an outage) and
 * would end the process as an unhandled rejection; so the canceller is called here and its
 * failure ignored: a cancel that cannot reach the server has nothing to cancel.
 */
function cancel(query: CancellableQuery) {
  const canceller = query.canceller;
  if (typeof canceller !== 'function') return;
  query.canceller = null;
  try {
    void Promise.resolve(canceller(query)).catch(() => {});
  } catch {
    // Nothing to cancel.
  }
}

function track<Q extends CancellableQuery>(query: Q): Q {
  const scope = scopes.getStore();
  if (scope) {
    if (scope.signal.aborted) cancel(query);
    else scope.signal.addEventListener('abort', () => cancel(query), { once: true });
  }
  return query;
}

type AnyFunction = (...args: any[]) => any;

/**
 * A postgres.js client whose queries (also those in transactions and savepoints) are cancelled
 * when the statement scope they were sent in aborts: a query still queued is dropped, a running
 * one gets PostgreSQL's cancel request.
 */
export function cancellableClient<T extends object>(client: T): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (property === 'unsafe') {
        return (...args: unknown[]) => track((value as AnyFunction).apply(target, args) as CancellableQuery);
      }
      if (property === 'begin' || property === 'savepoint') {
        return (...args: unknown[]) => {
          const work = args.pop() as AnyFunction;
          return (value as AnyFunction).apply(target, [...args, (tx: object) => work(cancellableClient(tx))]);
        };
      }
      return value;
    },
  });
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A PGlite client that, for work in a statement scope, lets the event loop turn once before each
 * statement. PGlite answers through promises alone, so a request's chain of statements would
 * otherwise run without a pause: no timer (the time budget) and no socket event (a client that
 * left, another client's request) could come in between. Then the scope is checked, so a stopped
 * request sends no further statement. `onStatement` hears of each statement actually sent.
 */
export function yieldingClient<T extends object>(client: T, onStatement?: (sql: string) => void): T {
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (typeof value !== 'function') return value;
      if (property === 'query' || property === 'exec') {
        return async (...args: unknown[]) => {
          if (scopes.getStore()) {
            await nextTurn();
            checkStatementScope();
          }
          if (typeof args[0] === 'string') onStatement?.(args[0]);
          return (value as AnyFunction).apply(target, args);
        };
      }
      if (property === 'transaction') {
        return (work: AnyFunction) => (value as AnyFunction).call(target, (tx: object) => work(yieldingClient(tx, onStatement)));
      }
      return (...args: unknown[]) => (value as AnyFunction).apply(target, args);
    },
  });
}
