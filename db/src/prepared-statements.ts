import type { Sql } from 'postgres';

/**
 * Which statements run as named prepared statements on PostgreSQL.
 *
 * Drizzle sends every query it did not `.prepare()` itself as an unnamed statement, so PostgreSQL
 * parses, analyses and plans it again on every request: on the national data set that was most of
 * the database's CPU for a simple list page. Preparing every statement is no answer either: each
 * prepared statement stays in memory on every connection that ran it, and a statement's text
 * varies with what a client selects and filters by, so clients could fill that memory.
 *
 * The policy is the one of PostgreSQL's JDBC driver (prepareThreshold, preparedStatementCacheQueries):
 * a text is prepared once it has been sent `threshold` times, and at most `limit` texts are ever
 * prepared per process (so per connection too); the rest stay unnamed. The texts the API sends
 * over and over are few (one per list shape), so they are prepared within the first requests.
 */
export interface PreparePolicy {
  /** How many times a text is sent before it is prepared. */
  threshold: number;
  /** How many distinct texts are prepared at most. */
  limit: number;
}

export const DEFAULT_PREPARE_POLICY: PreparePolicy = { threshold: 3, limit: 500 };

/** Texts seen but not yet prepared are forgotten when there are this many (so the count stays bounded). */
const SEEN_LIMIT = 10_000;

/**
 * The options a statement is sent with. `simple` is postgres.js's own switch to the simple
 * protocol, which it takes for text without parameters. Drizzle passes `{ prepare }` alone, and
 * the answer is then a literal of named properties: `{ ...options, simple: false }` made a new
 * hidden class for every statement on Node 20 (V8 11, seen with `--log-maps`), which kept the
 * request's objects from being collected young (see withTotalCount in the API's pagination).
 */
function sendOptions(prepare: boolean, options: { prepare?: boolean; simple?: boolean } | undefined) {
  let onlyPrepare = true;
  for (const key in options) if (key !== 'prepare') onlyPrepare = false;
  if (onlyPrepare) return prepare ? { prepare: true, simple: false } : { prepare: false };
  return prepare ? { ...options, prepare: true, simple: false } : { ...options, prepare: false };
}

export function preparesRepeatedStatements(client: Sql, policy: PreparePolicy = DEFAULT_PREPARE_POLICY): Sql {
  const prepared = new Set<string>();
  const seen = new Map<string, number>();
  const shouldPrepare = (text: string): boolean => {
    if (prepared.has(text)) return true;
    if (prepared.size >= policy.limit) return false;
    const count = (seen.get(text) ?? 0) + 1;
    if (count < policy.threshold) {
      if (seen.size >= SEEN_LIMIT) seen.clear();
      seen.set(text, count);
      return false;
    }
    seen.delete(text);
    prepared.add(text);
    return true;
  };
  const unsafe = client.unsafe.bind(client);
  client.unsafe = ((query: string, parameters?: unknown[], options?: { prepare?: boolean; simple?: boolean }) => {
    // Text with a semicolon may hold several statements, which only the simple protocol runs.
    const prepare = options?.prepare === true || (!query.includes(';') && shouldPrepare(query));
    return unsafe(query, (parameters ?? []) as never, sendOptions(prepare, options) as never);
  }) as Sql['unsafe'];
  return client;
}
