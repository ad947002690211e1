import { z } from 'zod';
import { rules, type Writer } from '../../writes.ts';
import { ruledInput, ruledPatch } from '../../ruled-inputs.ts';
import { CitationInput, citationList } from '../citations.ts';
import type { RecommendationRow } from '../refs.ts';

/* The input rules of audit writes; the rules on stored records (db/src/audits.ts): an audit owns its recommendations and responses, a response its parts. */

const ordinalRule = z.number().int().min(1, 'recommendations are numbered from 1').max(1000, 'must be at most 1000');
const recommendationText = rules.text(5000);
const auditTitle = rules.text(500);
const organisation = rules.globalId('Organisation').nullish();
const person = rules.globalId('Person').nullish();
const document = rules.globalId('Document').nullish();
const region = rules.regionCode.nullish();
const date = rules.date.nullish();
/** A summary, or one of the four parts of an answer. */
const longText = rules.text(20_000).nullish();

type Answer = { actionsTaken?: string | null; plannedActions?: string | null; timeline?: string | null; otherComments?: string | null };
export const ANSWER_REQUIRED = 'a part answers with at least one of actionsTaken, plannedActions, timeline and otherComments';
export const answers = (part: Answer) => Boolean(part.actionsTaken || part.plannedActions || part.timeline || part.otherComments);

export const RecommendationInput = ruledInput('RecommendationInput', {
  description: 'A numbered recommendation (rekommendation) of an audit.',
  fields: {
    ordinal: { type: 'Int', description: 'The number of the recommendation in the report (1, 2, …), unique within the audit.', rule: ordinalRule },
    text: { type: 'String', description: 'The recommendation as the report words it (at most 5000 characters).', rule: recommendationText },
    topics: { type: ['String'], description: 'Topic slugs to tag the recommendation with.', rule: rules.list(rules.topics) },
    citations: { type: [CitationInput.ref], description: 'Passages supporting the recommendation.', rule: rules.list(citationList) },
  },
});

// The fields in the order of the old rules (the schema is printed sorted), so issues keep their order.
export const CreateAuditInput = ruledInput('CreateAuditInput', {
  description: 'An audit (granskning) with its numbered recommendations, recorded in one call.',
  fields: {
    title: { type: 'String', description: 'The title of the audit report (at most 500 characters).', rule: auditTitle },
    auditor: { type: 'ID', description: 'Who audited: the auditors (revisorerna), an Organisation ID.', rule: organisation },
    audited: { type: 'ID', description: 'The body the audit is addressed to (granskad nämnd), an Organisation ID.', rule: organisation },
    region: { type: 'String', description: 'SCB county code of the audited region ("07").', rule: region },
    reportedOn: { type: 'Date', description: 'The date of the audit report (revisionsrapport).', rule: date },
    summary: { type: 'String', description: 'The findings and overall assessment, condensed (at most 20 000 characters).', rule: longText },
    topics: { type: ['String'], description: 'Topic slugs to tag the audit with.', rule: rules.list(rules.topics) },
    citations: { type: [CitationInput.ref], description: 'Passages supporting the audit record.', rule: rules.list(citationList) },
    recommendations: {
      type: [RecommendationInput.ref],
      description: 'The recommendations, each with a unique number.',
      rule: rules.list(z.array(RecommendationInput.rules).max(100, 'at most 100 recommendations')),
    },
  },
  check: (audit, context) => {
    const seen = new Set<number>();
    audit.recommendations.forEach((recommendation, index) => {
      if (seen.has(recommendation.ordinal)) {
        context.addIssue({ code: 'custom', message: `ordinal ${recommendation.ordinal} is used twice`, path: ['recommendations', index, 'ordinal'] });
      }
      seen.add(recommendation.ordinal);
    });
  },
});

export const AuditPatch = ruledPatch('AuditPatch', {
  description: 'Fields of an audit to change; fields left out stay as they are, null clears an optional field.',
  fields: {
    title: { type: 'String', description: 'New title.', rule: auditTitle },
    auditor: { type: 'ID', description: 'New auditors (Organisation ID).', rule: organisation },
    audited: { type: 'ID', description: 'New audited body (Organisation ID).', rule: organisation },
    region: { type: 'String', description: 'New region (SCB county code).', rule: region },
    reportedOn: { type: 'Date', description: 'New report date.', rule: date },
    summary: { type: 'String', description: 'New summary.', rule: longText },
  },
});

export const RecommendationPatch = ruledPatch('RecommendationPatch', {
  description: 'Fields of a recommendation to change; fields left out stay as they are.',
  fields: {
    ordinal: { type: 'Int', description: 'New number, unique within the audit.', rule: ordinalRule },
    text: { type: 'String', description: 'New wording.', rule: recommendationText },
  },
});

