import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * How a root script that builds and then runs node starts node: its last command (the ones before
 * it build the JavaScript, which the tests' global setup did once for the run), as the variables
 * it sets and node's arguments. Paths are made absolute, so the command runs from any folder.
 */
function scriptCommand(script: 'start' | 'naravard'): { env: Record<string, string>; args: string[] } {
  const text = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')).scripts[script] as string;
  const words = text.split('&&').at(-1)!.trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_][A-Z0-9_]*=/.test(words[0]!)) {
    const [name, ...value] = words.shift()!.split('=');
    env[name!] = value.join('=');
  }
  // `exec` makes node the process pnpm signals, not a shell that would leave it running.
  if (words[0] === 'exec') words.shift();
  if (words[0] !== 'node') throw new Error(`pnpm ${script} runs ${words[0]}, not node: ${text}`);
  return { env, args: words.slice(1).map((argument) => (argument.startsWith('-') ? argument : resolve(ROOT, argument))) };
}

/** How `pnpm start` runs the server: its variables and node's arguments. */
const serverCommand = () => scriptCommand('start');

/** The node arguments of the server that `pnpm start` runs. */
export const serverArguments = (): string[] => serverCommand().args;

/** How `pnpm naravard` runs the command line: its variables and node's arguments (a command's own follow them). */
export const cliCommand = () => scriptCommand('naravard');

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
  const server = serverCommand();
  const child = spawn(process.execPath, server.args, {
    cwd: ROOT,
    env: { ...process.env, ...server.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
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
    const cli = cliCommand();
    const child = spawn(process.execPath, [...cli.args, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...cli.env, ...env },
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
