import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Callers, databaseChecksum } from './support/auth.ts';
import { gid, missingId } from './support/ids.ts';
import type { TestServer } from './support/server.ts';
import { RESULT, startWriteTest, type WriteTest } from './support/writes.ts';

let server: TestServer;
let as: Callers;
let refused: WriteTest['refused'];

const REKVISITION = gid('Decision', 'decision:kronoberg-revisionssvar-2025-03-25:rekvisition-statsbidrag-2025');
const GRANT_2025 = gid('Grant', 'grant:kronoberg-revisionssvar-2025-03-25:statsbidrag-nara-vard-2025');
const SIP = gid('Topic', 'topic:sip');

beforeAll(async () => {
  ({ server, as, refused } = await startWriteTest());
});
afterAll(() => server?.close());

const CREATE = `mutation ($input: CreateTopicInput!) { createTopic(input: $input) { ${RESULT} ... on Topic { id version slug name swedishName description } } }`;
const UPDATE = `mutation ($id: ID!, $version: Int!, $patch: TopicPatch!) { updateTopic(id: $id, version: $version, patch: $patch) { ${RESULT} ... on Topic { version slug name swedishName } } }`;
const DELETE = `mutation ($id: ID!, $version: Int!) { deleteTopic(id: $id, version: $version) { ${RESULT} ... on Topic { deletedAt version } } }`;
const RESTORE = `mutation ($id: ID!) { restoreTopic(id: $id) { ${RESULT} ... on Topic { deletedAt version } } }`;
const TAG = `mutation ($record: ID!, $topic: String!) { tagRecord(record: $record, topic: $topic) {
  ${RESULT} ... on TopicTag { record { topics { slug } ... on Decision { title } } topic { slug } } } }`;
const UNTAG = `mutation ($record: ID!, $topic: String!) { untagRecord(record: $record, topic: $topic) {
  ${RESULT} ... on TopicTag { record { topics { slug } } topic { slug } } } }`;

const topicsOf = async (record: string) =>
  ((await server.graphql(`query ($id: ID!) { node(id: $id) { ... on Tagged { topics { slug } } } }`, { id: record })).data!.node.topics as { slug: string }[]).map(
    (topic) => topic.slug,
  );
const decisionsTagged = async (slug: string) =>
  (await server.graphql(`query ($slug: String!) { decisions(first: 50, filter: { topic: $slug }) { edges { node { id } } } }`, { slug })).data!.decisions.edges.map(
    (edge: any) => edge.node.id,
  );

let topic: { id: string; slug: string };

