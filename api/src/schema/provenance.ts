import { entityTypeOf, tables } from '@naravard/db';
import { asc, eq } from 'drizzle-orm';
import { builder } from '../builder.ts';
import { loadChildren, loadReference } from '../loaders.ts';
import { Citation, type CitationRow, Topic, type TopicRow } from './refs.ts';

type TopicLinkRow = (typeof tables.topicLinks)['$inferSelect'];

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

/** Records tagged with cross-region themes (topics). */
export const Tagged = builder.interfaceRef<{ id: string }>('Tagged').implement({
  description: 'A record tagged with topics: themes shared across regions.',
  fields: (t) => ({
    topics: t.field({
      type: [Topic],
      description: 'The topics this record is tagged with.',
      resolve: async (record, _args, context, info) => {
        const entityType = entityTypeOf(info.parentType.name);
        const links = await loadChildren<TopicLinkRow>(
          context,
          {
            table: tables.topicLinks,
            foreignKey: tables.topicLinks.entityId,
            where: eq(tables.topicLinks.entityType, entityType),
            variant: entityType,
            orderBy: [asc(tables.topicLinks.topicId)],
          },
          record.id,
        );
        const topics = await Promise.all(links.map((link) => loadReference<TopicRow>(context, tables.topics, link.topicId)));
        return topics
          .filter((topic): topic is TopicRow => topic !== null && topic.deletedAt === null)
          .sort((a, b) => a.name.localeCompare(b.name, 'sv'));
      },
    }),
  }),
});

/** A quoted passage to attach to a record being written. */
export const CitationInput = builder.inputType('CitationInput', {
  description:
    'A passage of a source document that supports the record. The quote must stand in the document (whitespace folded) on the lines given.',
  fields: (t) => ({
    document: t.id({ required: true, description: 'The Document quoted (its ID).' }),
    quote: t.string({ required: true, description: 'The passage, verbatim (OCR damage included).' }),
    lineStart: t.int({ required: true, description: 'First line of the passage (1-based).' }),
    lineEnd: t.int({ required: true, description: 'Last line of the passage.' }),
  }),
});
