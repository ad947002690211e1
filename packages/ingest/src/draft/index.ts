export { draftRecords } from './draft.ts';
export { IngestError } from './errors.ts';
export { toSek } from './amounts.ts';
export { checkDraft, readDraft, writeDraft } from './files.ts';
export { loadKnownEntities } from './known-db.ts';
export type { Draft, DraftOptions, DraftSource, KnownEntities, KnownEntity } from './model.ts';
export { readSourceFile, SOURCE_LIMITS } from './source.ts';
export { normaliseText } from './text.ts';
