import { z } from 'zod';
import { builder } from '../../builder.ts';
import { rules, type Writer } from '../../writes.ts';
import { CitationInput } from '../citations.ts';
import type { RecommendationRow } from '../refs.ts';

/* The input rules of audit writes; the rules on stored records (db/src/audits.ts): an audit owns its recommendations and responses, a response its parts. */

const ordinalRule = z.number().int().min(1, 'recommendations are numbered from 1').max(1000, 'must be at most 1000');

export const recommendationRules = z.object({
  ordinal: ordinalRule,
  text: rules.text(5000),
  topics: rules.list(rules.topics),
  citations: rules.list(rules.citations()),
});

const auditFields = {
  title: rules.text(500),
  auditor: rules.globalId('Organisation').nullish(),
  audited: rules.globalId('Organisation').nullish(),
  region: rules.regionCode.nullish(),
  reportedOn: rules.date.nullish(),
  summary: rules.text(20_000).nullish(),
};

export const createAuditRules = z
  .object({
    ...auditFields,
    topics: rules.list(rules.topics),
    citations: rules.list(rules.citations()),
    recommendations: rules.list(z.array(recommendationRules).max(100, 'at most 100 recommendations')),
  })
  .superRefine((audit, context) => {
    const seen = new Set<number>();
    audit.recommendations.forEach((recommendation, index) => {
      if (seen.has(recommendation.ordinal)) {
        context.addIssue({ code: 'custom', message: `ordinal ${recommendation.ordinal} is used twice`, path: ['recommendations', index, 'ordinal'] });
      }
      seen.add(recommendation.ordinal);
    });
  });

export const auditPatchRules = z.object(auditFields).partial().strict();
export const recommendationPatchRules = z.object({ ordinal: ordinalRule, text: rules.text(5000) }).partial().strict();

const answerFields = {
  actionsTaken: rules.text(20_000).nullish(),
  plannedActions: rules.text(20_000).nullish(),
  timeline: rules.text(20_000).nullish(),
  otherComments: rules.text(20_000).nullish(),
};
type Answer = { actionsTaken?: string | null; plannedActions?: string | null; timeline?: string | null; otherComments?: string | null };
export const ANSWER_REQUIRED = 'a part answers with at least one of actionsTaken, plannedActions, timeline and otherComments';
export const answers = (part: Answer) => Boolean(part.actionsTaken || part.plannedActions || part.timeline || part.otherComments);

const partRules = z
  .object({ recommendation: rules.globalId('Recommendation'), ...answerFields, citations: rules.list(rules.citations()) })
  .refine(answers, { message: ANSWER_REQUIRED, path: ['actionsTaken'] });

const responseFields = {
  respondent: rules.globalId('Organisation').nullish(),
  respondedOn: rules.date.nullish(),
  document: rules.globalId('Document').nullish(),
  caseOfficer: rules.globalId('Person').nullish(),
  signatory: rules.globalId('Person').nullish(),
  summary: rules.text(20_000).nullish(),
};

export const recordResponseRules = z
  .object({
    audit: rules.globalId('Audit'),
    ...responseFields,
    parts: rules.list(z.array(partRules).max(100, 'at most 100 parts')),
    citations: rules.list(rules.citations()),
  })
  .superRefine((response, context) => {
    const seen = new Set<string>();
    response.parts.forEach((part, index) => {
      if (seen.has(part.recommendation)) {
        context.addIssue({ code: 'custom', message: 'a response answers each recommendation in one part only', path: ['parts', index, 'recommendation'] });
      }
      seen.add(part.recommendation);
    });
  });

export const responsePatchRules = z.object(responseFields).partial().strict();
export const partPatchRules = z.object(answerFields).partial().strict();

export const RecommendationInput = builder.inputType('RecommendationInput', {
  description: 'A numbered recommendation (rekommendation) of an audit.',
  fields: (t) => ({
    ordinal: t.int({ required: true, description: 'The number of the recommendation in the report (1, 2, …), unique within the audit.' }),
    text: t.string({ required: true, description: 'The recommendation as the report words it (at most 5000 characters).' }),
    topics: t.stringList({ description: 'Topic slugs to tag the recommendation with.' }),
    citations: t.field({ type: [CitationInput], description: 'Passages supporting the recommendation.' }),
  }),
});

export const CreateAuditInput = builder.inputType('CreateAuditInput', {
  description: 'An audit (granskning) with its numbered recommendations, recorded in one call.',
  fields: (t) => ({
    title: t.string({ required: true, description: 'The title of the audit report (at most 500 characters).' }),
    auditor: t.id({ description: 'Who audited: the auditors (revisorerna), an Organisation ID.' }),
    audited: t.id({ description: 'The body the audit is addressed to (granskad nämnd), an Organisation ID.' }),
    region: t.string({ description: 'SCB county code of the audited region ("07").' }),
    reportedOn: t.field({ type: 'Date', description: 'The date of the audit report (revisionsrapport).' }),
    summary: t.string({ description: 'The findings and overall assessment, condensed (at most 20 000 characters).' }),
    recommendations: t.field({ type: [RecommendationInput], description: 'The recommendations, each with a unique number.' }),
    topics: t.stringList({ description: 'Topic slugs to tag the audit with.' }),
    citations: t.field({ type: [CitationInput], description: 'Passages supporting the audit record.' }),
  }),
});

