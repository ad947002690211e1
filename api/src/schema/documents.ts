import { type EntityType, tables } from '@naravard/db';
import { eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { databaseEnum } from '../enums.ts';
import { BadInputError } from '../errors.ts';
import { allOf, DateRange, dateInRange, lifecycleConditions, lifecycleFilterFields, regionIs, taggedWith, textMatches } from '../filters.ts';
import { loadReference } from '../loaders.ts';
import { taggedEntityNode } from '../nodes.ts';
import { type ConnectionArgs, type OrderKey, paginateChildren, paginateTable } from '../pagination.ts';
import { Timestamped } from './bookkeeping.ts';
import { ENTITIES, loadEntity } from './entities.ts';
import { Tagged } from './provenance.ts';
import { Citation, type CitationRow, Document, type DocumentRow, Organisation, type OrganisationRow, Region, type RegionRow } from './refs.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The UUID of a global ID given in a filter, refused unless it names a record of the expected type. */
function idOf(globalId: { id: string; typename: string } | null | undefined, typename: string, argument: string) {
  if (!globalId) return undefined;
  if (globalId.typename !== typename || !UUID.test(globalId.id)) {
    throw new BadInputError(`"${argument}" must be the ID of a ${typename}`, argument);
  }
  return globalId.id;
}

/** A sort key that is an expression rather than a column; pagination compares and orders by it the same way. */
const orderExpression = (expression: SQL) => expression as unknown as PgColumn;

/** How many lines a text has, split at line feeds as the citations' 1-based line numbers are (a final line feed ends the last line). */
function lineCountOf(text: string): number {
  if (text.length === 0) return 0;
  const breaks = text.split('\n').length - 1;
  return text.endsWith('\n') ? breaks : breaks + 1;
}

const DocumentKind = databaseEnum('DocumentKind', 'What kind of document it is.', {
  minutes: 'Minutes or meeting notes (protokoll, mötesanteckningar).',
  information_letter: 'An information letter (informationsbrev) to providers or staff.',
  audit_report: "An auditors' report (revisionsrapport).",
  audit_response: 'An answer to an audit (revisionssvar, yttrande, tjänsteskrivelse).',
  report: 'A report or follow-up (rapport, återrapportering).',
  grant_letter: 'A grant decision or letter (beslut om statsbidrag).',
  dashboard: 'A dashboard or statistics extract.',
  other: 'Any other document.',
});

const LineRange = builder.objectRef<{ start: number; end: number }>('LineRange').implement({
  description: 'An inclusive range of lines of a document’s text, 1-based.',
  fields: (t) => ({
    start: t.exposeInt('start', { description: 'First line, 1-based.' }),
    end: t.exposeInt('end', { description: 'Last line, inclusive (equal to `start` for a single line).' }),
  }),
});

builder.node(Document, {
  ...taggedEntityNode<DocumentRow>(tables.documents),
  // A document is the source, not a fact drawn from one: its `citations` are the passages of it
  // that other records quote, so it does not implement `Cited`.
  interfaces: [Timestamped, Tagged],
  description:
    'A source record (allmän handling): minutes, an information letter, an audit response, a report, with its full text. Every citation quotes one.',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'The title of the document.' }),
    kind: t.expose('kind', { type: DocumentKind, description: 'What kind of document it is.' }),
    region: t.field({
      type: Region,
      nullable: true,
      description: 'The region the document comes from.',
      resolve: (document, _args, context) => loadReference<RegionRow>(context, tables.regions, document.regionId),
    }),
    issuedBy: t.field({
      type: Organisation,
      nullable: true,
      description: 'The body that issued the document.',
      resolve: (document, _args, context) => loadReference<OrganisationRow>(context, tables.organisations, document.issuedById),
    }),
    issuedOn: t.expose('issuedOn', { type: 'Date', nullable: true, description: 'The date of the document, when it has one.' }),
    registryNumber: t.exposeString('registryNumber', {
      nullable: true,
      description: 'The registry number (diarienummer), e.g. "24HSNG673".',
    }),
    origin: t.exposeString('origin', { description: 'Where the document was obtained: publisher, file or address.' }),
    textSha256: t.exposeString('textSha256', {
      description: 'SHA-256 of `text`, hex: identifies the exact text the citations were checked against.',
    }),
    text: t.exposeString('text', {
      description: 'The full text, exactly as extracted from the published file (OCR damage included); citations point at its lines.',
    }),
    lineCount: t.int({
      description: 'How many lines `text` has: the highest line a citation can point at.',
      resolve: (document) => lineCountOf(document.text),
    }),
    citations: t.connection({
      type: Citation,
      description: 'The passages of this document that records quote as their source, in line order.',
      args: citationListArgs,
      resolve: (document, args, context) => citationsOf(context, document.id, args),
    }),
  }),
});

builder.objectType(Citation, {
  description:
    'A quoted passage of a source document that supports a record (its `subject`), with the lines it stands on.',
  fields: (t) => ({
    document: t.field({
      type: Document,
      description: 'The document quoted.',
      resolve: async (citation, _args, context) =>
        (await loadReference<DocumentRow>(context, tables.documents, citation.documentId))!,
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
      resolve: (citation, _args, context) => loadEntity(context, citation.entityType, citation.entityId) as never,
    }),
  }),
});

