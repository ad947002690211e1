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

export interface FakeKolada {
  url: string;
  /** Every path and query asked for, in order. */
  requests: string[];
  rows: FakeRow[];
  /** Rows returned only when `from_date` is given: what changed since. */
  changedRows: FakeRow[];
  /** Answer 429 (Retry-After: 1) to this many data requests first. */
  tooManyRequests: number;
  /** Answer 500 to data pages with this page number or later (null: never). */
  failFromPage: number | null;
  /** Answer data pages with this page number or later only after 10 s (null: at once). */
  slowFromPage: number | null;
  close(): Promise<void>;
}

export async function startFakeKolada(pageSize = 3): Promise<FakeKolada> {
  const state = {
    requests: [] as string[],
    rows: ROWS,
    changedRows: [] as FakeRow[],
    tooManyRequests: 0,
    failFromPage: null as number | null,
    slowFromPage: null as number | null,
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
      const values = KPIS.filter((kpi) => (ids ? ids.includes(kpi.id) : title ? title.split(' ').some((word) => kpi.title.toLowerCase().includes(word)) : true));
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
        return;
      }
      const values = matching.slice((page - 1) * pageSize, page * pageSize);
      const next = new URL(url);
      next.searchParams.set('page', String(page + 1));
      return send(200, { count: values.length, values, next_url: page * pageSize < matching.length ? next.toString() : null });
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
