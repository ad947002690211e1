import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import lockfile from 'proper-lockfile';

/** Who holds an embedded database's data folder. */
export interface DataFolderOwner {
  pid: number;
  command: string;
  since: string;
}

/** Another live process has the embedded database's data folder open. */
export class DataFolderInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: DataFolderOwner | null,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by ${
        owner ? `process ${owner.pid} (${owner.command}, since ${owner.since})` : 'another process'
      }. One process at a time may open it: stop that process first, or work through the API it serves.`,
    );
    this.name = 'DataFolderInUseError';
  }
}

const ownerFile = (dataDir: string) => `${dataDir}.owner.json`;
const lockDir = (dataDir: string) => `${dataDir}.lock`;

function readOwner(dataDir: string): DataFolderOwner | null {
  try {
    return JSON.parse(readFileSync(ownerFile(dataDir), 'utf8')) as DataFolderOwner;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock on a PGlite data folder for this process (a `<folder>.lock` directory kept fresh
 * by proper-lockfile, and `<folder>.owner.json` naming the process), so two processes never open
 * one folder: PGlite has no shared memory between processes, and two writers would corrupt it.
 * A lock left by a process that died is taken over. Resolves with the function that releases it.
 */
export async function lockDataFolder(dataDir: string): Promise<() => Promise<void>> {
  const folder = resolve(dataDir);
  const options = {
    lockfilePath: lockDir(folder),
    realpath: false,
    // A long synchronous statement in WebAssembly must not make a live owner look stale; a dead
    // owner is recognised by its pid instead.
    stale: 120_000,
    update: 10_000,
    onCompromised: () => {},
  };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(folder, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const owner = readOwner(folder);
    if (owner && isAlive(owner.pid) && owner.pid !== process.pid) throw new DataFolderInUseError(folder, owner);
    if (!owner) throw new DataFolderInUseError(folder, null);
    // The owner died without releasing it.
    rmSync(lockDir(folder), { recursive: true, force: true });
    release = await lockfile.lock(folder, options);
  }
  const owner: DataFolderOwner = {
    pid: process.pid,
    command: process.argv.slice(1).map((part) => part.replace(/^.*\/(api|db|packages)\//, '$1/')).join(' ').slice(0, 200),
    since: new Date().toISOString(),
  };
  writeFileSync(ownerFile(folder), JSON.stringify(owner));
  return async () => {
    rmSync(ownerFile(folder), { force: true });
    await release().catch(() => {});
  };
}

/**
 * Deletes an embedded database's data folder with the lock and owner files kept beside it. For a
 * folder no process has open (a stopped server's, a test's).
 */
export function removeDataFolder(dataDir: string): void {
  const folder = resolve(dataDir);
  for (const path of [folder, lockDir(folder)]) rmSync(path, { recursive: true, force: true });
  rmSync(ownerFile(folder), { force: true });
}
