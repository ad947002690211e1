import { selectRows } from '@naravard/db';
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOLDED_LETTERS, type SearchableTypeValue } from '../src/schema/search/sources.ts';
import { indexProbe, splitQuery } from '../src/schema/search/statements.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
});
afterAll(() => server?.close());

const SEARCH = `query Search($query: String!, $types: [SearchableType!], $region: String, $from: Date, $to: Date, $first: Int, $after: String) {
  search(query: $query, types: $types, region: $region, from: $from, to: $to, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges {
      cursor
      node {
        type rank approximate date snippet
        region { code }
        citations { quote document { title } }
        record {
          __typename
          ... on Node { id }
          ... on Document { id title }
          ... on AgendaItem { id title ordinal meeting { heldOn } }
          ... on Decision { id text }
          ... on Assignment { id title }
          ... on Recommendation { id text }
        }
      }
    }
  }
}`;

interface Hit {
  type: string;
  rank: number;
  approximate: boolean;
  date: string | null;
  snippet: string;
  region: { code: string } | null;
  citations: { quote: string; document: { title: string } }[];
  record: { __typename: string; id: string; title?: string; text?: string; ordinal?: number; meeting?: { heldOn: string } };
}

interface SearchPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string };
  edges: { cursor: string; node: Hit }[];
}

async function search(variables: Record<string, unknown>): Promise<SearchPage> {
  const response = await server.graphql<{ search: SearchPage }>(SEARCH, { first: 100, ...variables });
  expect(response.errors).toBeUndefined();
  return response.data!.search;
}

const hitsOf = (page: SearchPage) => page.edges.map((edge) => edge.node);
const heading = (hit: Hit) => hit.record.title ?? hit.record.text ?? '';

const AUDIT_RESPONSE = 'Svar på revisionsrapport – gällande omställning till god och nära vård';
const KRONOBERG_MINUTES = 'Mötesanteckningar - Styrgrupp Nära vård';

