/**
 * `gazette dev` keeps the redirect pages of articles' old URLs: the first build's stay, an
 * edited alias moves its page, and an article placed at an old URL keeps its page.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { startDev } from '../../src/dev/dev-server.ts';
import { makeDevProject } from './helpers.ts';

async function eventually(check: () => boolean): Promise<boolean> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

const article = (title: string, date: string, front = '') =>
  `---\ntitle: ${title}\ndate: ${date}\n${front}---\n<p>${title} text.</p>\n`;

describe('the dev server and redirect pages', () => {
  it('keeps, moves and gives way to redirect pages as articles change', async () => {
    const root = makeDevProject(
      { 'moved.md': article('Moved story', '2024-05-02', 'aliases: [/2019/old/, /2019/older/]\n') },
      'search:\n  enabled: false\n',
    );
    const built = await build({ root });
    const before = statSync(path.join(built.outDir, '2019/old/index.html')).mtimeMs;
    const dev = await startDev({ root, port: 0, debounceMs: 10 });
    const file = (sitePath: string) => path.join(dev.project.outDir, sitePath);
    try {
      expect(readFileSync(file('2019/old/index.html'), 'utf8')).toContain('url=/2024/05/02/moved/');
      // Left as the build made it, not taken for a page gone and written again.
      expect(statSync(file('2019/old/index.html')).mtimeMs).toBe(before);
      expect(existsSync(file('2019/older/index.html'))).toBe(true);

      writeFileSync(
        path.join(root, 'content', 'moved.md'),
        article('Moved story', '2024-05-02', 'aliases: [/2019/old/, /2020/new-old/]\n'),
      );
      expect(await eventually(() => existsSync(file('2020/new-old/index.html')))).toBe(true);
      expect(await eventually(() => !existsSync(file('2019/older/index.html')))).toBe(true);
      expect(existsSync(file('2019/old/index.html'))).toBe(true);

      // An article whose URL is an old URL: its page, not the redirect.
      writeFileSync(
        path.join(root, 'content', 'old.md'),
        article('Back at the old place', '2024-05-01', 'permalink: /2019/old/\n'),
      );
      expect(
        await eventually(() =>
          readFileSync(file('2019/old/index.html'), 'utf8').includes('Back at the old place text.'),
        ),
      ).toBe(true);
      // And it stays after the next change.
      writeFileSync(
        path.join(root, 'content', 'moved.md'),
        article('Moved story, edited', '2024-05-02', 'aliases: [/2019/old/, /2020/new-old/]\n'),
      );
      expect(
        await eventually(() =>
          readFileSync(file('2024/05/02/moved/index.html'), 'utf8').includes('edited'),
        ),
      ).toBe(true);
      expect(readFileSync(file('2019/old/index.html'), 'utf8')).toContain(
        'Back at the old place text.',
      );

      // Old URLs given in an edit to a site that had none.
      writeFileSync(
        path.join(root, 'content', 'moved.md'),
        article('Moved story, edited', '2024-05-02'),
      );
      expect(await eventually(() => !existsSync(file('2020/new-old/index.html')))).toBe(true);
      writeFileSync(
        path.join(root, 'content', 'moved.md'),
        article('Moved story, edited', '2024-05-02', 'aliases: [/2021/again/]\n'),
      );
      expect(await eventually(() => existsSync(file('2021/again/index.html')))).toBe(true);
    } finally {
      await dev.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
