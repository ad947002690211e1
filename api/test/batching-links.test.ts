import { idFor, tables } from '@naravard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

/**
 * 60 extra meetings in region 25, each with a chair also listed as present, one decision, an
 * assignment from that decision and one given at the meeting without a decision (naming the
 * decision as related).
 */
async function insertMeetingsWithAssignments() {
  const { db } = server.database;
  const regionId = idFor('region:25');
  const [person] = await db.insert(tables.people).values({ name: 'Ordförande Batch' }).returning();
  for (let m = 0; m < 60; m += 1) {
    const heldOn = `2024-02-${String((m % 28) + 1).padStart(2, '0')}`;
    const [meeting] = await db.insert(tables.meetings).values({ title: `Möte ${m}`, kind: 'sitting', regionId, heldOn }).returning();
    await db.insert(tables.meetingParticipants).values([
      { meetingId: meeting!.id, personId: person!.id, role: 'chair' },
      { meetingId: meeting!.id, personId: person!.id, role: 'present' },
    ]);
    const [decision] = await db
      .insert(tables.decisions)
      .values({ kind: 'decision', text: `Beslut ${m}`, meetingId: meeting!.id, regionId, decidedOn: '2024-02-01', decidedOnPrecision: 'month' })
      .returning();
    await db.insert(tables.assignments).values([
      { title: `Uppdrag ${m}a`, meetingId: meeting!.id, originDecisionId: decision!.id, regionId, issuedOn: heldOn },
      { title: `Uppdrag ${m}b`, meetingId: meeting!.id, relatedDecisionId: decision!.id, regionId, issuedOn: heldOn },
    ]);
  }
}

beforeAll(async () => {
  server = await startTestServer({ seed: true });
  await insertMeetingsWithAssignments();
});
afterAll(() => server?.close());

const NESTED = /* GraphQL */ `
  query Nested($first: Int!) {
    meetings(first: $first, filter: { region: "25" }) {
      edges { node {
        title attendeeCount
        attendees { roles person { name } }
        assignments(first: 5) { totalCount edges { node { title meeting { title } relatedDecision { decidedOnPrecision } } } }
        decisions { decidedOnPrecision relatedAssignments { title } }
      } }
    }
  }
`;

async function statementsFor(first: number) {
  server.database.resetStatements();
  const response = await server.graphql(NESTED, { first });
  expect(response.errors).toBeUndefined();
  const meetings = response.data!.meetings.edges;
  expect(meetings).toHaveLength(first);
  for (const { node } of meetings) {
    expect(node.attendeeCount).toBe(1);
    expect(node.attendees).toEqual([{ roles: ['CHAIR', 'PRESENT'], person: { name: 'Ordförande Batch' } }]);
    expect(node.assignments.totalCount).toBe(2);
    const assignments = node.assignments.edges.map((edge: any) => edge.node);
    expect(assignments.every((assignment: any) => assignment.meeting.title === node.title)).toBe(true);
    expect(assignments.filter((assignment: any) => assignment.relatedDecision?.decidedOnPrecision === 'MONTH')).toHaveLength(1);
    expect(node.decisions).toHaveLength(1);
    expect(node.decisions[0].relatedAssignments).toHaveLength(1);
  }
  return [...server.database.statements];
}

describe('batching of the links between meetings, decisions and assignments', () => {
  it('meetings × attendees × assignments × their meeting and related decision × decisions run the same statements for 5 or 50 meetings', async () => {
    const few = await statementsFor(5);
    const many = await statementsFor(50);
    expect(many.length).toBe(few.length);
    // meetings, participants, people, assignment page, its count, assignment meetings,
    // related decisions, decisions, their related assignments.
    expect(many.length).toBeLessThanOrEqual(9);
  });

  it("documents × the records read from them: one statement for the keys, one per record table, however many documents", async () => {
    const run = async (first: number) => {
      server.database.resetStatements();
      const response = await server.graphql(`query ($first: Int!) { documents(first: $first) { edges { node { records { __typename id } } } } }`, { first });
      expect(response.errors).toBeUndefined();
      const documents = response.data!.documents.edges.map((edge: any) => edge.node);
      expect(documents).toHaveLength(first);
      expect(documents.every((document: any) => document.records.length > 0)).toBe(true);
      return { statements: [...server.database.statements], types: new Set(documents.flatMap((d: any) => d.records.map((r: any) => r.__typename))) };
    };
    const one = await run(1);
    const all = await run(4);
    // documents, record keys, then one statement per type of record found.
    expect(all.statements.length).toBe(2 + all.types.size);
    expect(one.statements.length).toBe(2 + one.types.size);
  });

  it('grant aggregates read their groups in one statement and each kind of reference in one more', async () => {
    server.database.resetStatements();
    const response = await server.graphql(`{ grantAggregates(groupBy: [REGION, PROGRAMME, YEAR]) { region { name } programme { name } year sumSek } }`);
    expect(response.errors).toBeUndefined();
    expect(response.data!.grantAggregates).toHaveLength(3);
    // The groups, the regions, the programmes.
    expect(server.database.statements).toHaveLength(3);
  });

  it('the allocations list reads its references once per kind, not per row', async () => {
    server.database.resetStatements();
    const response = await server.graphql(`{ allocations(first: 10) { totalCount edges { node { period region { code } programme { name } } } } }`);
    expect(response.errors).toBeUndefined();
    expect(response.data!.allocations.totalCount).toBe(4);
    // The page (its region folded in), the count, the programmes.
    expect(server.database.statements.length).toBeLessThanOrEqual(4);
  });
});
