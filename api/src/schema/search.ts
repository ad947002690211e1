import { readRows, renderedOnce, selectRows, tables } from '@naravard/db';
import { PothosValidationError } from '@pothos/core';
import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { asc, eq, Placeholder, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { databaseEnum } from '../enums.ts';
import { BadInputError } from '../errors.ts';
import { regionCodeOf, regionIs, withoutLoneDashes } from '../filters.ts';
import { loadChildren, loadReference } from '../loaders.ts';
import { selectedFields } from '../selection.ts';
import { checkPageSize, type ConnectionArgs, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination.ts';
import { loadEntity } from './entities.ts';
import { periodStart } from './grant-periods.ts';
import {
  AgendaItem,
  Assignment,
  Citation,
  type CitationRow,
  Decision,
  Document,
  Grant,
  GrantProgramme,
  Meeting,
  Recommendation,
  Region,
  type RegionRow,
} from './refs.ts';

/**
 * Full-text search across documents, meetings (with their agenda items), agenda items, decisions,
 * assignments (with their status reports), recommendations, grant programmes and grants.
 *
 * Two ways to match, in one statement:
 * - exact: Swedish stemming over the generated `search_vector` columns (accents folded by
 *   `naravard_unaccent`), `websearch_to_tsquery` syntax ("quoted phrases", `or`, `-word`), ranked
 *   with `ts_rank_cd`; these hits rank 1 + their normalised rank, in [1, 2).
 * - approximate: each query word is looked up in the list of the words of every searchable text
 *   (`search_words`) by trigram word similarity (pg_trgm `<%`, threshold
 *   `pg_trgm.word_similarity_threshold`, 0.6 by default); records that have a word near every query
 *   word are found through their full-text indexes, by the near words' stems. This finds OCR damage
 *   ("fast likarkontakt" for "fast läkarkontakt") and misspellings; these hits rank half the mean
 *   similarity of their nearest words, in (0, 0.5], always below every exact hit.
 *
 * The page is one statement: a UNION ALL of one subquery per searched type with every filter pushed
 * down, ordered by rank (then date, newest first, then ID) and limited; the snippets are made for the
 * rows of the page only. `totalCount` is one more statement, run only when asked for. Records,
 * regions and citations are loaded through the request's batched loaders.
 */

export type SearchableTypeValue =
  | 'document'
  | 'meeting'
  | 'agenda_item'
  | 'decision'
  | 'assignment'
  | 'recommendation'
  | 'grant_programme'
  | 'grant';

const SEARCHABLE_TYPES: SearchableTypeValue[] = [
  'document',
  'meeting',
  'agenda_item',
  'decision',
  'assignment',
  'recommendation',
  'grant_programme',
  'grant',
];

const SearchableType = databaseEnum('SearchableType', 'The kinds of records `search` looks through.', {
  document: 'Source documents (allmänna handlingar): minutes, letters, reports, audit responses; title and full text.',
  meeting: 'Meetings (möten, sammanträden): title and place, and the headings and text of their agenda items.',
  agenda_item: 'Agenda items (punkter) of meetings: heading and what was reported and discussed.',
  decision: 'Decisions (beslut): heading and wording.',
  assignment: 'Assignments (uppdrag): reference, title and description, and the text of their status reports (återrapporteringar).',
  recommendation: 'Recommendations (rekommendationer) of audits.',
  grant_programme: 'Grant programmes (statsbidrag, satsningar): name, legal basis and description.',
  grant: 'Grants (bidrag) to a region or an organisation: what the records say about the grant.',
});

/**
 * Most exact matches of one type that are ranked for a page. A word found in more records than
 * this (such as "vårdcentral", in a quarter of all decisions) is ranked among the first this many
 * found by the full-text index, so that a common word costs what a rare one does; narrowing the
 * search (more words, a region, dates) ranks every match again. `totalCount` counts them all.
 */
export const RANKED_PER_TYPE = 100;

/** Longest query accepted: trigram matching cost grows with the query. */
export const MAX_QUERY_LENGTH = 200;

/** Word similarity (pg_trgm `similarity`) a word of the text needs to a query word to be highlighted in an approximate hit. */
const HIGHLIGHT_SIMILARITY = 0.5;

/** Marks put around highlighted words in snippets. */
export const SNIPPET_START = '«';
export const SNIPPET_STOP = '»';

// Private-use characters mark highlights inside the database, so a « or » in a text is never taken for one.
const START_MARK = '\uE000';
const STOP_MARK = '\uE001';
/** A tsquery that matches no text: private-use characters do not occur in the documents. */
const MATCHES_NOTHING = `'\uE002'`;
const HEADLINE_OPTIONS = `StartSel=${START_MARK}, StopSel=${STOP_MARK}, MaxFragments=1, MaxWords=25, MinWords=10, ShortWord=2`;

/**
 * One character for one character accent folding (å → a, Ö → O, é → e, ø → o), as `unaccent` does
 * for these letters: snippets are highlighted on the folded text, whose words stem like the
 * `search_vector` ones, and the highlights are then carried over to the same positions of the
 * original text, accents and all. Letters that fold to more than one (æ, ß) are left as they are.
 */
export const FOLDED_LETTERS: [string, string] = (() => {
  let from = '';
  let to = '';
  const extra: Record<string, string> = { ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ł: 'l', Ł: 'L', ħ: 'h', Ħ: 'H' };
  for (let code = 0xc0; code <= 0x24f; code++) {
    const letter = String.fromCodePoint(code);
    const base = extra[letter] ?? letter.normalize('NFD').replace(/\p{M}+/gu, '');
    if (base !== letter && /^[A-Za-z]$/.test(base)) {
      from += letter;
      to += base;
    }
  }
  return [from, to];
})();

/** How each type is searched: its tables, its full-text vector and the text it covers, its region and date. */
interface Source {
  type: SearchableTypeValue;
  /** FROM clause, with the joins that give region and date. */
  from: SQL;
  id: PgColumn;
  deletedAt: PgColumn;
  vector: PgColumn;
  /**
   * The IDs of rows that have the words elsewhere (an assignment in its status reports), through
   * full-text indexes; absent for types matched by their own vector alone. A type with it is
   * matched by `id in (<own matches> union all <these>)`, each part answered from an index. With
   * `parentFilter` (conditions on the type's own table, by its name) only rows whose parent meets it.
   */
  alsoMatchedBy?: (tsquery: SQL, parentFilter?: SQL) => SQL;
  /** The text the snippet is taken from: the columns of the search vector. */
  text: SQL;
  /** The record's region (`SearchHit.region`); NULL for records that belong to none. */
  regionId: PgColumn | SQL;
  date: SQL;
  /** The table the record's text is read from for its snippet. */
  table:
    | typeof tables.documents
    | typeof tables.meetings
    | typeof tables.agendaItems
    | typeof tables.decisions
    | typeof tables.assignments
    | typeof tables.recommendations
    | typeof tables.grantProgrammes
    | typeof tables.grants;
}

const d = tables.documents;
const a = tables.agendaItems;
const m = tables.meetings;
const x = tables.decisions;
const s = tables.assignments;
const r = tables.recommendations;
const au = tables.audits;
const ar = tables.assignmentReports;
const gp = tables.grantProgrammes;
const g = tables.grants;

const SOURCES: Record<SearchableTypeValue, Source> = {
  document: {
    type: 'document',
    from: sql`${d}`,
    id: d.id,
    deletedAt: d.deletedAt,
    vector: d.searchVector,
    text: sql`coalesce(${d.title}, '') || ' ' || coalesce(${d.text}, '')`,
    regionId: d.regionId,
    date: sql`${d.issuedOn}`,
    table: d,
  },
  meeting: {
    type: 'meeting',
    from: sql`${m}`,
    id: m.id,
    deletedAt: m.deletedAt,
    vector: m.searchVector,
    // Found by its own words or by those of its live agenda items (each item's vector, through its index).
    alsoMatchedBy: (tsquery, parentFilter) =>
      parentFilter
        ? sql`select ${a.meetingId} from ${a} join ${m} on ${m.id} = ${a.meetingId} where ${a.searchVector} @@ ${tsquery} and ${a.deletedAt} is null and ${parentFilter}`
        : sql`select ${a.meetingId} from ${a} where ${a.searchVector} @@ ${tsquery} and ${a.deletedAt} is null`,
    text: sql`coalesce(${m.title}, '') || ' ' || coalesce(${m.place}, '') || coalesce((select ' ' || string_agg('§ ' || ${a.ordinal} || ' ' || ${a.title} || coalesce(': ' || ${a.summary}, ''), ' ' order by ${a.ordinal}) from ${a} where ${a.meetingId} = ${m.id} and ${a.deletedAt} is null), '')`,
    regionId: m.regionId,
    date: sql`${m.heldOn}`,
    table: m,
  },
  agenda_item: {
    type: 'agenda_item',
    // The meeting is looked up per matching item (by its primary key) rather than joined: a join
    // makes the planner hash all meetings, which costs more than the search itself.
    from: sql`${a} cross join lateral (select ${m.regionId}, ${m.heldOn} from ${m} where ${m.id} = ${a.meetingId} offset 0) as ${m}`,
    id: a.id,
    deletedAt: a.deletedAt,
    vector: a.searchVector,
    text: sql`coalesce(${a.title}, '') || ' ' || coalesce(${a.summary}, '')`,
    regionId: m.regionId,
    date: sql`${m.heldOn}`,
    table: a,
  },
  decision: {
    type: 'decision',
    from: sql`${x}`,
    id: x.id,
    deletedAt: x.deletedAt,
    vector: x.searchVector,
    text: sql`coalesce(${x.title}, '') || ' ' || coalesce(${x.text}, '')`,
    regionId: x.regionId,
    date: sql`${x.decidedOn}`,
    table: x,
  },
  assignment: {
    type: 'assignment',
    from: sql`${s}`,
    id: s.id,
    deletedAt: s.deletedAt,
    vector: s.searchVector,
    // Found by its own words or by those of its live status reports (each report's vector, through its index).
    alsoMatchedBy: (tsquery, parentFilter) =>
      parentFilter
        ? sql`select ${ar.assignmentId} from ${ar} join ${s} on ${s.id} = ${ar.assignmentId} where ${ar.searchVector} @@ ${tsquery} and ${ar.deletedAt} is null and ${parentFilter}`
        : sql`select ${ar.assignmentId} from ${ar} where ${ar.searchVector} @@ ${tsquery} and ${ar.deletedAt} is null`,
    text: sql`coalesce(${s.reference}, '') || ' ' || coalesce(${s.title}, '') || ' ' || coalesce(${s.description}, '') || coalesce((select ' ' || string_agg(coalesce(${ar.source} || ': ', '') || ${ar.text}, ' ' order by ${ar.reportedOn}, ${ar.id}) from ${ar} where ${ar.assignmentId} = ${s.id} and ${ar.deletedAt} is null), '')`,
    regionId: s.regionId,
    date: sql`coalesce(${s.issuedOn}, ${s.dueOn})`,
    table: s,
  },
  recommendation: {
    type: 'recommendation',
    from: sql`${r} join ${au} on ${au.id} = ${r.auditId}`,
    id: r.id,
    deletedAt: r.deletedAt,
    vector: r.searchVector,
    text: sql`coalesce(${r.text}, '')`,
    regionId: au.regionId,
    date: sql`${au.reportedOn}`,
    table: r,
  },
  grant_programme: {
    type: 'grant_programme',
    from: sql`${gp}`,
    id: gp.id,
    deletedAt: gp.deletedAt,
    vector: gp.searchVector,
    text: sql`coalesce(${gp.name}, '') || ' ' || coalesce(${gp.legalBasis}, '') || ' ' || coalesce(${gp.description}, '')`,
    // A programme belongs to no one region (its grants and allocations do): a region filter leaves it out, as a date filter does.
    regionId: sql`null::uuid`,
    date: sql`null::date`,
    table: gp,
  },
  grant: {
    type: 'grant',
    from: sql`${g}`,
    id: g.id,
    deletedAt: g.deletedAt,
    vector: g.searchVector,
    text: sql`coalesce(${g.description}, '')`,
    regionId: g.recipientRegionId,
    date: periodStart(g.period),
    table: g,
  },
};

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
async function readPage(
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

interface PageRow {
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

export interface SearchHitShape {
  type: SearchableTypeValue;
  id: string;
  regionId: string | null;
  date: string | null;
  rank: number;
  approximate: boolean;
  snippet: string;
}

/**
 * The snippet in the original spelling: the highlight marks of the folded headline are put at the
 * same positions of the original text (folding keeps one character for one), ellipses show where
 * the text goes on, and runs of white space (line breaks of the source) become one space.
 */
export function snippetOf(
  row: Pick<PageRow, 'marked' | 'original' | 'more_before' | 'more_after' | 'leading' | 'trailing'>,
): string {
  const marked = Array.from(row.marked);
  const original = row.original === null ? null : Array.from(row.original);
  const plainLength = marked.filter((character) => character !== START_MARK && character !== STOP_MARK).length;
  const source = original && original.length === plainLength ? original : null;
  let index = 0;
  let text = '';
  for (const character of marked) {
    if (character === START_MARK) text += SNIPPET_START;
    else if (character === STOP_MARK) text += SNIPPET_STOP;
    else text += source ? source[index++] : character;
  }
  if (source) text = `${row.leading ?? ''}${text}${row.trailing ?? ''}`;
  text = text.replace(/\s+/g, ' ').trim();
  if (source && row.more_before) text = `… ${text}`;
  if (source && row.more_after) text = `${text} …`;
  return text;
}

const offsetCursor = /^OffsetConnection:(0|[1-9][0-9]{0,8})$/;

function checkCursor(args: ConnectionArgs, argument: 'after' | 'before') {
  const cursor = args[argument];
  if (cursor === null || cursor === undefined) return;
  if (!offsetCursor.test(Buffer.from(cursor, 'base64').toString('utf8'))) {
    throw new BadInputError(`"${argument}" is not a cursor of this search: "${cursor}"`, argument);
  }
}

function checkParameters(parameters: SearchParameters, args: ConnectionArgs) {
  if (!parameters.query.trim()) throw new BadInputError('"query" must not be blank: give the words to search for', 'query');
  if (parameters.query.length > MAX_QUERY_LENGTH) {
    throw new BadInputError(`"query" must be at most ${MAX_QUERY_LENGTH} characters, got ${parameters.query.length}`, 'query');
  }
  if (!/[\p{L}\p{N}]/u.test(splitQuery(parameters.query).wanted)) {
    throw new BadInputError('"query" must contain a word to look for (a letter or digit that is not excluded with "-")', 'query');
  }
  if (parameters.from && parameters.to && parameters.from > parameters.to) {
    throw new BadInputError(`"from" (${parameters.from}) is after "to" (${parameters.to})`, 'from');
  }
  checkPageSize(args);
  checkCursor(args, 'after');
  checkCursor(args, 'before');
  if (args.last !== null && args.last !== undefined && !args.before) {
    throw new BadInputError('"last" pages backward from a cursor: give "before" too (or page forward with "first")', 'last');
  }
}

/**
 * A page of hits. Exact (stemmed) hits are looked for first, with the full-text indexes alone;
 * only when they cannot fill the page does the statement with approximate (trigram) matching run,
 * so common and rare words alike cost one index lookup, and OCR damage is still found.
 */
export async function search(
  context: Context,
  parameters: SearchParameters,
  args: ConnectionArgs,
  options: { snippets?: boolean } = {},
) {
  checkParameters(parameters, args);
  const normalised = { ...parameters, query: parameters.query.trim() };
  try {
    const connection = await resolveOffsetConnection(
      { args, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE },
      async ({ offset, limit }): Promise<SearchHitShape[]> => {
        const snippets = options.snippets ?? true;
        let rows = await readPage(context, normalised, offset, limit, { exactOnly: true, snippets });
        if (rows.length < limit) rows = await readPage(context, normalised, offset, limit, { exactOnly: false, snippets });
        return rows.map((row) => ({
          type: row.type,
          id: row.id,
          regionId: row.region_id,
          date: row.date,
          rank: Number(row.rank),
          approximate: !row.exact,
          snippet: snippetOf(row),
        }));
      },
    );
    return {
      ...connection,
      totalCount: async () => {
        const [row] = await selectRows<{ total: number }>(context.db, countStatement(normalised));
        return Number(row?.total ?? 0);
      },
    };
  } catch (error) {
    if (error instanceof PothosValidationError) throw new BadInputError(error.message);
    throw error;
  }
}

const SearchResult = builder.unionType('SearchResult', {
  description:
    'A record that full-text search finds: a document, a meeting, an agenda item, a decision, an assignment, a recommendation, a grant programme or a grant.',
  types: [Document, Meeting, AgendaItem, Decision, Assignment, Recommendation, GrantProgramme, Grant],
});

const SearchHit = builder.objectRef<SearchHitShape>('SearchHit').implement({
  description: 'One record found by `search`, with how well it matched and the passage that matched, highlighted.',
  fields: (t) => ({
    record: t.field({
      type: SearchResult,
      description: 'The record found.',
      resolve: async (hit, _args, context, info) => {
        const record = await loadEntity(context, hit.type, hit.id, info);
        if (!record) throw new Error(`search hit ${hit.type} ${hit.id} has no record`);
        return record as never;
      },
    }),
    type: t.field({ type: SearchableType, description: 'What kind of record it is.', resolve: (hit) => hit.type }),
    rank: t.float({
      description:
        'Relevance, higher first. Matches of the words themselves (Swedish stemming, accents ignored) score from 1 up to 2 ' +
        '(full-text rank by cover density, normalised); approximate matches (OCR damage, misspellings) score half the mean ' +
        'trigram word similarity of their words nearest to the query words, at most 0.5, so they always come after.',
      resolve: (hit) => hit.rank,
    }),
    approximate: t.boolean({
      description:
        'True when the record was found only by approximate (trigram) matching: its text has a word near each query word, misspelt or ' +
        'OCR-damaged ("likarkontakt" for "läkarkontakt").',
      resolve: (hit) => hit.approximate,
    }),
    snippet: t.string({
      description: `The passage that matched, about 25 words in the original spelling, matched words between ${SNIPPET_START} and ${SNIPPET_STOP}; "…" where the text goes on.`,
      resolve: (hit) => hit.snippet,
    }),
    citations: t.field({
      type: [Citation],
      description: 'The passages of source documents that support the record, in document order (as the record\'s own `citations`).',
      resolve: (hit, _args, context) =>
        loadChildren<CitationRow>(
          context,
          {
            // The same loader as the `Cited` interface's, so a query asking for both shares one statement.
            table: tables.citations,
            foreignKey: tables.citations.entityId,
            where: eq(tables.citations.entityType, hit.type),
            variant: hit.type,
            orderBy: [asc(tables.citations.documentId), asc(tables.citations.lineStart), asc(tables.citations.id)],
          },
          hit.id,
        ),
    }),
    region: t.field({
      type: Region,
      nullable: true,
      description:
        "The region the record belongs to (an agenda item's through its meeting, a recommendation's through its audit, a grant's recipient region), when known; none for a grant programme.",
      resolve: (hit, _args, context, info) => loadReference<RegionRow>(context, tables.regions, hit.regionId, info),
    }),
    date: t.field({
      type: 'Date',
      nullable: true,
      description:
        "The record's date, when known: a document's issue date, the day of a meeting or of an agenda item's meeting, the decision date, " +
        "an assignment's issue date (else its due date), the report date of a recommendation's audit, the first day of a grant's period; " +
        'none for a grant programme. `from`/`to` filter on it.',
      resolve: (hit) => hit.date,
    }),
  }),
});

builder.queryFields((t) => ({
  search: t.connection(
    {
      type: SearchHit,
      description:
        'Full-text search (fritextsökning) across documents, meetings (with their agenda items), agenda items, decisions, ' +
        'assignments (with their status reports), recommendations, grant programmes and grants, ' +
        'most relevant first. Swedish words match in any inflection ("vårdcentralerna" finds "vårdcentral"), accents and ' +
        'case are ignored, and OCR-damaged or misspelt text is found approximately (ranked after exact matches). ' +
        'Paged by offset: at most 100 hits a page.',
      args: {
        query: t.arg.string({
          required: true,
          description:
            'The words to look for, in web-search syntax: "quoted phrase", `or` between alternatives, -word to exclude. ' +
            `Must not be blank; at most ${MAX_QUERY_LENGTH} characters.`,
        }),
        types: t.arg({ type: [SearchableType], description: 'Only these kinds of records (all when left out).' }),
        region: t.arg.string({
          description:
            'Only records of this region: SCB county code ("07") or name ("Kronoberg", "Region Örebro län"); agenda items by their meeting, recommendations by their audit, grants by their recipient region; grant programmes, which have no region, are left out.',
        }),
        from: t.arg({ type: 'Date', description: 'Only records dated on or after this day (see `SearchHit.date`).' }),
        to: t.arg({ type: 'Date', description: 'Only records dated on or before this day (see `SearchHit.date`).' }),
      },
      resolve: async (_root, args, context, info) =>
        search(
          context,
          {
            query: args.query,
            types: args.types as SearchableTypeValue[] | null | undefined,
            region: await regionCodeOf(context, args.region, 'region'),
            from: args.from,
            to: args.to,
          },
          args,
          { snippets: selectedFields(info, 'edges', 'node').has('snippet') },
        ),
    },
    { description: 'A page of search hits, most relevant first.' },
    {
      description: 'A search hit and its cursor (an offset into the ranked hits).',
      nodeField: { description: 'The hit: the record, its rank and the passage that matched.' },
    },
  ),
}));
