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

import './sources.ts';
import './statements.ts';
import './fields.ts';
