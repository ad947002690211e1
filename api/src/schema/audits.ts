import { tables } from '@naravard/db';
import { and, asc, eq, inArray, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { builder } from '../builder.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import {
  allOf,
  DateRange,
  dateInRange,
  lifecycleConditions,
  lifecycleFilterFields,
  referenceIs,
  regionIs, takesNames,
  taggedWith,
  textMatches,
} from '../filters.ts';
import { loadChildren, loadReference } from '../loaders.ts';
import { deleteField, restoreField } from '../mutation-fields.ts';
import { entityNode, taggedEntityNode } from '../nodes.ts';
import { filteredList, type OrderKey } from '../pagination.ts';
import { type EntityName, parseInput, rules, stripUndefined, type Writer, write } from '../writes.ts';
import { WRITE_ERRORS } from './errors.ts';
import { CitationInput } from './provenance.ts';
import {
  Audit,
  AuditResponse,
  type AuditResponseRow,
  type AuditRow,
  Document,
  type DocumentRow,
  Organisation,
  type OrganisationRow,
  Person,
  type PersonRow,
  Recommendation, Searchable,
  RecommendationResponse,
  type RecommendationResponseRow,
  type RecommendationRow,
  Region,
  type RegionRow,
} from './refs.ts';

/** The order of an audit response's parts: by the number of the recommendation each answers. */
const byRecommendationOrdinal = sql`(select ${tables.recommendations.ordinal} from ${tables.recommendations}
  where ${tables.recommendations.id} = ${tables.recommendationResponses.recommendationId})`;

/** The order of a recommendation's answers: by the date of the response they belong to. */
const byResponseDate = sql`(select ${tables.auditResponses.respondedOn} from ${tables.auditResponses}
  where ${tables.auditResponses.id} = ${tables.recommendationResponses.auditResponseId}) asc nulls last`;

builder.node(Audit, {
  ...taggedEntityNode<AuditRow>(tables.audits),
  description:
    'An audit (granskning) by the auditors (revisorerna), with its report (revisionsrapport), numbered recommendations and the answers (revisionssvar) to them.',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'The title of the audit report.' }),
    auditor: t.field({
      type: Organisation,
      nullable: true,
      description: 'Who audited: the auditors (revisorerna, förtroendevalda revisorer).',
      resolve: (audit, _args, context, info) => loadReference<OrganisationRow>(context, tables.organisations, audit.auditorId, info),
    }),
    audited: t.field({
      type: Organisation,
      nullable: true,
      description: 'The body the audit is addressed to (granskad nämnd).',
      resolve: (audit, _args, context, info) => loadReference<OrganisationRow>(context, tables.organisations, audit.auditedId, info),
    }),
    region: t.field({
      type: Region,
      nullable: true,
      description: 'The region whose work was audited.',
      resolve: (audit, _args, context, info) => loadReference<RegionRow>(context, tables.regions, audit.regionId, info),
    }),
    reportedOn: t.expose('reportedOn', {
      type: 'Date',
      nullable: true,
      description: 'The date of the audit report (revisionsrapport).',
    }),
    summary: t.exposeString('summary', { nullable: true, description: "The audit's findings and overall assessment (samlad bedömning), condensed." }),
    recommendations: t.field({
      type: [Recommendation],
      description: 'The recommendations (rekommendationer), by number.',
      resolve: (audit, _args, context) =>
        loadChildren<RecommendationRow>(
          context,
          {
            table: tables.recommendations,
            foreignKey: tables.recommendations.auditId,
            orderBy: [asc(tables.recommendations.ordinal), asc(tables.recommendations.id)],
          },
          audit.id,
        ),
    }),
    responses: t.field({
      type: [AuditResponse],
      description: 'The answers to the audit (revisionssvar, yttrande), oldest first.',
      resolve: (audit, _args, context) =>
        loadChildren<AuditResponseRow>(
          context,
          {
            table: tables.auditResponses,
            foreignKey: tables.auditResponses.auditId,
            orderBy: [sql`${tables.auditResponses.respondedOn} asc nulls last`, asc(tables.auditResponses.id)],
          },
          audit.id,
        ),
    }),
  }),
});

