import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterKeyOf } from '../src/filter-keys.ts';
import type { Callers } from './support/auth.ts';
import { gid, globalId } from './support/ids.ts';
import type { TestServer } from './support/server.ts';
import { RESULT, startWriteTest } from './support/writes.ts';

/*
 * A list's conditions and its first page's statement are kept by the filter's value and used again
 * by the next request with that value. These tests ask for many filter values in turn, again and
 * again, and compare every page with the rows read by hand-written SQL; and they change the rows
 * between two equal requests, which must see the change.
 */

let server: TestServer;
let as: Callers;

beforeAll(async () => {
  ({ server, as } = await startWriteTest());
});
afterAll(() => server?.close());

const MEETINGS = /* GraphQL */ `
  query ($filter: MeetingFilter, $orderBy: MeetingOrder) {
    meetings(first: 100, filter: $filter, orderBy: $orderBy) { edges { node { id } } }
  }
`;

async function meetingIds(filter: Record<string, unknown>, orderBy?: string): Promise<string[]> {
  const response = await server.graphql(MEETINGS, { filter, orderBy });
  expect(response.errors).toBeUndefined();
  return response.data!.meetings.edges.map((edge: { node: { id: string } }) => edge.node.id);
}

/** Meeting IDs by hand-written SQL: `where` over meetings `m` joined to regions `r`, newest first. */
async function meetingIdsBySql(where: ReturnType<typeof sql>, order = sql`m.held_on desc, m.id`): Promise<string[]> {
  const rows = (await server.database.db.execute(
    sql`select m.id::text as id from meetings m join regions r on r.id = m.region_id where ${where} order by ${order} limit 100`,
  )) as unknown as { rows?: { id: string }[] } & { id: string }[];
  return (rows.rows ?? rows).map((row) => globalId('Meeting', row.id));
}

async function regionsWithMeetings(): Promise<string[]> {
  const rows = (await server.database.db.execute(
    sql`select distinct r.code from meetings m join regions r on r.id = m.region_id where m.deleted_at is null order by r.code`,
  )) as unknown as { rows?: { code: string }[] } & { code: string }[];
  return (rows.rows ?? rows).map((row) => row.code);
}

