import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gid } from './support/ids.ts';
import { type GraphQLResponse, startTestServer, type TestServer } from './support/server.ts';

/*
 * /export/decisions, assignments, meetings, grants and allocations over HTTP on the seed data: the same records
 * as the GraphQL lists with the same filters, and values read from the source documents.
 */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
});
afterAll(() => server?.close());

async function csv(path: string): Promise<Record<string, string>[]> {
  const response = await fetch(`${server.url}${path}`);
  const body = await response.text();
  expect(response.status, body.slice(0, 300)).toBe(200);
  return parse(body, { columns: true }) as Record<string, string>[];
}

/** Every node of a root list for a filter, page by page. */
async function list(field: string, filterType: string, filter: Record<string, unknown>, selection: string): Promise<Record<string, any>[]> {
  const nodes: Record<string, any>[] = [];
  let after: string | null = null;
  for (;;) {
    const response: GraphQLResponse<Record<string, any>> = await server.graphql(
      `query ($filter: ${filterType}, $after: String) { ${field}(filter: $filter, first: 100, after: $after) {
        pageInfo { hasNextPage endCursor } edges { node { ${selection} } } } }`,
      { filter, after },
    );
    expect(response.errors).toBeUndefined();
    const page: { edges: { node: Record<string, any> }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = response.data![field];
    nodes.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}

const ids = (rows: { id?: string }[]) => rows.map((row) => row.id).sort();
const KRONOBERG_STEERING_GROUP = gid('Organisation', 'org:07:styrgrupp-nara-vard');

describe('decisions', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['', {}],
    ['region=07', { region: '07' }],
    ['region=18&kind=decision', { region: '18', kind: ['DECISION'] }],
    ['kind=DIRECTION,approval', { kind: ['DIRECTION', 'APPROVAL'] }],
    ['from=2023-01-01&to=2023-06-30', { decidedOn: { from: '2023-01-01', to: '2023-06-30' } }],
    [`organisation=${encodeURIComponent(KRONOBERG_STEERING_GROUP)}`, { organisation: KRONOBERG_STEERING_GROUP }],
    ['text=1177', { text: '1177' }],
  ];
  it.each(cases)('?%s gives the records of the GraphQL list', async (query, filter) => {
    const rows = await csv(`/export/decisions.csv?${query}`);
    const nodes = await list('decisions', 'DecisionFilter', filter, 'id kind decidedOn title text');
    expect(rows.length).toBeGreaterThan(0);
    expect(ids(rows)).toEqual(ids(nodes));
    const byId = new Map(nodes.map((node) => [node.id, node]));
    for (const row of rows) {
      const node = byId.get(row.id)!;
      // Texts with commas, quotes and line breaks come back whole through the CSV quoting.
      expect([row.kind, row.decided_on, row.title, row.text]).toEqual([node.kind.toLowerCase(), node.decidedOn ?? '', node.title ?? '', node.text]);
    }
  });

  it('writes the decision on 1177 direkt as the Kronoberg steering group took it on 28 March 2023', async () => {
    const rows = await csv('/export/decisions.csv?text=plattform%2024');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'direction',
      decided_on: '2023-03-28',
      region: '07',
      decided_by: KRONOBERG_STEERING_GROUP,
      decided_by_name: 'Styrgrupp Nära vård',
      title: 'Alla primärvårdens enheter arbetar i 1177 direkt (plattform 24)',
      deleted_at: '',
    });
  });
});

