import { tables } from '@naravard/db';
import { z } from 'zod';
import { builder } from '../../builder.ts';
import { rules } from '../../writes.ts';
import { CitationInput } from '../citations.ts';
import { IndicatorDirection, TargetComparator } from './periods.ts';

/* The rules and inputs of indicator and target writes. */

/** UPPER_SNAKE_CASE: capitals and digits in words joined by single underscores ("SIP_MEETINGS"). */
const INDICATOR_CODE = /^[A-Z0-9]+(_[A-Z0-9]+)*$/;
const KOLADA_KPI_ID = /^[NU][0-9]{5}$/;

const indicatorCode = z
  .string()
  .max(100, { message: 'must be at most 100 characters', abort: true })
  .regex(INDICATOR_CODE, 'must be UPPER_SNAKE_CASE, e.g. "SIP_MEETINGS"');

const indicatorFields = {
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

export const createIndicatorRules = z.object({
  ...indicatorFields,
  direction: indicatorFields.direction.nullish().transform((direction) => direction ?? 'neutral'),
  topics: rules.list(rules.topics),
  citations: rules.list(rules.citations()),
});

export const indicatorPatchRules = z.object(indicatorFields).partial().strict();

/** Valid-from must not come after valid-to, when both are given. */
const datesOrdered = (
  target: { validFrom?: string | null; validTo?: string | null },
  context: z.RefinementCtx,
) => {
  if (target.validFrom && target.validTo && target.validFrom > target.validTo) {
    context.addIssue({ code: 'custom', message: 'validTo must not be before validFrom', path: ['validTo'] });
  }
};

const targetFields = {
  comparator: z.enum(tables.targetComparator.enumValues),
  value: rules.decimal,
  region: rules.regionCode.nullish(),
  validFrom: rules.date.nullish(),
  validTo: rules.date.nullish(),
  basis: rules.text(1000).nullish(),
  description: rules.text(10_000).nullish(),
};

export const addTargetRules = z
  .object({ indicator: rules.globalId('Indicator'), ...targetFields, citations: rules.list(rules.citations()) })
  .superRefine(datesOrdered);

export const targetPatchRules = z.object(targetFields).partial().strict().superRefine(datesOrdered);

export const CreateIndicatorInput = builder.inputType('CreateIndicatorInput', {
  description: 'A new indicator (indikator), with its topics and the passages that support it.',
  fields: (t) => ({
    code: t.string({
      required: true,
      description: 'The stable code, UPPER_SNAKE_CASE ("SIP_MEETINGS"); unique among all indicators, deleted ones included.',
    }),
    name: t.string({ required: true, description: 'The name as the sources give it ("Genomförda SIP-möten"), at most 300 characters.' }),
    description: t.string({ description: 'What is counted or measured, and how.' }),
    unit: t.string({ required: true, description: 'What a value counts ("meetings", "days"), at most 100 characters.' }),
    direction: t.field({ type: IndicatorDirection, description: 'Which way the indicator should move; NEUTRAL if left out.' }),
    sourceSystem: t.string({ description: 'The system the values come from ("Nationella väntetidsdatabasen").' }),
    koladaKpiId: t.string({ description: 'The Kolada KPI id ("N79050"): N or U and five digits.' }),
    topics: t.stringList({ description: 'Topic slugs to tag the indicator with ("follow-up-and-indicators").' }),
    citations: t.field({ type: [CitationInput], description: 'Passages supporting the indicator.' }),
  }),
});

export const IndicatorPatch = builder.inputType('IndicatorPatch', {
  description: 'Fields of an indicator to change; fields left out stay as they are, null clears an optional field.',
  fields: (t) => ({
    code: t.string({ description: 'New code, UPPER_SNAKE_CASE and unique. Clients and BI models filter by code: change it only to correct it.' }),
    name: t.string({ description: 'New name.' }),
    description: t.string({ description: 'New description; null clears it.' }),
    unit: t.string({ description: 'New unit.' }),
    direction: t.field({ type: IndicatorDirection, description: 'New direction.' }),
    sourceSystem: t.string({ description: 'New source system; null clears it.' }),
    koladaKpiId: t.string({ description: 'New Kolada KPI id; null clears it.' }),
  }),
});

export const AddIndicatorTargetInput = builder.inputType('AddIndicatorTargetInput', {
  description: 'A target (målvärde) for an indicator: national, or set by one region.',
  fields: (t) => ({
    indicator: t.id({ required: true, description: 'The indicator the target is for (an Indicator ID).' }),
    comparator: t.field({ type: TargetComparator, required: true, description: 'How a value is compared with the target value.' }),
    value: t.field({
      type: 'Decimal',
      required: true,
      description: 'The target value, exact, in the unit of the indicator: at most 15 digits before the point and 8 after.',
    }),
    region: t.string({ description: 'SCB county code of the region that set the target ("13"); leave out for a national target.' }),
    validFrom: t.field({ type: 'Date', description: 'First day the target applies.' }),
    validTo: t.field({ type: 'Date', description: 'Last day the target applies; not before validFrom.' }),
    basis: t.string({ description: 'What sets the target: a law, a bill, a plan ("Lag 2018:1302").' }),
    description: t.string({ description: 'The target in words.' }),
    citations: t.field({ type: [CitationInput], description: 'Passages supporting the target.' }),
  }),
});

export const IndicatorTargetPatch = builder.inputType('IndicatorTargetPatch', {
  description: 'Fields of a target to change; fields left out stay as they are, null clears an optional field.',
  fields: (t) => ({
    comparator: t.field({ type: TargetComparator, description: 'New comparator.' }),
    value: t.field({ type: 'Decimal', description: 'New target value.' }),
    region: t.string({ description: 'New region (SCB county code); null makes the target national.' }),
    validFrom: t.field({ type: 'Date', description: 'New first day; null: from the outset.' }),
    validTo: t.field({ type: 'Date', description: 'New last day; null: while it applies.' }),
    basis: t.string({ description: 'New basis; null clears it.' }),
    description: t.string({ description: 'New description; null clears it.' }),
  }),
});

