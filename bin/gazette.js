#!/usr/bin/env node
// Gazette is written in TypeScript; tsx compiles it on the fly so that no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
