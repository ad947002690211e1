import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import { checkDatabaseUrl, DatabaseUrlError } from './database-url.ts';
import { lockDataFolder } from './data-lock.ts';
import { preparesRepeatedStatements } from './prepared-statements.ts';
import { renderStatement } from './render.ts';
import * as schema from './schema/index.ts';
import {
  PriorityGate,
  rebindDatabase,
  reportingPgliteClient,
  scopedLogger,
  scopedPgliteClient,
  scopedPostgresClient,
  type StatementScope,
} from './statement-scope.ts';

export type Schema = typeof schema;

/**
 * The database handle the rest of the platform uses. It is the Postgres base type both drivers
 * satisfy (a union of the two driver types breaks Drizzle's overloads).
 */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

/** A transaction handle: same API as the database. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface ConnectOptions {
  /** PostgreSQL connection string. Without one, the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** Folder for PGlite's files; `memory://` keeps it in memory only. */
  dataDir?: string | undefined;
  /** Pool size for PostgreSQL. */
  maxConnections?: number;
  /** Longest a statement may run before the database cancels it. */
  statementTimeoutMs?: number;
  /**
   * Longest wait for a new connection to PostgreSQL: short, so an outage is reported at once
   * instead of holding requests.
   */
  connectTimeoutMs?: number;
  /** Called with the text of every SQL statement sent (for logging and for counting them in tests). */
  onQuery?: (sql: string) => void;
  /**
   * PGlite's page cache (`shared_buffers`) in MB; without it, PGlite's own 128 MB. The cache is
   * memory of the process that opens the embedded database: a bulk import, which reads each page
   * once, gives it little use and runs in less memory with a small one.
   */
  embeddedCacheMb?: number;
}

/**
 * Reads that see one state of the database, for answers too long for one statement (exports).
 * Rows come back as arrays of values in the order of the statement's select list.
 */
export interface ReadSnapshot {
  /** All rows of one statement. */
  rows(query: SQL): Promise<unknown[][]>;
  /**
   * The rows of one statement in batches from a server-side cursor, so memory stays flat however
   * many rows match. Only on PostgreSQL: PGlite is one connection, and a cursor's transaction would
   * hold every other request for as long as the client takes to read; there, page by keyset.
   */
  cursor?(query: SQL, batchSize: number): AsyncIterable<unknown[][]>;
  /** Ends the snapshot (its transaction on PostgreSQL). Safe to call twice. */
  close(): Promise<void>;
}

/** Longest an export's transaction may sit idle between two batches (a client reading slowly). */
const SNAPSHOT_IDLE_TIMEOUT = '10min';

export interface Connection {
  /** The database, for work that belongs to no request (the CLI, imports, start-up). */
  db: Database;
  /**
   * The database for the work of one request: its statements are stopped, and on PostgreSQL
   * cancelled, when the scope's signal aborts, and on PGlite wait their turn by the scope's
   * priority. Cheap: made per request.
   */
  scoped(scope: StatementScope): Database;
  driver: 'pglite' | 'postgres';
  /**
   * A snapshot for a long read: on PostgreSQL a read-only repeatable-read transaction on a
   * connection of its own, without the statement timeout (an export of millions of rows runs for
   * minutes, batch by batch); on PGlite plain statements, each consistent in itself.
   */
  readSnapshot(): Promise<ReadSnapshot>;
  /** Answers when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the PostgreSQL client, refusing a malformed connection string without echoing it. */
function openPostgres(driver: typeof postgres, databaseUrl: string, options: postgres.Options<{}>) {
  checkDatabaseUrl(databaseUrl);
  try {
    return driver(databaseUrl, options);
  } catch {
    // The driver's own error (an invalid URL) carries the whole string: leave it out.
    throw new DatabaseUrlError('is not a valid URL');
  }
}

/**
 * PGlite and its Drizzle driver, loaded only for the embedded database: on PostgreSQL, and in
 * commands that open no database, their start-up cost is not paid.
 */
async function loadEmbedded() {
  const [{ PGlite }, { pg_trgm }, { unaccent }, { drizzle }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('@electric-sql/pglite/contrib/unaccent'),
    import('drizzle-orm/pglite'),
  ]);
  return { PGlite, pg_trgm, unaccent, drizzle };
}

