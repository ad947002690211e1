import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../sdk/src/index.ts';
import { gid } from './support/ids.ts';
import { RESULT, startWriteTest, type WriteTest } from './support/writes.ts';

let test: WriteTest;

beforeAll(async () => {
  test = await startWriteTest();
});
afterAll(() => test?.server.close());

const nodes = (connection: any) => connection.edges.map((edge: any) => edge.node);
const KRONOBERG_MEETING = gid('Meeting', 'meeting:kronoberg-sg-2023-03-28');
const SMO_PILOT = gid('Decision', 'decision:orebro-beredning-2023:pilot-smo-2022-12');
const ACTION_PLAN = gid('Decision', 'decision:orebro-beredning-2023:handlingsplan-patientsakerhet-2023-09-07');
const PLAN_2023 = gid('Decision', 'decision:orebro-beredning-2023:verksamhetsplan-2023');
const NAMNDEN = gid('Organisation', 'org:18:halso-och-sjukvardsnamnden');

async function graphql(query: string, variables: Record<string, unknown> = {}, headers?: Record<string, string>) {
  const response = await test.server.graphql(query, variables, headers);
  expect(response.errors).toBeUndefined();
  return response.data as any;
}

describe('Meeting.assignments and the meeting an assignment was given at', () => {
  it('lists the six assignments of the Kronoberg steering group, the two given without a decision included', async () => {
    const data = await graphql(
      `query ($id: ID!) { node(id: $id) { ... on Meeting {
        assignments(first: 20) { totalCount edges { node { title originDecision { id } meeting { id heldOn } assigneePerson { name } } } }
        decisions { id }
      } } }`,
      { id: KRONOBERG_MEETING },
    );
    const meeting = data.node;
    expect(meeting.assignments.totalCount).toBe(6);
    const assignments = nodes(meeting.assignments);
    expect(assignments.every((assignment: any) => assignment.meeting.id === KRONOBERG_MEETING && assignment.meeting.heldOn === '2023-03-28')).toBe(true);
    const withoutDecision = assignments.filter((assignment: any) => assignment.originDecision === null);
    expect(withoutDecision.map((assignment: any) => assignment.title).sort()).toEqual([
      'Boka in ett möte med verksamhetschefer',
      'Göra en omvärldsbevakning (central kontaktingång)',
    ]);
    expect(withoutDecision.map((assignment: any) => assignment.assigneePerson.name).sort()).toEqual(['Magnus Frithiof', 'Therese Hildingsson']);
    // The others come from decisions taken at the meeting.
    const decisionIds = new Set(meeting.decisions.map((decision: any) => decision.id));
    for (const assignment of assignments.filter((row: any) => row.originDecision)) expect(decisionIds.has(assignment.originDecision.id)).toBe(true);
  });

  it('filters assignments by meeting and by issue date', async () => {
    const byMeeting = await graphql(`query ($m: ID!) { assignments(first: 50, filter: { meeting: $m }) { totalCount } }`, { m: KRONOBERG_MEETING });
    expect(byMeeting.assignments.totalCount).toBe(6);
    const byDay = await graphql(`{ assignments(first: 50, filter: { issuedOn: { from: "2023-03-28", to: "2023-03-28" } }) { totalCount edges { node { region { code } } } } }`);
    expect(byDay.assignments.totalCount).toBe(6);
    expect(new Set(nodes(byDay.assignments).map((node: any) => node.region.code))).toEqual(new Set(['07']));
    const halland = await graphql(`{ assignments(first: 50, filter: { issuedOn: { from: "2018-01-01", to: "2018-12-31" }, region: "13" }) { totalCount } }`);
    expect(halland.assignments.totalCount).toBe(3);
    const none = await graphql(`{ assignments(first: 50, filter: { issuedOn: { from: "2030-01-01" } }) { totalCount } }`);
    expect(none.assignments.totalCount).toBe(0);
  });

  it('exports the assignments given at a meeting, with their meeting and related decision', async () => {
    const listed = await graphql(`query ($m: ID!) { assignments(first: 50, filter: { meeting: $m }) { totalCount } }`, { m: KRONOBERG_MEETING });
    const response = await fetch(`${test.server.url}/export/assignments.ndjson?meeting=${encodeURIComponent(KRONOBERG_MEETING)}`);
    expect(response.status).toBe(200);
    const rows = (await response.text()).trim().split('\n').map((line) => JSON.parse(line));
    expect(rows).toHaveLength(listed.assignments.totalCount);
    expect(rows.every((row: any) => row.meeting === KRONOBERG_MEETING)).toBe(true);
    const orebro = await fetch(`${test.server.url}/export/assignments.ndjson?region=18`);
    const related = (await orebro.text()).trim().split('\n').map((line) => JSON.parse(line)).filter((row: any) => row.related_decision);
    expect(related.map((row: any) => [row.reference, row.related_decision]).sort()).toEqual([
      ['Nr 17', ACTION_PLAN],
      ['Nr 4', SMO_PILOT],
    ]);
  });

  it('refuses a meeting filter that is not a Meeting ID, saying where', async () => {
    const response = await test.server.graphql(`query ($m: ID!) { assignments(first: 5, filter: { meeting: $m }) { totalCount } }`, { m: SMO_PILOT });
    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.message).toBe('"meeting" must be an ID of type Meeting, got an ID of type Decision');
  });

  it('takes the meeting of the origin decision when an assignment is created without one', async () => {
    const decision = gid('Decision', 'decision:kronoberg-sg-2023-03-28:8');
    const data = await graphql(
      `mutation ($input: CreateAssignmentInput!) { createAssignment(input: $input) { ${RESULT} ... on Assignment { id meeting { id } relatedDecision { id } } } }`,
      { input: { title: 'Följa upp Nära vård i hemmet', originDecision: decision, relatedDecision: decision, region: '07' } },
      test.as.write,
    );
    expect(data.createAssignment).toMatchObject({ __typename: 'Assignment', meeting: { id: KRONOBERG_MEETING }, relatedDecision: { id: decision } });
    const listed = await graphql(`query ($id: ID!) { node(id: $id) { ... on Meeting { assignments { totalCount } } } }`, { id: KRONOBERG_MEETING });
    expect(listed.node.assignments.totalCount).toBe(7);
  });

  it('refuses a meeting that is not a Meeting ID on create, changing nothing', async () => {
    const answer = await test.refused(
      `mutation ($input: CreateAssignmentInput!) { createAssignment(input: $input) { ${RESULT} } }`,
      { input: { title: 'Fel möte', meeting: SMO_PILOT } },
      'createAssignment',
    );
    expect(answer.__typename).toBe('ValidationError');
    expect(answer.issues[0].path).toEqual(['input', 'meeting']);
  });
});

