import { readRows, renderedOnce, tables } from '@naravard/db';
import { Placeholder, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Context } from '../../context.ts';
import { regionIs, withoutLoneDashes } from '../../filters.ts';
import { FOLDED_LETTERS, HEADLINE_OPTIONS, HIGHLIGHT_SIMILARITY, MATCHES_NOTHING, RANKED_PER_TYPE, SEARCHABLE_TYPES, type SearchableTypeValue, type Source, SOURCES, START_MARK, STOP_MARK } from './sources.ts';

/* The statements of search: the query split into wanted and excluded words, exact and approximate matches, the page and the count. */

export interface SearchParameters {
  query: string;
  types?: readonly SearchableTypeValue[] | null | undefined;
  region?: string | null | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
}

/**
 * The query read the way `websearch_to_tsquery` reads it: the words looked for, and the words or
 * "phrases" excluded with a leading "-". `or` is an operator, not a word.
 */
export function splitQuery(query: string): { wanted: string; excluded: string } {
  const wanted: string[] = [];
  const excluded: string[] = [];
  for (const match of query.matchAll(/(^|\s)(-?)(?:"([^"]*)"?|([^\s"]+))/g)) {
    const [, , minus, phrase, word] = match;
    if (phrase !== undefined) {
      if (minus) excluded.push(`"${phrase}"`);
      else wanted.push(phrase);
    } else if (word !== undefined && !/^or$/i.test(word)) {
      if (minus) excluded.push(word);
      else wanted.push(word);
    }
  }
  return { wanted: wanted.join(' '), excluded: excluded.join(' or ') };
}

/** A value of a search statement: given as it is, or a placeholder filled when a statement rendered once runs. */
type Bound = string | Placeholder;

/** The query text and its parts (see splitQuery), as the statement binds them. */
interface QueryParts {
  query: Bound;
  wanted: Bound;
  /** The excluded words; null when there are none (the statement then has no exclusion at all). */
  excluded: Bound | null;
}

/** A search with its values bound: as given, or as placeholders (`renderedSearch`). */
interface BoundSearch {
  parts: QueryParts;
  types?: readonly SearchableTypeValue[] | null | undefined;
  region: Bound | null;
  from: Bound | null;
  to: Bound | null;
}

/** The query's parts, each a plain value. */
function partsOf(text: string): { query: string; wanted: string; excluded: string } {
  const query = withoutLoneDashes(text);
  return { query, ...splitQuery(query) };
}

function bound(parameters: SearchParameters): BoundSearch {
  const { query, wanted, excluded } = partsOf(parameters.query);
  return {
    parts: { query, wanted, excluded: excluded || null },
    types: parameters.types,
    region: parameters.region || null,
    from: parameters.from || null,
    to: parameters.to || null,
  };
}

/** The query's pieces, each one SQL expression over bound text. */
function queryExpressions({ query, wanted, excluded }: QueryParts) {
  return {
    /** Stemmed, accent-folded full-text query, with its operators. */
    tsquery: sql`websearch_to_tsquery('swedish', naravard_unaccent(${query}::text))`,
    /**
     * Whether the words looked for include any that full-text search uses (not only stop words such
     * as "och"): otherwise nothing matches. Immutable over the bound text, so the planner folds it.
     */
    searchable: sql`numnode(websearch_to_tsquery('swedish', naravard_unaccent(${wanted}::text))) > 0`,
    /** The words looked for, accent-folded and lower-cased, for trigram matching. */
    fuzzy: sql`naravard_unaccent(lower(${wanted}::text))`,
    /** The excluded words, which an approximate match must not have either. */
    excluded: excluded ? sql`websearch_to_tsquery('swedish', naravard_unaccent(${excluded}::text))` : null,
  };
}

/**
 * The exact matches of a type that are ranked for a page (at most RANKED_PER_TYPE of them, see
 * there). For a type also found through other rows (a meeting through its agenda items), the IDs
 * are gathered from each place with the search's filters already applied and at most
 * RANKED_PER_TYPE from each: a common word is in a third of all agenda items, and gathering every
 * one of them (170,000 on the national data set) to rank a hundred took two seconds.
 */
