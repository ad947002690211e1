import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConflictError,
  createDecision,
  requireFreeIndicatorCode,
  requireFreeRecommendationOrdinal,
  requireFreeTopicSlug,
  requireLiveOwners,
  requireNoOrganisationCycle,
  requireNothingLiveUnder,
  requireUniqueOrganisationKeys,
  requireLiveAudit,
  NotFoundError,
  type ObservationUpsertRow,
  tables as t,
  upsertObservations,
  ValidationError,
  writeAs,
} from '../src/index.ts';
import { createTestDatabase, inRolledBackWrite, type TestDatabase } from '../src/testing.ts';
import { type Fixture, insertFixture } from './fixture.ts';

/*
 * The Writer and the write rules below the API, without GraphQL or HTTP: each test writes in a
 * transaction that is rolled back at its end, so the tests share one database and never see each
 * other's writes.
 */

let database: TestDatabase;
let fixture: Fixture;
let multiLineDocumentId: string;
const ACTOR = { name: 'writer-test', apiKeyId: null };

// Four lines; the quote below spans lines 2 and 3, with the line break folded into a space.
const DOCUMENT_TEXT = 'Rad ett.\nBeslut: nämnden beslutar\natt anta planen.\nRad fyra.';
const QUOTE = 'nämnden beslutar att anta planen.';

beforeAll(async () => {
  database = await createTestDatabase();
  fixture = await insertFixture(database.db);
  const [document] = await database.db
    .insert(t.documents)
    .values({ title: 'Protokoll', kind: 'minutes', regionId: fixture.region.id, origin: 'test', textSha256: 'c'.repeat(64), text: DOCUMENT_TEXT })
    .returning();
  multiLineDocumentId = document!.id;
});
afterAll(() => database?.dispose());

const write = <T>(work: Parameters<typeof inRolledBackWrite<T>>[2]) => inRolledBackWrite(database.db, ACTOR, work);

describe('the Writer', () => {
  it('creates a record at version 1 and logs its creation with the after image', async () => {
    const { topic, log } = await write(async (writer) => {
      const topic = await writer.create<typeof t.topics.$inferSelect & { deletedAt: Date | null }>('Topic', { slug: 'new-topic', name: 'Ny' });
      const log = await writer.tx.select().from(t.changeLog).where(eq(t.changeLog.entityId, topic.id));
      return { topic, log };
    });
    expect(topic).toMatchObject({ slug: 'new-topic', name: 'Ny', version: 1, deletedAt: null });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ actor: 'writer-test', apiKeyId: null, operation: 'create', entityType: 'topic', before: null });
    expect(log[0]!.after).toMatchObject({ id: topic.id, slug: 'new-topic', version: 1 });
    // Rolled back: nothing of it is left.
    expect(await database.db.select().from(t.topics).where(eq(t.topics.slug, 'new-topic'))).toEqual([]);
  });

  it('updates at the current version, raising it by one and logging before and after', async () => {
    const { after, log } = await write(async (writer) => {
      const after = await writer.update('Topic', fixture.topic.id, 1, { name: 'Omdöpt' });
      const log = await writer.tx
        .select()
        .from(t.changeLog)
        .where(and(eq(t.changeLog.entityId, fixture.topic.id), eq(t.changeLog.operation, 'update')));
      return { after, log };
    });
    expect(after).toMatchObject({ id: fixture.topic.id, name: 'Omdöpt', version: 2 });
    expect(log).toHaveLength(1);
    expect(log[0]!.before).toMatchObject({ name: 'Test', version: 1 });
    expect(log[0]!.after).toMatchObject({ name: 'Omdöpt', version: 2 });
  });

  it('refuses an update at a stale version with a ConflictError naming both versions', async () => {
    const error = await write((writer) => writer.update('Topic', fixture.topic.id, 7, { name: 'Omdöpt' })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ typeName: 'Topic', id: fixture.topic.id, expectedVersion: 7, currentVersion: 1 });
  });

  it('deletes softly, finds no live record after, and restores it', async () => {
    const outcome = await write(async (writer) => {
      const deleted = await writer.delete('Topic', fixture.topic.id, 1);
      const missing = await writer.current('Topic', fixture.topic.id).catch((caught: unknown) => caught);
      const restored = await writer.restore('Topic', fixture.topic.id);
      const operations = await writer.tx
        .select({ operation: t.changeLog.operation })
        .from(t.changeLog)
        .where(eq(t.changeLog.entityId, fixture.topic.id))
        .orderBy(t.changeLog.id);
      return { deleted, missing, restored, operations: operations.map((row) => row.operation) };
    });
    expect(outcome.deleted.version).toBe(2);
    expect(outcome.deleted.deletedAt).toBeInstanceOf(Date);
    expect(outcome.missing).toBeInstanceOf(NotFoundError);
    expect(outcome.missing).toMatchObject({ typeName: 'Topic', id: fixture.topic.id, path: ['id'] });
    expect(outcome.restored).toMatchObject({ version: 3, deletedAt: null });
    expect(outcome.operations).toEqual(['delete', 'restore']);
  });

  it('refuses to restore a live record', async () => {
    const error = await write((writer) => writer.restore('Topic', fixture.topic.id)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ typeName: 'deleted Topic', id: fixture.topic.id });
  });

  it('names the input field of the first reference that is not live', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const error = await write((writer) =>
      writer.requireLive([
        { entity: 'Organisation', id: fixture.board.id, path: ['input', 'organisation'] },
        { entity: 'Meeting', id: missing, path: ['input', 'meeting'] },
      ]),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ typeName: 'Meeting', id: missing, path: ['input', 'meeting'] });
  });

  it('resolves a region code to its ID, and names the field of an unknown one', async () => {
    expect(await write((writer) => writer.regionId('99', ['input', 'region']))).toBe(fixture.region.id);
    expect(await write((writer) => writer.regionId(null, ['input', 'region']))).toBeNull();
    expect(await write((writer) => writer.regionId(undefined, ['input', 'region']))).toBeUndefined();
    const error = await write((writer) => writer.regionId('98', ['input', 'region'])).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ typeName: 'Region', id: '98', path: ['input', 'region'] });
  });
});

