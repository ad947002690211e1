import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Callers, databaseChecksum } from './support/auth.ts';
import { globalId, gid, MISSING } from './support/ids.ts';
import type { TestServer } from './support/server.ts';
import { RESULT, sortedIssuePaths, startWriteTest, type WriteTest } from './support/writes.ts';

let server: TestServer;
let as: Callers;
let refused: WriteTest['refusedWith'];

const kronobergDoc = () => gid('Document', 'doc:kronoberg-sg-2023-03-28');
const orebroDoc = () => gid('Document', 'doc:orebro-beredning-2023');
const styrgrupp = () => gid('Organisation', 'org:07:styrgrupp-nara-vard');
const nr = (n: number) => gid('Assignment', `assignment:orebro-beredning-2023:nr-${n}`);

beforeAll(async () => {
  ({ server, as, refusedWith: refused } = await startWriteTest());
});
afterAll(() => server?.close());

const ASSIGNMENT = /* GraphQL */ `
  id version reference title description origin issuedOn dueOn status deletedAt
  issuedBy { name } assigneeOrganisation { name } assigneePerson { name } originDecision { title } region { code }
  topics { slug } citations { quote locator document { title } }
`;
const REPORT = `id version reportedOn source status forecast text deletedAt assignment { status version } citations { quote }`;
const CREATE = `mutation ($input: CreateAssignmentInput!) { createAssignment(input: $input) { ${RESULT} ... on Assignment { ${ASSIGNMENT} } } }`;
const UPDATE = `mutation ($id: ID!, $version: Int!, $patch: AssignmentPatch!) { updateAssignment(id: $id, version: $version, patch: $patch) { ${RESULT} ... on Assignment { ${ASSIGNMENT} } } }`;
const DELETE = `mutation ($id: ID!, $version: Int!) { deleteAssignment(id: $id, version: $version) { ${RESULT} ... on Assignment { id version deletedAt } } }`;
const RESTORE = `mutation ($id: ID!) { restoreAssignment(id: $id) { ${RESULT} ... on Assignment { id version deletedAt } } }`;
const ADD_REPORT = `mutation ($input: AddAssignmentReportInput!) { addAssignmentReport(input: $input) { ${RESULT} ... on AssignmentReport { ${REPORT} } } }`;
const UPDATE_REPORT = `mutation ($id: ID!, $version: Int!, $patch: AssignmentReportPatch!) { updateAssignmentReport(id: $id, version: $version, patch: $patch) { ${RESULT} ... on AssignmentReport { ${REPORT} } } }`;
const DELETE_REPORT = `mutation ($id: ID!, $version: Int!) { deleteAssignmentReport(id: $id, version: $version) { ${RESULT} ... on AssignmentReport { ${REPORT} } } }`;
const RESTORE_REPORT = `mutation ($id: ID!) { restoreAssignmentReport(id: $id) { ${RESULT} ... on AssignmentReport { ${REPORT} } } }`;
const READ = `query ($id: ID!) { node(id: $id) { ... on Assignment { status version reports { reportedOn status source } } } }`;

const assignmentInput = (overrides: Record<string, unknown> = {}) => ({
  title: 'Granska tidsplanerna för Nära vård',
  description: 'Tidsplaner ska granskas (punkt 9, Planerade effekter).',
  issuedBy: styrgrupp(),
  assigneeOrganisation: gid('Organisation', 'org:07:programorganisation-nara-vard'),
  origin: 'Styrgrupp Nära vård 2023-03-28, punkt 9',
  region: '07',
  issuedOn: '2023-03-28',
  dueOn: '2023-06-30',
  topics: ['follow-up-and-indicators'],
  citations: [{ document: kronobergDoc(), quote: 'Tidsplaner ska granskas.', lineStart: 180, lineEnd: 180 }],
  ...overrides,
});

async function assignmentChanges(id: string) {
  const log = await server.graphql(`query ($id: ID!) { changes(first: 50, entityId: $id) { edges { node { actor operation before after } } } }`, { id });
  return log.data!.changes.edges.map((edge: any) => edge.node);
}

