import { selectRows, tables } from '@naravard/db';
import { PothosValidationError } from '@pothos/core';
import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { asc, eq } from 'drizzle-orm';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import { BadInputError } from '../../errors.ts';
import { regionCodeOf } from '../../filters.ts';
import { loadChildren, loadReference } from '../../loaders.ts';
import { selectedFields } from '../../selection.ts';
import { checkPageSize, type ConnectionArgs, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../pagination.ts';
import { identityOf, loadEntity } from '../entities.ts';
import { AgendaItem, Assignment, Citation, type CitationRow, Decision, Document, Grant, GrantProgramme, Meeting, Recommendation, Region, type RegionRow } from '../refs.ts';
import { MAX_QUERY_LENGTH, RANKED_PER_TYPE, SearchableType, type SearchableTypeValue, SNIPPET_START, SNIPPET_STOP, START_MARK, STOP_MARK } from './sources.ts';
import { countStatement, type PageRow, readPage, type SearchParameters, splitQuery } from './statements.ts';

/* The search field and its hits: the union of records, snippets, and offset cursors checked before any statement. */

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
        // The search statement found the record live: a query asking only for its ID (to fetch it
        // later, or to tell hits apart) is answered without a statement per type of record.
        const record = identityOf(hit.type, hit.id, info) ?? (await loadEntity(context, hit.type, hit.id, info));
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
        `A word in more than ${RANKED_PER_TYPE} records of one type (such as "vårdcentral") has only the first ${RANKED_PER_TYPE} of them ` +
        'the database finds ranked and paged, the same ones each time (`totalCount` counts every match): add words, a region or ' +
        'dates to reach the rest. Paged by offset: at most 100 hits a page.',
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
