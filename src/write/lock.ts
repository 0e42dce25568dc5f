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
import { isRunning } from '../processes.ts';
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
    // Only a lock that is still ours: a lock taken over meanwhile belongs to its new holder.
    if (holderOf(file) === process.pid) rmSync(file, { force: true });
  };
}

function createLockFile(file: string, outDir: string): void {
  try {
    // The folder the output goes in may not exist yet (a first build into `a/b/site`).
    mkdirSync(path.dirname(file), { recursive: true });
  } catch {
    // Reported by the build, which cannot write its staging folder there either.
    return;
  }
  const created = createExclusively(file);
  if (created !== 'exists') return; // 'failed': see above.
  refuseIfHeld(file, outDir);
  // Left by a process that is gone: taken over by one process at a time, under a second lock,
  // so that two builds starting together after a crash cannot both take it.
  const takeover = `${file}.takeover`;
  if (createExclusively(takeover) === 'exists') {
    if (writtenLately(takeover)) throw anotherGazette(outDir, file, undefined);
    rmSync(takeover, { force: true });
    if (createExclusively(takeover) === 'exists') throw anotherGazette(outDir, file, undefined);
  }
  try {
    // Again under the takeover lock: another process may have taken it over just before.
    refuseIfHeld(file, outDir);
    rmSync(file, { force: true });
    if (createExclusively(file) === 'exists') throw anotherGazette(outDir, file, undefined);
  } finally {
    rmSync(takeover, { force: true });
  }
}

/** Creates a lock file naming this process, unless the path is taken. */
function createExclusively(file: string): 'created' | 'exists' | 'failed' {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'exists' : 'failed';
  }
  try {
    writeSync(fd, `${JSON.stringify({ pid: process.pid, since: new Date().toISOString() })}\n`);
  } finally {
    closeSync(fd);
  }
  return 'created';
}

/** Throws when the lock file's process runs (or the file is too new to judge). */
function refuseIfHeld(file: string, outDir: string): void {
  let isFile: boolean;
  try {
    isFile = lstatSync(file).isFile();
  } catch {
    return; // Gone meanwhile: free.
  }
  if (!isFile) throw new OutputError(`${file} is in the way of ${outDir}'s lock file; remove it`);
  const holder = holderOf(file);
  const held =
    holder === undefined ? writtenLately(file) : holder !== process.pid && isRunning(holder);
  if (held) throw anotherGazette(outDir, file, holder);
}

function anotherGazette(outDir: string, file: string, holder: number | undefined): OutputError {
  return new OutputError(
    `${outDir} is being written by another Gazette (process ${holder ?? 'starting'}); wait for it to finish, or delete ${file} if no Gazette is running`,
  );
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
