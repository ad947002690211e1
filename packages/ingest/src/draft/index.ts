export { draftRecords } from './draft.ts';
export { IngestError } from './errors.ts';
export { toSek } from './amounts.ts';
export type { Draft, DraftOptions, DraftSource, KnownEntities, KnownEntity } from './model.ts';
export { normaliseText } from './text.ts';