export const AuditPatch = builder.inputType('AuditPatch', {
  description: 'Fields of an audit to change; fields left out stay as they are, null clears an optional field.',
  fields: (t) => ({
    title: t.string({ description: 'New title.' }),
    auditor: t.id({ description: 'New auditors (Organisation ID).' }),
    audited: t.id({ description: 'New audited body (Organisation ID).' }),
    region: t.string({ description: 'New region (SCB county code).' }),
    reportedOn: t.field({ type: 'Date', description: 'New report date.' }),
    summary: t.string({ description: 'New summary.' }),
  }),
});

export const RecommendationPatch = builder.inputType('RecommendationPatch', {
  description: 'Fields of a recommendation to change; fields left out stay as they are.',
  fields: (t) => ({
    ordinal: t.int({ description: 'New number, unique within the audit.' }),
    text: t.string({ description: 'New wording.' }),
  }),
});

const RecommendationResponseInput = builder.inputType('RecommendationResponseInput', {
  description:
    'The answer to one recommendation, in the four parts the auditors ask for; at least one of them must be given.',
  fields: (t) => ({
    recommendation: t.id({ required: true, description: 'The recommendation answered (ID); it must belong to the audit answered.' }),
    actionsTaken: t.string({ description: 'Actions taken so far (hittills vidtagna åtgärder).' }),
    plannedActions: t.string({ description: 'Planned actions (planerade åtgärder).' }),
    timeline: t.string({ description: 'When the planned actions are to be done (tidplan).' }),
    otherComments: t.string({ description: 'Other comments (eventuella andra synpunkter).' }),
    citations: t.field({ type: [CitationInput], description: 'Passages supporting this part of the answer.' }),
  }),
});

export const RecordAuditResponseInput = builder.inputType('RecordAuditResponseInput', {
  description: "The audited body's answer to an audit (revisionssvar), with one part per recommendation answered, recorded in one call.",
  fields: (t) => ({
    audit: t.id({ required: true, description: 'The audit answered (ID).' }),
    respondent: t.id({ description: 'The body that answered (Organisation ID).' }),
    respondedOn: t.field({ type: 'Date', description: 'The date of the answer.' }),
    document: t.id({ description: 'The document holding the answer (Document ID).' }),
    caseOfficer: t.id({ description: 'The case officer (handläggare) who prepared it (Person ID).' }),
    signatory: t.id({ description: 'Who signed it (Person ID).' }),
    summary: t.string({ description: 'The answer in brief (at most 20 000 characters).' }),
    parts: t.field({ type: [RecommendationResponseInput], description: 'The answers to the recommendations, at most one per recommendation.' }),
    citations: t.field({ type: [CitationInput], description: 'Passages supporting the response record.' }),
  }),
});

export const AuditResponsePatch = builder.inputType('AuditResponsePatch', {
  description: 'Fields of an audit response to change; fields left out stay as they are, null clears a field.',
  fields: (t) => ({
    respondent: t.id({ description: 'New respondent (Organisation ID).' }),
    respondedOn: t.field({ type: 'Date', description: 'New date.' }),
    document: t.id({ description: 'New document (Document ID).' }),
    caseOfficer: t.id({ description: 'New case officer (Person ID).' }),
    signatory: t.id({ description: 'New signatory (Person ID).' }),
    summary: t.string({ description: 'New summary.' }),
  }),
});

export const RecommendationResponsePatch = builder.inputType('RecommendationResponsePatch', {
  description:
    'Fields of the answer to one recommendation to change; fields left out stay, null clears one, and at least one of the four must remain.',
  fields: (t) => ({
    actionsTaken: t.string({ description: 'New actions taken so far.' }),
    plannedActions: t.string({ description: 'New planned actions.' }),
    timeline: t.string({ description: 'New timeline.' }),
    otherComments: t.string({ description: 'New other comments.' }),
  }),
});

export async function createRecommendation(
  writer: Writer,
  auditId: string,
  input: z.output<typeof recommendationRules>,
  path: (string | number)[],
): Promise<RecommendationRow> {
  const recommendation = await writer.create<RecommendationRow>('Recommendation', { auditId, ordinal: input.ordinal, text: input.text });
  await writer.tag('Recommendation', recommendation.id, input.topics, [...path, 'topics']);
  await writer.cite('Recommendation', recommendation.id, input.citations, [...path, 'citations']);
  return recommendation;
}