describe('citations and topics through the Writer', () => {
  it('cites a quote that stands on the lines it names, whitespace folded', async () => {
    const citations = await write(async (writer) => {
      await writer.cite('Decision', fixture.decision.id, [{ document: multiLineDocumentId, quote: QUOTE, lineStart: 2, lineEnd: 3 }], ['input', 'citations']);
      return writer.tx.select().from(t.citations).where(eq(t.citations.documentId, multiLineDocumentId));
    });
    expect(citations).toHaveLength(1);
    expect(citations[0]).toMatchObject({ entityType: 'decision', entityId: fixture.decision.id, quote: QUOTE, lineStart: 2, lineEnd: 3 });
  });

  it('refuses a quote the document does not hold, at the quote', async () => {
    const error = await write((writer) =>
      writer.cite('Decision', fixture.decision.id, [{ document: multiLineDocumentId, quote: 'nämnden avslår', lineStart: 2, lineEnd: 3 }], ['input', 'citations']),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: ['input', 'citations', 0, 'quote'], message: 'the quote does not appear in the document' }]);
  });

  it('refuses a quote that is in the document but not on the lines named, at lineStart', async () => {
    const error = await write((writer) =>
      writer.cite('Decision', fixture.decision.id, [{ document: multiLineDocumentId, quote: QUOTE, lineStart: 3, lineEnd: 4 }], ['input', 'citations']),
    ).catch((caught: unknown) => caught);
    expect((error as ValidationError).issues).toEqual([{ path: ['input', 'citations', 0, 'lineStart'], message: 'the quote is not on lines 3-4' }]);
  });

  it('tags once per topic however often a slug is given, and names an unknown slug', async () => {
    const links = await write(async (writer) => {
      await writer.tag('Assignment', fixture.assignment.id, ['test-topic', 'test-topic'], ['input', 'topics']);
      return writer.tx.select().from(t.topicLinks).where(eq(t.topicLinks.entityId, fixture.assignment.id));
    });
    expect(links.map((link) => [link.topicId, link.entityType])).toEqual([[fixture.topic.id, 'assignment']]);
    const error = await write((writer) => writer.tag('Assignment', fixture.assignment.id, ['test-topic', 'no-such-topic'], ['input', 'topics'])).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ typeName: 'Topic', id: 'no-such-topic', path: ['input', 'topics', 1] });
  });
});

