import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSite } from '../../src/check/index.ts';
import { parseInChromium } from '../feeds/chromium-xml.ts';
import { CHROMIUM, launchChromium } from '../helpers.ts';
import { makeTempFolder } from '../temp-folders.ts';
import { buildSite, REPO_ROOT } from './build-site.ts';
import { serve } from './serve.ts';

const SEED = path.resolve(REPO_ROOT, '../shared/seed/guancha-2022-04-04.md');

const ENGLISH_SAMPLE = `---
title: 'Farmers bring in an early wheat harvest'
date: 2025-07-08 09:30:00
lang: en
categories:
  - Economy
tags: [agriculture]
author: Staff Reporter
cover: /images/farm.png
---

<p>Farmers across the northern plains began the wheat harvest two weeks early this year,
after a dry and warm spring. Cooperatives said yields were better than feared.</p>
<p>Grain traders expect prices to ease as the new crop reaches the market.</p>
`;

/**
 * Articles of a year between the two others, one more than the bundle size the site is built
 * with: the year is cut into two bundles of whole days, both merged by the search page.
 */
const MIDDLE_YEAR_SAMPLE = `---
title: 'Harbour cranes replaced after forty years'
date: 2023-10-05 08:00:00
lang: en
categories:
  - Economy
---

<p>The port authority replaced its gantry cranes, the last of which had worked since 1983.</p>
`;

const middleYearArticle = (title: string, date: string, body: string) => `---
title: '${title}'
date: ${date}
lang: en
categories:
  - Economy
---

<p>${body}</p>
`;