describe('decisions the Örebro report names with assignments Nr 4 and Nr 17', () => {
  it('links Nr 4 to the SMO pilot and Nr 17 to the action plan, keeping the 2023 plan as their origin, with citations', async () => {
    const data = await graphql(
      `{ assignments(first: 50, filter: { region: "18" }) { edges { node {
        reference originDecision { id } relatedDecision { id title decidedOn decidedOnPrecision } citations { quote }
      } } } }`,
    );
    const byReference = new Map(nodes(data.assignments).map((node: any) => [node.reference, node]));
    const nr4: any = byReference.get('Nr 4');
    const nr17: any = byReference.get('Nr 17');
    expect(nr4.originDecision.id).toBe(PLAN_2023);
    expect(nr4.relatedDecision).toMatchObject({ id: SMO_PILOT, decidedOn: '2022-12-01', decidedOnPrecision: 'MONTH' });
    expect(nr4.citations.map((citation: any) => citation.quote)).toContain(
      'Beslut om genomförande av pilotprojektet fattades av hälso- och sjukvårdsnämnden i december 2022.',
    );
    expect(nr17.originDecision.id).toBe(PLAN_2023);
    expect(nr17.relatedDecision).toMatchObject({ id: ACTION_PLAN, decidedOn: '2023-09-07', decidedOnPrecision: 'DAY' });
    expect(nr17.citations.map((citation: any) => citation.quote)).toContain(
      'Regional handlingsplan i patientsäkerhet beslutades av hälso- och sjukvårdsnämnden den 7 september 2023.',
    );
    const others = [...byReference.values()].filter((node: any) => node.reference !== 'Nr 4' && node.reference !== 'Nr 17');
    expect(others.length).toBe(21);
    expect(others.every((node: any) => node.relatedDecision === null)).toBe(true);
  });

  it('leads from the decisions back to the assignments', async () => {
    const data = await graphql(
      `query ($a: ID!, $b: ID!) { a: node(id: $a) { ... on Decision { relatedAssignments { reference } } } b: node(id: $b) { ... on Decision { relatedAssignments { reference } } } }`,
      { a: SMO_PILOT, b: ACTION_PLAN },
    );
    expect(data.a.relatedAssignments).toEqual([{ reference: 'Nr 4' }]);
    expect(data.b.relatedAssignments).toEqual([{ reference: 'Nr 17' }]);
  });
});