function exactCandidates(source: Source, tsquery: SQL, parameters: BoundSearch): SQL {
  const own = sql`${source.vector} @@ ${tsquery}`;
  if (!source.alsoMatchedBy) return own;
  const filters = filterConditions(source, parameters);
  const limit = sql.raw(String(RANKED_PER_TYPE));
  return idAmong(
    source,
    sql`(${ownIds(source, sql`${own} and ${filters}`)} limit ${limit}) union all (${source.alsoMatchedBy(tsquery, filters)} limit ${limit})`,
  );
}

/**
 * A row's ID among the IDs a statement finds, for a WHERE clause: the IDs are gathered once (an
 * InitPlan) and the rows fetched by primary key. As `id in (…)` the planner re-ran the union for
 * each row of a table it took for small: 43 times 7 ms of trigram matching per search.
 */
function idAmong(source: Source, ids: SQL): SQL {
  return sql`${source.id} = any(array(${ids}))`;
}

/**
 * The IDs of the type's rows meeting a condition on their own columns, in a subquery over the same
 * table: its unaliased name hides the outer row's, so the condition's columns are the subquery's.
 */
function ownIds(source: Source, condition: SQL): SQL {
  return sql`select ${source.id} from ${source.table} where ${condition}`;
}

/**
 * Whether a row of the type matches the query: its words (stemmed), or approximately (see
 * nearQuery). Reads the statement's near_query (see nearWordsTables).
 */
function matchCondition(source: Source, parts: QueryParts): SQL {
  const { tsquery, searchable, excluded } = queryExpressions(parts);
  const notExcluded = excluded ? sql` and not ${source.vector} @@ ${excluded}` : sql``;
  const own = sql`(${source.vector} @@ ${tsquery} or (${source.vector} @@ (select query from near_query)${notExcluded}))`;
  if (source.alsoMatchedBy) return sql`${searchable} and ${idAmong(source, sql`${ownIds(source, own)} union all ${source.alsoMatchedBy(tsquery)}`)}`;
  return sql`${searchable} and ${own}`;
}

/** Most words of the word list taken as near one query word, the nearest first. */
const NEAR_WORDS_PER_WORD = 20;

/** The query words approximate matching looks up: split as the word list is, stop words left out. */
function wantedWords(parts: QueryParts): { from: SQL; where: SQL } {
  const { fuzzy } = queryExpressions(parts);
  return {
    // Each word once, numbered by where it first occurs.
    from: sql`(select word, min(n) as n from unnest(regexp_split_to_array(${fuzzy}, '[^[:alnum:]]+')) with ordinality as split(word, n)
      group by word) as wanted`,
    where: sql`wanted.word <> '' and length(to_tsvector('swedish', wanted.word)) > 0`,
  };
}

/**
 * The stems of the words near each query word (`n`, `lexeme`, `similarity`): the words of
 * `search_words` whose trigram word similarity to the query word is at least
 * `pg_trgm.word_similarity_threshold` (pg_trgm `<%`, 0.6 by default), through the list's trigram
 * index, at most NEAR_WORDS_PER_WORD of them, the nearest first, each as the stem it has in the
 * records' full-text vectors.
 */
function nearWordsStatement(parts: QueryParts): SQL {
  const wanted = wantedWords(parts);
  return sql`select wanted.n, lexeme, max(near.similarity) as similarity
    from ${wanted.from}
    cross join lateral (
      select listed.word, word_similarity(wanted.word, listed.word) as similarity
      from (select distinct ${tables.searchWords.word} as word from ${tables.searchWords} where wanted.word <% ${tables.searchWords.word}) as listed
      order by similarity desc, listed.word
      limit ${sql.raw(String(NEAR_WORDS_PER_WORD))}) as near
    cross join lateral unnest(tsvector_to_array(to_tsvector('swedish', near.word))) as lexeme
    where ${wanted.where}
    group by wanted.n, lexeme`;
}

/**
 * The full-text query of approximate matching: for every query word, one of the stems near it
 * (`(a1 | a2) & (b1 | b2)`); a query word with no near word matches nothing. `nearWords` is the
 * FROM item of the near words.
 */
function nearQuery(parts: QueryParts, nearWords: SQL): SQL {
  const wanted = wantedWords(parts);
  return sql`(select coalesce((select string_agg(alternatives, ' & ')
      from (select '(' || string_agg(quote_literal(near_words.lexeme), ' | ') || ')' as alternatives
        from ${nearWords} group by near_words.n) as per_word
      having count(*) = (select count(*) from ${wanted.from} where ${wanted.where})), ${MATCHES_NOTHING})::tsquery)`;
}

