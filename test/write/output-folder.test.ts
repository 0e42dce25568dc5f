import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { buildProject, makeProject } from '../helpers.ts';

describe('the output folder', () => {
  it('refuses an output folder inside the content or public folder, which the next build would read', async () => {
    const root = makeProject({
      'a.md': '---\ntitle: A\ndate: 2021-05-01\n---\n<p>a</p>\n',
    });
    for (const outDir of [path.join(root, 'content'), path.join(root, 'content', 'site')])
      await expect(buildProject(root, { overrides: { outDir } })).rejects.toThrow(
        /inside the content folder|would contain or replace/,
      );
    await expect(
      buildProject(root, { overrides: { outDir: path.join(root, 'public', 'site') } }),
    ).rejects.toThrow(/inside the public folder/);
    // Beside them, as by default, it is fine.
    expect((await buildProject(root)).report.built).toBe(1);
  });

  it('refuses an output folder inside content reached through a symbolic link', async () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'gazette-linked-'));
    try {
      mkdirSync(path.join(data, 'archive'));
      writeFileSync(
        path.join(data, 'archive', 'a.md'),
        '---\ntitle: A\ndate: 2021-05-01\n---\n<p>a</p>\n',
      );
      mkdirSync(path.join(data, 'project'));
      symlinkSync(path.join(data, 'archive'), path.join(data, 'project', 'content'));
      await expect(
        build({
          root: path.join(data, 'project'),
          overrides: { outDir: path.join(data, 'archive', 'site') },
        }),
      ).rejects.toThrow(/inside the content folder/);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('builds into the folder a symbolic link names, and keeps the link', async () => {
    const root = makeProject({ 'a.md': '---\ntitle: A\ndate: 2021-05-01\n---\n<p>a</p>\n' });
    const www = mkdtempSync(path.join(os.tmpdir(), 'gazette-www-'));
    try {
      symlinkSync(www, path.join(root, 'site'));
      for (let run = 0; run < 2; run++) {
        expect((await buildProject(root, { overrides: { title: `Run ${run}` } })).ok).toBe(true);
        expect(lstatSync(path.join(root, 'site')).isSymbolicLink()).toBe(true);
        expect(readFileSync(path.join(www, 'index.html'), 'utf8')).toContain(`Run ${run}`);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(www, { recursive: true, force: true });
    }
  });
});
