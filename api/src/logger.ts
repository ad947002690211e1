import cluster from 'node:cluster';
import { pino } from 'pino';

/** Log lines wait in memory until this many bytes are ready (about 30 request lines)... */
const BATCH_BYTES = 4096;
/** ...or for at most this long. */
const BATCH_MS = 200;
const ERROR_LEVEL = pino.levels.values.error!;

/**
 * JSON lines on stdout; `LOG_LEVEL` sets the level (silent in tests). Lines are written
 * asynchronously and in batches of 4 KiB or every 200 ms, whichever comes first: a write per request
 * line cost the API about 4% of its CPU under load (a system call and a hand-over to libuv's thread
 * pool each). An error or fatal line starts a write at once (unless one is under way), with the
 * lines waiting before it; `flushLogs` writes what is left before the process exits.
 */
export const createLogger = () =>
  pino(
    {
      level: process.env.LOG_LEVEL ?? 'info',
      // Each of several API processes (WEB_CONCURRENCY) says which it is.
      base: { service: 'naravard-api', ...(cluster.isWorker ? { pid: process.pid } : {}) },
      hooks: {
        logMethod(args, method, level) {
          method.apply(this, args);
          if (level >= ERROR_LEVEL) this.flush();
        },
      },
    },
    pino.destination({ dest: 1, sync: false, minLength: BATCH_BYTES, periodicFlush: BATCH_MS }),
  );

export type Logger = ReturnType<typeof createLogger>;

/** Writes the buffered log lines; call before exiting. */
export const flushLogs = (logger: Logger) => new Promise<void>((resolve) => logger.flush(() => resolve()));
