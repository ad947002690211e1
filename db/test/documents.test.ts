import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCitations, documentWithText, liveCitationsOf, tables as t } from '../src/index.ts';
import { createTestDatabase, inRolledBackWrite, type TestDatabase } from '../src/testing.ts';
import { type Fixture, insertFixture } from './fixture.ts';

/*
 * The write rules of documents, without GraphQL, each test in a rolled-back write. The fixture's
 * document ("Protokoll", text hash a…a) is quoted once, by the fixture's decision.
 */

let database: TestDatabase;
let fixture: Fixture;
const ACTOR = { name: 'documents-test', apiKeyId: null };

beforeAll(async () => {
  database = await createTestDatabase();
  fixture = await insertFixture(database.db);
});
afterAll(() => database?.dispose());

const write = <T>(work: Parameters<typeof inRolledBackWrite<T>>[2]) => inRolledBackWrite(database.db, ACTOR, work);
const byType = (groups: { entityType: string; count: number }[]) => [...groups].sort((x, y) => x.entityType.localeCompare(y.entityType));

describe('documentWithText', () => {
  it('finds the document that already holds a text, live or deleted', async () => {
    expect(await write((writer) => documentWithText(writer, 'a'.repeat(64), null))).toEqual({ id: fixture.document.id, title: 'Protokoll', deletedAt: null });
    const deleted = await write(async (writer) => {
      await writer.delete('Document', fixture.document.id, null);
      return documentWithText(writer, 'a'.repeat(64), null);
    });
    expect(deleted).toMatchObject({ id: fixture.document.id, title: 'Protokoll' });
    expect(deleted!.deletedAt).toBeInstanceOf(Date);
  });

  it('finds none for a new text, or for the document itself when it is the one updated', async () => {
    expect(await write((writer) => documentWithText(writer, 'f'.repeat(64), null))).toBeUndefined();
    expect(await write((writer) => documentWithText(writer, 'a'.repeat(64), fixture.document.id))).toBeUndefined();
  });
});

describe('liveCitationsOf', () => {
  it('counts the live citations of a document by the type of record citing', async () => {
    const groups = await write(async (writer) => {
      await writer.tx.insert(t.citations).values([
        { documentId: fixture.document.id, entityType: 'audit', entityId: fixture.audit.id, quote: 'nämnden', lineStart: 1, lineEnd: 1 },
        { documentId: fixture.document.id, entityType: 'audit', entityId: fixture.audit.id, quote: 'beslutar', lineStart: 1, lineEnd: 1 },
        { documentId: fixture.document.id, entityType: 'agenda_item', entityId: fixture.agendaItem.id, quote: 'Beslut', lineStart: 1, lineEnd: 1 },
      ]);
      return liveCitationsOf(writer, fixture.document.id);
    });
    expect(byType(groups)).toEqual([
      { entityType: 'agenda_item', count: 1 },
      { entityType: 'audit', count: 2 },
      { entityType: 'decision', count: 1 },
    ]);
  });

  it('leaves out deleted citations, and finds none for a document nobody quotes', async () => {
    expect(
      await write(async (writer) => {
        await writer.delete('Citation', fixture.citation.id, null);
        return liveCitationsOf(writer, fixture.document.id);
      }),
    ).toEqual([]);
    expect(
      await write(async (writer) => {
        const other = await writer.create<typeof t.documents.$inferSelect>('Document', {
          title: 'Bilaga',
          kind: 'other',
          origin: 'test',
          textSha256: 'e'.repeat(64),
          text: 'Bilaga.',
        });
        return liveCitationsOf(writer, other.id);
      }),
    ).toEqual([]);
  });
});

describe('describeCitations', () => {
  it('counts in words, naming each type of record by its entity name', () => {
    expect(
      describeCitations([
        { entityType: 'decision', count: 3 },
        { entityType: 'audit', count: 9 },
      ]),
    ).toBe('12 live citations (Decision 3, Audit 9)');
    expect(describeCitations([{ entityType: 'meeting_participant', count: 1 }])).toBe('1 live citation (Participant 1)');
    expect(describeCitations([{ entityType: 'agenda_item', count: 2 }])).toBe('2 live citations (AgendaItem 2)');
  });
});
