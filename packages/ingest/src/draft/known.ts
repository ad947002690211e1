import type { KnownEntities, KnownEntity } from './model.ts';
import { foldName } from './names.ts';

/**
 * A body's name folded, and its words without the definite ending, so "Beredningen för nära vård"
 * is "Beredning för nära vård" and "Nämnden" is "Nämnd".
 */
const foldBodyName = (value: string) =>
  foldName(value)
    .split(' ')
    .map((word) => (word.length >= 6 ? word.replace(/(en|et|na|n)$/, '') : word))
    .join(' ');

/** The known person or body a drafted name stands for: by name or alias, OCR spellings folded. */
export function matchKnown(name: string, candidates: KnownEntity[], region: string | null, options: { body?: boolean } = {}): KnownEntity | null {
  const fold = options.body ? foldBodyName : foldName;
  const wanted = fold(name);
  if (!wanted) return null;
  const matches = candidates.filter((candidate) => [candidate.name, ...candidate.aliases].some((known) => fold(known) === wanted));
  if (matches.length === 0) return null;
  const sameRegion = matches.filter((candidate) => candidate.region === region);
  return (sameRegion[0] ?? (matches.length === 1 ? matches[0] : null)) ?? null;
}

export const NO_KNOWN_ENTITIES: KnownEntities = { people: [], organisations: [] };
