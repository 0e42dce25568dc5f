#!/usr/bin/env node
// Runs the compiled lib/ when it is as new as src/ (`npm ci` compiles it); otherwise, while
// src/ is being edited, tsx compiles the TypeScript on the fly.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import module from 'node:module';

// Node 22.1+ can keep compiled modules between runs (a fifth of a small rebuild is loading
// Gazette and its libraries); Node 20 has no such cache and skips this.
module.enableCompileCache?.();

const root = new URL('../', import.meta.url);

function newestSource(folder) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const child = new URL(entry.isDirectory() ? `${entry.name}/` : entry.name, folder);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(child) : statSync(child).mtimeMs);
  }
  return newest;
}

function compiledIsCurrent() {
  try {
    const compiledFrom = Number(readFileSync(new URL('lib/.compiled', root), 'utf8'));
    return compiledFrom >= newestSource(new URL('src/', root));
  } catch {
    return false;
  }
}

let main;
if (process.env.GAZETTE_FROM_SOURCE !== '1' && compiledIsCurrent()) {
  ({ main } = await import('../lib/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
