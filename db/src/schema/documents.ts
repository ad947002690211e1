import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bookkeeping, id, swedishSearchVector, tsvector } from './columns.ts';
import { entityType } from './enums.ts';
import { organisations } from './organisations.ts';
import { regions } from './regions.ts';

export const documentKind = pgEnum('document_kind', [
  'minutes',
  'information_letter',
  'audit_report',
  'audit_response',
  'report',
  'grant_letter',
  'dashboard',
  'other',
]);

/** A source record (allmän handling): the full text every citation quotes from. */
export const documents = pgTable(
  'documents',
  {
    id: id(),
    title: text('title').notNull(),
    kind: documentKind('kind').notNull(),
    regionId: uuid('region_id').references(() => regions.id),
    issuedById: uuid('issued_by_id').references(() => organisations.id),
    issuedOn: date('issued_on'),
    /** Registry number (diarienummer), e.g. "24HSNG673". */
    registryNumber: text('registry_number'),
    /** Where the document was obtained (publisher, file name or address). */
    origin: text('origin').notNull(),
    /** SHA-256 of `text`, hex: identifies the exact text citations were checked against. */
    textSha256: text('text_sha256').notNull(),
    text: text('text').notNull(),
    searchVector: tsvector('search_vector').generatedAlwaysAs(swedishSearchVector('title', 'text')),
    ...bookkeeping(),
  },
  (table) => [
    uniqueIndex('documents_text_sha256_key').on(table.textSha256),
    index('documents_region_issued_on_idx').on(table.regionId, table.issuedOn),
    index('documents_updated_at_idx').on(table.updatedAt),
    index('documents_search_idx').using('gin', table.searchVector),
    check('documents_text_sha256_format', sql`${table.textSha256} ~ '^[0-9a-f]{64}$'`),
  ],
);

/**
 * The passage of a document that supports a fact: any record (by type and id) may carry
 * citations. The quote is stored exactly as the document has it, OCR damage included.
 */
export const citations = pgTable(
  'citations',
  {
    id: id(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id),
    entityType: entityType('entity_type').notNull(),
    entityId: uuid('entity_id').notNull(),
    quote: text('quote').notNull(),
    /** First and last line (1-based) of the quoted passage in the document's text. */
    lineStart: integer('line_start'),
    lineEnd: integer('line_end'),
    ...bookkeeping(),
  },
  (table) => [
    index('citations_entity_idx').on(table.entityType, table.entityId),
    index('citations_document_idx').on(table.documentId),
    check('citations_quote_not_blank', sql`length(btrim(${table.quote})) > 0`),
    check(
      'citations_lines_ordered',
      sql`(${table.lineStart} IS NULL AND ${table.lineEnd} IS NULL) OR (${table.lineStart} >= 1 AND ${table.lineEnd} >= ${table.lineStart})`,
    ),
  ],
);
