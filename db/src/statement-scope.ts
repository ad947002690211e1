import type { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'drizzle-orm';
import type { Sql } from 'postgres';
import type { Database } from './connect.ts';

/**
 * What a scope's statements read of its stop: AbortSignal's `aborted`, `reason` and `abort`
 * listeners. An AbortSignal is one; so is a {@link Stop}.
 */
export interface StopSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * A stop signal and its trigger in one plain object, for work started by the thousand (an API
 * request each). Node 20 makes an AbortSignal an EventTarget whose prototype is set after it is
 * made, which gave every signal three hidden classes of its own (seen with `--log-maps`): they
 * cost time to make, and the young-generation collector kept the requests that pointed at them
 * alive until they were promoted. Listeners are called once, in the order they were added.
 */
export class Stop implements StopSignal {
  aborted = false;
  reason: unknown = undefined;
  #listeners: (() => void)[] | null = null;

  /** Every listener is called at most once (the stop happens once), `once` or not. */
  addEventListener(_type: 'abort', listener: () => void, _options?: { once?: boolean }): void {
    if (this.aborted) return;
    (this.#listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const listeners = this.#listeners;
    if (!listeners) return;
    const at = listeners.lastIndexOf(listener);
    if (at !== -1) listeners.splice(at, 1);
  }

  /** Stops with `reason` (the first stop counts), then calls every listener; a listener's error is thrown after all were called. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.#listeners;
    this.#listeners = null;
    let failure: { error: unknown } | null = null;
    for (const listener of listeners ?? []) {
      try {
        listener();
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }

  /** How many listeners wait (for tests: none may be left behind). */
  get listenerCount(): number {
    return this.#listeners?.length ?? 0;
  }
}

/**
 * The unit of work the statements being sent belong to (an API request): when its signal aborts,
 * no further statement of it is sent, and on PostgreSQL the ones running are cancelled.
 *
 * A scope is bound to a database handle (`Connection.scoped`), not carried implicitly: on Node 20
 * an AsyncLocalStorage hooks every promise of the process, and that cost a light request a third
 * of its CPU. The handle is the request's context's `db`, so every statement a resolver or loader
 * sends through it belongs to the request.
 */
export interface StatementScope {
  signal: StopSignal;
  /**
   * What the work is estimated to cost: on PGlite, which runs one statement at a time, statements
   * of cheaper work are sent first, so a heavy request does not hold up light ones.
   */
  priority?: number;
}

/** The reason a scope was stopped, thrown for a statement it may no longer send. */
function stopReason(scope: StatementScope): unknown {
  return scope.signal.reason ?? new Error('The work this statement belongs to was stopped.');
}

/** Refuses to send a statement for a scope that was stopped; the error is the abort reason. */
export function checkStatementScope(scope: StatementScope): void {
  if (scope.signal.aborted) throw stopReason(scope);
}

/** A Drizzle logger that checks the scope before each statement is sent, then reports it. */
export function scopedLogger(scope: StatementScope, onQuery?: (sql: string) => void): Logger {
  return {
    logQuery(query: string) {
      checkStatementScope(scope);
      onQuery?.(query);
    },
  };
}

/** The parts of a postgres.js query this module uses (see postgres/src/query.js). */
interface PendingQuery {
  canceller?: ((query: PendingQuery) => unknown) | null;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Cancels a postgres.js query. Its `cancel()` drops the promise of the cancel request, which
 * rejects when the server cannot be reached (the very time requests are stopped in an outage) and
 * would end the process as an unhandled rejection; so the canceller is called here and its
 * failure ignored: a cancel that cannot reach the server has nothing to cancel.
 */
function cancel(query: PendingQuery) {
  const canceller = query.canceller;
  if (typeof canceller !== 'function') return;
  query.canceller = null;
  try {
    void Promise.resolve(canceller(query)).catch(() => {});
  } catch {
    // Nothing to cancel.
  }
}

/**
 * Ties a query to its scope: cancelled when the scope stops, and then failing with the scope's
 * reason (why the request stopped) rather than PostgreSQL's "canceling statement due to user request".
 */
function track<Q>(scope: StatementScope, query: Q): Q {
  const pending = query as unknown as PendingQuery;
  if (scope.signal.aborted) {
    // Wrapped before the cancel: postgres.js rejects a query it has not sent yet at once.
    const reject = pending.reject;
    pending.reject = () => reject(stopReason(scope));
    cancel(pending);
    return query;
  }
  // The listener goes when the query settles: a request sends many statements (a batch write,
  // thousands), and each listener holds its query until the request ends.
  const onAbort = () => cancel(pending);
  scope.signal.addEventListener('abort', onAbort, { once: true });
  const settled = () => scope.signal.removeEventListener('abort', onAbort);
  const { resolve, reject } = pending;
  pending.resolve = (value) => {
    settled();
    resolve(value);
  };
  pending.reject = (error) => {
    settled();
    reject(scope.signal.aborted ? stopReason(scope) : error);
  };
  return query;
}

type AnyFunction = (...args: any[]) => any;

/**
 * A postgres.js client whose queries (also those in transactions and savepoints) belong to
 * `scope`: a query still queued when it stops is dropped, a running one gets PostgreSQL's cancel
 * request.
 */
export function scopedPostgresClient(client: Sql, scope: StatementScope): Sql {
  const withScopedTransaction = (open: AnyFunction) => (...args: unknown[]) => {
    const work = args.pop() as AnyFunction;
    return open(...args, (tx: Sql) => work(scopedPostgresClient(tx, scope)));
  };
  const unsafe = (...args: unknown[]) => track(scope, (client.unsafe as AnyFunction)(...args));
  const begin = withScopedTransaction(client.begin as AnyFunction);
  const savepoint = 'savepoint' in client ? withScopedTransaction((client as unknown as { savepoint: AnyFunction }).savepoint) : undefined;
  return new Proxy(client, {
    get(target, property) {
      if (property === 'unsafe') return unsafe;
      if (property === 'begin') return begin;
      if (property === 'savepoint' && savepoint) return savepoint;
      return Reflect.get(target, property) as unknown;
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
export class PriorityGate {
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
 * A PGlite client whose statements belong to `scope`: before each, the event loop turns once, and
 * the statement waits its turn at a gate that lets the statements of cheaper requests through
 * first. PGlite runs one statement at a time and answers through promises alone, so without this a
 * request's chain of statements would run without a pause (no timer, such as the time budget, and
 * no socket event, such as a client leaving or a new request, could come in between) and a heavy
 * request would hold up every light one. Then the scope is checked, so a stopped request sends no
 * further statement. Statements inside a transaction skip the gate: the transaction holds PGlite
 * already. `onStatement` hears of each statement actually sent.
 */
export function scopedPgliteClient(
  client: PGlite,
  scope: StatementScope,
  gate: PriorityGate | null,
  onStatement?: (sql: string) => void,
): PGlite {
  const send = (method: AnyFunction) => async (...args: unknown[]) => {
    if (gate) await gate.enter(scope.priority ?? 0);
    else await nextTurn();
    try {
      checkStatementScope(scope);
      if (typeof args[0] === 'string') onStatement?.(args[0]);
      return await method.apply(client, args);
    } finally {
      gate?.leave();
    }
  };
  const query = send(client.query);
  const exec = send(client.exec);
  const transaction = (work: AnyFunction) =>
    client.transaction((tx) => work(scopedPgliteClient(tx as unknown as PGlite, scope, null, onStatement)));
  return new Proxy(client, {
    get(target, property) {
      if (property === 'query') return query;
      if (property === 'exec') return exec;
      if (property === 'transaction') return transaction;
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? (...args: unknown[]) => (value as AnyFunction).apply(target, args) : value;
    },
  });
}

/** A PGlite client that reports each statement it sends (statements outside any scope). */
export function reportingPgliteClient(client: PGlite, onStatement?: (sql: string) => void): PGlite {
  if (!onStatement) return client;
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (typeof value !== 'function') return value;
      if (property === 'query' || property === 'exec') {
        return (...args: unknown[]) => {
          if (typeof args[0] === 'string') onStatement(args[0]);
          return (value as AnyFunction).apply(target, args);
        };
      }
      if (property === 'transaction') {
        return (work: AnyFunction) => (value as AnyFunction).call(target, (tx: PGlite) => work(reportingPgliteClient(tx, onStatement)));
      }
      return (...args: unknown[]) => (value as AnyFunction).apply(target, args);
    },
  });
}

/**
 * Drizzle's session and statement internals this module rebinds (drizzle-orm 0.45,
 * pg-core/session.js and its postgres-js and pglite drivers): a session sends through `client` and
 * tells `logger` of each statement; transactions open sessions with `options`; a prepared query
 * keeps the `client` and `logger` of the session that prepared it.
 */
interface SessionInternals {
  client: unknown;
  logger: Logger;
  options: { logger?: Logger };
}
interface DatabaseInternals {
  session: SessionInternals;
  _: { session: SessionInternals };
}

/**
 * A handle on `base` whose statements go through `client` and `logger` (the scope's): the same
 * Drizzle database, dialect and schema, with a session of its own. Cheap (two objects), so one is
 * made per request. Drizzle's relational `db.query` builders keep the base session: the platform
 * does not use them.
 */
export function rebindDatabase(base: Database, client: unknown, logger: Logger): Database {
  const internals = base as unknown as DatabaseInternals;
  const session: SessionInternals = Object.create(internals.session);
  session.client = client;
  session.logger = logger;
  session.options = { ...internals.session.options, logger };
  const db = Object.create(base) as DatabaseInternals;
  db.session = session;
  db._ = { ...internals._, session };
  return db as unknown as Database;
}