describe('topics', () => {
  it('creates a topic, listed at once and logged', async () => {
    const response = await server.graphql(
      CREATE,
      { input: { slug: 'long-term-financing', name: 'Long-term financing', swedishName: 'Långsiktig finansiering', description: 'How the reform is paid for after the grants.' } },
      as.write,
    );
    topic = response.data!.createTopic;
    expect(topic).toMatchObject({ __typename: 'Topic', version: 1, slug: 'long-term-financing', swedishName: 'Långsiktig finansiering' });
    const list = await server.graphql(`{ topics(first: 5, filter: { text: "finansiering" }) { edges { node { slug } } } }`);
    expect(list.data!.topics.edges).toEqual([{ node: { slug: 'long-term-financing' } }]);
    const log = await server.graphql(`query ($id: ID!) { changes(first: 5, entityId: $id) { edges { node { operation entityType actor } } } }`, { id: topic.id });
    expect(log.data!.changes.edges).toEqual([{ node: { operation: 'CREATE', entityType: 'TOPIC', actor: as.writeKeyName } }]);
  });

  it('refuses a slug already in use at input.slug, naming the topic that has it', async () => {
    expect(await refused(CREATE, { input: { slug: 'sip', name: 'SIP igen' } }, 'createTopic')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'slug'], message: 'the slug "sip" is already used by the topic "Coordinated individual plan (SIP)"' }],
    });
  });

  it('refuses generated malformed slugs at input.slug and changes nothing', async () => {
    const malformed = fc.oneof(
      fc.string({ minLength: 0, maxLength: 20 }).filter((text) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(text)),
      fc.constantFrom('Central-contact', 'central contact', '-sip', 'sip-', 'a--b', 'vårdgaranti', 'x'.repeat(101)),
    );
    await fc.assert(
      fc.asyncProperty(malformed, async (slug) => {
        const before = await databaseChecksum(server);
        const response = await server.graphql(CREATE, { input: { slug, name: 'Namn' } }, as.write);
        expect(response.data!.createTopic).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['input', 'slug'] }] });
        expect(await databaseChecksum(server)).toBe(before);
      }),
      { numRuns: 20 },
    );
  });

  it('updates with version checks, and refuses a slug another topic has', async () => {
    const renamed = await server.graphql(UPDATE, { id: topic.id, version: 1, patch: { name: 'Long-term funding', swedishName: null } }, as.write);
    expect(renamed.data!.updateTopic).toEqual({ __typename: 'Topic', version: 2, slug: 'long-term-financing', name: 'Long-term funding', swedishName: null });
    expect(await refused(UPDATE, { id: topic.id, version: 1, patch: { name: 'X' } }, 'updateTopic')).toMatchObject({ __typename: 'ConflictError', currentVersion: 2 });
    expect(await refused(UPDATE, { id: topic.id, version: 2, patch: { slug: 'state-grants' } }, 'updateTopic')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['patch', 'slug'] }],
    });
    expect(await refused(UPDATE, { id: SIP, version: 1, patch: { name: '' } }, 'updateTopic')).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['patch', 'name'] }] });
  });
});

describe('tagRecord and untagRecord', () => {
  it('tags the seeded 2025 requisition decision, visible on the decision, in filters and in the change log', async () => {
    const before = await topicsOf(REKVISITION);
    expect(before).not.toContain('long-term-financing');
    const tagged = await server.graphql(TAG, { record: REKVISITION, topic: 'long-term-financing' }, as.write);
    expect(tagged.data!.tagRecord).toMatchObject({
      __typename: 'TopicTag',
      record: { title: 'Rekvisition av statsbidraget för nära vård 2025' },
      topic: { slug: 'long-term-financing' },
    });
    expect(tagged.data!.tagRecord.record.topics.map((t: any) => t.slug).sort()).toEqual([...before, 'long-term-financing'].sort());
    expect(await decisionsTagged('long-term-financing')).toEqual([REKVISITION]);
    const log = await server.graphql(`{ changes(last: 1, entity: TOPIC_LINK) { edges { node { operation actor after } } } }`);
    expect(log.data!.changes.edges[0].node).toMatchObject({ operation: 'CREATE', actor: as.writeKeyName, after: { entityType: 'decision' } });
  });

  it('leaves a tag that is already there as it is, writing nothing', async () => {
    const again = await refused(TAG, { record: REKVISITION, topic: 'long-term-financing' }, 'tagRecord');
    expect(again.__typename).toBe('TopicTag');
  });

  it('refuses records that cannot be tagged, records and topics that do not exist, malformed slugs and anonymous callers', async () => {
    expect(await refused(TAG, { record: GRANT_2025, topic: 'state-grants' }, 'tagRecord')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['record'], message: expect.stringContaining('not of a Grant') }],
    });
    expect(await refused(TAG, { record: SIP, topic: 'state-grants' }, 'tagRecord')).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['record'] }] });
    expect(await refused(TAG, { record: missingId('Decision'), topic: 'state-grants' }, 'tagRecord')).toMatchObject({ __typename: 'NotFoundError', type: 'Decision', path: ['record'] });
    expect(await refused(TAG, { record: REKVISITION, topic: 'no-such-topic' }, 'tagRecord')).toMatchObject({ __typename: 'NotFoundError', type: 'Topic', id: 'no-such-topic', path: ['topic'] });
    expect(await refused(TAG, { record: REKVISITION, topic: 'Not a slug' }, 'tagRecord')).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['topic'] }] });
    expect(await refused(TAG, { record: REKVISITION, topic: 'sip' }, 'tagRecord', as.anonymous)).toMatchObject({ __typename: 'ForbiddenError', requiredScope: 'write' });
  });

  it('untags: gone from the record, the filters and the topic’s records, logged with what it was; untagging again is refused', async () => {
    const untagged = await server.graphql(UNTAG, { record: REKVISITION, topic: 'long-term-financing' }, as.write);
    expect(untagged.data!.untagRecord.__typename).toBe('TopicTag');
    expect(untagged.data!.untagRecord.record.topics.map((t: any) => t.slug)).not.toContain('long-term-financing');
    expect(await decisionsTagged('long-term-financing')).toEqual([]);
    const records = await server.graphql(`query ($id: ID!) { node(id: $id) { ... on Topic { records(first: 10) { edges { node { ... on Node { id } } } } } } }`, { id: topic.id });
    expect(records.data!.node.records.edges).toEqual([]);
    const log = await server.graphql(`{ changes(last: 1, entity: TOPIC_LINK) { edges { node { operation before after } } } }`);
    expect(log.data!.changes.edges[0].node).toMatchObject({ operation: 'DELETE', before: { entityType: 'decision' }, after: null });

    expect(await refused(UNTAG, { record: REKVISITION, topic: 'long-term-financing' }, 'untagRecord')).toMatchObject({
      __typename: 'NotFoundError',
      type: 'TopicLink',
      path: ['topic'],
    });
    const retagged = await server.graphql(TAG, { record: REKVISITION, topic: 'long-term-financing' }, as.write);
    expect(retagged.data!.tagRecord.record.topics.map((t: any) => t.slug)).toContain('long-term-financing');
  });
});

