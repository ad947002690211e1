import { idFor, tables } from '@naravard/db';
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gid, globalId, uuidOf } from './support/ids.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

/** 60 extra meetings in region 25, each with 3 agenda items, 2 decisions per item, and a citation per decision. */
async function insertManyMeetings() {
  const { db } = server.database;
  const regionId = idFor('region:25');
  const documentId = idFor('doc:kronoberg-sg-2023-03-28');
  for (let m = 0; m < 60; m += 1) {
    const [meeting] = await db
      .insert(tables.meetings)
      .values({ title: `Sammanträde ${m}`, kind: 'sitting', regionId, heldOn: `2024-01-${String((m % 28) + 1).padStart(2, '0')}` })
      .returning();
    const items = await db
      .insert(tables.agendaItems)
      .values([1, 2, 3].map((ordinal) => ({ meetingId: meeting!.id, ordinal, title: `Punkt ${ordinal}` })))
      .returning();
    const decisions = await db
      .insert(tables.decisions)
      .values(items.flatMap((item) => [1, 2].map((n) => ({ kind: 'decision' as const, text: `Beslut ${n}`, meetingId: meeting!.id, agendaItemId: item.id, regionId }))))
      .returning();
    await db.insert(tables.citations).values(
      decisions.map((decision) => ({ documentId, entityType: 'decision' as const, entityId: decision.id, quote: 'Beslut:', lineStart: 37, lineEnd: 37 })),
    );
  }
}

beforeAll(async () => {
  server = await startTestServer({ seed: true });
  await insertManyMeetings();
});
afterAll(() => server?.close());

