import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import type { Context } from './context.ts';
import { GraphQLError } from 'graphql';
import { measureOf } from './limits.ts';
import type { Redis } from 'ioredis';
import { createRequire } from 'node:module';
import type * as RateLimiterFlexible from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from './logger.ts';
import { redisClient } from './redis.ts';

// The package's index loads each of its two dozen stores (MongoDB, MySQL, DynamoDB, etcd, …);
// the API uses the memory and Redis limiters and their result, required from their own files.
const load = createRequire(import.meta.url);
const RateLimiterMemory = load('rate-limiter-flexible/lib/RateLimiterMemory.js') as typeof RateLimiterFlexible.RateLimiterMemory;
const RateLimiterRedis = load('rate-limiter-flexible/lib/RateLimiterRedis.js') as typeof RateLimiterFlexible.RateLimiterRedis;
const RateLimiterRes = load('rate-limiter-flexible/lib/RateLimiterRes.js') as typeof RateLimiterFlexible.RateLimiterRes;
type RateLimiterRes = RateLimiterFlexible.RateLimiterRes;

export interface ClientLimitOptions {
  /** Cost one client may spend per window; 0 turns the rate limit off. */
  rateLimitCost: number;
  rateLimitWindowSeconds: number;
  /** Requests one client may have in flight; 0 turns the limit off. */
  concurrencyLimit: number;
  /** Share the counts through Redis (across replicas) instead of keeping them in this process. */
  redisUrl?: string | undefined;
  /** Prefix of the counters' keys in Redis. */
  keyPrefix?: string;
  /** The most a single request may cost (its own limit refuses it before it is charged). */
  maximumRequestCost: number;
}

/**
 * A slot of the concurrency limit is kept at most this long, so a replica that dies with requests
 * in flight does not hold its clients' slots in Redis for ever.
 */
const SLOT_SECONDS = 120;

export const RATE_LIMITED = 'RATE_LIMITED';

/**
 * Who a request counts against: its API key (by hash, so the key itself is never kept; an invalid
 * key is refused by authentication anyway), else the address it came from.
 */
export function clientOf(request: IncomingMessage): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (match) return `key:${createHash('sha256').update(match[1]!).digest('hex').slice(0, 32)}`;
  return `ip:${request.socket.remoteAddress ?? 'unknown'}`;
}

const retryAfterOf = (result: RateLimiterRes) => Math.max(1, Math.ceil(result.msBeforeNext / 1000));

/** What a client was refused for: the body and headers of a 429. */
export interface Refusal {
  limit: 'cost' | 'concurrency';
  retryAfterSeconds: number;
  message: string;
}

/**
 * Per-client limits with rate-limiter-flexible: a rate limit on query cost per window and a limit
 * on requests in flight. In memory by default; through Redis when a URL is given, with an
 * in-memory limiter standing in while Redis does not answer (limits then hold per replica).
 */
export class ClientLimits {
  readonly #cost: RateLimiterAbstract | null;
  readonly #concurrency: RateLimiterAbstract | null;
  readonly #redis: Redis | null;

