import type { IncomingHttpHeaders } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { type Connection, isDatabaseUnavailable, type Replica, type ReplicaSet, type ReplicaStatus } from '@naravard/db';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Redis } from 'ioredis';
import { authenticate, type Principal } from './auth.ts';
import { budgeted, type RequestScope } from './budget.ts';
import type { Context } from './context.ts';
import type { Logger } from './logger.ts';
import { redisClient } from './redis.ts';
import { DATABASE_UNAVAILABLE, type DatabaseHealth, databaseUnavailableError, RETRY_AFTER_SECONDS } from './outage.ts';

/**
 * Which database serves a request: reads go to the read replicas (in turn), writes and everything
 * a write's transaction reads go to the primary. A client reads its own writes: the answer of a
 * mutation comes from the primary, and so do the client's reads for a short window after it wrote
 * (`READ_YOUR_WRITES_MS`), or whenever it sends `X-Naravard-Read-Primary: 1` (the SDK does after
 * its own writes). A replica that is down or lagging is skipped; while the primary is down, reads
 * are served by the replicas and writes answer 503.
 *
 * Apollo builds a request's context before it parses the operation, so the context is built with
 * the chosen reader (`db`) and the primary (`writer`); once the operation is known, a mutation's
 * context is switched to the primary for the whole operation (its answer included).
 */

/** The header a client sends to have its reads served by the primary. */
export const READ_PRIMARY_HEADER = 'x-naravard-read-primary';
/** The header that tells which database served a request's reads: `primary` or `replica`. */
export const SERVED_BY_HEADER = 'x-naravard-served-by';

export interface Route {
  /** The connection that serves the request's reads. */
  reader: Connection;
  /** The replica the reads go to; null when they go to the primary. */
  replica: Replica | null;
}

export interface ReadRoutingOptions {
  primary: Connection;
  replicas: ReplicaSet | null;
  /** The primary's health (outage.ts). */
  health: DatabaseHealth;
  logger: Logger;
  /** How long after a write a client's reads go to the primary. */
  readYourWritesMs: number;
  /** Share the "wrote just now" marks across API processes through Redis. */
  redisUrl?: string | undefined;
  keyPrefix?: string | undefined;
}

/** Marks kept in memory are pruned when there are this many. */
const MEMORY_MARKS = 50_000;

export class ReadRouting {
  readonly #routes = new WeakMap<RequestScope, Route>();
  /** Errors of requests on a replica that went away: the replica's outage, not the primary's. */
  readonly #replicaOutages = new WeakSet<object>();
  readonly #wrote = new Map<string, number>();
  readonly #redis: Redis | null;
  readonly #prefix: string;

  constructor(readonly options: ReadRoutingOptions) {
    this.#prefix = `${options.keyPrefix ?? 'naravard'}:wrote:`;
    this.#redis = options.replicas && options.redisUrl ? redisClient(options.redisUrl, options.logger, 'read-your-writes') : null;
    options.replicas?.onChange((replica, status, previous) => {
      const log = status.state === 'ok' ? options.logger.info.bind(options.logger) : options.logger.warn.bind(options.logger);
      log({ replica: replica.name, state: status.state, previous, lagMs: status.lagMs }, `replica ${replica.name} is ${status.state}`);
    });
  }

  get primary(): Connection {
    return this.options.primary;
  }

  /** Whether reads can be served now (by the primary or by a replica). */
  get readable(): boolean {
    return !this.options.health.unavailable || (this.options.replicas?.usable ?? false);
  }

