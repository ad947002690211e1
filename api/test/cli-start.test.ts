import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The command line as users run it (`pnpm naravard …`, the compiled JavaScript): help answers with
 * exit code 0 without loading the database or the API, a command loads only what it uses, and a
 * database it cannot use is one line.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLOSED_PORT = 4329;
const SECRET = 's3cret-Pa55';
let folder: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'naravard-cli-start-'));
  // A module hook that writes down every module file the process loads, so a test can say what a
  // command did not load.
  writeFileSync(
    join(folder, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.NARAVARD_LOADED_LIST, url + '\\n');
  return next(url, context);
}
`,
  );
  writeFileSync(join(folder, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(folder, 'hooks.mjs')).href)});\n`);
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Module files loaded, when asked for. */
  loaded: string[];
}

/** `pnpm naravard …`; with `trace`, the process also lists the module files it loads. */
function naravard(args: string[], env: Record<string, string | undefined> = {}, trace = false): Promise<Run> {
  const list = join(folder, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NARAVARD_DATA_DIR: join(folder, 'data'), ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete childEnv[name];
  if (trace) {
    childEnv.NODE_OPTIONS = `--import ${pathToFileURL(join(folder, 'register.mjs')).href}`;
    childEnv.NARAVARD_LOADED_LIST = list;
    writeFileSync(list, '');
  }
  return new Promise((resolve, reject) => {
    const child = spawn('pnpm', ['-s', 'naravard', ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`naravard ${args.join(' ')} did not end`))), 90_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const loaded = trace ? readFileSync(list, 'utf8').trim().split('\n').filter(Boolean) : [];
      resolve({ code, stdout, stderr, loaded });
    });
  });
}

/** Loaded files of a package (in node_modules) or of a workspace folder. */
const loadedFrom = (loaded: string[], part: string) => loaded.filter((url) => url.includes(part));

describe('naravard --help', () => {
  it('exits 0 and lists the command groups, loading neither the database package, Drizzle, PGlite nor the API', async () => {
    const result = await naravard(['--help'], {}, true);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Usage: naravard \[options\] \[command\]/);
    for (const group of ['keys', 'ingest', 'import']) expect(result.stdout).toMatch(new RegExp(`^  ${group} `, 'm'));
    expect(loadedFrom(result.loaded, '/api/dist/cli/naravard.js')).toHaveLength(1); // the list is real
    expect(loadedFrom(result.loaded, '/db/dist/connect.js')).toEqual([]);
    expect(loadedFrom(result.loaded, '/drizzle-orm/')).toEqual([]);
    expect(loadedFrom(result.loaded, '/@electric-sql/pglite/')).toEqual([]);
    expect(loadedFrom(result.loaded, '/api/dist/server.js')).toEqual([]);
    expect(loadedFrom(result.loaded, '/packages/ingest/')).toEqual([]);
  });

  it('a group\'s help exits 0; an unknown command exits 2 and says so', async () => {
    const keys = await naravard(['keys', '--help']);
    expect(keys.code).toBe(0);
    expect(keys.stdout).toContain('Usage: naravard keys [options] [command]');
    const unknown = await naravard(['keyz']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: unknown command 'keyz'/);
  });
});

describe('naravard keys list', () => {
  it('loads the connection, tables and keys only: not the seed data readers, the ingest package or the API', async () => {
    const result = await naravard(['keys', 'list'], {}, true);
    expect(result.code, result.stderr).toBe(0);
    expect(loadedFrom(result.loaded, '/db/dist/connect.js')).toHaveLength(1);
    expect(loadedFrom(result.loaded, '/db/dist/seed/')).toEqual([]);
    expect(loadedFrom(result.loaded, '/zod/')).toEqual([]);
    expect(loadedFrom(result.loaded, '/packages/ingest/')).toEqual([]);
    expect(loadedFrom(result.loaded, '/api/dist/server.js')).toEqual([]);
  });

  it('on PostgreSQL it does not load the embedded database', async () => {
    const result = await naravard(['keys', 'list'], { DATABASE_URL: process.env.DATABASE_URL ?? `postgres://postgres@127.0.0.1:${CLOSED_PORT}/none` }, true);
    expect(loadedFrom(result.loaded, '/db/dist/connect.js'), `exit ${result.code}: ${result.stderr}`).toHaveLength(1);
    expect(loadedFrom(result.loaded, '/@electric-sql/pglite/'), `exit ${result.code}: ${result.stderr}`).toEqual([]);
    if (process.env.DATABASE_URL) expect(result.code, result.stderr).toBe(0);
  });

  it('an unreachable PostgreSQL: one line naming host and port, no password, exit 1', async () => {
    const result = await naravard(['keys', 'list'], { DATABASE_URL: `postgres://naravard:${SECRET}@127.0.0.1:${CLOSED_PORT}/naravard` });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`naravard: cannot reach PostgreSQL at 127.0.0.1:${CLOSED_PORT}/naravard (ECONNREFUSED); is it running, and is DATABASE_URL right?\n`);
  });

  it('a malformed DATABASE_URL: one line that repeats neither the URL nor its password, exit 1', async () => {
    const result = await naravard(['keys', 'list'], { DATABASE_URL: `postgres://naravard:${SECRET}@[127.0.0.1/naravard` });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'naravard: DATABASE_URL is not a valid URL; expected postgres://user:password@host:5432/database (the value is not shown: it may hold a password)\n',
    );
    expect(result.stdout).not.toContain(SECRET);
  });
});
