import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { ENTITIES } from './entities.ts';
import * as tables from './schema/index.ts';
import type { EntityType } from './schema/enums.ts';
import type { Writer } from './writer.ts';

/* The write rules of documents on stored records, callable without GraphQL. */

/**
 * The document (a deleted one too: the text's hash is unique over both) that already holds the
 * text with this SHA-256, other than `exceptId`; undefined when none does. The caller words the
 * refusal, naming the document the way its clients know it.
 */
export async function documentWithText(writer: Writer, textSha256: string, exceptId: string | null) {
  const d = tables.documents;
  const [existing] = await writer.tx
    .select({ id: d.id, title: d.title, deletedAt: d.deletedAt })
    .from(d)
    .where(and(eq(d.textSha256, textSha256), exceptId ? ne(d.id, exceptId) : undefined));
  return existing;
}

/** The live citations quoting a document, counted by the type of record citing (one row per type, none when unquoted). */
export async function liveCitationsOf(writer: Writer, documentId: string) {
  const c = tables.citations;
  return writer.tx
    .select({ entityType: c.entityType, count: sql<number>`count(*)::int` })
    .from(c)
    .where(and(eq(c.documentId, documentId), isNull(c.deletedAt)))
    .groupBy(c.entityType);
}

const ENTITY_NAME_OF = new Map<EntityType, string>(Object.entries(ENTITIES).map(([name, entity]) => [entity.type, name]));

/** The counts of `liveCitationsOf` in words, by entity name: "12 live citations (Decision 3, Audit 9)". */
export function describeCitations(groups: { entityType: EntityType; count: number }[]) {
  const total = groups.reduce((sum, group) => sum + group.count, 0);
  return `${total} live citation${total === 1 ? '' : 's'} (${groups.map((group) => `${ENTITY_NAME_OF.get(group.entityType) ?? group.entityType} ${group.count}`).join(', ')})`;
}
