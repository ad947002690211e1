/**
 * The platform's command line: `pnpm naravard <group> <command> [options]`. Each group of
 * commands lives in its own module under `commands/` and imports what it needs only when run.
 */
import { Command, CommanderError } from 'commander';
import { registerIngestCommands } from './commands/ingest.ts';
import { registerImportCommands } from './commands/import.ts';
import { registerKeyCommands } from './commands/keys.ts';
import { DatabaseUrlError } from '@naravard/db/database-url';
import { StartupError } from '../startup.ts';
import { UsageError } from './support.ts';

const program = new Command('naravard')
  .description(
    'Nära vård data platform. Uses DATABASE_URL, or the embedded database in NARAVARD_DATA_DIR (default .naravard/data).',
  )
  .exitOverride()
  .showHelpAfterError();

registerKeyCommands(program);
registerIngestCommands(program);
registerImportCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end here with code 0; a mistake in the call with 1, which we make 2.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof UsageError) {
    console.error(`naravard: ${error.message}`);
    process.exitCode = 2;
  } else if (error instanceof StartupError || error instanceof DatabaseUrlError) {
    // The database cannot be used (unreachable, refused, a malformed DATABASE_URL): one line, no secret.
    console.error(`naravard: ${error.message}`);
    process.exitCode = 1;
  } else {
    console.error(error);
    process.exitCode = 1;
  }
}
