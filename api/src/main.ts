import { connect, prepareDatabase } from '@naravard/db';
import { limitsFromEnv } from './config.ts';
import { createLogger } from './logger.ts';
import { createApp } from './server.ts';
import { stopOnSignals } from './shutdown.ts';

/** Starts the API: connects (embedded PGlite unless DATABASE_URL is set), migrates, seeds once, serves. */
const logger = createLogger();
const limits = limitsFromEnv();
const connection = await connect({ connectTimeoutMs: limits.databaseConnectTimeoutMs });
const { seeded } = await prepareDatabase(connection);
logger.info({ database: connection.driver, seeded }, seeded ? 'database migrated and seeded' : 'database migrated');

const app = await createApp({ connection, logger, limits });
const port = await app.listen(Number(process.env.PORT ?? 4000), process.env.HOST);
logger.info({ port }, `GraphQL at http://localhost:${port}/graphql`);

stopOnSignals({ stop: (options) => app.stop(options), logger, timeoutMs: limits.shutdownTimeoutMs });
