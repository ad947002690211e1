import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: builds the JavaScript that `pnpm start` runs (api/dist and the packages it
 * imports), once per run, so tests that start the server as a process run the current sources.
 * The build is incremental: nothing changed, nothing is written.
 */
export default function buildServer() {
  execFileSync('pnpm', ['-s', 'build'], { cwd: fileURLToPath(new URL('../../..', import.meta.url)), stdio: 'inherit' });
}