/**
 * The common table expressions approximate matching reads (see approximateHits, matchCondition):
 * the near words are looked up once per statement, not once per type.
 */
function nearWordsTables(parts: QueryParts): SQL {
  return sql`near_words as materialized (${nearWordsStatement(parts)}),
    near_query as materialized (select ${nearQuery(parts, sql`near_words`)} as query)`;
}

/** The filters of a search on one type's rows (live, region, dates), pushed down into its subquery. */
function filterConditions(source: Source, parameters: BoundSearch): SQL {
  const conditions: SQL[] = [sql`${source.deletedAt} is null`];
  // A grant programme has no region (its `regionId` is NULL): a region filter leaves it out.
  const region = parameters.region ? regionIs(source.regionId as PgColumn, parameters.region) : undefined;
  if (region) conditions.push(region);
  if (parameters.from) conditions.push(sql`${source.date} >= ${parameters.from}::date`);
  if (parameters.to) conditions.push(sql`${source.date} <= ${parameters.to}::date`);
  return sql.join(conditions, sql` and `);
}

/** Which rows of one type match, with every filter pushed down into the type's subquery. */
function matchConditions(source: Source, parameters: BoundSearch): SQL {
  return sql`${matchCondition(source, parameters.parts)} and ${filterConditions(source, parameters)}`;
}

function searchedSources(parameters: BoundSearch): Source[] {
  const types = parameters.types?.length ? new Set(parameters.types) : null;
  return SEARCHABLE_TYPES.filter((type) => !types || types.has(type)).map((type) => SOURCES[type]);
}

/**
 * The matching rows of every searched type that are ranked for a page, with their rank: the
 * subqueries of the UNION ALL. Each type gives at most RANKED_PER_TYPE exact hits and, unless
 * `exactOnly`, at most RANKED_PER_TYPE approximate ones (a record matched both ways counts as
 * exact). Exact hits always rank above approximate ones, so a page filled with exact hits is the
 * same page either way; the bound on approximate hits keeps an OCR-damaged common word
 * ("vardcentrai", near a word in a tenth of all texts) as cheap as a rare one.
 */
function hitsUnion(parameters: BoundSearch, exactOnly = false): SQL {
  return sql.join(
    searchedSources(parameters).map((source) =>
      exactOnly
        ? exactHits(source, parameters)
        : sql`(select distinct on (id) * from (${exactHits(source, parameters)} union all ${approximateHits(source, parameters)}) as hits
          order by id, rank desc)`,
    ),
    sql` union all `,
  );
}

const RANKED = sql.raw(String(RANKED_PER_TYPE));

/** A type's exact hits that are ranked (see exactCandidates), ranked 1 + their normalised full-text rank. */
function exactHits(source: Source, parameters: BoundSearch): SQL {
  const { tsquery, searchable } = queryExpressions(parameters.parts);
  return sql`select type, id, region_id, date, 1 + ts_rank_cd(vector, ${tsquery}, 1 | 32)::float8 as rank, true as exact
    from (select ${source.type}::text as type, ${source.id} as id, ${source.regionId} as region_id,
      ${source.date} as date, ${source.vector} as vector
      from ${source.from} where ${searchable} and ${exactCandidates(source, tsquery, parameters)} and ${filterConditions(source, parameters)}
      limit ${RANKED}) as candidates`;
}

/**
 * A type's approximate hits that are ranked: the first RANKED_PER_TYPE found by its full-text
 * index that have a word near every query word (see nearQuery) but not the query's words
 * themselves, nor an excluded word. Each ranks half its similarity: the mean, over the query
 * words, of the best similarity of a near word it has. Reads the page statement's near_words and
 * near_query.
 */
function approximateHits(source: Source, parameters: BoundSearch): SQL {
  const { tsquery, searchable, excluded } = queryExpressions(parameters.parts);
  const notExcluded = excluded ? sql` and not ${source.vector} @@ ${excluded}` : sql``;
  return sql`select type, id, region_id, date, similarity.value / 2 as rank, false as exact
    from (select ${source.type}::text as type, ${source.id} as id, ${source.regionId} as region_id,
      ${source.date} as date, ${source.vector} as vector
      from ${source.from}
      where ${searchable} and ${source.vector} @@ (select query from near_query) and not ${source.vector} @@ ${tsquery}${notExcluded}
        and ${filterConditions(source, parameters)}
      limit ${RANKED}) as candidates
    cross join lateral (
      select avg(per_word.best)::float8 as value
      from (select near_words.n, max(near_words.similarity) as best
        from near_words join unnest(tsvector_to_array(candidates.vector)) as has(lexeme) on has.lexeme = near_words.lexeme
        group by near_words.n) as per_word) as similarity`;
}

