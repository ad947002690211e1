import cluster from 'node:cluster';
import { pino } from 'pino';

/**
 * JSON lines on stdout; `LOG_LEVEL` sets the level (silent in tests). Lines are written
 * asynchronously, those logged during one write going out together with the next (a synchronous
 * write per request line costs more than the request's own work under load); `flushLogs` writes
 * what is left before the process exits.
 */
export const createLogger = () =>
  pino(
    // Each of several API processes (WEB_CONCURRENCY) says which it is.
    { level: process.env.LOG_LEVEL ?? 'info', base: { service: 'naravard-api', ...(cluster.isWorker ? { pid: process.pid } : {}) } },
    pino.destination({ dest: 1, sync: false }),
  );

export type Logger = ReturnType<typeof createLogger>;

/** Writes the buffered log lines; call before exiting. */
export const flushLogs = (logger: Logger) => new Promise<void>((resolve) => logger.flush(() => resolve()));
