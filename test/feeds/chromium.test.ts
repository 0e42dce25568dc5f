import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UrlBuilder } from '../../src/collect/urls.ts';
import { feedsExtension } from '../../src/feeds/extension.ts';
import { renderSitemaps } from '../../src/feeds/sitemap.ts';
import { CHROMIUM, launchChromium } from '../helpers.ts';
import { parseInChromium } from './chromium-xml.ts';
import { extensionContext, sampleSite } from './fixture.ts';

const NASTY = 'A & B <i>x</i> ]]> \u0000\u0001\u001B\uFFFE 😀 乌方 "q" \'a\'';
const CLEAN = 'A & B <i>x</i> ]]>  😀 乌方 "q" \'a\'';

describe.skipIf(!existsSync(CHROMIUM))('feeds in Chromium’s XML parser', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('parses every feed, with a nasty title intact, and binds every namespace', async () => {
    const { site, config } = sampleSite(
      [
        {
          title: NASTY,
          date: '2022-04-04T00:00:00Z',
          tags: [NASTY],
          authors: [NASTY],
          html: `<p>${NASTY.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`,
          cover: '/a&b.png',
        },
      ],
      { baseUrl: 'https://example.org/' },
    );
    const context = extensionContext(site, config);
    feedsExtension().finish!(context);
    for (const [sitePath] of context.output.files) {
      if (!sitePath.endsWith('.xml')) {
        expect(JSON.parse(context.output.text(sitePath)).items[0].title).toBe(CLEAN);
        continue;
      }
      const parsed = await parseInChromium(page, context.output.text(sitePath));
      expect(parsed.error, sitePath).toBeNull();
      expect(parsed.titles, sitePath).toContain(CLEAN);
      expect(parsed.ns, sitePath).toBe(
        sitePath.endsWith('atom.xml') ? 'http://www.w3.org/2005/Atom' : null,
      );
    }
  });

  it('parses split sitemaps', async () => {
    const files = renderSitemaps(
      Array.from({ length: 5 }, (_, i) => ({ sitePath: `/a&b/${i}/`, lastmod: new Date() })),
      { maxUrls: 2, urls: new UrlBuilder('https://example.org/'), timezone: 'Asia/Shanghai' },
    );
    for (const file of files) {
      const parsed = await parseInChromium(page, file.content);
      expect(parsed.error, file.sitePath).toBeNull();
      expect(parsed.ns).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    }
  });
});
