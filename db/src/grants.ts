import { and, eq, isNull, type SQL } from 'drizzle-orm';
import * as tables from './schema/index.ts';
import { type FieldIssue, ValidationError } from './write-errors.ts';
import type { Writer } from './writer.ts';

/* The write rules of grant programmes, grants and allocations, callable without GraphQL. */

// Money is given as a string ("51900000", "148.50"): exact, never a binary float, at most two
// decimals (öre), never negative. A programme or a grant that money is still recorded against
// (live grants or allocations) cannot be deleted: delete those first. A grant or an allocation
// cannot be restored while what it comes from is deleted.

/** An amount in SEK as written: exact, not negative, at most 16 digits and two decimals (öre). */
export const SEK_AMOUNT = /^[0-9]{1,16}(\.[0-9]{1,2})?$/;

/** A rule broken by a combination of fields, named by the field to fix. */
export interface Broken {
  field: string;
  message: string;
}

/** Throws the broken rules as one ValidationError, each under `prefix` ("input" or "patch"). */
export function refuseBrokenRules(broken: Broken[], prefix: string) {
  if (broken.length > 0) throw new ValidationError(broken.map((rule): FieldIssue => ({ path: [prefix, rule.field], message: rule.message })));
}

/** An amount in öre, for exact comparison; null unless it is a valid SEK amount. */
export function oreOf(amount: string | null | undefined): bigint | null {
  if (amount === null || amount === undefined || !SEK_AMOUNT.test(amount)) return null;
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole!) * 100n + BigInt(`${fraction}00`.slice(0, 2));
}

/** The value after a patch: the patched one when given (null included), else the current one. */
export const valueAfterPatch = <T>(patched: T | undefined, current: T) => (patched === undefined ? current : patched);

// Grants

/** What the rules of a grant look at, as it is after the write. */
export interface GrantShape {
  hasRecipientRegion: boolean;
  hasRecipientOrganisation: boolean;
  amountSek: string | null | undefined;
  amountIsApproximate: boolean;
}

/** The rules a grant breaks: it needs a recipient, and only an amount can be approximate. */
export function grantRulesBroken(grant: GrantShape): Broken[] {
  const broken: Broken[] = [];
  if (!grant.hasRecipientRegion && !grant.hasRecipientOrganisation) {
    broken.push({ field: 'recipientRegion', message: 'a grant goes to a region (recipientRegion), an organisation (recipientOrganisation), or both' });
  }
  if (grant.amountIsApproximate && (grant.amountSek === null || grant.amountSek === undefined)) {
    broken.push({ field: 'amountIsApproximate', message: 'only an amount can be approximate: give amountSek too' });
  }
  return broken;
}

// Allocations

/** What the rules of an allocation look at, as it is after the write. */
export interface AllocationShape {
  grant?: string | null | undefined;
  programme?: string | null | undefined;
  amountSek?: string | null | undefined;
  rateSek?: string | null | undefined;
  rateMaxSek?: string | null | undefined;
  rateUnit?: string | null | undefined;
  capSek?: string | null | undefined;
  capUnit?: string | null | undefined;
}

const given = (value: string | null | undefined) => value !== null && value !== undefined;

/**
 * The rules an allocation breaks: it needs a source (grant or programme), an amount, a rate or a
 * ceiling, units for its rate and ceiling (and none without them), and an ordered rate range.
 */
export function allocationRulesBroken(allocation: AllocationShape): Broken[] {
  const broken: Broken[] = [];
  if (!given(allocation.grant) && !given(allocation.programme)) {
    broken.push({ field: 'grant', message: 'money is passed on from a grant, a programme, or both: give grant or programme' });
  }
  if (!given(allocation.amountSek) && !given(allocation.rateSek) && !given(allocation.capSek)) {
    broken.push({ field: 'amountSek', message: 'an allocation needs an amount (amountSek), a rate (rateSek) or a ceiling (capSek)' });
  }
  if (given(allocation.rateSek) && !given(allocation.rateUnit)) {
    broken.push({ field: 'rateUnit', message: 'a rate needs its unit, e.g. "listed patient"' });
  }
  if (!given(allocation.rateSek) && given(allocation.rateUnit)) {
    broken.push({ field: 'rateUnit', message: 'a rate unit needs a rate (rateSek)' });
  }
  if (given(allocation.rateMaxSek)) {
    const low = oreOf(allocation.rateSek);
    const high = oreOf(allocation.rateMaxSek);
    if (!given(allocation.rateSek)) {
      broken.push({ field: 'rateMaxSek', message: 'the upper end of a rate range needs its lower end (rateSek)' });
    } else if (low !== null && high !== null && low > high) {
      broken.push({ field: 'rateMaxSek', message: 'the upper end of the rate range must not be below its lower end (rateSek)' });
    }
  }
  if (given(allocation.capSek) && !given(allocation.capUnit)) {
    broken.push({ field: 'capUnit', message: 'a ceiling needs its unit, e.g. "health centre and year"' });
  }
  if (!given(allocation.capSek) && given(allocation.capUnit)) {
    broken.push({ field: 'capUnit', message: 'a ceiling unit needs a ceiling (capSek)' });
  }
  return broken;
}

// Rules on stored records

/** When both are named, the grant must be made under the programme. */
export async function requireGrantUnderProgramme(writer: Writer, grantId: string | null, programmeId: string | null, path: (string | number)[]) {
  if (!grantId || !programmeId) return;
  const [grant] = await writer.tx.select({ programmeId: tables.grants.programmeId }).from(tables.grants).where(eq(tables.grants.id, grantId));
  if (grant && grant.programmeId !== programmeId) {
    throw new ValidationError([{ path, message: 'the grant is made under another programme; give the grant’s own programme or leave programme out' }]);
  }
}

/** Refuses to delete a source of money while live records are still recorded against it. */
export async function requireNothingAgainst(writer: Writer, what: string, dependants: { label: string; count: () => Promise<number> }[]) {
  const counts = await Promise.all(dependants.map(async ({ label, count }) => ({ label, count: await count() })));
  const remaining = counts.filter(({ count }) => count > 0);
  if (remaining.length > 0) {
    throw new ValidationError([
      {
        path: ['id'],
        message: `the ${what} still has ${remaining.map(({ label, count }) => `${count} live ${label}`).join(' and ')}: delete those first`,
      },
    ]);
  }
}

/** How many live (not deleted) grants or allocations match `where`. */
export async function liveRowCount(writer: Writer, table: typeof tables.grants | typeof tables.allocations, where: SQL) {
  const rows = await writer.tx.select({ id: table.id }).from(table).where(and(isNull(table.deletedAt), where));
  return rows.length;
}

/** Refuses to restore a record whose source of money is deleted. */
export async function requireLiveSources(writer: Writer, sources: { entity: 'Grant' | 'GrantProgramme'; id: string | null }[]) {
  for (const { entity, id } of sources) {
    if (!id) continue;
    const table = entity === 'Grant' ? tables.grants : tables.grantProgrammes;
    const [row] = await writer.tx.select({ deletedAt: table.deletedAt }).from(table).where(eq(table.id, id));
    if (row?.deletedAt) {
      const name = entity === 'Grant' ? 'grant' : 'programme';
      throw new ValidationError([{ path: ['id'], message: `its ${name} is deleted: restore the ${name} first` }]);
    }
  }
}
