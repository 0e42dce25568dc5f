/**
 * `gazette dev` and media saved beside articles: an image saved after the article shows up,
 * one an edited article starts showing is served, a replaced one is served anew.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDev } from '../../src/dev/dev-server.ts';
import { contentTypeFor } from '../../src/dev/server.ts';
import { MEDIA_EXTENSIONS } from '../../src/load/discover.ts';
import { makeDevProject } from './helpers.ts';

/** Waits until `check` holds (the dev server rebuilds after a short debounce). */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

const article = (image: string) =>
  `---\ntitle: Harbour\ndate: 2024-05-01 10:00\n---\nThe harbour.\n\n![Boats](${image})\n`;

describe('the dev server and media saved beside articles', () => {
  it('serves every kind of media it publishes with its type', () => {
    for (const extension of MEDIA_EXTENSIONS)
      expect(contentTypeFor(`a${extension}`), extension).not.toBe('application/octet-stream');
  });

  it('publishes images saved, shown by an edit, and replaced while it runs', async () => {
    const root = makeDevProject({}, 'baseUrl: /news/\nsearch:\n  enabled: false\n');
    const bundle = path.join(root, 'content', 'harbour');
    mkdirSync(bundle);
    writeFileSync(path.join(bundle, 'index.md'), article('boats.jpg'));
    writeFileSync(path.join(bundle, 'other.jpg'), 'other picture');
    let fullBuilds = 0;
    const dev = await startDev({
      root,
      port: 0,
      extensions: [],
      debounceMs: 10,
      onBuild: () => fullBuilds++,
    });
    try {
      const get = async (pathname: string) => {
        const response = await fetch(new URL(pathname, dev.url));
        return { status: response.status, text: await response.text() };
      };
      const pageShows = async (image: string) =>
        (await get('/news/2024/05/01/harbour/')).text.includes(
          `src="/news/media/content/harbour/${image}"`,
        );
      expect((await get('/news/2024/05/01/harbour/')).status).toBe(200);
      expect(await pageShows('boats.jpg')).toBe(false);

      // Saved after the article (a scraper writes the story, then its pictures).
      writeFileSync(path.join(bundle, 'boats.jpg'), 'boats picture');
      expect(await eventually(() => pageShows('boats.jpg'))).toBe(true);
      expect(await get('/news/media/content/harbour/boats.jpg')).toEqual({
        status: 200,
        text: 'boats picture',
      });

      // An edit that shows another file already there; the one it showed no more goes.
      writeFileSync(path.join(bundle, 'index.md'), article('other.jpg'));
      expect(await eventually(() => pageShows('other.jpg'))).toBe(true);
      expect((await get('/news/media/content/harbour/other.jpg')).text).toBe('other picture');
      expect(
        await eventually(
          async () => (await get('/news/media/content/harbour/boats.jpg')).status === 404,
        ),
      ).toBe(true);

      // A picture no article looked for builds nothing, and is there for the next edit.
      const builds = fullBuilds;
      writeFileSync(path.join(bundle, 'unasked.jpg'), 'unasked picture');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(fullBuilds).toBe(builds);
      writeFileSync(path.join(bundle, 'index.md'), article('unasked.jpg'));
      expect(await eventually(() => pageShows('unasked.jpg'))).toBe(true);
      expect((await get('/news/media/content/harbour/unasked.jpg')).text).toBe('unasked picture');
      writeFileSync(path.join(bundle, 'index.md'), article('other.jpg'));
      expect(await eventually(() => pageShows('other.jpg'))).toBe(true);

      // Replaced bytes are served.
      writeFileSync(path.join(bundle, 'other.jpg'), 'other picture, retaken');
      expect(
        await eventually(
          async () =>
            (await get('/news/media/content/harbour/other.jpg')).text === 'other picture, retaken',
        ),
      ).toBe(true);
    } finally {
      await dev.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