/**
 * Settings of every connection the platform opens.
 *
 * `enable_memoize`: PostgreSQL puts a Memoize node over a lookup by primary key that repeats
 * (an agenda item's meeting, in search). Its hash table is sized at each execution for every
 * distinct key the planner expects the join to see, not for the few rows a LIMIT lets through,
 * and allocated whole. A search ranking 100 agenda items for a common word set up tables for the
 * 60,000 meetings, twice: on the national data set, at 16 connections, PostgreSQL spent 19.9 ms of
 * CPU per common-word search with it and 7.0 ms without (84 against 216 searches a second), and
 * the other queries of the read benchmark moved within its noise. The platform's statements are
 * pages and lookups by key, where a cache of lookups saves little.
 *
 * `synchronize_seqscans`: a sequential scan of a table larger than a quarter of the shared buffers
 * otherwise starts where another scan of it last was, not at its first page. Search ranks a common
 * word among the first matches of each type a scan finds (RANKED_PER_TYPE), so the hits it ranked,
 * and so its pages, changed with whatever had scanned the table before: on the national data set a
 * search of decisions for "vårdcentral" gave ten other hits on its first page after an unrelated
 * scan of decisions, and its second page was read from another set than its first. Started at the
 * first page, the scans find the same rows each time. Speed is not why: PostgreSQL's CPU per
 * common-word search fell from 3.5–3.6 to 3.2 ms in two runs on one machine (the scans found their
 * pages in the shared buffers), and moved within the noise on a slower one (9.7 against 9.5 ms).
 */
export const SESSION_SETTINGS = { enable_memoize: 'off', synchronize_seqscans: 'off' } as const;

export const DEFAULT_DATA_DIR = '.naravard/data';
export const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 700;

/**
 * Longest a health check waits for its connection to open: shorter than the API's readiness check
 * (600 ms), so a database that cannot be connected to is reported as down, not as slow.
 */
const HEALTH_CONNECT_DEADLINE_MS = 500;

/** Longest stretch of one blocked event loop that counts against a {@link deadline}. */
const DEADLINE_TICK_MS = 50;

/**
 * The answer of `work`, or postgres.js's CONNECT_TIMEOUT error when it takes longer than `ms`.
 * Only time the process could have spent on the connection counts: the clock advances in ticks
 * of at most 50 ms, so a stretch where the event loop was blocked (a large PDF being parsed)
 * counts as one tick, and the check runs after pending I/O (setImmediate), so an answer that
 * arrived during the block is seen. Otherwise a busy API would report its database as down.
 */
