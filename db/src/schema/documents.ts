import { sql } from 'drizzle-orm';
import { check, date, index, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bookkeeping, id, swedishSearchVector, tsvector } from './columns.ts';
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
