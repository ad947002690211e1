import { tables } from '@naravard/db';
import { and, eq, type SQL } from 'drizzle-orm';
import { builder } from '../builder.ts';
import { databaseEnum } from '../enums.ts';
import { paginateTable } from '../pagination.ts';

/*
 * The record of every import of indicator data (`naravard import kolada|csv`): who ran it, when,
 * from where, with which parameters, what it did and how it ended. Read-only: imports run from
 * the command line, on the database.
 */

type ImportRow = typeof tables.imports.$inferSelect;

const ImportSource = databaseEnum('ImportSource', 'Where an import read its data.', {
  kolada: 'The Kolada API (Källa: Kolada).',
  csv: 'A CSV file of observations (docs/CSV.md).',
});

const ImportStatus = databaseEnum('ImportStatus', 'How an import stands.', {
  running: 'Under way (or stopped without a word: a process killed mid-run).',
  succeeded: 'Done: its observations are in, in one transaction.',
  failed: 'Ended without writing any observation; see `error`. A Kolada run with `resumable` continues with the same options.',
});

const ImportCounts = builder.objectRef<{ created: number; changed: number; unchanged: number; deleted?: number }>('ImportCounts').implement({
  description: 'What an import did to one kind of record.',
  fields: (t) => ({
    created: t.exposeInt('created', { description: 'Records new with this import.' }),
    changed: t.exposeInt('changed', { description: 'Records whose values this import changed (version + 1).' }),
    unchanged: t.exposeInt('unchanged', { description: 'Records the import found already as given.' }),
    deleted: t.int({ description: 'Records the import deleted (tombstones).', resolve: (counts) => counts.deleted ?? 0 }),
  }),
});

const Import = builder.objectRef<ImportRow>('Import').implement({
  description: 'One import of indicator data: who ran it, when, from where, with which parameters, and what it did.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The import’s UUID, as the command line prints it.' }),
    source: t.expose('source', { type: ImportSource, description: 'Kolada or a CSV file.' }),
    status: t.expose('status', { type: ImportStatus, description: 'How it stands.' }),
    actor: t.exposeString('actor', { description: 'Who ran it ("cli:<user>" from the command line).' }),
    sourceUrl: t.exposeString('sourceUrl', { description: 'The Kolada base URL or the file’s path.' }),
    parameters: t.field({ type: 'JSONObject', description: 'The options of the run, as recorded.', resolve: (run) => run.parameters }),
    dryRun: t.exposeBoolean('dryRun', { description: 'A dry run: counted, nothing written.' }),
    resumable: t.boolean({
      description: 'Failed with the pages fetched so far kept: running the same command again resumes it.',
      resolve: (run) => run.status === 'failed' && run.checkpoint !== null,
    }),
    rowsRead: t.float({ description: 'Rows read from the source.', resolve: (run) => Number(run.rowsRead) }),
    indicators: t.field({
      type: ImportCounts,
      description: 'Indicators created, changed and unchanged (Kolada KPIs).',
      resolve: (run) => ({ created: run.indicatorsCreated, changed: run.indicatorsChanged, unchanged: run.indicatorsUnchanged }),
    }),
    observations: t.field({
      type: ImportCounts,
      description: 'Observations created, changed, unchanged and deleted.',
      resolve: (run) => ({
        created: Number(run.observationsCreated),
        changed: Number(run.observationsChanged),
        unchanged: Number(run.observationsUnchanged),
        deleted: Number(run.observationsDeleted),
      }),
    }),
    error: t.exposeString('error', { nullable: true, description: 'Why it failed, when it did.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', description: 'When it started.' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true, description: 'When it ended; null while running.' }),
  }),
});

builder.queryFields((t) => ({
  imports: t.connection({
    type: Import,
    description: 'Every import of indicator data, newest first.',
    args: {
      source: t.arg({ type: ImportSource, description: 'Only imports from this source.' }),
      status: t.arg({ type: ImportStatus, description: 'Only imports that stand so.' }),
    },
    resolve: (_root, args, context) => {
      const runs = tables.imports;
      const conditions: (SQL | undefined)[] = [
        args.source ? eq(runs.source, args.source) : undefined,
        args.status ? eq(runs.status, args.status) : undefined,
      ];
      return paginateTable<ImportRow>({
        db: context.db,
        table: runs,
        where: and(...conditions),
        order: [{ column: runs.startedAt, direction: 'desc' }],
        args,
      });
    },
  }),
}));
