import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A stand-in for the Kolada API v3 on a free port, with fixtures in Kolada's shapes (values made
 * up for the tests). It pages with its own small page size so a run follows several next_urls,
 * and it can answer 429 with Retry-After or fail with 500 from a given data page on.
 */

export interface FakeRow {
  kpi: string;
  period: number;
  municipality: string;
  values: { gender: string; value: number | null; status: string; isdeleted?: boolean }[];
  isdeleted?: boolean;
}

export const KPIS = [
  {
    id: 'N79050',
    title: 'Invånare med fast läkarkontakt, andel (%)',
    description: 'Andel invånare som har en fast läkarkontakt.',
    operating_area: 'Hälso- och sjukvård',
    is_divided_by_gender: true,
    municipality_type: 'L',
    has_ou_data: false,
    publication_date: '2024-03-01',
  },
  {
    id: 'N71000',
    title: 'Hemsjukvårdsbesök per 1 000 invånare',
    description: 'Besök i hemsjukvård.',
    operating_area: 'Hälso- och sjukvård',
    is_divided_by_gender: false,
    municipality_type: 'K',
    has_ou_data: false,
    publication_date: '2024-03-01',
  },
];

const v = (gender: string, value: number | null) => ({ gender, value, status: value === null ? 'Missing' : '' });

/** The data Kolada holds: two regions, two municipalities and the country. */
export const ROWS: FakeRow[] = [
  { kpi: 'N79050', period: 2022, municipality: '0013', values: [v('T', 61.5), v('K', 63.25), v('M', 59.75)] },
  { kpi: 'N79050', period: 2023, municipality: '0013', values: [v('T', 62), v('K', null), v('M', null)] },
  { kpi: 'N79050', period: 2022, municipality: '0007', values: [v('T', 48.4)] },
  { kpi: 'N79050', period: 2023, municipality: '0007', values: [v('T', 50.1)] },
  { kpi: 'N79050', period: 2023, municipality: '0000', values: [v('T', 55.5)] },
  { kpi: 'N71000', period: 2022, municipality: '0780', values: [v('T', 120)] },
  { kpi: 'N71000', period: 2023, municipality: '0780', values: [v('T', 131.5)] },
  { kpi: 'N71000', period: 2023, municipality: '1380', values: [v('T', null)] },
];

/** A KPI with values of organisational units (health centres). */
export const UNIT_KPI = {
  id: 'U79110',
  title: 'Patienter som fått besök på vårdcentral inom 3 dagar, andel (%)',
  description: 'Andel patienter med besök inom tre dagar, per vårdcentral.',
  operating_area: 'Hälso- och sjukvård',
  is_divided_by_gender: true,
  municipality_type: 'K',
  has_ou_data: true,
  publication_date: '2024-03-01',
};

export interface FakeUnit {
  id: string;
  title: string;
  municipality: string;
}

/** Kolada's organisational units: two in Växjö (0780), one in Halmstad (1380), one of Region Halland, one elsewhere. */
export const UNITS: FakeUnit[] = [
  { id: 'V45E078000001', title: 'Vårdcentralen Centrum Växjö', municipality: '0780' },
  { id: 'V45E078000002', title: 'Hälsocentralen Teleborg', municipality: '0780' },
  { id: 'V45E138000001', title: 'Vårdcentral Halmstad Söder', municipality: '1380' },
  { id: 'V45E001300001', title: 'Barnmorskemottagningen Halland', municipality: '0013' },
  { id: 'V45E148000001', title: 'Vårdcentralen Majorna', municipality: '1480' },
];

export interface FakeUnitRow {
  kpi: string;
  period: number;
  ou: string;
  values: { gender: string; value: number | null; status: string }[];
}

/** Values of the units: several pages (3 rows a page), a missing value and gender rows. */
export const UNIT_ROWS: FakeUnitRow[] = [
  { kpi: 'U79110', period: 2022, ou: 'V45E078000001', values: [v('T', 81.5), v('K', 83), v('M', 80)] },
  { kpi: 'U79110', period: 2023, ou: 'V45E078000001', values: [v('T', 84.25)] },
  { kpi: 'U79110', period: 2022, ou: 'V45E078000002', values: [v('T', 77)] },
  { kpi: 'U79110', period: 2023, ou: 'V45E078000002', values: [v('T', null)] },
  { kpi: 'U79110', period: 2023, ou: 'V45E138000001', values: [v('T', 69.5)] },
  { kpi: 'U79110', period: 2023, ou: 'V45E001300001', values: [v('T', 90)] },
  { kpi: 'U79110', period: 2023, ou: 'V45E148000001', values: [v('T', 12)] },
];

