import { describe, expect, it } from 'vitest';
import { collectSite } from '../../src/collect/site.ts';
import { defaultConfig } from '../../src/config/schema.ts';
import type { LoadedArticle } from '../../src/model.ts';
import { loadedArticle, transformedBody } from '../helpers.ts';

function input(relativePath: string, fields: Partial<LoadedArticle> = {}) {
  return { loaded: loadedArticle(relativePath, fields), body: transformedBody() };
}

describe('collectSite', () => {
  it('keeps articles out of the folders index pages live in', () => {
    const site = collectSite(
      [
        input('a.md', { permalink: 'page/2' }),
        input('b.md', { permalink: 'categories/news/' }),
        input('c.md', { permalink: '../../etc/passwd' }),
        input('d.md', { permalink: 'pagefind-2023/index' }),
        input('e.md', { permalink: 'pagefind-2023-04-17/' }),
        input('f.md', { permalink: '_headers' }),
        input('g.md', { permalink: '/about/index.html' }),
        input('h.md', { permalink: '/Archive/Old-Post.html' }),
      ],
      defaultConfig(),
    );
    const paths = site.articles.map((article) => article.path).sort();
    expect(paths).toEqual([
      '/Archive/Old-Post/',
      '/about/',
      '/categories-2/news/',
      '/etc/passwd/',
      '/headers/',
      '/page-2/2/',
      '/pagefind-2023-04-17-2/',
      '/pagefind-2023-2/index/',
    ]);
    expect(site.diagnostics).toHaveLength(4);
  });

  it("moves an article aside from the site owner's public/ pages, whatever their case", () => {
    const site = collectSite(
      [
        input('a.md', { permalink: '/about/' }),
        input('b.md', { permalink: '/VERIFY/index.html' }),
        input('c.md', { permalink: '/notes/' }),
      ],
      defaultConfig(),
      new Set(['/about/index.html', '/verify/index.html', '/notes', '/about/photo.jpg']),
    );
    expect(site.articles.map((article) => article.path).sort()).toEqual([
      '/VERIFY-2/',
      '/about-2/',
      '/notes-2/',
    ]);
    expect(site.diagnostics.map((diagnostic) => diagnostic.message).sort()).toEqual([
      'URL /VERIFY/ is taken by public/verify/index.html; using /VERIFY-2/',
      'URL /about/ is taken by public/about/index.html; using /about-2/',
      'URL /notes/ is taken by public/notes; using /notes-2/',
    ]);
  });

  it("refuses aloud a permalink that leaves nothing but the home page's URL", () => {
    const site = collectSite(
      [
        input('a.md', { permalink: '/' }),
        input('b.md', { permalink: '../..' }),
        input('c.md', { permalink: '/index.html' }),
      ],
      defaultConfig(),
    );
    expect(site.articles.map((article) => article.path).sort()).toEqual([
      '/article-2/',
      '/article-3/',
      '/article/',
    ]);
    expect(site.diagnostics.map((diagnostic) => diagnostic.message)).toEqual([
      expect.stringMatching(/^URL \/ is reserved; using \/article(-\d)?\/$/),
      expect.stringMatching(/^URL \/ is reserved; using \/article(-\d)?\/$/),
      expect.stringMatching(/^URL \/ is reserved; using \/article(-\d)?\/$/),
    ]);
  });

  it('puts :category in URLs as the category pages name it', () => {
    const site = collectSite(
      [
        input('a.md', { slug: 'intro', categories: [['C++']] }),
        input('b.md', { slug: 'intro', categories: [['C#', 'Basics']] }),
        input('c.md', { slug: 'intro', categories: [['News']] }),
        input('d.md', { slug: 'intro', categories: [['news']] }),
      ],
      { ...defaultConfig(), permalink: ':category/:slug/' },
    );
    const categoryPath = (name: string) =>
      site.categories.find((node) => node.name === name)!.path.replace(/^\/categories/, '');
    for (const article of site.articles) {
      const trail = article.categories[0]!;
      const node = site.categories.find(
        (category) => category.trail.join('/') === trail.join('/'),
      )!;
      expect(article.path).toBe(`${node.path.replace(/^\/categories/, '')}intro/`);
    }
    expect(new Set(site.articles.map((article) => article.path)).size).toBe(4);
    expect(categoryPath('C#')).not.toBe(categoryPath('C++'));
    expect(site.diagnostics).toEqual([]);
  });

  it('gives colliding URLs -2, -3 deterministically, the older article keeping the plain one', () => {
    const config = { ...defaultConfig(), permalink: ':slug/' };
    const site = collectSite(
      [
        input('new.md', { slug: 'same', date: new Date('2024-02-01T00:00:00Z') }),
        input('old.md', { slug: 'Same', date: new Date('2024-01-01T00:00:00Z') }),
      ],
      config,
    );
    const byFile = Object.fromEntries(
      site.articles.map((article) => [article.relativePath, article.path]),
    );
    expect(byFile).toEqual({ 'old.md': '/same/', 'new.md': '/same-2/' });
  });

  it('leaves a page file name out of a permalink pattern: slugs index and 404 take no site file', () => {
    for (const permalink of [':slug.html', ':slug/index.html', ':year/:slug.HTM']) {
      const site = collectSite(
        [
          input('home.md', { slug: 'index', date: new Date('2024-01-01T00:00:00Z') }),
          input('missing.md', { slug: '404', date: new Date('2024-01-02T00:00:00Z') }),
          input('plain.md', { slug: 'plain', date: new Date('2024-01-03T00:00:00Z') }),
        ],
        { ...defaultConfig(), permalink },
      );
      const paths = site.articles.map((article) => article.path.replace(/^\/2024/, ''));
      expect(paths).toEqual(['/plain/', '/404/', '/index/']);
      expect(site.diagnostics).toEqual([
        expect.objectContaining({ file: 'config: permalink', severity: 'warning' }),
      ]);
    }
  });

  it('lists an article on every level of its category hierarchy, once', () => {
    const site = collectSite(
      [
        input('a.md', {
          categories: [
            ['新媒体', '观察者网', '头条'],
            ['新媒体', '观察者网', '要闻'],
          ],
        }),
      ],
      defaultConfig(),
    );
    expect(site.categories.map((node) => [node.trail.join('/'), node.articles.length])).toEqual([
      ['新媒体', 1],
      ['新媒体/观察者网', 1],
      ['新媒体/观察者网/头条', 1],
      ['新媒体/观察者网/要闻', 1],
    ]);
  });
});

