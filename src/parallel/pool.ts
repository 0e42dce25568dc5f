import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { SiteConfig } from '../config/schema.ts';
import type { ContentFile } from '../load/discover.ts';
import type { BodyTransformerOptions } from '../transform/index.ts';
import type { FileOutcome } from './load-transform.ts';
import { startWorker } from './start-worker.ts';

export interface Job {
  file: ContentFile;
  mtimeMs: number;
  /** Size, time and inode when the file was looked up, for the cache (`fileSignature`). */
  signature?: string;
}

/** Below this many files, starting a worker (about half a second) costs more than it saves. */
const MIN_FILES_FOR_WORKERS = 400;
const BATCH = 16;

/** `GAZETTE_WORKERS`, when set to a whole number. */
function configuredWorkers(): number | undefined {
  const configured = Number(process.env.GAZETTE_WORKERS);
  return Number.isInteger(configured) && configured >= 0 ? configured : undefined;
}

/** How many worker threads: `GAZETTE_WORKERS` if set, else one less than the cores. */
export function workerCount(jobs: number): number {
  const configured = configuredWorkers();
  if (configured !== undefined) return configured;
  if (jobs < MIN_FILES_FOR_WORKERS) return 0;
  return Math.max(1, availableParallelism() - 1);
}

/** Whether a helper thread may work beside the main one: two cores or more, workers not off. */
export function helperThreadAllowed(): boolean {
  return configuredWorkers() !== 0 && availableParallelism() > 1;
}

/** A transform worker and the moment its modules are loaded. */
interface TransformWorker {
  worker: Worker;
  ready: Promise<void>;
}

/** The files bodies may name as site-local, as a worker is sent them (arrays). */
export type TransformWorkerData = {
  config: SiteConfig;
  now: number;
  siteFiles: string[];
  contentFiles: string[];
};

function startTransformWorker(
  config: SiteConfig,
  now: number,
  localFiles: BodyTransformerOptions,
): TransformWorker {
  const data: TransformWorkerData = {
    config,
    now,
    siteFiles: [...(localFiles.siteFiles ?? [])],
    contentFiles: [...(localFiles.contentFiles ?? [])],
  };
  const worker = startWorker('transform-worker', data);
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (message !== 'ready') return;
      worker.off('message', onMessage);
      resolve();
    };
    worker.on('message', onMessage);
    // Kept after ready too: an idle worker's error must not go unhandled.
    worker.on('error', reject);
  });
  // Handled where it is awaited; a worker terminated unused must not be an unhandled rejection.
  ready.catch(() => {});
  return { worker, ready };
}

/** A transform worker started before the build knows which files it must transform. */
export interface EarlyTransformWorker extends TransformWorker {
  now: number;
}

/**
 * Starts a transform worker so that it loads the parser and sanitizer (a tenth of a second)
 * while the main thread reads the cache. Hand it to `loadAndTransformInParallel`, which
 * uses or stops it; stop it yourself if the build never gets there.
 */
export function startEarlyTransformWorker(
  config: SiteConfig,
  localFiles: BodyTransformerOptions,
): EarlyTransformWorker {
  const now = Date.now();
  return { ...startTransformWorker(config, now, localFiles), now };
}

/**
 * An outcome made on this thread, copied as a worker's is on its way here. A title cut from
 * the front matter's text, or an excerpt from the body's, is a slice that keeps all of that
 * text alive for the whole build (1–2 KB an article); the copy keeps only its characters.
 * The body's HTML goes to the pack at once and is not copied.
 */
function detached(outcome: FileOutcome): FileOutcome {
  try {
    if (!outcome.body) return structuredClone(outcome);
    const { html, ...body } = outcome.body;
    const copy = structuredClone({ ...outcome, body });
    return { ...copy, body: { ...copy.body, html } };
  } catch {
    // Something a worker could not have sent either: used as it is, only larger.
    return outcome;
  }
}

/**
 * Loads and transforms files across worker threads, the main thread taking batches too
 * when there are many files (with few, a worker started early does them alone, and the main
 * thread does not load the parser at all). Outcomes are handed to `onOutcome` as they
 * arrive, in no set order, so a body can go to disk at once instead of being held.
 */
export async function loadAndTransformInParallel(
  jobs: Job[],
  config: SiteConfig,
  localFiles: BodyTransformerOptions,
  onOutcome: (outcome: FileOutcome) => void,
  early?: EarlyTransformWorker,
): Promise<{ workerFailures: string[] }> {
  /** Why each failed worker failed: the build goes on, but a broken install should show. */
  const workerFailures: string[] = [];
  if (jobs.length === 0) {
    await early?.worker.terminate();
    return { workerFailures };
  }
  const now = early?.now ?? Date.now();
  const batches: Job[][] = [];
  for (let i = 0; i < jobs.length; i += BATCH) batches.push(jobs.slice(i, i + BATCH));
  const count = workerCount(jobs.length);
  const started: TransformWorker[] = early ? [early] : [];
  while (started.length < count) started.push(startTransformWorker(config, now, localFiles));
  const finished = started.map(
    ({ worker, ready }) =>
      new Promise<void>((resolve) => {
        // Batches handed over and not yet back, oldest first (a worker answers in order).
        const inHand: Job[][] = [];
        let settled = false;
        const sendNext = (): void => {
          const batch = batches.shift();
          if (!batch) return;
          inHand.push(batch);
          worker.postMessage(batch);
        };
        const finish = () => {
          settled = true;
          resolve();
        };
        // A worker that fails (to start, or on the way) gives its batches back to be done by
        // the others or by the main thread: the build goes on without it.
        const fail = (reason: unknown) => {
          if (settled) return;
          workerFailures.push(reason instanceof Error ? reason.message : String(reason));
          batches.unshift(...inHand.splice(0));
          finish();
        };
        worker.on('message', (message: 'ready' | FileOutcome[]) => {
          if (message === 'ready' || settled) return;
          inHand.shift();
          for (const outcome of message) onOutcome(outcome);
          sendNext();
          if (inHand.length === 0) finish();
        });
        worker.on('error', fail);
        worker.on('exit', (code) => {
          if (code !== 0) fail(`exited with code ${code}`);
        });
        ready.then(() => {
          // Two batches ahead: the main thread hands out the next one only between its own
          // batches, and a worker waiting for it would sit idle (a quarter of its time).
          for (let i = 0; i < 2; i++) sendNext();
          if (inHand.length === 0) finish();
        }, fail);
      }),
  );
  let processFile: ReturnType<typeof import('./load-transform.ts').createFileProcessor>;
  const takeBatchesHere = async () => {
    if (batches.length === 0) return;
    if (!processFile) {
      const { createFileProcessor } = await import('./load-transform.ts');
      processFile = createFileProcessor(config, now, localFiles);
    }
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      for (const { file, mtimeMs } of batch) onOutcome(detached(processFile(file, mtimeMs)));
      // Let worker results in and hand them their next batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  try {
    // With few files the main thread leaves them to the workers, if there are any.
    if (started.length === 0 || jobs.length >= MIN_FILES_FOR_WORKERS) await takeBatchesHere();
    await Promise.all(finished);
    // What a failed worker gave back when no other thread was taking batches.
    await takeBatchesHere();
  } finally {
    await Promise.all(started.map(({ worker }) => worker.terminate()));
  }
  return { workerFailures };
}
