import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDocument } from '../../src/check/feeds.ts';
import { childElements, parseXml, textOf } from '../../src/check/xml.ts';
import { UrlBuilder } from '../../src/collect/urls.ts';
import {
  renderHeaders,
  renderRobots,
  renderSitemaps,
  sitemapExtension,
} from '../../src/feeds/sitemap.ts';
import type { Diagnostic } from '../../src/model.ts';
import { contentSecurityPolicy } from '../../src/render/csp.ts';
import type { PageSpec } from '../../src/render/pages.ts';
import { buildProject, listFiles, makeProject } from '../helpers.ts';
import { extensionContext, sampleSite } from './fixture.ts';

const urls = new UrlBuilder('https://example.org/news/');
const entries = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    sitePath: `/a/${i}/`,
    lastmod: new Date(Date.UTC(2022, 0, 1 + i)),
  }));

describe('sitemap', () => {
  it('is one urlset up to the limit', () => {
    const files = renderSitemaps(entries(3), { maxUrls: 3, urls, timezone: 'UTC' });
    expect(files.map((file) => file.sitePath)).toEqual(['/sitemap.xml']);
    const root = parseXml(files[0]!.content);
    expect(root.local).toBe('urlset');
    expect(childElements(root, 'url')).toHaveLength(3);
    expect(checkDocument(files[0]!.content).problems).toEqual([]);
  });

  it('splits into a sitemap index past the limit', () => {
    const files = renderSitemaps(entries(7), { maxUrls: 3, urls, timezone: 'UTC' });
    expect(files.map((file) => file.sitePath)).toEqual([
      '/sitemap.xml',
      '/sitemap-1.xml',
      '/sitemap-2.xml',
      '/sitemap-3.xml',
    ]);
    const index = parseXml(files[0]!.content);
    expect(index.local).toBe('sitemapindex');
    expect(
      childElements(index, 'sitemap').map((entry) => textOf(childElements(entry, 'loc')[0]!)),
    ).toEqual([
      'https://example.org/news/sitemap-1.xml',
      'https://example.org/news/sitemap-2.xml',
      'https://example.org/news/sitemap-3.xml',
    ]);
    // The index's lastmod is the newest of its file's entries.
    expect(textOf(childElements(childElements(index, 'sitemap')[2]!, 'lastmod')[0]!)).toBe(
      '2022-01-07T00:00:00Z',
    );
    const counts = files
      .slice(1)
      .map((file) => childElements(parseXml(file.content), 'url').length);
    expect(counts).toEqual([3, 3, 1]);
    for (const file of files)
      expect(checkDocument(file.content).problems, file.sitePath).toEqual([]);
  });

  it('percent-encodes Chinese paths and escapes &', () => {
    const [file] = renderSitemaps([{ sitePath: '/2022/乌方&中国/' }], {
      maxUrls: 10,
      urls,
      timezone: 'UTC',
    });
    expect(file!.content).toContain(
      '<loc>https://example.org/news/2022/%E4%B9%8C%E6%96%B9%26%E4%B8%AD%E5%9B%BD/</loc>',
    );
  });

  it('lists rendered pages but not noindex ones, search or 404, with lastmod from articles', async () => {
    const { site, config } = sampleSite(
      [
        { title: 'A', date: '2022-04-04T00:00:00Z', updated: '2022-05-01T00:00:00Z', tags: ['t'] },
        { title: 'B', date: '2022-04-03T00:00:00Z', tags: ['t'] },
        // Its page failed to render: it is not listed.
        { title: 'C', date: '2022-04-02T00:00:00Z' },
      ],
      { baseUrl: 'https://example.org/', sitemap: { maxUrls: 2 } },
    );
    const context = extensionContext(site, config);
    const extension = sitemapExtension();
    const spec = (kind: PageSpec['kind'], sitePath: string, extra: Partial<PageSpec> = {}) =>
      ({
        kind,
        sitePath,
        template: '',
        page: { title: '' },
        variables: () => ({}),
        ...extra,
      }) as PageSpec;
    const pages = [
      spec('article', site.articles[0]!.path, { article: site.articles[0]! }),
      spec('article', site.articles[1]!.path, { article: site.articles[1]! }),
      spec('home', '/'),
      spec('tag', site.tags[0]!.path),
      spec('archive', '/archives/2022/', { page: { title: '', noindex: true } }),
      spec('search', '/search/'),
      spec('404', '/404.html'),
    ];
    for (const page of pages) await extension.pageRendered!(page, () => '', context, false);
    const diagnostics = (await extension.finish!(context)) as Diagnostic[];
    expect(diagnostics).toEqual([]);
    const output = context.output;
    // 4 listed pages, 2 per file: an index and two files.
    expect(parseXml(output.text('/sitemap.xml')).local).toBe('sitemapindex');
    const listed = ['/sitemap-1.xml', '/sitemap-2.xml'].flatMap((path) =>
      childElements(parseXml(output.text(path)), 'url').map((url) => ({
        loc: textOf(childElements(url, 'loc')[0]!),
        lastmod: childElements(url, 'lastmod')[0]
          ? textOf(childElements(url, 'lastmod')[0]!)
          : undefined,
      })),
    );
    // Articles oldest first, so that a new one leaves the earlier files as they were.
    expect(listed.map((entry) => entry.loc)).toEqual([
      `https://example.org${site.articles[1]!.path}`,
      `https://example.org${site.articles[0]!.path}`,
      'https://example.org/',
      'https://example.org/tags/t/',
    ]);
    expect(listed[1]!.lastmod).toBe('2022-05-01T08:00:00+08:00');
    expect(listed[2]!.lastmod).toBe('2022-05-01T08:00:00+08:00');
    expect(output.text('/robots.txt')).toContain('Sitemap: https://example.org/sitemap.xml');
  });

  it('warns when the base URL is a path, and robots.txt then names no sitemap', async () => {
    const { site, config } = sampleSite([{ title: 'A', date: '2022-04-04' }], {
      baseUrl: '/news/',
    });
    const context = extensionContext(site, config);
    const diagnostics = (await sitemapExtension().finish!(context)) as Diagnostic[];
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.message).toContain('baseUrl');
    expect(context.output.text('/robots.txt')).not.toContain('Sitemap:');
    expect(context.output.text('/robots.txt')).toContain('Disallow: /news/pagefind/');
  });

  it('keeps a hand-written robots.txt', async () => {
    const { site, config } = sampleSite([{ title: 'A', date: '2022-04-04' }], {
      baseUrl: 'https://example.org/',
    });
    const context = extensionContext(site, config);
    context.output.write('/robots.txt', 'User-agent: *\nDisallow: /\n');
    await sitemapExtension().finish!(context);
    expect(context.output.text('/robots.txt')).toBe('User-agent: *\nDisallow: /\n');
  });
});

