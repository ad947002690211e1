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

const DECISIONS = /* GraphQL */ `
  query Decisions($first: Int, $after: String, $last: Int, $before: String, $filter: DecisionFilter, $orderBy: DecisionOrder) {
    decisions(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
      totalCount
      edges { cursor node { id title decidedOn region { code } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

/** Every decision of a list, paged with `first`/`after`, checking there are no repeats. */
async function pageThrough(variables: Record<string, unknown>, size: number) {
  const ids: string[] = [];
  const decidedOn: (string | null)[] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page += 1) {
    const response: any = await server.graphql(DECISIONS, { ...variables, first: size, after });
    expect(response.errors).toBeUndefined();
    for (const node of nodes(response.data.decisions)) {
      ids.push(node.id);
      decidedOn.push(node.decidedOn);
    }
    if (!response.data.decisions.pageInfo.hasNextPage) break;
    after = response.data.decisions.pageInfo.endCursor;
  }
  expect(new Set(ids).size).toBe(ids.length);
  return { ids, decidedOn };
}

describe('decisions', () => {
  it('gives the delegation of item 3 of the Kronoberg minutes, with body, meeting, item, region and sources', async () => {
    const response = await server.graphql(
      `query($meeting: ID!) {
        decisions(first: 100, filter: { meeting: $meeting, kind: [DELEGATION] }) {
          totalCount
          edges { node {
            id kind title text decidedOn
            decidedBy { name kind }
            meeting { title heldOn }
            agendaItem { ordinal title }
            region { code }
            topics { slug }
            citations { quote document { title } }
          } }
        }
      }`,
      { meeting: gid('Meeting', 'meeting:kronoberg-sg-2023-03-28') },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.decisions.totalCount).toBe(1);
    const [delegation] = nodes(response.data!.decisions);
    expect(delegation).toMatchObject({
      id: gid('Decision', 'decision:kronoberg-sg-2023-03-28:3'),
      kind: 'DELEGATION',
      title: 'Regiondirektören delegerar arbetet med vårdförlopp till hälso- och sjukvårdsdirektören',
      decidedOn: '2023-03-28',
      decidedBy: { name: 'Styrgrupp Nära vård', kind: 'STEERING_GROUP' },
      meeting: { title: 'Styrgrupp Nära vård 2023-03-28', heldOn: '2023-03-28' },
      agendaItem: { ordinal: 3, title: 'Vårdförlopp' },
      region: { code: '07' },
    });
    expect(delegation.text).toContain('Regiondirektör delegerar uppdraget till Hälso- och sjukvårdsdirektör');
    expect(delegation.topics.map((topic: any) => topic.slug).sort()).toEqual(['care-pathways', 'governance']);
    expect(delegation.citations[0]).toEqual({
      quote:
        'Regiondirektör delegerar uppdraget till Hälso- och sjukvårdsdirektör, att hålla samman arbetet med vårdförlopp och har mandat att fatta beslut som berör såväl offentlig som privat vård inom Region Kronoberg.',
      document: { title: 'Mötesanteckningar - Styrgrupp Nära vård' },
    });
  });

  it('filters by kind, meeting, topic and text', async () => {
    const response = await server.graphql(
      `query($meeting: ID!) {
        directions: decisions(first: 100, filter: { kind: [DIRECTION] }) { totalCount edges { node { kind agendaItem { ordinal } region { code } } } }
        approvals: decisions(filter: { kind: [APPROVAL, DELEGATION] }) { totalCount }
        atMeeting: decisions(filter: { meeting: $meeting }) { totalCount }
        carePathways: decisions(filter: { topic: "care-pathways" }) { edges { node { kind agendaItem { ordinal } } } }
        byText: decisions(filter: { text: "DIREKTBOKNINGAR" }) { edges { node { title text } } }
        halland: decisions(filter: { region: "13", kind: [APPROVAL] }) { edges { node { title decidedOn decidedBy { name } meeting { title } } } }
      }`,
      { meeting: gid('Meeting', 'meeting:kronoberg-sg-2023-03-28') },
    );
    expect(response.errors).toBeUndefined();
    const { directions, approvals, atMeeting, carePathways, byText, halland } = response.data!;
    expect(directions.totalCount).toBe(10);
    expect(nodes(directions).every((d: any) => d.kind === 'DIRECTION' && d.agendaItem.ordinal === 6 && d.region.code === '07')).toBe(true);
    expect(approvals.totalCount).toBe(4);
    expect(atMeeting.totalCount).toBe(17);
    expect(nodes(carePathways)).toEqual([{ kind: 'DELEGATION', agendaItem: { ordinal: 3 } }]);
    // Words in any inflection: "direktbokningar" also finds the decision that says "direktbokning".
    expect(nodes(byText).map((d: any) => d.title).sort()).toEqual([
      'Arbeta vidare utifrån alternativet med direktbokningar',
      'Sammanhängande flöde från den centrala kontaktingången till vårdcentral',
    ]);
    for (const decision of nodes(byText)) expect(`${decision.title} ${decision.text}`).toMatch(/direktbokning/i);
    expect(nodes(halland)).toEqual(
      expect.arrayContaining([
        {
          title: 'Riktlinje för trygg och effektiv utskrivning och vård- och omsorgsplanering i öppenvården fastställd',
          decidedOn: null,
          decidedBy: { name: 'Strategisk grupp' },
          meeting: null,
        },
      ]),
    );
    expect(nodes(halland)).toHaveLength(2);
  });

  it('finds the Örebro decision of 2023-09-07 by date range and body', async () => {
    const response = await server.graphql(
      `query($board: ID!) {
        decisions(filter: { decidedOn: { from: "2023-09-07", to: "2023-09-07" } }) {
          edges { node { title text decidedOn decidedBy { name region { code } } meeting { title } agendaItem { ordinal } citations { quote document { title } } } }
        }
        byBoard: decisions(filter: { organisation: $board }) { totalCount edges { node { decidedOn } } }
        later: decisions(filter: { decidedOn: { from: "2023-04-01" } }) { totalCount }
        earlier: decisions(filter: { decidedOn: { to: "2023-03-28" } }) { totalCount }
      }`,
      { board: gid('Organisation', 'org:18:halso-och-sjukvardsnamnden') },
    );
    expect(response.errors).toBeUndefined();
    const { decisions, byBoard, later, earlier } = response.data!;
    expect(nodes(decisions)).toHaveLength(1);
    const plan = nodes(decisions)[0];
    expect(plan).toMatchObject({
      title: 'Regional handlingsplan i patientsäkerhet',
      decidedOn: '2023-09-07',
      decidedBy: { name: 'Hälso- och sjukvårdsnämnden', region: { code: '18' } },
      meeting: null,
      agendaItem: null,
    });
    expect(plan.text).toContain('7 september 2023');
    expect(plan.citations[0]).toEqual({
      quote: 'Regional handlingsplan i patientsäkerhet beslutades av hälso- och sjukvårdsnämnden den 7 september 2023.',
      document: { title: 'Återrapportering till hälso- och sjukvårdsnämnden – Beredning för nära vård 2023' },
    });
    // The board's three decisions: the dated one first, then the SMO pilot known only as "December
    // 2022" (stored as its first day), then the plan without a date.
    expect(byBoard.totalCount).toBe(3);
    expect(nodes(byBoard).map((d: any) => d.decidedOn)).toEqual(['2023-09-07', '2022-12-01', null]);
    expect(later.totalCount).toBe(1);
    expect(earlier.totalCount).toBe(18); // the 17 Kronoberg decisions and the SMO pilot of December 2022
  });

  it('orders by date with undated decisions last, and pages through them without gaps or repeats', async () => {
    const everything = await server.graphql(DECISIONS, { first: 100 });
    expect(everything.errors).toBeUndefined();
    expect(everything.data!.decisions.totalCount).toBe(28);
    const all = nodes(everything.data!.decisions);
    const dates = all.map((d: any) => d.decidedOn);
    expect(dates[0]).toBe('2023-09-07');
    expect(dates.slice(1, 18)).toEqual(Array(17).fill('2023-03-28'));
    expect(dates[18]).toBe('2022-12-01'); // the SMO pilot, known to the month
    expect(dates.slice(19)).toEqual(Array(9).fill(null));

    // Paging in small pages crosses the dated/undated boundary and gives the same list.
    const paged = await pageThrough({}, 4);
    expect(paged.ids).toEqual(all.map((d: any) => d.id));

    const ascending = await pageThrough({ orderBy: 'DECIDED_ON_ASC' }, 3);
    expect(ascending.ids).toHaveLength(28);
    expect(ascending.decidedOn[0]).toBe('2022-12-01');
    expect(ascending.decidedOn.slice(1, 18)).toEqual(Array(17).fill('2023-03-28'));
    expect(ascending.decidedOn[18]).toBe('2023-09-07');
    expect(ascending.decidedOn.slice(19)).toEqual(Array(9).fill(null));

    // Backwards from the end: the last page is the undated tail, and `before` continues it.
    const last = await server.graphql(DECISIONS, { last: 5 });
    expect(last.errors).toBeUndefined();
    expect(nodes(last.data!.decisions).map((d: any) => d.id)).toEqual(all.slice(23).map((d: any) => d.id));
    const before = await server.graphql(DECISIONS, { last: 8, before: last.data!.decisions.pageInfo.startCursor });
    expect(nodes(before.data!.decisions).map((d: any) => d.id)).toEqual(all.slice(15, 23).map((d: any) => d.id));
    expect(before.data!.decisions.pageInfo.hasPreviousPage).toBe(true);

    const byUpdate = await pageThrough({ orderBy: 'UPDATED_AT', filter: { region: '07' } }, 7);
    expect(byUpdate.ids).toHaveLength(20);
  });

  it("gives a region's and a body's decisions as batched connections", async () => {
    server.database.resetStatements();
    const response = await server.graphql(`{
      regions(first: 21) { edges { node { code
        decisions(first: 2) { totalCount edges { node { decidedOn title } } pageInfo { hasNextPage } }
        organisations(first: 10, filter: { kind: [STEERING_GROUP, BOARD] }) { edges { node { name decisions(first: 3, orderBy: DECIDED_ON_ASC) { totalCount edges { node { decidedOn } } } } } }
      } } }
    }`);
    expect(response.errors).toBeUndefined();
    // One statement per level and list, not one per region or body.
    expect(server.database.statements.length).toBeLessThan(12);
    const byCode = Object.fromEntries(response.data!.regions.edges.map((edge: any) => [edge.node.code, edge.node]));
    expect(byCode['07'].decisions.totalCount).toBe(20);
    expect(byCode['07'].decisions.pageInfo.hasNextPage).toBe(true);
    expect(byCode['18'].decisions.totalCount).toBe(3);
    expect(byCode['18'].decisions.edges[0].node).toEqual({ decidedOn: '2023-09-07', title: 'Regional handlingsplan i patientsäkerhet' });
    expect(byCode['13'].decisions.totalCount).toBe(5);
    expect(byCode['01'].decisions.edges).toEqual([]);
    const bodies = Object.fromEntries(
      nodes(byCode['07'].organisations).map((o: any) => [o.name, o.decisions]),
    );
    expect(bodies['Styrgrupp Nära vård'].totalCount).toBe(17);
    expect(bodies['Regionstyrelsen'].totalCount).toBe(1);
    expect(bodies['Regionstyrelsen'].edges).toEqual([{ node: { decidedOn: null } }]);
    expect(bodies['Hälso- och sjukvårdsnämnden'].totalCount).toBe(0);
  });

  it('refuses pages above 100 and IDs of the wrong type', async () => {
    const tooMany = await server.graphql(DECISIONS, { first: 101 });
    expect(tooMany.errors?.[0]?.message).toMatch(/at most 100/);
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const wrongType = await server.graphql(DECISIONS, {
      filter: { meeting: gid('Organisation', 'org:07:styrgrupp-nara-vard') },
    });
    expect(wrongType.errors?.[0]?.message).toMatch(/"meeting" must be an ID of type Meeting/);
  });

  it('hides deleted decisions unless asked, and gives changed ones with updatedSince', async () => {
    const since = new Date(Date.now() + 1000);
    const later = new Date(since.getTime() + 60_000);
    await server.database.db
      .update(tables.decisions)
      .set({ deletedAt: later, updatedAt: later })
      .where(eq(tables.decisions.id, idFor('decision:kronoberg-sg-2023-03-28:6-prio')));
    await server.database.db
      .update(tables.decisions)
      .set({ updatedAt: later })
      .where(eq(tables.decisions.id, idFor('decision:orebro-beredning-2023:pilot-smo-2022-12')));

    const response = await server.graphql(
      `query($since: DateTime!) {
        live: decisions(filter: { kind: [DIRECTION] }) { totalCount }
        withDeleted: decisions(filter: { kind: [DIRECTION], includeDeleted: true }) { totalCount }
        changed: decisions(orderBy: UPDATED_AT, filter: { updatedSince: $since }) { edges { node { title deletedAt } } }
        changedDirections: decisions(filter: { updatedSince: $since, kind: [DIRECTION] }) { totalCount }
      }`,
      { since: since.toISOString() },
    );
    expect(response.errors).toBeUndefined();
    const { live, withDeleted, changed, changedDirections } = response.data!;
    expect(live.totalCount).toBe(9);
    expect(withDeleted.totalCount).toBe(10);
    expect(nodes(changed)).toHaveLength(2);
    expect(nodes(changed)).toEqual(
      expect.arrayContaining([
        { title: 'Prio 2–3 ska kunna hanteras i den centrala kontaktingången', deletedAt: later.toISOString() },
        {
          title: 'Genomförande av pilotprojekt för samordnat medicinskt omhändertagande (SMO), beslutat i december 2022',
          deletedAt: null,
        },
      ]),
    );
    expect(changedDirections.totalCount).toBe(1);
  });
});