const RecommendationResponseInput = ruledInput('RecommendationResponseInput', {
  description:
    'The answer to one recommendation, in the four parts the auditors ask for; at least one of them must be given.',
  fields: {
    recommendation: { type: 'ID', description: 'The recommendation answered (ID); it must belong to the audit answered.', rule: rules.globalId('Recommendation') },
    actionsTaken: { type: 'String', description: 'Actions taken so far (hittills vidtagna åtgärder).', rule: longText },
    plannedActions: { type: 'String', description: 'Planned actions (planerade åtgärder).', rule: longText },
    timeline: { type: 'String', description: 'When the planned actions are to be done (tidplan).', rule: longText },
    otherComments: { type: 'String', description: 'Other comments (eventuella andra synpunkter).', rule: longText },
    citations: { type: [CitationInput.ref], description: 'Passages supporting this part of the answer.', rule: rules.list(citationList) },
  },
  check: (part, context) => {
    if (!answers(part)) context.addIssue({ code: 'custom', message: ANSWER_REQUIRED, path: ['actionsTaken'] });
  },
});

export const RecordAuditResponseInput = ruledInput('RecordAuditResponseInput', {
  description: "The audited body's answer to an audit (revisionssvar), with one part per recommendation answered, recorded in one call.",
  fields: {
    audit: { type: 'ID', description: 'The audit answered (ID).', rule: rules.globalId('Audit') },
    respondent: { type: 'ID', description: 'The body that answered (Organisation ID).', rule: organisation },
    respondedOn: { type: 'Date', description: 'The date of the answer.', rule: date },
    document: { type: 'ID', description: 'The document holding the answer (Document ID).', rule: document },
    caseOfficer: { type: 'ID', description: 'The case officer (handläggare) who prepared it (Person ID).', rule: person },
    signatory: { type: 'ID', description: 'Who signed it (Person ID).', rule: person },
    summary: { type: 'String', description: 'The answer in brief (at most 20 000 characters).', rule: longText },
    parts: {
      type: [RecommendationResponseInput.ref],
      description: 'The answers to the recommendations, at most one per recommendation.',
      rule: rules.list(z.array(RecommendationResponseInput.rules).max(100, 'at most 100 parts')),
    },
    citations: { type: [CitationInput.ref], description: 'Passages supporting the response record.', rule: rules.list(citationList) },
  },
  check: (response, context) => {
    const seen = new Set<string>();
    response.parts.forEach((part, index) => {
      if (seen.has(part.recommendation)) {
        context.addIssue({ code: 'custom', message: 'a response answers each recommendation in one part only', path: ['parts', index, 'recommendation'] });
      }
      seen.add(part.recommendation);
    });
  },
});

export const AuditResponsePatch = ruledPatch('AuditResponsePatch', {
  description: 'Fields of an audit response to change; fields left out stay as they are, null clears a field.',
  fields: {
    respondent: { type: 'ID', description: 'New respondent (Organisation ID).', rule: organisation },
    respondedOn: { type: 'Date', description: 'New date.', rule: date },
    document: { type: 'ID', description: 'New document (Document ID).', rule: document },
    caseOfficer: { type: 'ID', description: 'New case officer (Person ID).', rule: person },
    signatory: { type: 'ID', description: 'New signatory (Person ID).', rule: person },
    summary: { type: 'String', description: 'New summary.', rule: longText },
  },
});

export const RecommendationResponsePatch = ruledPatch('RecommendationResponsePatch', {
  description:
    'Fields of the answer to one recommendation to change; fields left out stay, null clears one, and at least one of the four must remain.',
  fields: {
    actionsTaken: { type: 'String', description: 'New actions taken so far.', rule: longText },
    plannedActions: { type: 'String', description: 'New planned actions.', rule: longText },
    timeline: { type: 'String', description: 'New timeline.', rule: longText },
    otherComments: { type: 'String', description: 'New other comments.', rule: longText },
  },
});

export async function createRecommendation(
  writer: Writer,
  auditId: string,
  input: z.output<typeof RecommendationInput.rules>,
  path: (string | number)[],
): Promise<RecommendationRow> {
  const recommendation = await writer.create<RecommendationRow>('Recommendation', { auditId, ordinal: input.ordinal, text: input.text });
  await writer.tag('Recommendation', recommendation.id, input.topics, [...path, 'topics']);
  await writer.cite('Recommendation', recommendation.id, input.citations, [...path, 'citations']);
  return recommendation;
}