/**
 * The statement for one page of hits: the ranked union, limited, then for each hit of the page its
 * text, highlighted. Exact hits are highlighted by `ts_headline` with the Swedish configuration;
 * approximate ones with the words of the text that are trigram-similar to a query word (every query
 * word must be near, like the query's `&`; stop words such as "och" are left out), so the
 * OCR-damaged spelling is what gets marked.
 */
export function pageStatement(
  parameters: SearchParameters,
  offset: number,
  limit: number,
  options: { exactOnly?: boolean; snippets?: boolean } = {},
): SQL {
  return boundPageStatement(bound(parameters), offset, limit, options);
}

function boundPageStatement(
  parameters: BoundSearch,
  offset: number | Placeholder,
  limit: number | Placeholder,
  options: { exactOnly?: boolean; snippets?: boolean } = {},
): SQL {
  const { exactOnly = false, snippets = true } = options;
  // The approximate hits read the words near the query's, looked up once for every type.
  const near = exactOnly ? sql`` : sql`with ${nearWordsTables(parameters.parts)} `;
  if (!snippets) {
    return sql`${near}select type, id::text as id, region_id::text as region_id, date::text as date,
        round(rank::numeric, 6)::float8 as rank, exact, '' as marked, false as more_before, false as more_after,
        null as original, null as leading, null as trailing
      from (${hitsUnion(parameters, exactOnly)}) as hits
      order by rank desc, date desc nulls last, id
      limit ${limit} offset ${offset}`;
  }
  const { tsquery, fuzzy } = queryExpressions(parameters.parts);
  const [foldFrom, foldTo] = FOLDED_LETTERS;
  const texts = sql.join(
    searchedSources(parameters).map(
      (source) =>
        sql`select ${source.text} as text from ${source.table} where page.type = ${source.type} and ${source.id} = page.id`,
    ),
    sql` union all `,
  );
  const nearWords = sql`(select to_tsquery('simple', string_agg(near.alternatives, ' & '))
    from (select '(' || string_agg(distinct '''' || word.word || '''', ' | ') || ')' as alternatives
      from unnest(regexp_split_to_array(${fuzzy}, '[^[:alnum:]]+')) as wanted(word)
      join (select distinct candidate as word
        from regexp_split_to_table(naravard_unaccent(lower(hit_text.text)), '[^[:alnum:]]+') as candidate) as word
        on similarity(word.word, wanted.word) >= ${HIGHLIGHT_SIMILARITY}
      where wanted.word <> '' and length(to_tsvector('swedish', wanted.word)) > 0
      group by wanted.word) as near)`;
  return sql`${near}${exactOnly ? sql`with` : sql`,`} page as (
      select * from (${hitsUnion(parameters, exactOnly)}) as hits
      order by rank desc, date desc nulls last, id
      limit ${limit} offset ${offset}
    )
    select page.type, page.id::text as id, page.region_id::text as region_id, page.date::text as date,
      round(page.rank::numeric, 6)::float8 as rank, page.exact, headline.marked,
      place.start > 0 and substr(hit_text.text, 1, place.start - 1) ~ '[^[:space:][:punct:]]' as more_before,
      place.start > 0 and substr(hit_text.text, place.start + length(headline.plain)) ~ '[^[:space:][:punct:]]' as more_after,
      case when place.start > 0 then substr(hit_text.text, place.start, length(headline.plain)) end as original,
      case when place.start > 1
        then substring(substr(hit_text.text, greatest(place.start - 8, 1), least(place.start - 1, 8)) from '[[:punct:]]*$') end as leading,
      case when place.start > 0
        then substring(substr(hit_text.text, place.start + length(headline.plain), 8) from '^[[:punct:]]*') end as trailing
    from page
    cross join lateral (
      select texts.text, translate(texts.text, ${foldFrom}::text, ${foldTo}::text) as folded
      from (${texts}) as texts offset 0
    ) as hit_text
    cross join lateral (
      select marked.marked, replace(replace(marked.marked, ${START_MARK}::text, ''), ${STOP_MARK}::text, '') as plain
      from (select case when page.exact
          then ts_headline('swedish', hit_text.folded, ${tsquery}, ${HEADLINE_OPTIONS}::text)
          else ts_headline('simple', hit_text.folded, coalesce(${nearWords}, ${MATCHES_NOTHING}::tsquery), ${HEADLINE_OPTIONS}::text)
        end as marked offset 0) as marked
      offset 0
    ) as headline
    cross join lateral (select position(headline.plain in hit_text.folded) as start offset 0) as place
    order by page.rank desc, page.date desc nulls last, page.id`;
}

