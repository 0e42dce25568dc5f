/**
 * Media saved beside articles in the content folder (Hugo page bundles, Hexo asset folders,
 * scrapers that download a story's images to beat hot-link protection) are published with
 * the site, and a later build follows images added, replaced and deleted.
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProject, elements, listFiles, makeProject, readPage } from '../helpers.ts';

/** A few bytes that differ per name: what is published must be the very file. */
function picture(name: string): Buffer {
  return Buffer.from(`\xff\xd8\xff picture ${name}`, 'latin1');
}

const CONFIG = 'title: Media\nbaseUrl: https://user.github.io/news/\nsearch:\n  enabled: false\n';

function mediaProject(): string {
  return makeProject(
    {
      'posts/harbour/index.md':
        '---\ntitle: Harbour bundle\ndate: 2022-04-01\ncover: cover.jpg\n---\n' +
        'The harbour at dawn.\n\n![Boats](boats.jpg "Boats") and [full size](boats.jpg).\n\n![Later](later.jpg)\n\n[The port report](report.pdf)\n',
      'posts/harbour/report.pdf': '%PDF-1.4 report',
      'posts/harbour/boats.jpg': picture('boats'),
      'posts/harbour/cover.jpg': picture('cover'),
      'posts/harbour/unused.jpg': picture('unused'),
      'posts/harbour/evil.svg':
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      '_posts/hexo-post.md':
        '---\ntitle: Hexo post\ndate: 2022-04-02\n---\nAn asset: ![A](a%20b.png) and ![Logo](evil.svg)\n',
      '_posts/hexo-post/a b.png': picture('a b'),
      '_posts/hexo-post/evil.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
      '2022/04/story.html':
        '---\ntitle: Scraped story\ndate: Mon, 04 Apr 2022 10:00:00 +0800\nlink: https://news.example.com/2022/04/story.html\n---\n\n' +
        '<p>Story text.</p><p><img src="story_files/001.jpg" referrerpolicy="no-referrer">' +
        '<img src="story_files/002.jpg"><img src="../../../outside.jpg"></p>',
      '2022/04/story_files/001.jpg': picture('001'),
      '2022/04/draft.md':
        '---\ntitle: Draft\ndate: 2022-04-03\ndraft: true\n---\n![Secret](story_files/secret.jpg)\n',
      '2022/04/story_files/secret.jpg': picture('secret'),
    },
    CONFIG,
  );
}

function imageSources(outDir: string, page: string): string[] {
  return elements(readPage(outDir, page), (element) => element.tagName === 'img').map((image) =>
    String(image.properties.src),
  );
}

function published(outDir: string): string[] {
  return listFiles(outDir)
    .filter((file) => file.startsWith('media/'))
    .sort();
}

function snapshot(outDir: string): Map<string, string> {
  return new Map(
    listFiles(outDir)
      .filter((file) => file !== '.gazette-output')
      .map((file) => [file, readFileSync(path.join(outDir, file)).toString('hex')]),
  );
}

