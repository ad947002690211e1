export { createApp, type App } from './server.ts';
export { createContext, type Context } from './context.ts';
export { createLogger, type Logger } from './logger.ts';
export { schema } from './schema/index.ts';
