/**
 * The API's limits and timeouts, read from the environment once, here. Every variable is
 * documented in the README ("Limits") and api/README.md.
 */
export interface RuntimeLimits {
  /** SHUTDOWN_TIMEOUT_MS: longest a stop waits for requests in flight before closing their connections. */
  shutdownTimeoutMs: number;
  /** REQUEST_TIME_BUDGET_MS: longest one request may use the database; then its SQL is cancelled. */
  requestTimeBudgetMs: number;
  /** RATE_LIMIT_COST: query cost one client may spend per window (0: no rate limit). */
  rateLimitCost: number;
  /** RATE_LIMIT_WINDOW_S: the window of the cost rate limit, in seconds. */
  rateLimitWindowSeconds: number;
  /** CONCURRENCY_LIMIT: requests one client may have in flight at once (0: no limit). */
  concurrencyLimit: number;
  /** REDIS_URL: share the per-client limits across replicas through Redis; unset keeps them in memory. */
  redisUrl: string | undefined;
  /** DATABASE_CONNECT_TIMEOUT_MS: longest wait for a new connection to PostgreSQL. */
  databaseConnectTimeoutMs: number;
  /**
   * DATABASE_POOL_SIZE: connections each API process keeps to PostgreSQL (and to each replica).
   * Few, as for any pool in front of a database of a few cores: beyond the statements PostgreSQL
   * can run at once, more connections only add backends that take turns on the same cores, and
   * with fewer, statements sent while all are busy go out together on one (pipelined), in fewer
   * system calls. On the national benchmark (2 cores) PostgreSQL spent 4–13% less CPU per request
   * with 4 connections than with 10, in each of three runs, at the same throughput within the
   * benchmark's noise.
   */
  databasePoolSize: number;
  /** REDIS_KEY_PREFIX: prefix of the keys in Redis (several deployments, or tests, may share one Redis). */
  redisKeyPrefix?: string | undefined;
  /** REPLICA_MAX_LAG_MS: a read replica further behind the primary than this is skipped. */
  replicaMaxLagMs: number;
  /** READ_YOUR_WRITES_MS: how long after a write a client's reads go to the primary. */
  readYourWritesMs: number;
  /** WEB_CONCURRENCY: how many API processes `pnpm start` runs (node:cluster); 1 runs the API in the process itself. */
  webConcurrency: number;
}

export const DEFAULT_LIMITS: RuntimeLimits = {
  shutdownTimeoutMs: 10_000,
  requestTimeBudgetMs: 10_000,
  rateLimitCost: 100_000,
  rateLimitWindowSeconds: 60,
  concurrencyLimit: 4,
  redisUrl: undefined,
  databaseConnectTimeoutMs: 700,
  databasePoolSize: 4,
  replicaMaxLagMs: 5_000,
  readYourWritesMs: 6_000,
  webConcurrency: 1,
};

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, { zero = false } = {}): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || (value === 0 && !zero)) {
    throw new Error(`${name} must be a ${zero ? 'whole number (0 turns the limit off)' : 'positive whole number'}, not "${text}".`);
  }
  return value;
}
const positiveInteger = (env: NodeJS.ProcessEnv, name: string, fallback: number) => wholeNumber(env, name, fallback);

/** The limits from the environment; a variable that is set but malformed stops the start with its name. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimeLimits {
  const replicaMaxLagMs = positiveInteger(env, 'REPLICA_MAX_LAG_MS', DEFAULT_LIMITS.replicaMaxLagMs);
  return {
    replicaMaxLagMs,
    // A replica in use is at most the lag limit behind, as of its last check (every 500 ms): a
    // window a second longer than the limit covers it.
    readYourWritesMs: positiveInteger(env, 'READ_YOUR_WRITES_MS', replicaMaxLagMs + 1_000),
    webConcurrency: positiveInteger(env, 'WEB_CONCURRENCY', DEFAULT_LIMITS.webConcurrency),
    redisKeyPrefix: env.REDIS_KEY_PREFIX?.trim() || undefined,
    shutdownTimeoutMs: positiveInteger(env, 'SHUTDOWN_TIMEOUT_MS', DEFAULT_LIMITS.shutdownTimeoutMs),
    requestTimeBudgetMs: positiveInteger(env, 'REQUEST_TIME_BUDGET_MS', DEFAULT_LIMITS.requestTimeBudgetMs),
    rateLimitCost: wholeNumber(env, 'RATE_LIMIT_COST', DEFAULT_LIMITS.rateLimitCost, { zero: true }),
    rateLimitWindowSeconds: positiveInteger(env, 'RATE_LIMIT_WINDOW_S', DEFAULT_LIMITS.rateLimitWindowSeconds),
    concurrencyLimit: wholeNumber(env, 'CONCURRENCY_LIMIT', DEFAULT_LIMITS.concurrencyLimit, { zero: true }),
    redisUrl: env.REDIS_URL?.trim() || undefined,
    databaseConnectTimeoutMs: positiveInteger(env, 'DATABASE_CONNECT_TIMEOUT_MS', DEFAULT_LIMITS.databaseConnectTimeoutMs),
    databasePoolSize: positiveInteger(env, 'DATABASE_POOL_SIZE', DEFAULT_LIMITS.databasePoolSize),
  };
}
