import { checkDatabaseUrl } from '@naravard/db/database-url';
import { checkDatabase, checkPortFree, listenError, portFromEnv, StartupError, startupErrorLine } from './startup.ts';

/**
 * Starts the API: checks the port, connects (embedded PGlite unless DATABASE_URL is set), migrates,
 * seeds once, serves. A reason it cannot start is one line on stderr and exit code 1; the rest of
 * the API is imported only once the port is known to be free.
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
  await checkPortFree(port, host);

  const [{ connect, prepareDatabase }, { createLogger }, { createApp }, { stopOnSignals }] = await Promise.all([
    import('@naravard/db'),
    import('./logger.ts'),
    import('./server.ts'),
    import('./shutdown.ts'),
  ]);
  const logger = createLogger();
  const connection = await connect({ connectTimeoutMs: limits.databaseConnectTimeoutMs });
  try {
    await checkDatabase(() => connection.ping(), process.env.DATABASE_URL);
  } catch (error) {
    await connection.close().catch(() => {});
    throw error;
  }
  const { seeded } = await prepareDatabase(connection);
  logger.info({ database: connection.driver, seeded }, seeded ? 'database migrated and seeded' : 'database migrated');

  const app = await createApp({ connection, logger, limits });
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