describe('writeAs', () => {
  it('commits the whole write, or nothing of it when it fails', async () => {
    const slug = 'committed-topic';
    const failure = await writeAs(database.db, ACTOR, async (writer) => {
      await writer.create('Topic', { slug, name: 'Halv' });
      throw new Error('the second half failed');
    }).catch((caught: unknown) => caught);
    expect(failure).toMatchObject({ message: 'the second half failed' });
    expect(await database.db.select().from(t.topics).where(eq(t.topics.slug, slug))).toEqual([]);
    expect(await database.db.select().from(t.changeLog).where(eq(t.changeLog.actor, 'writer-test'))).toEqual([]);

    const created = await writeAs(database.db, ACTOR, (writer) => writer.create<{ id: string; version: number; deletedAt: Date | null }>('Topic', { slug, name: 'Hel' }));
    try {
      const [stored] = await database.db.select().from(t.topics).where(eq(t.topics.slug, slug));
      expect(stored).toMatchObject({ id: created.id, name: 'Hel' });
    } finally {
      await database.db.execute(sql`delete from change_log where entity_id = ${created.id}`);
      await database.db.delete(t.topics).where(eq(t.topics.id, created.id));
    }
  });

  it('answers a broken unique key or CHECK as a ValidationError naming the rule', async () => {
    const duplicate = await writeAs(database.db, ACTOR, (writer) => writer.create('Topic', { slug: 'test-topic', name: 'Dubblett' })).catch(
      (caught: unknown) => caught,
    );
    expect(duplicate).toBeInstanceOf(ValidationError);
    expect((duplicate as ValidationError).issues).toEqual([
      { path: ['input'], message: 'a record with the same natural key already exists (topics_slug_key)' },
    ]);
    const badSlug = await writeAs(database.db, ACTOR, (writer) => writer.create('Topic', { slug: 'Not A Slug', name: 'Fel' })).catch((caught: unknown) => caught);
    expect((badSlug as ValidationError).issues).toEqual([{ path: ['input'], message: 'the values break the rule topics_slug_format' }]);
  });
});

describe('upsertObservations', () => {
  const row = (period: string, value: string, dimensions = '{}'): ObservationUpsertRow => ({ regionCode: '99', organisationId: null, period, value, dimensions });

  it('inserts new rows, updates changed ones, leaves equal ones, and logs each change set-based', async () => {
    const outcome = await write(async (writer) => {
      // The fixture holds 2018-05 = 12 with {"ownership":"public"}; the same row again is unchanged.
      const counts = await upsertObservations(writer, 'TEST_INDICATOR', [
        row('2018-05', '12.0', '{"ownership":"public"}'),
        row('2018-05', '13', '{"ownership":"private"}'),
        row('2018-06', '-0.5'),
      ]);
      const again = await upsertObservations(writer, 'TEST_INDICATOR', [row('2018-06', '7')]);
      const log = await writer.tx
        .select({ operation: t.changeLog.operation, before: t.changeLog.before, after: t.changeLog.after })
        .from(t.changeLog)
        .where(and(eq(t.changeLog.entityType, 'observation'), eq(t.changeLog.actor, 'writer-test')))
        .orderBy(t.changeLog.id);
      return { counts, again, log };
    });
    expect(outcome.counts).toMatchObject({ inserted: 2, updated: 0, unchanged: 1 });
    expect(outcome.counts.indicator.code).toBe('TEST_INDICATOR');
    expect(outcome.again).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    expect(outcome.log.map((entry) => entry.operation).sort()).toEqual(['create', 'create', 'update']);
    const update = outcome.log.find((entry) => entry.operation === 'update')!;
    expect(update.before).toMatchObject({ period: '2018-06', value: '-0.5', version: 1, dimensions: {} });
    expect(update.after).toMatchObject({ period: '2018-06', value: '7', version: 2, dimensions: {} });
  });

  it('names the row of a subject that does not exist, and writes nothing', async () => {
    const before = await database.db.select({ id: t.observations.id }).from(t.observations);
    const error = await writeAs(database.db, ACTOR, (writer) =>
      upsertObservations(writer, 'TEST_INDICATOR', [row('2019-01', '1'), { ...row('2019-02', '2'), regionCode: '98' }]),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ typeName: 'Region', id: '98', path: ['rows', 1, 'region'] });
    expect(await database.db.select({ id: t.observations.id }).from(t.observations)).toEqual(before);
  });

  it('refuses an unknown indicator at the indicator argument', async () => {
    const error = await write((writer) => upsertObservations(writer, 'NO_SUCH_INDICATOR', [row('2019-01', '1')])).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ typeName: 'Indicator', id: 'NO_SUCH_INDICATOR', path: ['indicator'] });
  });
});

