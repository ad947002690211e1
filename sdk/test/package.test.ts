import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

let server: TestServer;
let project: string;
let writeKey: string;

beforeAll(async () => {
  // Build the package as it is published: sdk/dist, ESM and declarations.
  const require = createRequire(import.meta.url);
  await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(SDK, 'tsconfig.build.json')], { cwd: WORKSPACE });

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