describe('assignment statuses: directed elsewhere and not concerning', () => {
  it('tells Nr 13, 14, 20, 22, 23 (directed to another committee) from Nr 12, 16 (do not concern it)', async () => {
    const references = async (status: string) => {
      const data = await graphql(`query ($s: [AssignmentStatus!]) { assignments(first: 50, filter: { region: "18", status: $s }) { edges { node { reference status reports { status } } } } }`, {
        s: [status],
      });
      return nodes(data.assignments);
    };
    const directed = await references('DIRECTED_ELSEWHERE');
    expect(directed.map((node: any) => node.reference)).toEqual(['Nr 13', 'Nr 14', 'Nr 20', 'Nr 22', 'Nr 23']);
    expect(directed.every((node: any) => node.reports.every((report: any) => report.status === 'DIRECTED_ELSEWHERE'))).toBe(true);
    const notConcerning = await references('NOT_APPLICABLE');
    expect(notConcerning.map((node: any) => node.reference)).toEqual(['Nr 12', 'Nr 16']);
  });
});

describe('dates known to a month', () => {
  it('finds the SMO pilot decision ("december 2022") with a December range, and not with a November one', async () => {
    const query = `query ($from: Date, $to: Date) { decisions(first: 50, filter: { region: "18", decidedOn: { from: $from, to: $to } }) { edges { node { id decidedOn decidedOnPrecision } } } }`;
    const december = await graphql(query, { from: '2022-12-01', to: '2022-12-31' });
    expect(nodes(december.decisions)).toEqual([{ id: SMO_PILOT, decidedOn: '2022-12-01', decidedOnPrecision: 'MONTH' }]);
    const lateDecember = await graphql(query, { from: '2022-12-20', to: '2022-12-24' });
    expect(nodes(lateDecember.decisions).map((node: any) => node.id)).toEqual([SMO_PILOT]);
    const fromMidDecember = await graphql(query, { from: '2022-12-15' });
    expect(nodes(fromMidDecember.decisions).map((node: any) => node.id)).toEqual([ACTION_PLAN, SMO_PILOT]);
    const november = await graphql(query, { from: '2022-11-01', to: '2022-11-30' });
    expect(nodes(november.decisions)).toEqual([]);
    const january = await graphql(query, { from: '2023-01-01', to: '2023-01-31' });
    expect(nodes(january.decisions)).toEqual([]);
  });

  it('records a decision known to a year, and refuses a month that does not start on its first day, changing nothing', async () => {
    const RECORD = `mutation ($input: RecordDecisionInput!) { recordDecision(input: $input) { ${RESULT} ... on Decision { id decidedOn decidedOnPrecision } } }`;
    const refused = await test.refused(
      RECORD,
      { input: { kind: 'DECISION', text: 'Ett beslut i december.', decidedOn: '2022-12-15', decidedOnPrecision: 'MONTH', region: '18' } },
      'recordDecision',
    );
    expect(refused).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'decidedOnPrecision'], message: 'a date known to the month is given as its first day ("2022-12-01"), not 2022-12-15' }],
    });
    const recorded = await graphql(
      RECORD,
      { input: { kind: 'DECISION', text: 'Ett beslut under 2021.', decidedOn: '2021-01-01', decidedOnPrecision: 'YEAR', region: '18' } },
      test.as.write,
    );
    expect(recorded.recordDecision).toMatchObject({ __typename: 'Decision', decidedOn: '2021-01-01', decidedOnPrecision: 'YEAR' });
    const found = await graphql(`{ decisions(first: 5, filter: { region: "18", decidedOn: { from: "2021-06-01", to: "2021-06-30" } }) { edges { node { id } } } }`);
    expect(nodes(found.decisions)).toEqual([{ id: recorded.recordDecision.id }]);
  });
});

