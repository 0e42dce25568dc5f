import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];

/** A new folder in the temp dir, removed when the test file's tests are done. */
export function makeTempFolder(prefix: string): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(folder);
  return folder;
}

/** Removes the folders this test file made (a run of the suite made 3,000 otherwise). */
export function removeTempFolders(): void {
  for (const folder of made.splice(0)) {
    try {
      rmSync(folder, { recursive: true, force: true });
    } catch {
      // A folder a test left unreadable: the temp dir's own cleaning gets it.
    }
  }
}
