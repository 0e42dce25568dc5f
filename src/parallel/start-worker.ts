import { Worker } from 'node:worker_threads';

/** The worker modules of this folder. */
export type WorkerName = 'transform-worker' | 'render-worker';

/**
 * Starts one of this folder's workers. Compiled (lib/), a worker is plain JavaScript; run
 * from source, a shim registers tsx in the worker first.
 */
export function startWorker(name: WorkerName, workerData: Record<string, unknown>): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL(`./${name}.js`, import.meta.url), { workerData });
  return new Worker(new URL('./typescript-worker.mjs', import.meta.url), {
    workerData: { ...workerData, typescriptEntry: new URL(`./${name}.ts`, import.meta.url).href },
  });
}