describe('media saved beside articles', () => {
  it('publishes the files bodies and covers show, under the base path, and nothing else', async () => {
    const root = mediaProject();
    const result = await buildProject(root);
    expect(result.ok).toBe(true);
    const site = result.outDir;

    expect(published(site)).toEqual([
      'media/content/2022/04/story_files/001.jpg',
      'media/content/_posts/hexo-post/a b.png',
      'media/content/posts/harbour/boats.jpg',
      'media/content/posts/harbour/cover.jpg',
      'media/content/posts/harbour/report.pdf',
    ]);
    for (const file of published(site)) {
      const source = path.join(root, 'content', file.slice('media/content/'.length));
      expect(readFileSync(path.join(site, file))).toEqual(readFileSync(source));
    }

    const bundle = imageSources(site, '2022/04/01/harbour/index.html');
    expect(bundle).toContain('/news/media/content/posts/harbour/cover.jpg');
    expect(bundle).toContain('/news/media/content/posts/harbour/boats.jpg');
    const links = elements(
      readPage(site, '2022/04/01/harbour/index.html'),
      (element) => element.tagName === 'a' && /full size/.test(JSON.stringify(element.children)),
    );
    expect(links.map((link) => link.properties.href)).toEqual([
      '/news/media/content/posts/harbour/boats.jpg',
    ]);

    // Hexo's asset folder; an SVG (scripts) is never published from scraped content.
    expect(imageSources(site, '2022/04/02/hexo-post/index.html')).toEqual([
      '/news/media/content/_posts/hexo-post/a%20b.png',
    ]);

    // The saved copy wins over the hot-link-protected original; what was not saved still
    // comes from the news site; nothing outside the content folder is reached.
    expect(imageSources(site, '2022/04/04/story/index.html')).toEqual([
      '/news/media/content/2022/04/story_files/001.jpg',
      'https://news.example.com/2022/04/story_files/002.jpg',
      'https://news.example.com/outside.jpg',
    ]);
    const feed = readFileSync(path.join(site, 'feed.xml'), 'utf8');
    expect(feed).toContain('https://user.github.io/news/media/content/2022/04/story_files/001.jpg');
  });

  it('follows images added, replaced and deleted, as a cold build would', async () => {
    const root = mediaProject();
    const content = path.join(root, 'content');
    const first = await buildProject(root);
    expect(first.ok).toBe(true);

    // The bundle asked for later.jpg: saved now, only that article is transformed again.
    writeFileSync(path.join(content, 'posts/harbour/later.jpg'), picture('later'));
    const added = await buildProject(root);
    expect(added.cache.articlesTransformed).toBe(1);
    expect(imageSources(added.outDir, '2022/04/01/harbour/index.html')).toContain(
      '/news/media/content/posts/harbour/later.jpg',
    );
    expect(existsSync(path.join(added.outDir, 'media/content/posts/harbour/later.jpg'))).toBe(true);

    // An image unrelated to any article changes nothing.
    writeFileSync(path.join(content, 'posts/harbour/another.jpg'), picture('another'));
    const unrelated = await buildProject(root);
    expect(unrelated.cache.articlesTransformed).toBe(0);

    // Replaced bytes are published again; the pages showing it stay as they were.
    writeFileSync(path.join(content, 'posts/harbour/boats.jpg'), picture('boats, retaken'));
    const replaced = await buildProject(root);
    expect(replaced.cache.articlesTransformed).toBe(0);
    expect(replaced.cache.pagesRendered).toBe(0);
    expect(
      readFileSync(path.join(replaced.outDir, 'media/content/posts/harbour/boats.jpg')),
    ).toEqual(picture('boats, retaken'));

    // Deleted: the scraped story falls back to the news site's copy, the file leaves the site.
    rmSync(path.join(content, '2022/04/story_files/001.jpg'));
    const deleted = await buildProject(root);
    expect(deleted.cache.articlesTransformed).toBe(1);
    expect(imageSources(deleted.outDir, '2022/04/04/story/index.html')[0]).toBe(
      'https://news.example.com/2022/04/story_files/001.jpg',
    );
    expect(existsSync(path.join(deleted.outDir, 'media/content/2022/04/story_files/001.jpg'))).toBe(
      false,
    );

    // Byte for byte what a cold build of the same content makes.
    const incremental = snapshot(deleted.outDir);
    rmSync(path.join(root, '.gazette-cache'), { recursive: true, force: true });
    rmSync(deleted.outDir, { recursive: true, force: true });
    const cold = await buildProject(root);
    expect(cold.cache.articlesReused).toBe(0);
    expect(snapshot(cold.outDir)).toEqual(incremental);
  });

  it('follows links only to pictures of the content folder, never into tooling folders', async () => {
    const root = makeProject(
      {
        'posts/trip/index.md':
          '---\ntitle: Trip\ndate: 2024-01-01\n---\nText.\n\n![x](photo.jpg) ![y](draft.jpg) ![z](real.jpg)\n',
        'posts/trip/real.jpg': picture('real'),
        '.git/config': '[remote "origin"]\n\turl = https://user:SECRET@example.com/a.git\n',
        '.git/logo.jpg': picture('logo'),
        '_drafts/secret.md': '---\ntitle: Secret draft\n---\nUnpublished scoop.\n',
      },
      CONFIG,
    );
    const content = path.join(root, 'content');
    symlinkSync('../../.git/config', path.join(content, 'posts/trip/photo.jpg'));
    symlinkSync('../../_drafts/secret.md', path.join(content, 'posts/trip/draft.jpg'));
    symlinkSync('.git/logo.jpg', path.join(content, 'logo.jpg'));
    symlinkSync('.git/config', path.join(content, 'leak.md'));
    const result = await buildProject(root);
    expect(published(result.outDir)).toEqual(['media/content/posts/trip/real.jpg']);
    expect(imageSources(result.outDir, '2024/01/01/trip/index.html')).toEqual([
      '/news/media/content/posts/trip/real.jpg',
    ]);
    const everything = listFiles(result.outDir)
      .map((file) => readFileSync(path.join(result.outDir, file)).toString('latin1'))
      .join('\n');
    expect(everything).not.toContain('SECRET');
    expect(everything).not.toContain('Unpublished scoop');
  });

  it('shows no file the article did not find itself, whatever URL its body writes', async () => {
    const root = makeProject(
      {
        'pics/s.jpg': picture('s'),
        'a.html':
          '---\ntitle: A\ndate: 2024-01-01\nsource: https://news.example.com/2024/a.html\n---\n' +
          '<p>Body text.</p><img src="/media/content/pics/s.jpg">',
      },
      CONFIG,
    );
    const result = await buildProject(root);
    expect(imageSources(result.outDir, '2024/01/01/a/index.html')).toEqual([
      'https://news.example.com/media/content/pics/s.jpg',
    ]);
    expect(published(result.outDir)).toEqual([]);
  });

  it('publishes the picture a cover names only if a page shows it', async () => {
    const root = makeProject(
      {
        'lazy/index.md':
          '---\ntitle: Lazy\ndate: 2024-01-01\ncover: thumb.jpg\nformat: html\n---\n' +
          '<p>Text.</p><p><img src="thumb.jpg" data-original="big.jpg"></p>',
        'lazy/thumb.jpg': picture('thumb'),
        'lazy/big.jpg': picture('big'),
      },
      CONFIG,
    );
    const result = await buildProject(root);
    expect(imageSources(result.outDir, '2024/01/01/lazy/index.html')).toContain(
      '/news/media/content/lazy/big.jpg',
    );
    expect(published(result.outDir)).toEqual(['media/content/lazy/big.jpg']);
  });

  it('copies a picture rewritten within its timestamp’s tick again', async () => {
    const root = makeProject(
      { 'trip/index.md': '---\ntitle: Trip\ndate: 2024-01-01\n---\n![x](p.jpg)\n' },
      CONFIG,
    );
    const file = path.join(root, 'content', 'trip/p.jpg');
    // One whole second, set again after the rewrite: size, time and inode all the same.
    const tick = new Date(Math.floor(Date.now() / 1000) * 1000);
    writeFileSync(file, 'AAAAAAAA');
    utimesSync(file, tick, tick);
    const first = await buildProject(root);
    writeFileSync(file, 'BBBBBBBB');
    utimesSync(file, tick, tick);
    const second = await buildProject(root);
    expect(first.ok && second.ok).toBe(true);
    expect(readFileSync(path.join(second.outDir, 'media/content/trip/p.jpg'), 'utf8')).toBe(
      'BBBBBBBB',
    );
  });

  it('shows the first picture saved into a content folder that had none', async () => {
    const root = makeProject(
      {
        'posts/trip/index.md':
          '---\ntitle: Trip\ndate: 2024-01-01\n---\nText.\n\n![map](/posts/trip/map.png) ![photo](photo.jpg)\n',
      },
      CONFIG,
    );
    const first = await buildProject(root);
    expect(published(first.outDir)).toEqual([]);
    writeFileSync(path.join(root, 'content/posts/trip/map.png'), picture('map'));
    writeFileSync(path.join(root, 'content/posts/trip/photo.jpg'), picture('photo'));
    const second = await buildProject(root);
    expect(published(second.outDir)).toEqual([
      'media/content/posts/trip/map.png',
      'media/content/posts/trip/photo.jpg',
    ]);
    expect(imageSources(second.outDir, '2024/01/01/trip/index.html')).toEqual([
      '/news/media/content/posts/trip/map.png',
      '/news/media/content/posts/trip/photo.jpg',
    ]);
  });

  it('publishes no source through a public folder that leads into the content folder', async () => {
    const draft = '---\ntitle: Secret draft\ndraft: true\n---\nUnpublished scoop.\n';
    // public/ itself a link to the content folder: refused like the folder itself.
    const linked = makeProject({ 'd.md': draft }, CONFIG);
    symlinkSync('content', path.join(linked, 'public'));
    await expect(buildProject(linked)).rejects.toThrow(/is or holds the content folder/);
    // A link inside public/ into it: not published, with a warning.
    const inside = makeProject(
      { 'd.md': draft, 'a.md': '---\ntitle: A\ndate: 2024-01-01\n---\nA.\n' },
      CONFIG,
    );
    mkdirSync(path.join(inside, 'public'));
    symlinkSync('../content', path.join(inside, 'public', 'archive'));
    const result = await buildProject(inside);
    expect(existsSync(path.join(result.outDir, 'archive/d.md'))).toBe(false);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ message: expect.stringMatching(/leads into the content folder/) }),
    );
  });
});
