import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bookkeeping, id, swedishSearchVector, tsvector } from './columns.ts';
import { documents } from './documents.ts';
import { organisations } from './organisations.ts';
import { people } from './people.ts';
import { regions } from './regions.ts';

/** An audit (granskning) and its report (revisionsrapport). */
export const audits = pgTable(
  'audits',
  {
    id: id(),
    title: text('title').notNull(),
    /** The auditors (revisorerna). */
    auditorId: uuid('auditor_id').references(() => organisations.id),
    /** The body the audit is addressed to. */
    auditedId: uuid('audited_id').references(() => organisations.id),
    regionId: uuid('region_id').references(() => regions.id),
    reportedOn: date('reported_on'),
    summary: text('summary'),
    ...bookkeeping(),
  },
  (table) => [
    index('audits_region_idx').on(table.regionId, table.reportedOn),
    index('audits_updated_at_idx').on(table.updatedAt),
  ],
);

/** One numbered recommendation of an audit. */
export const recommendations = pgTable(
  'recommendations',
  {
    id: id(),
    auditId: uuid('audit_id')
      .notNull()
      .references(() => audits.id),
    ordinal: integer('ordinal').notNull(),
    text: text('text').notNull(),
    searchVector: tsvector('search_vector').generatedAlwaysAs(swedishSearchVector('text')),
    ...bookkeeping(),
  },
  (table) => [
    uniqueIndex('recommendations_audit_ordinal_key').on(table.auditId, table.ordinal),
    index('recommendations_updated_at_idx').on(table.updatedAt),
    index('recommendations_search_idx').using('gin', table.searchVector),
    check('recommendations_ordinal_positive', sql`${table.ordinal} > 0`),
  ],
);

/** The audited body's answer to an audit, as a whole (yttrande, tjänsteskrivelse). */
export const auditResponses = pgTable(
  'audit_responses',
  {
    id: id(),
    auditId: uuid('audit_id')
      .notNull()
      .references(() => audits.id),
    respondentId: uuid('respondent_id').references(() => organisations.id),
    respondedOn: date('responded_on'),
    documentId: uuid('document_id').references(() => documents.id),
    caseOfficerId: uuid('case_officer_id').references(() => people.id),
    signatoryId: uuid('signatory_id').references(() => people.id),
    summary: text('summary'),
    ...bookkeeping(),
  },
  (table) => [
    index('audit_responses_audit_idx').on(table.auditId),
    index('audit_responses_updated_at_idx').on(table.updatedAt),
  ],
);

/** The answer to one recommendation, in the four parts the auditors ask for. */
export const recommendationResponses = pgTable(
  'recommendation_responses',
  {
    id: id(),
    auditResponseId: uuid('audit_response_id')
      .notNull()
      .references(() => auditResponses.id),
    recommendationId: uuid('recommendation_id')
      .notNull()
      .references(() => recommendations.id),
    actionsTaken: text('actions_taken'),
    plannedActions: text('planned_actions'),
    timeline: text('timeline'),
    otherComments: text('other_comments'),
    ...bookkeeping(),
  },
  (table) => [
    uniqueIndex('recommendation_responses_response_recommendation_key').on(
      table.auditResponseId,
      table.recommendationId,
    ),
    index('recommendation_responses_recommendation_idx').on(table.recommendationId),
    index('recommendation_responses_updated_at_idx').on(table.updatedAt),
  ],
);
