import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { isMediaName } from '../../src/load/discover.ts';
import {
  articleFolders,
  articleMadeOf,
  contentFileLookup,
  contentFileUse,
  publishedContentFile,
  stillResolves,
} from '../../src/transform/content-files.ts';
import { createBodyTransformer } from '../../src/transform/index.ts';
import { htmlArticle } from './corpus-article.ts';

describe('articleFolders', () => {
  it('looks in Hexo’s asset folder named after the file, then the article’s folder', () => {
    expect(articleFolders('_posts/hello.md')).toEqual(['_posts/hello', '_posts']);
    expect(articleFolders('hello.md')).toEqual(['hello', '']);
  });

  it('looks in a page bundle’s own folder only', () => {
    expect(articleFolders('posts/trip/index.md')).toEqual(['posts/trip']);
    expect(articleFolders('index.html')).toEqual(['']);
  });
});

describe('publishedContentFile', () => {
  const files = new Set([
    'posts/trip/photo.jpg',
    'posts/trip/a b.png',
    'posts/shared/map.png',
    '_posts/hello/one.webp',
    '_posts/one.webp',
  ]);

  it('finds relative URLs from the article’s folder, published encoded under /media/content/', () => {
    const lookup = contentFileLookup('posts/trip/index.md', files);
    expect(publishedContentFile('photo.jpg', lookup)).toBe('/media/content/posts/trip/photo.jpg');
    expect(publishedContentFile('./photo.jpg?w=300#x', lookup)).toBe(
      '/media/content/posts/trip/photo.jpg',
    );
    expect(publishedContentFile('a%20b.png', lookup)).toBe('/media/content/posts/trip/a%20b.png');
    expect(publishedContentFile('a b.png', lookup)).toBe('/media/content/posts/trip/a%20b.png');
    expect(publishedContentFile('../shared/map.png', lookup)).toBe(
      '/media/content/posts/shared/map.png',
    );
    expect(publishedContentFile('.\\photo.jpg', lookup)).toBe(
      '/media/content/posts/trip/photo.jpg',
    );
    expect([...lookup.found].sort()).toEqual([
      'posts/shared/map.png',
      'posts/trip/a b.png',
      'posts/trip/photo.jpg',
    ]);
  });

  it('prefers Hexo’s asset folder to the article’s folder', () => {
    const lookup = contentFileLookup('_posts/hello.md', files);
    expect(publishedContentFile('one.webp', lookup)).toBe('/media/content/_posts/hello/one.webp');
    const other = contentFileLookup('_posts/other.md', files);
    expect(publishedContentFile('one.webp', other)).toBe('/media/content/_posts/one.webp');
    // Looked for in the asset folder first: an image saved there later changes the article.
    expect([...other.missing]).toEqual(['_posts/other/one.webp']);
  });

  it('leaves absolute, root-relative, protocol-relative and scheme URLs alone', () => {
    const lookup = contentFileLookup('posts/trip/index.md', files);
    for (const url of [
      'https://example.com/photo.jpg',
      '//example.com/photo.jpg',
      '/posts/trip/photo.jpg',
      'data:image/png;base64,AAAA',
      'javascript:photo.jpg',
    ]) {
      expect(publishedContentFile(url, lookup)).toBeUndefined();
    }
    expect(lookup.found.size + lookup.missing.size).toBe(0);
  });

  it('finds root-relative URLs from the content root only when told (no source URL)', () => {
    const bundle = new Set(['posts/trip/map.png']);
    const hugo = contentFileLookup('posts/trip/index.md', bundle, true);
    expect(publishedContentFile('/posts/trip/map.png', hugo)).toBe(
      '/media/content/posts/trip/map.png',
    );
    expect(publishedContentFile('/posts/trip/later.png', hugo)).toBeUndefined();
    expect([...hugo.missing]).toEqual(['posts/trip/later.png']);
    expect(publishedContentFile('/../../etc/x.png', hugo)).toBeUndefined();
    const scraped = contentFileLookup('posts/trip/index.md', bundle);
    expect(publishedContentFile('/posts/trip/map.png', scraped)).toBeUndefined();
    expect(scraped.missing.size).toBe(0);
  });

  it('never reaches outside the content folder', () => {
    const lookup = contentFileLookup('posts/trip/index.md', new Set(['../secret.jpg', 'x.jpg']));
    expect(publishedContentFile('../../../secret.jpg', lookup)).toBeUndefined();
    expect(publishedContentFile('../../x.jpg', lookup)).toBe('/media/content/x.jpg');
    expect(publishedContentFile('%2e%2e/%2e%2e/%2e%2e/secret.jpg', lookup)).toBeUndefined();
  });

  it('records missing media names only (a script URL will never be a saved file)', () => {
    const lookup = contentFileLookup('posts/trip/index.md', files);
    expect(publishedContentFile('later.jpg', lookup)).toBeUndefined();
    expect(publishedContentFile('image.php?id=3', lookup)).toBeUndefined();
    expect([...lookup.missing]).toEqual(['posts/trip/later.jpg']);
  });
});

