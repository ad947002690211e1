import { pino } from 'pino';

/** JSON lines on stdout; `LOG_LEVEL` sets the level (silent in tests). */
export const createLogger = () =>
  pino({ level: process.env.LOG_LEVEL ?? 'info', base: { service: 'naravard-api' } });

export type Logger = ReturnType<typeof createLogger>;