/**
 * The page statement of a search, rendered by Drizzle's dialect once per shape (the types searched,
 * which filters are given, whether words are excluded, exact only or not, with snippets or not),
 * with the search's values as placeholders. The statement is long (eight subqueries, each naming
 * its table's columns several times) and rendering it cost more of the API's CPU than reading its
 * answer.
 */
function renderedPage(parameters: SearchParameters, options: { exactOnly: boolean; snippets: boolean }) {
  const { query, wanted, excluded } = partsOf(parameters.query);
  const types = parameters.types?.length ? [...new Set(parameters.types)].sort() : null;
  const key = JSON.stringify(['search', types, !!parameters.region, !!parameters.from, !!parameters.to, excluded !== '', options.exactOnly, options.snippets]);
  const statement = renderedOnce(key, () =>
    boundPageStatement(
      {
        parts: { query: sql.placeholder('query'), wanted: sql.placeholder('wanted'), excluded: excluded ? sql.placeholder('excluded') : null },
        types,
        region: parameters.region ? sql.placeholder('region') : null,
        from: parameters.from ? sql.placeholder('from') : null,
        to: parameters.to ? sql.placeholder('to') : null,
      },
      sql.placeholder('offset'),
      sql.placeholder('limit'),
      options,
    ),
  );
  const values = { query, wanted, excluded, region: parameters.region, from: parameters.from, to: parameters.to };
  return { statement, values };
}

/** A page row from the statement's columns, in their order. */
const pageRow = (row: unknown[]): PageRow => ({
  type: row[0] as SearchableTypeValue,
  id: row[1] as string,
  region_id: row[2] as string | null,
  date: row[3] as string | null,
  rank: row[4] as number,
  exact: row[5] as boolean,
  marked: row[6] as string,
  more_before: row[7] as boolean,
  more_after: row[8] as boolean,
  original: row[9] as string | null,
  leading: row[10] as string | null,
  trailing: row[11] as string | null,
});

/** One page of hits, exact only or with approximate matching too. */
export async function readPage(
  context: Context,
  parameters: SearchParameters,
  offset: number,
  limit: number,
  options: { exactOnly: boolean; snippets: boolean },
): Promise<PageRow[]> {
  const { statement, values } = renderedPage(parameters, options);
  return readRows(context.db, statement, pageRow, { ...values, offset, limit });
}

/**
 * A type's match condition alone, for checking with EXPLAIN that it is answered from the type's
 * full-text index and, approximately, through the word list.
 */
export function indexProbe(type: SearchableTypeValue, query: string): SQL {
  const source = SOURCES[type];
  const { parts } = bound({ query });
  return sql`with ${nearWordsTables(parts)} select ${source.id} from ${source.table} where ${matchCondition(source, parts)}`;
}

/** The statement counting every hit, across pages. */
export function countStatement(parameters: SearchParameters): SQL {
  const search = bound(parameters);
  const matches = searchedSources(search).map(
    (source) => sql`select ${source.id} from ${source.from} where ${matchConditions(source, search)}`,
  );
  return sql`with ${nearWordsTables(search.parts)} select count(*)::int as total from (${sql.join(matches, sql` union all `)}) as hits`;
}

export interface PageRow {
  type: SearchableTypeValue;
  id: string;
  region_id: string | null;
  date: string | null;
  rank: number;
  exact: boolean;
  marked: string;
  /** Whether the text has words before and after the passage. */
  more_before: boolean;
  more_after: boolean;
  /** The passage in the original spelling; null if the folded passage could not be found in the folded text. */
  original: string | null;
  /** Punctuation right before and after the passage ("(", "."), which the headline leaves out. */
  leading: string | null;
  trailing: string | null;
}
