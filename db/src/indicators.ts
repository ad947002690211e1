import { eq } from 'drizzle-orm';
import * as tables from './schema/index.ts';
import { ValidationError } from './write-errors.ts';
import type { Writer } from './writer.ts';

/* The write rules of indicators on stored records, callable without GraphQL. */

/** Refuses a code another indicator (live or deleted: the unique key covers both) already has. */
export async function requireFreeIndicatorCode(writer: Writer, code: string | undefined, path: (string | number)[], ownId?: string) {
  if (code === undefined) return;
  const [holder] = await writer.tx
    .select({ id: tables.indicators.id, deletedAt: tables.indicators.deletedAt })
    .from(tables.indicators)
    .where(eq(tables.indicators.code, code));
  if (!holder || holder.id === ownId) return;
  throw new ValidationError([
    {
      path,
      message: holder.deletedAt
        ? `a deleted indicator has the code "${code}"; an admin can restore it, or choose another code`
        : `an indicator with the code "${code}" already exists`,
    },
  ]);
}