describe('assignments', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['', {}],
    ['region=18', { region: '18' }],
    ['status=ongoing', { status: ['ONGOING'] }],
    ['status=completed,ongoing&region=18', { status: ['COMPLETED', 'ONGOING'], region: '18' }],
    ['text=vårdplatser', { text: 'vårdplatser' }],
  ];
  it.each(cases)('?%s gives the records of the GraphQL list', async (query, filter) => {
    const rows = await csv(`/export/assignments.csv?${query}`);
    const nodes = await list('assignments', 'AssignmentFilter', filter, 'id reference title status dueOn');
    expect(rows.length).toBeGreaterThan(0);
    expect(ids(rows)).toEqual(ids(nodes));
    const byId = new Map(nodes.map((node) => [node.id, node]));
    for (const row of rows) {
      const node = byId.get(row.id)!;
      expect([row.reference, row.title, row.status, row.due_on]).toEqual([node.reference ?? '', node.title, node.status.toLowerCase(), node.dueOn ?? '']);
    }
  });

  it('writes Örebro’s assignment Nr 9 with its issuer and assignee', async () => {
    const rows = await csv('/export/assignments.csv?region=18&text=Tullhusarbetet');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      reference: 'Nr 9',
      status: 'ongoing',
      issued_by_name: 'Hälso- och sjukvårdsnämnden',
      assignee_organisation_name: 'Hälso- och sjukvårdsförvaltningen',
    });
  });
});

describe('meetings', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['', {}],
    ['region=13', { region: '13' }],
    ['kind=seminar', { kind: ['SEMINAR'] }],
    ['from=2023-01-01', { heldOn: { from: '2023-01-01' } }],
  ];
  it.each(cases)('?%s gives the records of the GraphQL list', async (query, filter) => {
    const rows = await csv(`/export/meetings.csv?${query}`);
    const nodes = await list('meetings', 'MeetingFilter', filter, 'id title heldOn');
    expect(rows.length).toBeGreaterThan(0);
    expect(ids(rows)).toEqual(ids(nodes));
  });

  it('writes the Halland seminar of 8 November 2018 with its times and place', async () => {
    const rows = await csv('/export/meetings.csv?kind=seminar&region=13');
    const seminar = rows.find((row) => row.held_on === '2018-11-08')!;
    expect(seminar).toMatchObject({ starts_at: '09:15:00', ends_at: '16:00:00', place: 'Scandic Hallandia, Halmstad', kind: 'seminar' });
  });
});

describe('grants', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['', {}],
    ['region=07', { region: '07' }],
    ['from=2025', { periodFrom: '2025' }],
    ['status=awarded', { status: ['AWARDED'] }],
  ];
  it.each(cases)('?%s gives the records of the GraphQL list', async (query, filter) => {
    const rows = await csv(`/export/grants.csv?${query}`);
    const nodes = await list('grants', 'GrantFilter', filter, 'id period amountSek');
    expect(rows.length).toBeGreaterThan(0);
    expect(ids(rows)).toEqual(ids(nodes));
    const byId = new Map(nodes.map((node) => [node.id, node]));
    for (const row of rows) expect([row.period, row.amount_sek]).toEqual([byId.get(row.id)!.period, byId.get(row.id)!.amountSek ?? '']);
  });

  it('writes Kronoberg’s 51.9 million SEK of 2025 exactly, as CSV and as an NDJSON number', async () => {
    const rows = await csv('/export/grants.csv?region=07&from=2025&to=2025');
    expect(rows.map((row) => [row.programme_name, row.period, row.amount_sek, row.status])).toEqual([
      ['Statsbidrag för nära vård', '2025', '51900000.00', 'requested'],
    ]);
    const line = await (await fetch(`${server.url}/export/grants.ndjson?region=07&from=2025&to=2025`)).text();
    expect(line).toContain('"amount_sek":51900000.00,"amount_is_approximate":false,');
  });
});

const SEKTORSBIDRAG = gid('GrantProgramme', 'grant-programme:kronoberg-revisionssvar-2025-03-25:sektorsbidrag');
const VARDVAL = gid('GrantProgramme', 'grant-programme:kronoberg-revisionssvar-2025-03-25:vardval-primarvard-ersattning');