describe('decidedBy filter', () => {
  it('filters decisions by `decidedBy`, and the deprecated `organisation` still gives the same', async () => {
    const byNew = await graphql(`query ($o: ID!) { decisions(first: 50, filter: { decidedBy: $o }) { totalCount edges { node { decidedBy { id } } } } }`, { o: NAMNDEN });
    const byOld = await graphql(`query ($o: ID!) { decisions(first: 50, filter: { organisation: $o }) { totalCount } }`, { o: NAMNDEN });
    expect(byNew.decisions.totalCount).toBeGreaterThanOrEqual(3);
    expect(byOld.decisions.totalCount).toBe(byNew.decisions.totalCount);
    expect(nodes(byNew.decisions).every((node: any) => node.decidedBy.id === NAMNDEN)).toBe(true);
    const response = await test.server.graphql(`query ($o: ID!) { decisions(first: 5, filter: { decidedBy: $o }) { totalCount } }`, { o: KRONOBERG_MEETING });
    expect(response.errors?.[0]?.message).toBe('"filter.decidedBy" must be an ID of type Organisation, got an ID of type Meeting (or give the organisation\'s name)');
  });
});

describe('Meeting.attendees', () => {
  it('lists each person once with all roles, so the chair is not counted twice', async () => {
    const data = await graphql(
      `query ($id: ID!) { node(id: $id) { ... on Meeting { participants { id } attendeeCount attendees { person { name } roles present } } } }`,
      { id: KRONOBERG_MEETING },
    );
    const meeting = data.node;
    expect(meeting.participants).toHaveLength(8);
    // The chair comes first; the rest by their first role (people with the same role in no set order).
    expect(meeting.attendees[0]).toEqual({ person: { name: 'Martin Myrskog' }, roles: ['CHAIR', 'PRESENT'], present: true });
    const byName = [...meeting.attendees].sort((x: any, y: any) => x.person.name.localeCompare(y.person.name));
    expect(byName).toEqual([
      { person: { name: 'Dan Petersson' }, roles: ['PRESENT'], present: true },
      { person: { name: 'Jens Karlsson' }, roles: ['ABSENT'], present: false },
      { person: { name: 'Magnus Frithiof' }, roles: ['SECRETARY', 'PRESENT'], present: true },
      { person: { name: 'Martin Myrskog' }, roles: ['CHAIR', 'PRESENT'], present: true },
      { person: { name: 'Roger O Nilsson' }, roles: ['PRESENT'], present: true },
      { person: { name: 'Therese Hildingsson' }, roles: ['SECRETARY'], present: true },
    ]);
    expect(meeting.attendeeCount).toBe(5);
  });
});

