import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { Logger } from './logger.ts';

/*
 * Redis clients, loaded only when REDIS_URL names a server. The client libraries are CommonJS
 * and sizeable (ioredis, and node-redis behind @keyv/redis: about 7 MB of heap once loaded, and
 * their code); a server without Redis, the default, never loads them.
 */
const load = createRequire(import.meta.url);

/**
 * A client for one of the API's shared counters: it fails a command at once while Redis does not
 * answer (no offline queue, one retry), so callers fall back to what they keep in the process.
 */
export function redisClient(url: string, logger: Logger, purpose: string): Redis {
  const { Redis: Client } = load('ioredis') as typeof import('ioredis');
  const client = new Client(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 1_000 });
  client.on('error', (error: unknown) => logger.warn({ err: error }, `Redis for ${purpose} does not answer`));
  return client;
}

/** The persisted-query store's libraries (Keyv over node-redis, and Apollo's adapter of it). */
export function keyvRedisLibraries() {
  return {
    KeyvRedis: (load('@keyv/redis') as typeof import('@keyv/redis')).default,
    Keyv: (load('keyv') as typeof import('keyv')).Keyv,
    KeyvAdapter: (load('@apollo/utils.keyvadapter') as typeof import('@apollo/utils.keyvadapter')).KeyvAdapter,
  };
}
