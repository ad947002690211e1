import type { Logger } from './logger.ts';
import { flushLogs } from './logger.ts';

/**
 * A stop that always ends: on SIGTERM or SIGINT the server stops taking requests, lets those in
 * flight finish within the drain limit, closes connections and the database, and exits 0. Should
 * closing itself hang, the process exits anyway at the limit (plus a second for the logs).
 */
export function stopOnSignals({
  stop,
  logger,
  timeoutMs,
}: {
  stop: (options: { drainMs: number }) => Promise<void>;
  logger: Logger;
  timeoutMs: number;
}) {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeoutMs }, 'stopping: finishing requests in flight');
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs }, 'stopping took longer than the limit: exiting now');
      void flushLogs(logger).finally(() => process.exit(0));
      // A little before the limit, so the process is gone by then.
    }, Math.max(timeoutMs - 250, Math.round(timeoutMs * 0.9)));
    deadline.unref();
    // The drain leaves room within the limit for what follows it: a statement already running
    // (PGlite cannot cancel one), closing the connections and the database, and the process's
    // own exit, which takes up to a second on a loaded machine with the embedded database's
    // memory to release.
    stop({ drainMs: Math.max(0, timeoutMs - Math.min(2_000, Math.max(1_000, Math.round(timeoutMs * 0.25)))) })
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
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, onSignal);
}
