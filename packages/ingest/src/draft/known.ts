import type { KnownEntities, KnownEntity } from './model.ts';
import { foldName } from './names.ts';

/** The known person or body a drafted name stands for: by name or alias, OCR spellings folded. */
export function matchKnown(name: string, candidates: KnownEntity[], region: string | null): KnownEntity | null {
  const wanted = foldName(name);
  if (!wanted) return null;
  const matches = candidates.filter((candidate) => [candidate.name, ...candidate.aliases].some((known) => foldName(known) === wanted));
  if (matches.length === 0) return null;
  const sameRegion = matches.filter((candidate) => candidate.region === region);
  return (sameRegion[0] ?? (matches.length === 1 ? matches[0] : null)) ?? null;
}

export const NO_KNOWN_ENTITIES: KnownEntities = { people: [], organisations: [] };