describe('createDecision', () => {
  const decision = (topics: string[]) => ({
    kind: 'decision' as const,
    title: null,
    text: 'Nämnden beslutar att anta planen.',
    decidedOn: '2023-03-28',
    decidedById: fixture.board.id,
    meetingId: fixture.meeting.id,
    agendaItemId: fixture.agendaItem.id,
    regionId: fixture.region.id,
    topics,
    citations: [{ document: multiLineDocumentId, quote: QUOTE, lineStart: 2, lineEnd: 3 }],
  });

  it('records the decision at day precision, tagged and cited, each logged', async () => {
    const outcome = await write(async (writer) => {
      const created = await createDecision(writer, decision(['test-topic']), ['input']);
      const links = await writer.tx.select().from(t.topicLinks).where(eq(t.topicLinks.entityId, created.id));
      const citations = await writer.tx.select().from(t.citations).where(eq(t.citations.entityId, created.id));
      const logged = await writer.tx.select({ entityType: t.changeLog.entityType }).from(t.changeLog).where(eq(t.changeLog.actor, 'writer-test'));
      return { created, links, citations, logged: logged.map((row) => row.entityType).sort() };
    });
    expect(outcome.created).toMatchObject({ kind: 'decision', decidedOn: '2023-03-28', decidedOnPrecision: 'day', version: 1 });
    expect(outcome.links.map((link) => link.topicId)).toEqual([fixture.topic.id]);
    expect(outcome.citations).toMatchObject([{ entityType: 'decision', quote: QUOTE, lineStart: 2, lineEnd: 3 }]);
    expect(outcome.logged).toEqual(['citation', 'decision', 'topic_link']);
  });

  it('names an unknown topic below the path the decision stands at', async () => {
    const error = await write((writer) => createDecision(writer, decision(['no-such-topic']), ['input', 'agendaItems', 2, 'decisions', 0])).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ typeName: 'Topic', id: 'no-such-topic', path: ['input', 'agendaItems', 2, 'decisions', 0, 'topics', 0] });
  });
});

describe('the rules of audits', () => {
  it('refuses an ordinal the audit already uses, and names a deleted recommendation that holds it', async () => {
    const path = ['input', 'ordinal'];
    const taken = await write((writer) => requireFreeRecommendationOrdinal(writer, fixture.audit.id, 1, null, path)).catch((caught: unknown) => caught);
    expect((taken as ValidationError).issues).toEqual([{ path, message: 'the audit already has a recommendation 1' }]);
    // The recommendation's own number is free for it, and so is an unused one.
    await expect(write((writer) => requireFreeRecommendationOrdinal(writer, fixture.audit.id, 1, fixture.recommendation.id, path))).resolves.toBeUndefined();
    await expect(write((writer) => requireFreeRecommendationOrdinal(writer, fixture.audit.id, 2, null, path))).resolves.toBeUndefined();
    const deleted = await write(async (writer) => {
      await writer.delete('Recommendation', fixture.recommendation.id, null);
      return requireFreeRecommendationOrdinal(writer, fixture.audit.id, 1, null, path);
    }).catch((caught: unknown) => caught);
    expect((deleted as ValidationError).issues[0]!.message).toBe(
      'recommendation 1 of this audit exists but is deleted: restore it (restoreRecommendation) or use another number',
    );
  });

  it('refuses to restore a part of a deleted audit', async () => {
    await expect(write((writer) => requireLiveAudit(writer, fixture.audit.id))).resolves.toBeUndefined();
    const error = await write(async (writer) => {
      await writer.delete('Audit', fixture.audit.id, null);
      return requireLiveAudit(writer, fixture.audit.id);
    }).catch((caught: unknown) => caught);
    expect((error as ValidationError).issues).toEqual([
      { path: ['id'], message: 'its audit is deleted: restore the audit (restoreAudit), which brings back what was deleted with it' },
    ]);
  });
});

