import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * The node arguments of the server that `pnpm start` runs: the last command of the script (the
 * ones before it build the JavaScript, which the tests' global setup did once for the run).
 */
export function serverArguments(): string[] {
  const start = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')).scripts.start as string;
  // `exec` makes the server the process pnpm signals, not a shell that would leave it running.
  const command = start.split('&&').at(-1)!.trim().replace(/^exec\s+/, '').split(/\s+/);
  if (command[0] !== 'node') throw new Error(`pnpm start runs ${command[0]}, not node: ${start}`);
  return command.slice(1);
}

/** The server's entry file, as it shows in a process list. */
export const SERVER_ENTRY = serverArguments().at(-1)!;

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
  /** Sends a signal; resolves with the exit code and the milliseconds until the exit. */
  signal(signal: NodeJS.Signals): Promise<{ code: number | string; ms: number }>;
  /** Ends it for sure (SIGKILL) if it still runs. */
  kill(): void;
}

/**
 * The API as `pnpm start` runs it, in production mode, as a separate process (the compiled
 * JavaScript of api/src/main.ts), listening on a free port of 127.0.0.1. Resolves once it logged its port.
 */
export async function startServerProcess(env: NodeJS.ProcessEnv, timeoutMs = 150_000): Promise<ServerProcess> {
  let output = '';
  const child = spawn(process.execPath, serverArguments(), {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const deadline = Date.now() + timeoutMs;
  let port = 0;
  while (!port) {
    const match = /"port":(\d+)/.exec(output);
    if (match) port = Number(match[1]);
    else if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not start:\n${output}`);
    } else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
    async signal(signal) {
      const started = Date.now();
      child.kill(signal);
      const code = await exited;
      return { code, ms: Date.now() - started };
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Runs the CLI (`pnpm naravard …`) as a process; resolves with its exit code and output. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/cli/naravard.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/** Posts a GraphQL request; gives the status, the headers and the parsed body, and how long it took. */
export async function post(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
) {
  const started = performance.now();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = { text };
  }
  return { status: response.status, headers: response.headers, body, ms: performance.now() - started };
}
