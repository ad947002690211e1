import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { UsageError, withDatabase } from '../support.ts';

/**
 * The embedded database of an import: a small page cache (16 MB instead of 128). A bulk merge reads
 * each page about once, and on a million rows the default cache was a third of the process's memory.
 */
const BULK_IMPORT_DATABASE = { embeddedCacheMb: 16 };

/** Who runs an import from the command line: the operating-system user. */
const cliActor = () => `cli:${process.env.USER ?? userInfo().username}`;

/** `--map a=b --map c=d` → { a: "b", c: "d" }. */
function mapOption(value: string, previous: Record<string, string> = {}) {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) throw new UsageError(`--map needs column=field, got "${value}"`);
  return { ...previous, [value.slice(0, at).trim()]: value.slice(at + 1).trim() };
}

/**
 * Ctrl-C and SIGTERM stop an import cleanly instead of killing it: the run is recorded as failed,
 * nothing is written, and a Kolada run keeps its pages to resume from.
 */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller.signal;
}

/** Reports an interrupted run; exit code 130, as for Ctrl-C. */
function reportInterrupted(resumable: boolean) {
  console.error(`naravard: interrupted; nothing was written.${resumable ? ' Run the same command again to resume.' : ''}`);
  if (!process.stdout.isTTY) console.log(JSON.stringify({ event: 'interrupted', resumable }));
  process.exitCode = 130;
}

/** A summary for people on a terminal, one JSON line for programs. */
function printSummary(summary: object, lines: string[]) {
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  if (process.stdout.isTTY) console.log([...lines, `Peak memory: ${peakRssMb} MB.`].join('\n'));
  else console.log(JSON.stringify({ event: 'summary', ...summary, peakRssMb }));
}

/** `naravard import kolada|csv`: indicator data into the platform (see README, docs/CSV.md). */
export function registerImportCommands(program: Command) {
  const importCommand = program.command('import').description('import indicator data (Kolada, CSV files of observations)');

  importCommand
    .command('kolada')
    .description('import KPIs and their values from Kolada (Källa: Kolada); resumes a run that failed part-way')
    .requiredOption('--kpi <ids|words>', 'KPI ids ("N79050,N71000") or words of their titles ("fast läkarkontakt")')
    .option('--regions <all|codes>', 'regions: "all" or county codes ("13,07")')
    .option('--municipalities <all|codes>', 'municipalities: "all" or kommunkoder ("0780,1380")')
    .option('--units', 'also the organisational units (health centres …) of those municipalities and regions, and their values')
    .option('--years <range|list>', 'years: "2015-2024" or "2019,2020" (default: every year)')
    .option('--since <date>', 'only what changed since YYYY-MM-DD (default: since the last successful run with the same options)')
    .option('--base-url <url>', 'the Kolada API', 'https://api.kolada.se')
    .option('--retries <n>', 'retries of a request Kolada answers with 429 or 5xx', (value) => Number.parseInt(value, 10), 5)
    .option('--dry-run', 'fetch, check and count everything, write nothing')
    .action(
      async (options: { kpi: string; regions?: string; municipalities?: string; units?: boolean; years?: string; since?: string; baseUrl: string; retries: number; dryRun?: boolean }) => {
        const { ImportInterrupted, importKolada, KoladaError, KoladaUsageError, progressFor } = await import('@naravard/ingest');
        if (!Number.isInteger(options.retries) || options.retries < 0) throw new UsageError('--retries needs a whole number, 0 or more');
        await withDatabase(async (connection) => {
          try {
            const summary = await importKolada(connection, {
              kpi: options.kpi,
              regions: options.regions,
              municipalities: options.municipalities,
              units: options.units ?? false,
              years: options.years,
              since: options.since,
              dryRun: options.dryRun ?? false,
              actor: cliActor(),
              client: {
                baseUrl: options.baseUrl,
                retries: options.retries,
                onRetry: ({ url, status, waitMs }) =>
                  console.error(process.stderr.isTTY ? `Kolada answered ${status ?? 'nothing'}; retrying in ${waitMs} ms` : JSON.stringify({ event: 'retry', url, status, waitMs })),
              },
              progress: progressFor(),
              signal: interruptSignal(),
            });
            printSummary(summary, [
              `${summary.dryRun ? 'Dry run of a' : 'A'} Kolada import${summary.resumed ? ' (resumed)' : ''}${summary.fromDate ? `, changes since ${summary.fromDate}` : ''}: ${summary.pages} pages, ${summary.rows} rows. Källa: Kolada.`,
              `Indicators: ${summary.indicators.created} created, ${summary.indicators.changed} changed, ${summary.indicators.unchanged} unchanged.`,
              ...(options.units ? [`Organisational units: ${summary.units.created} created, ${summary.units.changed} changed, ${summary.units.unchanged} unchanged.`] : []),
              `Observations: ${summary.created} created, ${summary.changed} changed, ${summary.unchanged} unchanged, ${summary.deleted} deleted.`,
              `Skipped: ${summary.skippedMissing} missing values, ${summary.skippedCountry} values of the whole country.`,
              `Import ${summary.importId}.`,
            ]);
          } catch (error) {
            if (error instanceof KoladaUsageError) throw new UsageError(error.message);
            if (error instanceof ImportInterrupted) return reportInterrupted(true);
            if (error instanceof KoladaError) {
              // Kolada failing is no mistake of the caller: exit 1, and say how to go on.
              console.error(`naravard: ${error.message}\nThe pages fetched so far are kept: run the same command again to resume.`);
              if (!process.stdout.isTTY) console.log(JSON.stringify({ event: 'failed', error: error.message, resumable: true }));
              process.exitCode = 1;
              return;
            }
            throw error;
          }
        }, BULK_IMPORT_DATABASE);
      },
    );

  importCommand
    .command('csv')
    .description('import a CSV file of observations (docs/CSV.md): all rows or none')
    .argument('<file>', 'the CSV file (UTF-8, "," or ";" separated)')
    .option('--indicator <code>', 'the indicator of every row, when the file has no indicator column')
    .option('--map <column=field>', 'read a column as a field of the shape, e.g. --map län=region (repeatable)', mapOption)
    .option('--dry-run', 'check and count everything, write nothing')
    .action(async (file: string, options: { indicator?: string; map?: Record<string, string>; dryRun?: boolean }) => {
      const { CsvImportError, ImportInterrupted, importCsv, progressFor } = await import('@naravard/ingest');
      await withDatabase(async (connection) => {
        try {
          const summary = await importCsv(connection, {
            file,
            indicator: options.indicator,
            map: options.map ?? {},
            actor: cliActor(),
            dryRun: options.dryRun ?? false,
            progress: progressFor(),
            signal: interruptSignal(),
          });
          printSummary(summary, [
            `${summary.dryRun ? 'Dry run of' : 'Imported'} ${file}: ${summary.rows.toLocaleString('en')} rows.`,
            `Observations: ${summary.created} created, ${summary.changed} changed, ${summary.unchanged} unchanged, ${summary.deleted} deleted.`,
            `Import ${summary.importId}.`,
          ]);
        } catch (error) {
          if (error instanceof ImportInterrupted) return reportInterrupted(false);
          if (error instanceof CsvImportError) {
            if (!process.stdout.isTTY) console.log(JSON.stringify({ event: 'refused', file, problems: error.problems, unlisted: error.unlisted }));
            throw new UsageError(error.message);
          }
          throw error;
        }
      }, BULK_IMPORT_DATABASE);
    });
}
