import { statSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** Below this manifest size (about 2,000 files) the checks cost less than starting a thread. */
const MIN_MANIFEST_BYTES = 200_000;

// Plain JavaScript, so that it runs the same from lib/ and from src/ under tsx.
const CHECK_FILES = `
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const { outDir, manifest } = workerData;
const files = JSON.parse(readFileSync(path.join(outDir, manifest), 'utf8')).files ?? {};
parentPort.postMessage(Object.keys(files).filter((file) => !existsSync(path.join(outDir, file))));
`;

/**
 * Files the output folder's manifest lists that are gone (deleted by hand), for the build to
 * make again. A large site's files are checked by a worker thread while the main thread
 * loads and collects the articles: a check is a system call per file, a second at 140,000
 * pages. Undefined (check each file when needed) for a small site, or if the check failed.
 */
export function findMissingPreviousFiles(
  outDir: string,
  manifest: string,
  minManifestBytes = MIN_MANIFEST_BYTES,
): Promise<ReadonlySet<string> | undefined> {
  try {
    if (statSync(path.join(outDir, manifest)).size < minManifestBytes)
      return Promise.resolve(undefined);
  } catch {
    return Promise.resolve(undefined);
  }
  return new Promise<ReadonlySet<string> | undefined>((resolve) => {
    const worker = new Worker(CHECK_FILES, { eval: true, workerData: { outDir, manifest } });
    // A build that fails before it needs the answer does not wait for it.
    worker.unref();
    worker.once('message', (missing: string[]) => resolve(new Set(missing)));
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
}
