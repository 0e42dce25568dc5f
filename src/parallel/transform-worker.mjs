// Worker threads do not inherit the tsx loader of the main thread: register it, then load
// the TypeScript worker (works on Node 20, 22 and 24).
import { register } from 'tsx/esm/api';

register();
await import('./transform-worker.ts');