describe('Document.records', () => {
  const MINUTES = gid('Document', 'doc:kronoberg-sg-2023-03-28');
  const RESPONSE_LETTER = gid('Document', 'doc:kronoberg-revisionssvar-2025');

  it('leads from the Kronoberg minutes to the meeting, its decisions and assignments read from them, each once', async () => {
    const data = await graphql(
      `query ($id: ID!) { node(id: $id) { ... on Document {
        records { __typename id }
        meetings: records(types: ["Meeting"]) { ... on Meeting { id title } }
        assignments: records(types: ["Assignment"]) { ... on Assignment { title meeting { id } } }
      } } }`,
      { id: MINUTES },
    );
    const document = data.node;
    expect(document.meetings).toEqual([{ id: KRONOBERG_MEETING, title: 'Styrgrupp Nära vård 2023-03-28' }]);
    expect(document.assignments).toHaveLength(6);
    expect(document.assignments.every((assignment: any) => assignment.meeting.id === KRONOBERG_MEETING)).toBe(true);
    const ids = document.records.map((record: any) => record.id);
    expect(new Set(ids).size).toBe(ids.length);
    const types = new Set(document.records.map((record: any) => record.__typename));
    for (const type of ['Meeting', 'AgendaItem', 'Decision', 'Assignment', 'Participant']) expect(types.has(type)).toBe(true);
    expect(document.records.filter((record: any) => record.__typename === 'Decision')).toHaveLength(17);
  });

  it('leads from an audit response letter to the audit response it is the text of', async () => {
    const data = await graphql(
      `query ($id: ID!) { node(id: $id) { ... on Document { records(types: ["AuditResponse", "Audit"]) { __typename ... on AuditResponse { id audit { id } } ... on Audit { id } } } } }`,
      { id: RESPONSE_LETTER },
    );
    const records = data.node.records;
    const response = records.find((record: any) => record.__typename === 'AuditResponse');
    expect(response.id).toBe(gid('AuditResponse', 'audit-response:kronoberg-revisionssvar-2025-03-25'));
    expect(records.filter((record: any) => record.__typename === 'AuditResponse')).toHaveLength(1);
  });

  it('refuses a type that names no record, saying which', async () => {
    const response = await test.server.graphql(`query ($id: ID!) { node(id: $id) { ... on Document { records(types: ["Meeting", "Minutes"]) { id } } } }`, { id: MINUTES });
    expect(response.errors?.[0]?.message).toMatch(/^"types" names no record type: Minutes; the types are Region, /);
  });
});

describe('through the SDK', () => {
  it('reads meeting assignments, attendees, precision and the new filters with the typed operations', async () => {
    const client = createClient({ url: `${test.server.url}/graphql` });
    const { meetings } = await client.meetings({ first: 5, filter: { region: '07' } });
    const kronoberg = meetings.edges.map((edge) => edge.node).find((node) => node.id === KRONOBERG_MEETING)!;
    expect(kronoberg.attendeeCount).toBe(5);
    expect(kronoberg.attendees.filter((attendee) => attendee.person?.name === 'Martin Myrskog')).toHaveLength(1);
    const { assignments } = await client.assignments({ first: 50, filter: { meeting: KRONOBERG_MEETING, issuedOn: { from: '2023-03-28', to: '2023-03-28' } } });
    expect(assignments.totalCount).toBe(6);
    expect(assignments.edges.every((edge) => edge.node.meeting?.id === KRONOBERG_MEETING)).toBe(true);
    const { decisions } = await client.decisions({ first: 10, filter: { decidedBy: NAMNDEN, decidedOn: { from: '2022-12-01', to: '2022-12-31' } } });
    expect(decisions.edges.map((edge) => [edge.node.id, edge.node.decidedOnPrecision, edge.node.relatedAssignments.map((a) => a.reference)])).toEqual([
      [SMO_PILOT, 'MONTH', ['Nr 4']],
    ]);
    const directed = await client.assignments({ first: 50, filter: { status: ['DIRECTED_ELSEWHERE'] } });
    expect(directed.assignments.totalCount).toBe(5);
    const { node } = await client.node({ id: gid('Document', 'doc:kronoberg-sg-2023-03-28') });
    if (node?.__typename !== 'Document') throw new Error(`expected a Document, got ${node?.__typename}`);
    expect(node.records.filter((record) => record.__typename === 'Meeting').map((record) => record.id)).toEqual([KRONOBERG_MEETING]);
  });
});