describe('a list asked for again with the same filter', () => {
  it('answers every filter value with its own rows, whatever was asked before', async () => {
    const regions = await regionsWithMeetings();
    expect(regions.length).toBeGreaterThanOrEqual(2);
    const cases: { filter: Record<string, unknown>; orderBy?: string; where: ReturnType<typeof sql>; order?: ReturnType<typeof sql> }[] = [
      { filter: {}, where: sql`m.deleted_at is null` },
      { filter: { includeDeleted: true }, where: sql`true` },
      { filter: { heldOn: { from: '2023-01-01' } }, where: sql`m.deleted_at is null and m.held_on >= '2023-01-01'` },
      { filter: { heldOn: { to: '2022-12-31' } }, where: sql`m.deleted_at is null and m.held_on <= '2022-12-31'` },
      { filter: {}, orderBy: 'HELD_ON_ASC', where: sql`m.deleted_at is null`, order: sql`m.held_on asc, m.id` },
    ];
    for (const code of regions) {
      cases.push({ filter: { region: code }, where: sql`m.deleted_at is null and r.code = ${code}` });
      cases.push({ filter: { region: code, kind: ['STEERING_GROUP'] }, where: sql`m.deleted_at is null and r.code = ${code} and m.kind = 'steering_group'` });
      cases.push({ filter: { region: code, kind: ['SITTING', 'STEERING_GROUP'] }, where: sql`m.deleted_at is null and r.code = ${code} and m.kind in ('sitting', 'steering_group')` });
    }
    const expected = await Promise.all(cases.map((c) => meetingIdsBySql(c.where, c.order)));
    // The pages must differ, or the test could not tell one filter's rows from another's.
    expect(new Set(expected.map((ids) => ids.join())).size).toBeGreaterThanOrEqual(4);
    for (let round = 0; round < 3; round++) {
      // A different order each round, so every value follows another.
      const order = cases.map((_, index) => index).sort((a, b) => ((a * 7 + round * 3) % cases.length) - ((b * 7 + round * 3) % cases.length));
      for (const index of order) {
        expect(await meetingIds(cases[index]!.filter, cases[index]!.orderBy), JSON.stringify(cases[index]!.filter)).toEqual(expected[index]);
      }
      // Concurrently too: requests in flight at once share nothing but the kept statements.
      const together = await Promise.all(cases.map((c) => meetingIds(c.filter, c.orderBy)));
      expect(together).toEqual(expected);
    }
  });

  it("answers a parent's list (a region's meetings) with the rows of each filter value", async () => {
    const query = /* GraphQL */ `
      query ($filter: MeetingFilter) {
        regions(first: 25) { edges { node { code meetings(first: 100, filter: $filter) { edges { node { id } } } } } }
      }
    `;
    const filters: { filter: Record<string, unknown>; where: ReturnType<typeof sql> }[] = [
      { filter: {}, where: sql`m.deleted_at is null` },
      { filter: { kind: ['STEERING_GROUP'] }, where: sql`m.deleted_at is null and m.kind = 'steering_group'` },
      { filter: { kind: ['SITTING'] }, where: sql`m.deleted_at is null and m.kind = 'sitting'` },
      { filter: { heldOn: { to: '2022-12-31' } }, where: sql`m.deleted_at is null and m.held_on <= '2022-12-31'` },
    ];
    const regions = await regionsWithMeetings();
    const expected = await Promise.all(
      filters.map(async ({ where }) =>
        Object.fromEntries(await Promise.all(regions.map(async (code) => [code, await meetingIdsBySql(sql`${where} and r.code = ${code}`)] as const))),
      ),
    );
    expect(new Set(expected.map((byRegion) => JSON.stringify(byRegion))).size).toBe(filters.length);
    for (let round = 0; round < 2; round++) {
      for (const [index, { filter }] of filters.entries()) {
        const response = await server.graphql(query, { filter });
        expect(response.errors).toBeUndefined();
        const byRegion = Object.fromEntries(
          response.data!.regions.edges
            .filter((edge: any) => regions.includes(edge.node.code))
            .map((edge: any) => [edge.node.code, edge.node.meetings.edges.map((meeting: any) => meeting.node.id)]),
        );
        expect(byRegion, JSON.stringify(filter)).toEqual(expected[index]);
      }
    }
  });

  it('answers a filter too long to be kept as any other', async () => {
    // 1,500 characters of JSON: more than a list keeps, so its conditions are built for each request.
    const text = Array.from({ length: 150 }, () => 'styrgrupp').join(' ');
    const expected = await meetingIdsBySql(sql`m.deleted_at is null and m.search_vector @@ websearch_to_tsquery('swedish', naravard_unaccent(${text}::text))`);
    expect(expected.length).toBeGreaterThan(0);
    for (let round = 0; round < 2; round++) {
      expect(await meetingIds({ text })).toEqual(expected);
      expect(await meetingIds({ text: `${text} styrgrupp` })).toEqual(expected);
      expect(await meetingIds({ text: `${text} nonexistentword` })).toEqual([]);
    }
  });

  it('reads the rows of the moment: a meeting written, changed and deleted between equal requests', async () => {
    const filter = { region: '07', heldOn: { from: '2031-01-01' } };
    expect(await meetingIds(filter)).toEqual([]);
    const created = await server.graphql(
      `mutation ($input: CreateMeetingInput!) { createMeeting(input: $input) { ${RESULT} ... on Meeting { id version } } }`,
      {
        input: {
          title: 'Styrgrupp Nära vård, framtida möte',
          kind: 'STEERING_GROUP',
          organisation: gid('Organisation', 'org:07:styrgrupp-nara-vard'),
          region: '07',
          heldOn: '2031-02-03',
        },
      },
      as.write,
    );
    const meeting = created.data!.createMeeting;
    expect(meeting.__typename).toBe('Meeting');
    expect(await meetingIds(filter)).toEqual([meeting.id]);
    expect(await meetingIds({ ...filter, kind: ['SITTING'] })).toEqual([]);

    const moved = await server.graphql(
      `mutation ($id: ID!, $version: Int!) { updateMeeting(id: $id, version: $version, patch: { heldOn: "2030-12-31" }) { ${RESULT} ... on Meeting { version } } }`,
      { id: meeting.id, version: meeting.version },
      as.write,
    );
    expect(moved.data!.updateMeeting.__typename).toBe('Meeting');
    expect(await meetingIds(filter)).toEqual([]);
    expect(await meetingIds({ region: '07', heldOn: { from: '2030-12-31' } })).toEqual([meeting.id]);

    const deleted = await server.graphql(
      `mutation ($id: ID!, $version: Int!) { deleteMeeting(id: $id, version: $version) { ${RESULT} } }`,
      { id: meeting.id, version: moved.data!.updateMeeting.version },
      as.write,
    );
    expect(deleted.data!.deleteMeeting.__typename).toBe('Meeting');
    expect(await meetingIds({ region: '07', heldOn: { from: '2030-12-31' } })).toEqual([]);
    expect(await meetingIds({ region: '07', heldOn: { from: '2030-12-31' }, includeDeleted: true })).toEqual([meeting.id]);
  });

  it('tells instants a millisecond apart apart (updatedSince)', async () => {
    // The last changed meeting and its change time cut to the millisecond (the API's precision).
    const rows = (await server.database.db.execute(
      sql`select id::text as id, to_char(date_trunc('milliseconds', updated_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
          from meetings order by updated_at desc, id limit 1`,
    )) as unknown as { rows?: { id: string; at: string }[] } & { id: string; at: string }[];
    const [latest] = rows.rows ?? rows;
    const id = globalId('Meeting', latest!.id);
    const justAfter = new Date(new Date(latest!.at).getTime() + 1).toISOString();
    for (let round = 0; round < 2; round++) {
      expect(await meetingIds({ updatedSince: latest!.at }, 'UPDATED_AT')).toContain(id);
      expect(await meetingIds({ updatedSince: justAfter }, 'UPDATED_AT')).not.toContain(id);
    }
  });
});

