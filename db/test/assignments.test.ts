import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followNewestReport, NotFoundError, newestDatedReport, tables as t, type Writer } from '../src/index.ts';
import { createTestDatabase, inRolledBackWrite, type TestDatabase } from '../src/testing.ts';
import { type Fixture, insertFixture } from './fixture.ts';

/*
 * The status of an assignment following its reports, without GraphQL, each test in a rolled-back
 * write. The fixture's assignment has the status not_started and one undated report saying ongoing.
 */

let database: TestDatabase;
let fixture: Fixture;
const ACTOR = { name: 'assignments-test', apiKeyId: null };

beforeAll(async () => {
  database = await createTestDatabase();
  fixture = await insertFixture(database.db);
});
afterAll(() => database?.dispose());

const write = <T>(work: Parameters<typeof inRolledBackWrite<T>>[2]) => inRolledBackWrite(database.db, ACTOR, work);

type ReportRow = typeof t.assignmentReports.$inferSelect;

/** Adds a report to the fixture's assignment. */
const report = (writer: Writer, values: { reportedOn: string | null; status: ReportRow['status']; text: string; createdAt?: Date }) =>
  writer.create<ReportRow>('AssignmentReport', { assignmentId: fixture.assignment.id, ...values });

/** The fixture assignment's status and version as stored now. */
const assignmentNow = async (writer: Writer) => {
  const [row] = await writer.tx
    .select({ status: t.assignments.status, version: t.assignments.version })
    .from(t.assignments)
    .where(eq(t.assignments.id, fixture.assignment.id));
  return row;
};

describe('newestDatedReport', () => {
  it('ignores undated reports', async () => {
    expect(await write((writer) => newestDatedReport(writer, fixture.assignment.id))).toBeUndefined();
  });

  it('takes the latest date, then the report recorded last, and skips deleted reports', async () => {
    const newest = await write(async (writer) => {
      const may = await report(writer, { reportedOn: '2023-05-01', status: 'started', text: 'Maj.' });
      const september = await report(writer, { reportedOn: '2023-09-01', status: 'ongoing', text: 'September.' });
      const newestOfTwo = (await newestDatedReport(writer, fixture.assignment.id))!.text;
      // Same date as September's, recorded later (one transaction shares now(): the time is given).
      await writer.tx.update(t.assignmentReports).set({ createdAt: new Date('2024-01-01T00:00:00Z') }).where(eq(t.assignmentReports.id, september.id));
      const later = await report(writer, { reportedOn: '2023-09-01', status: 'completed', text: 'September, senare.', createdAt: new Date('2024-02-01T00:00:00Z') });
      const newestSameDay = (await newestDatedReport(writer, fixture.assignment.id))!.text;
      await writer.delete('AssignmentReport', september.id, null);
      await writer.delete('AssignmentReport', later.id, null);
      const afterDeletes = await newestDatedReport(writer, fixture.assignment.id);
      return { newestOfTwo, newestSameDay, afterDeletes, mayId: may.id };
    });
    expect(newest.newestOfTwo).toBe('September.');
    expect(newest.newestSameDay).toBe('September, senare.');
    expect(newest.afterDeletes).toMatchObject({ id: newest.mayId, reportedOn: '2023-05-01', status: 'started', text: 'Maj.' });
  });
});

describe('followNewestReport', () => {
  it('leaves the status while only an undated report gives one', async () => {
    const after = await write(async (writer) => {
      await followNewestReport(writer, fixture.assignment.id, null);
      return assignmentNow(writer);
    });
    expect(after).toEqual({ status: 'not_started', version: 1 });
  });

  it('takes the status of the newest dated report, logged as an update', async () => {
    const { before, after, log } = await write(async (writer) => {
      const before = await assignmentNow(writer);
      await report(writer, { reportedOn: '2023-05-01', status: 'started', text: 'Maj.' });
      // An undated report, even one added later, does not move it.
      await report(writer, { reportedOn: null, status: 'not_handled', text: 'Odaterad.' });
      await followNewestReport(writer, fixture.assignment.id, null);
      const after = await assignmentNow(writer);
      const log = await writer.tx
        .select({ operation: t.changeLog.operation, before: t.changeLog.before, after: t.changeLog.after })
        .from(t.changeLog)
        .where(eq(t.changeLog.entityId, fixture.assignment.id));
      return { before, after, log };
    });
    expect(before).toEqual({ status: 'not_started', version: 1 });
    expect(after).toEqual({ status: 'started', version: 2 });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ operation: 'update', before: { status: 'not_started', version: 1 }, after: { status: 'started', version: 2 } });
  });

  it('moves only for `onlyIf` when that report is the newest dated one', async () => {
    const states = await write(async (writer) => {
      const september = await report(writer, { reportedOn: '2023-09-01', status: 'ongoing', text: 'September.' });
      const may = await report(writer, { reportedOn: '2023-05-01', status: 'completed', text: 'Maj, registrerad senare.' });
      await followNewestReport(writer, fixture.assignment.id, may.id);
      const afterOlder = await assignmentNow(writer);
      await followNewestReport(writer, fixture.assignment.id, september.id);
      const afterNewest = await assignmentNow(writer);
      return { afterOlder, afterNewest };
    });
    expect(states.afterOlder).toEqual({ status: 'not_started', version: 1 });
    expect(states.afterNewest).toEqual({ status: 'ongoing', version: 2 });
  });

  it('does not move when the newest dated report gives no status, or the status is already the same', async () => {
    const states = await write(async (writer) => {
      await report(writer, { reportedOn: '2023-05-01', status: 'started', text: 'Maj.' });
      await followNewestReport(writer, fixture.assignment.id, null);
      await followNewestReport(writer, fixture.assignment.id, null);
      const sameStatus = await assignmentNow(writer);
      await report(writer, { reportedOn: '2023-10-01', status: null, text: 'Oktober, utan status.' });
      await followNewestReport(writer, fixture.assignment.id, null);
      const noStatus = await assignmentNow(writer);
      return { sameStatus, noStatus };
    });
    // One update only: the second call found the status already taken.
    expect(states.sameStatus).toEqual({ status: 'started', version: 2 });
    // The newest dated report says nothing of the status: the older one's stays.
    expect(states.noStatus).toEqual({ status: 'started', version: 2 });
  });

  it('refuses to move a deleted assignment', async () => {
    const error = await write(async (writer) => {
      await report(writer, { reportedOn: '2023-05-01', status: 'started', text: 'Maj.' });
      await writer.delete('Assignment', fixture.assignment.id, null);
      return followNewestReport(writer, fixture.assignment.id, null);
    }).then(
      () => 'resolved',
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ typeName: 'Assignment', id: fixture.assignment.id, path: ['id'] });
  });
});