describe.skipIf(!existsSync(SEED) || !existsSync(CHROMIUM))('search in the browser', () => {
  let root: string;
  let outDir: string;
  let site: { url: string; close: () => Promise<void> };
  let browser: Browser;
  let buildSeconds: number;

  beforeAll(async () => {
    root = makeTempFolder('gazette-search-');
    mkdirSync(path.join(root, 'content'));
    copyFileSync(SEED, path.join(root, 'content', 'guancha-2022-04-04.md'));
    writeFileSync(path.join(root, 'content', '2025-07-08-wheat-harvest.md'), ENGLISH_SAMPLE);
    writeFileSync(path.join(root, 'content', '2023-10-05-cranes.md'), MIDDLE_YEAR_SAMPLE);
    // A bundle of its own (2021) with 乌 but not 乌克兰 (Ukraine), the seed's word.
    writeFileSync(
      path.join(root, 'content', '2021-06-01-urumqi.md'),
      '---\ntitle: 乌鲁木齐机场新航站楼启用\ndate: 2021-06-01 08:00:00\n---\n\n<p>乌鲁木齐地窝堡国际机场的新航站楼今天正式投入使用，每年可接待旅客四千万人次。</p>\n',
    );
    writeFileSync(
      path.join(root, 'content', '2023-10-01-lighthouse.md'),
      middleYearArticle(
        'Lighthouse keeper retires',
        '2023-10-01 08:00:00',
        'The last keeper of the northern lighthouse handed over its lamp to an automatic beacon.',
      ),
    );
    writeFileSync(
      path.join(root, 'content', '2023-10-02-tunnel.md'),
      middleYearArticle(
        'Tunnel boring machine breaks through',
        '2023-10-02 08:00:00',
        'Crews cheered as the boring machine reached the far shaft of the river tunnel.',
      ),
    );
    const started = performance.now();
    const built = await buildSite(root, {
      baseUrl: 'https://example.org/news/',
      contentDir: path.join(root, 'content'),
      outDir: path.join(root, 'site'),
      publicDir: path.join(REPO_ROOT, 'public'),
      search: { bundleSize: 2 },
    });
    buildSeconds = (performance.now() - started) / 1000;
    outDir = built.outDir;
    site = await serve(outDir, '/news/');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  async function openSearch(query = ''): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      // Aborted remote images (see the route below) are expected; CSP violations and script errors are not.
      if (message.type() === 'error' && !message.text().includes('net::ERR_FAILED'))
        problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    // A file missing from a bundle (Pagefind fetches some of them itself) is a problem too.
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    // Remote covers are not fetched: the test must not depend on the network.
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    await page.goto(`${site.url}search/${query ? `?q=${encodeURIComponent(query)}` : ''}`);
    return { page, problems };
  }

  async function search(page: Page, words: string) {
    const input = page.locator('.pagefind-ui__search-input');
    await input.fill(words);
    // A result is drawn as a placeholder first and filled in when its fragment has loaded
    // (later for the newest month's bundle, which is merged in): wait for its link.
    await page.locator('.pagefind-ui__result-link').first().waitFor({ timeout: 15_000 });
    return page.locator('.pagefind-ui__result').evaluateAll((results) =>
      results.map((result) => ({
        title: result.querySelector('.pagefind-ui__result-link')?.textContent?.trim() ?? '',
        href: result.querySelector('.pagefind-ui__result-link')?.getAttribute('href') ?? '',
        excerpt: result.querySelector('.pagefind-ui__result-excerpt')?.textContent ?? '',
        image: result.querySelector('img')?.getAttribute('src') ?? '',
        meta: [...result.querySelectorAll('.pagefind-ui__result-tag')].map((tag) =>
          tag.textContent?.trim(),
        ),
      })),
    );
  }

  it('finds the seed article by a Chinese word typed into the search page', async () => {
    const { page, problems } = await openSearch();
    const results = await search(page, '安全保障');
    expect(results).toHaveLength(1);
    expect(results[0]!.title).toContain('乌方：正与中国进行安全保障问题谈判');
    expect(results[0]!.href).toMatch(/^\/news\/2022\/04\/04\//);
    expect(results[0]!.excerpt).toContain('安全保障');
    expect(results[0]!.image).toBe('https://i.guancha.cn/news/2022/04/04/20220404150436396.jpg');
    expect(results[0]!.meta.join(' ')).toMatch(/日期: 2022-04-04/);
    // The result link leads to the article.
    await page.locator('.pagefind-ui__result-link').first().click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('乌方');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('finds Chinese words inside longer text, segmented rather than as raw substrings', async () => {
    const { page } = await openSearch();
    // 谈判 (negotiation) and 乌克兰 (Ukraine) appear only inside longer runs of text.
    for (const word of ['谈判', '乌克兰', '阿拉哈米亚']) {
      const results = await search(page, word);
      expect(results.map((result) => result.title).join(), word).toContain('乌方');
    }
    await page.close();
  });

  it('lists no loose matches from bundles without the word when one has it', async () => {
    // Pagefind falls back to partial words in a bundle with no exact match: 乌克兰 would also
    // list the 2021 article, which has 乌 (in 乌鲁木齐) only.
    for (const [word, title] of [
      ['乌克兰', '乌方'],
      ['乌鲁木齐', '乌鲁木齐机场'],
    ]) {
      // A page of its own for each search: the previous results would satisfy the wait.
      const { page } = await openSearch();
      await search(page, word!);
      // Every bundle answered (a merged one's results may come after the first).
      await page.waitForLoadState('networkidle');
      const titles = await page
        .locator('.pagefind-ui__result-link')
        .evaluateAll((links) => links.map((link) => link.textContent?.trim() ?? ''));
      expect(titles.join('|'), word).toContain(title);
      expect(titles, word).toHaveLength(1);
      await page.close();
    }
  });

  it('still finds two Chinese words apart, with or without a space between them', async () => {
    for (const query of ['乌鲁木齐 旅客', '乌鲁木齐旅客']) {
      const { page } = await openSearch();
      const results = await search(page, query);
      expect(results.map((result) => result.title).join('|'), query).toContain('乌鲁木齐机场');
      await page.close();
    }
  });

  it('finds the English sample by an English word, from the same (Chinese) search page', async () => {
    const { page, problems } = await openSearch();
    const results = await search(page, 'harvest');
    expect(results.map((result) => result.title)).toEqual([
      'Farmers bring in an early wheat harvest',
    ]);
    expect(results[0]!.image).toBe('/news/images/farm.png');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('finds articles of a middle year cut into bundles of days, each merged in too', async () => {
    // Three 2023 articles, two a bundle: 1–2 October in one, 5 October in another.
    for (const bundle of ['pagefind-2023-10-01', 'pagefind-2023-10-05'])
      expect(existsSync(path.join(outDir, bundle, 'pagefind-entry.json')), bundle).toBe(true);
    expect(existsSync(path.join(outDir, 'pagefind-2023'))).toBe(false);
    const robots = readFileSync(path.join(outDir, 'robots.txt'), 'utf8');
    expect(robots).toContain('Disallow: /news/pagefind-2023-10-01/');
    expect(robots).toContain('Disallow: /news/pagefind-2023-10-05/');
    // Only the archive's bundle carries the user interface and Pagefind's engine: the
    // merged ones are read for their index (the searches below load nothing else from them).
    for (const file of ['pagefind-ui.js', 'pagefind.js', 'pagefind-worker.js'])
      expect(existsSync(path.join(outDir, 'pagefind', file)), file).toBe(true);
    expect(readdirSync(path.join(outDir, 'pagefind-2023-10-05')).sort()).toEqual([
      'fragment',
      'gazette-bundle.txt',
      'index',
      'pagefind-entry.json',
      expect.stringMatching(/^pagefind\.[\w-]+\.pf_meta$/),
    ]);
    for (const [word, title] of [
      ['gantry', 'Harbour cranes replaced after forty years'],
      ['lighthouse', 'Lighthouse keeper retires'],
      ['tunnel', 'Tunnel boring machine breaks through'],
    ]) {
      // A page of its own for each search: the previous results would satisfy the wait.
      const { page, problems } = await openSearch();
      const results = await search(page, word!);
      expect(results.map((result) => result.title)).toEqual([title]);
      expect(problems).toEqual([]);
      await page.close();
    }
  });

  it('runs the search in the address (?q=) when the page opens, and hides the plain form', async () => {
    const { page } = await openSearch('wheat');
    // A result is drawn as a placeholder first and filled in when its fragment has loaded
    // (later for the newest month's bundle, which is merged in): wait for its link.
    await page.locator('.pagefind-ui__result-link').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.pagefind-ui__search-input').inputValue()).toBe('wheat');
    expect(await page.locator('.search-form').isHidden()).toBe(true);
    await page.close();
  });

  it('serves feeds that Chromium parses as XML, with the seed title intact', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}`);
    const links = await page
      .locator('link[rel="alternate"]')
      .evaluateAll((elements) =>
        elements.map((element) => [element.getAttribute('type'), element.getAttribute('href')]),
      );
    expect(links).toEqual([
      ['application/rss+xml', '/news/feed.xml'],
      ['application/atom+xml', '/news/atom.xml'],
      ['application/feed+json', '/news/feed.json'],
    ]);
    for (const feed of ['feed.xml', 'atom.xml', 'sitemap.xml']) {
      const text = await (await fetch(`${site.url}${feed}`)).text();
      const parsed = await parseInChromium(page, text);
      expect(parsed.error, feed).toBeNull();
      if (feed !== 'sitemap.xml')
        expect(parsed.titles.join('\n')).toContain('乌方：正与中国进行安全保障问题谈判，但…');
    }
    await page.close();
  });

  it('passes gazette check', () => {
    const result = checkSite({ outDir, baseUrl: 'https://example.org/news/' });
    expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(result.pages).toBeGreaterThan(5);
    console.log(
      `search e2e: built in ${buildSeconds.toFixed(1)}s; checked ${result.pages} pages, ${result.references} links, ${result.documents} feeds/sitemaps`,
    );
  });

  it('writes page metadata with absolute URLs and JSON-LD that parses', () => {
    const articleFile = path.join(outDir, '2022/04/04');
    const folder = readdirFirst(articleFile);
    const html = readFileSync(path.join(articleFile, folder, 'index.html'), 'utf8');
    expect(html).toContain('<meta property="og:type" content="article">');
    expect(html).toContain(
      '<meta property="og:image" content="https://i.guancha.cn/news/2022/04/04/20220404150436396.jpg"',
    );
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image">');
    const blocks = [
      ...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g),
    ].map((m) => JSON.parse(m[1]!));
    const article = blocks.find((block) => block['@type'] === 'NewsArticle');
    expect(article).toMatchObject({
      headline: '乌方：正与中国进行安全保障问题谈判，但…',
      datePublished: '2022-04-04T23:12:14+08:00',
      image: ['https://i.guancha.cn/news/2022/04/04/20220404150436396.jpg'],
      publisher: { '@type': 'Organization' },
    });
    expect(article.mainEntityOfPage['@id']).toMatch(
      /^https:\/\/example\.org\/news\/2022\/04\/04\//,
    );
    expect(
      blocks.find((block) => block['@type'] === 'BreadcrumbList')?.itemListElement.length,
    ).toBeGreaterThan(1);
  });
});

function readdirFirst(folder: string): string {
  return readdirSync(folder)[0]!;
}
