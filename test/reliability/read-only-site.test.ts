/**
 * A site the user made read-only (`chmod 555 site`) is still Gazette's to replace: the swap
 * puts the new site in place and deletes the old copy, making its folders writable first,
 * instead of failing with "nothing was replaced" after replacing it, and every later build
 * with it. Root ignores file modes, so the builds run as `nobody` (needs root and setpriv).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatedProject, makeProject, repoRoot } from '../helpers.ts';

/** Root, with setpriv, and a checkout `nobody` can run Gazette from (not under /root). */
const canDropToNobody =
  process.getuid?.() === 0 &&
  spawnSync('setpriv', [
    '--reuid=65534',
    '--regid=65534',
    '--clear-groups',
    process.execPath,
    path.join(repoRoot, 'bin/gazette.js'),
    '--version',
  ]).status === 0;

function buildAsNobody(root: string) {
  return spawnSync(
    'setpriv',
    [
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      process.execPath,
      path.join(repoRoot, 'bin/gazette.js'),
      'build',
      '--root',
      root,
      '--no-search',
    ],
    { encoding: 'utf8', env: { ...process.env, HOME: root } },
  );
}

/** Everything under a folder writable by anyone, for `nobody` to build there. */
function openToAll(folder: string): void {
  chmodSync(folder, 0o777);
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const child = path.join(folder, entry.name);
    if (entry.isDirectory()) openToAll(child);
    else chmodSync(child, 0o666);
  }
}

/** `chmod -R a-w`: every folder and file of the site read-only. */
function readOnly(folder: string): void {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const child = path.join(folder, entry.name);
    if (entry.isDirectory()) readOnly(child);
    else chmodSync(child, 0o444);
  }
  chmodSync(folder, 0o555);
}

describe.skipIf(!canDropToNobody)('a read-only site', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it.each([
    ['updated in place (a few pages change)', 1],
    ['swapped whole (most of 150 articles’ pages change)', 150],
  ])(
    'is %s by a build, and later builds go on',
    (_, count) => {
      const root =
        count === 1
          ? makeProject(
              { 'a.md': '---\ntitle: Harbour reopens\ndate: 2024-05-01\n---\n<p>Ships.</p>\n' },
              'title: Before\n',
            )
          : generatedProject({ count, seed: 5, config: 'title: Before\n' }).root;
      roots.push(root);
      openToAll(root);
      const first = buildAsNobody(root);
      expect(first.status, first.stderr).toBe(0);
      const site = path.join(root, 'site');
      readOnly(site);
      // Every page shows the title: all of them change.
      writeFileSync(path.join(root, 'gazette.config.yml'), 'title: After\n');
      const second = buildAsNobody(root);
      expect(second.status, second.stderr).toBe(0);
      expect(second.stderr).not.toMatch(/could not be deleted/);
      expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toContain('After');
      expect(existsSync(path.join(root, '.site.gazette-previous'))).toBe(false);
      writeFileSync(path.join(root, 'gazette.config.yml'), 'title: Again\n');
      const third = buildAsNobody(root);
      expect(third.status, third.stderr).toBe(0);
      expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toContain('Again');
    },
    120_000,
  );
});
