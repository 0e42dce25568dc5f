import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { SiteConfig } from '../config/schema.ts';
import type { ContentFile } from '../load/discover.ts';
import { createFileProcessor, type FileOutcome } from './load-transform.ts';
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

/**
 * Loads and transforms files across worker threads, the main thread taking batches too
 * while workers start. Outcomes are handed to `onOutcome` as they arrive, in no set order,
 * so a body can go to disk at once instead of being held.
 */
export async function loadAndTransformInParallel(
  jobs: Job[],
  config: SiteConfig,
  siteFiles: ReadonlySet<string>,
  onOutcome: (outcome: FileOutcome) => void,
): Promise<void> {
  const now = Date.now();
  const batches: Job[][] = [];
  for (let i = 0; i < jobs.length; i += BATCH) batches.push(jobs.slice(i, i + BATCH));
  const count = workerCount(jobs.length);
  const workers: Worker[] = [];
  const finished: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const worker = startWorker('transform-worker', { config, now, siteFiles: [...siteFiles] });
    workers.push(worker);
    finished.push(
      new Promise<void>((resolve, reject) => {
        const sendNext = (): boolean => {
          const batch = batches.shift();
          if (batch) worker.postMessage(batch);
          return batch !== undefined;
        };
        let queued = 0;
        worker.on('message', (message: 'ready' | FileOutcome[]) => {
          if (message === 'ready') {
            // Two batches ahead: the main thread hands out the next one only between its own
            // batches, and a worker waiting for it would sit idle (a quarter of its time).
            for (let i = 0; i < 2; i++) if (sendNext()) queued++;
          } else {
            for (const outcome of message) onOutcome(outcome);
            queued--;
            if (sendNext()) queued++;
          }
          if (queued === 0) resolve();
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (code !== 0) reject(new Error(`transform worker stopped with code ${code}`));
        });
      }),
    );
  }
  const processFile = createFileProcessor(config, now, siteFiles);
  try {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      for (const { file, mtimeMs } of batch) onOutcome(processFile(file, mtimeMs));
      // Let worker results in and hand them their next batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await Promise.all(finished);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
