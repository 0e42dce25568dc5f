import path from 'node:path';
import { releaseLockFile, tryLockFile } from '../lock-file.ts';
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

/**
 * Takes the output folder's lock, or throws `OutputError` naming the process holding it.
 * `purpose` `dev`: the dev server holds it while it serves the folder, for as long as it runs.
 */
export function lockOutputFolder(outDir: string, purpose?: 'dev'): () => void {
  const file = lockFileOf(outDir);
  const count = heldHere.get(file) ?? 0;
  if (count === 0) createLockFile(file, outDir, purpose);
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
    // Only a lock that is still ours: a lock taken over meanwhile belongs to its new holder.
    releaseLockFile(file);
  };
}

function createLockFile(file: string, outDir: string, purpose?: string): void {
  const attempt = tryLockFile(
    file,
    () => new OutputError(`${file} is in the way of ${outDir}'s lock file; remove it`),
    purpose,
  );
  if (!attempt.taken) throw anotherGazette(outDir, file, attempt.holder, attempt.purpose);
}

function anotherGazette(
  outDir: string,
  file: string,
  holder: number | undefined,
  purpose: string | undefined,
): OutputError {
  // A dev server never finishes: waiting for it, or deleting its lock, is the wrong advice.
  if (purpose === 'dev') {
    return new OutputError(
      `${outDir} is served by gazette dev (process ${holder}), which keeps it up to date itself; stop the dev server first, or use --out to write another folder`,
    );
  }
  return new OutputError(
    `${outDir} is being written by another Gazette (process ${holder ?? 'starting'}); wait for it to finish, or delete ${file} if no Gazette is running`,
  );
}
