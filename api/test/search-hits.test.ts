import { tables } from '@naravard/db';
import { eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gid, globalId } from './support/ids.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/** Every kind of record search finds shows a title, a snippet and a citation the same way. */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
});
afterAll(() => server?.close());

async function data(query: string, variables?: Record<string, unknown>) {
  const response = await server.graphql(query, variables);
  expect(response.errors).toBeUndefined();
  return response.data!;
}

describe('the Searchable interface', () => {
  it('`... on Decision { title } ... on AgendaItem { title }` is a valid query, and every hit has a title, snippet and citation', async () => {
    const result = await data(`{
      search(query: "central kontaktingång", first: 100) {
        edges { node { type record {
          __typename
          ... on Decision { title }
          ... on AgendaItem { title }
          ... on Searchable { snippet citation }
        } } }
      }
    }`);
    const records = result.search.edges.map((edge: any) => edge.node.record);
    expect(records.length).toBeGreaterThan(10);
    const kinds = new Set(records.map((record: any) => record.__typename));
    expect(kinds.has('Decision')).toBe(true);
    expect(kinds.has('AgendaItem')).toBe(true);
    for (const record of records) {
      if (record.__typename === 'Decision' || record.__typename === 'AgendaItem') expect(record.title.length).toBeGreaterThan(0);
      expect(record.snippet.length).toBeGreaterThan(0);
      expect(record.snippet.split(' ').length).toBeLessThanOrEqual(31);
      expect(record.citation).toMatch(/\d{4}-\d{2}-\d{2}|undated/);
    }
  });

  it('asks for title on the interface across every kind', async () => {
    const result = await data(`{
      search(query: "vårdcentral", first: 100) { edges { node { type record { __typename ... on Searchable { title snippet citation } } } } }
    }`);
    const byKind = new Map<string, any>();
    for (const { node } of result.search.edges) byKind.set(node.record.__typename, node.record);
    for (const record of byKind.values()) {
      expect(typeof record.title).toBe('string');
      expect(record.title.length).toBeGreaterThan(0);
    }
    const recommendation = byKind.get('Recommendation');
    if (recommendation) {
      expect(recommendation.title).toMatch(/^Recommendation \d+: /);
      expect(recommendation.citation).toMatch(/^Recommendation \d+, /);
    }
  });

  it("a decision recorded without a heading is titled by its text's first sentence", async () => {
    const { db } = server.database;
    const [region] = await db.select().from(tables.regions).where(eq(tables.regions.code, '18'));
    const [short, long] = await db
      .insert(tables.decisions)
      .values([
        { kind: 'decision' as const, regionId: region!.id, decidedOn: '2024-02-01', text: 'Nämnden beslutar att anta handlingsplanen. Planen följs upp i augusti.' },
        {
          kind: 'decision' as const,
          regionId: region!.id,
          text: 'Nämnden beslutar att ge förvaltningen i uppdrag att utreda hur den centrala kontaktingången kan samordnas med vårdcentralernas egna telefonlinjer och digitala kanaler under hela året',
        },
      ])
      .returning();
    const result = await data(
      `query ($short: ID!, $long: ID!) {
        short: node(id: $short) { ... on Decision { title snippet citation } }
        long: node(id: $long) { ... on Decision { title citation } }
      }`,
      { short: globalId('Decision', short!.id), long: globalId('Decision', long!.id) },
    );
    expect(result.short).toEqual({
      title: 'Nämnden beslutar att anta handlingsplanen',
      snippet: 'Nämnden beslutar att anta handlingsplanen. Planen följs upp i augusti.',
      citation: 'Decision, Region Örebro län, 2024-02-01',
    });
    expect(result.long.title).toBe('Nämnden beslutar att ge förvaltningen i uppdrag att utreda hur den centrala kontaktingången kan …');
    expect(result.long.citation).toBe('Decision, Region Örebro län, undated');
  });
});