/** Answers a list with `page`/`next_url` paging, `pageSize` values a page. */
function paged<T>(url: URL, values: T[], pageSize: number) {
  const page = Number(url.searchParams.get('page') ?? '1');
  const next = new URL(url);
  next.searchParams.set('page', String(page + 1));
  const slice = values.slice((page - 1) * pageSize, page * pageSize);
  return { count: slice.length, values: slice, next_url: page * pageSize < values.length ? next.toString() : null };
}

export interface FakeKolada {
  url: string;
  /** Every path and query asked for, in order. */
  requests: string[];
  rows: FakeRow[];
  units: FakeUnit[];
  unitRows: FakeUnitRow[];
  /** Rows returned only when `from_date` is given: what changed since. */
  changedRows: FakeRow[];
  /** Answer 429 (Retry-After: 1) to this many data requests first. */
  tooManyRequests: number;
  /** Answer 500 to data pages with this page number or later (null: never). */
  failFromPage: number | null;
  /** Answer data pages with this page number or later only after 10 s (null: at once). */
  slowFromPage: number | null;
  /** Called when a slow page is asked for: the client is then waiting mid-run. */
  onSlowPage: (() => void) | null;
  close(): Promise<void>;
}

export async function startFakeKolada(pageSize = 3): Promise<FakeKolada> {
  const state = {
    requests: [] as string[],
    rows: ROWS,
    units: UNITS,
    unitRows: UNIT_ROWS,
    changedRows: [] as FakeRow[],
    tooManyRequests: 0,
    failFromPage: null as number | null,
    slowFromPage: null as number | null,
    onSlowPage: null as (() => void) | null,
  };
  let base = '';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', base);
    state.requests.push(url.pathname + url.search);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'v3') return send(404, { error: 'not found' });
    if (parts[1] === 'kpi') {
      const ids = parts[2]?.split(',');
      const title = url.searchParams.get('title')?.toLowerCase();
      const values = [...KPIS, UNIT_KPI].filter((kpi) => (ids ? ids.includes(kpi.id) : title ? title.split(' ').some((word) => kpi.title.toLowerCase().includes(word)) : true));
      return send(200, { count: values.length, values, next_url: null });
    }
    if (parts[1] === 'data' && parts[2] === 'kpi' && parts[4] === 'municipality') {
      if (state.tooManyRequests > 0) {
        state.tooManyRequests -= 1;
        return send(429, { error: 'too many requests' }, { 'retry-after': '1' });
      }
      const kpis = parts[3]!.split(',');
      const subjects = parts[5]!.split(',');
      const years = parts[6] === 'year' ? parts[7]!.split(',').map(Number) : undefined;
      const source = url.searchParams.get('from_date') ? state.changedRows : state.rows;
      const matching = source.filter(
        (row) => kpis.includes(row.kpi) && subjects.includes(row.municipality) && (!years || years.includes(row.period)),
      );
      const page = Number(url.searchParams.get('page') ?? '1');
      if (state.failFromPage !== null && page >= state.failFromPage) return send(500, { error: 'internal error' });
      if (state.slowFromPage !== null && page >= state.slowFromPage) {
        const timer = setTimeout(() => send(200, { count: 0, values: [], next_url: null }), 10_000);
        response.on('close', () => clearTimeout(timer));
        state.onSlowPage?.();
        return;
      }
      const values = matching.slice((page - 1) * pageSize, page * pageSize);
      const next = new URL(url);
      next.searchParams.set('page', String(page + 1));
      return send(200, { count: values.length, values, next_url: page * pageSize < matching.length ? next.toString() : null });
    }
    // The units of some municipalities (`?municipality=0780,0013`), or all of them.
    if (parts[1] === 'ou' && !parts[2]) {
      const subjects = url.searchParams.get('municipality')?.split(',');
      return send(200, paged(url, state.units.filter((unit) => !subjects || subjects.includes(unit.municipality)), pageSize));
    }
    // Values of units. Unlike /v3/data, it answers every row even with from_date: more than
    // Kolada would send, so a second run meets every value again.
    if (parts[1] === 'oudata' && parts[2] === 'kpi' && parts[4] === 'ou') {
      const kpis = parts[3]!.split(',');
      const units = parts[5]!.split(',');
      const years = parts[6] === 'year' ? parts[7]!.split(',').map(Number) : undefined;
      const matching = state.unitRows.filter((row) => kpis.includes(row.kpi) && units.includes(row.ou) && (!years || years.includes(row.period)));
      return send(200, paged(url, matching, pageSize));
    }
    return send(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake = Object.assign(state, {
    url: base,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return fake as FakeKolada;
}
