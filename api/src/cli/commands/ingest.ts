import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { UsageError, withDatabase } from '../support.ts';

/** `naravard ingest draft|apply`: draft a meeting's records from its minutes, and load a reviewed draft. */
export function registerIngestCommands(program: Command) {
  const ingest = program.command('ingest').description('draft records from published documents, and load reviewed drafts');

  ingest
    .command('draft')
    .description('draft the records of a document (.txt, or .pdf with a text layer or scanned) in the seed-file format, for review')
    .argument('<file>', 'the document: .txt or .pdf')
    .option('--region <code>', 'SCB county code of the region the document belongs to, e.g. 07')
    .option('--body <name>', 'the body that held the meeting, when the text does not name it plainly')
    .option('--out <draft.json>', 'where to write the draft; its text goes to documents/ beside it', '')
    .option('--observations', 'read tables of monthly counts as an indicator and its observations (the year from the document\'s date)')
    .action(async (file: string, options: { region?: string; body?: string; out: string; observations?: boolean }) => {
      const { checkDraft, draftRecords, IngestError, loadKnownEntities, readSourceFile, writeDraft } = await import('@naravard/ingest/draft');
      const { readSeedSet } = await import('@naravard/db');
      if (options.region !== undefined && !/^[0-9]{2}$/.test(options.region)) throw new UsageError(`--region takes a two-digit county code, not "${options.region}"`);
      try {
        const source = await readSourceFile(file);
        const known = await withDatabase(({ db }) => loadKnownEntities(db));
        const stem = basename(file, extname(file)).replace(/[^\w.-]+/g, '-');
        const draft = draftRecords(
          { text: source.text, origin: source.origin, fileName: `${stem}.txt` },
          { region: options.region ?? null, body: options.body ?? null, observations: options.observations ?? false, known },
        );
        const problems = checkDraft(draft.seed, draft.text, readSeedSet().topics);
        if (problems.length > 0) throw new Error(`the draft does not pass the seed check:\n- ${problems.join('\n- ')}`);
        const out = options.out || `${stem}.draft.json`;
        const written = await writeDraft(draft, out);
        const s = draft.seed;
        const meeting = s.meetings[0];
        console.log(
          [
            `Drafted ${written.json} from ${file} (${source.method}); text in ${written.text}.`,
            meeting
              ? `Meeting ${meeting.heldOn}: ${meeting.participants.length} participants, ${meeting.agendaItems.length} agenda items, ${meeting.agendaItems.reduce((n, item) => n + item.decisions.length, 0)} decisions.`
              : 'No meeting record found.',
            `${s.decisions.length} decisions reported outside a meeting, ${s.assignments.length} assignments, ${s.people.length} people, ${s.organisations.length} bodies, ${s.observations.length} observations; ${draft.review.length} passages for review.`,
          ].join('\n'),
        );
      } catch (error) {
        if (error instanceof IngestError) throw new UsageError(error.message);
        throw error;
      }
    });

  ingest
    .command('apply')
    .description('load a reviewed draft: one transaction, logged, idempotent by keys, quotes checked')
    .argument('<draft.json>', 'a draft written by ingest draft (its text in documents/ beside it)')
    .action(async (file: string) => {
      const { IngestError, readDraft } = await import('@naravard/ingest/draft');
      const { applyDraft } = await import('../../draft-apply.ts');
      const { Writer } = await import('../../writes.ts');
      const { ValidationError, NotFoundError } = await import('../../errors.ts');
      try {
        const { seed, text } = await readDraft(file);
        const summary = await withDatabase(({ db }) =>
          db.transaction((tx) => applyDraft(new Writer(tx, { name: `cli:ingest apply ${basename(file)}`, apiKeyId: null }), seed, text)),
        );
        console.log(`Applied ${file}: ${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged.`);
      } catch (error) {
        if (error instanceof IngestError) throw new UsageError(error.message);
        if (error instanceof ValidationError) {
          throw new UsageError(`${file}: nothing was written:\n- ${error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n- ')}`);
        }
        if (error instanceof NotFoundError) throw new UsageError(`${file}: nothing was written: ${error.message}`);
        throw error;
      }
    });
}
