import { and, eq, ne } from 'drizzle-orm';
import * as tables from './schema/index.ts';
import { ValidationError } from './write-errors.ts';
import type { Writer } from './writer.ts';

/* The write rules of topics on stored records, callable without GraphQL. */

/** Refuses a slug another topic has, deleted topics included. */
export async function requireFreeTopicSlug(writer: Writer, slug: string, exceptId: string | null, path: (string | number)[]) {
  const topics = tables.topics;
  const [taken] = await writer.tx
    .select({ name: topics.name, deletedAt: topics.deletedAt })
    .from(topics)
    .where(and(eq(topics.slug, slug), exceptId ? ne(topics.id, exceptId) : undefined));
  if (taken) {
    throw new ValidationError([
      {
        path,
        message: taken.deletedAt
          ? `the slug "${slug}" belongs to the deleted topic "${taken.name}": restore it (restoreTopic) instead`
          : `the slug "${slug}" is already used by the topic "${taken.name}"`,
      },
    ]);
  }
}
