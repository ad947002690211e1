import { tables } from '@naravard/db';
import { and, eq, isNull, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { builder } from '../../builder.ts';
import { type FieldIssue, ValidationError } from '../../errors.ts';
import { rules, type Writer } from '../../writes.ts';
import { CitationInput } from '../citations.ts';
import { GrantStatus } from './read.ts';

/* The rules and inputs of writes to grant programmes, grants and allocations. */

// Money is given as a string ("51900000", "148.50"): exact, never a binary float, at most two
// decimals (öre), never negative. A programme or a grant that money is still recorded against
// (live grants or allocations) cannot be deleted: delete those first. A grant or an allocation
// cannot be restored while what it comes from is deleted.

/** A rule broken by a combination of fields, named by the field to fix. */
interface Broken {
  field: string;
  message: string;
}

/** Throws the broken rules as one ValidationError, each under `prefix` ("input" or "patch"). */
export function refuse(broken: Broken[], prefix: string) {
  if (broken.length > 0) throw new ValidationError(broken.map((rule): FieldIssue => ({ path: [prefix, rule.field], message: rule.message })));
}

/** An amount in öre, for exact comparison; null unless it is a valid SEK amount. */
function oreOf(amount: string | null | undefined): bigint | null {
  if (amount === null || amount === undefined || !rules.sek.safeParse(amount).success) return null;
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole!) * 100n + BigInt(`${fraction}00`.slice(0, 2));
}

/** The value after a patch: the patched one when given (null included), else the current one. */
export const after = <T>(patched: T | undefined, current: T) => (patched === undefined ? current : patched);

// Grant programmes

const programmeFields = {
  name: rules.text(300),
  legalBasis: rules.text(300).nullish(),
  grantor: rules.globalId('Organisation').nullish(),
  description: rules.text(20_000).nullish(),
};
export const createProgrammeRules = z.object({ ...programmeFields, topics: rules.list(rules.topics), citations: rules.list(rules.citations()) });
export const programmePatchRules = z.object(programmeFields).partial().strict();

// Grants

interface GrantShape {
  hasRecipientRegion: boolean;
  hasRecipientOrganisation: boolean;
  amountSek: string | null | undefined;
  amountIsApproximate: boolean;
}

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

const grantFields = {
  programme: rules.globalId('GrantProgramme'),
  recipientRegion: rules.regionCode.nullish(),
  recipientOrganisation: rules.globalId('Organisation').nullish(),
  period: rules.period,
  amountSek: rules.sek.nullish(),
  status: z.enum(tables.grantStatus.enumValues),
  requisitionDueOn: rules.date.nullish(),
  description: rules.text(20_000).nullish(),
};

export const createGrantRules = z
  .object({
    ...grantFields,
    amountIsApproximate: z
      .boolean()
      .nullish()
      .transform((value) => value ?? false),
    citations: rules.list(rules.citations()),
  })
  .superRefine((grant, context) => {
    for (const rule of grantRulesBroken({
      hasRecipientRegion: Boolean(grant.recipientRegion),
      hasRecipientOrganisation: Boolean(grant.recipientOrganisation),
      amountSek: grant.amountSek,
      amountIsApproximate: grant.amountIsApproximate,
    })) {
      context.addIssue({ code: 'custom', message: rule.message, path: [rule.field] });
    }
  });

export const grantPatchRules = z.object({ ...grantFields, amountIsApproximate: z.boolean() }).partial().strict();

// Allocations