builder.node(Recommendation, {
  ...taggedEntityNode<RecommendationRow>(tables.recommendations, [Searchable]),
  description: 'One numbered recommendation (rekommendation) of an audit.',
  fields: (t) => ({
    audit: t.field({
      type: Audit,
      description: 'The audit that made the recommendation.',
      resolve: async (recommendation, _args, context, info) =>
        (await loadReference<AuditRow>(context, tables.audits, recommendation.auditId, info))!,
    }),
    ordinal: t.exposeInt('ordinal', { description: 'The number of the recommendation in the report (1, 2, …).' }),
    text: t.exposeString('text', { description: 'The recommendation, as the report words it (corrected for OCR).' }),
    responses: t.field({
      type: [RecommendationResponse],
      description: 'The answers to this recommendation: one part of each audit response, oldest response first.',
      resolve: (recommendation, _args, context) =>
        loadChildren<RecommendationResponseRow>(
          context,
          {
            table: tables.recommendationResponses,
            foreignKey: tables.recommendationResponses.recommendationId,
            orderBy: [byResponseDate, asc(tables.recommendationResponses.id)],
          },
          recommendation.id,
        ),
    }),
  }),
});

builder.node(AuditResponse, {
  ...entityNode<AuditResponseRow>(tables.auditResponses),
  description:
    "The audited body's answer to an audit as a whole (revisionssvar, yttrande, tjänsteskrivelse), with one part per recommendation.",
  fields: (t) => ({
    audit: t.field({
      type: Audit,
      description: 'The audit answered.',
      resolve: async (response, _args, context, info) => (await loadReference<AuditRow>(context, tables.audits, response.auditId, info))!,
    }),
    respondent: t.field({
      type: Organisation,
      nullable: true,
      description: 'The body that answered.',
      resolve: (response, _args, context, info) => loadReference<OrganisationRow>(context, tables.organisations, response.respondentId, info),
    }),
    respondedOn: t.expose('respondedOn', { type: 'Date', nullable: true, description: 'The date of the answer.' }),
    document: t.field({
      type: Document,
      nullable: true,
      description: 'The document that holds the answer; its registry number (diarienummer) identifies the case.',
      resolve: (response, _args, context, info) => loadReference<DocumentRow>(context, tables.documents, response.documentId, info),
    }),
    caseOfficer: t.field({
      type: Person,
      nullable: true,
      description: 'The case officer (handläggare) who prepared the answer.',
      resolve: (response, _args, context, info) => loadReference<PersonRow>(context, tables.people, response.caseOfficerId, info),
    }),
    signatory: t.field({
      type: Person,
      nullable: true,
      description: 'Who signed the answer (undertecknad av).',
      resolve: (response, _args, context, info) => loadReference<PersonRow>(context, tables.people, response.signatoryId, info),
    }),
    summary: t.exposeString('summary', { nullable: true, description: 'The answer in brief.' }),
    parts: t.field({
      type: [RecommendationResponse],
      description: "The answer to each recommendation, in the order of the recommendations' numbers.",
      resolve: (response, _args, context) =>
        loadChildren<RecommendationResponseRow>(
          context,
          {
            table: tables.recommendationResponses,
            foreignKey: tables.recommendationResponses.auditResponseId,
            orderBy: [asc(byRecommendationOrdinal), asc(tables.recommendationResponses.id)],
          },
          response.id,
        ),
    }),
  }),
});

