// Worker threads do not inherit the tsx loader of the main thread: register it, then load
// the TypeScript worker named by `startWorker` (works on Node 20, 22 and 24).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.typescriptEntry);
