import { tables } from '@naravard/db';
import { asc, sql } from 'drizzle-orm';
import { builder } from '../../builder.ts';
import { allOf, DateRange, dateInRange, lifecycleConditions, lifecycleFilterFields, referenceIs, regionIs, takesNames, taggedWith, textMatches } from '../../filters.ts';
import { loadChildren, loadReference } from '../../loaders.ts';
import { entityNode, taggedEntityNode } from '../nodes.ts';
import { filteredList, type OrderKey } from '../../pagination.ts';
import { Audit, AuditResponse, type AuditResponseRow, type AuditRow, Document, type DocumentRow, Organisation, type OrganisationRow, Person, type PersonRow, Recommendation, Searchable, RecommendationResponse, type RecommendationResponseRow, type RecommendationRow, Region, type RegionRow } from '../refs.ts';

/* Audits, recommendations and responses as nodes, the list of audits and the audits of a region. */

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
