import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gid } from './support/ids.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
});
afterAll(() => server?.close());

describe('meetings', () => {
  it('lists meetings newest first, with body, region, participants, items, decisions and quoted sources', async () => {
    const response = await server.graphql(`{
      meetings(first: 100, filter: { region: "07" }) {
        totalCount
        edges { node {
          title kind heldOn place
          organisation { name }
          region { code }
          participants { role title person { name } }
          agendaItems { ordinal title decisions { kind text } }
          decisions { text agendaItem { ordinal } }
          citations { quote document { title } }
          topics { slug }
        } }
      }
    }`);
    expect(response.errors).toBeUndefined();
    const meetings = response.data!.meetings;
    expect(meetings.totalCount).toBe(1);
    const meeting = meetings.edges[0].node;
    expect(meeting).toMatchObject({
      kind: 'STEERING_GROUP',
      heldOn: '2023-03-28',
      place: 'Fysiskt möte',
      organisation: { name: 'Styrgrupp Nära vård' },
      region: { code: '07' },
    });
    expect(meeting.participants).toEqual(
      expect.arrayContaining([{ role: 'CHAIR', title: expect.any(String), person: { name: 'Martin Myrskog' } }]),
    );
    expect(meeting.agendaItems.map((item: any) => item.ordinal)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(meeting.agendaItems[2].decisions[0].kind).toBe('DELEGATION');
    // The meeting's decisions come in agenda order, as its items list them.
    const ordinals = meeting.decisions.map((decision: any) => decision.agendaItem.ordinal);
    expect(ordinals.length).toBeGreaterThan(2);
    expect(ordinals).toEqual([...ordinals].sort((a, b) => a - b));
    expect(meeting.decisions.map((decision: any) => decision.text)).toEqual(
      meeting.agendaItems.flatMap((item: any) => item.decisions.map((decision: any) => decision.text)),
    );
    expect(meeting.citations.map((citation: any) => citation.quote)).toEqual(expect.arrayContaining([expect.stringContaining('2023-03-28')]));
    expect(meeting.citations[0].document.title).toMatch(/Styrgrupp Nära vård/);
  });

  it('filters by kind, date range, topic and text, and pages in a stable order', async () => {
    const seminars = await server.graphql(`{ meetings(filter: { kind: [SEMINAR] }) { edges { node { heldOn region { code } } } } }`);
    expect(seminars.data!.meetings.edges).toEqual([{ node: { heldOn: '2018-11-08', region: { code: '13' } } }]);
    const in2018 = await server.graphql(`{ meetings(first: 100, orderBy: HELD_ON_ASC, filter: { heldOn: { from: "2018-01-01", to: "2018-12-31" } }) { edges { node { heldOn } } } }`);
    const dates = in2018.data!.meetings.edges.map((edge: any) => edge.node.heldOn);
    expect(dates).toEqual([...dates].sort());
    expect(dates[0]).toBe('2018-09-19');
    const byText = await server.graphql(`{ meetings(filter: { text: "fysiskt mote" }) { totalCount } }`);
    expect(byText.data!.meetings.totalCount).toBe(1);
    // By topic: its slug, or its Swedish name; with another filter, both apply.
    const sip = await server.graphql(`{ meetings(orderBy: HELD_ON_ASC, filter: { topic: "sip" }) { edges { node { heldOn } } } }`);
    expect(sip.data!.meetings.edges.map((edge: any) => edge.node.heldOn)).toEqual(['2018-09-19', '2018-09-27', '2018-10-24', '2023-05-30', '2023-09-20']);
    const dementia = await server.graphql(`{ meetings(orderBy: HELD_ON_ASC, filter: { topic: "Demens" }) { edges { node { heldOn kind } } } }`);
    expect(dementia.data!.meetings.edges.map((edge: any) => edge.node)).toEqual([
      { heldOn: '2018-11-08', kind: 'SEMINAR' },
      { heldOn: '2023-05-30', kind: 'SITTING' },
    ]);
    const sipSittings = await server.graphql(`{ meetings(orderBy: HELD_ON_ASC, filter: { topic: "sip", kind: [SITTING] }) { totalCount } }`);
    expect(sipSittings.data!.meetings.totalCount).toBe(2);

    // Pages of four, newest last, follow each other without a gap or a repeat; the last says it is the last.
    const pages: string[][] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const response: any = await server.graphql(
        `query Page($after: String) { meetings(first: 4, after: $after, orderBy: HELD_ON_ASC) { edges { node { heldOn } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      const connection = response.data.meetings;
      pages.push(connection.edges.map((edge: any) => edge.node.heldOn));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(pages).toEqual([
      ['2018-09-19', '2018-09-27', '2018-10-24', '2018-11-08'],
      ['2023-03-14', '2023-03-28', '2023-05-30', '2023-09-20'],
      ['2023-11-15', '2023-12-07'],
    ]);
    const wrongType = await server.graphql(`{ meetings(filter: { organisation: "${gid('Person', 'person:07:magnus-frithiof')}" }) { totalCount } }`);
    expect(wrongType.errors?.[0]).toMatchObject({
      message: "\"filter.organisation\" must be an ID of type Organisation, got an ID of type Person (or give the organisation's name)",
      extensions: { code: 'BAD_USER_INPUT', argument: 'filter.organisation' },
    });
  });

  it("gives a region's meetings as a connection, batched across regions", async () => {
    const response = await server.graphql(`{
      regions(first: 21) { edges { node { code meetings(first: 2, orderBy: HELD_ON_ASC) { totalCount edges { node { heldOn } } pageInfo { hasNextPage } } } } }
    }`);
    expect(response.errors).toBeUndefined();
    const byCode = Object.fromEntries(response.data!.regions.edges.map((edge: any) => [edge.node.code, edge.node.meetings]));
    expect(byCode['07'].totalCount).toBe(1);
    expect(byCode['13'].edges.map((edge: any) => edge.node.heldOn)).toEqual(['2018-09-19', '2018-09-27']);
    expect(byCode['13'].pageInfo.hasNextPage).toBe(true);
    expect(byCode['18'].totalCount).toBe(5);
    expect(byCode['01'].edges).toEqual([]);
  });
});
