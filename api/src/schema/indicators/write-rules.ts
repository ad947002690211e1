import { tables } from '@naravard/db';
import { z } from 'zod';
import { ruledInput, ruledPatch } from '../../ruled-inputs.ts';
import { rules } from '../../writes.ts';
import { CitationInput, citationList } from '../citations.ts';
import { IndicatorDirection, TargetComparator } from './periods.ts';

/* The rules and inputs of indicator and target writes. */

/** UPPER_SNAKE_CASE: capitals and digits in words joined by single underscores ("SIP_MEETINGS"). */
const INDICATOR_CODE = /^[A-Z0-9]+(_[A-Z0-9]+)*$/;
const KOLADA_KPI_ID = /^[NU][0-9]{5}$/;

const indicatorCode = z
  .string()
  .max(100, { message: 'must be at most 100 characters', abort: true })
  .regex(INDICATOR_CODE, 'must be UPPER_SNAKE_CASE, e.g. "SIP_MEETINGS"');

const indicatorRules = {
  code: indicatorCode,
  name: rules.text(300),
  description: rules.text(10_000).nullish(),
  unit: rules.text(100),
  direction: z.enum(tables.indicatorDirection.enumValues),
  sourceSystem: rules.text(300).nullish(),
  koladaKpiId: z
    .string()
    .regex(KOLADA_KPI_ID, 'must be a Kolada KPI id: N or U and five digits, e.g. "N79050"')
    .nullish(),
};

/** Valid-from must not come after valid-to, when both are given. */
const datesOrdered = (
  target: { validFrom?: string | null; validTo?: string | null },
  context: z.RefinementCtx,
) => {
  if (target.validFrom && target.validTo && target.validFrom > target.validTo) {
    context.addIssue({ code: 'custom', message: 'validTo must not be before validFrom', path: ['validTo'] });
  }
};

const targetRules = {
  comparator: z.enum(tables.targetComparator.enumValues),
  value: rules.decimal,
  region: rules.regionCode.nullish(),
  validFrom: rules.date.nullish(),
  validTo: rules.date.nullish(),
  basis: rules.text(1000).nullish(),
  description: rules.text(10_000).nullish(),
};

export const CreateIndicatorInput = ruledInput('CreateIndicatorInput', {
  description: 'A new indicator (indikator), with its topics and the passages that support it.',
  fields: {
    code: {
      type: 'String',
      description: 'The stable code, UPPER_SNAKE_CASE ("SIP_MEETINGS"); unique among all indicators, deleted ones included.',
      rule: indicatorRules.code,
    },
    name: { type: 'String', description: 'The name as the sources give it ("Genomförda SIP-möten"), at most 300 characters.', rule: indicatorRules.name },
    description: { type: 'String', description: 'What is counted or measured, and how.', rule: indicatorRules.description },
    unit: { type: 'String', description: 'What a value counts ("meetings", "days"), at most 100 characters.', rule: indicatorRules.unit },
    direction: {
      type: IndicatorDirection,
      description: 'Which way the indicator should move; NEUTRAL if left out.',
      rule: indicatorRules.direction.nullish().transform((direction) => direction ?? 'neutral'),
    },
    sourceSystem: { type: 'String', description: 'The system the values come from ("Nationella väntetidsdatabasen").', rule: indicatorRules.sourceSystem },
    koladaKpiId: { type: 'String', description: 'The Kolada KPI id ("N79050"): N or U and five digits.', rule: indicatorRules.koladaKpiId },
    topics: { type: ['String'], description: 'Topic slugs to tag the indicator with ("follow-up-and-indicators").', rule: rules.list(rules.topics) },
    citations: { type: [CitationInput.ref], description: 'Passages supporting the indicator.', rule: rules.list(citationList) },
  },
});

export const IndicatorPatch = ruledPatch('IndicatorPatch', {
  description: 'Fields of an indicator to change; fields left out stay as they are, null clears an optional field.',
  fields: {
    code: {
      type: 'String',
      description: 'New code, UPPER_SNAKE_CASE and unique. Clients and BI models filter by code: change it only to correct it.',
      rule: indicatorRules.code,
    },
    name: { type: 'String', description: 'New name.', rule: indicatorRules.name },
    description: { type: 'String', description: 'New description; null clears it.', rule: indicatorRules.description },
    unit: { type: 'String', description: 'New unit.', rule: indicatorRules.unit },
    direction: { type: IndicatorDirection, description: 'New direction.', rule: indicatorRules.direction },
    sourceSystem: { type: 'String', description: 'New source system; null clears it.', rule: indicatorRules.sourceSystem },
    koladaKpiId: { type: 'String', description: 'New Kolada KPI id; null clears it.', rule: indicatorRules.koladaKpiId },
  },
});

export const AddIndicatorTargetInput = ruledInput('AddIndicatorTargetInput', {
  description: 'A target (målvärde) for an indicator: national, or set by one region.',
  fields: {
    indicator: { type: 'ID', description: 'The indicator the target is for (an Indicator ID).', rule: rules.globalId('Indicator') },
    comparator: { type: TargetComparator, description: 'How a value is compared with the target value.', rule: targetRules.comparator },
    value: {
      type: 'Decimal',
      description: 'The target value, exact, in the unit of the indicator: at most 15 digits before the point and 8 after.',
      rule: targetRules.value,
    },
    region: {
      type: 'String',
      description: 'SCB county code of the region that set the target ("13"); leave out for a national target.',
      rule: targetRules.region,
    },
    validFrom: { type: 'Date', description: 'First day the target applies.', rule: targetRules.validFrom },
    validTo: { type: 'Date', description: 'Last day the target applies; not before validFrom.', rule: targetRules.validTo },
    basis: { type: 'String', description: 'What sets the target: a law, a bill, a plan ("Lag 2018:1302").', rule: targetRules.basis },
    description: { type: 'String', description: 'The target in words.', rule: targetRules.description },
    citations: { type: [CitationInput.ref], description: 'Passages supporting the target.', rule: rules.list(citationList) },
  },
  check: datesOrdered,
});

export const IndicatorTargetPatch = ruledPatch('IndicatorTargetPatch', {
  description: 'Fields of a target to change; fields left out stay as they are, null clears an optional field.',
  fields: {
    comparator: { type: TargetComparator, description: 'New comparator.', rule: targetRules.comparator },
    value: { type: 'Decimal', description: 'New target value.', rule: targetRules.value },
    region: { type: 'String', description: 'New region (SCB county code); null makes the target national.', rule: targetRules.region },
    validFrom: { type: 'Date', description: 'New first day; null: from the outset.', rule: targetRules.validFrom },
    validTo: { type: 'Date', description: 'New last day; null: while it applies.', rule: targetRules.validTo },
    basis: { type: 'String', description: 'New basis; null clears it.', rule: targetRules.basis },
    description: { type: 'String', description: 'New description; null clears it.', rule: targetRules.description },
  },
  // The dates given must be in order; the patch's dates against the stored ones are checked by updateIndicatorTarget.
  check: datesOrdered,
});
