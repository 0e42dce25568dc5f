import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SiteConfig } from '../config/schema.ts';
import { listFiles } from '../files.ts';
import { type ContentFile, type FileStamp, fileSignature } from '../load/discover.ts';
import { isFileAsListed, LISTED_FILE_CHECK, listedSizes, OUTPUT_MARKER } from '../write/output.ts';
import { stableJson } from './fingerprint.ts';

/**
 * Seconds within which a file's modification is too recent to trust its size and time
 * later: it may change again within the same timestamp tick (two seconds on FAT) and look
 * unchanged (git's "racily clean" files). Such a file is read again by the next build.
 */
export const RACY_SECONDS = 3;

/** What a build's inputs were when it started (see `inputsFingerprint`). */
export interface InputsFingerprint {
  /** A hash of every input's name, size, time and inode, the config and Gazette's version. */
  digest: string;
  /**
   * The latest modification time of the files read (0 if none): a build of files changed in
   * the last seconds is not recorded for replay, since they may change again unseen.
   */
  newestChangeMs: number;
}

/**
 * What a build needs to know to tell that nothing changed since the last one: every input's
 * name, size and modification time, the config and Gazette's version. Statting 10,000 files
 * takes milliseconds; reading and rebuilding them takes seconds.
 */
export function inputsFingerprint(options: {
  version: string;
  config: SiteConfig;
  contentFiles: ContentFile[];
  /** The content files' stats, when already taken (same order); statted here otherwise. */
  contentStats?: (FileStamp | undefined)[];
  /** Templates, public files and the config file: every other folder or file read. */
  otherInputs: string[];
}): InputsFingerprint {
  const hash = createHash('sha1');
  hash.update(`gazette ${options.version}\0${stableJson(options.config)}\0`);
  let newestChangeMs = 0;
  // Hashed in chunks of many files: one update per file was a tenth of the check's time.
  let chunk = '';
  options.contentFiles.forEach((file, index) => {
    const stamp = options.contentStats ? options.contentStats[index] : statStamp(file.absolutePath);
    if (stamp) newestChangeMs = Math.max(newestChangeMs, stamp.mtimeMs);
    chunk += `${file.relativePath}\0${stamp ? stamp.signature : 'missing'}\0`;
    if (chunk.length >= 1 << 16) {
      hash.update(chunk);
      chunk = '';
    }
  });
  hash.update(chunk);
  for (const input of options.otherInputs)
    newestChangeMs = Math.max(newestChangeMs, hashTree(hash, input));
  return { digest: hash.digest('hex'), newestChangeMs };
}

function statStamp(file: string): Pick<FileStamp, 'signature' | 'mtimeMs'> | undefined {
  try {
    const stats = statSync(file);
    return { signature: fileSignature(stats), mtimeMs: stats.mtimeMs };
  } catch {
    return undefined;
  }
}

/**
 * Hashes the name and stamp of every file of a folder (or of a file) as a build reads them:
 * links followed, as `listFiles` follows them to publish a `public/` file or load a template
 * (the link's own stamp does not change when a file in the folder it leads to does).
 * Returns the latest modification time seen.
 */
function hashTree(hash: ReturnType<typeof createHash>, root: string): number {
  if (!existsSync(root)) {
    hash.update(`${root}\0none\0`);
    return 0;
  }
  const files = statSync(root).isDirectory()
    ? listFiles(root).map((relative) => path.join(root, relative))
    : [root];
  let newest = 0;
  let chunk = '';
  for (const file of files) {
    const stamp = statStamp(file);
    if (stamp) newest = Math.max(newest, stamp.mtimeMs);
    chunk += `${file}\0${stamp ? stamp.signature : 'missing'}\0`;
  }
  hash.update(chunk);
  return newest;
}

/** The outcome of the last complete build, replayed when nothing changed. */
export interface LastBuild<Result> {
  fingerprint: string;
  /** Modification time of the output folder's manifest the build wrote. */
  manifestMtimeMs: number;
  /**
   * Between which times its scheduled and expiring articles stay as built: the build is not
   * replayed before the first (a clock set back) nor from the second on.
   */
  validFromMs?: number;
  validUntilMs?: number;
  result: Result;
}

export const LAST_BUILD_FILE = 'last-build.json';

/**
 * The last build, if it was made from inputs with this fingerprint. The file's first line
 * says what it was made from: a build whose inputs changed reads that line and not the
 * result after it (17 MB of diagnostics at 100,000 articles).
 */
export function readLastBuild<Result>(
  cacheDir: string,
  fingerprint: string,
  now: number,
): LastBuild<Result> | undefined {
  try {
    const bytes = readFileSync(path.join(cacheDir, LAST_BUILD_FILE));
    const headerEnd = bytes.indexOf(0x0a);
    if (headerEnd < 0) return undefined;
    const header = JSON.parse(bytes.toString('utf8', 0, headerEnd)) as Omit<
      LastBuild<Result>,
      'result'
    >;
    if (header.fingerprint !== fingerprint) return undefined;
    if (header.validUntilMs !== undefined && now >= header.validUntilMs) return undefined;
    if (header.validFromMs !== undefined && now < header.validFromMs) return undefined;
    const result = JSON.parse(bytes.toString('utf8', headerEnd + 1)) as Result;
    return { ...header, result };
  } catch {
    return undefined;
  }
}

