import { idFor, tables } from '@naravard/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gid } from './support/ids.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
});
afterAll(() => server?.close());

const nodes = (connection: any) => connection.edges.map((edge: any) => edge.node);
const references = (connection: any) => nodes(connection).map((node: any) => node.reference);

const ASSIGNMENTS = /* GraphQL */ `
  query Assignments($first: Int, $after: String, $last: Int, $before: String, $filter: AssignmentFilter, $orderBy: AssignmentOrder) {
    assignments(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
      totalCount
      edges { cursor node { id reference title status issuedOn } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

const NR = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => `Nr ${from + index}`);

describe('assignments', () => {
  it('lists the 23 Örebro assignments in natural order, ten at a time', async () => {
    const pages: string[][] = [];
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 5; page += 1) {
      const response: any = await server.graphql(ASSIGNMENTS, { first: 10, after, filter: { region: '18' } });
      expect(response.errors).toBeUndefined();
      total = response.data.assignments.totalCount;
      pages.push(references(response.data.assignments));
      if (!response.data.assignments.pageInfo.hasNextPage) break;
      after = response.data.assignments.pageInfo.endCursor;
    }
    expect(total).toBe(23);
    expect(pages).toEqual([NR(1, 10), NR(11, 20), NR(21, 23)]);

    // Backwards: the last three, then the ten before them.
    const last = await server.graphql(ASSIGNMENTS, { last: 3, filter: { region: '18' } });
    expect(references(last.data!.assignments)).toEqual(NR(21, 23));
    const before = await server.graphql(ASSIGNMENTS, {
      last: 10,
      before: last.data!.assignments.pageInfo.startCursor,
      filter: { region: '18' },
    });
    expect(references(before.data!.assignments)).toEqual(NR(11, 20));
    expect(before.data!.assignments.pageInfo.hasPreviousPage).toBe(true);
  });

  it('gives an assignment with its issuer, assignee, origin, status and quoted sources', async () => {
    const response = await server.graphql(`{
      assignments(filter: { region: "18", text: "sjukreseenheten" }) {
        edges { node {
          reference title description origin status issuedOn dueOn
          issuedBy { name } assigneeOrganisation { name } assigneePerson { name }
          originDecision { title decidedOn }
          region { code }
          citations { quote document { title } }
          reports { source status forecast text assignment { reference } citations { quote } }
        } }
      }
    }`);
    expect(response.errors).toBeUndefined();
    expect(nodes(response.data!.assignments)).toHaveLength(1);
    const [nr19] = nodes(response.data!.assignments);
    expect(nr19).toMatchObject({
      reference: 'Nr 19',
      title: 'Att se över samverkan med sjukreseenheten gällande kravställning och arbetssätt av sjuktransporter',
      origin: 'Hälso- och sjukvårdsnämndens och hälso- och sjukvårdsförvaltningens verksamhetsplan med budget för 2023',
      status: 'NOT_HANDLED',
      issuedOn: null,
      dueOn: null,
      issuedBy: { name: 'Hälso- och sjukvårdsnämnden' },
      assigneeOrganisation: { name: 'Hälso- och sjukvårdsförvaltningen' },
      assigneePerson: null,
      originDecision: {
        title: 'Verksamhetsplan med budget för 2023 (hälso- och sjukvårdsnämnden och hälso- och sjukvårdsförvaltningen)',
        decidedOn: null,
      },
      region: { code: '18' },
    });
    // Citations come in document order: the heading of the administration's assignments (line 141), then Nr 19 (line 176).
    expect(nr19.citations).toEqual([
      {
        quote:
          'Uppdragen till Hälso- och sjukvårdsförvaltningen görs i samråd med berörda beredningar. Hälso- och sjukvårdsförvaltningen får i uppdrag:',
        document: { title: 'Återrapportering till hälso- och sjukvårdsnämnden – Beredning för nära vård 2023' },
      },
      {
        quote: 'Nr 19. Att se över samverkan med sjukreseenheten gällande kravställning och arbetssätt av sjuktransporter',
        document: { title: 'Återrapportering till hälso- och sjukvårdsnämnden – Beredning för nära vård 2023' },
      },
    ]);
    expect(nr19.reports).toHaveLength(2);
    expect(nr19.reports).toEqual(
      expect.arrayContaining([
        {
          source: 'Beredningens återrapportering 2023',
          status: 'NOT_HANDLED',
          forecast: null,
          text: 'Frågan har inte behandlats av beredningen.',
          assignment: { reference: 'Nr 19' },
          citations: [{ quote: 'Frågan har inte behandlats av beredningen' }],
        },
        {
          source: 'Delårsrapport 2023, Region Örebro län',
          status: 'STARTED',
          forecast: 'EXPECTED_DONE',
          text: 'Uppdraget har startat och bedöms vara klart vid årets slut.',
          assignment: { reference: 'Nr 19' },
          citations: [{ quote: 'Uppdraget har startat och bedöms vara klart vid årets slut' }],
        },
      ]),
    );
  });

  it('filters by status, assignee, issuer, topic, text and due date', async () => {
    const response = await server.graphql(
      `query($committee: ID!, $administration: ID!, $person: ID!, $group: ID!) {
        notHandled: assignments(filter: { status: [NOT_HANDLED] }) { edges { node { reference region { code } } } }
        notApplicable: assignments(filter: { region: "18", status: [NOT_APPLICABLE] }) { edges { node { reference } } }
        toCommittee: assignments(filter: { assignee: $committee }) { totalCount edges { node { reference } } }
        toAdministration: assignments(filter: { assignee: $administration, status: [STARTED] }) { edges { node { reference } } }
        toPerson: assignments(filter: { assignee: $person }) { edges { node { title assigneePerson { name } } } }
        fromGroup: assignments(filter: { issuedBy: $group }) { totalCount }
        dementia: assignments(filter: { topic: "dementia" }) { edges { node { title region { code } } } }
        byText: assignments(filter: { text: "malbild 2030" }) { edges { node { reference } } }
        due: assignments(filter: { dueOn: { from: "2018-11-01", to: "2018-11-30" } }) { edges { node { title dueOn issuedBy { name } } } }
      }`,
      {
        committee: gid('Organisation', 'org:18:beredning-for-nara-vard'),
        administration: gid('Organisation', 'org:18:halso-och-sjukvardsforvaltningen'),
        person: gid('Person', 'person:07:roger-o-nilsson'),
        group: gid('Organisation', 'org:07:styrgrupp-nara-vard'),
      },
    );
    expect(response.errors).toBeUndefined();
    const data = response.data!;
    expect(nodes(data.notHandled)).toEqual([
      { reference: 'Nr 19', region: { code: '18' } },
      { reference: 'Nr 21', region: { code: '18' } },
    ]);
    // Nr 13, 14, 20, 22 and 23 are directed to another committee (DIRECTED_ELSEWHERE); 12 and 16 do not concern it.
    expect(references(data.notApplicable)).toEqual(['Nr 12', 'Nr 16']);
    expect(data.toCommittee.totalCount).toBe(8);
    expect(references(data.toCommittee)).toContain('Nr 1');
    expect(references(data.toCommittee)).not.toContain('Nr 19');
    expect(references(data.toAdministration)).toEqual(['Nr 10', 'Nr 11', 'Nr 17', 'Nr 18']);
    expect(nodes(data.toPerson)).toEqual([
      { title: 'Hålla samman arbetet med vårdförlopp för offentlig och privat vård', assigneePerson: { name: 'Roger O Nilsson' } },
    ]);
    expect(data.fromGroup.totalCount).toBe(6);
    expect(nodes(data.dementia)).toEqual(
      expect.arrayContaining([{ title: 'Regionalt seminarium om de Nationella riktlinjerna vid demenssjukdom', region: { code: '13' } }]),
    );
    expect(references(data.byText)).toEqual(['Nr 1', 'Nr 16']);
    expect(nodes(data.due)).toEqual([
      {
        title: 'Regionalt seminarium om de Nationella riktlinjerna vid demenssjukdom',
        dueOn: '2018-11-08',
        issuedBy: { name: 'Taktisk grupp Senior' },
      },
    ]);
  });

  it('follows an assignment to its decision, meeting and agenda item, and back', async () => {
    const response = await server.graphql(
      `query($person: ID!) {
        node(id: $person) { ... on Person { name assignments { title originDecision {
          kind decidedOn
          meeting { title heldOn }
          agendaItem { ordinal title meeting { title } }
          assignments { title assigneePerson { name } }
        } } } }
        decisions(filter: { organisation: "${gid('Organisation', 'org:18:halso-och-sjukvardsnamnden')}", text: "verksamhetsplan" }) {
          edges { node { title assignments { reference } } }
        }
      }`,
      { person: gid('Person', 'person:07:roger-o-nilsson') },
    );
    expect(response.errors).toBeUndefined();
    const person = response.data!.node;
    expect(person.name).toBe('Roger O Nilsson');
    expect(person.assignments).toHaveLength(1);
    expect(person.assignments[0]).toEqual({
      title: 'Hålla samman arbetet med vårdförlopp för offentlig och privat vård',
      originDecision: {
        kind: 'DELEGATION',
        decidedOn: '2023-03-28',
        meeting: { title: 'Styrgrupp Nära vård 2023-03-28', heldOn: '2023-03-28' },
        agendaItem: { ordinal: 3, title: 'Vårdförlopp', meeting: { title: 'Styrgrupp Nära vård 2023-03-28' } },
        assignments: [
          { title: 'Hålla samman arbetet med vårdförlopp för offentlig och privat vård', assigneePerson: { name: 'Roger O Nilsson' } },
        ],
      },
    });
    // The Örebro plan decision gives all 23 assignments, in natural order.
    const [plan] = nodes(response.data!.decisions);
    expect(nodes(response.data!.decisions)).toHaveLength(1);
    expect(plan.assignments.map((a: any) => a.reference)).toEqual(NR(1, 23));
  });

  it('orders by issue date with undated assignments last, and by last change', async () => {
    const all = await server.graphql(ASSIGNMENTS, { first: 100, orderBy: 'ISSUED_ON_DESC' });
    expect(all.errors).toBeUndefined();
    expect(all.data!.assignments.totalCount).toBe(43);
    const issued = nodes(all.data!.assignments).map((a: any) => a.issuedOn);
    expect(issued.slice(0, 6)).toEqual(Array(6).fill('2023-03-28'));
    expect(issued.slice(6, 9)).toEqual(Array(3).fill('2018-09-19'));
    expect(issued.slice(9)).toEqual(Array(34).fill(null));

    const ids: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const response: any = await server.graphql(ASSIGNMENTS, { first: 7, after, orderBy: 'ISSUED_ON_DESC' });
      ids.push(...nodes(response.data.assignments).map((a: any) => a.id));
      if (!response.data.assignments.pageInfo.hasNextPage) break;
      after = response.data.assignments.pageInfo.endCursor;
    }
    expect(ids).toEqual(nodes(all.data!.assignments).map((a: any) => a.id));

    // The default order puts the numbered ones first, "Nr 1".."Nr 23", then those without a reference.
    const byReference = await server.graphql(ASSIGNMENTS, { first: 100 });
    const refs = references(byReference.data!.assignments);
    expect(refs.slice(0, 23)).toEqual(NR(1, 23));
    expect(refs.slice(23)).toEqual(Array(20).fill(null));

    const byUpdate = await server.graphql(ASSIGNMENTS, { first: 100, orderBy: 'UPDATED_AT' });
    expect(byUpdate.data!.assignments.totalCount).toBe(43);
  });

  it("gives a region's and a body's assignments as batched connections", async () => {
    server.database.resetStatements();
    const response = await server.graphql(`{
      regions(first: 21) { edges { node { code
        assignments(first: 3, filter: { status: [STARTED, ONGOING] }) { totalCount edges { node { reference } } pageInfo { hasNextPage } }
        organisations(first: 20, filter: { kind: [BOARD, COMMITTEE, ADMINISTRATION, STEERING_GROUP] }) { edges { node { name
          assignmentsIssued(first: 2) { totalCount edges { node { reference } } }
          assignmentsReceived(first: 2) { totalCount edges { node { reference } } }
        } } }
      } } }
    }`);
    expect(response.errors).toBeUndefined();
    expect(server.database.statements.length).toBeLessThan(15);
    const byCode = Object.fromEntries(response.data!.regions.edges.map((edge: any) => [edge.node.code, edge.node]));
    expect(byCode['18'].assignments.totalCount).toBe(14);
    expect(references(byCode['18'].assignments)).toEqual(['Nr 1', 'Nr 2', 'Nr 3']);
    expect(byCode['18'].assignments.pageInfo.hasNextPage).toBe(true);
    expect(byCode['01'].assignments.totalCount).toBe(0);
    const orebro = Object.fromEntries(nodes(byCode['18'].organisations).map((o: any) => [o.name, o]));
    expect(orebro['Hälso- och sjukvårdsnämnden'].assignmentsIssued.totalCount).toBe(23);
    expect(references(orebro['Hälso- och sjukvårdsnämnden'].assignmentsIssued)).toEqual(['Nr 1', 'Nr 2']);
    expect(orebro['Hälso- och sjukvårdsnämnden'].assignmentsReceived.totalCount).toBe(0);
    expect(orebro['Beredning för nära vård'].assignmentsReceived.totalCount).toBe(8);
    expect(orebro['Hälso- och sjukvårdsförvaltningen'].assignmentsReceived.totalCount).toBe(10);
    const kronoberg = Object.fromEntries(nodes(byCode['07'].organisations).map((o: any) => [o.name, o]));
    expect(kronoberg['Styrgrupp Nära vård'].assignmentsIssued.totalCount).toBe(6);
  });

  it('refuses pages above 100 and an assignee that is neither a body nor a person', async () => {
    const tooMany = await server.graphql(ASSIGNMENTS, { first: 101 });
    expect(tooMany.errors?.[0]?.message).toMatch(/at most 100/);
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const wrongType = await server.graphql(ASSIGNMENTS, {
      filter: { assignee: gid('Decision', 'decision:kronoberg-sg-2023-03-28:3') },
    });
    expect(wrongType.errors?.[0]?.message).toMatch(/"assignee" must be an ID of type Organisation or Person, got an ID of type Decision/);
    const malformed = await server.graphql(ASSIGNMENTS, {
      filter: { issuedBy: Buffer.from('Organisation:not-a-uuid').toString('base64') },
    });
    expect(malformed.errors?.[0]?.message).toBe('"filter.issuedBy" is not an ID this API gave out');
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('orders reports by date with undated ones last, hides deleted assignments, and gives changes with updatedSince', async () => {
    const nr8 = idFor('assignment:orebro-beredning-2023:nr-8');
    const since = new Date(Date.now() + 1000);
    const later = new Date(since.getTime() + 60_000);
    // A dated report on Nr 8 comes before the two undated ones.
    await server.database.db.insert(tables.assignmentReports).values({
      assignmentId: nr8,
      reportedOn: '2024-02-15',
      source: 'Test: a dated report',
      status: 'completed',
      forecast: null,
      text: 'Dated.',
    });
    await server.database.db
      .update(tables.assignments)
      .set({ deletedAt: later, updatedAt: later })
      .where(eq(tables.assignments.id, idFor('assignment:orebro-beredning-2023:nr-21')));
    await server.database.db.update(tables.assignments).set({ updatedAt: later }).where(eq(tables.assignments.id, nr8));

    const response = await server.graphql(
      `query($since: DateTime!, $id: ID!) {
        node(id: $id) { ... on Assignment { reference reports { reportedOn source forecast } } }
        live: assignments(filter: { status: [NOT_HANDLED] }) { edges { node { reference } } }
        withDeleted: assignments(filter: { status: [NOT_HANDLED], includeDeleted: true }) { edges { node { reference deletedAt } } }
        changed: assignments(orderBy: UPDATED_AT, filter: { updatedSince: $since }) { edges { node { reference deletedAt } } }
      }`,
      { since: since.toISOString(), id: gid('Assignment', 'assignment:orebro-beredning-2023:nr-8') },
    );
    expect(response.errors).toBeUndefined();
    const { node, live, withDeleted, changed } = response.data!;
    expect(node.reference).toBe('Nr 8');
    expect(node.reports).toHaveLength(3);
    expect(node.reports[0]).toEqual({ reportedOn: '2024-02-15', source: 'Test: a dated report', forecast: null });
    expect(node.reports.slice(1).map((r: any) => r.reportedOn)).toEqual([null, null]);
    expect(node.reports.slice(1).map((r: any) => r.forecast)).toContain('NOT_EXPECTED_DONE');
    expect(references(live)).toEqual(['Nr 19']);
    expect(nodes(withDeleted)).toEqual([
      { reference: 'Nr 19', deletedAt: null },
      { reference: 'Nr 21', deletedAt: later.toISOString() },
    ]);
    expect(nodes(changed)).toHaveLength(2);
    expect(nodes(changed)).toEqual(
      expect.arrayContaining([
        { reference: 'Nr 8', deletedAt: null },
        { reference: 'Nr 21', deletedAt: later.toISOString() },
      ]),
    );
  });
});