interface AllocationShape {
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

const allocationFields = {
  grant: rules.globalId('Grant').nullish(),
  programme: rules.globalId('GrantProgramme').nullish(),
  fromOrganisation: rules.globalId('Organisation').nullish(),
  recipientOrganisation: rules.globalId('Organisation').nullish(),
  recipientDescription: rules.text(1000).nullish(),
  region: rules.regionCode.nullish(),
  period: rules.period.nullish(),
  amountSek: rules.sek.nullish(),
  rateSek: rules.sek.nullish(),
  rateMaxSek: rules.sek.nullish(),
  rateUnit: rules.text(200).nullish(),
  capSek: rules.sek.nullish(),
  capUnit: rules.text(200).nullish(),
  paidOn: rules.date.nullish(),
  description: rules.text(20_000).nullish(),
};

export const createAllocationRules = z
  .object({ ...allocationFields, citations: rules.list(rules.citations()) })
  .superRefine((allocation, context) => {
    for (const rule of allocationRulesBroken(allocation)) context.addIssue({ code: 'custom', message: rule.message, path: [rule.field] });
  });

export const allocationPatchRules = z.object(allocationFields).partial().strict();

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

export async function liveCount(writer: Writer, table: typeof tables.grants | typeof tables.allocations, where: SQL) {
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

export const CreateGrantProgrammeInput = builder.inputType('CreateGrantProgrammeInput', {
  description: 'A grant programme (statsbidrag, satsning).',
  fields: (t) => ({
    name: t.string({ required: true, description: 'The name of the programme ("Statsbidrag för nära vård"), at most 300 characters.' }),
    legalBasis: t.string({ description: 'The legal basis: an ordinance ("SFS 2024:1253") or an agreement (överenskommelse).' }),
    grantor: t.id({ description: 'Who grants the money (Organisation ID).' }),
    description: t.string({ description: 'What the programme is for and how it works (at most 20 000 characters).' }),
    topics: t.stringList({ description: 'Topic slugs to tag the programme with.' }),
    citations: t.field({ type: [CitationInput], description: 'Passages supporting the programme record.' }),
  }),
});

export const GrantProgrammePatch = builder.inputType('GrantProgrammePatch', {
  description: 'Fields of a grant programme to change; fields left out stay as they are, null clears an optional field.',
  fields: (t) => ({
    name: t.string({ description: 'New name.' }),
    legalBasis: t.string({ description: 'New legal basis.' }),
    grantor: t.id({ description: 'New grantor (Organisation ID).' }),
    description: t.string({ description: 'New description.' }),
  }),
});

export const CreateGrantInput = builder.inputType('CreateGrantInput', {
  description: 'An amount granted under a programme to a region, an organisation or both, for a period.',
  fields: (t) => ({
    programme: t.id({ required: true, description: 'The programme the grant is made under (GrantProgramme ID).' }),
    recipientRegion: t.string({ description: 'SCB county code of the region that receives it ("07"); this or recipientOrganisation is required.' }),
    recipientOrganisation: t.id({ description: 'The organisation that receives it (Organisation ID).' }),
    period: t.field({ type: 'Period', required: true, description: 'The year, quarter or month the grant is for ("2025").' }),
    amountSek: t.string({
      description: 'The amount in SEK as a string, exact: digits with at most two decimals, not negative ("51900000", "148.50").',
    }),
    amountIsApproximate: t.boolean({ description: 'True when the records give the amount as approximate ("cirka 46 miljoner"); false if left out.' }),
    status: t.field({ type: GrantStatus, required: true, description: 'Requested, awarded or paid.' }),
    requisitionDueOn: t.field({ type: 'Date', description: 'The last day to requisition (rekvirera) the money.' }),
    description: t.string({ description: 'What the records say about the grant (at most 20 000 characters).' }),
    citations: t.field({ type: [CitationInput], description: 'Passages supporting the grant.' }),
  }),
});

export const GrantPatch = builder.inputType('GrantPatch', {
  description:
    'Fields of a grant to change, e.g. its status as it moves from requested to awarded to paid; fields left out stay as they are, null clears an optional field.',
  fields: (t) => ({
    programme: t.id({ description: 'New programme (GrantProgramme ID).' }),
    recipientRegion: t.string({ description: 'New recipient region (SCB county code); null clears it.' }),
    recipientOrganisation: t.id({ description: 'New recipient organisation (Organisation ID); null clears it.' }),
    period: t.field({ type: 'Period', description: 'New period.' }),
    amountSek: t.string({ description: 'New amount in SEK as a string, at most two decimals, not negative; null clears it.' }),
    amountIsApproximate: t.boolean({ description: 'Whether the amount is approximate.' }),
    status: t.field({ type: GrantStatus, description: 'New status.' }),
    requisitionDueOn: t.field({ type: 'Date', description: 'New last day to requisition.' }),
    description: t.string({ description: 'New description.' }),
  }),
});

const allocationInputFields = {
  grant: 'The grant the money comes from (Grant ID); this or programme is required.',
  programme: 'The programme the money comes from (GrantProgramme ID); when grant is given too, it must be the grant’s programme.',
  fromOrganisation: 'The body that passes the money on (Organisation ID).',
  recipientOrganisation: 'The organisation that receives it, when it is one (Organisation ID).',
  recipientDescription: 'Who receives it when that is a group ("Vårdcentralerna i Region Kronoberg"), at most 1000 characters.',
  region: 'SCB county code of the region where the money is passed on ("07").',
  amountSek: 'A fixed amount in SEK as a string: at most two decimals, not negative ("30000000").',
  rateSek: 'A rate in SEK per `rateUnit` as a string ("148"); the lower end when the rate is a range. Needs rateUnit.',
  rateMaxSek: 'The upper end of a rate range ("44" in "4–44 SEK per listed patient"); needs rateSek, not below it.',
  rateUnit: 'What the rate is per ("listed patient").',
  capSek: 'A ceiling in SEK per `capUnit` as a string ("180000"). Needs capUnit.',
  capUnit: 'What the ceiling is per ("health centre and year").',
  description: 'What the allocation is for and its conditions (at most 20 000 characters).',
} as const;

export const CreateAllocationInput = builder.inputType('CreateAllocationInput', {
  description:
    'Money passed on from a grant or a programme: a fixed amount, a rate (with its unit), or a ceiling (with its unit); at least one of the three.',
  fields: (t) => ({
    grant: t.id({ description: allocationInputFields.grant }),
    programme: t.id({ description: allocationInputFields.programme }),
    fromOrganisation: t.id({ description: allocationInputFields.fromOrganisation }),
    recipientOrganisation: t.id({ description: allocationInputFields.recipientOrganisation }),
    recipientDescription: t.string({ description: allocationInputFields.recipientDescription }),
    region: t.string({ description: allocationInputFields.region }),
    period: t.field({ type: 'Period', description: 'The year, quarter or month ("2024-09").' }),
    amountSek: t.string({ description: allocationInputFields.amountSek }),
    rateSek: t.string({ description: allocationInputFields.rateSek }),
    rateMaxSek: t.string({ description: allocationInputFields.rateMaxSek }),
    rateUnit: t.string({ description: allocationInputFields.rateUnit }),
    capSek: t.string({ description: allocationInputFields.capSek }),
    capUnit: t.string({ description: allocationInputFields.capUnit }),
    paidOn: t.field({ type: 'Date', description: 'When the money was paid out.' }),
    description: t.string({ description: allocationInputFields.description }),
    citations: t.field({ type: [CitationInput], description: 'Passages supporting the allocation.' }),
  }),
});

export const AllocationPatch = builder.inputType('AllocationPatch', {
  description:
    'Fields of an allocation to change; fields left out stay as they are, null clears one. The result must still have a source, an amount, a rate or a ceiling, and units for its rate and ceiling.',
  fields: (t) => ({
    grant: t.id({ description: `New grant. ${allocationInputFields.grant}` }),
    programme: t.id({ description: `New programme. ${allocationInputFields.programme}` }),
    fromOrganisation: t.id({ description: `New ${allocationInputFields.fromOrganisation}` }),
    recipientOrganisation: t.id({ description: `New ${allocationInputFields.recipientOrganisation}` }),
    recipientDescription: t.string({ description: `New recipient description. ${allocationInputFields.recipientDescription}` }),
    region: t.string({ description: `New region. ${allocationInputFields.region}` }),
    period: t.field({ type: 'Period', description: 'New period.' }),
    amountSek: t.string({ description: `New amount. ${allocationInputFields.amountSek}` }),
    rateSek: t.string({ description: `New rate. ${allocationInputFields.rateSek}` }),
    rateMaxSek: t.string({ description: `New upper end of the rate. ${allocationInputFields.rateMaxSek}` }),
    rateUnit: t.string({ description: `New rate unit. ${allocationInputFields.rateUnit}` }),
    capSek: t.string({ description: `New ceiling. ${allocationInputFields.capSek}` }),
    capUnit: t.string({ description: `New ceiling unit. ${allocationInputFields.capUnit}` }),
    paidOn: t.field({ type: 'Date', description: 'New payment date.' }),
    description: t.string({ description: 'New description.' }),
  }),
});
