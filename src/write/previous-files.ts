import { statSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  LISTED_FILE_CHECK,
  listedSizes,
  type PreviousManifest,
  previousManifest,
} from './output.ts';

/** Below this manifest size (about 2,000 files) the checks cost less than starting a thread. */
const MIN_MANIFEST_BYTES = 200_000;

// Plain JavaScript, so that it runs the same from lib/ and from src/ under tsx. The manifest's
// paths and keys go back as two strings (a file name holds no NUL): copying two strings to
// the main thread and splitting them costs a fifth of parsing the manifest there again.
const READ_PREVIOUS_SITE = `
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
${LISTED_FILE_CHECK}
const { outDir, manifest } = workerData;
const data = JSON.parse(readFileSync(path.join(outDir, manifest), 'utf8'));
const files = data.files ?? {};
const paths = Object.keys(files);
const sizes = Array.isArray(data.sizes) && data.sizes.length === paths.length ? data.sizes : undefined;
parentPort.postMessage({
  missing: paths.filter((file, i) => !fileAsListed(outDir, file, sizes?.[i])),
  paths: paths.join('\\0'),
  keys: paths.map((file) => String(files[file])).join('\\0'),
  sizes,
  pages: data.pages,
});
`;

/** The previous site's manifest, and the files it lists that are not there as it left them. */
export interface PreviousSite {
  manifest: PreviousManifest;
  missing: ReadonlySet<string>;
}

/**
 * Reads the output folder's manifest and finds the files it lists that are gone or changed
 * (deleted, truncated or replaced by hand), for the build to make again, in a worker thread
 * while the main thread loads and collects the articles: a check is a system call per file,
 * a second at 140,000 pages, and parsing the manifest a quarter of a second more. Undefined (the build reads the manifest
 * and checks each file when needed) for a small site, or if the worker failed.
 */
export function readPreviousSite(
  outDir: string,
  manifest: string,
  minManifestBytes = MIN_MANIFEST_BYTES,
): Promise<PreviousSite | undefined> {
  try {
    if (statSync(path.join(outDir, manifest)).size < minManifestBytes)
      return Promise.resolve(undefined);
  } catch {
    return Promise.resolve(undefined);
  }
  return new Promise<PreviousSite | undefined>((resolve) => {
    const worker = new Worker(READ_PREVIOUS_SITE, { eval: true, workerData: { outDir, manifest } });
    // A build that fails before it needs the answer does not wait for it.
    worker.unref();
    worker.once(
      'message',
      (read: {
        missing: string[];
        paths: string;
        keys: string;
        sizes: unknown;
        pages: unknown;
      }) => {
        const keys = new Map<string, string>();
        const paths = read.paths === '' ? [] : read.paths.split('\0');
        const values = read.keys.split('\0');
        for (let i = 0; i < paths.length; i++) keys.set(paths[i]!, values[i]!);
        resolve({
          manifest: previousManifest(keys, read.pages, listedSizes(paths, read.sizes)),
          missing: new Set(read.missing),
        });
      },
    );
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
}