describe('allocations', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['', {}],
    ['region=07', { region: '07' }],
    [`programme=${encodeURIComponent(SEKTORSBIDRAG)}`, { programme: SEKTORSBIDRAG }],
    [`programme=${encodeURIComponent(VARDVAL)}`, { programme: VARDVAL }],
    ['from=2024&to=2024', { periodFrom: '2024', periodTo: '2024' }],
    ['text=listad', { text: 'listad' }],
  ];
  it.each(cases)('?%s gives the records of the GraphQL list', async (query, filter) => {
    const rows = await csv(`/export/allocations.csv?${query}`);
    const nodes = await list(
      'allocations',
      'AllocationFilter',
      filter,
      'id period amountSek rateSek rateMaxSek rateUnit capSek capUnit programme { id name } grant { id } region { code }',
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(ids(rows)).toEqual(ids(nodes));
    const byId = new Map(nodes.map((node) => [node.id, node]));
    for (const row of rows) {
      const node = byId.get(row.id)!;
      expect([
        row.period,
        row.amount_sek,
        row.rate_sek,
        row.rate_max_sek,
        row.rate_unit,
        row.cap_sek,
        row.cap_unit,
        row.programme,
        row.programme_name,
        row.grant,
        row.region,
      ]).toEqual([
        node.period ?? '',
        node.amountSek ?? '',
        node.rateSek ?? '',
        node.rateMaxSek ?? '',
        node.rateUnit ?? '',
        node.capSek ?? '',
        node.capUnit ?? '',
        node.programme?.id ?? '',
        node.programme?.name ?? '',
        node.grant?.id ?? '',
        node.region?.code ?? '',
      ]);
    }
  });

  it('writes the four Kronoberg allocations, among them 30 million SEK of sektorsbidrag in 2024-09 and a rate of 4–44 SEK', async () => {
    const rows = await csv('/export/allocations.csv');
    expect(rows).toHaveLength(4);
    expect(rows.every((row) => row.region === '07')).toBe(true);
    expect(rows.find((row) => row.period === '2024-09')).toMatchObject({ amount_sek: '30000000.00', programme: SEKTORSBIDRAG });
    expect(rows.find((row) => row.rate_max_sek !== '')).toMatchObject({ rate_sek: '4.00', rate_max_sek: '44.00' });
    expect(await csv('/export/allocations.csv?region=13')).toEqual([]);
    const lines = (await (await fetch(`${server.url}/export/allocations.ndjson?from=2024&to=2024`)).text()).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"period":"2024-09","amount_sek":30000000.00,"rate_sek":null,');
  });
});

