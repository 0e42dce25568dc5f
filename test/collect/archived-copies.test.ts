import { fromHtml } from 'hast-util-from-html';
import { describe, expect, it } from 'vitest';
import { ArchivedCopies, linkedToArchivedCopies } from '../../src/collect/archived-copies.ts';
import { collectSite, type Site } from '../../src/collect/site.ts';
import { defaultConfig } from '../../src/config/schema.ts';
import type { Article, LoadedArticle } from '../../src/model.ts';
import { outboundLinks } from '../../src/transform/outbound-links.ts';
import { normalizeSourceUrl } from '../../src/transform/url.ts';
import { loadedArticle, transformedBody } from '../helpers.ts';

function siteOf(articles: [string, Partial<LoadedArticle>, string[]?][]): Site {
  return collectSite(
    articles.map(([file, fields, links]) => {
      const body = transformedBody({
        ...(fields.sourceUrl
          ? { sourceUrl: fields.sourceUrl, sourceKey: normalizeSourceUrl(fields.sourceUrl)! }
          : {}),
        // As the transform notes them (see outboundLinks).
        ...(links ? { links: links.map((link) => normalizeSourceUrl(link)!) } : {}),
      });
      return { loaded: loadedArticle(file, fields), body };
    }),
    defaultConfig(),
  );
}

const byFile = (site: Site, file: string) =>
  site.articles.find((article) => article.relativePath === file)!;

describe('links to stories the archive holds', () => {
  const site = siteOf([
    [
      'today.md',
      { sourceUrl: 'https://news.example.cn/2024/05/02/port.html' },
      [
        'http://news.example.cn/2024/05/01/talks.html?utm_source=rss',
        'https://NEWS.example.cn/2024/04/30/strike/',
        'https://news.example.cn/2024/05/02/port.html',
        'https://news.example.cn/2024/01/01/not-archived.html',
      ],
    ],
    ['talks.md', { sourceUrl: 'https://news.example.cn/2024/05/01/talks.html' }],
    ['strike.md', { sourceUrl: 'https://news.example.cn/2024/04/30/strike' }],
    ['unsourced.md', {}, ['https://news.example.cn/2024/05/01/talks.html']],
    // A copy of the site's home page is no story: links to the site stay links to it.
    ['home.md', { sourceUrl: 'https://m.example.cn/' }],
    ['routed.md', { sourceUrl: 'https://m.example.cn/#/news/1001' }],
    ['app.md', {}, ['https://m.example.cn/#/news/1001', 'https://m.example.cn/']],
  ]);

  it('find the archived copy whatever the scheme, trailing slash or tracking parameters', () => {
    const archived = new ArchivedCopies(site);
    const targets = archived.targetsOf(byFile(site, 'today.md'));
    expect([...targets].map(([link, target]) => [link, target.relativePath])).toEqual([
      ['news.example.cn/2024/05/01/talks.html', 'talks.md'],
      ['news.example.cn/2024/04/30/strike', 'strike.md'],
    ]);
    // A hash route names the story; the bare site is no story.
    expect(
      [...archived.targetsOf(byFile(site, 'app.md'))].map(([link, target]) => [
        link,
        target.relativePath,
      ]),
    ).toEqual([['m.example.cn#/news/1001', 'routed.md']]);
    // Its own source stays a link to the source.
    expect(archived.keyOf(byFile(site, 'today.md'))).not.toContain('port.html');
    expect(archived.targetsOf(byFile(site, 'talks.md')).size).toBe(0);
    expect(new ArchivedCopies(site, false).targetsOf(byFile(site, 'today.md')).size).toBe(0);
  });

  it('tell which articles link to a story, for rebuilds to key their pages', () => {
    const archived = new ArchivedCopies(site);
    const linkers = (file: string) =>
      [...archived.linkersOf([byFile(site, file)])].map((article) => article.relativePath).sort();
    expect(linkers('talks.md')).toEqual(['today.md', 'unsourced.md']);
    expect(linkers('strike.md')).toEqual(['today.md']);
    expect(linkers('unsourced.md')).toEqual([]);
  });

  it('are taken to the copy in the HTML, fragment kept, rel and target dropped', () => {
    const target = { path: '/2024/05/01/talks/' } as Article;
    const targets = new Map([
      ['news.example.cn/a?x=1&y=2', target],
      ['m.example.cn#/news/1001', target],
    ]);
    const html =
      '<p><a href="https://news.example.cn/a?x=1&#x26;y=2#part-2&amp;more" rel="noopener noreferrer nofollow ugc" target="_blank" title="a > b">one</a> ' +
      '<a href="https://news.example.cn/b">two</a> &lt;a href="https://news.example.cn/a?x=1&#x26;y=2"&gt; ' +
      '<img src="https://news.example.cn/a?x=1&#x26;y=2" alt=""></p>';
    expect(linkedToArchivedCopies(html, targets, (article) => `/news${article.path}`)).toBe(
      '<p><a href="/news/2024/05/01/talks/#part-2&amp;more" title="a > b">one</a> ' +
        '<a href="https://news.example.cn/b">two</a> &lt;a href="https://news.example.cn/a?x=1&#x26;y=2"&gt; ' +
        '<img src="https://news.example.cn/a?x=1&#x26;y=2" alt=""></p>',
    );
    // An attribute's value ending in ` rel=` is a value, not an attribute to drop.
    expect(
      linkedToArchivedCopies(
        '<a title="Follow rel=" href="https://news.example.cn/a?x=1&#x26;y=2" rel="nofollow">x</a>',
        targets,
        (article) => article.path,
      ),
    ).toBe('<a title="Follow rel=" href="/2024/05/01/talks/">x</a>');
    // A route is the story's address, not a place in the copy.
    expect(
      linkedToArchivedCopies(
        '<a href="https://m.example.cn/#/news/1001">x</a>',
        targets,
        (article) => article.path,
      ),
    ).toBe('<a href="/2024/05/01/talks/">x</a>');
    // A `$` in the copy's URL is written as it is, not read as a replacement pattern.
    expect(linkedToArchivedCopies(html, targets, () => '/a$&b/')).toContain('href="/a$&b/#part-2');
  });

  it('are found in a body once each, without fragments, only when absolute http(s)', () => {
    const tree = fromHtml(
      '<p><a href="https://a.example/x#one">1</a><a href="https://a.example/x#two">2</a>' +
        '<a href="/local/">3</a><a href="mailto:x@example.org">4</a><a href="HTTP://b.example/">5</a></p>',
      { fragment: true },
    );
    expect(outboundLinks(tree)).toEqual(['a.example/x', 'b.example']);
    expect(outboundLinks(fromHtml('<p>none</p>', { fragment: true }))).toBeUndefined();
  });
});