describe('search covers assignment status reports', () => {
  it('"fast läkarkontakt" finds Örebro assignment Nr 5 by what its status reports say', async () => {
    const result = await data(`{
      search(query: "fast läkarkontakt", types: [ASSIGNMENT], region: "Örebro", first: 50) {
        edges { node { approximate snippet record { ... on Assignment { reference title description reports { text } } } } }
      }
    }`);
    const hits = result.search.edges.map((edge: any) => edge.node);
    const nr5 = hits.find((hit: any) => hit.record.reference === 'Nr 5');
    expect(nr5).toBeDefined();
    expect(nr5.approximate).toBe(false);
    // The words are in its reports, not in its own title or description.
    expect(`${nr5.record.title} ${nr5.record.description ?? ''}`).not.toMatch(/fast läkarkontakt/i);
    expect(nr5.record.reports.some((report: any) => /fast läkarkontakt/i.test(report.text))).toBe(true);
    expect(nr5.snippet).toMatch(/«fast» «läkarkontakt»/i);
  });

  it('a deleted status report no longer finds its assignment', async () => {
    const { db } = server.database;
    const [assignment] = await db.insert(tables.assignments).values({ title: 'Uppdrag utan egna sökord', regionId: (await db.select().from(tables.regions).limit(1))[0]!.id }).returning();
    const [report] = await db.insert(tables.assignmentReports).values({ assignmentId: assignment!.id, text: 'Arbetet med zebrakontinuitet pågår.' }).returning();
    const found = await data(`{ search(query: "zebrakontinuitet", types: [ASSIGNMENT]) { totalCount edges { node { record { ... on Assignment { title } } } } } }`);
    expect(found.search.edges.map((edge: any) => edge.node.record.title)).toEqual(['Uppdrag utan egna sökord']);
    await db.update(tables.assignmentReports).set({ deletedAt: new Date() }).where(eq(tables.assignmentReports.id, report!.id));
    const gone = await data(`{ search(query: "zebrakontinuitet", types: [ASSIGNMENT]) { totalCount } }`);
    expect(gone.search.totalCount).toBe(0);
  });
});

