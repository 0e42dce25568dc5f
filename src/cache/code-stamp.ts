import { fileURLToPath } from 'node:url';
import type { SiteConfig } from '../config/schema.ts';
import { GAZETTE_VERSION } from '../version.ts';
import { inputsFingerprint } from './last-build.ts';

/** Gazette's own code: while it is being worked on, a changed module must not be replayed. */
export const GAZETTE_CODE_DIR = fileURLToPath(new URL('../', import.meta.url));

let cachedCodeStamp: string | undefined;

/** Names, sizes and times of Gazette's modules, so that a changed module invalidates caches. */
export function codeStamp(): string {
  cachedCodeStamp ??= inputsFingerprint({
    version: GAZETTE_VERSION,
    config: {} as SiteConfig,
    contentFiles: [],
    otherInputs: [GAZETTE_CODE_DIR],
  }).digest;
  return cachedCodeStamp;
}
