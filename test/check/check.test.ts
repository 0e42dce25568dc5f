import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDocument } from '../../src/check/feeds.ts';
import { checkSite } from '../../src/check/index.ts';
import { pageReferences } from '../../src/check/links.ts';
import { UrlBuilder } from '../../src/collect/urls.ts';
import { renderAtom, renderJsonFeed, renderRss } from '../../src/feeds/formats.ts';
import { FeedBuilder } from '../../src/feeds/model.ts';
import { renderSitemaps } from '../../src/feeds/sitemap.ts';
import { sampleSite } from '../feeds/fixture.ts';
import { buildProject, makeProject } from '../helpers.ts';

const BASE = 'https://example.org/news/';
let folders: string[] = [];
afterEach(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  folders = [];
});

/** A built site, by hand: file path → content. */
function siteWith(files: Record<string, string>): string {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'gazette-check-'));
  folders.push(outDir);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(outDir, file)), { recursive: true });
    writeFileSync(path.join(outDir, file), content);
  }
  return outDir;
}

const page = (body: string, head = '') =>
  `<!DOCTYPE html><html lang="zh-CN"><head>${head}<link rel="stylesheet" href="/news/assets/site.css"></head><body>${body}</body></html>`;

function goodFiles(): Record<string, string> {
  const { site, config } = sampleSite([{ title: 'A & B', date: '2022-04-04T00:00:00Z' }], {
    baseUrl: BASE,
  });
  const document = new FeedBuilder(config, new UrlBuilder(BASE)).document({
    sitePath: '/',
    articles: site.articles,
  });
  const [sitemap] = renderSitemaps([{ sitePath: '/' }, { sitePath: '/2022/04/04/乌方/' }], {
    maxUrls: 10,
    urls: new UrlBuilder(BASE),
    timezone: 'UTC',
  });
  return {
    'index.html': page(
      '<a href="/news/2022/04/04/%E4%B9%8C%E6%96%B9/">story</a> <a href="https://elsewhere.example/">out</a> <a href="#top">top</a>',
      '<link rel="alternate" type="application/rss+xml" href="/news/feed.xml"><link rel="canonical" href="https://example.org/news/">',
    ),
    '2022/04/04/乌方/index.html': page(
      '<img src="../../../../images/a.png" srcset="/news/images/a.png 1x, /news/images/a.png 2x"><a href="/news/">home</a>',
    ),
    'images/a.png': 'png',
    'assets/site.css': 'body{}',
    'feed.xml': renderRss(document),
    'atom.xml': renderAtom(document),
    'feed.json': renderJsonFeed(document),
    'sitemap.xml': sitemap!.content,
  };
}

