import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { OutputError } from './output.ts';

/**
 * One Gazette process at a time writes an output folder. Two at once (a dev server and a
 * build, two CI jobs) each clear the other's staging folder, and the one that commits last
 * can publish a site missing whole folders of pages while reporting success.
 *
 * The lock is a file beside the output folder naming the process that holds it. A lock whose
 * process is gone (killed, crashed) is taken over. Within one process the lock is counted, so
 * that the dev server, which holds it while it runs, can run builds of its own.
 */
const heldHere = new Map<string, number>();

function lockFileOf(outDir: string): string {
  const absolute = path.resolve(outDir);
  return path.join(path.dirname(absolute), `.${path.basename(absolute)}.gazette-lock`);
}

/** Takes the output folder's lock, or throws `OutputError` naming the process holding it. */
export function lockOutputFolder(outDir: string): () => void {
  const file = lockFileOf(outDir);
  const count = heldHere.get(file) ?? 0;
  if (count === 0) createLockFile(file, outDir);
  heldHere.set(file, count + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (heldHere.get(file) ?? 1) - 1;
    if (left > 0) {
      heldHere.set(file, left);
      return;
    }
    heldHere.delete(file);
    rmSync(file, { force: true });
  };
}

function createLockFile(file: string, outDir: string): void {
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A folder that cannot take the lock file cannot take the staged site either: the
      // build reports that, with the folder's own error.
      if (code !== 'EEXIST') return;
      const holder = holderOf(file);
      const held =
        holder === undefined ? writtenLately(file) : holder !== process.pid && isRunning(holder);
      if (held) {
        throw new OutputError(
          `${outDir} is being written by another Gazette (process ${holder ?? 'starting'}); wait for it to finish, or delete ${file} if no Gazette is running`,
        );
      }
      if (attempt > 0) {
        throw new OutputError(`cannot take the lock ${file} of ${outDir}; delete it and retry`);
      }
      // Left by a process that is gone: taken over.
      rmSync(file, { force: true });
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify({ pid: process.pid, since: new Date().toISOString() })}\n`);
    } finally {
      closeSync(fd);
    }
    return;
  }
}

function holderOf(file: string): number | undefined {
  try {
    const { pid } = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown };
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    // Being written this very moment, or cut short by a crash: judged by its age.
    return undefined;
  }
}

/** A lock file without a readable holder is trusted for a few seconds: it may be new. */
function writtenLately(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < 5000;
  } catch {
    return false;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
