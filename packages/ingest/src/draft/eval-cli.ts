import { evaluateSeedDocuments, formatScores } from './eval.ts';

/** `pnpm --filter @naravard/ingest eval`: drafts the seed documents and prints precision and recall. */
console.log(formatScores(evaluateSeedDocuments()));
