import { createHash } from 'node:crypto';
import { describeCitations, documentWithText, ENTITIES, type EntityName, foldWhitespace, liveCitationsOf, tables } from '@naravard/db';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { GraphQLSchema } from 'graphql';
import { z } from 'zod';
import { builder } from '../builder.ts';
import { databaseEnum } from '../enums.ts';
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
  wordsInVector,
} from '../filters.ts';
import { loadReference } from '../loaders.ts';
import { deleteField, restoreField, updateField } from '../mutation-fields.ts';
import { ruledInput, ruledPatch } from '../ruled-inputs.ts';
import { taggedEntityNode } from './nodes.ts';
import { filteredList, type OrderKey } from '../pagination.ts';
import { parseInput, recordIdOf, rules, type Writer, write } from '../writes.ts';
import { Timestamped } from '../bookkeeping.ts';
import { entitiesImplementing } from './entities.ts';
import { WRITE_ERRORS } from '../write-error-types.ts';
import { CitationInput, citationListArgs, citationsOf } from './citations.ts';
import { Tagged } from './tagged.ts';
import { Citation, type CitationRow, Document, type DocumentRow, Organisation, type OrganisationRow, Region, type RegionRow, Searchable } from './refs.ts';

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

builder.node(Document, {
  ...taggedEntityNode<DocumentRow>(tables.documents),
  // A document is the source, not a fact drawn from one: its `citations` are the passages of it
  // that other records quote, so it does not implement `Cited`.
  interfaces: [Timestamped, Tagged, Searchable],
  description:
    'A source record (allmän handling): minutes, an information letter, an audit response, a report, with its full text. Every citation quotes one.',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'The title of the document.' }),
    kind: t.expose('kind', { type: DocumentKind, description: 'What kind of document it is.' }),
    region: t.field({
      type: Region,
      nullable: true,
      description: 'The region the document comes from.',
      resolve: (document, _args, context, info) => loadReference<RegionRow>(context, tables.regions, document.regionId, info),
    }),
    issuedBy: t.field({
      type: Organisation,
      nullable: true,
      description: 'The body that issued the document.',
      resolve: (document, _args, context, info) => loadReference<OrganisationRow>(context, tables.organisations, document.issuedById, info),
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

const DocumentFilter = builder.inputType('DocumentFilter', {
  description: 'Narrows a list of documents. Conditions combine with AND.',
  fields: (t) => ({
    region: t.string({ description: 'The region: SCB county code ("07") or name ("Örebro", "Region Örebro län"), case and accents ignored.' }),
    kind: t.field({ type: [DocumentKind], description: 'Any of these kinds.' }),
    issuedOn: t.field({ type: DateRange, description: 'Issued within these dates (documents without a date are left out).' }),
    issuedBy: t.id({ ...takesNames, description: 'Issued by this body: its Organisation ID or name (within `region` when given).' }),
    registryNumber: t.string({ description: 'This registry number (diarienummer), case ignored ("24HSNG673").' }),
    topic: t.string({ description: 'Tagged with this topic: its slug ("sip") or its name, English or Swedish ("central kontaktingång").' }),
    text: t.string({ description: 'Words in the title or the full text, matched as `search` matches them: whole words in any inflection, accents and case ignored, every word required ("quoted phrase", `or`, -word).' }),
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
  const registryNumber = filter?.registryNumber?.trim();
  return allOf([
    ...lifecycleConditions(d, filter),
    regionIs(d.regionId, filter?.region),
    filter?.kind?.length ? inArray(d.kind, filter.kind) : undefined,
    ...dateInRange(d.issuedOn, filter?.issuedOn),
    referenceIs(d.issuedById, filter?.issuedBy, 'Organisation', 'issuedBy'),
    registryNumber ? sql`upper(${d.registryNumber}) = upper(${registryNumber})` : undefined,
    taggedWith('document', d.id, filter?.topic),
    wordsInVector(d.searchVector, filter?.text),
  ]);
}

function documentOrder(order: string | null | undefined): OrderKey[] {
  const d = tables.documents;
  if (order === 'ISSUED_ON_ASC') return [{ column: sql`coalesce(${d.issuedOn}, 'infinity'::date)`, direction: 'asc' }];
  if (order === 'TITLE') return [{ column: d.title, direction: 'asc' }];
  if (order === 'UPDATED_AT') return [{ column: d.updatedAt, direction: 'asc' }];
  return [{ column: sql`coalesce(${d.issuedOn}, '-infinity'::date)`, direction: 'desc' }];
}

const documentList = filteredList<DocumentRow, DocumentFilterShape>({ table: tables.documents, where: documentConditions, order: documentOrder });

const documentListArgs = builder.args((t) => ({
  filter: t.field({ type: DocumentFilter, description: 'Which documents.' }),
  orderBy: t.field({ type: DocumentOrder, defaultValue: 'ISSUED_ON_DESC', description: 'In which order.' }),
}));

builder.queryFields((t) => ({
  documents: t.connection({
    type: Document,
    description: 'The source documents every fact is read from, with their full text.',
    args: documentListArgs,
    resolve: (_root, args, context, info) => documentList.page(context, args, info),
  }),
}));

builder.objectField(Region, 'documents', (t) =>
  t.connection({
    type: Document,
    description: 'Documents from the region.',
    args: documentListArgs,
    resolve: (region, args, context, info) => documentList.pageOf(context, tables.documents.regionId, region.id, args, info),
  }),
);

export type { CitationRow };

// ─── Writes ──────────────────────────────────────────────────────────────────
//
// A document's text is what every citation was checked against, so it is stored exactly as
// given, identified by its SHA-256 (computed here), stored once (the same text twice is
// refused), and frozen once any live citation quotes it. A document cannot be deleted while
// live citations quote it or live audit responses name it: remove those first, so no record
// is left citing a document that is gone.
//
// Citations are not nodes: `citeRecord` attaches one to any record that carries citations
// (`Cited`), and `removeCitation` names the one to remove by what identifies it to a reader:
// the record, the document, the quote (whitespace folded) and, when the same passage is cited
// twice, its first line.

/** At most this many characters of text per document (about 2,500 pages). */
const MAX_TEXT_LENGTH = 5_000_000;

/** SHA-256 of a text, hex: the form `textSha256` has. */
const sha256Of = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Refuses a text some document (another one, when updating) already has, naming that document by its global ID. */
async function requireNewText(writer: Writer, textSha256: string, exceptId: string | null, path: (string | number)[]) {
  const existing = await documentWithText(writer, textSha256, exceptId);
  if (existing) {
    const where = `the document "${existing.title}" (${encodeGlobalID('Document', existing.id)})`;
    throw new ValidationError([
      {
        path,
        message: existing.deletedAt
          ? `the same text is already stored as ${where}, which is deleted: restore it (restoreDocument) instead`
          : `the same text is already stored as ${where}`,
      },
    ]);
  }
}

/** The type and UUID of a record that carries citations (its GraphQL type implements `Cited`), from its global ID; a ValidationError at `path` otherwise. */
function citedRecordOf(schema: GraphQLSchema, value: string, path: (string | number)[]): { typeName: EntityName; id: string } {
  const cited = entitiesImplementing(schema, 'Cited');
  return recordIdOf(value, cited, `record that carries citations (${cited.join(', ')})`, path);
}

const documentFields = {
  title: rules.text(500),
  kind: z.enum(tables.documentKind.enumValues),
  region: rules.regionCode.nullish(),
  issuedBy: rules.globalId('Organisation').nullish(),
  issuedOn: rules.date.nullish(),
  registryNumber: rules.text(100).nullish(),
  origin: rules.text(2000),
  text: z
    .string()
    .max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH.toLocaleString('en')} characters`)
    .refine((text) => text.trim().length > 0, 'must not be blank'),
};

const removeCitationRules = z.object({
  document: rules.globalId('Document'),
  quote: z.string().trim().min(1, 'must not be blank').max(5000, 'must be at most 5000 characters'),
  lineStart: z.number().int().min(1, 'lines count from 1').nullish(),
});

const AddDocumentInput = ruledInput('AddDocumentInput', {
  description:
    'A source document with its full text. The text is stored exactly as given (citations point at its lines); its SHA-256 is computed by the server, and a text already stored is refused.',
  fields: {
    title: { type: 'String', description: 'The title of the document (at most 500 characters).', rule: documentFields.title },
    kind: { type: DocumentKind, description: 'What kind of document it is.', rule: documentFields.kind },
    region: { type: 'String', description: 'SCB county code of the region the document comes from ("07").', rule: documentFields.region },
    issuedBy: { type: 'ID', description: 'The body that issued it (Organisation ID).', rule: documentFields.issuedBy },
    issuedOn: { type: 'Date', description: 'The date of the document.', rule: documentFields.issuedOn },
    registryNumber: { type: 'String', description: 'The registry number (diarienummer), e.g. "24HSNG673".', rule: documentFields.registryNumber },
    origin: {
      type: 'String',
      description: 'Where the document was obtained: publisher, file or address (at most 2000 characters).',
      rule: documentFields.origin,
    },
    text: {
      type: 'String',
      description: `The full text exactly as extracted from the published file, OCR damage included; at most ${MAX_TEXT_LENGTH.toLocaleString('en')} characters.`,
      rule: documentFields.text,
    },
    topics: { type: ['String'], description: 'Topic slugs to tag the document with.', rule: rules.list(rules.topics) },
  },
});

const DocumentPatch = ruledPatch('DocumentPatch', {
  description:
    'Fields of a document to change; fields left out stay as they are, null clears an optional field. The text can change only while no live citation quotes it.',
  fields: {
    title: { type: 'String', description: 'New title.', rule: documentFields.title },
    kind: { type: DocumentKind, description: 'New kind.', rule: documentFields.kind },
    region: { type: 'String', description: 'New region (SCB county code).', rule: documentFields.region },
    issuedBy: { type: 'ID', description: 'New issuing body (Organisation ID).', rule: documentFields.issuedBy },
    issuedOn: { type: 'Date', description: 'New date.', rule: documentFields.issuedOn },
    registryNumber: { type: 'String', description: 'New registry number.', rule: documentFields.registryNumber },
    origin: { type: 'String', description: 'New origin.', rule: documentFields.origin },
    text: { type: 'String', description: 'A corrected text; refused once any live citation quotes the document.', rule: documentFields.text },
  },
});

/** The path of a problem with the one citation of `citeRecord`, without the list index `writer.cite` adds. */
const withoutIndex = (path: (string | number)[]) => (path[0] === 'citation' && path[1] === 0 ? ['citation', ...path.slice(2)] : path);

builder.mutationFields((t) => ({
  addDocument: t.field({
    type: Document,
    description: 'Adds a source document with its full text, for records to cite. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: AddDocumentInput.ref, required: true, description: 'The document.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(AddDocumentInput.rules, args.input);
      return write(context, async (writer) => {
        await writer.requireLive([{ entity: 'Organisation', id: input.issuedBy, path: ['input', 'issuedBy'] }]);
        const regionId = await writer.regionId(input.region, ['input', 'region']);
        const textSha256 = sha256Of(input.text);
        await requireNewText(writer, textSha256, null, ['input', 'text']);
        const document = await writer.create<DocumentRow>('Document', {
          title: input.title,
          kind: input.kind,
          regionId: regionId ?? null,
          issuedById: input.issuedBy ?? null,
          issuedOn: input.issuedOn ?? null,
          registryNumber: input.registryNumber ?? null,
          origin: input.origin,
          textSha256,
          text: input.text,
        });
        await writer.tag('Document', document.id, input.topics, ['input', 'topics']);
        return document;
      });
    },
  }),
  updateDocument: updateField(t, {
    ref: Document,
    description:
      "Changes a document's metadata, or its text while no live citation quotes it. `version` must be the one you read: a stale version is a ConflictError.",
    idDescription: 'The document.',
    patch: DocumentPatch,
    references: { issuedBy: { entity: 'Organisation', column: 'issuedById' } },
    regions: { region: 'regionId' },
    check: async (writer, { patch, current, values }) => {
      if (patch.text === undefined) return;
      delete values.text;
      if (patch.text === current.text) return;
      const quoted = await liveCitationsOf(writer, current.id);
      if (quoted.length > 0) {
        throw new ValidationError([
          {
            path: ['patch', 'text'],
            message: `the text is quoted by ${describeCitations(quoted)} and can no longer change; add the corrected text as a new document`,
          },
        ]);
      }
      const textSha256 = sha256Of(patch.text);
      await requireNewText(writer, textSha256, current.id, ['patch', 'text']);
      Object.assign(values, { text: patch.text, textSha256 });
    },
  }),
  deleteDocument: deleteField(t, {
    ref: Document,
    description:
      'Deletes a document (a tombstone; an admin can restore it). Refused while live citations quote it or live audit responses name it: remove those first (removeCitation).',
    idDescription: 'The document.',
    beforeDelete: async (writer, { id }) => {
      const quoted = await liveCitationsOf(writer, id);
      if (quoted.length > 0) {
        throw new ValidationError([
          { path: ['id'], message: `the document is quoted by ${describeCitations(quoted)}: remove them first (removeCitation)` },
        ]);
      }
      const ar = tables.auditResponses;
      const responses = await writer.tx
        .select({ id: ar.id })
        .from(ar)
        .where(and(eq(ar.documentId, id), isNull(ar.deletedAt)));
      if (responses.length > 0) {
        throw new ValidationError([
          { path: ['id'], message: `the document holds ${responses.length} live audit response(s): change or delete them first` },
        ]);
      }
    },
  }),
  restoreDocument: restoreField(t, {
    ref: Document,
    description: 'Brings back a deleted document. Needs the `admin` scope.',
    idDescription: 'The deleted document.',
  }),

  citeRecord: t.field({
    type: Citation,
    description:
      'Attaches a quoted passage of a document to a record that carries citations (any type implementing `Cited`). The quote must stand in the document on the lines given; citing the same passage twice is refused. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      record: t.arg.id({ required: true, description: 'The record the passage supports (its ID): a Decision, an Audit, a Grant, …' }),
      citation: t.arg({ type: CitationInput.ref, required: true, description: 'The passage.' }),
    },
    resolve: async (_root, args, context, info) => {
      const record = citedRecordOf(info.schema, args.record, ['record']);
      const citation = parseInput(CitationInput.rules, args.citation, ['citation']);
      return write(context, async (writer) => {
        await writer.requireLive([{ entity: record.typeName, id: record.id, path: ['record'] }]);
        const c = tables.citations;
        const entityType = ENTITIES[record.typeName].type;
        const existing = await writer.tx
          .select({ quote: c.quote, lineStart: c.lineStart, lineEnd: c.lineEnd })
          .from(c)
          .where(and(eq(c.entityType, entityType), eq(c.entityId, record.id), eq(c.documentId, citation.document), isNull(c.deletedAt)));
        if (
          existing.some(
            (other) =>
              foldWhitespace(other.quote) === foldWhitespace(citation.quote) &&
              other.lineStart === citation.lineStart &&
              other.lineEnd === citation.lineEnd,
          )
        ) {
          throw new ValidationError([{ path: ['citation', 'quote'], message: 'the record already cites this passage on these lines' }]);
        }
        try {
          await writer.cite(record.typeName, record.id, [citation], ['citation']);
        } catch (error) {
          if (error instanceof ValidationError) {
            throw new ValidationError(error.issues.map((issue) => ({ ...issue, path: withoutIndex(issue.path) })));
          }
          if (error instanceof NotFoundError) throw new NotFoundError(error.typeName, error.id, withoutIndex(error.path));
          throw error;
        }
        const [created] = await writer.tx
          .select()
          .from(c)
          .where(
            and(
              eq(c.entityType, entityType),
              eq(c.entityId, record.id),
              eq(c.documentId, citation.document),
              eq(c.quote, citation.quote),
              eq(c.lineStart, citation.lineStart),
              isNull(c.deletedAt),
            ),
          );
        return created!;
      });
    },
  }),
  removeCitation: t.field({
    type: Citation,
    description:
      'Removes a quoted passage from a record (a tombstone, kept in the change log). The citation is named by its record, document and quote (whitespace folded); when the record cites that passage more than once, `lineStart` says which. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      record: t.arg.id({ required: true, description: 'The record citing the passage (its ID).' }),
      document: t.arg.id({ required: true, description: 'The Document quoted (its ID).' }),
      quote: t.arg.string({ required: true, description: 'The quote, as the citation has it (whitespace may differ).' }),
      lineStart: t.arg.int({ description: 'The first line of the passage, when the record cites the same quote more than once.' }),
    },
    resolve: async (_root, args, context, info) => {
      const record = citedRecordOf(info.schema, args.record, ['record']);
      const { document, quote, lineStart } = parseInput(
        removeCitationRules,
        { document: args.document, quote: args.quote, lineStart: args.lineStart },
        [],
      );
      return write(context, async (writer) => {
        const c = tables.citations;
        const candidates = await writer.tx
          .select({ id: c.id, quote: c.quote, lineStart: c.lineStart })
          .from(c)
          .where(
            and(eq(c.entityType, ENTITIES[record.typeName].type), eq(c.entityId, record.id), eq(c.documentId, document), isNull(c.deletedAt)),
          );
        const matching = candidates.filter(
          (candidate) =>
            foldWhitespace(candidate.quote) === foldWhitespace(quote) && (lineStart === null || lineStart === undefined || candidate.lineStart === lineStart),
        );
        if (matching.length === 0) throw new NotFoundError('Citation', quote, ['quote']);
        if (matching.length > 1) {
          throw new ValidationError([
            {
              path: ['lineStart'],
              message: `the record cites this quote ${matching.length} times (from lines ${matching.map((m) => m.lineStart).join(', ')}): give lineStart to say which`,
            },
          ]);
        }
        return writer.delete<CitationRow>('Citation', matching[0]!.id, null);
      });
    },
  }),
}));
