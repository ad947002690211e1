import { ENTITIES, type EntityName, type EntityType, entityTypeOf, requireFreeTopicSlug, tables } from '@naravard/db';
import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { GraphQLSchema } from 'graphql';
import { z } from 'zod';
import { builder } from '../builder.ts';
import { BadInputError, NotFoundError } from '../errors.ts';
import { allOf, lifecycleConditions, lifecycleFilterFields, textMatches } from '../filters.ts';
import { type EntityTable, loadReference } from '../loaders.ts';
import { loadNodes } from './nodes.ts';
import { deleteField, restoreField, updateField } from '../mutation-fields.ts';
import { type OrderKey, paginateChildren, paginateTable } from '../pagination.ts';
import { parseInput, recordIdOf, rules, write } from '../writes.ts';
import { ruledInput, ruledPatch } from '../ruled-inputs.ts';
import { Timestamped } from '../bookkeeping.ts';
import { entitiesImplementing, loadEntity } from './entities.ts';
import { WRITE_ERRORS } from '../write-error-types.ts';
import { Tagged } from './tagged.ts';
import { Topic, type TopicRow } from './refs.ts';

type TopicLinkRow = (typeof tables.topicLinks)['$inferSelect'];

/** The record types that can be tagged, by GraphQL type name: those whose GraphQL type implements `Tagged`. */
const taggableTypes = (schema: GraphQLSchema) => entitiesImplementing(schema, 'Tagged');

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
  loadMany: (ids, context) => loadNodes<TopicRow>(context, tables.topics, ids),
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
        const names = (args.types ?? taggable).map((name) => {
          const entity = taggable.find((candidate) => candidate === name);
          if (!entity) {
            throw new BadInputError(
              `"types": ${JSON.stringify(name)} is not a type of record that can be tagged; use one of ${taggable.join(', ')}`,
              'types',
            );
          }
          return entity;
        });
        const l = tables.topicLinks;
        // The link must lead to a record of a wanted type that passes the lifecycle filter.
        const alternatives = names.map((name) => {
          const table = ENTITIES[name].table as EntityTable & { updatedAt: PgColumn };
          const conditions = lifecycleConditions(table, args.filter);
          const live = conditions.length > 0 ? sql` and ${and(...conditions)}` : sql``;
          return sql`(${l.entityType} = ${entityTypeOf(name)} and exists (select 1 from ${table} where ${table.id} = ${l.entityId}${live}))`;
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
    text: t.string({ description: 'Words in the slug, name, Swedish name or description, matched as `search` matches them: whole words in any inflection, accents and case ignored, every word required ("quoted phrase", `or`, -word).' }),
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

// ─── Writes ──────────────────────────────────────────────────────────────────
//
// Topics are the platform's own classification: no citations. A slug is unique among all topics,
// deleted ones included (a deleted topic keeps its slug until restored). Deleting a topic keeps
// its tags, hidden with it, so restoring it brings them back. `tagRecord` is idempotent (a tag
// already there is left as it is); `untagRecord` removes the tag row itself (tags carry no facts)
// and records its last state in the change log.

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const slugRule = z
  .string()
  .max(100, 'must be at most 100 characters')
  .regex(SLUG, 'must be a topic slug: lower-case letters and digits in words joined by "-", such as "central-contact-entry"');

const topicFields = {
  slug: slugRule,
  name: rules.text(200),
  swedishName: rules.text(200).nullish(),
  description: rules.text(2000).nullish(),
};

/** The GraphQL type, entity type and UUID of a taggable record from its global ID; a ValidationError at `record` otherwise. */
function taggedRecordOf(schema: GraphQLSchema, value: string): { typeName: EntityName; entityType: EntityType; id: string } {
  const taggable = taggableTypes(schema);
  const record = recordIdOf(value, taggable, `record that can be tagged (${taggable.join(', ')})`, ['record']);
  return { ...record, entityType: entityTypeOf(record.typeName) };
}

/** What `tagRecord` and `untagRecord` answer: the record and the topic. */
interface TopicTagShape {
  entityType: EntityType;
  entityId: string;
  topicId: string;
}

const TopicTag = builder.objectRef<TopicTagShape>('TopicTag').implement({
  description: 'A record and a topic: what tagRecord tagged, or what untagRecord untagged.',
  fields: (t) => ({
    record: t.field({
      type: Tagged,
      description: 'The record, with its topics as they are now.',
      resolve: async (tag, _args, context, info) => (await loadEntity(context, tag.entityType, tag.entityId, info)) as never,
    }),
    topic: t.field({
      type: Topic,
      description: 'The topic.',
      resolve: async (tag, _args, context, info) => (await loadReference<TopicRow>(context, tables.topics, tag.topicId, info))!,
    }),
  }),
});

const CreateTopicInput = ruledInput('CreateTopicInput', {
  description: 'A theme shared across regions (tema), to tag records with.',
  fields: {
    slug: {
      type: 'String',
      description: 'Stable key used in filters and tags, unique: lower-case words joined by "-" ("central-contact-entry").',
      rule: topicFields.slug,
    },
    name: { type: 'String', description: 'The name in English ("Central contact entry"), at most 200 characters.', rule: topicFields.name },
    swedishName: { type: 'String', description: 'The Swedish term ("Central kontaktingång").', rule: topicFields.swedishName },
    description: { type: 'String', description: 'What the topic covers (at most 2000 characters).', rule: topicFields.description },
  },
});

const TopicPatch = ruledPatch('TopicPatch', {
  description: 'Fields of a topic to change; fields left out stay as they are, null clears an optional field.',
  fields: {
    slug: { type: 'String', description: 'New slug, unique. Clients that filter by the old slug must change too.', rule: topicFields.slug },
    name: { type: 'String', description: 'New English name.', rule: topicFields.name },
    swedishName: { type: 'String', description: 'New Swedish term.', rule: topicFields.swedishName },
    description: { type: 'String', description: 'New description.', rule: topicFields.description },
  },
});

builder.mutationFields((t) => ({
  createTopic: t.field({
    type: Topic,
    description: 'Creates a topic to tag records with. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: { input: t.arg({ type: CreateTopicInput.ref, required: true, description: 'The topic.' }) },
    resolve: async (_root, args, context) => {
      const input = parseInput(CreateTopicInput.rules, args.input);
      return write(context, async (writer) => {
        await requireFreeTopicSlug(writer, input.slug, null, ['input', 'slug']);
        return writer.create<TopicRow>('Topic', {
          slug: input.slug,
          name: input.name,
          swedishName: input.swedishName ?? null,
          description: input.description ?? null,
        });
      });
    },
  }),
  updateTopic: updateField(t, {
    ref: Topic,
    description: 'Changes fields of a topic. `version` must be the one you read: a stale version is a ConflictError.',
    idDescription: 'The topic.',
    patch: TopicPatch,
    check: async (writer, { patch, current }) => {
      if (patch.slug !== undefined) await requireFreeTopicSlug(writer, patch.slug, current.id, ['patch', 'slug']);
    },
  }),
  deleteTopic: deleteField(t, {
    ref: Topic,
    description:
      'Deletes a topic (a tombstone): it leaves the lists and the records’ `topics`, shows in `updatedSince` with `deletedAt`; an admin can restore it with its tags.',
    idDescription: 'The topic.',
  }),
  restoreTopic: restoreField(t, {
    ref: Topic,
    description: 'Brings back a deleted topic with its tags. Needs the `admin` scope.',
    idDescription: 'The deleted topic.',
  }),

  tagRecord: t.field({
    type: TopicTag,
    description:
      'Tags a record (any type implementing `Tagged`) with a topic, logged in the change log. Tagging a record that already has the tag changes nothing. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      record: t.arg.id({ required: true, description: 'The record to tag (its ID): a Decision, a Meeting, an Audit, a Document, …' }),
      topic: t.arg.string({ required: true, description: 'The topic’s slug ("central-contact-entry").' }),
    },
    resolve: async (_root, args, context, info) => {
      const record = taggedRecordOf(info.schema, args.record);
      const slug = parseInput(slugRule, args.topic, ['topic']);
      return write(context, async (writer) => {
        await writer.requireLive([{ entity: record.typeName, id: record.id, path: ['record'] }]);
        const topics = tables.topics;
        const [topic] = await writer.tx
          .select({ id: topics.id })
          .from(topics)
          .where(and(eq(topics.slug, slug), isNull(topics.deletedAt)));
        if (!topic) throw new NotFoundError('Topic', slug, ['topic']);
        const l = tables.topicLinks;
        const [link] = await writer.tx
          .select()
          .from(l)
          .where(and(eq(l.topicId, topic.id), eq(l.entityType, record.entityType), eq(l.entityId, record.id)))
          .for('update');
        if (!link) {
          await writer.tag(record.typeName, record.id, [slug], ['topic']);
        } else if (link.deletedAt) {
          // A tag removed by other means (a tombstone) comes back rather than being duplicated.
          const [revived] = await writer.tx
            .update(l)
            .set({ deletedAt: null, version: sql`${l.version} + 1`, updatedAt: sql`now()` })
            .where(eq(l.id, link.id))
            .returning();
          await writer.log('restore', 'TopicLink', link.id, link, revived);
        }
        return { entityType: record.entityType, entityId: record.id, topicId: topic.id };
      });
    },
  }),
  untagRecord: t.field({
    type: TopicTag,
    description:
      'Removes a topic from a record. The tag is removed outright; the change log keeps what it was. A tag that is not there is a NotFoundError. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      record: t.arg.id({ required: true, description: 'The tagged record (its ID).' }),
      topic: t.arg.string({ required: true, description: 'The topic’s slug.' }),
    },
    resolve: async (_root, args, context, info) => {
      const record = taggedRecordOf(info.schema, args.record);
      const slug = parseInput(slugRule, args.topic, ['topic']);
      return write(context, async (writer) => {
        const topics = tables.topics;
        const [topic] = await writer.tx.select({ id: topics.id }).from(topics).where(eq(topics.slug, slug));
        if (!topic) throw new NotFoundError('Topic', slug, ['topic']);
        const l = tables.topicLinks;
        const [link] = await writer.tx
          .select()
          .from(l)
          .where(and(eq(l.topicId, topic.id), eq(l.entityType, record.entityType), eq(l.entityId, record.id), isNull(l.deletedAt)))
          .for('update');
        if (!link) throw new NotFoundError('TopicLink', slug, ['topic']);
        await writer.tx.delete(l).where(eq(l.id, link.id));
        await writer.log('delete', 'TopicLink', link.id, link, null);
        return { entityType: record.entityType, entityId: record.id, topicId: topic.id };
      });
    },
  }),
}));
