import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agendaItemOf } from '../src/index.ts';
import { createTestDatabase, inRolledBackWrite, type TestDatabase } from '../src/testing.ts';
import { type Fixture, insertFixture } from './fixture.ts';

/* The lookups the write rules of decisions use, without GraphQL, each test in a rolled-back write. */

let database: TestDatabase;
let fixture: Fixture;
const ACTOR = { name: 'decisions-test', apiKeyId: null };
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  database = await createTestDatabase();
  fixture = await insertFixture(database.db);
});
afterAll(() => database?.dispose());

const write = <T>(work: Parameters<typeof inRolledBackWrite<T>>[2]) => inRolledBackWrite(database.db, ACTOR, work);

describe('agendaItemOf', () => {
  it('gives the meeting, number and heading of a live agenda item', async () => {
    expect(await write((writer) => agendaItemOf(writer, fixture.agendaItem.id))).toEqual({
      meetingId: fixture.meeting.id,
      ordinal: 1,
      title: 'Inledning',
      deletedAt: null,
    });
  });

  it('gives a deleted item too, with its tombstone', async () => {
    const item = await write(async (writer) => {
      await writer.delete('AgendaItem', fixture.agendaItem.id, null);
      return agendaItemOf(writer, fixture.agendaItem.id);
    });
    expect(item).toMatchObject({ meetingId: fixture.meeting.id, ordinal: 1, title: 'Inledning' });
    expect(item!.deletedAt).toBeInstanceOf(Date);
  });

  it('gives nothing for an ID no agenda item has', async () => {
    expect(await write((writer) => agendaItemOf(writer, NO_SUCH_ID))).toBeUndefined();
    // A decision's ID is not an agenda item's.
    expect(await write((writer) => agendaItemOf(writer, fixture.decision.id))).toBeUndefined();
  });
});
