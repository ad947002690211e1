import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callers } from '../../api/test/support/auth.ts';
import { startTestServer, type TestServer } from '../../api/test/support/server.ts';

const run = promisify(execFile);
const SDK = fileURLToPath(new URL('..', import.meta.url));
const WORKSPACE = fileURLToPath(new URL('../..', import.meta.url));

/** The acceptance script: a Node user's whole program, outside the workspace, on the built SDK. */
const SCRIPT = `import { createClient } from '@naravard/sdk';
const client = createClient({ url: process.env.NARAVARD_URL, apiKey: process.env.NARAVARD_API_KEY });
let meetings = 0;
for await (const meeting of client.paginate.meetings({ first: 2 })) meetings += 1;
const row = { region: '13', period: '2018-09', value: '90', dimensions: [{ name: 'setting', value: 'home_care' }] };
const { upsertObservations: result } = await client.upsertObservations({ indicator: 'SIP_MEETINGS', rows: [row] });
console.log(JSON.stringify({ meetings, result: result.__typename, inserted: result.inserted }));
`;

/** The same client from CommonJS, with require(). */
const CJS_SCRIPT = `const { createClient, RequestError } = require('@naravard/sdk');
createClient({ url: process.env.NARAVARD_URL }).regions({ first: 2 }).then(({ regions }) => {
  console.log(JSON.stringify({ regions: regions.totalCount, requestError: typeof RequestError }));
});
`;
/** An ESM script, as a user outside the workspace writes it after `npm install`. */
const ESM_SCRIPT = `import { createClient, MeetingsDocument } from '@naravard/sdk';
const { regions } = await createClient({ url: process.env.NARAVARD_URL }).regions({ first: 2 });
console.log(JSON.stringify({ regions: regions.totalCount, document: MeetingsDocument.kind }));
`;
/** A TypeScript user: the types come from the package's exports. */
const TS_SCRIPT = `import { createClient, type RegionsQuery } from '@naravard/sdk';
const data: RegionsQuery = await createClient({ url: 'http://localhost:4000/graphql' }).regions({ first: 2 });
const count: number = data.regions.totalCount;
// @ts-expect-error: the variables are typed
await createClient({ url: 'http://localhost:4000/graphql' }).regions({ first: 'two' });
export { count };
`;

let server: TestServer;
let project: string;
let writeKey: string;
/** Tarballs of the package, by the packer that made them, and the folder they are in. */
let packs: string;
const tarballs: Record<'pnpm' | 'npm', string> = { pnpm: '', npm: '' };
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** The package.json inside a tarball, and the list of its files. */
async function packed(tarball: string) {
  const manifest = (await run('tar', ['-xzf', tarball, '-O', 'package/package.json'])).stdout;
  const files = (await run('tar', ['-tzf', tarball])).stdout.trim().split('\n').map((file) => file.replace(/^package\//, '')).sort();
  return { text: manifest, manifest: JSON.parse(manifest), files };
}

/** An empty folder outside the workspace with the tarball installed by plain npm. */
async function npmInstalled(tarball: string) {
  const folder = realpathSync(mkdtempSync(join(packs, 'user-')));
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'sdk-user', private: true }));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: folder });
  return folder;
}

beforeAll(async () => {
  // Pack the package as it is published: `pnpm pack` builds sdk/dist first (prepack) and writes
  // the manifest with publishConfig; `npm pack` packs the same build.
  packs = realpathSync(mkdtempSync(join(tmpdir(), 'naravard-sdk-pack-')));
  for (const packer of ['pnpm', 'npm']) mkdirSync(join(packs, packer));
  await run('pnpm', ['pack', '--pack-destination', join(packs, 'pnpm')], { cwd: SDK });
  await run('npm', ['pack', '--ignore-scripts', '--loglevel=error', '--pack-destination', join(packs, 'npm')], { cwd: SDK });
  tarballs.pnpm = join(packs, 'pnpm', 'naravard-sdk-0.1.0.tgz');
  tarballs.npm = join(packs, 'npm', 'naravard-sdk-0.1.0.tgz');

  // A project of its own outside the workspace, with the SDK installed as a link.
  project = realpathSync(mkdtempSync(join(tmpdir(), 'naravard-sdk-user-')));
  mkdirSync(join(project, 'node_modules', '@naravard'), { recursive: true });
  symlinkSync(SDK, join(project, 'node_modules', '@naravard', 'sdk'), 'dir');
  writeFileSync(join(project, 'list-and-write.mjs'), SCRIPT);

  server = await startTestServer({ seed: true });
  writeKey = (await callers(server)).write.authorization.replace(/^Bearer /, '');
});
afterAll(async () => {
  await server?.close();
  if (project) rmSync(project, { recursive: true, force: true });
  if (packs) rmSync(packs, { recursive: true, force: true });
});

