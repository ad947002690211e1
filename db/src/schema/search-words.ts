import { sql } from 'drizzle-orm';
import { index, pgTable, text } from 'drizzle-orm/pg-core';

/**
 * The words of every searchable text (documents, meetings, agenda items, decisions, assignments,
 * recommendations, grant programmes, grants), accent-folded and lower-cased. Approximate search
 * finds the words near a query word here, through a trigram index over short words, and then the
 * records that have them through their full-text indexes. Comparing the query with each text
 * instead cost a trigram index scan of every text that shares a trigram with it (160,000 agenda
 * items for "vardcentrai" on the national data set), and seconds for long documents.
 *
 * Filled by triggers on those tables (migration 0011), within the writing transaction. There is no
 * unique key, on purpose: two writers adding the same new word never wait for each other (a
 * unique key would make the second wait for the first to commit, and two transactions adding
 * words in different orders deadlock), at the price of an occasional duplicate that search
 * ignores. Words of texts since changed or deleted stay and simply find no live record.
 */
export const searchWords = pgTable(
  'search_words',
  {
    word: text('word').notNull(),
  },
  (table) => [
    index('search_words_word_idx').on(table.word),
    index('search_words_trgm_idx').using('gin', sql`${table.word} gin_trgm_ops`),
  ],
);
