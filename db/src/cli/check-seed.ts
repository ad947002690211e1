import { citationsOf, readSeedSet, SeedError } from '../seed/read.ts';

/**
 * Validates the seed files (format, keys, references, quotes) and prints what it found; given a
 * folder laid out the same way (a draft with `topics.json` and `documents/`), validates that.
 */
try {
  const { documents, topics } = readSeedSet(process.argv[2]);
  for (const document of documents) {
    const citations = [...citationsOf(document.seed)].length;
    console.log(`${document.fileName}: ok (${citations} citations)`);
  }
  console.log(`topics.json: ${topics.length} topics`);
} catch (error) {
  if (!(error instanceof SeedError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