describe('filterKeyOf', () => {
  it('names equal plain values alike and different ones apart', () => {
    expect(filterKeyOf([{ region: '07', kind: ['SITTING'] }, 'HELD_ON_DESC'])).toBe(filterKeyOf([{ region: '07', kind: ['SITTING'] }, 'HELD_ON_DESC']));
    expect(filterKeyOf({ region: '07' })).not.toBe(filterKeyOf({ region: '18' }));
    expect(filterKeyOf({ kind: ['SITTING', 'STEERING_GROUP'] })).not.toBe(filterKeyOf({ kind: ['STEERING_GROUP', 'SITTING'] }));
    expect(filterKeyOf({ updatedSince: new Date(1) })).not.toBe(filterKeyOf({ updatedSince: new Date(2) }));
    // A date and the string of its instant are different values.
    expect(filterKeyOf({ at: new Date(0) })).not.toBe(filterKeyOf({ at: new Date(0).toISOString() }));
    expect(filterKeyOf({ region: '07', text: undefined })).toBe(filterKeyOf({ region: '07' }));
  });

  it('names no value it cannot write exactly, so nothing is kept for it', () => {
    expect(filterKeyOf({ value: Number.NaN })).toBeUndefined();
    expect(filterKeyOf({ value: Number.POSITIVE_INFINITY })).toBeUndefined();
    expect(filterKeyOf({ value: 10n })).toBeUndefined();
    expect(filterKeyOf({ value: new Map([['a', 1]]) })).toBeUndefined();
    expect(filterKeyOf({ value: new Date(Number.NaN) })).toBeUndefined();
    expect(filterKeyOf({ value: () => 1 })).toBeUndefined();
  });
});
