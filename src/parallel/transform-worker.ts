import { parentPort, workerData } from 'node:worker_threads';
import type { SiteConfig } from '../config/schema.ts';
import type { ContentFile } from '../load/discover.ts';
import { createFileProcessor } from './load-transform.ts';

/** A worker thread of the transform pool: batches of files in, outcomes out. */
const { config, now, siteFiles } = workerData as {
  config: SiteConfig;
  now: number;
  siteFiles: string[];
};
const processFile = createFileProcessor(config, now, new Set(siteFiles));
parentPort!.on('message', (batch: { file: ContentFile; mtimeMs: number }[]) => {
  parentPort!.postMessage(batch.map(({ file, mtimeMs }) => processFile(file, mtimeMs)));
});
parentPort!.postMessage('ready');
