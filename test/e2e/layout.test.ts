import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, hasChromium, launchChromium, makeProject } from '../helpers.ts';
import { serve } from '../search/serve.ts';

/** Scraped metadata is often one long word: a hashtag, a camel-cased campaign, a byline. */
const LONG_TAG = 'COVID19VaccinationCampaignUpdates2021';
const LONGER_TAG = 'Live'.padEnd(120, 'X');
const LONG_AUTHOR = 'Staff'.padEnd(120, 'Y');
const LONG_CATEGORY = '新媒体观察者网头条'.repeat(8);

function article(index: number): string {
  return `---
title: Report ${index} on the regional vaccination campaign and its long-named tags
date: 2024-02-${String(index + 1).padStart(2, '0')} 09:00
categories: [${LONG_CATEGORY}]
tags: [${LONG_TAG}, ${LONGER_TAG}]
author: ${LONG_AUTHOR}
---
<p>Clinics across the region reported steady turnout on day ${index} of the campaign.</p>
`;
}

/** How far the page scrolls sideways, in CSS pixels (0 when it fits its viewport). */
async function sidewaysScroll(page: Page): Promise<number> {
  return (await page.evaluate(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  )) as number;
}

describe.skipIf(!hasChromium)('the default theme with long single-word names', () => {
  let browser: Browser;
  let site: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 12; index++) files[`report-${index}.md`] = article(index);
    const root = makeProject(files, 'search:\n  enabled: false\n');
    const result = await buildProject(root, { overrides: { baseUrl: '/news/' } });
    expect(result.ok).toBe(true);
    site = await serve(result.outDir, '/news/');
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it.each([375, 1280])(
    'scrolls no page sideways at %i px',
    async (width) => {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      const wide: string[] = [];
      for (const sitePath of ['', 'tags/', 'authors/', 'categories/', '2024/02/01/report-0/']) {
        await page.goto(site.url + sitePath, { waitUntil: 'load' });
        const overflow = await sidewaysScroll(page);
        if (overflow > 0) wide.push(`/${sitePath} by ${overflow} px`);
        // The term's own page too, reached as a reader would.
        if (sitePath === 'tags/') {
          await page.click(`a:has-text("${LONGER_TAG}")`);
          await page.waitForLoadState('load');
          const termOverflow = await sidewaysScroll(page);
          if (termOverflow > 0) wide.push(`${page.url()} by ${termOverflow} px`);
        }
      }
      await page.close();
      expect(wide).toEqual([]);
    },
    60_000,
  );
});

describe.skipIf(!hasChromium)('the default theme in print', () => {
  let browser: Browser;
  let site: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    const root = makeProject(
      {
        'a.md':
          '---\ntitle: Talks fail\ndate: 2024-05-01 10:00\nlink: https://news.example.cn/talks.html\n---\n<p>Talks failed.</p>\n',
        'b.md': `---
title: Strike widens
date: 2024-05-02 10:00
format: markdown
---
As [reported](https://news.example.cn/talks.html), talks failed ([source](https://other.example.org/x)).

| name | count |
| :--: | :---: |
| ports | 3 |
`,
      },
      'search:\n  enabled: false\n',
    );
    const result = await buildProject(root, { overrides: { baseUrl: '/news/' } });
    expect(result.ok).toBe(true);
    site = await serve(result.outDir, '/news/');
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('prints dark text on white whatever the screen scheme, and only outside links’ addresses', async () => {
    const page = await browser.newPage({ colorScheme: 'dark' });
    await page.goto(`${site.url}2024/05/02/b/`, { waitUntil: 'load' });
    const screenText = await page.evaluate(
      'getComputedStyle(document.querySelector(".prose p")).color',
    );
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    const printed = (await page.evaluate(`(() => {
      const after = (selector) => getComputedStyle(document.querySelector(selector), '::after').content;
      return {
        text: getComputedStyle(document.querySelector('.prose p')).color,
        archived: after('.prose a[href^="/news/"]'),
        outside: after('.prose a[href^="https://other"]'),
        cell: getComputedStyle(document.querySelector('.prose td')).color === getComputedStyle(document.querySelector('.prose p')).color,
      };
    })()`)) as { text: string; archived: string; outside: string; cell: boolean };
    const lightness = (color: string) =>
      (color.match(/\d+/g) ?? []).slice(0, 3).reduce((sum, value) => sum + Number(value), 0) / 3;
    expect(lightness(String(screenText))).toBeGreaterThan(150);
    expect(lightness(printed.text)).toBeLessThan(90);
    expect(printed.archived).toBe('none');
    expect(printed.outside).toContain('https://other.example.org/x');
    // A centred table cell is no caption.
    expect(printed.cell).toBe(true);
    await page.close();
  }, 60_000);
});
