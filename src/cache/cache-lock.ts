import { mkdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { releaseLockFile, tryLockFile } from '../lock-file.ts';
import { OutputError } from '../write/output.ts';

/**
 * One build at a time uses a cache folder. Builds into two output folders of one project
 * (`gazette build` beside `gazette build --out preview`) share it: at once, both would append
 * bodies at the same offsets of one pack, each index then pointing at the other's bytes (an
 * article page showing another article's text), and each save would delete the other's pack.
 * A second build waits for the first instead: both write different folders, so neither is
 * refused as a second writer of one output folder is.
 */
export const CACHE_LOCK_FILE = 'build.lock';
const POLL_MS = 200;

/** Builds of this process waiting for a cache folder, by lock file: they take turns too. */
const turns = new Map<string, Promise<void>>();

/**
 * The lock file of a cache folder, made if need be, by its real path: one folder reached by
 * two paths (a symbolic link) must be one turn for builds of this process.
 */
function lockFileOf(cacheDir: string): string {
  let folder = path.resolve(cacheDir);
  try {
    mkdirSync(folder, { recursive: true });
    folder = realpathSync(folder);
  } catch {
    // Not writable, or a file: the build says so when it opens the cache.
  }
  return path.join(folder, CACHE_LOCK_FILE);
}

function inTheWay(file: string): () => OutputError {
  return () => new OutputError(`${file} is in the way of the build cache's lock file; remove it`);
}

/**
 * Takes the cache folder's lock, waiting while another build holds it; `onWait` is told once
 * which process that is (undefined: one starting). Resolves to the release function.
 */
export async function lockCacheFolder(
  cacheDir: string,
  onWait?: (holder: number | undefined) => void,
): Promise<() => void> {
  const file = lockFileOf(cacheDir);
  const before = turns.get(file);
  let endTurn!: () => void;
  const turn = new Promise<void>((resolve) => {
    endTurn = resolve;
  });
  const queue = (before ?? Promise.resolve()).then(() => turn);
  turns.set(file, queue);
  const release = () => {
    endTurn();
    if (turns.get(file) === queue) turns.delete(file);
  };
  try {
    if (before) {
      onWait?.(process.pid);
      await before;
    }
    let told = before !== undefined;
    for (;;) {
      const attempt = tryLockFile(file, inTheWay(file));
      if (attempt.taken) break;
      if (!told) onWait?.(attempt.holder);
      told = true;
      await sleep(POLL_MS);
    }
  } catch (error) {
    release();
    throw error;
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    releaseLockFile(file);
    release();
  };
}

/**
 * Takes the cache folder's lock without waiting (`gazette clean`): the release function, or
 * the process holding it.
 */
export function tryLockCacheFolder(cacheDir: string): (() => void) | { holder?: number } {
  const file = lockFileOf(cacheDir);
  if (turns.has(file)) return { holder: process.pid };
  const attempt = tryLockFile(file, inTheWay(file));
  if (!attempt.taken) return attempt.holder === undefined ? {} : { holder: attempt.holder };
  return () => releaseLockFile(file);
}