describe('search', () => {
  it('finds the agenda items and decisions of the Kronoberg steering group on the central contact entry', async () => {
    const page = await search({ query: 'central kontaktingång', types: ['AGENDA_ITEM', 'DECISION'] });
    const hits = hitsOf(page);
    expect(page.totalCount).toBe(hits.length);
    const items = hits.filter((hit) => hit.type === 'AGENDA_ITEM');
    expect(items.map((hit) => hit.record.title).sort()).toEqual(['Central kontaktingång', 'Kommunikationsplan central kontaktingång']);
    expect(items.map((hit) => hit.record.ordinal).sort()).toEqual([4, 6]);
    const decisions = hits.filter((hit) => hit.type === 'DECISION').map((hit) => hit.record.text);
    expect(decisions).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Under uppbyggnaden av den centrala kontaktingången kan eventuellt resurstillskott hanteras inom statsbidrag Nära vård/),
        expect.stringMatching(/^Utifrån den centrala kontaktingångens bedömning ska patienten känna att flödet hänger ihop/),
      ]),
    );
    for (const hit of hits) {
      expect(hit).toMatchObject({ approximate: false, date: '2023-03-28', region: { code: '07' } });
      expect(hit.rank).toBeGreaterThanOrEqual(1);
      expect(hit.record.__typename).toBe(hit.type === 'AGENDA_ITEM' ? 'AgendaItem' : 'Decision');
    }
    expect(items.every((hit) => hit.record.meeting?.heldOn === '2023-03-28')).toBe(true);

    const item6 = items.find((hit) => hit.record.ordinal === 6)!;
    expect(item6.snippet).toMatch(/^«Central» «kontaktingång» Dialog om arbetsgruppens förslag/);
    expect(item6.snippet).toContain('den «centrala» «kontaktingången»');
    expect(item6.citations).toEqual(
      expect.arrayContaining([{ quote: '6. Central kontaktingång', document: { title: KRONOBERG_MINUTES } }]),
    );
  });

  it('finds the OCR-damaged "fast likarkontakt" of the audit response, after the exact matches', async () => {
    const hits = hitsOf(await search({ query: 'fast läkarkontakt' }));
    const response = hits.find((hit) => hit.type === 'DOCUMENT' && hit.record.title === AUDIT_RESPONSE);
    expect(response).toBeDefined();
    expect(response).toMatchObject({ approximate: true, date: '2025-03-25', region: { code: '07' } });
    expect(response!.snippet).toContain('mojlighet till «fast» «likarkontakt» 1 primarvarden.');
    expect(response!.snippet).toMatch(/^… .* …$/);
    expect(response!.rank).toBeLessThan(1);

    // The recommendation the document answers is an exact match, its source quoted with the OCR damage.
    const recommendation = hits.find((hit) => hit.type === 'RECOMMENDATION')!;
    expect(recommendation).toMatchObject({ approximate: false, date: '2024-11-20', region: { code: '07' } });
    expect(recommendation.record.text).toBe(
      'Säkerställa en god tillgänglighet och god kontinuitet samt möjlighet till fast läkarkontakt i primärvården.',
    );
    expect(recommendation.snippet).toBe(
      'Säkerställa en god tillgänglighet och god kontinuitet samt möjlighet till «fast» «läkarkontakt» i primärvården.',
    );
    expect(recommendation.citations).toContainEqual({
      quote: 'Sikerstilla en god tillginglighet och god kontinuitet samt mojlighet till fast likarkontakt 1 primarvarden.',
      document: { title: AUDIT_RESPONSE },
    });

    // Ranking: every exact match (the words themselves) comes before every approximate one.
    const firstApproximate = hits.findIndex((hit) => hit.approximate);
    expect(firstApproximate).toBeGreaterThan(0);
    expect(hits.slice(0, firstApproximate).every((hit) => !hit.approximate && hit.rank >= 1)).toBe(true);
    expect(hits.slice(firstApproximate).every((hit) => hit.approximate && hit.rank < 1)).toBe(true);
    const ranks = hits.map((hit) => hit.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(hits.map(heading)).toEqual(
      expect.arrayContaining(['Föredragning om fast läkarkontakt i primärvården', KRONOBERG_MINUTES]),
    );
  });

  it('matches any inflection: "vårdcentralerna" finds "vårdcentral"', async () => {
    const hits = hitsOf(await search({ query: 'vårdcentralerna' }));
    const decision = hits.find((hit) => hit.type === 'DECISION' && /^Utifrån den centrala kontaktingångens bedömning/.test(hit.record.text!));
    expect(decision).toBeDefined();
    expect(decision!.record.text).not.toMatch(/vårdcentralerna/i);
    expect(decision!.approximate).toBe(false);
    expect(decision!.snippet).toContain('till «vårdcentral»');
    // and the plural and the genitive too
    expect(hits.some((hit) => hit.snippet.includes('«vårdcentralerna»'))).toBe(true);
    expect(hits.some((hit) => hit.snippet.includes('«vårdcentralernas»'))).toBe(true);
    expect(hits.some((hit) => hit.record.title === 'Information om SIP och antal upprättade SIP per vårdcentral')).toBe(true);
  });

  it('ignores accents: "halso- och sjukvardsnamnden" finds "hälso- och sjukvårdsnämnden", highlighted as written', async () => {
    const unaccented = await search({ query: 'halso- och sjukvardsnamnden' });
    const accented = await search({ query: 'Hälso- och sjukvårdsnämnden' });
    const key = (hit: Hit) => `${hit.type}:${hit.record.id}:${hit.rank}`;
    expect(hitsOf(unaccented).map(key)).toEqual(hitsOf(accented).map(key));
    const delegation = hitsOf(unaccented).find((hit) => /^Regionstyrelsen, som enligt reglemente/.test(hit.record.text ?? ''));
    expect(delegation).toMatchObject({ type: 'DECISION', approximate: false, region: { code: '07' } });
    expect(delegation!.snippet).toContain('överlåter åt «hälso»- och «sjukvårdsnämnden» och nämnden för folkhälsa');
    expect(delegation!.citations[0]!.quote).toContain('hilso- och sjukvardsnaimnden');
    // The OCR text of the audit response has the words without accents; it matches exactly too.
    const response = hitsOf(unaccented).find((hit) => hit.record.title === AUDIT_RESPONSE);
    expect(response).toMatchObject({ approximate: false });
    expect(response!.snippet).toContain('«Halso»- och «sjukvardsnamndens»');
  });

  it('filters by type', async () => {
    const all = await search({ query: 'fast läkarkontakt' });
    const byType = new Map<string, number>();
    for (const hit of hitsOf(all)) byType.set(hit.type, (byType.get(hit.type) ?? 0) + 1);
    let sum = 0;
    for (const type of ['DOCUMENT', 'MEETING', 'AGENDA_ITEM', 'DECISION', 'ASSIGNMENT', 'RECOMMENDATION', 'GRANT_PROGRAMME', 'GRANT']) {
      const page = await search({ query: 'fast läkarkontakt', types: [type] });
      expect(hitsOf(page).every((hit) => hit.type === type)).toBe(true);
      expect(page.totalCount).toBe(byType.get(type) ?? 0);
      sum += page.totalCount;
    }
    expect(sum).toBe(all.totalCount);
    const recommendations = await search({ query: 'fast läkarkontakt', types: ['RECOMMENDATION'] });
    expect(hitsOf(recommendations).map((hit) => hit.record.text)).toEqual([
      'Säkerställa en god tillgänglighet och god kontinuitet samt möjlighet till fast läkarkontakt i primärvården.',
    ]);
    const two = await search({ query: 'fast läkarkontakt', types: ['DOCUMENT', 'RECOMMENDATION'] });
    expect(two.totalCount).toBe((byType.get('DOCUMENT') ?? 0) + (byType.get('RECOMMENDATION') ?? 0));
  });

  it('filters by region: "18" gives only Örebro records', async () => {
    const all = hitsOf(await search({ query: 'vårdcentral' }));
    // Grant programmes belong to no region.
    expect(new Set(all.map((hit) => hit.region?.code))).toEqual(new Set(['07', '13', '18', undefined]));
    expect(new Set(all.filter((hit) => !hit.region).map((hit) => hit.type))).toEqual(new Set(['GRANT_PROGRAMME']));
    const orebro = await search({ query: 'vårdcentral', region: '18' });
    const hits = hitsOf(orebro);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((hit) => hit.region?.code === '18')).toBe(true);
    // The same hits, in the same order, as the unfiltered search has for Örebro.
    expect(hits.map((hit) => hit.record.id)).toEqual(all.filter((hit) => hit.region?.code === '18').map((hit) => hit.record.id));
    expect(orebro.totalCount).toBe(hits.length);
    expect(hits.map(heading)).toContain('Redogörelse om SMO i samband med studiebesök på Fylstamottagningen, Kumla vårdcentral');
    // Agenda items through their meeting, recommendations through their audit.
    const kronoberg = hitsOf(await search({ query: 'fast läkarkontakt', region: '07', types: ['AGENDA_ITEM', 'RECOMMENDATION'] }));
    expect(kronoberg.map((hit) => hit.type).sort()).toEqual(['AGENDA_ITEM', 'RECOMMENDATION']);
    expect((await search({ query: 'vårdcentral', region: '01' })).totalCount).toBe(0);
  });

  it("filters by the record's date", async () => {
    const all = hitsOf(await search({ query: 'fast läkarkontakt' }));
    const recent = hitsOf(await search({ query: 'fast läkarkontakt', from: '2024-01-01' }));
    expect(recent.map((hit) => [hit.type, hit.date])).toEqual([
      ['RECOMMENDATION', '2024-11-20'],
      ['DOCUMENT', '2025-03-25'],
    ]);
    const in2023 = hitsOf(await search({ query: 'fast läkarkontakt', from: '2023-01-01', to: '2023-12-31' }));
    expect(in2023.length).toBeGreaterThan(0);
    expect(in2023.every((hit) => hit.date !== null && hit.date >= '2023-01-01' && hit.date <= '2023-12-31')).toBe(true);
    expect(in2023.map((hit) => hit.record.id)).toEqual(
      all.filter((hit) => hit.date !== null && hit.date >= '2023-01-01' && hit.date <= '2023-12-31').map((hit) => hit.record.id),
    );
    expect(in2023.map((hit) => hit.date)).toEqual(expect.arrayContaining(['2023-03-14', '2023-03-28']));
    const meetingDay = hitsOf(await search({ query: 'central kontaktingång', from: '2023-03-28', to: '2023-03-28' }));
    expect(meetingDay.length).toBe(hitsOf(await search({ query: 'central kontaktingång' })).length);
    expect((await search({ query: 'central kontaktingång', to: '2023-03-27' })).totalCount).toBe(0);
  });

  it('reads web-search syntax: phrases, "or", and words excluded with "-" (approximate matches too)', async () => {
    expect(splitQuery('"central kontaktingång" -vårdcentral or -"fast vårdkontakt" hälso-')).toEqual({
      wanted: 'central kontaktingång hälso-',
      excluded: 'vårdcentral or "fast vårdkontakt"',
    });
    const all = hitsOf(await search({ query: 'central kontaktingång' }));
    expect(all.some((hit) => /vårdcentral/i.test(hit.snippet))).toBe(true);
    const without = hitsOf(await search({ query: 'central kontaktingång -vårdcentral' }));
    expect(without.length).toBeGreaterThan(0);
    expect(without.length).toBeLessThan(all.length);
    expect(without.filter((hit) => /vårdcentral/i.test(`${heading(hit)} ${hit.snippet}`))).toEqual([]);
    const either = await search({ query: 'kontaktingång or läkarkontakt', types: ['RECOMMENDATION', 'AGENDA_ITEM'] });
    const titles = hitsOf(either).map(heading);
    expect(titles).toEqual(expect.arrayContaining(['Central kontaktingång', 'Föredragning om fast läkarkontakt i primärvården']));
    // Only stop words ("och", "i") is nothing to look for: no hits rather than every record.
    expect((await search({ query: 'och i' })).totalCount).toBe(0);
  });

  it('pages with first/after through the ranked hits without repeats or gaps', async () => {
    const whole = await search({ query: 'nära vård' });
    const all = hitsOf(whole).map((hit) => hit.record.id);
    expect(all.length).toBe(whole.totalCount);
    expect(all.length).toBeGreaterThan(20);
    expect(whole.pageInfo.hasNextPage).toBe(false);
    const paged: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await search({ query: 'nära vård', first: 7, after });
      expect(page.edges.length).toBeLessThanOrEqual(7);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== undefined);
      paged.push(...page.edges.map((edge) => edge.node.record.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(new Set(paged).size).toBe(paged.length);
    expect(paged).toEqual(all);

    // Backward from a cursor: the three hits before the eleventh.
    const eleventh = await search({ query: 'nära vård', first: 11 });
    const backward = await server.graphql<{ search: SearchPage }>(
      `query($before: String) { search(query: "nära vård", last: 3, before: $before) {
        pageInfo { hasPreviousPage hasNextPage } edges { node { record { ... on Node { id } } } } } }`,
      { before: eleventh.edges[10]!.cursor },
    );
    expect(backward.errors).toBeUndefined();
    expect(backward.data!.search.edges.map((edge) => edge.node.record.id)).toEqual(all.slice(7, 10));
    expect(backward.data!.search.pageInfo).toEqual({ hasPreviousPage: true, hasNextPage: true });
  });

  it('rejects a blank query, a page above 100 and a foreign cursor', async () => {
    for (const query of ['', '   ']) {
      const response = await server.graphql(`query($q: String!) { search(query: $q) { totalCount } }`, { q: query });
      expect(response.data ?? null).toBeNull();
      expect(response.errors?.[0]?.message).toMatch(/"query" must not be blank/);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'query' });
    }
    const tooMany = await server.graphql(`{ search(query: "vård", first: 101) { edges { cursor } } }`);
    expect(tooMany.errors?.[0]?.message).toMatch(/"first" must be at most 100, got 101/);
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    const exactly100 = await server.graphql(`{ search(query: "vård", first: 100) { edges { cursor } } }`);
    expect(exactly100.errors).toBeUndefined();
    const foreignCursor = await server.graphql(`{ search(query: "vård", after: "YzE6bm90LWEtY3Vyc29y") { totalCount } }`);
    expect(foreignCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    for (const query of ['–!?', '-vård']) {
      const nothingWanted = await server.graphql(`query($q: String!) { search(query: $q) { totalCount } }`, { q: query });
      expect(nothingWanted.errors?.[0]?.message).toMatch(/"query" must contain a word to look for/);
    }
    const backwards = await server.graphql(`{ search(query: "vård", from: "2024-01-01", to: "2023-01-01") { totalCount } }`);
    expect(backwards.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'from' });
    const lastAlone = await server.graphql(`{ search(query: "vård", last: 3) { totalCount } }`);
    expect(lastAlone.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'last' });
    const long = await server.graphql(`query($q: String!) { search(query: $q) { totalCount } }`, { q: 'vård '.repeat(50) });
    expect(long.errors?.[0]?.message).toMatch(/"query" must be at most 200 characters, got 250/);
  });

  it('answers a page exact hits fill with one search statement, one they cannot fill with two, and counts with one more only when asked', async () => {
    const isSearch = (statement: string) => /websearch_to_tsquery/.test(statement);
    const statementsFor = async (first: number, withCount: boolean) => {
      server.database.resetStatements();
      const response = await server.graphql(
        `query($first: Int) { search(query: "nära vård", first: $first) {
          ${withCount ? 'totalCount' : ''}
          edges { node { snippet region { code } citations { quote document { title } }
            record { ... on Cited { citations { quote } } ... on Decision { text } ... on Assignment { title } ... on Document { title } } } }
        } }`,
        { first },
      );
      expect(response.errors).toBeUndefined();
      const edges = (response.data as { search: { edges: { node: unknown }[] } }).search.edges;
      return { statements: [...server.database.statements], hits: edges.length };
    };
    const small = await statementsFor(3, false);
    const large = await statementsFor(60, false);
    expect(small.hits).toBe(3);
    expect(large.hits).toBe(59);
    // Exact hits fill a page of 3: one statement, without trigram matching.
    expect(small.statements.filter(isSearch)).toHaveLength(1);
    expect(small.statements.filter(isSearch)[0]).not.toMatch(/word_similarity|<%/);
    // The 56 exact hits cannot fill 60: the statement with approximate matching follows, and adds 3.
    expect(large.statements.filter(isSearch)).toHaveLength(2);
    expect(large.statements.filter(isSearch)[1]).toMatch(/<%[\s\S]*union all/);
    // Records, regions, citations and their documents are batched: per type and level, never per
    // hit. At most: two searches, records and citations of each of the 8 types, regions, documents.
    expect(large.statements.length).toBeLessThanOrEqual(2 + 2 * 8 + 2);
    const counted = await statementsFor(60, true);
    expect(counted.statements.filter(isSearch)).toHaveLength(3);
    // The count is one statement more; the batched loads stay within the same bound (on PostgreSQL
    // a loader's batch can close a tick earlier while the count runs, and split once).
    expect(counted.statements.length).toBeLessThanOrEqual(1 + 2 + 2 * 8 + 2);
  });

  it("answers hits whose records are asked only for their IDs from the search statement alone, with each record's own ID", async () => {
    const hits = async (record: string) => {
      server.database.resetStatements();
      const response = await server.graphql(`{ search(query: "nära vård", first: 20) { edges { node { type record { ${record} } } } } }`);
      expect(response.errors).toBeUndefined();
      const edges = (response.data as { search: { edges: { node: { type: string; record: Record<string, string> } }[] } }).search.edges;
      return { nodes: edges.map((edge) => edge.node), statements: [...server.database.statements] };
    };
    const identities = await hits('__typename ... on Node { id }');
    expect(identities.nodes).toHaveLength(20);
    expect(identities.statements).toHaveLength(1);
    // The same hits with a field of each record read from its table: the IDs of the records read.
    const read = await hits('__typename ... on Node { id } ... on Searchable { title }');
    expect(read.statements.length).toBeGreaterThan(1);
    expect(read.nodes.every((node) => node.record.title)).toBe(true);
    expect(identities.nodes).toEqual(read.nodes.map(({ type, record }) => ({ type, record: { __typename: record.__typename, id: record.id } })));
    // The type names agree with the hits' types, and each ID names its type.
    for (const { type, record } of identities.nodes) {
      expect(record.__typename!.toUpperCase()).toBe(type.replace(/_/g, ''));
      expect(Buffer.from(record.id!, 'base64').toString()).toMatch(new RegExp(`^${record.__typename}:[0-9a-f-]{36}$`));
    }
  });

  it('gives the same first hits whether exact hits alone fill the page or approximate matching runs too', async () => {
    const page = async (first: number) => {
      const response = await server.graphql(
        `query($first: Int) { search(query: "nära vård", first: $first) { edges { node { type rank approximate snippet record { ... on Node { id } } } } } }`,
        { first },
      );
      expect(response.errors).toBeUndefined();
      return (response.data as { search: { edges: { node: { approximate: boolean } }[] } }).search.edges;
    };
    const short = await page(3);
    const long = await page(60);
    expect(long.some((edge) => edge.node.approximate)).toBe(true);
    expect(short).toHaveLength(3);
    expect(short.every((edge) => !edge.node.approximate)).toBe(true);
    expect(long.slice(0, 3)).toEqual(short);
  });

  it('uses the full-text and trigram indexes as the migration wrote them', async () => {
    const plan = async (statement: SQL) =>
      server.database.db.transaction(async (transaction) => {
        // With sequential and plain index scans off, only a bitmap scan of an index whose
        // expression is the one searched can answer the condition.
        await transaction.execute(sql`set local enable_seqscan = off`);
        await transaction.execute(sql`set local enable_indexscan = off`);
        await transaction.execute(sql`set local enable_indexonlyscan = off`);
        const rows = await selectRows<Record<string, string>>(transaction, sql`explain ${statement}`);
        return rows.map((row) => Object.values(row)[0]).join('\n');
      });
    const tables: Record<SearchableTypeValue, string> = {
      document: 'documents',
      meeting: 'meetings',
      agenda_item: 'agenda_items',
      decision: 'decisions',
      assignment: 'assignments',
      recommendation: 'recommendations',
      grant_programme: 'grant_programmes',
      grant: 'grants',
    };
    for (const [type, table] of Object.entries(tables) as [SearchableTypeValue, string][]) {
      const explained = await plan(indexProbe(type, 'fast läkarkontakt'));
      expect(explained).toContain(`Bitmap Index Scan on ${table}_search_idx`);
      // Approximately through the list of words, whose trigram index finds the words near the query's.
      expect(explained).toContain('Bitmap Index Scan on search_words_trgm_idx');
      expect(explained).not.toMatch(/Seq Scan/);
      // Assignments are found by their status reports too, through the reports' own index.
      if (type === 'assignment') expect(explained).toContain('Bitmap Index Scan on assignment_reports_search_idx');
      // Meetings by their agenda items too, through the items' index.
      if (type === 'meeting') expect(explained).toContain('Bitmap Index Scan on agenda_items_search_idx');
    }
  });

  it('folds accents letter for letter as naravard_unaccent does, so highlights land on the original text', async () => {
    const [from, to] = FOLDED_LETTERS;
    expect(from).toContain('å');
    expect(from).toContain('Ö');
    const [row] = await selectRows<{ folded: string }>(server.database.db, sql`select naravard_unaccent(${from}::text) as folded`);
    expect(row!.folded).toBe(to);
  });
});
