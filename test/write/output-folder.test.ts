import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
