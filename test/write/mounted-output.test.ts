/**
 * An output folder that is a mount point (a Docker volume, a bind mount) cannot be renamed,
 * and the staging folder beside it is on another file system. Mounting needs privileges a
 * test does not have, so `node:fs` answers as it would: EBUSY for renaming the folder, EXDEV
 * for moving a staged file into it.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const mount = vi.hoisted(() => ({ folder: '' }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const renameSync = ((from: string, to: string) => {
    if (mount.folder && typeof from === 'string' && typeof to === 'string') {
      if (from === mount.folder)
        throw Object.assign(new Error(`EBUSY: resource busy, rename '${from}'`), {
          code: 'EBUSY',
        });
      if (to.startsWith(`${mount.folder}${path.sep}`) && !from.startsWith(mount.folder))
        throw Object.assign(new Error(`EXDEV: cross-device link, rename '${from}'`), {
          code: 'EXDEV',
        });
    }
    return fs.renameSync(from, to);
  }) as typeof fs.renameSync;
  return { ...fs, default: { ...fs, renameSync }, renameSync };
});

const { buildProject, makeProject } = await import('../helpers.ts');

const article = (title: string, day: number) =>
  `---\ntitle: ${title}\ndate: 2024-03-0${day} 10:00\ncategories: [World]\n---\n<p>${title} body.</p>\n`;

const root = makeProject(
  {
    'harbour-reopens.md': article('Harbour reopens', 1),
    'rail-strike-ends.md': article('Rail strike ends', 2),
  },
  'search:\n  enabled: false\npermalink: ":slug/"\n',
);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('an output folder that is a mount point', () => {
  it('is built and rebuilt in place, its files copied in', async () => {
    const site = path.join(root, 'site');
    mount.folder = site;
    const first = await buildProject(root);
    expect(first.ok).toBe(true);
    expect(readFileSync(path.join(site, 'harbour-reopens/index.html'), 'utf8')).toContain(
      'Harbour reopens body.',
    );
    // A rebuild that changes the site's title remakes every page: more than a small update.
    writeFileSync(
      path.join(root, 'gazette.config.yml'),
      'title: Mounted\nsearch:\n  enabled: false\npermalink: ":slug/"\n',
    );
    rmSync(path.join(root, 'content/rail-strike-ends.md'));
    const second = await buildProject(root);
    expect(second.ok).toBe(true);
    expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toContain('Mounted');
    expect(existsSync(path.join(site, 'rail-strike-ends/index.html')), 'removed').toBe(false);
    expect(existsSync(`${path.dirname(site)}/.site.gazette-staging`)).toBe(false);
    mount.folder = '';
  });
});