describe('gazette check', () => {
  it('passes a site built with a path for baseUrl, saying once per document that it holds paths', async () => {
    const article = (title: string, date: string, tag: string) =>
      `---\ntitle: ${title}\ndate: ${date}\ntags: [${tag}, shared]\nauthor: Ann Lee\n---\n<p>${title}.</p>\n`;
    const root = makeProject(
      {
        'a.md': article('Port reopens', '2024-01-01 10:00', 'ports'),
        'b.md': article('Rail fares rise', '2024-01-02 10:00', 'rail'),
        'c.md': article('Ferry resumes', '2024-01-03 10:00', 'ferries'),
      },
      'baseUrl: /news/\nsearch:\n  enabled: false\n',
    );
    try {
      const { outDir } = await buildProject(root);
      const result = checkSite({ outDir, baseUrl: '/news/' });
      expect(result.ok).toBe(true);
      const relative = result.diagnostics.filter((diagnostic) =>
        /not absolute/.test(diagnostic.message),
      );
      expect(relative.length).toBeGreaterThan(0);
      expect(relative.length).toBeLessThanOrEqual(result.documents);
      expect(new Set(relative.map((diagnostic) => diagnostic.file)).size).toBe(relative.length);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses a folder that is no built site, empty or not', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'gazette-check-empty-'));
    try {
      expect(() => checkSite({ outDir: empty, baseUrl: '/' })).toThrow(/no index\.html/);
      writeFileSync(path.join(empty, 'notes.html'), '<p>not a site</p>');
      expect(() => checkSite({ outDir: empty, baseUrl: '/' })).toThrow(/not a built site/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('passes a sound site', () => {
    const result = checkSite({ outDir: siteWith(goodFiles()), baseUrl: BASE });
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.pages).toBe(2);
    expect(result.documents).toBe(4);
  });

  it('finds broken internal links and images, invalid feeds and an invalid sitemap', () => {
    const files = goodFiles();
    files['index.html'] = page(
      '<a href="/news/missing/">gone</a><img src="/news/images/gone.png"><a href="https://example.org/news/also-gone/">abs</a><a href="//example.org/news/no-scheme/">rel</a><a href="http://example.org/news/plain-http/">http</a>',
    );
    files['2022/04/04/乌方/index.html'] = page(
      '<img src="/news/images/gone.png"><img src="/news/images/gone.png">',
    );
    files['feed.xml'] = files['feed.xml']!.replace(
      '<title>A &amp; B</title>',
      '<title>A & B</title>',
    );
    files['atom.xml'] = files['atom.xml']!.replace(
      /<updated>[^<]*<\/updated>/,
      '<updated>yesterday</updated>',
    );
    files['feed.json'] = '{"version": "https://jsonfeed.org/version/1.1", "items": [{}]}';
    files['sitemap.xml'] = files['sitemap.xml']!.replace(
      'https://example.org/news/</loc>',
      '/news/</loc>',
    )
      .replace('%E4%B9%8C%E6%96%B9', 'nowhere')
      .replace('</urlset>', '<url><loc>https://elsewhere.example/page/</loc></url></urlset>');
    const result = checkSite({ outDir: siteWith(files), baseUrl: BASE });
    const messages = result.diagnostics.map((d) => `${d.severity} ${d.file}: ${d.message}`);
    expect(result.ok).toBe(false);
    expect(messages).toContainEqual(
      expect.stringMatching(/error index\.html: broken link: \/news\/missing\//),
    );
    // The site's own host without a scheme, or by http, is the same site. Named as the page
    // names them, base path included.
    for (const path of ['/news/no-scheme/', '/news/plain-http/'])
      expect(messages).toContainEqual(expect.stringContaining(`broken link: ${path}`));
    // One broken image on two pages is one problem naming both.
    expect(messages.filter((m) => m.includes('/images/gone.png'))).toHaveLength(1);
    const gone = messages.find((m) => m.includes('/images/gone.png'))!;
    expect(gone).toMatch(/broken image: \/news\/images\/gone\.png does not exist; also on /);
    expect(gone).toContain('index.html');
    expect(gone).toContain('2022/04/04/乌方/index.html');
    // Named once however often the page shows it.
    expect(gone.split('乌方').length).toBe(2);
    expect(gone).not.toMatch(/more\)/);
    expect(messages).toContainEqual(expect.stringMatching(/broken link: \/news\/also-gone\//));
    expect(messages).toContainEqual(expect.stringMatching(/feed\.xml: RSS: not well-formed XML/));
    expect(messages).toContainEqual(
      expect.stringMatching(/atom\.xml: Atom: <updated> "yesterday" is not an RFC 3339 date/),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/feed\.json: JSON Feed: "title" is required/),
    );
    expect(messages).toContainEqual(expect.stringMatching(/feed\.json: JSON Feed: items\[0\]\.id/));
    expect(messages).toContainEqual(
      expect.stringMatching(/sitemap\.xml: sitemap: <loc> "\/news\/" is not an absolute/),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        /sitemap: https:\/\/example\.org\/news\/2022\/04\/04\/nowhere\/ is not a page/,
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        /sitemap: https:\/\/elsewhere\.example\/page\/ is not on the site's host \(https:\/\/example\.org\)/,
      ),
    );
  });

  it('exits non-zero from the command line on a broken site', async () => {
    const files = goodFiles();
    files['index.html'] = page('<a href="/news/missing/">gone</a>');
    const outDir = siteWith(files);
    const { main } = await import('../../src/cli/main.ts');
    const errors: string[] = [];
    const originalError = console.error;
    const originalLog = console.log;
    console.error = (line: string) => errors.push(line);
    console.log = () => {};
    try {
      expect(await main(['check', '--out', outDir, '--base-url', BASE, '--root', outDir])).toBe(1);
      expect(errors.join('\n')).toContain('index.html: error: broken link: /news/missing/');
      files['index.html'] = page('<a href="/news/">home</a>');
      expect(
        await main(['check', '--out', siteWith(files), '--base-url', BASE, '--root', outDir]),
      ).toBe(0);
    } finally {
      console.error = originalError;
      console.log = originalLog;
    }
  });
});

describe('checkDocument on a sitemap', () => {
  it('says once that a sitemap lists paths, however many', () => {
    const urls = ['/a/', '/b/', '/c/'].map((loc) => `<url><loc>${loc}</loc></url>`).join('');
    const { problems } = checkDocument(
      `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}</urlset>`,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toBe(
      '3 <loc> values are not absolute http(s) URLs, the first "/a/" (built with a path for baseUrl?)',
    );
  });
});

describe('pageReferences', () => {
  it.each([
    ['<a href="/a/?x=1&amp;y=2">', ['/a/?x=1&y=2']],
    ["<img src='/b.png' srcset='/c.png 2x, /d.png 3x'>", ['/b.png', '/c.png', '/d.png']],
    ['<!-- <a href="/commented/"> --><a href=/bare/>', ['/bare/']],
    ['<script src="/s.js">document.write("<a href=\'/in-script/\'>")</script>', ['/s.js']],
    ['<p title="<a href=/no/>">text</p>', []],
  ])('reads %j', (html, urls) => {
    expect(pageReferences(html).map((reference) => reference.url)).toEqual(urls);
  });
});
