import cluster from 'node:cluster';
import { connect, connectReplicas, parseReplicaUrls, prepareDatabase, ReplicaConfigError } from '@naravard/db';
import { limitsFromEnv } from './config.ts';
import { createLogger } from './logger.ts';
import { superviseWorkers } from './processes.ts';
import { createApp } from './server.ts';
import { stopOnSignals } from './shutdown.ts';

/**
 * Starts the API: connects (embedded PGlite unless DATABASE_URL is set), migrates, seeds once,
 * serves. With WEB_CONCURRENCY above 1, as that many processes behind one port (processes.ts);
 * with DATABASE_REPLICA_URLS, reads go to the replicas (read-routing.ts).
 */
const logger = createLogger();
let limits: ReturnType<typeof limitsFromEnv>;
let replicaUrls: string[];
try {
  limits = limitsFromEnv();
  replicaUrls = parseReplicaUrls(process.env.DATABASE_REPLICA_URLS);
  if (replicaUrls.length > 0 && !process.env.DATABASE_URL) {
    throw new ReplicaConfigError('DATABASE_REPLICA_URLS needs DATABASE_URL: read replicas are replicas of a PostgreSQL primary.');
  }
  if (limits.webConcurrency > 1 && !process.env.DATABASE_URL) {
    throw new ReplicaConfigError(
      `WEB_CONCURRENCY=${limits.webConcurrency} needs DATABASE_URL: the embedded database is owned by one process.`,
    );
  }
} catch (error) {
  // On stderr whatever the log level: the service did not start, and this says why.
  process.stderr.write(`The API cannot start: ${(error as Error).message}\n`);
  process.exit(1);
}

async function migrate() {
  const connection = await connect({ connectTimeoutMs: limits.databaseConnectTimeoutMs });
  try {
    const { seeded } = await prepareDatabase(connection);
    logger.info({ database: connection.driver, seeded }, seeded ? 'database migrated and seeded' : 'database migrated');
  } finally {
    await connection.close();
  }
}

if (limits.webConcurrency > 1 && cluster.isPrimary) {
  if (!limits.redisUrl) {
    logger.warn({ workers: limits.webConcurrency }, 'REDIS_URL is not set: each API process counts the per-client limits on its own');
  }
  await superviseWorkers({ count: limits.webConcurrency, logger, shutdownTimeoutMs: limits.shutdownTimeoutMs, prepare: migrate });
} else {
  const connection = await connect({ connectTimeoutMs: limits.databaseConnectTimeoutMs });
  // Workers find the database prepared by the process that started them.
  if (!cluster.isWorker) {
    const { seeded } = await prepareDatabase(connection);
    logger.info({ database: connection.driver, seeded }, seeded ? 'database migrated and seeded' : 'database migrated');
  }
  const replicas =
    replicaUrls.length > 0
      ? await connectReplicas(replicaUrls, {
          primary: connection,
          maxLagMs: limits.replicaMaxLagMs,
          connect: { connectTimeoutMs: limits.databaseConnectTimeoutMs },
        })
      : null;
  if (replicas) logger.info({ replicas: replicas.status() }, `reads go to ${replicas.size} replica(s)`);

  const app = await createApp({ connection, logger, limits, replicas });
  const port = await app.listen(Number(process.env.PORT ?? 4000), process.env.HOST);
  logger.info({ port }, `GraphQL at http://localhost:${port}/graphql`);

  stopOnSignals({ stop: (options) => app.stop(options), logger, timeoutMs: limits.shutdownTimeoutMs });
}
