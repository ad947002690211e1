import { mkdtempSync } from 'node:fs';
import { removeDataFolder } from '@naravard/db';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, runCli, type ServerProcess, startServerProcess } from './support/process.ts';

/*
 * One owner per embedded database (finding 8): a second process on the same PGlite data folder
 * corrupts it or works on a copy the first never sees. The folder is locked by the process that
 * opens it; a second one, a server or the CLI, is refused with an error naming the owner and
 * saying what to do. A lock left by a process that died is taken over. Keys made through the API
 * while it runs are seen at once. PostgreSQL has no such folder: these run on PGlite.
 */

let dataDir: string;
let server: ServerProcess | undefined;
let adminKey: string;

const env = () => ({ NARAVARD_DATA_DIR: dataDir });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'naravard-h10-lock-'));
}, 120_000);

afterAll(() => {
  server?.kill();
  removeDataFolder(dataDir);
});

describe.runIf(!process.env.DATABASE_URL)('the embedded database folder', () => {
  it('lets the CLI create the first admin key while no server runs', async () => {
    const created = await runCli(['keys', 'create', '--name', 'lock-admin', '--scope', 'admin'], env());
    expect(created.code, created.output).toBe(0);
    adminKey = created.output.trim().split('\n').at(-1)!.trim();
  }, 120_000);

  it('refuses a second server on the same folder, naming the one that has it', async () => {
    server = await startServerProcess(env());
    const second = await startServerProcess(env()).then(
      (started) => {
        started.kill();
        return null;
      },
      (error: Error) => error.message,
    );
    expect(second).toMatch(new RegExp(`in use by process ${server.child.pid}\\b`));
    // The first one serves on, untouched.
    expect((await post(server.url, '{ regions(first: 1) { totalCount } }')).body.data.regions.totalCount).toBe(21);
  }, 240_000);

  it('refuses `naravard keys` while the server runs, saying how to do it instead', async () => {
    const refused = await runCli(['keys', 'create', '--name', 'second-writer', '--scope', 'write'], env());
    expect(refused.code).toBe(2);
    expect(refused.output).toMatch(new RegExp(`in use by process ${server!.child.pid}`));
    expect(refused.output).toMatch(/createApiKey/);
    expect(refused.output).toMatch(new RegExp(`kill -TERM ${server!.child.pid}`));
    const listed = await runCli(['keys', 'list'], env());
    expect(listed.code).toBe(2);
  }, 120_000);

  it('sees a key made through the API at once, on writes and on public reads', async () => {
    const created = await post(
      server!.url,
      'mutation { createApiKey(name: "through-the-api", scopes: [WRITE]) { __typename ... on CreatedApiKey { key } } }',
      undefined,
      { authorization: `Bearer ${adminKey}` },
    );
    const key = created.body.data.createApiKey.key as string;
    const read = await post(server!.url, '{ regions(first: 1) { totalCount } }', undefined, { authorization: `Bearer ${key}` });
    expect(read.status).toBe(200);
    expect(read.body.data.regions.totalCount).toBe(21);
  });

  it('answers a bad key on a public read with 401 naming the problem, never with data', async () => {
    const read = await post(server!.url, '{ regions(first: 1) { totalCount } }', undefined, { authorization: 'Bearer nrv_not_a_key_this_api_gave_out' });
    expect(read.status).toBe(401);
    expect(read.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(read.body.errors[0].message).toMatch(/API key is not valid/);
    expect(read.body.data).toBeUndefined();
  });

  it('is free again once the server stopped, and a lock left by a killed process is taken over', async () => {
    expect((await server!.signal('SIGTERM')).code).toBe(0);
    const listed = await runCli(['keys', 'list'], env());
    expect(listed.code, listed.output).toBe(0);
    expect(listed.output).toMatch(/through-the-api/);

    server = await startServerProcess(env());
    await server.signal('SIGKILL');
    const afterCrash = await runCli(['keys', 'list'], env());
    expect(afterCrash.code, afterCrash.output).toBe(0);
    expect(afterCrash.output).toMatch(/lock-admin/);
  }, 240_000);
});