describe('createAssignment', () => {
  it('records an assignment from the Kronoberg minutes, NOT_STARTED by default, and logs it', async () => {
    const response = await server.graphql(CREATE, { input: assignmentInput() }, as.write);
    expect(response.errors).toBeUndefined();
    const created = response.data!.createAssignment;
    expect(created).toMatchObject({
      __typename: 'Assignment',
      version: 1,
      reference: null,
      title: 'Granska tidsplanerna för Nära vård',
      status: 'NOT_STARTED',
      issuedOn: '2023-03-28',
      dueOn: '2023-06-30',
      issuedBy: { name: 'Styrgrupp Nära vård' },
      assigneeOrganisation: { name: 'Programorganisationen' },
      assigneePerson: null,
      region: { code: '07' },
      topics: [{ slug: 'follow-up-and-indicators' }],
      citations: [{ quote: 'Tidsplaner ska granskas.', locator: 'line 180', document: { title: 'Mötesanteckningar - Styrgrupp Nära vård' } }],
    });
    const received = await server.graphql(
      `query ($id: ID!) { node(id: $id) { ... on Organisation { assignmentsReceived(first: 10, filter: { text: "tidsplanerna" }) { edges { node { id } } } } } }`,
      { id: gid('Organisation', 'org:07:programorganisation-nara-vard') },
    );
    expect(received.data!.node.assignmentsReceived.edges).toEqual([{ node: { id: created.id } }]);
    const log = await assignmentChanges(created.id);
    expect(log).toEqual([expect.objectContaining({ actor: as.writeKeyName, operation: 'CREATE' })]);
  });

  it('records one given to a person from a decision, with a status', async () => {
    const response = await server.graphql(
      CREATE,
      {
        input: assignmentInput({
          title: 'Omvärldsbevakning',
          assigneeOrganisation: null,
          assigneePerson: gid('Person', 'person:07:magnus-frithiof'),
          originDecision: gid('Decision', 'decision:kronoberg-sg-2023-03-28:6'),
          status: 'ONGOING',
          dueOn: null,
        }),
      },
      as.write,
    );
    expect(response.data!.createAssignment).toMatchObject({
      assigneePerson: { name: 'Magnus Frithiof' },
      originDecision: { title: 'Arbeta vidare utifrån alternativet med direktbokningar' },
      status: 'ONGOING',
      dueOn: null,
    });
  });

  it('refuses a due date before the issue date at input.dueOn, and changes nothing', async () => {
    const result = await refused(CREATE, { input: assignmentInput({ dueOn: '2023-03-27' }) }, 'createAssignment', { __typename: 'ValidationError' });
    expect(result.issues).toEqual([{ path: ['input', 'dueOn'], message: 'the assignment must not be due (2023-03-27) before it was given (2023-03-28)' }]);
  });

  it('refuses missing, wrong-typed and malformed references and values, with their paths', async () => {
    await refused(CREATE, { input: assignmentInput({ assigneePerson: globalId('Person', MISSING) }) }, 'createAssignment', {
      __typename: 'NotFoundError',
      type: 'Person',
      path: ['input', 'assigneePerson'],
    });
    await refused(CREATE, { input: assignmentInput({ originDecision: globalId('Decision', MISSING) }) }, 'createAssignment', {
      __typename: 'NotFoundError',
      type: 'Decision',
      path: ['input', 'originDecision'],
    });
    const many = await refused(
      CREATE,
      {
        input: assignmentInput({
          reference: 'N'.repeat(101),
          title: '',
          issuedBy: gid('Person', 'person:07:magnus-frithiof'),
          assigneePerson: styrgrupp(),
          originDecision: 'Decision:1',
          region: '7',
        }),
      },
      'createAssignment',
      { __typename: 'ValidationError' },
    );
    expect(sortedIssuePaths(many)).toEqual(['input.assigneePerson', 'input.issuedBy', 'input.originDecision', 'input.reference', 'input.region', 'input.title']);
  });

  it('refuses any due date before its issue date (generated)', async () => {
    const before = await databaseChecksum(server);
    const day = fc.date({ min: new Date('2015-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
    await fc.assert(
      fc.asyncProperty(fc.tuple(day, day).filter(([a, b]) => a !== b), async ([a, b]) => {
        const [dueOn, issuedOn] = a < b ? [a, b] : [b, a];
        const response = await server.graphql(CREATE, { input: assignmentInput({ issuedOn, dueOn }) }, as.write);
        expect(response.data!.createAssignment.issues).toEqual([{ path: ['input', 'dueOn'], message: expect.stringContaining('must not be due') }]);
      }),
      { numRuns: 15 },
    );
    expect(await databaseChecksum(server)).toBe(before);
  });
});

describe('updateAssignment', () => {
  it('changes fields with the current version, checks the dates against the stored ones, and refuses a stale version', async () => {
    const created = (await server.graphql(CREATE, { input: assignmentInput({ title: 'Att ändra' }) }, as.write)).data!.createAssignment;
    const updated = await server.graphql(UPDATE, { id: created.id, version: 1, patch: { status: 'STARTED', dueOn: null, description: null } }, as.write);
    expect(updated.data!.updateAssignment).toMatchObject({ __typename: 'Assignment', version: 2, status: 'STARTED', dueOn: null, description: null });

    const dates = await refused(UPDATE, { id: created.id, version: 2, patch: { dueOn: '2022-12-31' } }, 'updateAssignment', { __typename: 'ValidationError' });
    expect(dates.issues).toEqual([{ path: ['patch', 'dueOn'], message: 'the assignment must not be due (2022-12-31) before it was given (2023-03-28)' }]);
    const withDue = await server.graphql(UPDATE, { id: created.id, version: 2, patch: { dueOn: '2023-12-31' } }, as.write);
    expect(withDue.data!.updateAssignment.version).toBe(3);
    const issued = await refused(UPDATE, { id: created.id, version: 3, patch: { issuedOn: '2024-01-01' } }, 'updateAssignment', { __typename: 'ValidationError' });
    expect(issued.issues[0].path).toEqual(['patch', 'issuedOn']);
    await refused(UPDATE, { id: created.id, version: 2, patch: { title: 'Skriver över' } }, 'updateAssignment', {
      __typename: 'ConflictError',
      expectedVersion: 2,
      currentVersion: 3,
    });
    const nulls = await refused(UPDATE, { id: created.id, version: 3, patch: { title: null, status: null } }, 'updateAssignment', { __typename: 'ValidationError' });
    expect(sortedIssuePaths(nulls)).toEqual(['patch.status', 'patch.title']);
    const wrongId = await refused(UPDATE, { id: styrgrupp(), version: 1, patch: { title: 'X' } }, 'updateAssignment', { __typename: 'ValidationError' });
    expect(wrongId.issues[0].path).toEqual(['id']);
  });
});

describe('assignment reports', () => {
  it("adds a dated report to Örebro's Nr 3 that moves its status, in the same transaction, logged as an update", async () => {
    const before = (await server.graphql(READ, { id: nr(3) })).data!.node;
    expect(before.status).toBe('STARTED');
    expect(before.reports.map((report: any) => report.reportedOn)).toEqual([null, null]);

    const response = await server.graphql(
      ADD_REPORT,
      {
        input: {
          assignment: nr(3),
          reportedOn: '2023-11-15',
          source: 'Beredningens återrapportering 2023',
          status: 'ONGOING',
          text: 'Beredningen informerades om den årliga avgiftsöversynen vid sammanträdet den 15 november.',
          citations: [{ document: orebroDoc(), quote: 'Beredningen informerades om den årliga avgiftsöversynen vid sammanträdet den 15 november.', lineStart: 43, lineEnd: 43 }],
        },
      },
      as.write,
    );
    expect(response.errors).toBeUndefined();
    const report = response.data!.addAssignmentReport;
    expect(report).toMatchObject({
      __typename: 'AssignmentReport',
      version: 1,
      reportedOn: '2023-11-15',
      status: 'ONGOING',
      forecast: null,
      assignment: { status: 'ONGOING', version: before.version + 1 },
      citations: [{ quote: 'Beredningen informerades om den årliga avgiftsöversynen vid sammanträdet den 15 november.' }],
    });
    const after = (await server.graphql(READ, { id: nr(3) })).data!.node;
    expect(after.reports.map((r: any) => [r.reportedOn, r.status])).toEqual([
      ['2023-11-15', 'ONGOING'],
      [null, null],
      [null, 'STARTED'],
    ]);

    const log = await assignmentChanges(nr(3));
    const update = log.at(-1);
    expect(update).toMatchObject({ actor: as.writeKeyName, operation: 'UPDATE', before: { status: 'started' }, after: { status: 'ongoing' } });
    const ongoing = await server.graphql(`{ assignments(first: 30, filter: { region: "18", status: [ONGOING] }) { edges { node { reference } } } }`);
    expect(ongoing.data!.assignments.edges.map((edge: any) => edge.node.reference)).toContain('Nr 3');
  });

  it('moves the status only for the newest dated report with a status; update, delete and restore follow the same rule', async () => {
    // Nr 4 is STARTED, its two reports undated.
    const add = async (input: Record<string, unknown>) =>
      (await server.graphql(ADD_REPORT, { input: { assignment: nr(4), text: 'Föredragning vid sammanträde med beredningen.', ...input } }, as.write)).data!
        .addAssignmentReport;
    const statusOf = async () => (await server.graphql(READ, { id: nr(4) })).data!.node.status;

    const newest = await add({ reportedOn: '2023-09-20', status: 'ONGOING' });
    expect(newest.assignment.status).toBe('ONGOING');
    const older = await add({ reportedOn: '2023-05-30', status: 'COMPLETED' });
    expect(older.assignment.status).toBe('ONGOING');
    const undated = await add({ status: 'NOT_HANDLED' });
    expect(undated.assignment.status).toBe('ONGOING');
    const noStatus = await add({ reportedOn: '2023-12-01', forecast: 'NOT_EXPECTED_DONE' });
    expect(noStatus.assignment.status).toBe('ONGOING'); // newest, but gives no status

    const changed = await server.graphql(UPDATE_REPORT, { id: noStatus.id, version: 1, patch: { status: 'COMPLETED', forecast: null } }, as.write);
    expect(changed.data!.updateAssignmentReport).toMatchObject({ version: 2, status: 'COMPLETED', forecast: null, assignment: { status: 'COMPLETED' } });

    const deleted = await server.graphql(DELETE_REPORT, { id: noStatus.id, version: 2 }, as.write);
    expect(deleted.data!.deleteAssignmentReport).toMatchObject({ deletedAt: expect.any(String) });
    expect(await statusOf()).toBe('ONGOING'); // follows the next newest dated report, 2023-09-20

    await refused(RESTORE_REPORT, { id: noStatus.id }, 'restoreAssignmentReport', { __typename: 'ForbiddenError', requiredScope: 'admin' });
    const restored = await server.graphql(RESTORE_REPORT, { id: noStatus.id }, as.admin);
    expect(restored.data!.restoreAssignmentReport).toMatchObject({ deletedAt: null, status: 'COMPLETED', assignment: { status: 'COMPLETED' } });

    const log = await assignmentChanges(nr(4));
    expect(log.filter((change: any) => change.operation === 'UPDATE').map((change: any) => change.after.status)).toEqual([
      'ongoing',
      'completed',
      'ongoing',
      'completed',
    ]);

    // A status set by hand stays until a report that is itself the newest dated one says otherwise.
    const version = (await server.graphql(READ, { id: nr(4) })).data!.node.version;
    const byHand = await server.graphql(UPDATE, { id: nr(4), version, patch: { status: 'NOT_HANDLED' } }, as.write);
    expect(byHand.data!.updateAssignment.status).toBe('NOT_HANDLED');
    expect((await add({ reportedOn: '2023-06-01', status: 'STARTED' })).assignment.status).toBe('NOT_HANDLED');
    expect((await add({ text: 'Odaterad.' })).assignment.status).toBe('NOT_HANDLED');
    expect((await add({ reportedOn: '2024-02-01', status: 'COMPLETED' })).assignment.status).toBe('COMPLETED');
  });

  it('refuses bad reports with their paths, leaving the assignment and its status as they were', async () => {
    const many = await refused(
      ADD_REPORT,
      { input: { assignment: gid('Decision', 'decision:kronoberg-sg-2023-03-28:6'), text: 'x'.repeat(20_001), source: ' ', status: 'COMPLETED', reportedOn: '2024-01-01' } },
      'addAssignmentReport',
      { __typename: 'ValidationError' },
    );
    expect(sortedIssuePaths(many)).toEqual(['input.assignment', 'input.source', 'input.text']);
    await refused(ADD_REPORT, { input: { assignment: globalId('Assignment', MISSING), text: 'Klart.', status: 'COMPLETED', reportedOn: '2024-01-01' } }, 'addAssignmentReport', {
      __typename: 'NotFoundError',
      type: 'Assignment',
      path: ['input', 'assignment'],
    });
    const badQuote = await refused(
      ADD_REPORT,
      {
        input: {
          assignment: nr(5),
          reportedOn: '2024-01-01',
          status: 'COMPLETED',
          text: 'Klart.',
          citations: [{ document: orebroDoc(), quote: 'Uppdraget är genomfört.', lineStart: 60, lineEnd: 60 }],
        },
      },
      'addAssignmentReport',
      { __typename: 'ValidationError' },
    );
    expect(badQuote.issues).toEqual([{ path: ['input', 'citations', '0', 'quote'], message: 'the quote does not appear in the document' }]);
    expect((await server.graphql(READ, { id: nr(5) })).data!.node.status).toBe('ONGOING');

    const report = (await server.graphql(ADD_REPORT, { input: { assignment: nr(5), text: 'Odaterad rapport.' } }, as.write)).data!.addAssignmentReport;
    await refused(UPDATE_REPORT, { id: report.id, version: 5, patch: { text: 'Ny' } }, 'updateAssignmentReport', {
      __typename: 'ConflictError',
      expectedVersion: 5,
      currentVersion: 1,
    });
    const nullText = await refused(UPDATE_REPORT, { id: report.id, version: 1, patch: { text: null } }, 'updateAssignmentReport', { __typename: 'ValidationError' });
    expect(nullText.issues[0].path).toEqual(['patch', 'text']);
  });
});

describe('deleteAssignment and restoreAssignment', () => {
  it('deletes softly: gone from lists, seen by updatedSince with deletedAt, no reports added, restored by an admin only', async () => {
    const startedAt = new Date(Date.now() - 1000).toISOString();
    const created = (await server.graphql(CREATE, { input: assignmentInput({ title: 'Uppdrag att ta bort' }) }, as.write)).data!.createAssignment;
    const deleted = await server.graphql(DELETE, { id: created.id, version: 1 }, as.write);
    expect(deleted.data!.deleteAssignment).toMatchObject({ __typename: 'Assignment', version: 2, deletedAt: expect.any(String) });

    const list = await server.graphql(`{ assignments(first: 10, filter: { text: "Uppdrag att ta bort" }) { totalCount } }`);
    expect(list.data!.assignments.totalCount).toBe(0);
    const incremental = await server.graphql(
      `query ($since: DateTime!) { assignments(first: 100, filter: { updatedSince: $since }) { edges { node { title deletedAt } } } }`,
      { since: startedAt },
    );
    expect(incremental.data!.assignments.edges).toEqual(expect.arrayContaining([{ node: { title: 'Uppdrag att ta bort', deletedAt: expect.any(String) } }]));
    await refused(ADD_REPORT, { input: { assignment: created.id, text: 'För sent.' } }, 'addAssignmentReport', {
      __typename: 'NotFoundError',
      path: ['input', 'assignment'],
    });

    await refused(RESTORE, { id: created.id }, 'restoreAssignment', { __typename: 'ForbiddenError', requiredScope: 'admin' });
    const restored = await server.graphql(RESTORE, { id: created.id }, as.admin);
    expect(restored.data!.restoreAssignment).toMatchObject({ __typename: 'Assignment', version: 3, deletedAt: null });
  });
});

describe('who may write', () => {
  it.each([
    ['createAssignment', CREATE, () => ({ input: assignmentInput() })],
    ['updateAssignment', UPDATE, () => ({ id: nr(3), version: 1, patch: { status: 'COMPLETED' } })],
    ['deleteAssignment', DELETE, () => ({ id: nr(3), version: 1 })],
    ['addAssignmentReport', ADD_REPORT, () => ({ input: { assignment: nr(6), text: 'Anonym', status: 'COMPLETED', reportedOn: '2024-01-01' } })],
  ])('%s without a key is a ForbiddenError and changes nothing', async (field, query, variables) => {
    await refused(query, variables(), field, { __typename: 'ForbiddenError', requiredScope: 'write' }, as.anonymous);
  });
});
