import { createServer } from 'node:net';

/**
 * A reason the API cannot start, said in one line for the operator (no stack): a busy port, a
 * database that does not answer, a malformed setting.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** PORT as a port number: a whole number from 0 to 65535 (0: any free port). */
export function portFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.PORT?.trim();
  if (!text) return 4000;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new StartupError(`PORT must be a whole number from 0 to 65535, not "${text}"`);
  return port;
}

const where = (port: number, host: string | undefined) => (host ? `${host}:${port}` : `port ${port}`);

/** Says why a port cannot be listened on, or throws what it does not know. */
export function listenError(error: unknown, port: number, host: string | undefined): StartupError {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE') {
    return new StartupError(`${where(port, host)} is already in use (is the API running already?); stop what listens there or set PORT to a free port`);
  }
  if (code === 'EACCES') return new StartupError(`no permission to listen on ${where(port, host)}; set PORT to a port above 1023`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new StartupError(`HOST "${host}" is not an address of this machine`);
  throw error;
}

/**
 * Checks that the port is free before the database is prepared, so a second start on the same
 * port fails at once instead of after migrating and seeding. Port 0 (any free port) is not checked.
 */
export async function checkPortFree(port: number, host: string | undefined): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error) => {
      try {
        reject(listenError(error, port, host));
      } catch (unknown) {
        reject(unknown);
      }
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** Error codes of a database server that cannot be reached at all. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'CONNECT_TIMEOUT']);

/** The error itself, or the first of its causes, with one of these codes. */
function findCode(error: unknown, codes: Set<string>): (Error & { code: string }) | undefined {
  for (let current = error, depth = 0; current && depth < 5; current = (current as Error).cause, depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && codes.has(code)) return current as Error & { code: string };
  }
  return undefined;
}

/** Host and port of DATABASE_URL, never its user or password. */
function databaseAddress(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname || 'localhost'}:${url.port || 5432}${url.pathname.length > 1 ? url.pathname : ''}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/**
 * Checks that PostgreSQL answers (when DATABASE_URL is set) before anything is migrated: a
 * database that cannot be reached, refuses the login or does not exist is one line.
 */
export async function checkDatabase(ping: () => Promise<void>, databaseUrl: string | undefined): Promise<void> {
  try {
    await ping();
  } catch (error) {
    if (!databaseUrl) throw error;
    const address = databaseAddress(databaseUrl);
    const unreachable = findCode(error, UNREACHABLE);
    if (unreachable) {
      throw new StartupError(`cannot reach PostgreSQL at ${address} (${unreachable.code}); is it running, and is DATABASE_URL right?`);
    }
    // PostgreSQL's own refusal (wrong password, no such database): its message names no secret.
    const refusal = findCode(error, new Set(['28P01', '28000', '3D000', '53300', '57P03']));
    if (refusal) throw new StartupError(`PostgreSQL at ${address} refused the connection: ${refusal.message}`);
    throw error;
  }
}

/** The one line printed for an error that stops the start. */
export function startupErrorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Unexpected errors: the first line of the message, without the stack (LOG_LEVEL=debug shows it).
  return `naravard: cannot start: ${message.split('\n')[0]}`;
}