builder.node(RecommendationResponse, {
  ...entityNode<RecommendationResponseRow>(tables.recommendationResponses),
  description:
    'The answer to one recommendation, in the four parts the auditors ask for: actions taken (hittills vidtagna åtgärder), planned actions (planerade åtgärder), timeline (tidplan) and other comments (eventuella andra synpunkter).',
  fields: (t) => ({
    auditResponse: t.field({
      type: AuditResponse,
      description: 'The audit response this part belongs to.',
      resolve: async (part, _args, context, info) =>
        (await loadReference<AuditResponseRow>(context, tables.auditResponses, part.auditResponseId, info))!,
    }),
    recommendation: t.field({
      type: Recommendation,
      description: 'The recommendation answered.',
      resolve: async (part, _args, context, info) =>
        (await loadReference<RecommendationRow>(context, tables.recommendations, part.recommendationId, info))!,
    }),
    actionsTaken: t.exposeString('actionsTaken', { nullable: true, description: 'Actions taken so far (hittills vidtagna åtgärder).' }),
    plannedActions: t.exposeString('plannedActions', { nullable: true, description: 'Planned actions (planerade åtgärder).' }),
    timeline: t.exposeString('timeline', { nullable: true, description: 'When the planned actions are to be done (tidplan).' }),
    otherComments: t.exposeString('otherComments', { nullable: true, description: 'Other comments (eventuella andra synpunkter).' }),
  }),
});

const AuditFilter = builder.inputType('AuditFilter', {
  description: 'Narrows a list of audits. Conditions combine with AND.',
  fields: (t) => ({
    region: t.string({ description: 'The audited region: SCB county code ("07") or name ("Örebro", "Region Örebro län"), case and accents ignored.' }),
    auditor: t.id({ ...takesNames, description: 'Audited by these auditors: their Organisation ID or name.' }),
    audited: t.id({ ...takesNames, description: 'Addressed to this body: its Organisation ID or name (within `region` when given).' }),
    reportedOn: t.field({ type: DateRange, description: 'Reported within these dates.' }),
    topic: t.string({ description: 'Tagged with this topic: its slug ("follow-up-and-indicators") or its name, English or Swedish ("central kontaktingång").' }),
    text: t.string({ description: 'Words in the title or summary, matched as `search` matches them: whole words in any inflection, accents and case ignored, every word required ("quoted phrase", `or`, -word).' }),
    ...lifecycleFilterFields(t),
  }),
});

const AuditOrder = builder.enumType('AuditOrder', {
  description: 'Orders of an audit list; ties are broken by ID so paging is stable.',
  values: {
    REPORTED_ON_DESC: { description: 'Newest report first (the default); audits without a date last.' },
    REPORTED_ON_ASC: { description: 'Oldest report first; audits without a date last.' },
    UPDATED_AT: { description: 'By last change, oldest first: the order for incremental refresh.' },
  },
});

type AuditFilterShape = typeof AuditFilter.$inferInput;

function auditConditions(filter: AuditFilterShape | null | undefined) {
  const a = tables.audits;
  return allOf([
    ...lifecycleConditions(a, filter),
    regionIs(a.regionId, filter?.region),
    referenceIs(a.auditorId, filter?.auditor, 'Organisation', 'auditor'),
    referenceIs(a.auditedId, filter?.audited, 'Organisation', 'audited'),
    ...dateInRange(a.reportedOn, filter?.reportedOn),
    taggedWith('audit', a.id, filter?.topic),
    textMatches([a.title, a.summary], filter?.text),
  ]);
}

/** Audits without a report date come last in either direction: keyset paging cannot step over NULLs. */
function auditOrder(order: string | null | undefined): OrderKey[] {
  const a = tables.audits;
  if (order === 'REPORTED_ON_ASC') return [{ column: sql`coalesce(${a.reportedOn}, 'infinity'::date)`, direction: 'asc' }];
  if (order === 'UPDATED_AT') return [{ column: a.updatedAt, direction: 'asc' }];
  return [{ column: sql`coalesce(${a.reportedOn}, '-infinity'::date)`, direction: 'desc' }];
}

const auditList = filteredList<AuditRow, AuditFilterShape>({ table: tables.audits, where: auditConditions, order: auditOrder });

const auditListArgs = builder.args((t) => ({
  filter: t.field({ type: AuditFilter, description: 'Which audits.' }),
  orderBy: t.field({ type: AuditOrder, defaultValue: 'REPORTED_ON_DESC', description: 'In which order.' }),
}));

builder.queryFields((t) => ({
  audits: t.connection({
    type: Audit,
    description: "Audits (granskningar) of the regions' work with the reform, with recommendations and answers.",
    args: auditListArgs,
    resolve: (_root, args, context, info) => auditList.page(context, args, info),
  }),
}));

