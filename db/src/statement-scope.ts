import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The unit of work the statements being sent belong to (an API request): when its signal aborts,
 * no further statement of it is sent, and on PostgreSQL the ones running are cancelled.
 */
export interface StatementScope {
  signal: AbortSignal;
  /**
   * What the work is estimated to cost: on PGlite, which runs one statement at a time, statements
   * of cheaper work are sent first, so a heavy request does not hold up light ones.
   */
  priority?: number;
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
 * Lets one statement at a time through, one per turn of the event loop, the one of the cheapest
 * work first (ties: first come). PGlite runs a statement synchronously, so statements handed over
 * at once would run back to back in one chain of promises and a request that came in meanwhile
 * (its socket not even read) could never get in between; dispatching from `setImmediate` lets the
 * event loop take in new requests, timers (time budgets) and closed sockets before each choice.
 */
class PriorityGate {
  #busy = false;
  #scheduled = false;
  readonly #waiting: { priority: number; enter: () => void }[] = [];

  enter(priority: number): Promise<void> {
    return new Promise<void>((enter) => {
      const index = this.#waiting.findIndex((other) => other.priority > priority);
      if (index < 0) this.#waiting.push({ priority, enter });
      else this.#waiting.splice(index, 0, { priority, enter });
      this.#schedule();
    });
  }

  leave() {
    this.#busy = false;
    this.#schedule();
  }

  #schedule() {
    if (this.#busy || this.#scheduled || this.#waiting.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#busy) return;
      const next = this.#waiting.shift();
      if (!next) return;
      this.#busy = true;
      next.enter();
    });
  }
}

/**
 * A PGlite client that schedules statements of work in a statement scope (API requests): before
 * each, the event loop turns once, and the statement waits its turn at a gate that lets the
 * statements of cheaper requests through first. PGlite runs one statement at a time and answers
 * through promises alone, so without this a request's chain of statements would run without a
 * pause (no timer, such as the time budget, and no socket event, such as a client leaving or a
 * new request, could come in between) and a heavy request would hold up every light one. Then the
 * scope is checked, so a stopped request sends no further statement. Statements inside a
 * transaction skip the gate: the transaction holds PGlite already. `onStatement` hears of each
 * statement actually sent.
 */
export function yieldingClient<T extends object>(client: T, onStatement?: (sql: string) => void, gate: PriorityGate | null = new PriorityGate()): T {
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (typeof value !== 'function') return value;
      if (property === 'query' || property === 'exec') {
        return async (...args: unknown[]) => {
          const scope = scopes.getStore();
          if (!scope) {
            if (typeof args[0] === 'string') onStatement?.(args[0]);
            return (value as AnyFunction).apply(target, args);
          }
          if (gate) await gate.enter(scope.priority ?? 0);
          else await nextTurn();
          try {
            checkStatementScope();
            if (typeof args[0] === 'string') onStatement?.(args[0]);
            return await (value as AnyFunction).apply(target, args);
          } finally {
            gate?.leave();
          }
        };
      }
      if (property === 'transaction') {
        return (work: AnyFunction) => (value as AnyFunction).call(target, (tx: object) => work(yieldingClient(tx, onStatement, null)));
      }
      return (...args: unknown[]) => (value as AnyFunction).apply(target, args);
    },
  });
}