  /** Chooses the reader of a request, before its operation is known. */
  async route(client: string, headers: IncomingHttpHeaders): Promise<Route> {
    const primary: Route = { reader: this.options.primary, replica: null };
    const replicas = this.options.replicas;
    if (!replicas) return primary;
    const asked = String(headers[READ_PRIMARY_HEADER] ?? '').trim().toLowerCase();
    const primaryUp = !this.options.health.unavailable;
    if (primaryUp && (asked === '1' || asked === 'true' || (await this.#wroteRecently(client)))) return primary;
    const replica = replicas.pick();
    return replica ? { reader: replica.connection, replica } : primary;
  }

  /** Ties a route to the request's scope, so its errors and stops go to the right database. */
  bind(scope: RequestScope, route: Route) {
    this.#routes.set(scope, route);
  }

  /** Whether a request depends on the primary (so an outage of the primary stops it). */
  usesPrimary(scope: RequestScope): boolean {
    return this.#routes.get(scope)?.replica == null;
  }

  /** Whether a request reads from a replica. */
  usesReplica(scope: RequestScope, replica: Replica): boolean {
    return this.#routes.get(scope)?.replica === replica;
  }

  /**
   * The caller, looked up on the primary (a key revoked a moment ago is refused at once, and its
   * use is noted); while the primary is down, on the request's replica without noting the use.
   */
  async authenticate(route: Route, scope: RequestScope, authorization: string | undefined): Promise<Principal> {
    if (authorization === undefined || authorization.trim() === '') return authenticate(this.options.primary.db, authorization);
    if (!this.options.health.unavailable || !route.replica) {
      try {
        return await this.options.health.guard(budgeted(scope, authenticate(this.options.primary.scoped(scope.statements), authorization)));
      } catch (error) {
        if (!route.replica || (error as GraphQLError).extensions?.code !== DATABASE_UNAVAILABLE) throw error;
      }
    }
    try {
      return await budgeted(scope, authenticate(route.reader.scoped(scope.statements), authorization, { noteUse: false }));
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        this.options.replicas?.markDown(route.replica!);
        throw databaseUnavailableError();
      }
      throw error;
    }
  }

  /** Notes that a client wrote: its reads go to the primary for the window. */
  async noteWrite(client: string) {
    const until = Date.now() + this.options.readYourWritesMs;
    if (this.#wrote.size >= MEMORY_MARKS) {
      const now = Date.now();
      for (const [key, time] of this.#wrote) if (time <= now) this.#wrote.delete(key);
      if (this.#wrote.size >= MEMORY_MARKS) this.#wrote.clear();
    }
    this.#wrote.set(client, until);
    await this.#redis?.set(this.#prefix + client, '1', 'PX', this.options.readYourWritesMs).catch(() => {});
  }

  async #wroteRecently(client: string): Promise<boolean> {
    const until = this.#wrote.get(client);
    if (until !== undefined) {
      if (until > Date.now()) return true;
      this.#wrote.delete(client);
    }
    if (!this.#redis || this.#redis.status !== 'ready') return false;
    return (await this.#redis.exists(this.#prefix + client).catch(() => 0)) > 0;
  }

  /**
   * An outage of the replica a request read from (its errors were marked by the plugin, which
   * knows the request): the client gets DATABASE_UNAVAILABLE (503); the primary is not blamed.
   */
  errorOf(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError | undefined {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    if (!(error && typeof error === 'object' && this.#replicaOutages.has(error)) && !(original && typeof original === 'object' && this.#replicaOutages.has(original))) {
      return undefined;
    }
    return {
      message: databaseUnavailableError().message,
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: DATABASE_UNAVAILABLE },
    };
  }

  /**
   * Sends a mutation (its transaction and its answer) to the primary (while the primary is down
   * it fails there like any statement, as 503 DATABASE_UNAVAILABLE), notes the client's write,
   * and says in a header who served the request.
   */
  plugin(): ApolloServerPlugin<Context> {
    const routing = this;
    return {
      async requestDidStart() {
        let wrote = false;
        return {
          async didResolveOperation({ operation, contextValue }) {
            const scope = contextValue.request;
            if (!operation || operation.operation === 'query') return;
            contextValue.db = contextValue.writer;
            if (scope) routing.#routes.set(scope, { reader: routing.options.primary, replica: null });
            wrote = true;
          },
          async didEncounterErrors({ contextValue, errors }) {
            const scope = contextValue.request;
            const replica = scope ? routing.#routes.get(scope)?.replica : null;
            if (!replica) return;
            for (const error of errors) {
              const original = error.originalError ?? error;
              if (!isDatabaseUnavailable(original)) continue;
              // The replica went away under the request: skip it from now on.
              routing.options.replicas?.markDown(replica);
              routing.#replicaOutages.add(error);
              routing.#replicaOutages.add(original);
            }
          },
          async willSendResponse({ contextValue, response }) {
            const scope = contextValue.request;
            if (routing.options.replicas && scope) {
              response.http.headers.set(SERVED_BY_HEADER, routing.#routes.get(scope)?.replica ? 'replica' : 'primary');
            }
            if (wrote && scope && routing.options.replicas) await routing.noteWrite(scope.client);
          },
        };
      },
    };
  }

  /**
   * What `/readyz` answers: ready while reads can be served (the primary answered its check, or a
   * replica is usable), with each replica's condition.
   */
  readiness(driver: string, primaryAnswers: boolean): { status: number; body: Record<string, unknown>; headers: Record<string, string> } {
    const replicas: ReplicaStatus[] | undefined = this.options.replicas?.status();
    const ready = primaryAnswers || (this.options.replicas?.usable ?? false);
    if (!ready) {
      return {
        status: 503,
        headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
        body: { status: 'database unavailable', ...(replicas ? { primary: 'unavailable', replicas } : {}) },
      };
    }
    return {
      status: 200,
      headers: {},
      body: {
        status: primaryAnswers ? 'ready' : 'reads only: the primary is unavailable',
        database: driver,
        ...(replicas ? { primary: primaryAnswers ? 'ok' : 'unavailable', replicas } : {}),
      },
    };
  }

  /** The connection long reads (exports) use: a usable replica, else the primary. */
  exportConnection(): Connection {
    return this.options.replicas?.pick()?.connection ?? this.options.primary;
  }

  /** Hears when a replica goes down, to stop the requests waiting on it. */
  onReplicaDown(listener: (replica: Replica) => void) {
    this.options.replicas?.onChange((replica, status) => {
      if (status.state === 'down') listener(replica);
    });
  }

  async close() {
    this.#redis?.disconnect();
    await this.options.replicas?.close();
  }
}
