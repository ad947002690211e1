import { and, eq, ne, sql } from 'drizzle-orm';
import * as tables from './schema/index.ts';
import { selectRows } from './sql.ts';
import { type FieldIssue, ValidationError } from './write-errors.ts';
import type { Writer } from './writer.ts';

/* The write rules of organisations and people on stored records, callable without GraphQL. */

/** Refuses an organisation number or municipality code another organisation (deleted ones too: the key is unique) already has. */
export async function requireUniqueOrganisationKeys(
  writer: Writer,
  self: string | null,
  values: { organisationNumber?: string | null; municipalityCode?: string | null },
  path: (string | number)[],
) {
  const o = tables.organisations;
  const issues: FieldIssue[] = [];
  for (const field of ['organisationNumber', 'municipalityCode'] as const) {
    const value = values[field];
    if (!value) continue;
    const [other] = await writer.tx
      .select({ name: o.name, deletedAt: o.deletedAt })
      .from(o)
      .where(and(eq(o[field], value), self ? ne(o.id, self) : undefined));
    if (other) {
      issues.push({
        path: [...path, field],
        message: `${other.name}${other.deletedAt ? ' (deleted)' : ''} already has ${field === 'organisationNumber' ? 'the organisation number' : 'the municipality code'} ${value}`,
      });
    }
  }
  if (issues.length) throw new ValidationError(issues);
}

/** Refuses a parent that is the organisation itself or sits (at any depth) under it. */
export async function requireNoOrganisationCycle(writer: Writer, id: string, parentId: string, path: (string | number)[]) {
  if (parentId === id) throw new ValidationError([{ path, message: 'an organisation cannot be its own parent' }]);
  const o = tables.organisations;
  const rows = await selectRows<{ name: string }>(
    writer.tx,
    sql`with recursive ancestors(id, parent_id, name) as (
          select ${o.id}, ${o.parentId}, ${o.name} from ${o} where ${o.id} = ${parentId}
          union
          select parent.id, parent.parent_id, parent.name from ${o} parent join ancestors on parent.id = ancestors.parent_id
        )
        select name from ancestors where id = ${id}`,
  );
  if (rows.length) {
    throw new ValidationError([{ path, message: 'the new parent sits under this organisation: that would make a cycle' }]);
  }
}

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
