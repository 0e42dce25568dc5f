/**
 * The files of a folder as `public/` and the theme list them: symbolic links are followed,
 * without looping, and dangling ones left out.
 */

import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listFiles } from '../src/files.ts';
import { buildProject, makeProject } from './helpers.ts';
import { makeTempFolder } from './temp-folders.ts';

const scratch = makeTempFolder('gazette-files-');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('listFiles', () => {
  it('follows links to files and folders, once per folder, and skips dangling ones', () => {
    const elsewhere = path.join(scratch, 'elsewhere');
    mkdirSync(path.join(elsewhere, 'deep'), { recursive: true });
    writeFileSync(path.join(elsewhere, 'deep', 'shared.css'), 'a{}');
    writeFileSync(path.join(scratch, 'real.txt'), 'real');
    const folder = path.join(scratch, 'public');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'own.txt'), 'own');
    symlinkSync(path.join(scratch, 'real.txt'), path.join(folder, 'alias.txt'));
    symlinkSync(elsewhere, path.join(folder, 'shared'));
    symlinkSync(folder, path.join(folder, 'loop'));
    symlinkSync(path.join(scratch, 'missing.txt'), path.join(folder, 'dangling.txt'));
    // A link to a folder holding this one (the project, `/`) would walk it all again.
    symlinkSync(scratch, path.join(folder, 'project'));
    symlinkSync('/', path.join(folder, 'root'));
    // A built site (the output folder) is never copied into itself.
    mkdirSync(path.join(scratch, 'site'));
    writeFileSync(path.join(scratch, 'site', '.gazette-output'), '{}');
    writeFileSync(path.join(scratch, 'site', 'index.html'), '<p>site</p>');
    symlinkSync(path.join(scratch, 'site'), path.join(folder, 'mirror'));
    expect(listFiles(folder)).toEqual(['alias.txt', 'own.txt', 'shared/deep/shared.css']);
  });

  it('lets a build publish linked public files, but not the site itself', async () => {
    const root = makeProject({ 'a.md': '---\ntitle: A\ndate: 2021-05-01\n---\n<p>a</p>\n' });
    try {
      mkdirSync(path.join(root, 'public'));
      symlinkSync(path.join(scratch, 'real.txt'), path.join(root, 'public', 'alias.txt'));
      symlinkSync(path.join(root, 'site'), path.join(root, 'public', 'mirror'));
      for (let run = 0; run < 2; run++)
        await buildProject(root, { overrides: { search: { enabled: false } } });
      const published = listFiles(path.join(root, 'site'));
      expect(published).toContain('alias.txt');
      expect(published.filter((file) => file.startsWith('mirror/'))).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