builder.objectField(Region, 'audits', (t) =>
  t.connection({
    type: Audit,
    description: "Audits of the region's work.",
    args: auditListArgs,
    resolve: (region, args, context, info) => auditList.pageOf(context, tables.audits.regionId, region.id, args, info),
  }),
);

// ─── Writes ──────────────────────────────────────────────────────────────────
//
// An audit owns its recommendations and its responses; a response owns its parts (one per
// recommendation answered). Deleting a whole deletes its live parts in the same transaction, so
// they share its `deletedAt`; restoring the whole brings back exactly the parts deleted with it
// (a part deleted on its own earlier stays deleted). A part cannot be restored while its whole
// is deleted.

type PartTable = typeof tables.recommendations | typeof tables.auditResponses | typeof tables.recommendationResponses;

/** Deletes the live rows of a part table that match, each logged, in the transaction deleting their whole. */
async function deletePartsOf(writer: Writer, entity: EntityName, table: PartTable, where: SQL | undefined) {
  const rows = await writer.tx.select({ id: table.id }).from(table).where(and(isNull(table.deletedAt), where));
  for (const { id } of rows) await writer.delete(entity, id, null);
}

/** The answers to recommendations within an audit: the parts of its responses and those answering its recommendations. */
function answersWithin(writer: Writer, auditId: string): SQL | undefined {
  const r = tables.recommendations;
  const ar = tables.auditResponses;
  const rr = tables.recommendationResponses;
  return or(
    inArray(rr.auditResponseId, writer.tx.select({ id: ar.id }).from(ar).where(eq(ar.auditId, auditId))),
    inArray(rr.recommendationId, writer.tx.select({ id: r.id }).from(r).where(eq(r.auditId, auditId))),
  );
}

/** The rows of a part table deleted in the same transaction as their whole (the same `deletedAt`), before the whole is restored. */
async function partsDeletedWith(writer: Writer, table: PartTable, wholeDeletedAt: SQL, where: SQL | undefined) {
  const rows = await writer.tx
    .select({ id: table.id })
    .from(table)
    .where(and(sql`${table.deletedAt} = ${wholeDeletedAt}`, where));
  return rows.map((row) => row.id);
}

/** Refuses to restore a part whose audit is deleted (restoring the audit brings back the parts deleted with it). */
async function requireLiveAudit(writer: Writer, auditId: string) {
  const [audit] = await writer.tx.select({ deletedAt: tables.audits.deletedAt }).from(tables.audits).where(eq(tables.audits.id, auditId));
  if (!audit || audit.deletedAt) {
    throw new ValidationError([
      { path: ['id'], message: 'its audit is deleted: restore the audit (restoreAudit), which brings back what was deleted with it' },
    ]);
  }
}

/** Refuses an ordinal the audit already uses; deleted recommendations keep their number until restored. */
async function requireFreeOrdinal(writer: Writer, auditId: string, ordinal: number, exceptId: string | null, path: (string | number)[]) {
  const r = tables.recommendations;
  const [taken] = await writer.tx
    .select({ id: r.id, deletedAt: r.deletedAt })
    .from(r)
    .where(and(eq(r.auditId, auditId), eq(r.ordinal, ordinal), exceptId ? ne(r.id, exceptId) : undefined));
  if (taken) {
    throw new ValidationError([
      {
        path,
        message: taken.deletedAt
          ? `recommendation ${ordinal} of this audit exists but is deleted: restore it (restoreRecommendation) or use another number`
          : `the audit already has a recommendation ${ordinal}`,
      },
    ]);
  }
}

const ordinalRule = z.number().int().min(1, 'recommendations are numbered from 1').max(1000, 'must be at most 1000');

