import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** The worker modules of this folder. */
export type WorkerName = 'transform-worker' | 'render-worker';

/**
 * Starts one of this folder's workers. Compiled (lib/), a worker is plain JavaScript; run
 * from source, a shim registers tsx in the worker first.
 */
export function startWorker(name: WorkerName, workerData: Record<string, unknown>): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(compiledWorker(name), { workerData });
  return new Worker(new URL('./typescript-worker.mjs', import.meta.url), {
    workerData: { ...workerData, typescriptEntry: new URL(`./${name}.ts`, import.meta.url).href },
  });
}

const compiledWorkers = new Map<WorkerName, URL>();

/** The worker's bundle (one file, quicker to load; `scripts/compile.mjs`), else its module. */
function compiledWorker(name: WorkerName): URL {
  let url = compiledWorkers.get(name);
  if (!url) {
    const bundle = new URL(`./${name}.bundle.js`, import.meta.url);
    url = existsSync(bundle) ? bundle : new URL(`./${name}.js`, import.meta.url);
    compiledWorkers.set(name, url);
  }
  return url;
}
