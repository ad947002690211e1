import { type EntityType, tables } from '@naravard/db';
import { and, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { type GraphQLSchema, isObjectType } from 'graphql';
import { builder } from '../builder.ts';
import { BadInputError } from '../errors.ts';
import { allOf, lifecycleConditions, lifecycleFilterFields, textMatches } from '../filters.ts';
import { type EntityTable, loadRows } from '../loaders.ts';
import { type OrderKey, paginateChildren, paginateTable } from '../pagination.ts';
import { Timestamped } from './bookkeeping.ts';
import { ENTITIES, loadEntity } from './entities.ts';
import { Tagged } from './provenance.ts';
import { Topic, type TopicRow } from './refs.ts';

type TopicLinkRow = (typeof tables.topicLinks)['$inferSelect'];

/**
 * The record types that can be tagged, by GraphQL type name: the entity types whose GraphQL
 * type implements `Tagged` in the built schema (worked out once per schema).
 */
const taggableBySchema = new WeakMap<GraphQLSchema, Map<string, EntityType>>();
function taggableTypes(schema: GraphQLSchema): Map<string, EntityType> {
  let taggable = taggableBySchema.get(schema);
  if (!taggable) {
    taggable = new Map();
    for (const [name, entity] of Object.entries(ENTITIES)) {
      const type = schema.getType(name);
      if (isObjectType(type) && type.getInterfaces().some((face) => face.name === 'Tagged')) taggable.set(name, entity.type);
    }
    taggableBySchema.set(schema, taggable);
  }
  return taggable;
}

const TopicRecordFilter = builder.inputType('TopicRecordFilter', {
  description:
    "Narrows a topic's records by their own lifecycle: live records by default; with `updatedSince`, records changed since then, deleted ones included.",
  fields: (t) => ({
    ...lifecycleFilterFields(t),
  }),
});

const TopicRecordOrder = builder.enumType('TopicRecordOrder', {
  description: "Orders of a topic's records; ties are broken by the tag's ID so paging is stable.",
  values: {
    TYPE: { description: 'Grouped by record type (documents, meetings, agenda items, decisions, …), the default.' },
    TAGGED_AT: { description: 'By when the record was tagged, oldest first.' },
  },
});

builder.node(Topic, {
  description:
    'A theme shared across regions (tema): central contact entry (central kontaktingång), fixed doctor contact, SIP, 1177 direkt. Topics are the platform’s own classification, not facts read from a document, so they carry no citations.',
  id: { resolve: (topic) => topic.id },
  loadMany: (ids, context) => loadRows<TopicRow>(context, tables.topics, ids),
  interfaces: [Timestamped],
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'Stable key used in filters ("central-contact-entry").' }),
    name: t.exposeString('name', { description: 'The name in English ("Central contact entry").' }),
    swedishName: t.exposeString('swedishName', { nullable: true, description: 'The Swedish term ("Central kontaktingång").' }),
    description: t.exposeString('description', { nullable: true, description: 'What the topic covers.' }),
    records: t.connection({
      type: Tagged,
      description:
        'The records tagged with this topic, across regions and record types: decisions, meetings, agenda items, assignments, audits, documents, …',
      args: {
        types: t.arg.stringList({
          description: 'Only records of these types (GraphQL type names: "Decision", "Meeting"). All tagged types when left out.',
        }),
        filter: t.arg({ type: TopicRecordFilter, description: 'Which records.' }),
        orderBy: t.arg({ type: TopicRecordOrder, defaultValue: 'TYPE', description: 'In which order.' }),
      },
      resolve: async (topic, args, context, info) => {
        const taggable = taggableTypes(info.schema);
        const names = args.types ?? [...taggable.keys()];
        for (const name of names) {
          if (!taggable.has(name)) {
            throw new BadInputError(
              `"types": ${JSON.stringify(name)} is not a type of record that can be tagged; use one of ${[...taggable.keys()].join(', ')}`,
              'types',
            );
          }
        }
        const l = tables.topicLinks;
        // The link must lead to a record of a wanted type that passes the lifecycle filter.
        const alternatives = names.map((name) => {
          const table = ENTITIES[name]!.table as EntityTable & { updatedAt: PgColumn };
          const conditions = lifecycleConditions(table, args.filter);
          const live = conditions.length > 0 ? sql` and ${and(...conditions)}` : sql``;
          return sql`(${l.entityType} = ${taggable.get(name)!} and exists (select 1 from ${table} where ${table.id} = ${l.entityId}${live}))`;
        });
        const where: SQL = alternatives.length > 0 ? sql`(${sql.join(alternatives, sql` or `)})` : sql`false`;
        const order: OrderKey[] =
          args.orderBy === 'TAGGED_AT' ? [{ column: l.createdAt, direction: 'asc' }] : [{ column: l.entityType, direction: 'asc' }];
        const links = await paginateChildren<TopicLinkRow>({
          context,
          table: l,
          foreignKey: l.topicId,
          parentId: topic.id,
          where,
          filterKey: JSON.stringify([[...names].sort(), args.filter ?? null, args.orderBy ?? null]),
          order,
          args,
        });
        const edges = await Promise.all(
          links.edges.map(async (edge) => ({
            cursor: edge.cursor,
            node: (await loadEntity(context, edge.node.entityType, edge.node.entityId)) as { id: string } | null,
          })),
        );
        return { ...links, edges: edges.filter((edge): edge is { cursor: string; node: { id: string } } => edge.node !== null) };
      },
    }),
  }),
});

const TopicFilter = builder.inputType('TopicFilter', {
  description: 'Narrows the list of topics. Conditions combine with AND.',
  fields: (t) => ({
    text: t.string({ description: 'Words in the slug, name, Swedish name or description, accents and case ignored.' }),
    ...lifecycleFilterFields(t),
  }),
});

const TopicOrder = builder.enumType('TopicOrder', {
  description: 'Orders of the topic list; ties are broken by ID so paging is stable.',
  values: {
    NAME: { description: 'By English name, ascending (the default).' },
    SLUG: { description: 'By slug, ascending.' },
    UPDATED_AT: { description: 'By last change, oldest first: the order for incremental refresh.' },
  },
});

builder.queryFields((t) => ({
  topics: t.connection({
    type: Topic,
    description: 'The themes records are tagged with, shared across regions.',
    args: {
      filter: t.arg({ type: TopicFilter, description: 'Which topics.' }),
      orderBy: t.arg({ type: TopicOrder, defaultValue: 'NAME', description: 'In which order.' }),
    },
    resolve: (_root, args, context) => {
      const topics = tables.topics;
      const column = { NAME: topics.name, SLUG: topics.slug, UPDATED_AT: topics.updatedAt }[args.orderBy ?? 'NAME'];
      return paginateTable<TopicRow>({
        db: context.db,
        table: topics,
        where: allOf([
          ...lifecycleConditions(topics, args.filter),
          textMatches([topics.slug, topics.name, topics.swedishName, topics.description], args.filter?.text),
        ]),
        order: [{ column, direction: 'asc' }],
        args,
      });
    },
  }),
}));
