import { tables } from '@naravard/db';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { ValidationError } from '../../errors.ts';
import { rules, type Writer } from '../../writes.ts';

/* Rules shared by the writes of organisations and of people: aliases, and what a delete or a restore must find. */

/** Aliases: each a non-blank text, duplicates dropped; null in a patch clears them. */
export const aliasesRule = z
  .array(rules.text(300))
  .max(50, 'at most 50 aliases')
  .transform((aliases) => [...new Set(aliases)]);

/** Refuses a delete while live records still hang under the record. */
export async function requireNothingLiveUnder(checks: { count: Promise<{ value: number }[]>; what: string }[]) {
  const found: string[] = [];
  for (const check of checks) {
    const [row] = await check.count;
    if (row && row.value > 0) found.push(`${row.value} ${check.what}`);
  }
  if (found.length) {
    throw new ValidationError([{ path: ['id'], message: `still in use by ${found.join(' and ')}; delete or move those first` }]);
  }
}

/** Refuses to restore a record while a record it hangs under is deleted. */
export async function requireLiveOwners(writer: Writer, owners: { entity: 'Organisation' | 'Person'; id: string | null; role: string }[]) {
  for (const owner of owners) {
    if (!owner.id) continue;
    const table = owner.entity === 'Organisation' ? tables.organisations : tables.people;
    const [row] = await writer.tx.select({ name: table.name, deletedAt: table.deletedAt }).from(table).where(eq(table.id, owner.id));
    if (row?.deletedAt) {
      throw new ValidationError([{ path: ['id'], message: `its ${owner.role} ${row.name} is deleted; restore that first` }]);
    }
  }
}
