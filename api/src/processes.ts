import cluster, { type Worker } from 'node:cluster';
import type { Logger } from './logger.ts';
import { flushLogs } from './logger.ts';

/**
 * Several API processes behind one port (node:cluster): the first process prepares the database,
 * starts `count` workers that each run the API and share the listening socket, starts a new worker
 * when one dies, and on SIGTERM/SIGINT stops them all (each drains its requests within the
 * shutdown limit) and exits 0 once they are gone. The API keeps no state of its own; the per-client
 * limits are shared through Redis (REDIS_URL), the database is PostgreSQL.
 */
export async function superviseWorkers({
  count,
  logger,
  shutdownTimeoutMs,
  prepare,
}: {
  count: number;
  logger: Logger;
  shutdownTimeoutMs: number;
  /** Runs once before the workers start (migrations, seed): not in every worker at once. */
  prepare: () => Promise<void>;
}): Promise<void> {
  await prepare();
  let stopping = false;
  /** Deaths of workers not asked to stop, most recent last: too many soon after another ends the service. */
  const crashes: number[] = [];
  const listening = new Set<number>();
  let announced = false;

  const fork = () => {
    const worker = cluster.fork({ NARAVARD_WORKER: '1' });
    worker.on('listening', (address) => {
      listening.add(worker.id);
      if (!announced && listening.size >= count) {
        announced = true;
        logger.info({ port: address.port, workers: count }, `GraphQL at http://localhost:${address.port}/graphql (${count} processes)`);
      }
    });
    return worker;
  };

  cluster.on('exit', (worker: Worker, code, signal) => {
    listening.delete(worker.id);
    if (stopping) return;
    const now = Date.now();
    crashes.push(now);
    while (crashes.length > 0 && crashes[0]! < now - 60_000) crashes.shift();
    if (crashes.length > count * 3) {
      logger.error({ pid: worker.process.pid, code, signal }, 'API processes keep dying: stopping the service');
      void stopAll(1);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'an API process died: starting another');
    setTimeout(() => {
      if (!stopping) fork();
    }, 500).unref();
  });

  const workers = () => Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);

  async function stopAll(exitCode: number) {
    if (stopping) return;
    stopping = true;
    const running = workers();
    const exits = running.map(
      (worker) =>
        new Promise<number>((resolve) => {
          if (worker.isDead()) return resolve(worker.process.exitCode ?? 0);
          worker.once('exit', (code) => resolve(code ?? 1));
        }),
    );
    for (const worker of running) worker.process.kill('SIGTERM');
    // Each worker ends within the shutdown limit by itself; one that does not is killed a little after.
    const late = setTimeout(() => {
      for (const worker of workers()) {
        logger.error({ pid: worker.process.pid }, 'an API process did not stop within the limit: killing it');
        worker.process.kill('SIGKILL');
      }
    }, shutdownTimeoutMs + 1_500);
    late.unref();
    const codes = await Promise.all(exits);
    clearTimeout(late);
    logger.info({ workers: running.length }, 'stopped');
    await flushLogs(logger);
    process.exit(codes.every((code) => code === 0) ? exitCode : 1);
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      logger.info({ signal, workers: workers().length }, 'stopping: every API process finishes its requests in flight');
      void stopAll(0);
    });
  }
  for (let index = 0; index < count; index += 1) fork();
}

/** Whether this process is a worker started by `superviseWorkers`. */
export const isWorkerProcess = () => cluster.isWorker;
