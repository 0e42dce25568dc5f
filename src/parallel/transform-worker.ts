import { parentPort, workerData } from 'node:worker_threads';
import type { ContentFile } from '../load/discover.ts';
import { createFileProcessor } from './load-transform.ts';
import type { TransformWorkerData } from './pool.ts';

/** A worker thread of the transform pool: batches of files in, outcomes out. */
const { config, now, siteFiles, contentFiles } = workerData as TransformWorkerData;
const processFile = createFileProcessor(config, now, {
  siteFiles: new Set(siteFiles),
  contentFiles: new Set(contentFiles),
});
parentPort!.on('message', (batch: { file: ContentFile; mtimeMs: number }[]) => {
  parentPort!.postMessage(batch.map(({ file, mtimeMs }) => processFile(file, mtimeMs)));
});
parentPort!.postMessage('ready');