describe('stillResolves and articleMadeOf', () => {
  it('tells a body to be transformed again when a file it showed goes or one it wanted comes', () => {
    const use = { contentFiles: ['a/x.jpg'], missingContentFiles: ['a/y.jpg'] };
    expect(stillResolves(use, new Set(['a/x.jpg']))).toBe(true);
    expect(stillResolves(use, new Set([]))).toBe(false);
    expect(stillResolves(use, new Set(['a/x.jpg', 'a/y.jpg']))).toBe(false);
    expect(stillResolves({}, new Set(['a/y.jpg']))).toBe(true);
    // Found and dropped since (a placeholder): its going still changes the resolution.
    const dropped = { foundContentFiles: ['a/lazy.jpg'] };
    expect(stillResolves(dropped, new Set(['a/lazy.jpg']))).toBe(true);
    expect(stillResolves(dropped, new Set())).toBe(false);
  });

  it('is the file hash alone without media, and changes with the media shown', () => {
    expect(articleMadeOf('abc', {})).toBe('abc');
    expect(articleMadeOf('abc', { contentFiles: [] })).toBe('abc');
    expect(articleMadeOf('abc', { contentFiles: ['x.jpg'] })).not.toBe('abc');
    expect(articleMadeOf('abc', { contentFiles: ['x.jpg'] })).not.toBe(
      articleMadeOf('abc', { contentFiles: ['x.jpg', 'y.jpg'] }),
    );
    // What the lookups found decides, shown or not.
    expect(articleMadeOf('abc', { foundContentFiles: ['x.jpg'] })).toBe(
      articleMadeOf('abc', { contentFiles: ['x.jpg'] }),
    );
  });

  it('records nothing for an article without lookups', () => {
    const empty = { type: 'root' as const, children: [] };
    expect(contentFileUse(undefined, empty, undefined)).toEqual({});
    expect(contentFileUse(contentFileLookup('a.md', new Set()), empty, undefined)).toEqual({});
  });
});

describe('isMediaName', () => {
  it('takes pictures, video and sound, not SVG (scripts) or pages', () => {
    expect(isMediaName('a/B.JPG')).toBe(true);
    expect(isMediaName('clip.webm')).toBe(true);
    expect(isMediaName('talk.mp3')).toBe(true);
    expect(isMediaName('en.vtt')).toBe(true);
    expect(isMediaName('annual-report.PDF')).toBe(true);
    expect(isMediaName('page.htm')).toBe(false);
    expect(isMediaName('logo.svg')).toBe(false);
    expect(isMediaName('page.html')).toBe(false);
    expect(isMediaName('.jpg')).toBe(false);
  });
});

