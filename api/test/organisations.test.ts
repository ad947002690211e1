import { idFor, tables } from '@naravard/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gid } from './support/ids.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
});
afterAll(() => server?.close());

const names = (connection: any) => connection.edges.map((edge: any) => edge.node.name);

describe('organisations', () => {
  it("gives Kronoberg's steering group with its region, members and quoted sources", async () => {
    const response = await server.graphql(`{
      organisations(first: 10, filter: { region: "07", kind: [STEERING_GROUP], text: "nara vard" }) {
        totalCount
        edges { node {
          id kind name aliases ownership organisationNumber municipalityCode description
          region { code name }
          parent { name }
          memberships { title person { name } organisation { name } }
          citations { quote document { title } }
        } }
      }
    }`);
    expect(response.errors).toBeUndefined();
    const { organisations } = response.data!;
    expect(organisations.totalCount).toBe(1);
    const group = organisations.edges[0].node;
    expect(group).toMatchObject({
      id: gid('Organisation', 'org:07:styrgrupp-nara-vard'),
      kind: 'STEERING_GROUP',
      name: 'Styrgrupp Nära vård',
      ownership: null,
      municipalityCode: null,
      region: { code: '07', name: 'Region Kronoberg' },
      parent: null,
    });
    expect(group.description).toContain('Region Kronobergs styrgrupp');
    const members = group.memberships.map((m: any) => [m.person.name, m.title]);
    expect(members).toHaveLength(6);
    expect(members).toEqual(
      expect.arrayContaining([
        ['Martin Myrskog', 'Regiondirektör'],
        ['Magnus Frithiof', 'Programchef'],
        ['Roger O Nilsson', 'Hälso- och sjukvårdsdirektör'],
      ]),
    );
    expect(group.memberships.every((m: any) => m.organisation.name === 'Styrgrupp Nära vård')).toBe(true);
    expect(group.citations.length).toBeGreaterThan(0);
    expect(group.citations.map((c: any) => c.document.title)).toContain('Mötesanteckningar - Styrgrupp Nära vård');
  });

  it("follows Örebro's committee to its board and back (parent and children)", async () => {
    const response = await server.graphql(`{
      organisations(filter: { region: "18", text: "Beredning för nära vård" }) {
        edges { node {
          name kind aliases
          parent { name kind region { code } children { name kind } }
          citations { quote document { title } }
        } }
      }
    }`);
    expect(response.errors).toBeUndefined();
    const [committee] = response.data!.organisations.edges.map((edge: any) => edge.node);
    expect(response.data!.organisations.edges).toHaveLength(1);
    expect(committee).toMatchObject({ name: 'Beredning för nära vård', kind: 'COMMITTEE', aliases: ['Beredning för närsjukvård'] });
    expect(committee.parent).toMatchObject({ name: 'Hälso- och sjukvårdsnämnden', kind: 'BOARD', region: { code: '18' } });
    expect(committee.parent.children).toEqual([{ name: 'Beredning för nära vård', kind: 'COMMITTEE' }]);
    expect(committee.citations.map((c: any) => c.quote)).toContain(
      'Beredning för nära vård är en av fyra beredningar under hälso- och sjukvårdsnämnden.',
    );
    expect(committee.citations[0].document.title).toBe('Återrapportering till hälso- och sjukvårdsnämnden – Beredning för nära vård 2023');

    const byParent = await server.graphql(`query($parent: ID!) { organisations(filter: { parent: $parent }) { edges { node { name } } } }`, {
      parent: gid('Organisation', 'org:18:halso-och-sjukvardsnamnden'),
    });
    expect(byParent.errors).toBeUndefined();
    expect(names(byParent.data!.organisations)).toEqual(['Beredning för nära vård']);
  });

  it('lists the municipalities of Kronoberg, Växjö among them, and all 290', async () => {
    const response = await server.graphql(`{
      organisations(first: 100, filter: { region: "07", kind: [MUNICIPALITY] }) {
        totalCount
        edges { node { name kind municipalityCode region { code } } }
      }
      all: organisations(filter: { kind: [MUNICIPALITY] }) { totalCount }
    }`);
    expect(response.errors).toBeUndefined();
    const { organisations, all } = response.data!;
    expect(organisations.totalCount).toBe(8);
    expect(all.totalCount).toBe(290);
    const municipalities = organisations.edges.map((edge: any) => edge.node);
    expect(municipalities).toContainEqual({ name: 'Växjö', kind: 'MUNICIPALITY', municipalityCode: '0780', region: { code: '07' } });
    expect(new Set(municipalities.map((m: any) => m.name)).size).toBe(8);
    expect(municipalities.every((m: any) => /^07[0-9]{2}$/.test(m.municipalityCode))).toBe(true);
  });

  it('finds a body by a damaged spelling of its name and ignores accents', async () => {
    const byAlias = await server.graphql(`{
      organisations(filter: { text: "hilso- och sjukvardsnimnden" }) {
        edges { node { name region { code } aliases citations { quote document { title } } } }
      }
    }`);
    expect(byAlias.errors).toBeUndefined();
    const [board] = byAlias.data!.organisations.edges.map((edge: any) => edge.node);
    expect(byAlias.data!.organisations.edges).toHaveLength(1);
    expect(board).toMatchObject({ name: 'Hälso- och sjukvårdsnämnden', region: { code: '07' } });
    expect(board.aliases).toContain('HSN');
    expect(board.citations[0].document.title).toBe('Svar på revisionsrapport – gällande omställning till god och nära vård');
    expect(board.citations.map((c: any) => c.quote)).toContain('till regionstyrelsen, hilso- och sjukvardsnimnden och nimnden f6r folkhilsa och');

    const unaccented = await server.graphql(`{
      organisations(filter: { text: "HALSO- OCH SJUKVARDSNAMNDEN" }) { edges { node { name region { code } } } }
    }`);
    const regions = unaccented.data!.organisations.edges.map((edge: any) => edge.node.region.code).sort();
    expect(regions).toEqual(['07', '18']);
  });

  it('filters health centres in Halland by ownership', async () => {
    const response = await server.graphql(`{
      private: organisations(filter: { region: "13", ownership: PRIVATE }) { totalCount edges { node { name kind ownership } } }
      public: organisations(first: 100, filter: { region: "13", ownership: PUBLIC, kind: [HEALTH_CENTRE] }) {
        totalCount edges { node { name parent { name } } }
      }
    }`);
    expect(response.errors).toBeUndefined();
    const privateOnes = response.data!.private;
    expect(names(privateOnes)).toEqual([
      'Amadeuskliniken',
      'Capio Citykliniken',
      'Capio Husläkarna Kungsbacka',
      'Husläkarna i Falkenberg',
      'Lagaholmskliniken',
      'Stenblommans vårdcentral',
    ]);
    expect(privateOnes.edges.every((edge: any) => edge.node.ownership === 'PRIVATE' && edge.node.kind === 'HEALTH_CENTRE')).toBe(true);
    const publicOnes = response.data!.public.edges.map((edge: any) => edge.node);
    expect(publicOnes.map((o: any) => o.name)).toContain('Vårdcentralen Västra Vall');
    expect(publicOnes.map((o: any) => o.name)).not.toContain('Capio Citykliniken');
    expect(publicOnes.every((o: any) => o.parent?.name === 'Vårdcentralen Halland')).toBe(true);
    expect(response.data!.public.totalCount).toBe(9);
  });

  it("gives a region's organisations as a connection, batched, with paging", async () => {
    const response = await server.graphql(`{
      regions(first: 21) { edges { node { code
        organisations(first: 3, filter: { kind: [MUNICIPALITY] }) { totalCount edges { cursor node { name } } pageInfo { hasNextPage endCursor } }
        bodies: organisations(filter: { kind: [STEERING_GROUP] }) { edges { node { name } } }
      } } }
    }`);
    expect(response.errors).toBeUndefined();
    const byCode = Object.fromEntries(response.data!.regions.edges.map((edge: any) => [edge.node.code, edge.node]));
    expect(byCode['07'].organisations.totalCount).toBe(8);
    expect(byCode['13'].organisations.totalCount).toBe(6);
    expect(byCode['07'].organisations.edges).toHaveLength(3);
    expect(byCode['07'].organisations.pageInfo.hasNextPage).toBe(true);
    expect(names(byCode['07'].bodies)).toEqual(['Hälso- och sjukvårdens ledningsgrupp', 'Styrgrupp Nära vård']);
    expect(names(byCode['13'].bodies)).toEqual(['Strategisk grupp', 'Taktisk grupp Senior']);

    // The rest of Kronoberg's municipalities, from the first page's cursor, without repeats.
    const firstPage = names(byCode['07'].organisations);
    const rest = await server.graphql(
      `query($after: String) { region(code: "07") { organisations(first: 100, after: $after, filter: { kind: [MUNICIPALITY] }) { edges { node { name } } pageInfo { hasNextPage } } } }`,
      { after: byCode['07'].organisations.pageInfo.endCursor },
    );
    expect(rest.errors).toBeUndefined();
    const remaining = names(rest.data!.region.organisations);
    expect(remaining).toHaveLength(5);
    expect(new Set([...firstPage, ...remaining]).size).toBe(8);
    expect([...firstPage, ...remaining]).toContain('Växjö');
    expect(rest.data!.region.organisations.pageInfo.hasNextPage).toBe(false);
  });

  it('pages the root list with first/after without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const response: any = await server.graphql(
        `query($after: String) { organisations(first: 4, after: $after, filter: { region: "18", kind: [OTHER, COMMITTEE, BOARD] }) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expect(response.errors).toBeUndefined();
      seen.push(...response.data.organisations.edges.map((edge: any) => edge.node.id));
      if (!response.data.organisations.pageInfo.hasNextPage) break;
      after = response.data.organisations.pageInfo.endCursor;
    }
    const all = await server.graphql(`{ organisations(first: 100, filter: { region: "18", kind: [OTHER, COMMITTEE, BOARD] }) { edges { node { id } } } }`);
    expect(seen).toEqual(all.data!.organisations.edges.map((edge: any) => edge.node.id));
    expect(seen.length).toBe(12);
  });

  it('refuses pages above 100 and an ID of the wrong type', async () => {
    const tooMany = await server.graphql(`{ organisations(first: 101) { edges { node { name } } } }`);
    expect(tooMany.data).toBeNull();
    expect(tooMany.errors?.[0]?.message).toMatch(/at most 100/);
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const wrongType = await server.graphql(`query($parent: ID!) { organisations(filter: { parent: $parent }) { totalCount } }`, {
      parent: gid('Person', 'person:07:magnus-frithiof'),
    });
    expect(wrongType.errors?.[0]?.message).toMatch(/must be an ID of type Organisation, got an ID of type Person/);
  });
});

describe('people', () => {
  it('lists the members of a body with their memberships, and finds people by name', async () => {
    const response = await server.graphql(
      `query($organisation: ID!) {
        people(first: 100, filter: { organisation: $organisation }) {
          totalCount
          edges { node { name memberships { title organisation { name } } citations { quote document { title } } } }
        }
        byName: people(filter: { text: "karlstrom" }) { edges { node { name } } }
      }`,
      { organisation: gid('Organisation', 'org:07:styrgrupp-nara-vard') },
    );
    expect(response.errors).toBeUndefined();
    const { people, byName } = response.data!;
    expect(people.totalCount).toBe(6);
    expect(names(people)).toEqual([
      'Dan Petersson',
      'Jens Karlsson',
      'Magnus Frithiof',
      'Martin Myrskog',
      'Roger O Nilsson',
      'Therese Hildingsson',
    ]);
    const dan = people.edges[0].node;
    expect(dan.memberships).toContainEqual({ title: 'Ekonomichef', organisation: { name: 'Styrgrupp Nära vård' } });
    expect(dan.citations[0].document.title).toBe('Mötesanteckningar - Styrgrupp Nära vård');
    expect(names(byName)).toEqual(['Jonas Karlström']);
  });

  it('reads a person through node(id:) and Halland staff through their body', async () => {
    const response = await server.graphql(`query($id: ID!) { node(id: $id) { ... on Person { name memberships { title organisation { name region { code } } } } } }`, {
      id: gid('Person', 'person:13:karin-nordstrand'),
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.node).toEqual({
      name: 'Karin Nordstrand',
      memberships: [{ title: 'hälso- och sjukvårdsstrateg', organisation: { name: 'Vårdval Halland närsjukvård', region: { code: '13' } } }],
    });
  });
});

describe('lifecycle', () => {
  it('hides deleted organisations unless asked, and gives changed ones with updatedSince', async () => {
    const before = await server.graphql(`{ organisations(filter: { region: "07", kind: [STEERING_GROUP] }) { totalCount } }`);
    expect(before.data!.organisations.totalCount).toBe(2);
    const since = new Date(Date.now() + 1000);
    const later = new Date(since.getTime() + 60_000);
    await server.database.db
      .update(tables.organisations)
      .set({ deletedAt: later, updatedAt: later })
      .where(eq(tables.organisations.id, idFor('org:07:halso-och-sjukvardens-ledningsgrupp')));
    await server.database.db.execute(
      sql`update organisations set updated_at = ${later.toISOString()}::timestamptz where id = ${idFor('municipality:0780')}`,
    );

    const live = await server.graphql(`{ organisations(filter: { region: "07", kind: [STEERING_GROUP] }) { edges { node { name } } } }`);
    expect(names(live.data!.organisations)).toEqual(['Styrgrupp Nära vård']);
    const withDeleted = await server.graphql(`{ organisations(filter: { region: "07", kind: [STEERING_GROUP], includeDeleted: true }) { totalCount } }`);
    expect(withDeleted.data!.organisations.totalCount).toBe(2);

    const changed = await server.graphql(
      `query($since: DateTime!) { organisations(orderBy: UPDATED_AT, filter: { updatedSince: $since }) { edges { node { name deletedAt } } } }`,
      { since: since.toISOString() },
    );
    expect(changed.errors).toBeUndefined();
    expect(changed.data!.organisations.edges.map((edge: any) => edge.node)).toEqual(
      expect.arrayContaining([
        { name: 'Hälso- och sjukvårdens ledningsgrupp', deletedAt: later.toISOString() },
        { name: 'Växjö', deletedAt: null },
      ]),
    );
    expect(changed.data!.organisations.edges).toHaveLength(2);
  });
});
