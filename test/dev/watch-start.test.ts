import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startDev } from '../../src/dev/dev-server.ts';
import { watchProject } from '../../src/dev/watch.ts';
import { makeTempFolder } from '../temp-folders.ts';
import { articleText, makeDevProject } from './helpers.ts';

/**
 * chokidar reports `ready` while it is still setting up the subfolders of a large tree, and
 * a file deleted in that moment goes unseen. Both remedies are tested here against a chokidar
 * made slow on purpose, since on a quiet machine the moment is too short for a test to hit.
 */
const slowness = vi.hoisted(() => ({
  /** How long after `ready` the fake chokidar still hides subfolders from `getWatched`. */
  hideSubfoldersMs: 0,
  revealedAt: 0,
  /** How long after start the watcher drops every event, as if it watched nothing yet. */
  deafMs: 0,
}));

vi.mock('chokidar', async (importOriginal) => {
  const real = await importOriginal<typeof import('chokidar')>();
  return {
    ...real,
    watch: (...args: Parameters<typeof real.watch>) => {
      const watcher = real.watch(...args);
      const roots = new Set([args[0]].flat().map((file) => path.resolve(file)));
      let readyAt = Number.POSITIVE_INFINITY;
      watcher.once('ready', () => {
        readyAt = performance.now();
      });
      const getWatched = watcher.getWatched.bind(watcher);
      watcher.getWatched = () => {
        const watched = getWatched();
        if (performance.now() - readyAt >= slowness.hideSubfoldersMs) {
          slowness.revealedAt ||= performance.now();
          return watched;
        }
        return Object.fromEntries(Object.entries(watched).filter(([folder]) => roots.has(folder)));
      };
      return watcher;
    },
  };
});

vi.mock('../../src/dev/watch.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/dev/watch.ts')>();
  return {
    ...real,
    watchProject: (options: Parameters<typeof real.watchProject>[0]) => {
      const started = performance.now();
      return real.watchProject({
        ...options,
        onBatch: (files) => {
          if (performance.now() - started >= slowness.deafMs) options.onBatch(files);
        },
      });
    },
  };
});

afterEach(() => {
  slowness.hideSubfoldersMs = 0;
  slowness.revealedAt = 0;
  slowness.deafMs = 0;
});

describe('the watcher at start', () => {
  it('is ready only once every subfolder of the tree is watched', async () => {
    const root = makeTempFolder('gazette-watch-');
    for (let folder = 0; folder < 20; folder++) {
      mkdirSync(path.join(root, `${folder}`, 'inner'), { recursive: true });
      writeFileSync(path.join(root, `${folder}`, 'inner', 'a.md'), 'x');
    }
    slowness.hideSubfoldersMs = 400;
    const watcher = watchProject({ paths: [root], ignoredFolders: [], onBatch: () => {} });
    try {
      await watcher.ready;
      const readyAt = performance.now();
      expect(slowness.revealedAt).toBeGreaterThan(0);
      expect(readyAt).toBeGreaterThanOrEqual(slowness.revealedAt);
    } finally {
      await watcher.close();
    }
  });
});

describe('the dev server at start', () => {
  it('sees a file deleted while the watcher was not yet watching', async () => {
    const root = makeDevProject(
      {
        'rail.md': articleText('Rail strike ends'),
        'port.md': articleText('Port reopens', { date: '2025-03-02 09:00:00' }),
      },
      'search:\n  enabled: false\n',
    );
    const pageFile = path.join(root, 'site', '2025', '03', '01', 'rail', 'index.html');
    slowness.deafMs = 1_000;
    const dev = await startDev({ root, port: 0, extensions: [], debounceMs: 10 });
    try {
      expect(existsSync(pageFile)).toBe(true);
      rmSync(path.join(root, 'content', 'rail.md'));
      // The server looks the content folder over again 2 s after start.
      const deadline = Date.now() + 10_000;
      while (existsSync(pageFile) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(existsSync(pageFile)).toBe(false);
      const home = await (await fetch(dev.url)).text();
      expect(home).not.toContain('Rail strike ends');
      expect(home).toContain('Port reopens');
    } finally {
      await dev.close();
    }
  });
});
