import { allocationRulesBroken, grantRulesBroken, tables } from '@naravard/db';
import { z } from 'zod';
import { ruledInput, ruledPatch } from '../../ruled-inputs.ts';
import { rules } from '../../writes.ts';
import { CitationInput, citationList } from '../citations.ts';
import { GrantStatus } from './read.ts';

/* The inputs of writes to grant programmes, grants and allocations; their rules are in @naravard/db (grants.ts). */

// Money is given as a string ("51900000", "148.50"): exact, never a binary float, at most two
// decimals (öre), never negative.

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