describe('delete and restore a topic', () => {
  it('hides a deleted topic with its tags, keeps its slug, and brings both back on an admin restore', async () => {
    const startedAt = new Date(Date.now() - 1000).toISOString();
    expect(await refused(DELETE, { id: topic.id, version: 1 }, 'deleteTopic')).toMatchObject({ __typename: 'ConflictError', currentVersion: 2 });
    const deleted = await server.graphql(DELETE, { id: topic.id, version: 2 }, as.write);
    expect(deleted.data!.deleteTopic).toMatchObject({ deletedAt: expect.any(String), version: 3 });
    expect(await topicsOf(REKVISITION)).not.toContain('long-term-financing');
    expect(await decisionsTagged('long-term-financing')).toEqual([]);
    const list = await server.graphql(`{ topics(first: 5, filter: { text: "financing" }) { totalCount } }`);
    expect(list.data!.topics.totalCount).toBe(0);
    const incremental = await server.graphql(`query ($since: DateTime!) { topics(first: 10, filter: { updatedSince: $since }) { edges { node { slug deletedAt } } } }`, { since: startedAt });
    expect(incremental.data!.topics.edges).toContainEqual({ node: { slug: 'long-term-financing', deletedAt: expect.any(String) } });

    expect((await refused(CREATE, { input: { slug: 'long-term-financing', name: 'Ny' } }, 'createTopic')).issues[0].message).toContain('restore it (restoreTopic) instead');
    expect(await refused(TAG, { record: REKVISITION, topic: 'long-term-financing' }, 'tagRecord')).toMatchObject({ __typename: 'NotFoundError', type: 'Topic' });

    expect(await refused(RESTORE, { id: topic.id }, 'restoreTopic')).toMatchObject({ __typename: 'ForbiddenError', requiredScope: 'admin' });
    expect((await server.graphql(RESTORE, { id: topic.id }, as.admin)).data!.restoreTopic).toEqual({ __typename: 'Topic', deletedAt: null, version: 4 });
    expect(await topicsOf(REKVISITION)).toContain('long-term-financing');
    expect(await decisionsTagged('long-term-financing')).toContain(REKVISITION);
  });
});
