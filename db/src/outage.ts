/**
 * Whether an error means the database cannot be reached (down, restarting, connection lost), as
 * opposed to a statement it refused. Network errors of the driver, SQLSTATE class 08 (connection
 * exception) and the shutdown and start-up states of class 57.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // postgres.js
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 8) return false;
  const candidate = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof candidate.code === 'string') {
    if (NETWORK_CODES.has(candidate.code) || SQLSTATES.has(candidate.code) || /^08[0-9A-Z]{3}$/.test(candidate.code)) return true;
  }
  // Node reports a refused connection to a name with several addresses as an AggregateError.
  if (Array.isArray(candidate.errors) && candidate.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(candidate.cause, depth + 1);
}
