/**
 * The dev server looks for content changed while it was busy; a folder that cannot be listed
 * (permissions changed) still holds its files, so their articles are not taken for deleted.
 * Root lists any folder whatever its mode, so the failure is simulated in `node:fs`.
 */
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Project } from '../../src/build.ts';
import type { SiteState } from '../../src/dev/site-state.ts';

const unlistable = vi.hoisted(() => new Set<string>());

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const readdirSync = ((folder: Parameters<typeof fs.readdirSync>[0], ...rest: unknown[]) => {
    if (typeof folder === 'string' && unlistable.has(path.basename(folder))) {
      throw Object.assign(new Error(`EACCES: cannot list ${folder}`), { code: 'EACCES' });
    }
    return (fs.readdirSync as (...args: unknown[]) => unknown)(folder, ...rest);
  }) as typeof fs.readdirSync;
  return { ...fs, default: { ...fs, readdirSync }, readdirSync };
});

const { contentChangedSince } = await import('../../src/dev/dev-server.ts');
const { makeProject } = await import('../helpers.ts');

describe('content changed while the dev server was busy', () => {
  it('counts a file gone as deleted, not the files of a folder that cannot be listed', () => {
    const article = '---\ntitle: A story\ndate: 2025-03-01 09:00\n---\n<p>Body.</p>\n';
    const root = makeProject({
      'locked/inside.md': article,
      'locked/photo.jpg': 'picture',
      'open.md': article,
      'open.jpg': 'picture',
    });
    const contentDir = path.join(root, 'content');
    const project = { contentDir } as Project;
    const state = {
      project,
      loaded: new Map(['locked/inside.md', 'open.md', 'gone.md'].map((name) => [name, {}])),
      contentErrors: new Map(),
      contentFiles: new Set(['locked/photo.jpg', 'open.jpg', 'gone.jpg']),
    } as unknown as SiteState;
    unlistable.add('locked');
    // Nothing modified since: only what is gone counts.
    const changed = contentChangedSince(project, state, Date.now() + 60_000);
    expect(changed).toEqual([path.join(contentDir, 'gone.md'), path.join(contentDir, 'gone.jpg')]);
  });
});