describe('robots.txt and _headers', () => {
  it('robots.txt points at the sitemap under the base URL', () => {
    expect(renderRobots(urls)).toBe(
      'User-agent: *\nDisallow: /news/pagefind/\nDisallow: /news/pagefind-recent/\nAllow: /\n\nSitemap: https://example.org/news/sitemap.xml\n',
    );
  });

  it('_headers carries the same Content-Security-Policy as the pages, and hardening', () => {
    const { config } = sampleSite([]);
    const headers = renderHeaders(config);
    expect(headers.startsWith('/*\n')).toBe(true);
    expect(headers).toContain(
      `  Content-Security-Policy: ${contentSecurityPolicy(config)}; frame-ancestors 'none'\n`,
    );
    expect(headers).toContain('  X-Content-Type-Options: nosniff\n');
    expect(headers).toContain('  Referrer-Policy: no-referrer\n');
    // Netlify's format: a path line, then indented "Name: value" lines.
    for (const line of headers.trimEnd().split('\n').slice(1))
      expect(line).toMatch(/^ {2}[A-Za-z-]+: \S/);
  });
});

describe('sitemap files of a growing archive', () => {
  const article = (title: string, date: string) =>
    `---\ntitle: ${title}\ndate: ${date}\ncategories: [Economy]\n---\n\n<p>${title}.</p>\n`;
  const root = makeProject(
    Object.fromEntries(
      Array.from({ length: 7 }, (_, day) => [
        `a${day}.md`,
        article(`Harbour report ${day + 1}`, `2024-03-0${day + 1} 09:00`),
      ]),
    ),
    'title: Sitemaps\nbaseUrl: https://example.org/\nsitemap:\n  maxUrls: 3\nsearch:\n  enabled: false\n',
  );
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const stamps = () =>
    Object.fromEntries(
      listFiles(path.join(root, 'site'))
        .filter((file) => /^sitemap-\d+\.xml$/.test(file))
        .map((file) => {
          const stats = statSync(path.join(root, 'site', file));
          return [file, `${stats.ino}:${stats.mtimeMs}`];
        }),
    );

  it("changes only the articles' last file and the index pages' when one is added", async () => {
    expect((await buildProject(root)).ok).toBe(true);
    const before = stamps();
    const text = (file: string) => readFileSync(path.join(root, 'site', file), 'utf8');
    const articlesIn = (file: string) =>
      [...text(file).matchAll(/\/2024\/03\/\d\d\/(a\d)\//g)].map((match) => match[1]);
    // Seven articles, oldest first, three a file; the index pages in files of their own.
    expect(articlesIn('sitemap-1.xml')).toEqual(['a0', 'a1', 'a2']);
    expect(articlesIn('sitemap-3.xml')).toEqual(['a6']);
    expect(articlesIn('sitemap-4.xml')).toEqual([]);
    writeFileSync(
      path.join(root, 'content', 'a7.md'),
      article('Harbour report 8', '2024-03-08 09:00'),
    );
    expect((await buildProject(root)).ok).toBe(true);
    const after = stamps();
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const file of ['sitemap-1.xml', 'sitemap-2.xml'])
      expect(after[file], file).toBe(before[file]);
    expect(articlesIn('sitemap-3.xml')).toEqual(['a6', 'a7']);
    for (const file of Object.keys(after).filter((name) => !/^sitemap-[123]\.xml$/.test(name)))
      expect(articlesIn(file), file).toEqual([]);
    expect(text('sitemap-4.xml')).toContain('<loc>https://example.org/</loc>');
  });
});
