import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireFreeAgendaItemOrdinal, tables as t, ValidationError } from '../src/index.ts';
import { createTestDatabase, inRolledBackWrite, type TestDatabase } from '../src/testing.ts';
import { type Fixture, insertFixture } from './fixture.ts';

/* The write rules of meetings and agenda items, without GraphQL, each test in a rolled-back write. */

let database: TestDatabase;
let fixture: Fixture;
const ACTOR = { name: 'meetings-test', apiKeyId: null };

beforeAll(async () => {
  database = await createTestDatabase();
  fixture = await insertFixture(database.db);
});
afterAll(() => database?.dispose());

const write = <T>(work: Parameters<typeof inRolledBackWrite<T>>[2]) => inRolledBackWrite(database.db, ACTOR, work);
const caught = (work: Promise<unknown>) => work.then(() => 'resolved', (error: unknown) => error);

describe('requireFreeAgendaItemOrdinal', () => {
  it('refuses an ordinal another item of the meeting has, naming the item', async () => {
    const error = await caught(write((writer) => requireFreeAgendaItemOrdinal(writer, fixture.meeting.id, 1, null, ['input', 'ordinal'])));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([{ path: ['input', 'ordinal'], message: 'the meeting already has an item 1 (Inledning)' }]);
  });

  it('refuses the ordinal of a deleted item, saying to restore or renumber it', async () => {
    const error = await caught(
      write(async (writer) => {
        await writer.delete('AgendaItem', fixture.agendaItem.id, null);
        return requireFreeAgendaItemOrdinal(writer, fixture.meeting.id, 1, null, ['input', 'ordinal']);
      }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: ['input', 'ordinal'], message: 'the meeting already has an item 1 (Inledning, deleted: restore or renumber it)' },
    ]);
  });

  it("allows the item's own ordinal, an unused one, and the same ordinal in another meeting", async () => {
    await expect(
      write((writer) => requireFreeAgendaItemOrdinal(writer, fixture.meeting.id, 1, fixture.agendaItem.id, ['patch', 'ordinal'])),
    ).resolves.toBeUndefined();
    await expect(write((writer) => requireFreeAgendaItemOrdinal(writer, fixture.meeting.id, 2, null, ['input', 'ordinal']))).resolves.toBeUndefined();
    await expect(
      write(async (writer) => {
        const other = await writer.create<typeof t.meetings.$inferSelect>('Meeting', { title: 'Extra sammanträde', kind: 'sitting', heldOn: '2023-04-04' });
        return requireFreeAgendaItemOrdinal(writer, other.id, 1, null, ['input', 'ordinal']);
      }),
    ).resolves.toBeUndefined();
  });

  it("refuses another item's ordinal when renumbering an item", async () => {
    const error = await caught(
      write(async (writer) => {
        const second = await writer.create<typeof t.agendaItems.$inferSelect>('AgendaItem', { meetingId: fixture.meeting.id, ordinal: 2, title: 'Budget' });
        return requireFreeAgendaItemOrdinal(writer, fixture.meeting.id, 1, second.id, ['patch', 'ordinal']);
      }),
    );
    expect((error as ValidationError).issues).toEqual([{ path: ['patch', 'ordinal'], message: 'the meeting already has an item 1 (Inledning)' }]);
  });
});
