import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { withLazyHtml } from '../../src/cache/lazy-html.ts';
import { collectedArticle } from '../../src/collect/article.ts';
import type { TransformedBody } from '../../src/model.ts';
import { loadedArticle } from '../helpers.ts';

const body: TransformedBody = {
  html: '<p>Body</p>',
  excerpt: 'Body',
  readingMinutes: 1,
  coverInBody: false,
  textLength: 4,
};

describe('collected articles', () => {
  it('carry the loaded fields, the transformed body and their URL', () => {
    const loaded = loadedArticle('a.md', { title: 'A', sourceUrl: 'https://example.org/raw' });
    const article = collectedArticle(
      loaded,
      { ...body, cover: { src: '/c.png' }, sourceUrl: 'https://example.org/a' },
      'id1',
      '/a/',
    );
    expect(article).toMatchObject({ title: 'A', id: 'id1', path: '/a/', excerpt: 'Body' });
    // The transformed cover and source URL, not the raw front-matter ones.
    expect(article.cover).toEqual({ src: '/c.png' });
    expect(article.sourceUrl).toBe('https://example.org/a');
    expect(article.html).toBe('<p>Body</p>');
    expect('body' in article).toBe(false);
  });

  it('read a body from the pack when a page asks, each time', () => {
    let reads = 0;
    const { html: _html, ...fields } = body;
    const lazy = withLazyHtml(fields, () => {
      reads++;
      return '<p>From the pack</p>';
    });
    const article = collectedArticle(loadedArticle('a.md'), lazy, 'id1', '/a/');
    expect(reads).toBe(0);
    expect(article.html).toBe('<p>From the pack</p>');
    expect(article.html).toBe('<p>From the pack</p>');
    expect(reads).toBe(2);
    // The dev server keeps a body it read; image mirroring replaces it.
    article.html = '<p>Kept</p>';
    expect(article.html).toBe('<p>Kept</p>');
    expect(reads).toBe(2);
  });

  it('keep fast properties and share one shape, whatever optional fields they have', () => {
    // V8's own view of the objects: an article turned into a hash table is slower to read and
    // twice the size (the reason articles are made by a constructor, not Object.assign).
    setFlagsFromString('--allow-natives-syntax');
    const hasFastProperties = new Function('object', 'return %HasFastProperties(object)') as (
      object: object,
    ) => boolean;
    const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (
      a: object,
      b: object,
    ) => boolean;
    setFlagsFromString('--no-allow-natives-syntax');
    const plain = collectedArticle(loadedArticle('a.md'), body, 'id1', '/a/');
    const full = collectedArticle(
      loadedArticle('b.md', {
        updated: new Date(),
        description: 'D',
        permalink: 'b/',
        lang: 'en',
      }),
      { ...body, cover: { src: '/c.png' }, language: 'ja' },
      'id2',
      '/b/',
    );
    expect(hasFastProperties(plain)).toBe(true);
    expect(hasFastProperties(full)).toBe(true);
    expect(haveSameMap(plain, full)).toBe(true);
  });
});