describe('the built package', () => {
  it('builds to ESM with type declarations, as package.json exports them', () => {
    const manifest = JSON.parse(readFileSync(join(SDK, 'package.json'), 'utf8'));
    expect(manifest.type).toBe('module');
    expect(manifest.exports['.']).toMatchObject({ types: './dist/index.d.ts', import: './dist/index.js' });
    for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/client.js', 'dist/generated/graphql.js', 'dist/generated/graphql.d.ts']) {
      expect(existsSync(join(SDK, file)), file).toBe(true);
    }
    expect(readFileSync(join(SDK, 'dist/index.d.ts'), 'utf8')).toContain('createClient');
    expect(readFileSync(join(SDK, 'dist/index.js'), 'utf8')).not.toContain('.ts\'');
  });

  it('is used from a project outside the workspace: paginate the meetings and write an observation in under ten lines', async () => {
    expect(relative(WORKSPACE, project).startsWith('..')).toBe(true);
    expect(SCRIPT.trimEnd().split('\n').length).toBeLessThan(10);

    // Plain Node resolves the package to the build (no TypeScript, no workspace conditions).
    const resolved = await run(process.execPath, ['--input-type=module', '-e', `console.log(import.meta.resolve('@naravard/sdk'))`], { cwd: project });
    expect(fileURLToPath(resolved.stdout.trim())).toBe(join(realpathSync(SDK), 'dist', 'index.js'));

    const { meetings } = (await server.graphql<{ meetings: { totalCount: number } }>('{ meetings { totalCount } }')).data!;
    const { stdout } = await run(process.execPath, ['list-and-write.mjs'], {
      cwd: project,
      env: { ...process.env, NARAVARD_URL: `${server.url}/graphql`, NARAVARD_API_KEY: writeKey },
    });
    expect(JSON.parse(stdout)).toEqual({ meetings: meetings.totalCount, result: 'UpsertObservationsResult', inserted: 1 });
    expect(meetings.totalCount).toBeGreaterThan(2); // so paginate went past the first page

    // The observation is there for anyone who reads the API.
    const { data } = await server.graphql(`{
      indicator(code: "SIP_MEETINGS") { series(region: "13", dimensions: [{ name: "setting", value: "home_care" }]) { period value } }
    }`);
    expect(data!.indicator.series.at(-1)).toEqual({ period: '2018-09', value: '90' });
  });
});

describe('the packed package', () => {
  it('pnpm pack: real versions, exports of built JavaScript and declarations only, a license', async () => {
    const { text, manifest, files } = await packed(tarballs.pnpm);
    expect(text).not.toMatch(/catalog:|workspace:/);
    expect(manifest.exports).toEqual({
      '.': { types: './dist/index.d.ts', import: './dist/index.js', require: './require.cjs' },
      './package.json': './package.json',
    });
    expect(manifest).toMatchObject({ license: 'MIT', type: 'module', main: './dist/index.js', types: './dist/index.d.ts' });
    expect(manifest.dependencies).toEqual({ '@graphql-typed-document-node/core': '^3.2.0', graphql: '^16.15.0' });
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'require.cjs', 'dist/index.js', 'dist/index.d.ts', 'dist/client.js', 'dist/generated/graphql.d.ts']));
    expect(files.filter((file) => !file.startsWith('dist/') || !/\.(js|d\.ts)$/.test(file))).toEqual(['LICENSE', 'README.md', 'package.json', 'require.cjs']);
    const license = (await run('tar', ['-xzf', tarballs.pnpm, '-O', 'package/LICENSE'])).stdout;
    expect(license).toBe(readFileSync(join(WORKSPACE, 'LICENSE'), 'utf8'));
    expect(license).toMatch(/^MIT License/);
  });

  it('npm pack: also real versions and the same files (the extra source condition names a file only the workspace has)', async () => {
    const { text, manifest, files } = await packed(tarballs.npm);
    expect(text).not.toMatch(/catalog:|workspace:/);
    expect(manifest.license).toBe('MIT');
    expect(manifest.exports['.']).toMatchObject({ types: './dist/index.d.ts', import: './dist/index.js', require: './require.cjs' });
    expect(files).toEqual((await packed(tarballs.pnpm)).files);
  });

  it('installs with plain npm in an empty folder; ESM import, CommonJS require and TypeScript types work', async () => {
    const { regions } = (await server.graphql<{ regions: { totalCount: number } }>('{ regions { totalCount } }')).data!;
    expect(regions.totalCount).toBe(21);
    const env = { ...process.env, NARAVARD_URL: `${server.url}/graphql` };
    const folders = await Promise.all([npmInstalled(tarballs.pnpm), npmInstalled(tarballs.npm)]);
    for (const folder of folders) {
      expect(readdirSync(join(folder, 'node_modules', '@naravard', 'sdk')).sort()).toEqual(['LICENSE', 'README.md', 'dist', 'package.json', 'require.cjs']);
      writeFileSync(join(folder, 'use.mjs'), ESM_SCRIPT);
      writeFileSync(join(folder, 'use.cjs'), CJS_SCRIPT);
      writeFileSync(join(folder, 'use.mts'), TS_SCRIPT);
      const esm = await run(process.execPath, ['use.mjs'], { cwd: folder, env });
      expect(JSON.parse(esm.stdout)).toEqual({ regions: 21, document: 'Document' });
      const cjs = await run(process.execPath, ['use.cjs'], { cwd: folder, env });
      expect(JSON.parse(cjs.stdout)).toEqual({ regions: 21, requestError: 'function' });
      expect(cjs.stderr).toBe('');
    }
    // Types: strict TypeScript with Node's module resolution finds dist/index.d.ts through exports.
    const typed = await run(process.execPath, [tsc, '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', join(WORKSPACE, 'node_modules/@types'), 'use.mts'], { cwd: folders[0]! }).catch((error) => error);
    expect(typed.stdout ?? '').toBe('');
    expect(typed.code ?? 0).toBe(0);
  });

  it('on a Node.js that cannot require() ES modules, require says the package is ESM only and how to import it', async () => {
    const folder = await npmInstalled(tarballs.pnpm);
    writeFileSync(join(folder, 'use.cjs'), CJS_SCRIPT);
    const result = await run(process.execPath, ['--no-experimental-require-module', 'use.cjs'], { cwd: folder }).catch((error) => error);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "@naravard/sdk is an ES module (ESM only), and this Node.js cannot require() ES modules (Node.js 20.19+ and 22.12+ can). " +
        "Import it instead: import { createClient } from '@naravard/sdk'; or, from CommonJS, const { createClient } = await import('@naravard/sdk').",
    );
  });
});