  constructor(
    readonly options: ClientLimitOptions,
    logger: Logger,
  ) {
    const prefix = options.keyPrefix ?? 'naravard';
    this.#redis = options.redisUrl ? redisClient(options.redisUrl, logger, 'the rate limits') : null;
    const limiter = (points: number, duration: number, name: string): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ points, duration, keyPrefix: `${prefix}:${name}` });
      if (!this.#redis) return memory;
      return new RateLimiterRedis({
        storeClient: this.#redis,
        points,
        duration,
        keyPrefix: `${prefix}:${name}`,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      });
    };
    this.#cost = options.rateLimitCost > 0 ? limiter(options.rateLimitCost, options.rateLimitWindowSeconds, 'cost') : null;
    this.#concurrency = options.concurrencyLimit > 0 ? limiter(options.concurrencyLimit, SLOT_SECONDS, 'inflight') : null;
  }

  /** Takes one of the client's in-flight slots; resolves with the release, or with why it was refused. */
  async admit(client: string): Promise<{ release: () => void } | Refusal> {
    // A client whose allowance is spent is refused before its request is even parsed: a flood of
    // refused requests must cost next to nothing.
    const spent = await this.#cost?.get(client).catch(() => null);
    if (spent && spent.remainingPoints <= 0 && spent.msBeforeNext > 0) {
      const retryAfterSeconds = retryAfterOf(spent);
      return {
        limit: 'cost',
        retryAfterSeconds,
        message: `Rate limit: the ${this.options.rateLimitCost} of query cost this client may spend in ${this.options.rateLimitWindowSeconds} s are spent. Retry after ${retryAfterSeconds} s.`,
      };
    }
    const concurrency = this.#concurrency;
    if (!concurrency) return { release: () => {} };
    try {
      await concurrency.consume(client, 1);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      // A refused consume counted too; give it back.
      await concurrency.reward(client, 1).catch(() => {});
      return {
        limit: 'concurrency',
        retryAfterSeconds: 1,
        message: `Too many requests at once: at most ${this.options.concurrencyLimit} of one client may run at a time. Wait for one to finish.`,
      };
    }
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        void concurrency.reward(client, 1).catch(() => {});
      },
    };
  }

  /**
   * Charges a request's cost to its client; throws a 429 error when the window's allowance is
   * spent. Resolves with what goes into the answer's `extensions.cost`.
   */
  async charge(client: string, cost: number): Promise<Record<string, unknown>> {
    const limiter = this.#cost;
    const report = (result: RateLimiterRes | null) => ({
      requested: cost,
      ...(limiter && result
        ? {
            limit: this.options.rateLimitCost,
            remaining: Math.max(0, result.remainingPoints),
            windowSeconds: this.options.rateLimitWindowSeconds,
            resetAt: new Date(Date.now() + result.msBeforeNext).toISOString(),
          }
        : {}),
      maximumPerRequest: this.options.maximumRequestCost,
    });
    if (!limiter || cost <= 0) return report(null);
    try {
      return report(await limiter.consume(client, cost));
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const retryAfterSeconds = retryAfterOf(error);
      throw new GraphQLError(
        `Rate limit: this request costs ${cost}, and ${Math.max(0, this.options.rateLimitCost - (error.consumedPoints - cost))} of ` +
          `${this.options.rateLimitCost} is left in this ${this.options.rateLimitWindowSeconds} s window. Retry after ${retryAfterSeconds} s, or ask for less.`,
        {
          extensions: {
            code: RATE_LIMITED,
            limit: 'cost',
            retryAfterSeconds,
            cost: { ...report(error), remaining: 0 },
            http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
          },
        },
      );
    }
  }

  /** Waits (a second at most) for Redis, so the first requests are counted there already. */
  async ready() {
    const redis = this.#redis;
    if (!redis || redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1_000);
      redis.once('ready', () => (clearTimeout(timer), resolve()));
    });
  }

  async close() {
    this.#redis?.disconnect();
  }

  /**
   * Charges each operation's estimated cost (the complexity the query limits use) before it runs,
   * and puts the cost spent and left in the answer's `extensions.cost`; the cost is also the
   * request's priority for the database (statement-scope.ts).
   */
  plugin(): ApolloServerPlugin<Context> {
    const limits = this;
    return {
      async requestDidStart() {
        return {
          async didResolveOperation({ contextValue }) {
            const scope = contextValue.request;
            // Measured by the query limits' plugin, which runs first; none when its variables do not fit.
            const measure = measureOf(contextValue);
            if (!scope || !measure) return;
            const cost = measure.complexity;
            // Cheaper requests' statements go first where the database runs one at a time.
            scope.statements.priority = cost;
            // Without a rate limit there is no allowance to report.
            if (!limits.#cost) return;
            scope.cost = await limits.charge(scope.client, Math.max(1, cost));
          },
          async willSendResponse({ contextValue, response }) {
            const cost = contextValue.request?.cost;
            if (!cost || response.body.kind !== 'single') return;
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost };
          },
        };
      },
    };
  }
}

/** A 429 answered before GraphQL runs (concurrency, or an allowance already spent). */
export function refusalResponse(refusal: Refusal) {
  return {
    status: 429,
    headers: { 'retry-after': String(refusal.retryAfterSeconds) },
    body: { errors: [{ message: refusal.message, extensions: { code: RATE_LIMITED, limit: refusal.limit, retryAfterSeconds: refusal.retryAfterSeconds } }] },
  };
}
