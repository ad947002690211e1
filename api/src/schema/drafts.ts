import type { Draft } from '@naravard/ingest/draft';
import { builder } from '../builder.ts';
import { ValidationError } from '../errors.ts';
import { WRITE_ERRORS } from '../write-error-types.ts';

/** Texts longer than this are drafted from the command line (`naravard ingest draft`), not in a request. */
const MAX_TEXT_CHARACTERS = 2_000_000;

const DraftReviewNote = builder.objectRef<Draft['review'][number]>('DraftReviewNote').implement({
  description: 'A passage the drafting could not read with confidence: left for a person, never drafted into a record.',
  fields: (t) => ({
    lineStart: t.int({ description: 'First line of the passage (1-based) in `DocumentDraft.text`.', resolve: (note) => note.lines[0] }),
    lineEnd: t.int({ description: 'Last line of the passage.', resolve: (note) => note.lines[1] }),
    text: t.exposeString('text', { description: 'The passage, as written.' }),
    why: t.exposeString('why', { description: 'What a reader must decide.' }),
  }),
});

const DocumentDraft = builder.objectRef<Draft>('DocumentDraft').implement({
  description:
    'The records a document states, drafted for review: `draft` is a seed file (the format of `db/seed/*.json`, with a `review` list) whose citations point into `text`. Save `draft` as `<name>.json` and `text` as `documents/<draft.document.file>` beside it, review, and load it with `naravard ingest apply`.',
  fields: (t) => ({
    draft: t.field({ type: 'JSONObject', description: 'The drafted records in the seed-file format (`db/src/seed/format.ts`).', resolve: (draft) => draft.seed }),
    text: t.exposeString('text', { description: 'The document text as normalised: the lines every citation and review note refers to.' }),
    review: t.field({ type: [DraftReviewNote], description: 'What could not be read with confidence, by line.', resolve: (draft) => draft.review }),
  }),
});

builder.mutationFields((t) => ({
  draftFromDocument: t.field({
    type: DocumentDraft,
    description:
      'Drafts the records of a meeting from its minutes (text): meeting, participants with roles, agenda items, decisions with their kind, assignments with assignee; each citing its lines. Nothing is written: review the draft and load it with `naravard ingest apply`. Needs the `write` scope.',
    authScopes: { write: true },
    errors: { types: WRITE_ERRORS },
    args: {
      text: t.arg.string({ required: true, description: 'The document text (minutes, notes), as extracted.' }),
      region: t.arg.string({ description: 'SCB county code of the region the document belongs to ("07").' }),
      body: t.arg.string({ description: 'The body that held the meeting, when the text does not name it plainly.' }),
    },
    resolve: async (_root, args, context) => {
      if (args.text.length > MAX_TEXT_CHARACTERS) {
        throw new ValidationError([{ path: ['text'], message: `the text has ${args.text.length} characters; at most ${MAX_TEXT_CHARACTERS} are drafted in a request` }]);
      }
      if (args.region && !/^[0-9]{2}$/.test(args.region)) throw new ValidationError([{ path: ['region'], message: 'a region is its two-digit SCB county code' }]);
      const { draftRecords, IngestError, loadKnownEntities, normaliseText } = await import('@naravard/ingest/draft');
      const text = normaliseText(args.text);
      if (text.trim() === '') throw new ValidationError([{ path: ['text'], message: 'the text is empty: there is nothing to draft from' }]);
      try {
        const known = await loadKnownEntities(context.db);
        return draftRecords({ text, origin: 'text given to the draftFromDocument mutation' }, { region: args.region ?? null, body: args.body ?? null, known });
      } catch (error) {
        if (error instanceof IngestError) throw new ValidationError([{ path: [/region/.test(error.reason) ? 'region' : 'text'], message: error.reason }]);
        throw error;
      }
    },
  }),
}));