const CitationFilter = builder.inputType('CitationFilter', {
  description: "Narrows a document's citations. Conditions combine with AND.",
  fields: (t) => ({
    subjectTypes: t.stringList({
      description: 'Only citations supporting records of these types (GraphQL type names: "Decision", "Grant").',
    }),
    text: t.string({ description: 'Words in the quote, accents and case ignored.' }),
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

const citationListArgs = builder.args((t) => ({
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
    const entity = ENTITIES[name];
    if (!entity) {
      throw new BadInputError(`"${argument}": ${JSON.stringify(name)} is not a record type; use one of ${Object.keys(ENTITIES).join(', ')}`, argument);
    }
    return entity.type;
  });
}

function citationsOf(context: Context, documentId: string, args: CitationListArgs) {
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
      : [{ column: orderExpression(sql`coalesce(${c.lineStart}, 2147483647)`), direction: 'asc' }];
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

const DocumentFilter = builder.inputType('DocumentFilter', {
  description: 'Narrows a list of documents. Conditions combine with AND.',
  fields: (t) => ({
    region: t.string({ description: 'SCB county code of the region ("07").' }),
    kind: t.field({ type: [DocumentKind], description: 'Any of these kinds.' }),
    issuedOn: t.field({ type: DateRange, description: 'Issued within these dates (documents without a date are left out).' }),
    issuedBy: t.globalID({ description: 'Issued by this body (an Organisation ID).' }),
    registryNumber: t.string({ description: 'This registry number (diarienummer), case ignored ("24HSNG673").' }),
    topic: t.string({ description: 'Tagged with this topic (its slug, e.g. "sip").' }),
    text: t.string({ description: 'Words in the title or the full text, accents and case ignored.' }),
    ...lifecycleFilterFields(t),
  }),
});

const DocumentOrder = builder.enumType('DocumentOrder', {
  description: 'Orders of a document list; ties are broken by ID so paging is stable.',
  values: {
    ISSUED_ON_DESC: { description: 'Newest first (the default); documents without a date last.' },
    ISSUED_ON_ASC: { description: 'Oldest first; documents without a date last.' },
    TITLE: { description: 'By title, ascending.' },
    UPDATED_AT: { description: 'By last change, oldest first: the order for incremental refresh.' },
  },
});

type DocumentFilterShape = typeof DocumentFilter.$inferInput;

function documentConditions(filter: DocumentFilterShape | null | undefined) {
  const d = tables.documents;
  const issuedBy = idOf(filter?.issuedBy, 'Organisation', 'issuedBy');
  const registryNumber = filter?.registryNumber?.trim();
  return allOf([
    ...lifecycleConditions(d, filter),
    regionIs(d.regionId, filter?.region),
    filter?.kind?.length ? inArray(d.kind, filter.kind) : undefined,
    ...dateInRange(d.issuedOn, filter?.issuedOn),
    issuedBy ? eq(d.issuedById, issuedBy) : undefined,
    registryNumber ? sql`upper(${d.registryNumber}) = upper(${registryNumber})` : undefined,
    taggedWith('document', d.id, filter?.topic),
    textMatches([d.title, d.text], filter?.text),
  ]);
}

function documentOrder(order: string | null | undefined): OrderKey[] {
  const d = tables.documents;
  if (order === 'ISSUED_ON_ASC') {
    return [{ column: orderExpression(sql`coalesce(${d.issuedOn}, 'infinity'::date)`), direction: 'asc' }];
  }
  if (order === 'TITLE') return [{ column: d.title, direction: 'asc' }];
  if (order === 'UPDATED_AT') return [{ column: d.updatedAt, direction: 'asc' }];
  return [{ column: orderExpression(sql`coalesce(${d.issuedOn}, '-infinity'::date)`), direction: 'desc' }];
}

const documentListArgs = builder.args((t) => ({
  filter: t.field({ type: DocumentFilter, description: 'Which documents.' }),
  orderBy: t.field({ type: DocumentOrder, defaultValue: 'ISSUED_ON_DESC', description: 'In which order.' }),
}));

interface DocumentListArgs extends ConnectionArgs {
  filter?: DocumentFilterShape | null;
  orderBy?: string | null;
}

builder.queryFields((t) => ({
  documents: t.connection({
    type: Document,
    description: 'The source documents every fact is read from, with their full text.',
    args: documentListArgs,
    resolve: (_root, args, context) =>
      paginateTable<DocumentRow>({
        db: context.db,
        table: tables.documents,
        where: documentConditions(args.filter),
        order: documentOrder(args.orderBy),
        args,
      }),
  }),
}));

function documentsOf(context: Context, parentId: string, args: DocumentListArgs) {
  return paginateChildren<DocumentRow>({
    context,
    table: tables.documents,
    foreignKey: tables.documents.regionId,
    parentId,
    where: documentConditions(args.filter),
    filterKey: JSON.stringify([args.filter ?? null, args.orderBy ?? null]),
    order: documentOrder(args.orderBy),
    args,
  });
}

builder.objectField(Region, 'documents', (t) =>
  t.connection({
    type: Document,
    description: 'Documents from the region.',
    args: documentListArgs,
    resolve: (region, args, context) => documentsOf(context, region.id, args),
  }),
);

export type { CitationRow };
