import type { ApolloServerOptions, BaseContext } from '@apollo/server';
import type { Logger } from './logger.ts';
import { keyvRedisLibraries } from './redis.ts';

/*
 * Automatic persisted queries: where a query registered by its sha256 hash is kept.
 *
 * Without Redis, in the process (Apollo's bounded in-memory cache): a hash registered with one API
 * process is unknown to another, whose answer `PersistedQueryNotFound` makes the client send the
 * query once more. With REDIS_URL the queries are kept in Redis, so every process and every host
 * finds a query any of them has been given: a BI tool's short GET URL works whichever process
 * answers it. Entries expire after a day unused; a client re-registers an expired one.
 */

/** How long a registered query is kept, in seconds. */
export const PERSISTED_QUERY_TTL_SECONDS = 24 * 60 * 60;

export interface PersistedQueries {
  /** Apollo Server's `persistedQueries` option. */
  options: NonNullable<ApolloServerOptions<BaseContext>['persistedQueries']>;
  close(): Promise<void>;
}

export function persistedQueries({
  redisUrl,
  keyPrefix = '',
  logger,
}: {
  redisUrl?: string | undefined;
  /** Prefix of the keys in Redis (REDIS_KEY_PREFIX), before `apq:`. */
  keyPrefix?: string | undefined;
  logger: Logger;
}): PersistedQueries {
  if (!redisUrl) return { options: { ttl: PERSISTED_QUERY_TTL_SECONDS }, close: async () => {} };
  const { KeyvRedis, Keyv, KeyvAdapter } = keyvRedisLibraries();
  const store = new KeyvRedis(
    // While Redis does not answer, a look-up is a miss within a second (the client then sends the
    // query again) instead of waiting in the client's queue for a reconnection.
    { url: redisUrl, disableOfflineQueue: true, socket: { connectTimeout: 1_000 } },
    { throwOnConnectError: false, throwOnErrors: false, connectionTimeout: 1_000, keyPrefixSeparator: ':' },
  );
  // Keys: <prefix>persisted-queries:apq:<sha256> (Apollo adds `apq:`).
  const keyv = new Keyv<string>({ store, namespace: `${keyPrefix}persisted-queries`, useKeyPrefix: false });
  let warned = false;
  const warn = (error: unknown) => {
    if (warned) return;
    warned = true;
    logger.warn({ err: error }, 'Redis for the persisted queries does not answer: queries are looked up in vain until it does');
  };
  keyv.on('error', warn);
  store.on('error', warn);
  return {
    // The adapter's declarations name Keyv's CommonJS types, this module its ES module types: one class.
    options: { cache: new KeyvAdapter(keyv as unknown as ConstructorParameters<typeof KeyvAdapter<string>>[0], { disableBatchReads: true }), ttl: PERSISTED_QUERY_TTL_SECONDS },
    close: async () => {
      try {
        await store.disconnect();
      } catch {
        // Already gone.
      }
    },
  };
}
