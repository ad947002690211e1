import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { UsageError, withDatabase } from '../support.ts';

/** Who runs an import from the command line: the operating-system user. */
const cliActor = () => `cli:${process.env.USER ?? userInfo().username}`;

/** `--map a=b --map c=d` → { a: "b", c: "d" }. */
function mapOption(value: string, previous: Record<string, string> = {}) {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) throw new UsageError(`--map needs column=field, got "${value}"`);
  return { ...previous, [value.slice(0, at).trim()]: value.slice(at + 1).trim() };
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
    .command('csv')
    .description('import a CSV file of observations (docs/CSV.md): all rows or none')
    .argument('<file>', 'the CSV file (UTF-8, "," or ";" separated)')
    .option('--indicator <code>', 'the indicator of every row, when the file has no indicator column')
    .option('--map <column=field>', 'read a column as a field of the shape, e.g. --map län=region (repeatable)', mapOption)
    .option('--dry-run', 'check and count everything, write nothing')
    .action(async (file: string, options: { indicator?: string; map?: Record<string, string>; dryRun?: boolean }) => {
      const { CsvImportError, importCsv, progressFor } = await import('@naravard/ingest');
      await withDatabase(async (connection) => {
        try {
          const summary = await importCsv(connection, {
            file,
            indicator: options.indicator,
            map: options.map ?? {},
            actor: cliActor(),
            dryRun: options.dryRun ?? false,
            progress: progressFor(),
          });
          printSummary(summary, [
            `${summary.dryRun ? 'Dry run of' : 'Imported'} ${file}: ${summary.rows.toLocaleString('en')} rows.`,
            `Observations: ${summary.created} created, ${summary.changed} changed, ${summary.unchanged} unchanged, ${summary.deleted} deleted.`,
            `Import ${summary.importId}.`,
          ]);
        } catch (error) {
          if (error instanceof CsvImportError) {
            if (!process.stdout.isTTY) console.log(JSON.stringify({ event: 'refused', file, problems: error.problems, unlisted: error.unlisted }));
            throw new UsageError(error.message);
          }
          throw error;
        }
      });
    });
}
