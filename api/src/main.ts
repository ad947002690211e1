import cluster from 'node:cluster';
import { checkDatabaseUrl } from '@naravard/db/database-url';
import { checkDatabase, checkPortFree, listenError, portFromEnv, StartupError, startupErrorLine } from './startup.ts';

/**
 * Starts the API: checks the port, connects (embedded PGlite unless DATABASE_URL is set), migrates,
 * seeds once, serves. With WEB_CONCURRENCY above 1, as that many processes behind one port
 * (processes.ts); with DATABASE_REPLICA_URLS, reads go to the replicas (read-routing.ts). A reason
 * it cannot start is one line on stderr and exit code 1; the rest of the API is imported only once
 * the port is known to be free.
 */
async function main() {
  const { limitsFromEnv } = await import('./config.ts');
  let limits;
  try {
    limits = limitsFromEnv();
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
  const port = portFromEnv();
  const host = process.env.HOST || undefined;
  if (process.env.DATABASE_URL) checkDatabaseUrl(process.env.DATABASE_URL);
  if (limits.webConcurrency > 1 && !process.env.DATABASE_URL) {
    throw new StartupError(`WEB_CONCURRENCY=${limits.webConcurrency} needs DATABASE_URL: the embedded database is owned by one process.`);
  }
  // Workers share the port their supervisor checked.
  if (!cluster.isWorker) await checkPortFree(port, host);

  const [{ connect, connectReplicas, parseReplicaUrls, prepareDatabase, ReplicaConfigError }, { createLogger }] = await Promise.all([
    import('@naravard/db'),
    import('./logger.ts'),
  ]);
  let replicaUrls: string[];
  try {
    replicaUrls = parseReplicaUrls(process.env.DATABASE_REPLICA_URLS);
  } catch (error) {
    if (error instanceof ReplicaConfigError) throw new StartupError(error.message);
    throw error;
  }
  if (replicaUrls.length > 0 && !process.env.DATABASE_URL) {
    throw new StartupError('DATABASE_REPLICA_URLS needs DATABASE_URL: read replicas are replicas of a PostgreSQL primary.');
  }
  const logger = createLogger();

  /** Connects to the primary, checked to answer before anything is migrated. */
  const connectPrimary = async () => {
    const connection = await connect({ connectTimeoutMs: limits.databaseConnectTimeoutMs, maxConnections: limits.databasePoolSize });
    try {
      await checkDatabase(() => connection.ping(), process.env.DATABASE_URL);
    } catch (error) {
      await connection.close().catch(() => {});
      throw error;
    }
    return connection;
  };
  const migrate = async (connection: Awaited<ReturnType<typeof connect>>) => {
    const { seeded } = await prepareDatabase(connection);
    logger.info({ database: connection.driver, seeded }, seeded ? 'database migrated and seeded' : 'database migrated');
  };

  if (limits.webConcurrency > 1 && cluster.isPrimary) {
    if (!limits.redisUrl) {
      logger.warn({ workers: limits.webConcurrency }, 'REDIS_URL is not set: each API process counts the per-client limits on its own');
    }
    const { superviseWorkers } = await import('./processes.ts');
    await superviseWorkers({
      count: limits.webConcurrency,
      logger,
      shutdownTimeoutMs: limits.shutdownTimeoutMs,
      prepare: async () => {
        const connection = await connectPrimary();
        try {
          await migrate(connection);
        } finally {
          await connection.close();
        }
      },
    });
    return;
  }

  const [{ createApp }, { stopOnSignals }] = await Promise.all([import('./server.ts'), import('./shutdown.ts')]);
  const connection = await connectPrimary();
  // Workers find the database prepared by the process that started them.
  if (!cluster.isWorker) await migrate(connection);
  const replicas =
    replicaUrls.length > 0
      ? await connectReplicas(replicaUrls, {
          primary: connection,
          maxLagMs: limits.replicaMaxLagMs,
          connect: { connectTimeoutMs: limits.databaseConnectTimeoutMs, maxConnections: limits.databasePoolSize },
        })
      : null;
  if (replicas) logger.info({ replicas: replicas.status() }, `reads go to ${replicas.size} replica(s)`);

  const app = await createApp({ connection, logger, limits, replicas });
  let listening: number;
  try {
    listening = await app.listen(port, host);
  } catch (error) {
    // Taken between the check and now.
    await app.stop({ drainMs: 0 }).catch(() => {});
    throw listenError(error, port, host);
  }
  logger.info({ port: listening }, `GraphQL at http://localhost:${listening}/graphql`);

  stopOnSignals({ stop: (options) => app.stop(options), logger, timeoutMs: limits.shutdownTimeoutMs });
}

try {
  await main();
} catch (error) {
  process.stderr.write(`${startupErrorLine(error)}\n`);
  if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace') console.error(error);
  process.exit(1);
}
