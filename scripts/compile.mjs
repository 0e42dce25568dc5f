#!/usr/bin/env node
// Compiles src/ to lib/ (same folder depth, so paths relative to a module keep working) and
// copies the non-TypeScript files modules read at run time. Runs on `npm ci` (prepare):
// the CLI then starts without compiling TypeScript on the fly.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lib = path.join(root, 'lib');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(lib, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
copyAssets(path.join(root, 'src'), lib);
writeFileSync(path.join(lib, '.compiled'), `${newestSource(path.join(root, 'src'))}\n`);

/** Files other than TypeScript (the dev client, the worker shim is replaced below). */
function copyAssets(from, to) {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyAssets(source, target);
    else if (!entry.name.endsWith('.ts') && !entry.name.endsWith('.mjs')) cpSync(source, target);
  }
}

function newestSource(folder) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const file = path.join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(file) : statSync(file).mtimeMs);
  }
  return newest;
}

if (!existsSync(path.join(lib, 'cli/main.js'))) process.exit(1);
