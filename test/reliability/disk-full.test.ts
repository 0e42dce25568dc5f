import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { repoRoot } from '../helpers.ts';

/** A 1 MB file system, mounted for the test (root only; skipped elsewhere). */
function mountTinyDisk(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const mountPoint = mkdtempSync(path.join(os.tmpdir(), 'gazette-tiny-'));
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint]);
  return result.status === 0 ? mountPoint : undefined;
}

const disk = mountTinyDisk();

function article(index: number, size: number): string {
  const paragraph = `<p>${'新闻正文内容。'.repeat(Math.ceil(size / 21))}</p>`;
  return `---\ntitle: Story ${index}\ndate: 2024-01-${String((index % 28) + 1).padStart(2, '0')} 10:00\ncategories: [News]\n---\n${paragraph}\n`;
}

describe.skipIf(!disk)('a full disk', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gazette-disk-'));
  const outDir = path.join(disk ?? '/nonexistent', 'site');

  beforeAll(() => {
    mkdirSync(path.join(root, 'content'));
    writeFileSync(path.join(root, 'content', 'first.md'), article(0, 200));
  });

  afterAll(() => {
    if (disk) execFileSync('umount', [disk]);
  });

  it('gives one clear error, keeps the previous site and leaves no half-written one', async () => {
    const overrides = { outDir, cacheDir: path.join(root, '.cache'), search: { enabled: false } };
    const first = await build({ root, overrides });
    expect(first.ok).toBe(true);
    const before = readFileSync(path.join(outDir, 'index.html'), 'utf8');

    for (let index = 1; index <= 40; index++) {
      writeFileSync(path.join(root, 'content', `story-${index}.md`), article(index, 40_000));
    }
    await expect(build({ root, overrides })).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(readFileSync(path.join(outDir, 'index.html'), 'utf8')).toBe(before);
    expect(readdirSync(path.dirname(outDir)).filter((name) => name.includes('staging'))).toEqual(
      [],
    );
    // The same when the render helper thread writes new pages (a site made afresh: every
    // page is new), whichever thread finds the disk full first.
    const fresh = path.join(path.dirname(outDir), 'fresh');
    await expect(
      build({ root, overrides: { ...overrides, outDir: fresh }, renderHelper: 'always' }),
    ).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(existsSync(fresh)).toBe(false);
    expect(readdirSync(path.dirname(outDir)).filter((name) => name.includes('staging'))).toEqual(
      [],
    );

    const cli = spawnSync(
      process.execPath,
      [
        path.join(repoRoot, 'bin/gazette.js'),
        'build',
        '--root',
        root,
        '--out',
        outDir,
        '--no-search',
        '--quiet',
      ],
      { encoding: 'utf8' },
    );
    expect(cli.status).toBe(1);
    expect(
      cli.stderr
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('gazette:')),
    ).toEqual([
      expect.stringMatching(/no space left on the device \(ENOSPC\); nothing was replaced/),
    ]);
    expect(existsSync(path.join(outDir, 'index.html'))).toBe(true);
  });
});
