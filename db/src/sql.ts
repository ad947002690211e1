import type { SQL } from 'drizzle-orm';
import type { Database, Transaction } from './connect.ts';
import { renderStatement } from './render.ts';
import type { DatabaseInternals } from './row-statements.ts';

/**
 * Runs raw SQL and returns its rows, whichever driver is underneath (PGlite and postgres.js shape
 * results differently). It is `db.execute(query)`, with the statement rendered in one pass by the
 * platform's renderer (render.ts), as list pages are, instead of by Drizzle's, which checks every
 * chunk against a chain of classes.
 */
export async function selectRows<Row>(db: Database | Transaction, query: SQL): Promise<Row[]> {
  const result = (await (db as unknown as DatabaseInternals).session.prepareQuery(renderStatement(query), undefined, undefined, false).execute()) as unknown;
  if (Array.isArray(result)) return result as Row[];
  return ((result as { rows?: Row[] }).rows ?? []) as Row[];
}

export interface DatabaseErrorInfo {
  /** SQLSTATE: 23505 unique, 23503 foreign key, 23514 check, 23502 not null, 57014 statement timeout. */
  code: string;
  constraint: string | undefined;
  message: string;
}

/** The PostgreSQL error inside whatever Drizzle or the driver threw, or null if it is not one. */
export function databaseErrorOf(error: unknown): DatabaseErrorInfo | null {
  for (let current = error; current instanceof Error || (current && typeof current === 'object'); ) {
    const candidate = current as { code?: unknown; constraint?: unknown; constraint_name?: unknown; message?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      const constraint = candidate.constraint_name ?? candidate.constraint;
      return {
        code: candidate.code,
        constraint: typeof constraint === 'string' ? constraint : undefined,
        message: String(candidate.message),
      };
    }
    current = candidate.cause;
  }
  return null;
}
