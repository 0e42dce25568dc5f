/**
 * The transform pool when a worker thread fails: its files are transformed anyway (by the
 * other threads, or by the main thread), each once, and the build goes on.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import type { ContentFile } from '../../src/load/discover.ts';
import type { FileOutcome } from '../../src/parallel/load-transform.ts';

/** How the fake workers fail: at once, or after saying they are ready (mid-build). */
const failure = vi.hoisted(() => ({ mode: 'at-start' as 'at-start' | 'after-ready' }));

vi.mock('../../src/parallel/start-worker.ts', () => ({
  startWorker: () =>
    failure.mode === 'at-start'
      ? new Worker('process.exit(3)', { eval: true })
      : new Worker(
          `const { parentPort } = require('node:worker_threads');
           parentPort.postMessage('ready');
           parentPort.on('message', () => process.exit(4));`,
          { eval: true },
        ),
}));

const { loadAndTransformInParallel, startEarlyTransformWorker } = await import(
  '../../src/parallel/pool.ts'
);
const { build } = await import('../../src/build.ts');

let folder: string;
const files: ContentFile[] = [];

beforeAll(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'gazette-pool-'));
  for (let i = 0; i < 450; i++) {
    const relativePath = `article-${i}.md`;
    const absolutePath = path.join(folder, relativePath);
    writeFileSync(
      absolutePath,
      `---\ntitle: Article ${i}\ndate: 2025-01-01 10:00\n---\n<p>Body ${i}.</p>\n`,
    );
    files.push({ absolutePath, relativePath });
  }
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function transformAll(count: number, early: boolean): Promise<string[]> {
  const config = defaultConfig();
  const seen: string[] = [];
  const { workerFailures } = await loadAndTransformInParallel(
    files.slice(0, count).map((file) => ({ file, mtimeMs: 0 })),
    config,
    {},
    (outcome: FileOutcome) => {
      expect(outcome.body?.html).toContain('Body');
      seen.push(outcome.file.relativePath);
    },
    early ? startEarlyTransformWorker(config, {}) : undefined,
  );
  // Every worker started here fails, and says so.
  expect(workerFailures.length).toBeGreaterThan(0);
  expect(workerFailures.every((reason) => /exited with code [34]/.test(reason))).toBe(true);
  return seen.sort();
}

const names = (count: number) =>
  files
    .slice(0, count)
    .map((file) => file.relativePath)
    .sort();

describe('the transform pool when a worker fails', () => {
  it('transforms a few files on the main thread when the early worker cannot start', async () => {
    failure.mode = 'at-start';
    expect(await transformAll(5, true)).toEqual(names(5));
  });

  it('transforms the batches a worker dies holding, each file once', async () => {
    failure.mode = 'after-ready';
    expect(await transformAll(5, true)).toEqual(names(5));
    expect(await transformAll(450, false)).toEqual(names(450));
  });

  it('builds the whole site and warns when its transform and render workers fail', async () => {
    failure.mode = 'after-ready';
    const root = mkdtempSync(path.join(os.tmpdir(), 'gazette-pool-site-'));
    vi.stubEnv('GAZETTE_WORKERS', '1');
    try {
      const result = await build({
        root,
        overrides: { contentDir: folder, outDir: 'site', cacheDir: 'cache' },
        renderHelper: 'always',
        extensions: [],
      });
      expect(result.ok).toBe(true);
      expect(result.report.built).toBe(450);
      expect(result.cache.pagesRenderedByHelper).toBe(0);
      const warnings = result.diagnostics.filter((diagnostic) =>
        diagnostic.message.includes('worker thread(s) failed'),
      );
      expect(warnings.map((warning) => warning.file).sort()).toEqual([
        'render worker',
        'transform worker',
      ]);
      expect(existsSync(path.join(root, 'site', 'index.html'))).toBe(true);
    } finally {
      vi.unstubAllEnvs();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
