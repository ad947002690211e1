import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bookkeeping, id } from './columns.ts';
import { entityType } from './enums.ts';

/** A theme shared across regions: central contact entry, fixed doctor contact, SIP, 1177 direkt. */
export const topics = pgTable(
  'topics',
  {
    id: id(),
    /** Stable key used in filters ("central-contact-entry"). */
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    /** The Swedish term ("central kontaktingång"). */
    swedishName: text('swedish_name'),
    description: text('description'),
    ...bookkeeping(),
  },
  (table) => [
    uniqueIndex('topics_slug_key').on(table.slug),
    check('topics_slug_format', sql`${table.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
  ],
);

/** Tags a record (decision, assignment, agenda item, …) with a topic. */
export const topicLinks = pgTable(
  'topic_links',
  {
    id: id(),
    topicId: uuid('topic_id')
      .notNull()
      .references(() => topics.id),
    entityType: entityType('entity_type').notNull(),
    entityId: uuid('entity_id').notNull(),
    ...bookkeeping(),
  },
  (table) => [
    uniqueIndex('topic_links_topic_entity_key').on(table.topicId, table.entityType, table.entityId),
    index('topic_links_entity_idx').on(table.entityType, table.entityId),
  ],
);