function deadline(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let settled = false;
  const timeout = new Promise<never>((_resolve, reject) => {
    let counted = 0;
    let last = performance.now();
    const tick = () => {
      const now = performance.now();
      counted += Math.min(now - last, DEADLINE_TICK_MS);
      last = now;
      if (counted < ms) {
        timer = setTimeout(tick, Math.min(DEADLINE_TICK_MS, ms - counted));
        return;
      }
      setImmediate(() => {
        if (!settled) reject(Object.assign(new Error(`no connection to the database within ${ms} ms`), { code: 'CONNECT_TIMEOUT' }));
      });
    };
    timer = setTimeout(tick, Math.min(DEADLINE_TICK_MS, ms));
  });
  return Promise.race([work.finally(() => (settled = true)), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Connects to PostgreSQL when `DATABASE_URL` (or `options.databaseUrl`) is set, otherwise to the
 * embedded PGlite database in `NARAVARD_DATA_DIR` (default `.naravard/data`). Same Drizzle API either way.
 */
export async function connect(options: ConnectOptions = {}): Promise<Connection> {
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  // Drizzle tells its logger of every statement before sending it: a scoped handle's logger
  // refuses a statement of work that was stopped (its request ran out of time, or its client left).
  const onQuery = options.onQuery;
  const logger = { logQuery: (query: string) => onQuery?.(query) };

  if (databaseUrl) {
    const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    // The PostgreSQL driver is loaded only for PostgreSQL, as PGlite only for the embedded database.
    const [{ default: driver }, { drizzle: drizzlePostgres }] = await Promise.all([import('postgres'), import('drizzle-orm/postgres-js')]);
    const client = preparesRepeatedStatements(
      openPostgres(driver, databaseUrl, {
        max: options.maxConnections ?? 10,
        connect_timeout: connectTimeoutMs / 1000,
        // Reconnect soon after an outage: the default backoff grows to 20 s between attempts.
        backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
        onnotice: () => {},
        connection: { statement_timeout: statementTimeoutMs, application_name: 'naravard', ...SESSION_SETTINGS },
      }),
    );
    const db = drizzlePostgres(client, { schema, ...(onQuery ? { logger } : {}) }) as unknown as Database;
    // Health checks on a connection of their own, so a pool busy with long queries does not look
    // like an outage.
    let healthConnected = false;
    let healthConnecting: Promise<void> | null = null;
    const health = openPostgres(driver, databaseUrl, {
      max: 1,
      connect_timeout: connectTimeoutMs / 1000,
      backoff: () => 0.05,
      onnotice: () => {},
      onclose: () => {
        healthConnected = false;
      },
      connection: { application_name: 'naravard-health' },
    });
    return {
      db,
      scoped: (scope) => rebindDatabase(db, scopedPostgresClient(client, scope), scopedLogger(scope, onQuery)),
      driver: 'postgres',
      async readSnapshot() {
        const reserved = await client.reserve();
        let open = true;
        const close = async () => {
          if (!open) return;
          open = false;
          try {
            await reserved`rollback`;
          } finally {
            reserved.release();
          }
        };
        try {
          await reserved`begin isolation level repeatable read read only`;
          await reserved`set local statement_timeout = 0`;
          await reserved.unsafe(`set local idle_in_transaction_session_timeout = '${SNAPSHOT_IDLE_TIMEOUT}'`);
        } catch (error) {
          await close().catch(() => {});
          throw error;
        }
        return {
          async rows(query) {
            const { sql: text, params } = renderStatement(query);
            options.onQuery?.(text);
            return (await reserved.unsafe(text, params as never[]).values()) as unknown as unknown[][];
          },
          async *cursor(query, batchSize) {
            const { sql: text, params } = renderStatement(query);
            options.onQuery?.(text);
            for await (const batch of reserved.unsafe(text, params as never[]).values().cursor(batchSize)) {
              yield batch as unknown as unknown[][];
            }
          },
          close,
        };
      },
      ping: async () => {
        if (healthConnected) {
          await health`select 1`;
          return;
        }
        // Opening the connection must end within the connect timeout. postgres.js retries at once,
        // and without end, a connection the server closes before it is ready (a proxy or load
        // balancer whose database is gone accepts and closes), and its own connect timeout is
        // restarted with each try: the check would wait as long as its caller lets it.
        healthConnecting ??= health`select 1`.then(
          () => {
            healthConnected = true;
          },
        ).finally(() => (healthConnecting = null));
        await deadline(healthConnecting, Math.min(connectTimeoutMs, HEALTH_CONNECT_DEADLINE_MS));
      },
      // Queries still running after this are cut off: a stop must end (the drain limit already waited).
      close: async () => {
        await Promise.all([client.end({ timeout: 2 }), health.end({ timeout: 1 })]);
      },
    };
  }

  const dataDir = options.dataDir ?? process.env.NARAVARD_DATA_DIR ?? DEFAULT_DATA_DIR;
  let unlock = async () => {};
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
    unlock = await lockDataFolder(dataDir);
  }
  let client: PGlite;
  let drizzlePglite: typeof import('drizzle-orm/pglite').drizzle;
  try {
    const embedded = await loadEmbedded();
    drizzlePglite = embedded.drizzle;
    const cache = options.embeddedCacheMb;
    client = await embedded.PGlite.create(dataDir, {
      extensions: { unaccent: embedded.unaccent, pg_trgm: embedded.pg_trgm },
      ...(cache ? { startParams: [...embedded.PGlite.defaultStartParams, '-c', `shared_buffers=${Math.trunc(cache)}MB`] } : {}),
    });
  } catch (error) {
    await unlock();
    throw error;
  }
  await client.exec(`SET statement_timeout = ${Math.trunc(statementTimeoutMs)}`);
  for (const [name, value] of Object.entries(SESSION_SETTINGS)) await client.exec(`SET ${name} = ${value}`);
  // Statements are counted where they are sent (for scoped work, after the pause and check before each one).
  const db = drizzlePglite(reportingPgliteClient(client, onQuery), { schema }) as unknown as Database;
  const gate = new PriorityGate();
  const pglite = client;
  return {
    db,
    scoped: (scope) => rebindDatabase(db, scopedPgliteClient(pglite, scope, gate, onQuery), scopedLogger(scope)),
    driver: 'pglite',
    readSnapshot: async () => ({
      async rows(query) {
        const { sql: text, params } = renderStatement(query);
        options.onQuery?.(text);
        return (await client.query<unknown[]>(text, params, { rowMode: 'array' })).rows;
      },
      close: async () => {},
    }),
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        await unlock();
      }
    },
  };
}
