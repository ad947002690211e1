import { ENTITIES, type EntityType, entityTypeOf, isEntityName, tables } from '@naravard/db';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { BadInputError } from '../errors.ts';
import { ruledInput } from '../ruled-inputs.ts';
import { rules } from '../writes.ts';
import { allOf, lifecycleConditions, lifecycleFilterFields, textMatches } from '../filters.ts';
import { loadChildren, loadReference } from '../loaders.ts';
import { type ConnectionArgs, type OrderKey, paginateChildren } from '../pagination.ts';
import { loadEntity } from './entities.ts';
import { Citation, type CitationRow, Document, type DocumentRow } from './refs.ts';

/* Citations: the quoted passages of documents that support every fact, as records carry them (`Cited`), as a document lists them, and as writes attach them (`CitationInput`). */

/**
 * Every fact carries its sources: `citations` lists the quoted passages that support it, each
 * with its document and line range. Resolved in one statement per type and request.
 */
export const Cited = builder.interfaceRef<{ id: string }>('Cited').implement({
  description: 'A record backed by quoted passages of source documents.',
  fields: (t) => ({
    citations: t.field({
      type: [Citation],
      description: 'The passages of source documents that support this record, in document order.',
      resolve: (record, _args, context, info) => {
        const entityType = entityTypeOf(info.parentType.name);
        return loadChildren<CitationRow>(
          context,
          {
            table: tables.citations,
            foreignKey: tables.citations.entityId,
            where: eq(tables.citations.entityType, entityType),
            variant: entityType,
            orderBy: [asc(tables.citations.documentId), asc(tables.citations.lineStart), asc(tables.citations.id)],
          },
          record.id,
        );
      },
    }),
  }),
});

/** A quoted passage to attach to a record being written. */
export const CitationInput = ruledInput('CitationInput', {
  description:
    'A passage of a source document that supports the record. The quote must stand in the document (whitespace folded) on the lines given.',
  fields: {
    document: { type: 'ID', description: 'The Document quoted (its ID).', rule: rules.globalId('Document') },
    quote: {
      type: 'String',
      description: 'The passage, verbatim (OCR damage included).',
      rule: z.string().trim().min(1, 'must not be blank').max(5000, 'must be at most 5000 characters'),
    },
    lineStart: { type: 'Int', description: 'First line of the passage (1-based).', rule: z.number().int().min(1, 'lines count from 1') },
    lineEnd: { type: 'Int', description: 'Last line of the passage.', rule: z.number().int().min(1, 'lines count from 1') },
  },
  check: (citation, context) => {
    if (citation.lineStart > citation.lineEnd) context.addIssue({ code: 'custom', message: 'lineEnd must not be before lineStart', path: ['lineEnd'] });
  },
});

/** The passages supporting a record being written: at most 50. */
export const citationList = z.array(CitationInput.rules).max(50, 'at most 50 citations per record');

/** The `citations` field of a write input: may be left out (none), never null. */
export const citationsField = (description: string) => ({ type: [CitationInput.ref], description, rule: citationList.default([]) }) as const;

const LineRange = builder.objectRef<{ start: number; end: number }>('LineRange').implement({
  description: 'An inclusive range of lines of a document’s text, 1-based.',
  fields: (t) => ({
    start: t.exposeInt('start', { description: 'First line, 1-based.' }),
    end: t.exposeInt('end', { description: 'Last line, inclusive (equal to `start` for a single line).' }),
  }),
});

builder.objectType(Citation, {
  description:
    'A quoted passage of a source document that supports a record (its `subject`), with the lines it stands on.',
  fields: (t) => ({
    document: t.field({
      type: Document,
      description: 'The document quoted.',
      resolve: async (citation, _args, context, info) =>
        (await loadReference<DocumentRow>(context, tables.documents, citation.documentId, info))!,
    }),
    quote: t.exposeString('quote', {
      description: 'The passage, exactly as the document has it (OCR damage included); line breaks may differ.',
    }),
    lines: t.field({
      type: LineRange,
      nullable: true,
      description: "The lines of the document's `text` the passage stands on, when known.",
      resolve: (citation) =>
        citation.lineStart === null ? null : { start: citation.lineStart, end: citation.lineEnd ?? citation.lineStart },
    }),
    locator: t.string({
      nullable: true,
      description: 'Where the passage is, for people: "lines 12–15" or "line 12".',
      resolve: (citation) => {
        if (citation.lineStart === null) return null;
        const end = citation.lineEnd ?? citation.lineStart;
        return end === citation.lineStart ? `line ${citation.lineStart}` : `lines ${citation.lineStart}–${end}`;
      },
    }),
    subject: t.field({
      type: builder.nodeInterfaceRef(),
      nullable: true,
      description: 'The record the passage supports (a Decision, an Audit, a Grant, …); null if it no longer exists.',
      resolve: (citation, _args, context, info) => loadEntity(context, citation.entityType, citation.entityId, info) as never,
    }),
  }),
});

const CitationFilter = builder.inputType('CitationFilter', {
  description: "Narrows a document's citations. Conditions combine with AND.",
  fields: (t) => ({
    subjectTypes: t.stringList({
      description: 'Only citations supporting records of these types (GraphQL type names: "Decision", "Grant").',
    }),
    text: t.string({ description: 'Words in the quote, matched as `search` matches them: whole words in any inflection, accents and case ignored, every word required ("quoted phrase", `or`, -word).' }),
    ...lifecycleFilterFields(t),
  }),
});

const CitationOrder = builder.enumType('CitationOrder', {
  description: 'Orders of a citation list; ties are broken by ID so paging is stable.',
  values: {
    LINE: { description: 'By first line in the document (the default); citations without lines last.' },
    UPDATED_AT: { description: 'By last change, oldest first: the order for incremental refresh.' },
  },
});

export const citationListArgs = builder.args((t) => ({
  filter: t.field({ type: CitationFilter, description: 'Which citations.' }),
  orderBy: t.field({ type: CitationOrder, defaultValue: 'LINE', description: 'In which order.' }),
}));

type CitationFilterShape = typeof CitationFilter.$inferInput;

interface CitationListArgs extends ConnectionArgs {
  filter?: CitationFilterShape | null;
  orderBy?: string | null;
}

function entityTypesOf(typeNames: readonly string[], argument: string): EntityType[] {
  return typeNames.map((name) => {
    const entity = isEntityName(name) ? ENTITIES[name] : undefined;
    if (!entity) {
      throw new BadInputError(`"${argument}": ${JSON.stringify(name)} is not a record type; use one of ${Object.keys(ENTITIES).join(', ')}`, argument);
    }
    return entity.type;
  });
}

export function citationsOf(context: Context, documentId: string, args: CitationListArgs) {
  const c = tables.citations;
  const filter = args.filter;
  const where = allOf([
    ...lifecycleConditions(c, filter),
    filter?.subjectTypes ? inArray(c.entityType, entityTypesOf(filter.subjectTypes, 'subjectTypes')) : undefined,
    textMatches([c.quote], filter?.text),
  ]);
  const order: OrderKey[] =
    args.orderBy === 'UPDATED_AT'
      ? [{ column: c.updatedAt, direction: 'asc' }]
      : [{ column: sql`coalesce(${c.lineStart}, 2147483647)`, direction: 'asc' }];
  return paginateChildren<CitationRow>({
    context,
    table: c,
    foreignKey: c.documentId,
    parentId: documentId,
    where: filter?.subjectTypes?.length === 0 ? sql`false` : where,
    filterKey: JSON.stringify([filter ?? null, args.orderBy ?? null]),
    order,
    args,
  });
}