describe('names in parameters, resolved as the GraphQL filters resolve them', () => {
  // From db/seed/kronoberg-revisionssvar-2025-03-25.json: the two grants to Kronoberg.
  const KRONOBERG_GRANTS = [
    gid('Grant', 'grant:kronoberg-revisionssvar-2025-03-25:statsbidrag-nara-vard-2024'),
    gid('Grant', 'grant:kronoberg-revisionssvar-2025-03-25:statsbidrag-nara-vard-2025'),
  ].sort();

  it('a region by name gives the rows of its county code', async () => {
    expect(ids(await csv('/export/grants.csv?region=Kronoberg'))).toEqual(KRONOBERG_GRANTS);
    expect(ids(await csv(`/export/grants.csv?region=${encodeURIComponent('Region Kronobergs län')}`))).toEqual(KRONOBERG_GRANTS);
    const orebro = await csv(`/export/decisions.csv?region=${encodeURIComponent('Örebro')}`);
    expect(orebro.length).toBeGreaterThan(0);
    expect(orebro.every((row) => row.region === '18')).toBe(true);
    expect(ids(orebro)).toEqual(ids(await csv('/export/decisions.csv?region=18')));
    expect(ids(await csv('/export/meetings.csv?region=halland'))).toEqual(ids(await list('meetings', 'MeetingFilter', { region: '13' }, 'id')));
    const observations = await csv(`/export/observations.csv?region=${encodeURIComponent('Region Hallands län')}`);
    expect(observations.length).toBeGreaterThan(0);
    expect(observations.every((row) => row.region === '13')).toBe(true);
    expect(ids(observations)).toEqual(ids(await csv('/export/observations.csv?region=13')));
  });

  it('a topic by its name gives the rows of its slug', async () => {
    const bySlug = await csv('/export/decisions.csv?topic=central-contact-entry');
    expect(bySlug.length).toBeGreaterThan(0);
    expect(ids(await csv(`/export/decisions.csv?topic=${encodeURIComponent('central kontaktingång')}`))).toEqual(ids(bySlug));
    expect(ids(bySlug)).toEqual(ids(await list('decisions', 'DecisionFilter', { topic: 'central-contact-entry' }, 'id')));
    const meetings = await csv(`/export/meetings.csv?topic=${encodeURIComponent('Central contact entry')}`);
    expect(ids(meetings)).toEqual(ids(await list('meetings', 'MeetingFilter', { topic: 'central-contact-entry' }, 'id')));
  });

  it('an organisation by its name gives the rows of its ID', async () => {
    const rows = await csv(`/export/decisions.csv?organisation=${encodeURIComponent('Styrgrupp Nära vård')}`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.decided_by === KRONOBERG_STEERING_GROUP)).toBe(true);
    expect(ids(rows)).toEqual(ids(await csv(`/export/decisions.csv?organisation=${encodeURIComponent(KRONOBERG_STEERING_GROUP)}`)));
    const meetings = await csv(`/export/meetings.csv?region=07&organisation=${encodeURIComponent('styrgrupp nara vard')}`);
    expect(meetings.map((row) => row.title)).toEqual(['Styrgrupp Nära vård 2023-03-28']);
  });

  it.each([
    ['decisions', 'topic=central-kontakt-entry', 'topic', '"central-contact-entry"'],
    ['assignments', `topic=${encodeURIComponent('fast läkarkontakten')}`, 'topic', '"fixed-doctor-contact"'],
    ['meetings', 'region=Kronobergg', 'region', '"Region Kronoberg" (07)'],
    ['grants', 'region=42', 'region', 'no region has the county code "42"'],
    ['observations', 'region=Narnia', 'region', 'no region is called "Narnia"'],
    ['decisions', `organisation=${encodeURIComponent('Styrgrupp Nära vårdd')}`, 'organisation', '"Styrgrupp Nära vård"'],
    ['assignments', `issuedBy=${encodeURIComponent('Hälso- och sjukvårdsnämnd X')}`, 'issuedBy', 'no organisation is called'],
    ['grants', 'recipientOrganisation=nobody', 'recipientOrganisation', 'no organisation is called "nobody"'],
  ])('/export/%s.csv?%s is a 400 naming %s with the closest names', async (name, query, parameter, says) => {
    const response = await fetch(`${server.url}/export/${name}.csv?${query}`);
    const body = (await response.json()) as { error: string; parameter: string };
    expect(response.status, body.error).toBe(400);
    expect(body.parameter).toBe(parameter);
    expect(body.error).toContain(`"${parameter}"`);
    expect(body.error).toContain(says);
  });
});

describe('parameters of the record exports', () => {
  it.each([
    ['decisions', 'kind=resolution', 'kind'],
    ['decisions', 'from=2023-02-30', 'from'],
    ['decisions', `meeting=${encodeURIComponent(KRONOBERG_STEERING_GROUP)}`, 'meeting'],
    ['assignments', 'status=done', 'status'],
    ['assignments', 'dimension.x=y', 'dimension.x'],
    ['meetings', 'to=tomorrow', 'to'],
    ['grants', 'from=2025-13', 'from'],
    ['allocations', 'to=2024-Q5', 'to'],
    ['allocations', `grant=${encodeURIComponent(KRONOBERG_STEERING_GROUP)}`, 'grant'],
  ])('/export/%s.csv?%s is refused naming %s', async (name, query, parameter) => {
    const response = await fetch(`${server.url}/export/${name}.csv?${query}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { parameter: string }).parameter).toBe(parameter);
  });
});