const NESTED = /* GraphQL */ `
  query Nested($first: Int!) {
    meetings(first: $first, filter: { region: "25" }) {
      edges { node {
        title organisation { name } region { code }
        agendaItems { title decisions { kind citations { quote document { title } } } }
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
    expect(node.agendaItems).toHaveLength(3);
    for (const item of node.agendaItems) {
      expect(item.decisions).toHaveLength(2);
      expect(item.decisions[0].citations[0].document.title).toMatch(/Styrgrupp/);
    }
  }
  return [...server.database.statements];
}

describe('batching', () => {
  it("an aggregate's regions and organisations are read by its own statement, equal to their rows", async () => {
    const { db } = server.database;
    const [indicator] = await db.insert(tables.indicators).values({ code: 'BATCH_AGGREGATE', name: 'Aggregate test', unit: 'count' }).returning();
    const organisationIds = [idFor('org:07:styrgrupp-nara-vard'), idFor('org:18:halso-och-sjukvardsnamnden')];
    const regionIds = [idFor('region:07'), idFor('region:18'), idFor('region:25')];
    await db.insert(tables.observations).values([
      ...regionIds.flatMap((regionId, index) => [{ indicatorId: indicator!.id, regionId, period: '2024-01', value: String(index + 1) }, { indicatorId: indicator!.id, regionId, period: '2024-02', value: '10' }]),
      ...organisationIds.map((organisationId, index) => ({ indicatorId: indicator!.id, organisationId, period: '2024-01', value: String(100 + index) })),
    ]);
    server.database.resetStatements();
    const response = await server.graphql(`{
      observationAggregates(indicator: "BATCH_AGGREGATE", groupBy: [REGION, ORGANISATION]) {
        region { id code name } organisation { id name kind } count sum
      }
    }`);
    expect(response.errors).toBeUndefined();
    expect(server.database.statements).toHaveLength(1);
    const regions = await db.select().from(tables.regions);
    const organisations = await db.select().from(tables.organisations);
    const regionById = new Map(regions.map((row) => [row.id, row]));
    const organisationById = new Map(organisations.map((row) => [row.id, row]));
    const groups = response.data!.observationAggregates;
    expect(groups).toHaveLength(5);
    const expected = [
      ...regionIds.map((id, index) => ({ region: { id: globalId('Region', id), code: regionById.get(id)!.code, name: regionById.get(id)!.name }, organisation: null, count: 2, sum: String(index + 11) })),
      ...organisationIds.map((id, index) => ({
        region: null,
        organisation: { id: globalId('Organisation', id), name: organisationById.get(id)!.name, kind: organisationById.get(id)!.kind.toUpperCase() },
        count: 1,
        sum: String(100 + index),
      })),
    ];
    const byKey = (group: any) => group.region?.code ?? `~${group.organisation.name}`;
    expect([...groups].sort((a, b) => byKey(a).localeCompare(byKey(b)))).toEqual([...expected].sort((a, b) => byKey(a).localeCompare(byKey(b))));
  });

  it('a nested query (meetings × items × decisions × citations) runs the same statements for 5 or 50 meetings', async () => {
    const few = await statementsFor(5);
    const many = await statementsFor(50);
    expect(many.length).toBe(few.length);
    // One statement per level: meetings, regions, agenda items, decisions, citations, documents.
    expect(many.length).toBeLessThanOrEqual(7);
  });

  it("a region list with each region's meetings is one statement per level, not per region", async () => {
    server.database.resetStatements();
    const response = await server.graphql(`{
      regions(first: 21) { edges { node { code meetings(first: 3) { totalCount edges { node { agendaItems { title } } } } } } }
    }`);
    expect(response.errors).toBeUndefined();
    const byCode = Object.fromEntries(response.data!.regions.edges.map((edge: any) => [edge.node.code, edge.node.meetings]));
    expect(byCode['25'].totalCount).toBe(60);
    expect(byCode['25'].edges).toHaveLength(3);
    // regions, meetings (window over all regions), their counts, agenda items.
    expect(server.database.statements.length).toBe(4);
  });

  it("a page's single-valued references are read in the page's own statement, with the columns asked for", async () => {
    server.database.resetStatements();
    const response = await server.graphql(`{
      meetings(first: 20, filter: { region: "07" }) { edges { node { title heldOn organisation { name kind } region { code } } } }
    }`);
    expect(response.errors).toBeUndefined();
    const nodes = response.data!.meetings.edges.map((edge: any) => edge.node);
    expect(nodes.length).toBeGreaterThan(0);
    // The Kronoberg steering group's meeting, its body and region as the seed data has them.
    const steering = nodes.find((node: any) => node.heldOn === '2023-03-28');
    expect(steering.organisation).toEqual({ name: 'Styrgrupp Nära vård', kind: 'STEERING_GROUP' });
    expect(steering.region).toEqual({ code: '07' });
    expect(server.database.statements).toHaveLength(1);
    const [statement] = server.database.statements;
    expect(statement).toMatch(/left join "organisations" "fold_organisation"/);
    expect(statement).toMatch(/left join "regions" "fold_region"/);
    // Only what was asked for: no text search vectors, no columns of the body beyond its name and kind.
    expect(statement).not.toMatch(/search_vector|"fold_organisation"\."aliases"|"meetings"\."place"/);
  });
});

describe("a page's lists", () => {
  it("are read in the page's own statement, their items' lists too, live rows only, in the lists' order", async () => {
    const { db } = server.database;
    const first = await db.select({ id: tables.meetings.id }).from(tables.meetings).where(sql`${tables.meetings.regionId} = ${idFor('region:25')}`).orderBy(desc(tables.meetings.heldOn), asc(tables.meetings.id)).limit(1);
    const [item] = await db.select({ id: tables.agendaItems.id }).from(tables.agendaItems).where(sql`${tables.agendaItems.meetingId} = ${first[0]!.id} and ${tables.agendaItems.ordinal} = 2`);
    // A tombstone among one item's decisions: lists leave it out.
    await db.execute(sql`update decisions set deleted_at = now() where id = (select id from decisions where agenda_item_id = ${item!.id} order by id limit 1)`);
    server.database.resetStatements();
    const response = await server.graphql(`{
      meetings(first: 5, filter: { region: "25" }) { edges { node { id agendaItems { id ordinal title decisions { id kind text } } } } }
    }`);
    expect(response.errors).toBeUndefined();
    expect(server.database.statements).toHaveLength(1);
    expect(server.database.statements[0]!.match(/json_agg/g)).toHaveLength(2);
    const meetings = response.data!.meetings.edges.map((edge: any) => edge.node);
    expect(meetings).toHaveLength(5);
    expect(meetings[0].id).toBe(globalId('Meeting', first[0]!.id));
    // What the tables hold, read here with Drizzle's query builder.
    const a = tables.agendaItems;
    const d = tables.decisions;
    let decisionsSeen = 0;
    for (const meeting of meetings) {
      const items = await db.select({ id: a.id, ordinal: a.ordinal, title: a.title }).from(a)
        .where(and(eq(a.meetingId, uuidOf(meeting.id)!), isNull(a.deletedAt))).orderBy(asc(a.ordinal));
      expect(meeting.agendaItems.map((listed: any) => ({ ...listed, id: uuidOf(listed.id), decisions: undefined }))).toEqual(items.map((row) => ({ ...row, decisions: undefined })));
      for (const [index, row] of items.entries()) {
        const decisions = await db.select({ id: d.id, kind: d.kind, text: d.text }).from(d)
          .where(and(eq(d.agendaItemId, row.id), isNull(d.deletedAt))).orderBy(asc(d.decidedOn), asc(d.createdAt), asc(d.id));
        const listed = meeting.agendaItems[index].decisions.map((decision: any) => ({ ...decision, id: uuidOf(decision.id), kind: decision.kind.toLowerCase() }));
        expect(listed).toEqual(decisions);
        decisionsSeen += decisions.length;
      }
    }
    expect(meetings[0].agendaItems.find((listed: any) => listed.ordinal === 2).decisions).toHaveLength(1);
    expect(decisionsSeen).toBe(5 * 3 * 2 - 1);
  });
});

describe('a list field read through its loader', () => {
  it('gives each parent its own children, per alias with its own columns, in one statement per alias for any number of parents', async () => {
    const query = /* GraphQL */ `
      query Lists($first: Int!) {
        decisions(first: $first, filter: { region: "25" }) {
          edges { node { agendaItem { id ids: decisions { id } texts: decisions { text kind } } } }
        }
      }
    `;
    const d = tables.decisions;
    const counts: number[] = [];
    for (const first of [6, 60]) {
      server.database.resetStatements();
      const response = await server.graphql(query, { first });
      expect(response.errors).toBeUndefined();
      counts.push(server.database.statements.length);
      const items = response.data!.decisions.edges.map((edge: any) => edge.node.agendaItem).filter(Boolean);
      expect(items.length).toBeGreaterThanOrEqual(first / 2);
      for (const item of items) {
        // What the table holds for this item, read here with Drizzle's query builder.
        const rows = await server.database.db.select({ id: d.id, text: d.text, kind: d.kind }).from(d)
          .where(and(eq(d.agendaItemId, uuidOf(item.id)!), isNull(d.deletedAt))).orderBy(asc(d.decidedOn), asc(d.createdAt), asc(d.id));
        expect(rows.length).toBeGreaterThan(0);
        expect(item.ids.map((decision: any) => uuidOf(decision.id))).toEqual(rows.map((row) => row.id));
        expect(item.texts).toEqual(rows.map((row) => ({ text: row.text, kind: row.kind.toUpperCase() })));
      }
    }
    // The page, its agenda items, and one statement for each alias's lists: the same for 6 or 60 decisions.
    expect(counts[1]).toBe(counts[0]);
    expect(counts[0]).toBeLessThanOrEqual(4);
  });
});

describe('records behind a union or an interface', () => {
  it("are read with the columns the query selects from each record's type", async () => {
    server.database.resetStatements();
    const response = await server.graphql(`{
      search(query: "handlingsplan", types: [DOCUMENT, DECISION], first: 40) { edges { node { type record { ... on Node { id } ... on Decision { kind } } } } }
    }`);
    expect(response.errors).toBeUndefined();
    const hits = response.data!.search.edges.map((edge: any) => edge.node);
    const types = new Set(hits.map((hit: any) => hit.type));
    // The seed data has the word in documents and in decisions.
    expect(types).toContain('DOCUMENT');
    expect(types).toContain('DECISION');
    for (const hit of hits) expect(hit.record.id).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(hits.filter((hit: any) => hit.type === 'DECISION').every((hit: any) => typeof hit.record.kind === 'string')).toBe(true);
    const documentRead = server.database.statements.find((statement) => /from "documents" where "documents"\."id" = any/.test(statement));
    const decisionRead = server.database.statements.find((statement) => /from "decisions" where "decisions"\."id" = any/.test(statement));
    // A document is asked for its ID alone, which the search statement gave: no statement reads
    // documents. A decision's kind is read, not its text.
    expect(documentRead).toBeUndefined();
    expect(decisionRead).toMatch(/"decisions"\."kind"/);
    expect(decisionRead).not.toMatch(/"decisions"\."text"/);
  });
});

describe('a record loaded by ID', () => {
  const KRONOBERG = gid('Meeting', 'meeting:kronoberg-sg-2023-03-28');
  const FIELDS = `id title heldOn
    agendaItems { id ordinal title summary createdAt updatedAt version }
    decisions { id kind text decidedOn createdAt }
    participants { role }`;

  it('brings the lists the query selects from it in its own statement, exactly as their own loads give them', async () => {
    server.database.resetStatements();
    const byId = await server.graphql(`query ($id: ID!) { node(id: $id) { ... on Meeting { ${FIELDS} } } }`, { id: KRONOBERG });
    expect(byId.errors).toBeUndefined();
    expect(server.database.statements).toHaveLength(1);
    expect(server.database.statements[0]).toMatch(/json_agg/);
    // One ID is matched with `= $1`: PostgreSQL would plan a one-element `= any($1)` at every execution.
    expect(server.database.statements[0]).toMatch(/where "meetings"\."id" = \$1::uuid$/);
    const meeting = byId.data!.node;
    // The Kronoberg steering group's agenda, as the seed data has it.
    expect(meeting.agendaItems.map((item: any) => item.ordinal)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(meeting.agendaItems[5]).toMatchObject({ ordinal: 6, title: 'Central kontaktingång', version: 1 });
    expect(meeting.agendaItems[5].createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(meeting.decisions.length).toBeGreaterThan(0);

    // The same meeting through the list, whose lists come from the page's statement.
    const listed = await server.graphql(`{ meetings(first: 100, filter: { region: "07" }) { edges { node { ${FIELDS} } } } }`);
    expect(listed.errors).toBeUndefined();
    const same = listed.data!.meetings.edges.map((edge: any) => edge.node).find((node: any) => node.id === KRONOBERG);
    expect(meeting).toEqual(same);
  });

  it('reads several records with their lists in one statement, and a record without any with empty lists', async () => {
    const ids = [KRONOBERG, gid('Meeting', 'meeting:orebro-beredning-2023:2023-03-14'), gid('Meeting', 'meeting:orebro-beredning-2023:2023-11-15')];
    server.database.resetStatements();
    const response = await server.graphql(`query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Meeting { id agendaItems { ordinal } decisions { kind } } } }`, { ids });
    expect(response.errors).toBeUndefined();
    expect(server.database.statements).toHaveLength(1);
    // Several IDs in one array parameter, so the statement is the same for two IDs or a hundred.
    expect(server.database.statements[0]).toMatch(/where "meetings"\."id" = any\(\$1::uuid\[\]\)$/);
    const nodes = response.data!.nodes;
    expect(nodes.map((node: any) => node.id)).toEqual(ids);
    for (const node of nodes) expect(node.agendaItems.length).toBeGreaterThan(0);
    const [empty] = (await server.database.db.insert(tables.meetings).values({ title: 'Tomt möte', kind: 'sitting', regionId: idFor('region:25'), heldOn: '2024-02-01' }).returning());
    const none = await server.graphql(`query ($id: ID!) { node(id: $id) { ... on Meeting { agendaItems { ordinal } decisions { kind } participants { role } } } }`, {
      id: globalId('Meeting', empty!.id),
    });
    expect(none.data!.node).toEqual({ agendaItems: [], decisions: [], participants: [] });
  });
});