describe("the site's own pages", () => {
  it('are kept out of the lists, at their own URLs, before any article', () => {
    const site = collectSite(
      [
        input('about.md', { extra: { layout: 'page' }, title: 'About' }),
        input('team/index.md', {
          extra: { type: 'page' },
          title: 'Team',
          date: new Date('2020-01-01'),
        }),
        input('legal.md', { extra: { layout: 'Page' }, permalink: '/imprint/', title: 'Imprint' }),
        input('story.md', { permalink: '/about/', tags: ['news'], categories: [['World']] }),
        input('post.md', { extra: { layout: 'post' } }),
        // A post is a post whatever its layout, as Jekyll and Hexo take it.
        input('_posts/2021-04-18-harbour.md', { extra: { layout: 'page' } }),
        // Two pages wanting one URL: the first by path keeps it, whatever their dates.
        input('team.md', { extra: { layout: 'page' }, date: new Date('2030-01-01') }),
        input('index.md', { extra: { layout: 'page' } }),
      ],
      defaultConfig(),
    );
    expect(site.pages.map((page) => [page.relativePath, page.path])).toEqual([
      ['about.md', '/about/'],
      ['legal.md', '/imprint/'],
      ['index.md', '/index/'],
      ['team/index.md', '/team-2/'],
      ['team.md', '/team/'],
    ]);
    // An article wanting a page's URL moves aside, as from a public/ page.
    expect(site.articles.map((article) => [article.relativePath, article.path]).sort()).toEqual([
      ['_posts/2021-04-18-harbour.md', '/2024/01/01/posts-2021-04-18-harbour/'],
      ['post.md', '/2024/01/01/post/'],
      ['story.md', '/about-2/'],
    ]);
    expect(
      site.tags.flatMap((term) => term.articles.map((article) => article.relativePath)),
    ).toEqual(['story.md']);
  });
});
