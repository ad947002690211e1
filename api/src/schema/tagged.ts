import { entityTypeOf, tables } from '@naravard/db';
import { asc, eq } from 'drizzle-orm';
import { builder } from '../builder.ts';
import { loadChildren, loadReference } from '../loaders.ts';
import { Topic, type TopicRow } from './refs.ts';

type TopicLinkRow = (typeof tables.topicLinks)['$inferSelect'];

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
