import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { bookkeeping, id } from './columns.ts';
import { documents } from './documents.ts';
import { entityType } from './enums.ts';

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
