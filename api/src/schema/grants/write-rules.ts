import { tables } from '@naravard/db';
import { and, eq, isNull, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { type FieldIssue, ValidationError } from '../../errors.ts';
import { ruledInput, ruledPatch } from '../../ruled-inputs.ts';
import { rules, type Writer } from '../../writes.ts';
import { CitationInput, citationList } from '../citations.ts';
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

const programmeRules = {
  name: rules.text(300),
  legalBasis: rules.text(300).nullish(),
  grantor: rules.globalId('Organisation').nullish(),
  description: rules.text(20_000).nullish(),
};

export const CreateGrantProgrammeInput = ruledInput('CreateGrantProgrammeInput', {
  description: 'A grant programme (statsbidrag, satsning).',
  fields: {
    name: { type: 'String', description: 'The name of the programme ("Statsbidrag för nära vård"), at most 300 characters.', rule: programmeRules.name },
    legalBasis: {
      type: 'String',
      description: 'The legal basis: an ordinance ("SFS 2024:1253") or an agreement (överenskommelse).',
      rule: programmeRules.legalBasis,
    },
    grantor: { type: 'ID', description: 'Who grants the money (Organisation ID).', rule: programmeRules.grantor },
    description: { type: 'String', description: 'What the programme is for and how it works (at most 20 000 characters).', rule: programmeRules.description },
    topics: { type: ['String'], description: 'Topic slugs to tag the programme with.', rule: rules.list(rules.topics) },
    citations: { type: [CitationInput.ref], description: 'Passages supporting the programme record.', rule: rules.list(citationList) },
  },
});

export const GrantProgrammePatch = ruledPatch('GrantProgrammePatch', {
  description: 'Fields of a grant programme to change; fields left out stay as they are, null clears an optional field.',
  fields: {
    name: { type: 'String', description: 'New name.', rule: programmeRules.name },
    legalBasis: { type: 'String', description: 'New legal basis.', rule: programmeRules.legalBasis },
    grantor: { type: 'ID', description: 'New grantor (Organisation ID).', rule: programmeRules.grantor },
    description: { type: 'String', description: 'New description.', rule: programmeRules.description },
  },
});

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

const grantRules = {
  programme: rules.globalId('GrantProgramme'),
  recipientRegion: rules.regionCode.nullish(),
  recipientOrganisation: rules.globalId('Organisation').nullish(),
  period: rules.period,
  amountSek: rules.sek.nullish(),
  status: z.enum(tables.grantStatus.enumValues),
  requisitionDueOn: rules.date.nullish(),
  description: rules.text(20_000).nullish(),
};

export const CreateGrantInput = ruledInput('CreateGrantInput', {
  description: 'An amount granted under a programme to a region, an organisation or both, for a period.',
  fields: {
    programme: { type: 'ID', description: 'The programme the grant is made under (GrantProgramme ID).', rule: grantRules.programme },
    recipientRegion: {
      type: 'String',
      description: 'SCB county code of the region that receives it ("07"); this or recipientOrganisation is required.',
      rule: grantRules.recipientRegion,
    },
    recipientOrganisation: { type: 'ID', description: 'The organisation that receives it (Organisation ID).', rule: grantRules.recipientOrganisation },
    period: { type: 'Period', description: 'The year, quarter or month the grant is for ("2025").', rule: grantRules.period },
    amountSek: {
      type: 'String',
      description: 'The amount in SEK as a string, exact: digits with at most two decimals, not negative ("51900000", "148.50").',
      rule: grantRules.amountSek,
    },
    status: { type: GrantStatus, description: 'Requested, awarded or paid.', rule: grantRules.status },
    requisitionDueOn: { type: 'Date', description: 'The last day to requisition (rekvirera) the money.', rule: grantRules.requisitionDueOn },
    description: { type: 'String', description: 'What the records say about the grant (at most 20 000 characters).', rule: grantRules.description },
    amountIsApproximate: {
      type: 'Boolean',
      description: 'True when the records give the amount as approximate ("cirka 46 miljoner"); false if left out.',
      rule: z
        .boolean()
        .nullish()
        .transform((value) => value ?? false),
    },
    citations: { type: [CitationInput.ref], description: 'Passages supporting the grant.', rule: rules.list(citationList) },
  },
  check: (grant, context) => {
    for (const rule of grantRulesBroken({
      hasRecipientRegion: Boolean(grant.recipientRegion),
      hasRecipientOrganisation: Boolean(grant.recipientOrganisation),
      amountSek: grant.amountSek,
      amountIsApproximate: grant.amountIsApproximate,
    })) {
      context.addIssue({ code: 'custom', message: rule.message, path: [rule.field] });
    }
  },
});

export const GrantPatch = ruledPatch('GrantPatch', {
  description:
    'Fields of a grant to change, e.g. its status as it moves from requested to awarded to paid; fields left out stay as they are, null clears an optional field.',
  fields: {
    programme: { type: 'ID', description: 'New programme (GrantProgramme ID).', rule: grantRules.programme },
    recipientRegion: { type: 'String', description: 'New recipient region (SCB county code); null clears it.', rule: grantRules.recipientRegion },
    recipientOrganisation: {
      type: 'ID',
      description: 'New recipient organisation (Organisation ID); null clears it.',
      rule: grantRules.recipientOrganisation,
    },
    period: { type: 'Period', description: 'New period.', rule: grantRules.period },
    amountSek: {
      type: 'String',
      description: 'New amount in SEK as a string, at most two decimals, not negative; null clears it.',
      rule: grantRules.amountSek,
    },
    status: { type: GrantStatus, description: 'New status.', rule: grantRules.status },
    requisitionDueOn: { type: 'Date', description: 'New last day to requisition.', rule: grantRules.requisitionDueOn },
    description: { type: 'String', description: 'New description.', rule: grantRules.description },
    amountIsApproximate: { type: 'Boolean', description: 'Whether the amount is approximate.', rule: z.boolean() },
  },
});

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

const allocationRules = {
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

export const CreateAllocationInput = ruledInput('CreateAllocationInput', {
  description:
    'Money passed on from a grant or a programme: a fixed amount, a rate (with its unit), or a ceiling (with its unit); at least one of the three.',
  fields: {
    grant: { type: 'ID', description: allocationInputFields.grant, rule: allocationRules.grant },
    programme: { type: 'ID', description: allocationInputFields.programme, rule: allocationRules.programme },
    fromOrganisation: { type: 'ID', description: allocationInputFields.fromOrganisation, rule: allocationRules.fromOrganisation },
    recipientOrganisation: { type: 'ID', description: allocationInputFields.recipientOrganisation, rule: allocationRules.recipientOrganisation },
    recipientDescription: { type: 'String', description: allocationInputFields.recipientDescription, rule: allocationRules.recipientDescription },
    region: { type: 'String', description: allocationInputFields.region, rule: allocationRules.region },
    period: { type: 'Period', description: 'The year, quarter or month ("2024-09").', rule: allocationRules.period },
    amountSek: { type: 'String', description: allocationInputFields.amountSek, rule: allocationRules.amountSek },
    rateSek: { type: 'String', description: allocationInputFields.rateSek, rule: allocationRules.rateSek },
    rateMaxSek: { type: 'String', description: allocationInputFields.rateMaxSek, rule: allocationRules.rateMaxSek },
    rateUnit: { type: 'String', description: allocationInputFields.rateUnit, rule: allocationRules.rateUnit },
    capSek: { type: 'String', description: allocationInputFields.capSek, rule: allocationRules.capSek },
    capUnit: { type: 'String', description: allocationInputFields.capUnit, rule: allocationRules.capUnit },
    paidOn: { type: 'Date', description: 'When the money was paid out.', rule: allocationRules.paidOn },
    description: { type: 'String', description: allocationInputFields.description, rule: allocationRules.description },
    citations: { type: [CitationInput.ref], description: 'Passages supporting the allocation.', rule: rules.list(citationList) },
  },
  check: (allocation, context) => {
    for (const rule of allocationRulesBroken(allocation)) context.addIssue({ code: 'custom', message: rule.message, path: [rule.field] });
  },
});

export const AllocationPatch = ruledPatch('AllocationPatch', {
  description:
    'Fields of an allocation to change; fields left out stay as they are, null clears one. The result must still have a source, an amount, a rate or a ceiling, and units for its rate and ceiling.',
  fields: {
    grant: { type: 'ID', description: `New grant. ${allocationInputFields.grant}`, rule: allocationRules.grant },
    programme: { type: 'ID', description: `New programme. ${allocationInputFields.programme}`, rule: allocationRules.programme },
    fromOrganisation: { type: 'ID', description: `New ${allocationInputFields.fromOrganisation}`, rule: allocationRules.fromOrganisation },
    recipientOrganisation: { type: 'ID', description: `New ${allocationInputFields.recipientOrganisation}`, rule: allocationRules.recipientOrganisation },
    recipientDescription: {
      type: 'String',
      description: `New recipient description. ${allocationInputFields.recipientDescription}`,
      rule: allocationRules.recipientDescription,
    },
    region: { type: 'String', description: `New region. ${allocationInputFields.region}`, rule: allocationRules.region },
    period: { type: 'Period', description: 'New period.', rule: allocationRules.period },
    amountSek: { type: 'String', description: `New amount. ${allocationInputFields.amountSek}`, rule: allocationRules.amountSek },
    rateSek: { type: 'String', description: `New rate. ${allocationInputFields.rateSek}`, rule: allocationRules.rateSek },
    rateMaxSek: { type: 'String', description: `New upper end of the rate. ${allocationInputFields.rateMaxSek}`, rule: allocationRules.rateMaxSek },
    rateUnit: { type: 'String', description: `New rate unit. ${allocationInputFields.rateUnit}`, rule: allocationRules.rateUnit },
    capSek: { type: 'String', description: `New ceiling. ${allocationInputFields.capSek}`, rule: allocationRules.capSek },
    capUnit: { type: 'String', description: `New ceiling unit. ${allocationInputFields.capUnit}`, rule: allocationRules.capUnit },
    paidOn: { type: 'Date', description: 'New payment date.', rule: allocationRules.paidOn },
    description: { type: 'String', description: 'New description.', rule: allocationRules.description },
  },
});

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
