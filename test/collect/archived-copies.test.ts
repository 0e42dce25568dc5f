import { fromHtml } from 'hast-util-from-html';
import { describe, expect, it } from 'vitest';
import { ArchivedCopies, linkedToArchivedCopies } from '../../src/collect/archived-copies.ts';
import { collectSite, type Site } from '../../src/collect/site.ts';
import { defaultConfig } from '../../src/config/schema.ts';
import type { Article, LoadedArticle, TransformedBody } from '../../src/model.ts';
import { outboundLinks } from '../../src/transform/outbound-links.ts';
import { loadedArticle } from '../helpers.ts';

function siteOf(articles: [string, Partial<LoadedArticle>, string[]?][]): Site {
  return collectSite(
    articles.map(([file, fields, links]) => {
      const body: TransformedBody = {
        html: '',
        excerpt: '',
        readingMinutes: 1,
        coverInBody: false,
        textLength: 0,
        ...(fields.sourceUrl ? { sourceUrl: fields.sourceUrl } : {}),
        ...(links ? { links } : {}),
      };
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
  ]);

  it('find the archived copy whatever the scheme, trailing slash or tracking parameters', () => {
    const archived = new ArchivedCopies(site);
    const targets = archived.targetsOf(byFile(site, 'today.md'));
    expect([...targets].map(([link, target]) => [link, target.relativePath])).toEqual([
      ['http://news.example.cn/2024/05/01/talks.html?utm_source=rss', 'talks.md'],
      ['https://NEWS.example.cn/2024/04/30/strike/', 'strike.md'],
    ]);
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
    const targets = new Map([['https://news.example.cn/a?x=1&y=2', target]]);
    const html =
      '<p><a href="https://news.example.cn/a?x=1&#x26;y=2#part-2&amp;more" rel="noopener noreferrer nofollow ugc" target="_blank" title="a > b">one</a> ' +
      '<a href="https://news.example.cn/b">two</a> &lt;a href="https://news.example.cn/a?x=1&#x26;y=2"&gt; ' +
      '<img src="https://news.example.cn/a?x=1&#x26;y=2" alt=""></p>';
    expect(linkedToArchivedCopies(html, targets, (article) => `/news${article.path}`)).toBe(
      '<p><a href="/news/2024/05/01/talks/#part-2&amp;more" title="a > b">one</a> ' +
        '<a href="https://news.example.cn/b">two</a> &lt;a href="https://news.example.cn/a?x=1&#x26;y=2"&gt; ' +
        '<img src="https://news.example.cn/a?x=1&#x26;y=2" alt=""></p>',
    );
    // A `$` in the copy's URL is written as it is, not read as a replacement pattern.
    expect(linkedToArchivedCopies(html, targets, () => '/a$&b/')).toContain('href="/a$&b/#part-2');
  });

  it('are found in a body once each, without fragments, only when absolute http(s)', () => {
    const tree = fromHtml(
      '<p><a href="https://a.example/x#one">1</a><a href="https://a.example/x#two">2</a>' +
        '<a href="/local/">3</a><a href="mailto:x@example.org">4</a><a href="HTTP://b.example/">5</a></p>',
      { fragment: true },
    );
    expect(outboundLinks(tree)).toEqual(['https://a.example/x', 'HTTP://b.example/']);
    expect(outboundLinks(fromHtml('<p>none</p>', { fragment: true }))).toBeUndefined();
  });
});