export function writeLastBuild<Result>(
  cacheDir: string,
  fingerprint: string,
  outDir: string,
  result: Result,
  valid: { from?: number; until?: number } = {},
): void {
  const manifestMtimeMs = outputManifestMtime(outDir);
  if (manifestMtimeMs === undefined) return;
  mkdirSync(cacheDir, { recursive: true });
  const temporary = path.join(cacheDir, `${LAST_BUILD_FILE}.${process.pid}`);
  const header = {
    fingerprint,
    manifestMtimeMs,
    ...(valid.from === undefined ? {} : { validFromMs: valid.from }),
    ...(valid.until === undefined ? {} : { validUntilMs: valid.until }),
  };
  // JSON.stringify escapes newlines inside strings: the header ends at the first one.
  writeFileSync(temporary, `${JSON.stringify(header)}\n${JSON.stringify(result)}`);
  renameSync(temporary, path.join(cacheDir, LAST_BUILD_FILE));
}

/**
 * Whether the output folder is still the one the last build wrote: not rebuilt or replaced
 * since (its manifest's time), and holding every file its manifest lists as it was written (a
 * page or folder deleted, or a page truncated, by hand is made again; a file put there by
 * hand, a `CNAME`, is no reason to build). Looking at each file takes a system call per
 * file (about 0.2 s at 100,000 articles), so it is started on another thread before the
 * content is scanned (`startCheckingOutput`), and awaited here only when everything else
 * says "replay".
 */
export async function outputUnchangedSince<Result>(
  outDir: string,
  last: LastBuild<Result>,
  listedFilesPresent: () => Promise<boolean>,
): Promise<boolean> {
  return outputManifestMtime(outDir) === last.manifestMtimeMs && (await listedFilesPresent());
}

/**
 * Whether every file the output folder's manifest lists is there as it was written (see
 * `isFileAsListed`); false without a manifest.
 */
export function listedFilesPresent(outDir: string): boolean {
  try {
    const { files, sizes } = JSON.parse(readFileSync(path.join(outDir, OUTPUT_MARKER), 'utf8')) as {
      files?: Record<string, unknown>;
      sizes?: unknown;
    };
    if (!files) return false;
    const paths = Object.keys(files);
    const sizeOf = listedSizes(paths, sizes);
    return paths.every((file) => isFileAsListed(outDir, file, sizeOf?.get(file)));
  } catch {
    return false;
  }
}

/** The same check as `listedFilesPresent`, for a worker thread that knows nothing of Gazette. */
const LISTED_FILES_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const path = require('node:path');
${LISTED_FILE_CHECK}
const { outDir, manifest } = workerData;
let present = false;
try {
  const { files, sizes } = JSON.parse(readFileSync(path.join(outDir, manifest), 'utf8'));
  const paths = files ? Object.keys(files) : [];
  const sized = Array.isArray(sizes) && sizes.length === paths.length;
  present = Boolean(files) && paths.every((file, i) => fileAsListed(outDir, file, sized ? sizes[i] : undefined));
} catch {
  present = false;
}
parentPort.postMessage(present);
`;

/**
 * Checks that the files the output's manifest lists are there, on a thread of its own (on
 * this one with `onThisThread`, or if the thread fails). `stop` ends a check no longer wanted.
 */
export function startCheckingOutput(
  outDir: string,
  onThisThread: boolean,
): { listedFilesPresent: () => Promise<boolean>; stop: () => void } {
  // Checked only if asked for.
  if (onThisThread)
    return { listedFilesPresent: async () => listedFilesPresent(outDir), stop: () => {} };
  const worker = new Worker(LISTED_FILES_WORKER, {
    eval: true,
    workerData: { outDir, manifest: OUTPUT_MARKER },
  });
  worker.unref();
  let settle: (present: boolean) => void = () => {};
  let settled = false;
  const present = new Promise<boolean>((resolve) => {
    settle = (answer) => {
      if (settled) return;
      settled = true;
      resolve(answer);
    };
  });
  worker.once('message', (answer: boolean) => settle(answer));
  // A thread that cannot start or dies: checked here, unless no longer wanted.
  const checkHere = () => {
    if (!settled) settle(listedFilesPresent(outDir));
  };
  worker.once('error', checkHere);
  worker.once('exit', checkHere);
  return {
    listedFilesPresent: () => present,
    stop: () => {
      settle(false);
      void worker.terminate();
    },
  };
}

function outputManifestMtime(outDir: string): number | undefined {
  try {
    return statSync(path.join(outDir, OUTPUT_MARKER)).mtimeMs;
  } catch {
    return undefined;
  }
}
