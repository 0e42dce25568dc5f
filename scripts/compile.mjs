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
bundleWorkers();
writeFileSync(path.join(lib, '.compiled'), `${newestSource(path.join(root, 'src'))}\n`);

/**
 * A worker thread starts by loading its modules: the transform worker's 150 files (unified,
 * parse5, the sanitizer, gray-matter…) made it ready in about 0.2 s, which a rebuild of one
 * changed article waits for; bundled into one file, about 0.07 s. The bundle sits beside the worker, at the same
 * folder depth as every module (paths relative to a module stay right), and is used when
 * present (`start-worker.ts`); without esbuild (a dev dependency) the modules are loaded as
 * they are.
 */
function bundleWorkers() {
  let esbuild;
  try {
    esbuild = createRequire(import.meta.url)('esbuild');
  } catch {
    return;
  }
  for (const name of ['transform-worker', 'render-worker']) {
    esbuild.buildSync({
      entryPoints: [path.join(lib, 'parallel', `${name}.js`)],
      outfile: path.join(lib, 'parallel', `${name}.bundle.js`),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // The CommonJS libraries inside (gray-matter, js-yaml, nunjucks) call require().
      banner: {
        js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);",
      },
      // nunjucks would pull in its file watcher, which only `gazette dev` uses, on the main thread.
      external: ['chokidar', 'fsevents'],
      logLevel: 'warning',
    });
  }
}

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
