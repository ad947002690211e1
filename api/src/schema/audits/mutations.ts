import { answersWithin, deletePartsOf, partsDeletedWith, requireFreeRecommendationOrdinal, requireLiveAudit, tables } from '@naravard/db';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { builder } from '../../builder.ts';
import { NotFoundError, ValidationError } from '../../errors.ts';
import { deleteField, restoreField, updateField } from '../../mutation-fields.ts';
import { parseInput, rules, write } from '../../writes.ts';
import { WRITE_ERRORS } from '../../write-error-types.ts';
import { Audit, AuditResponse, type AuditResponseRow, type AuditRow, Recommendation, RecommendationResponse, type RecommendationResponseRow } from '../refs.ts';
import { ANSWER_REQUIRED, answers, AuditPatch, AuditResponsePatch, CreateAuditInput, createRecommendation, RecommendationInput, RecommendationPatch, RecommendationResponsePatch, RecordAuditResponseInput } from './write-rules.ts';

/* The mutations of audits, recommendations and responses. */

builder.mutationFields((t) => ({
  createAudit: t.field({
    type: Audit,
    description:
      'Records an audit with its numbered recommendations, topics and citations in one transaction. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CreateAuditInput.ref, required: true, description: 'The audit and its recommendations.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(CreateAuditInput.rules, args.input);
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
  updateAudit: updateField(t, {
    ref: Audit,
    description: 'Changes fields of an audit. `version` must be the one you read: a stale version is a ConflictError.',
    idDescription: 'The audit.',
    patch: AuditPatch,
    references: {
      auditor: { entity: 'Organisation', column: 'auditorId' },
      audited: { entity: 'Organisation', column: 'auditedId' },
    },
    regions: { region: 'regionId' },
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
      input: t.arg({ type: RecommendationInput.ref, required: true, description: 'The recommendation.' }),
    },
    resolve: async (_root, args, context) => {
      const auditId = parseInput(rules.globalId('Audit'), args.audit, ['audit']);
      const input = parseInput(RecommendationInput.rules, args.input);
      return write(context, async (writer) => {
        await writer.requireLive([{ entity: 'Audit', id: auditId, path: ['audit'] }]);
        await requireFreeRecommendationOrdinal(writer, auditId, input.ordinal, null, ['input', 'ordinal']);
        return createRecommendation(writer, auditId, input, ['input']);
      });
    },
  }),
  updateRecommendation: updateField(t, {
    ref: Recommendation,
    description: 'Changes the number or wording of a recommendation. `version` must be the one you read.',
    idDescription: 'The recommendation.',
    patch: RecommendationPatch,
    check: async (writer, { patch, current }) => {
      if (patch.ordinal !== undefined) await requireFreeRecommendationOrdinal(writer, current.auditId, patch.ordinal, current.id, ['patch', 'ordinal']);
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
    args: { input: t.arg({ type: RecordAuditResponseInput.ref, required: true, description: 'The response and its parts.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(RecordAuditResponseInput.rules, args.input);
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
  updateAuditResponse: updateField(t, {
    ref: AuditResponse,
    description: 'Changes fields of an audit response (not its parts). `version` must be the one you read.',
    idDescription: 'The audit response.',
    patch: AuditResponsePatch,
    references: {
      respondent: { entity: 'Organisation', column: 'respondentId' },
      document: { entity: 'Document', column: 'documentId' },
      caseOfficer: { entity: 'Person', column: 'caseOfficerId' },
      signatory: { entity: 'Person', column: 'signatoryId' },
    },
  }),
  updateRecommendationResponse: updateField(t, {
    ref: RecommendationResponse,
    description:
      'Changes the answer to one recommendation (one part of an audit response); at least one of its four parts must remain. `version` must be the one you read.',
    idDescription: 'The answer to one recommendation (RecommendationResponse ID).',
    patch: RecommendationResponsePatch,
    check: (_writer, { patch, current }) => {
      if (!answers({ ...current, ...patch })) throw new ValidationError([{ path: ['patch'], message: ANSWER_REQUIRED }]);
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
