import { tables } from '@naravard/db';
import { builder } from '../builder.ts';
import { loadRows } from '../loaders.ts';
import { Timestamped } from './bookkeeping.ts';
import { Topic, type TopicRow } from './refs.ts';

builder.node(Topic, {
  description: 'A theme shared across regions: central contact entry, fixed doctor contact, SIP, 1177 direkt.',
  id: { resolve: (topic) => topic.id },
  loadMany: (ids, context) => loadRows<TopicRow>(context, tables.topics, ids),
  interfaces: [Timestamped],
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'Stable key used in filters ("central-contact-entry").' }),
    name: t.exposeString('name', { description: 'The name in English.' }),
  }),
});
