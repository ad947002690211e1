import { tables } from '@naravard/db';
import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/** Periods of grants and allocations, and the programme conditions the grant lists share. */

/**
 * The first day of a period column ("2024" → 2024-01-01, "2024-Q3" → 2024-07-01, "2024-09" →
 * 2024-09-01), so periods of any grain sort and compare by date. NULL for a NULL period.
 */
export function periodStart(column: PgColumn): SQL {
  return sql`make_date(substr(${column}, 1, 4)::int, case when length(${column}) = 4 then 1
    when substr(${column}, 6, 1) = 'Q' then (substr(${column}, 7, 1)::int - 1) * 3 + 1
    else substr(${column}, 6, 2)::int end, 1)`;
}

/** The first day of a period given as an argument ("2024-Q3" → "2024-07-01"), and of the period after it. */
export function periodBounds(period: string): { start: string; next: string } {
  const year = Number(period.slice(0, 4));
  let month = 1;
  let months = 12;
  if (period.length > 4 && period[5] === 'Q') {
    month = (Number(period[6]) - 1) * 3 + 1;
    months = 3;
  } else if (period.length > 4) {
    month = Number(period.slice(5, 7));
    months = 1;
  }
  const day = (y: number, m: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`;
  const after = month - 1 + months;
  return { start: day(year, month), next: day(year + Math.floor(after / 12), (after % 12) + 1) };
}

/**
 * The programme has a live grant to the region or a live allocation in it (made from the
 * programme or from one of its grants); the region by SCB county code.
 */
export function programmeInRegion(programmeId: PgColumn, code: string | null | undefined): SQL | undefined {
  if (!code) return undefined;
  const g = tables.grants;
  const a = tables.allocations;
  const region = sql`(select ${tables.regions.id} from ${tables.regions} where ${tables.regions.code} = ${code})`;
  return sql`(exists (select 1 from ${g} where ${g.programmeId} = ${programmeId} and ${g.recipientRegionId} = ${region} and ${g.deletedAt} is null)
    or exists (select 1 from ${a} left join ${g} on ${g.id} = ${a.grantId}
      where coalesce(${a.programmeId}, ${g.programmeId}) = ${programmeId} and ${a.regionId} = ${region} and ${a.deletedAt} is null))`;
}
