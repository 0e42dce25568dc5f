import {
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { isRunning, processStamp } from './processes.ts';

/**
 * A lock file names the process holding it. A lock whose process is gone (killed, crashed)
 * is taken over, by one process at a time.
 */
export type LockAttempt =
  | { taken: true }
  | {
      taken: false;
      /** undefined: a lock being written this moment. */
      holder?: number;
      /** What the holder said it holds the lock for (`dev`: a dev server serving the folder). */
      purpose?: string;
    };

/**
 * Creates `file` naming this process, or says which process holds it. Throws the error
 * `inTheWay` makes when something that is not a lock file is at its path.
 */
export function tryLockFile(file: string, inTheWay: () => Error, purpose?: string): LockAttempt {
  try {
    // The folder the lock goes in may not exist yet (a first build into `a/b/site`).
    mkdirSync(path.dirname(file), { recursive: true });
  } catch {
    // Reported by the caller, which cannot write in that folder either.
    return { taken: true };
  }
  const created = createExclusively(file, purpose);
  if (created !== 'exists') return { taken: true }; // 'failed': see above.
  const held = heldBy(file, inTheWay);
  if (held) return held;
  // Left by a process that is gone: taken over by one process at a time, under a second lock,
  // so that two processes starting together after a crash cannot both take it.
  const takeover = `${file}.takeover`;
  if (createExclusively(takeover) === 'exists') {
    // One taking over now is waited for; one killed while taking over is not.
    if (takerRuns(takeover)) return { taken: false };
    rmSync(takeover, { force: true });
    if (createExclusively(takeover) === 'exists') return { taken: false };
  }
  try {
    // Again under the takeover lock: another process may have taken it over just before.
    const heldNow = heldBy(file, inTheWay);
    if (heldNow) return heldNow;
    rmSync(file, { force: true });
    if (createExclusively(file, purpose) === 'exists') return { taken: false };
    return { taken: true };
  } finally {
    rmSync(takeover, { force: true });
  }
}

/** Removes the lock file if this process still holds it (not if it was taken over). */
export function releaseLockFile(file: string): void {
  if (lockHolder(file)?.pid === process.pid) rmSync(file, { force: true });
}

/** Creates a lock file naming this process, unless the path is taken. */
function createExclusively(file: string, purpose?: string): 'created' | 'exists' | 'failed' {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'exists' : 'failed';
  }
  try {
    const stamp = processStamp(process.pid);
    writeSync(
      fd,
      `${JSON.stringify({ pid: process.pid, since: new Date().toISOString(), ...(stamp ? { stamp } : {}), ...(purpose ? { purpose } : {}) })}\n`,
    );
  } finally {
    closeSync(fd);
  }
  return 'created';
}

/** The holder when the lock file's process runs (or the file is too new to judge). */
function heldBy(file: string, inTheWay: () => Error): LockAttempt | undefined {
  let isFile: boolean;
  try {
    isFile = lstatSync(file).isFile();
  } catch {
    return undefined; // Gone meanwhile: free.
  }
  if (!isFile) throw inTheWay();
  const holder = lockHolder(file);
  if (holder === undefined) return writtenLately(file) ? { taken: false } : undefined;
  const held = holder.pid !== process.pid && isRunning(holder.pid) && !reusedPid(holder);
  if (!held) return undefined;
  return holder.purpose === undefined
    ? { taken: false, holder: holder.pid }
    : { taken: false, holder: holder.pid, purpose: holder.purpose };
}

/**
 * Whether the process now running under the holder's number is another one than the
 * holder (pids are reused, soon in a container): it started in another boot or at another
 * time than the lock says of its writer.
 */
function reusedPid(holder: { pid: number; stamp?: string }): boolean {
  if (holder.stamp === undefined) return false;
  const now = processStamp(holder.pid);
  return now !== undefined && now !== holder.stamp;
}

function lockHolder(file: string): { pid: number; stamp?: string; purpose?: string } | undefined {
  try {
    const { pid, stamp, purpose } = JSON.parse(readFileSync(file, 'utf8')) as {
      pid?: unknown;
      stamp?: unknown;
      purpose?: unknown;
    };
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
    return {
      pid,
      ...(typeof stamp === 'string' ? { stamp } : {}),
      ...(typeof purpose === 'string' ? { purpose } : {}),
    };
  } catch {
    // Being written this very moment, or cut short by a crash: judged by its age.
    return undefined;
  }
}

/** Whether the process named by a takeover lock runs (if none is named yet: whether it is new). */
function takerRuns(takeover: string): boolean {
  const taker = lockHolder(takeover);
  if (taker === undefined) return writtenLately(takeover);
  return isRunning(taker.pid) && !reusedPid(taker);
}

/** A lock file without a readable holder is trusted for a few seconds: it may be new. */
function writtenLately(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < 5000;
  } catch {
    return false;
  }
}
