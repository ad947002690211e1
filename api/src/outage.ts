import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { isDatabaseUnavailable, type StopSignal } from '@naravard/db';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger.ts';

/** What a client is told to wait before trying again while the database is unreachable. */
export const RETRY_AFTER_SECONDS = 2;
/** Longest a readiness check or a probe waits for the database. */
const PING_TIMEOUT_MS = 600;
/** How often the database is probed while it is unreachable. */
const PROBE_INTERVAL_MS = 250;

export const DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE';
const MESSAGE = `The database is unavailable right now; nothing was changed by this request unless it says so. Retry in ${RETRY_AFTER_SECONDS} s.`;

/** The error a client gets while the database cannot be reached: 503 with Retry-After. */
export function databaseUnavailableError(): GraphQLError {
  const headers = new HeaderMap([['retry-after', String(RETRY_AFTER_SECONDS)]]);
  return new GraphQLError(MESSAGE, { extensions: { code: DATABASE_UNAVAILABLE, http: { status: 503, headers } } });
}

/** The body and headers of a 503 answered before GraphQL runs. */
export const unavailableResponse = {
  status: 503,
  headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
  body: { errors: [{ message: MESSAGE, extensions: { code: DATABASE_UNAVAILABLE } }] },
};

/**
 * The answer of `promise`, or a timeout error after `ms`. A timer that fires late because the
 * event loop was busy must not blame the database: the timeout waits one more turn of the loop,
 * in which an answer that arrived meanwhile is taken.
 */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let settled = false;
  return Promise.race([
    promise.finally(() => (settled = true)),
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () =>
          setImmediate(() => {
            if (!settled) reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'HEALTH_CHECK_TIMEOUT' }));
          }),
        ms,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A request still waiting after this long makes the health check look at the database. */
const WATCH_AFTER_MS = 300;

/**
 * Whether the database can be reached. A request that finds it unreachable marks it down; from
 * then on requests are answered 503 at once (instead of each waiting for a connection), while a
 * probe pings it every 250 ms and marks it up again when it answers: the API recovers by itself.
 */
export class DatabaseHealth {
  #down = false;
  #probe: NodeJS.Timeout | null = null;
  #stopped = false;

  #checking: Promise<boolean> | null = null;

  constructor(
    private readonly ping: () => Promise<void>,
    private readonly logger: Logger,
    /** Called when the database is found unreachable: requests waiting on it are stopped with the 503 error. */
    private readonly onDown: () => void = () => {},
    /**
     * Whether the database is reached over a network. The embedded one (PGlite) cannot become
     * unreachable; a slow answer only means it is busy with another statement.
     */
    private readonly remote = true,
  ) {}

  get unavailable(): boolean {
    return this.#down;
  }

  /** Notes a failure; true when it means the database is unreachable. */
  report(error: unknown): boolean {
    if (!isDatabaseUnavailable(error)) return false;
    if (!this.#down && !this.#stopped) {
      this.#down = true;
      this.logger.warn({ err: error }, 'the database is unreachable: answering 503 until it is back');
      this.#scheduleProbe();
      this.onDown();
    }
    return true;
  }

  #scheduleProbe() {
    this.#probe = setTimeout(() => {
      this.#probe = null;
      withTimeout(this.ping(), PING_TIMEOUT_MS).then(
        () => {
          this.#down = false;
          this.logger.info('the database answers again');
        },
        () => {
          if (!this.#stopped) this.#scheduleProbe();
        },
      );
    }, PROBE_INTERVAL_MS);
    this.#probe.unref();
  }

  /** Readiness: whether the database answers a trivial query within 600 ms (one check at a time). */
  ready(): Promise<boolean> {
    if (!this.remote) {
      return withTimeout(this.ping(), PING_TIMEOUT_MS).then(
        () => true,
        (error: { code?: unknown }) => error?.code === 'HEALTH_CHECK_TIMEOUT',
      );
    }
    this.#checking ??= withTimeout(this.ping(), PING_TIMEOUT_MS)
      .then(
        () => true,
        (error: unknown) => {
          // Only a failed connection marks it down (and stops the requests waiting on it): a slow
          // answer may be a busy machine, and taking that for an outage would fail healthy requests.
          this.report(error);
          return false;
        },
      )
      .finally(() => (this.#checking = null));
    return this.#checking;
  }

  /**
   * Watches a request: still running after 300 ms, it has the database checked on a connection of
   * its own, so requests stuck on a database that can no longer be reached (connections refused,
   * a connect timing out) end with 503 within a second instead of at their time budget.
   */
  watch(signal: StopSignal): () => void {
    if (!this.remote) return () => {};
    const timer = setTimeout(() => {
      if (!signal.aborted && !this.#down) void this.ready();
    }, WATCH_AFTER_MS);
    timer.unref();
    return () => clearTimeout(timer);
  }

  /** Runs database work of the request's front (authentication): an outage becomes the 503 error. */
  async guard<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (this.report(error)) throw databaseUnavailableError();
      throw error;
    }
  }

  stop() {
    this.#stopped = true;
    if (this.#probe) clearTimeout(this.#probe);
  }

  /** An unreachable database, reported as DATABASE_UNAVAILABLE instead of an internal error. */
  errorOf(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError | undefined {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    if (!this.report(original)) return undefined;
    return {
      message: MESSAGE,
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: DATABASE_UNAVAILABLE },
    };
  }

  /** Answers 503 with Retry-After when any error of the request was an outage. */
  plugin(): ApolloServerPlugin {
    return {
      async requestDidStart() {
        return {
          async willSendResponse({ response }) {
            if (response.body.kind !== 'single') return;
            const errors = response.body.singleResult.errors ?? [];
            if (!errors.some((error) => error.extensions?.code === DATABASE_UNAVAILABLE)) return;
            response.http.status = 503;
            response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
          },
        };
      },
    };
  }
}
