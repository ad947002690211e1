import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@naravard/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverArguments } from './support/process.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The server as `pnpm start` runs it: a separate process on its own database (a fresh PGlite data
 * folder, or a fresh PostgreSQL database when DATABASE_URL is set), migrating and seeding itself.
 */
let child: ChildProcess;
let output = '';
let port = 0;
let dataDir: string;
let database: TestDatabase | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'naravard-server-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', NARAVARD_DATA_DIR: dataDir };
  if (process.env.DATABASE_URL) {
    database = await createTestDatabase();
    env.DATABASE_URL = database.url;
    await database.close(); // the server process opens its own connections
  }
  child = spawn(process.execPath, serverArguments(), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 150_000;
  while (!port) {
    const match = /"port":(\d+)/.exec(output);
    if (match) port = Number(match[1]);
    else if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not start:\n${output}`);
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  await database?.dispose();
});

describe('the server process', () => {
  it('logs JSON lines', () => {
    const lines = output.trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(lines.some((line) => JSON.parse(line).msg === 'database migrated and seeded')).toBe(true);
  });

  it('writes the log line of a request within a moment while it runs (lines are written in batches)', async () => {
    const before = output.length;
    for (let index = 0; index < 3; index += 1) {
      const response = await fetch(`http://127.0.0.1:${port}/graphql?query=${encodeURIComponent(`{ a${index}: __typename }`)}`);
      expect(response.status).toBe(200);
    }
    const requestLines = () => output.slice(before).split('\n').filter((line) => line.includes('"path":"/graphql"'));
    const deadline = Date.now() + 2_000;
    while (requestLines().length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requestLines().map((line) => JSON.parse(line)).map(({ method, status, msg }) => ({ method, status, msg }))).toEqual(
      Array.from({ length: 3 }, () => ({ method: 'GET', status: 200, msg: 'request' })),
    );
  });

  it('is alive and ready once the database answers', async () => {
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: process.env.DATABASE_URL ? 'postgres' : 'pglite' });
  });

  it('serves the 21 regions from the database it migrated and seeded itself', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ regions { totalCount edges { node { code name } } } }' }),
    });
    const body = (await response.json()) as any;
    expect(body.data.regions.totalCount).toBe(21);
    expect(body.data.regions.edges[0].node).toEqual({ code: '01', name: 'Region Stockholm' });
  });

  it('on SIGTERM finishes the request in flight, then exits cleanly', async () => {
    const query = JSON.stringify({ query: '{ regions(first: 2) { edges { node { code } } } }' });
    // Send the headers and half the body, so the request is in flight when the signal comes.
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const pending = request(
        { host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(query) } },
        (response) => {
          let body = '';
          response.on('data', (chunk) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      pending.on('error', reject);
      pending.write(query.slice(0, 10));
      setTimeout(() => {
        child.kill('SIGTERM');
        setTimeout(() => pending.end(query.slice(10)), 300);
      }, 300);
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const { status, body } = await answer;
    expect(status).toBe(200);
    expect(JSON.parse(body).data.regions.edges).toHaveLength(2);
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"stopped"');
  });
});

describe('`pnpm start` itself', () => {
  it('stops the server when pnpm is sent SIGTERM (as a supervisor stops it), leaving no process behind', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'naravard-pnpm-start-'));
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', NARAVARD_DATA_DIR: folder };
    let pnpmDatabase: TestDatabase | undefined;
    if (process.env.DATABASE_URL) {
      pnpmDatabase = await createTestDatabase();
      env.DATABASE_URL = pnpmDatabase.url;
      await pnpmDatabase.close();
    }
    let printed = '';
    const pnpm = spawn('pnpm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    pnpm.stdout!.on('data', (chunk) => (printed += chunk));
    pnpm.stderr!.on('data', (chunk) => (printed += chunk));
    const pnpmExited = new Promise<void>((resolve) => pnpm.once('exit', () => resolve()));
    try {
      const deadline = Date.now() + 150_000;
      let listening = '';
      while (!listening) {
        listening = /"port":(\d+)/.exec(printed)?.[1] ?? '';
        if (pnpm.exitCode !== null || Date.now() > deadline) throw new Error(`pnpm start did not start the server:\n${printed}`);
        if (!listening) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      pnpm.kill('SIGTERM');
      await pnpmExited;
      // The server shut down itself (it logs it), and nothing listens on its port any more.
      const stoppedBy = Date.now() + 15_000;
      while (!printed.includes('"msg":"stopped"') && Date.now() < stoppedBy) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(printed).toContain('"msg":"stopped"');
      await expect(fetch(`http://127.0.0.1:${listening}/healthz`)).rejects.toThrow();
    } finally {
      if (pnpm.exitCode === null) pnpm.kill('SIGKILL');
      rmSync(folder, { recursive: true, force: true });
      await pnpmDatabase?.dispose();
    }
  }, 240_000);
});