describe('search covers grants and meetings', () => {
  // From db/seed/halland-dialogmote-2018-09-19.json and orebro-beredning-nara-vard-2023.json.
  const HALLAND_GRANT = gid('Grant', 'grant:halland-dialogmote-2018-09-19:psykisk-halsa-2018');
  const PATIENTMILJARDEN = gid('GrantProgramme', 'grant-programme:halland-dialogmote-2018-09-19:patientmiljarden');
  const OREBRO_NOVEMBER = gid('Meeting', 'meeting:orebro-beredning-2023:2023-11-15');
  const FYLSTA_ITEM = gid('AgendaItem', 'item:orebro-beredning-2023:2023-11-15:2');
  const HIT = `type date region { code } snippet record { __typename ... on Node { id } ... on Searchable { title snippet citation } }`;
  const hitsOf = (result: any) => result.search.edges.map((edge: any) => edge.node);

  it('"adhd", among grants only in the Halland mental-health grant, finds that grant', async () => {
    const result = await data(`{ search(query: "adhd", types: [GRANT, GRANT_PROGRAMME]) { totalCount edges { node { ${HIT} } } } }`);
    expect(result.search.totalCount).toBe(1);
    const [hit] = hitsOf(result);
    expect(hit.type).toBe('GRANT');
    expect(hit.record.id).toBe(HALLAND_GRANT);
    expect(hit.record.__typename).toBe('Grant');
    expect(hit.record.title).toBe('Statlig satsning på psykisk hälsa 2018');
    expect(hit.record.citation).toBe('Grant, Region Halland, 2018');
    expect(hit.record.snippet).toMatch(/^Region Halland har fått 17 miljoner kr för uppstart 2018/);
    expect(hit.snippet).toContain('«adhd»');
    expect(hit.region).toEqual({ code: '13' });
    expect(hit.date).toBe('2018-01-01');
    // Unfiltered, the grant is among the hits of every kind.
    const all = hitsOf(await data(`{ search(query: "adhd", first: 100) { edges { node { ${HIT} } } } }`));
    expect(all.map((node: any) => node.record.id)).toContain(HALLAND_GRANT);
  });

  it('finds a grant programme by its name and description', async () => {
    const result = await data(`{ search(query: "patientkontrakt", types: [GRANT_PROGRAMME]) { edges { node { ${HIT} } } } }`);
    const hits = hitsOf(result);
    expect(hits.map((hit: any) => hit.record.id)).toEqual([PATIENTMILJARDEN]);
    expect(hits[0].record).toMatchObject({ __typename: 'GrantProgramme', title: 'Patientmiljarden' });
    expect(hits[0].record.citation).toBe('Grant programme, Överenskommelsen Patientmiljarden, Regeringen');
    expect(hits[0].region).toBeNull();
    // A programme belongs to no region: a region filter leaves it out.
    expect((await data(`{ search(query: "patientkontrakt", types: [GRANT_PROGRAMME], region: "Halland") { totalCount } }`)).search.totalCount).toBe(0);
  });

  it('"Fylstamottagningen", said only in an agenda item, finds the item and its meeting', async () => {
    const result = await data(`{ search(query: "Fylstamottagningen", types: [MEETING, AGENDA_ITEM]) { totalCount edges { node { ${HIT} } } } }`);
    const hits = hitsOf(result);
    expect(hits.map((hit: any) => [hit.type, hit.record.id]).sort()).toEqual(
      [
        ['AGENDA_ITEM', FYLSTA_ITEM],
        ['MEETING', OREBRO_NOVEMBER],
      ].sort(),
    );
    const meeting = hits.find((hit: any) => hit.type === 'MEETING');
    // The meeting's own title does not have the word; its item does, and the hit's passage shows it.
    expect(meeting.record.title).toBe('Beredning för nära vård, sammanträde 15 november 2023');
    expect(meeting.snippet).toContain('«Fylstamottagningen»');
    expect(meeting.record.citation).toMatch(/^Meeting, .*Region Örebro län, 2023-11-15$/);
    expect(meeting.record.snippet).toContain('§ 2 Redogörelse om SMO i samband med studiebesök på Fylstamottagningen, Kumla vårdcentral');
    expect(meeting).toMatchObject({ date: '2023-11-15', region: { code: '18' } });
    const item = hits.find((hit: any) => hit.type === 'AGENDA_ITEM');
    expect(item.record.title).toBe('Redogörelse om SMO i samband med studiebesök på Fylstamottagningen, Kumla vårdcentral');

    // The type filter: meetings alone, agenda items alone.
    const meetings = hitsOf(await data(`{ search(query: "Fylstamottagningen", types: [MEETING]) { edges { node { ${HIT} } } } }`));
    expect(meetings.map((hit: any) => hit.record.id)).toEqual([OREBRO_NOVEMBER]);
    const items = hitsOf(await data(`{ search(query: "Fylstamottagningen", types: [AGENDA_ITEM]) { edges { node { ${HIT} } } } }`));
    expect(items.map((hit: any) => hit.record.id)).toEqual([FYLSTA_ITEM]);
    // Nor a grant or a programme has the word.
    expect((await data(`{ search(query: "Fylstamottagningen", types: [GRANT, GRANT_PROGRAMME]) { totalCount } }`)).search.totalCount).toBe(0);
  });

  it('finds a meeting by its own title and place, and no longer through a deleted agenda item', async () => {
    // The October meeting was held in Borgsalen (its place); at the September one, item 1 announced it.
    const byPlace = hitsOf(await data(`{ search(query: "Borgsalen", types: [MEETING]) { edges { node { ${HIT} } } } }`));
    expect(byPlace.map((hit: any) => hit.record.id).sort()).toEqual(
      [gid('Meeting', 'meeting:halland-dialogmote-2018-09-19:dialogmote-2018-10-24'), gid('Meeting', 'meeting:halland-dialogmote-2018-09-19')].sort(),
    );
    const { db } = server.database;
    const [meeting] = await db.select().from(tables.meetings).where(eq(tables.meetings.title, 'Beredning för nära vård, sammanträde 7 december 2023 (planerat)'));
    const [item] = await db.insert(tables.agendaItems).values({ meetingId: meeting!.id, ordinal: 99, title: 'Information om zebrakontinuitet' }).returning();
    const found = hitsOf(await data(`{ search(query: "zebrakontinuitet", types: [MEETING]) { edges { node { ${HIT} } } } }`));
    expect(found.map((hit: any) => hit.record.title)).toEqual(['Beredning för nära vård, sammanträde 7 december 2023 (planerat)']);
    await db.update(tables.agendaItems).set({ deletedAt: new Date() }).where(eq(tables.agendaItems.id, item!.id));
    expect((await data(`{ search(query: "zebrakontinuitet", types: [MEETING]) { totalCount } }`)).search.totalCount).toBe(0);
  });
});