describe('the rules of organisations, people, topics and indicators', () => {
  const issuesOf = async (work: Promise<unknown>) => ((await work.catch((caught: unknown) => caught)) as ValidationError).issues;

  it('refuses a parent that is the organisation itself or sits under it', async () => {
    const path = ['patch', 'parent'];
    expect(await issuesOf(write((writer) => requireNoOrganisationCycle(writer, fixture.board.id, fixture.board.id, path)))).toEqual([
      { path, message: 'an organisation cannot be its own parent' },
    ]);
    // The committee sits under the board: the board cannot move under it.
    expect(await issuesOf(write((writer) => requireNoOrganisationCycle(writer, fixture.board.id, fixture.committee.id, path)))).toEqual([
      { path, message: 'the new parent sits under this organisation: that would make a cycle' },
    ]);
    await expect(write((writer) => requireNoOrganisationCycle(writer, fixture.committee.id, fixture.municipality.id, path))).resolves.toBeUndefined();
  });

  it('refuses an organisation number or municipality code another organisation has, naming it', async () => {
    const issues = await issuesOf(
      write((writer) => requireUniqueOrganisationKeys(writer, null, { organisationNumber: '232100-0000', municipalityCode: '9999' }, ['input'])),
    );
    expect(issues).toEqual([
      { path: ['input', 'organisationNumber'], message: 'Testnämnden already has the organisation number 232100-0000' },
      { path: ['input', 'municipalityCode'], message: 'Testkommun already has the municipality code 9999' },
    ]);
    await expect(
      write((writer) => requireUniqueOrganisationKeys(writer, fixture.board.id, { organisationNumber: '232100-0000' }, ['patch'])),
    ).resolves.toBeUndefined();
  });

  it('refuses to delete what live records hang under, and to restore under a deleted owner', async () => {
    const counts = (value: number) => Promise.resolve([{ value }]);
    expect(await issuesOf(requireNothingLiveUnder([{ count: counts(2), what: 'membership(s)' }, { count: counts(0), what: 'organisation(s) under it' }]))).toEqual([
      { path: ['id'], message: 'still in use by 2 membership(s); delete or move those first' },
    ]);
    const issues = await issuesOf(
      write(async (writer) => {
        await writer.delete('Person', fixture.person.id, null);
        return requireLiveOwners(writer, [
          { entity: 'Organisation', id: fixture.board.id, role: 'organisation' },
          { entity: 'Person', id: fixture.person.id, role: 'person' },
        ]);
      }),
    );
    expect(issues).toEqual([{ path: ['id'], message: 'its person Test Testsson is deleted; restore that first' }]);
  });

  it('refuses a topic slug or an indicator code in use, and says when its holder is deleted', async () => {
    expect(await issuesOf(write((writer) => requireFreeTopicSlug(writer, 'test-topic', null, ['input', 'slug'])))).toEqual([
      { path: ['input', 'slug'], message: 'the slug "test-topic" is already used by the topic "Test"' },
    ]);
    await expect(write((writer) => requireFreeTopicSlug(writer, 'test-topic', fixture.topic.id, ['patch', 'slug']))).resolves.toBeUndefined();
    expect(
      await issuesOf(
        write(async (writer) => {
          await writer.delete('Indicator', fixture.indicator.id, null);
          return requireFreeIndicatorCode(writer, 'TEST_INDICATOR', ['input', 'code']);
        }),
      ),
    ).toEqual([{ path: ['input', 'code'], message: 'a deleted indicator has the code "TEST_INDICATOR"; an admin can restore it, or choose another code' }]);
  });
});
