import { tables } from '@naravard/db';
import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { databaseEnum } from '../../enums.ts';
import { periodStart } from '../grant-periods.ts';

/* What search looks through: the searchable types, each with its table, text, region and date, and the limits and markers of hits. */

export type SearchableTypeValue =
  | 'document'
  | 'meeting'
  | 'agenda_item'
  | 'decision'
  | 'assignment'
  | 'recommendation'
  | 'grant_programme'
  | 'grant';

export const SEARCHABLE_TYPES: SearchableTypeValue[] = [
  'document',
  'meeting',
  'agenda_item',
  'decision',
  'assignment',
  'recommendation',
  'grant_programme',
  'grant',
];

export const SearchableType = databaseEnum('SearchableType', 'The kinds of records `search` looks through.', {
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
 * that the scan of its table finds, so that a common word costs what a rare one does; narrowing the
 * search (more words, a region, dates) ranks every match again. `totalCount` counts them all. The
 * scans start at each table's first page (SESSION_SETTINGS in db/src/connect.ts), so they are the
 * same records each time and a search's pages follow on from each other.
 */
export const RANKED_PER_TYPE = 100;

/** Longest query accepted: trigram matching cost grows with the query. */
export const MAX_QUERY_LENGTH = 200;

/** Word similarity (pg_trgm `similarity`) a word of the text needs to a query word to be highlighted in an approximate hit. */
export const HIGHLIGHT_SIMILARITY = 0.5;

/** Marks put around highlighted words in snippets. */
export const SNIPPET_START = '«';
export const SNIPPET_STOP = '»';

// Private-use characters mark highlights inside the database, so a « or » in a text is never taken for one.
export const START_MARK = '\uE000';
export const STOP_MARK = '\uE001';
/** A tsquery that matches no text: private-use characters do not occur in the documents. */
export const MATCHES_NOTHING = `'\uE002'`;
export const HEADLINE_OPTIONS = `StartSel=${START_MARK}, StopSel=${STOP_MARK}, MaxFragments=1, MaxWords=25, MinWords=10, ShortWord=2`;

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
export interface Source {
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
export const a = tables.agendaItems;
const m = tables.meetings;
const x = tables.decisions;
export const s = tables.assignments;
const r = tables.recommendations;
const au = tables.audits;
const ar = tables.assignmentReports;
const gp = tables.grantProgrammes;
export const g = tables.grants;

export const SOURCES: Record<SearchableTypeValue, Source> = {
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
