import fc from 'fast-check';
import { afterAll } from 'vitest';
import { removeTempFolders } from './temp-folders.ts';

// Property tests explore new inputs on every local run; CI replays one fixed seed so that a
// submission's result does not depend on chance (FC_SEED overrides it, to replay a failure).
const seed = process.env.FC_SEED
  ? Number(process.env.FC_SEED)
  : process.env.CI
    ? 20261126
    : undefined;
if (seed !== undefined) fc.configureGlobal({ seed });

afterAll(removeTempFolders);