describe('the body transformer with media beside the article', () => {
  const contentFiles = new Set([
    '2022/04/story/001.jpg',
    '2022/04/story/002.jpg',
    '2022/04/story/cover.jpg',
  ]);
  const transform = createBodyTransformer(defaultConfig(), { contentFiles, siteFiles: new Set() });

  it('shows the saved copy, not the hot-link-protected original, and links to it', () => {
    const { body, diagnostics } = transform(
      htmlArticle(
        '<p><a href="story/001.jpg"><img src="story/001.jpg" srcset="story/002.jpg 2x"></a>' +
          '<img src="story/003.jpg"></p>',
        {
          relativePath: '2022/04/story.md',
          sourceUrl: 'https://news.example.com/2022/04/story.html',
          cover: 'story/cover.jpg',
        },
      ),
    );
    expect(body.html).toContain('href="/media/content/2022/04/story/001.jpg"');
    expect(body.html).toContain('src="/media/content/2022/04/story/001.jpg"');
    expect(body.html).toContain('srcset="/media/content/2022/04/story/002.jpg 2x"');
    // Not saved: the news site's copy, as before.
    expect(body.html).toContain('src="https://news.example.com/2022/04/story/003.jpg"');
    expect(body.cover?.src).toBe('/media/content/2022/04/story/cover.jpg');
    expect(body.contentFiles).toEqual([
      '2022/04/story/001.jpg',
      '2022/04/story/002.jpg',
      '2022/04/story/cover.jpg',
    ]);
    // Each looked for in Hexo's asset folder (`story/story/…`) first: one saved there later wins.
    expect(body.missingContentFiles).toEqual([
      '2022/04/story/003.jpg',
      '2022/04/story/story/001.jpg',
      '2022/04/story/story/002.jpg',
      '2022/04/story/story/003.jpg',
      '2022/04/story/story/cover.jpg',
    ]);
    expect(diagnostics).toEqual([]);
  });

  it('shows a video and its subtitles saved beside it, and resolves remote tracks', () => {
    const transform = createBodyTransformer(defaultConfig(), {
      siteFiles: new Set(),
      contentFiles: new Set(['talk/clip.mp4', 'talk/en.vtt', 'talk/poster.jpg']),
    });
    const { body } = transform(
      htmlArticle(
        '<p>Talk.</p><video src="clip.mp4" poster="poster.jpg"><track src="en.vtt" kind="subtitles" srclang="en"><track src="fr.vtt" srclang="fr"></video>',
        { relativePath: 'talk/index.md', sourceUrl: 'https://news.example.com/talk/' },
      ),
    );
    expect(body.html).toContain('src="/media/content/talk/clip.mp4"');
    expect(body.html).toContain('poster="/media/content/talk/poster.jpg"');
    expect(body.html).toContain('<track src="/media/content/talk/en.vtt"');
    expect(body.html).toContain('<track src="https://news.example.com/talk/fr.vtt"');
    // Subtitles nothing resolves are dropped, not left as an empty track.
    const { body: without } = transform(
      htmlArticle(
        '<p>Talk.</p><video src="clip.mp4"><track src="gone.vtt" kind="captions"></video>',
        {
          relativePath: 'talk/index.md',
        },
      ),
    );
    expect(without.html).not.toContain('<track');
    expect(body.contentFiles).toEqual(['talk/clip.mp4', 'talk/en.vtt', 'talk/poster.jpg']);
  });

  it('takes the first saved body image for the cover', () => {
    const { body } = transform(
      htmlArticle('![Harbour](001.jpg)\n\nText.\n', {
        format: 'markdown',
        relativePath: '2022/04/story/index.md',
      }),
    );
    expect(body.html).toContain('<img src="/media/content/2022/04/story/001.jpg" alt="Harbour">');
    expect(body.cover?.src).toBe('/media/content/2022/04/story/001.jpg');
    expect(body.coverInBody).toBe(true);
  });

  it('still drops a relative image found nowhere when the article has no source URL', () => {
    const { body, diagnostics } = transform(
      htmlArticle('<p><img src="gone.jpg"></p>', { relativePath: '2022/04/story/index.md' }),
    );
    expect(body.html).not.toContain('<img');
    expect(diagnostics.map((d) => d.message).join('\n')).toMatch(/beside the article; dropped/);
    expect(body.missingContentFiles).toEqual(['2022/04/story/gone.jpg']);
  });
});
