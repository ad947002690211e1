import { connect, prepareDatabase } from '@naravard/db';
import { createLogger, flushLogs } from './logger.ts';
import { createApp } from './server.ts';

/** Starts the API: connects (embedded PGlite unless DATABASE_URL is set), migrates, seeds once, serves. */
const logger = createLogger();
const connection = await connect();
const { seeded } = await prepareDatabase(connection);
logger.info({ database: connection.driver, seeded }, seeded ? 'database migrated and seeded' : 'database migrated');

const app = await createApp({ connection, logger });
const port = await app.listen(Number(process.env.PORT ?? 4000), process.env.HOST);
logger.info({ port }, `GraphQL at http://localhost:${port}/graphql`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing requests in flight');
    app
      .stop()
      .then(async () => {
        logger.info('stopped');
        await flushLogs(logger);
        process.exit(0);
      })
      .catch(async (error: unknown) => {
        logger.error({ err: error }, 'stopping failed');
        await flushLogs(logger);
        process.exit(1);
      });
  });
}