const recommendationRules = z.object({
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

const createAuditRules = z
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

const auditPatchRules = z.object(auditFields).partial().strict();
const recommendationPatchRules = z.object({ ordinal: ordinalRule, text: rules.text(5000) }).partial().strict();

const answerFields = {
  actionsTaken: rules.text(20_000).nullish(),
  plannedActions: rules.text(20_000).nullish(),
  timeline: rules.text(20_000).nullish(),
  otherComments: rules.text(20_000).nullish(),
};
type Answer = { actionsTaken?: string | null; plannedActions?: string | null; timeline?: string | null; otherComments?: string | null };
const ANSWER_REQUIRED = 'a part answers with at least one of actionsTaken, plannedActions, timeline and otherComments';
const answers = (part: Answer) => Boolean(part.actionsTaken || part.plannedActions || part.timeline || part.otherComments);

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

const recordResponseRules = z
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

const responsePatchRules = z.object(responseFields).partial().strict();
const partPatchRules = z.object(answerFields).partial().strict();

const RecommendationInput = builder.inputType('RecommendationInput', {
  description: 'A numbered recommendation (rekommendation) of an audit.',
  fields: (t) => ({
    ordinal: t.int({ required: true, description: 'The number of the recommendation in the report (1, 2, …), unique within the audit.' }),
    text: t.string({ required: true, description: 'The recommendation as the report words it (at most 5000 characters).' }),
    topics: t.stringList({ description: 'Topic slugs to tag the recommendation with.' }),
    citations: t.field({ type: [CitationInput], description: 'Passages supporting the recommendation.' }),
  }),
});

const CreateAuditInput = builder.inputType('CreateAuditInput', {
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

const AuditPatch = builder.inputType('AuditPatch', {
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

const RecommendationPatch = builder.inputType('RecommendationPatch', {
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

const RecordAuditResponseInput = builder.inputType('RecordAuditResponseInput', {
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

const AuditResponsePatch = builder.inputType('AuditResponsePatch', {
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

const RecommendationResponsePatch = builder.inputType('RecommendationResponsePatch', {
  description:
    'Fields of the answer to one recommendation to change; fields left out stay, null clears one, and at least one of the four must remain.',
  fields: (t) => ({
    actionsTaken: t.string({ description: 'New actions taken so far.' }),
    plannedActions: t.string({ description: 'New planned actions.' }),
    timeline: t.string({ description: 'New timeline.' }),
    otherComments: t.string({ description: 'New other comments.' }),
  }),
});

async function createRecommendation(
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

builder.mutationFields((t) => ({
  createAudit: t.field({
    type: Audit,
    description:
      'Records an audit with its numbered recommendations, topics and citations in one transaction. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CreateAuditInput, required: true, description: 'The audit and its recommendations.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(createAuditRules, args.input);
      return write(context, async (writer) => {
        await writer.requireLive([
          { entity: 'Organisation', id: input.auditor, path: ['input', 'auditor'] },
          { entity: 'Organisation', id: input.audited, path: ['input', 'audited'] },
        ]);
        const regionId = await writer.regionId(input.region, ['input', 'region']);
        const audit = await writer.create<AuditRow>('Audit', {
          title: input.title,
          auditorId: input.auditor ?? null,
          auditedId: input.audited ?? null,
          regionId: regionId ?? null,
          reportedOn: input.reportedOn ?? null,
          summary: input.summary ?? null,
        });
        await writer.tag('Audit', audit.id, input.topics, ['input', 'topics']);
        await writer.cite('Audit', audit.id, input.citations, ['input', 'citations']);
        for (const [index, recommendation] of input.recommendations.entries()) {
          await createRecommendation(writer, audit.id, recommendation, ['input', 'recommendations', index]);
        }
        return audit;
      });
    },
  }),
  updateAudit: t.field({
    type: Audit,
    description: 'Changes fields of an audit. `version` must be the one you read: a stale version is a ConflictError.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      id: t.arg.id({ required: true, description: 'The audit.' }),
      version: t.arg.int({ required: true, description: 'The version you last read (`version` field).' }),
      patch: t.arg({ type: AuditPatch, required: true, description: 'The fields to change.' }),
    },
    resolve: async (_root, args, context) => {
      const id = parseInput(rules.globalId('Audit'), args.id, ['id']);
      const patch = parseInput(auditPatchRules, stripUndefined(args.patch), ['patch']);
      return write(context, async (writer) => {
        await writer.requireLive([
          { entity: 'Organisation', id: patch.auditor, path: ['patch', 'auditor'] },
          { entity: 'Organisation', id: patch.audited, path: ['patch', 'audited'] },
        ]);
        const regionId = await writer.regionId(patch.region, ['patch', 'region']);
        const { auditor, audited, region: _region, ...rest } = patch;
        return writer.update<AuditRow>('Audit', id, args.version, {
          ...rest,
          ...(auditor !== undefined ? { auditorId: auditor } : {}),
          ...(audited !== undefined ? { auditedId: audited } : {}),
          ...(regionId !== undefined ? { regionId } : {}),
        });
      });
    },
  }),
  deleteAudit: deleteField(t, {
    ref: Audit,
    description:
      'Deletes an audit together with its recommendations, its responses and their parts (tombstones: they leave the lists, show in `updatedSince` queries with `deletedAt`, and an admin can restore them).',
    idDescription: 'The audit.',
    afterDelete: async (writer, audit) => {
      const r = tables.recommendations;
      const ar = tables.auditResponses;
      await deletePartsOf(writer, 'RecommendationResponse', tables.recommendationResponses, answersWithin(writer, audit.id));
      await deletePartsOf(writer, 'AuditResponse', ar, eq(ar.auditId, audit.id));
      await deletePartsOf(writer, 'Recommendation', r, eq(r.auditId, audit.id));
    },
  }),
  restoreAudit: restoreField(t, {
    ref: Audit,
    description:
      'Brings back a deleted audit with the recommendations, responses and parts deleted with it. Needs the `admin` scope.',
    idDescription: 'The deleted audit.',
    beforeRestore: async (writer, id) => {
      const a = tables.audits;
      const r = tables.recommendations;
      const ar = tables.auditResponses;
      const deletedAt = sql`(select ${a.deletedAt} from ${a} where ${a.id} = ${id})`;
      return {
        recommendations: await partsDeletedWith(writer, r, deletedAt, eq(r.auditId, id)),
        responses: await partsDeletedWith(writer, ar, deletedAt, eq(ar.auditId, id)),
        parts: await partsDeletedWith(writer, tables.recommendationResponses, deletedAt, answersWithin(writer, id)),
      };
    },
    afterRestore: async (writer, _audit, deletedWith) => {
      for (const partId of deletedWith.recommendations) await writer.restore('Recommendation', partId);
      for (const partId of deletedWith.responses) await writer.restore('AuditResponse', partId);
      for (const partId of deletedWith.parts) await writer.restore('RecommendationResponse', partId);
    },
  }),

  addRecommendation: t.field({
    type: Recommendation,
    description: 'Adds a numbered recommendation to an audit. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      audit: t.arg.id({ required: true, description: 'The audit (ID).' }),
      input: t.arg({ type: RecommendationInput, required: true, description: 'The recommendation.' }),
    },
    resolve: async (_root, args, context) => {
      const auditId = parseInput(rules.globalId('Audit'), args.audit, ['audit']);
      const input = parseInput(recommendationRules, args.input);
      return write(context, async (writer) => {
        await writer.requireLive([{ entity: 'Audit', id: auditId, path: ['audit'] }]);
        await requireFreeOrdinal(writer, auditId, input.ordinal, null, ['input', 'ordinal']);
        return createRecommendation(writer, auditId, input, ['input']);
      });
    },
  }),
  updateRecommendation: t.field({
    type: Recommendation,
    description: 'Changes the number or wording of a recommendation. `version` must be the one you read.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      id: t.arg.id({ required: true, description: 'The recommendation.' }),
      version: t.arg.int({ required: true, description: 'The version you last read.' }),
      patch: t.arg({ type: RecommendationPatch, required: true, description: 'The fields to change.' }),
    },
    resolve: async (_root, args, context) => {
      const id = parseInput(rules.globalId('Recommendation'), args.id, ['id']);
      const patch = parseInput(recommendationPatchRules, stripUndefined(args.patch), ['patch']);
      return write(context, async (writer) => {
        const current = await writer.currentAt<RecommendationRow>('Recommendation', id, args.version);
        if (patch.ordinal !== undefined) await requireFreeOrdinal(writer, current.auditId, patch.ordinal, id, ['patch', 'ordinal']);
        return writer.update<RecommendationRow>('Recommendation', id, args.version, patch);
      });
    },
  }),
  deleteRecommendation: deleteField(t, {
    ref: Recommendation,
    description:
      'Deletes a recommendation together with the parts of responses that answer it (tombstones; an admin can restore them).',
    idDescription: 'The recommendation.',
    afterDelete: async (writer, recommendation) => {
      const rr = tables.recommendationResponses;
      await deletePartsOf(writer, 'RecommendationResponse', rr, eq(rr.recommendationId, recommendation.id));
    },
  }),
  restoreRecommendation: restoreField(t, {
    ref: Recommendation,
    description:
      'Brings back a deleted recommendation with the answers deleted with it; its audit must be live. Needs the `admin` scope.',
    idDescription: 'The deleted recommendation.',
    beforeRestore: (writer, id) => {
      const r = tables.recommendations;
      const ar = tables.auditResponses;
      const rr = tables.recommendationResponses;
      return partsDeletedWith(
        writer,
        rr,
        sql`(select ${r.deletedAt} from ${r} where ${r.id} = ${id})`,
        and(eq(rr.recommendationId, id), inArray(rr.auditResponseId, writer.tx.select({ id: ar.id }).from(ar).where(isNull(ar.deletedAt)))),
      );
    },
    afterRestore: async (writer, recommendation, parts) => {
      await requireLiveAudit(writer, recommendation.auditId);
      for (const partId of parts) await writer.restore('RecommendationResponse', partId);
    },
  }),

  recordAuditResponse: t.field({
    type: AuditResponse,
    description:
      "Records the audited body's answer to an audit with one part per recommendation answered, in one transaction. Each part's recommendation must belong to the audit. Needs the `write` scope.",
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: RecordAuditResponseInput, required: true, description: 'The response and its parts.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(recordResponseRules, args.input);
      return write(context, async (writer) => {
        await writer.requireLive([
          { entity: 'Audit', id: input.audit, path: ['input', 'audit'] },
          { entity: 'Organisation', id: input.respondent, path: ['input', 'respondent'] },
          { entity: 'Document', id: input.document, path: ['input', 'document'] },
          { entity: 'Person', id: input.caseOfficer, path: ['input', 'caseOfficer'] },
          { entity: 'Person', id: input.signatory, path: ['input', 'signatory'] },
        ]);
        const r = tables.recommendations;
        const recommendationIds = input.parts.map((part) => part.recommendation);
        const found =
          recommendationIds.length === 0
            ? []
            : await writer.tx
                .select({ id: r.id, auditId: r.auditId })
                .from(r)
                .where(and(inArray(r.id, recommendationIds), isNull(r.deletedAt)));
        const auditOf = new Map(found.map((row) => [row.id, row.auditId]));
        input.parts.forEach((part, index) => {
          const path = ['input', 'parts', index, 'recommendation'];
          const auditId = auditOf.get(part.recommendation);
          if (auditId === undefined) throw new NotFoundError('Recommendation', part.recommendation, path);
          if (auditId !== input.audit) {
            throw new ValidationError([{ path, message: 'the recommendation belongs to another audit than the one answered' }]);
          }
        });
        const response = await writer.create<AuditResponseRow>('AuditResponse', {
          auditId: input.audit,
          respondentId: input.respondent ?? null,
          respondedOn: input.respondedOn ?? null,
          documentId: input.document ?? null,
          caseOfficerId: input.caseOfficer ?? null,
          signatoryId: input.signatory ?? null,
          summary: input.summary ?? null,
        });
        await writer.cite('AuditResponse', response.id, input.citations, ['input', 'citations']);
        for (const [index, part] of input.parts.entries()) {
          const row = await writer.create<RecommendationResponseRow>('RecommendationResponse', {
            auditResponseId: response.id,
            recommendationId: part.recommendation,
            actionsTaken: part.actionsTaken ?? null,
            plannedActions: part.plannedActions ?? null,
            timeline: part.timeline ?? null,
            otherComments: part.otherComments ?? null,
          });
          await writer.cite('RecommendationResponse', row.id, part.citations, ['input', 'parts', index, 'citations']);
        }
        return response;
      });
    },
  }),
  updateAuditResponse: t.field({
    type: AuditResponse,
    description: 'Changes fields of an audit response (not its parts). `version` must be the one you read.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      id: t.arg.id({ required: true, description: 'The audit response.' }),
      version: t.arg.int({ required: true, description: 'The version you last read.' }),
      patch: t.arg({ type: AuditResponsePatch, required: true, description: 'The fields to change.' }),
    },
    resolve: async (_root, args, context) => {
      const id = parseInput(rules.globalId('AuditResponse'), args.id, ['id']);
      const patch = parseInput(responsePatchRules, stripUndefined(args.patch), ['patch']);
      return write(context, async (writer) => {
        await writer.requireLive([
          { entity: 'Organisation', id: patch.respondent, path: ['patch', 'respondent'] },
          { entity: 'Document', id: patch.document, path: ['patch', 'document'] },
          { entity: 'Person', id: patch.caseOfficer, path: ['patch', 'caseOfficer'] },
          { entity: 'Person', id: patch.signatory, path: ['patch', 'signatory'] },
        ]);
        const { respondent, document, caseOfficer, signatory, ...rest } = patch;
        return writer.update<AuditResponseRow>('AuditResponse', id, args.version, {
          ...rest,
          ...(respondent !== undefined ? { respondentId: respondent } : {}),
          ...(document !== undefined ? { documentId: document } : {}),
          ...(caseOfficer !== undefined ? { caseOfficerId: caseOfficer } : {}),
          ...(signatory !== undefined ? { signatoryId: signatory } : {}),
        });
      });
    },
  }),
  updateRecommendationResponse: t.field({
    type: RecommendationResponse,
    description:
      'Changes the answer to one recommendation (one part of an audit response); at least one of its four parts must remain. `version` must be the one you read.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      id: t.arg.id({ required: true, description: 'The answer to one recommendation (RecommendationResponse ID).' }),
      version: t.arg.int({ required: true, description: 'The version you last read.' }),
      patch: t.arg({ type: RecommendationResponsePatch, required: true, description: 'The fields to change.' }),
    },
    resolve: async (_root, args, context) => {
      const id = parseInput(rules.globalId('RecommendationResponse'), args.id, ['id']);
      const patch = parseInput(partPatchRules, stripUndefined(args.patch), ['patch']);
      return write(context, async (writer) => {
        const current = await writer.currentAt<RecommendationResponseRow>('RecommendationResponse', id, args.version);
        if (!answers({ ...current, ...patch })) throw new ValidationError([{ path: ['patch'], message: ANSWER_REQUIRED }]);
        return writer.update<RecommendationResponseRow>('RecommendationResponse', id, args.version, patch);
      });
    },
  }),
  deleteAuditResponse: deleteField(t, {
    ref: AuditResponse,
    description: 'Deletes an audit response together with its parts (tombstones; an admin can restore them).',
    idDescription: 'The audit response.',
    afterDelete: async (writer, response) => {
      const rr = tables.recommendationResponses;
      await deletePartsOf(writer, 'RecommendationResponse', rr, eq(rr.auditResponseId, response.id));
    },
  }),
  restoreAuditResponse: restoreField(t, {
    ref: AuditResponse,
    description: 'Brings back a deleted audit response with the parts deleted with it; its audit must be live. Needs the `admin` scope.',
    idDescription: 'The deleted audit response.',
    beforeRestore: (writer, id) => {
      const r = tables.recommendations;
      const ar = tables.auditResponses;
      const rr = tables.recommendationResponses;
      return partsDeletedWith(
        writer,
        rr,
        sql`(select ${ar.deletedAt} from ${ar} where ${ar.id} = ${id})`,
        and(eq(rr.auditResponseId, id), inArray(rr.recommendationId, writer.tx.select({ id: r.id }).from(r).where(isNull(r.deletedAt)))),
      );
    },
    afterRestore: async (writer, response, parts) => {
      await requireLiveAudit(writer, response.auditId);
      for (const partId of parts) await writer.restore('RecommendationResponse', partId);
    },
  }),
}));
