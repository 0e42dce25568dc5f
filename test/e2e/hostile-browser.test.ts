import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildResult } from '../../src/build.ts';
import {
  buildProject,
  CHROMIUM,
  elements,
  launchChromium,
  listFiles,
  makeProject,
  readPage,
} from '../helpers.ts';
import { serve } from '../search/serve.ts';

/** Every payload calls pwned(): the test page defines it and records calls. */
const BODY_VECTORS = [
  '<script>pwned("script")</script>',
  '<SCRIPT SRC=data:text/javascript,pwned("src")></SCRIPT>',
  '<img src=x onerror="pwned(\'onerror\')">',
  '<svg onload="pwned(\'svg\')"><circle r="1"/></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror="pwned(\'mxss-math\')"></style></mglyph></table></mtext></math>',
  '<noscript><p title="</noscript><img src=x onerror=pwned(\'noscript\')>"></p></noscript>',
  '<template><img src=x onerror="pwned(\'template\')"></template>',
  '<textarea></textarea><img src=x onerror="pwned(\'textarea\')">',
  '<a href="javascript:pwned(\'href\')">click</a>',
  '<a href="jav&#x09;ascript:pwned(\'entity\')">click</a>',
  '<a href=" &#106;avascript:pwned(\'decimal\')">click</a>',
  '<a href="vbscript:msgbox(1)">vb</a>',
  '<iframe src="javascript:pwned(\'iframe\')"></iframe>',
  '<iframe srcdoc="<script>parent.pwned(\'srcdoc\')</script>"></iframe>',
  '<object data="data:text/html,<script>pwned(\'object\')</script>"></object>',
  '<embed src="data:text/html,<script>pwned(\'embed\')</script>">',
  '<form action="javascript:pwned(\'form\')"><button>go</button></form>',
  '<meta http-equiv="refresh" content="0;url=javascript:pwned(\'refresh\')">',
  '<base href="javascript:pwned(\'base\')//">',
  '<div style="background:url(javascript:pwned(\'css\'))">css</div>',
  '<style>@import "javascript:pwned(\'import\')";</style>',
  '<details open ontoggle="pwned(\'toggle\')">x</details>',
  '<video><source onerror="pwned(\'source\')"></video>',
  '<p>{{ pwned("template-text") }} {% raw %}</p>',
];

const FRONT_MATTER_VECTORS = `title: '<script>pwned("title")</script>'
date: 2024-01-01 10:00
author: '<img src=x onerror=pwned("author")>'
categories:
  - '"><script>pwned("category")</script>'
tags: ['<svg onload=pwned("tag")>', '../../../etc']
cover: 'javascript:pwned("cover")'
from: 'javascript:pwned("source")'
description: '</script><script>pwned("description")</script>'
`;

function article(index: number, body: string): string {
  return `---
title: Vector ${index}
date: 2024-01-${String((index % 28) + 1).padStart(2, '0')} 10:00
categories: [Hostile]
from: https://news.example.com/a/${index}.html
---
<div>${body}</div>
`;
}

describe.skipIf(!existsSync(CHROMIUM))('hostile articles in the browser', () => {
  let browser: Browser;
  let result: BuildResult;
  let site: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    const files: Record<string, string> = {
      'front-matter.md': `---\n${FRONT_MATTER_VECTORS}---\n<p>Front matter attack.</p>`,
    };
    BODY_VECTORS.forEach((body, index) => {
      files[`vector-${index}.md`] = article(index, body);
    });
    const root = makeProject(files);
    result = await buildProject(root, { overrides: { baseUrl: '/news/' } });
    site = await serve(result.outDir, '/news/');
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('builds every hostile article', () => {
    expect(result.ok).toBe(true);
    expect(result.report.built).toBe(BODY_VECTORS.length + 1);
  });

  it('leaves no script, event handler or javascript: URL in any page', () => {
    for (const file of listFiles(result.outDir).filter((name) => name.endsWith('.html'))) {
      const tree = readPage(result.outDir, file);
      for (const element of elements(tree, () => true)) {
        if (element.tagName === 'script') {
          const type = String(element.properties.type ?? '');
          const src = String(element.properties.src ?? '');
          const ours = type === 'application/ld+json' || /^\/news\/(assets|pagefind)\//.test(src);
          expect(ours, `${file}: script ${src}`).toBe(true);
        }
        for (const [name, value] of Object.entries(element.properties)) {
          expect(name.toLowerCase().startsWith('on'), `${file}: ${element.tagName} ${name}`).toBe(
            false,
          );
          if (['href', 'src', 'action', 'formAction', 'poster', 'data', 'cite'].includes(name)) {
            expect(String(value), `${file}: ${name}`).not.toMatch(
              /^\s*(javascript|vbscript|data):/i,
            );
          }
        }
      }
    }
  });

  // With the Content-Security-Policy bypassed, the sanitizer alone must hold.
  for (const bypassCSP of [false, true]) {
    it(`runs no injected code on any page${bypassCSP ? ', even without the CSP' : ''}`, async () => {
      const context = await browser.newContext({ bypassCSP });
      const calls: string[] = [];
      await context.exposeFunction('pwned', (label: string) => calls.push(label));
      const page = await context.newPage();
      page.on('dialog', (dialog) => {
        calls.push(`dialog: ${dialog.message()}`);
        void dialog.dismiss();
      });
      const pages = listFiles(result.outDir)
        .filter((name) => name.endsWith('.html'))
        .map((name) => name.replace(/index\.html$/, ''));
      for (const sitePath of pages) {
        await page.goto(site.url + sitePath.split('/').map(encodeURIComponent).join('/'), {
          waitUntil: 'load',
        });
        // Give onerror/onload handlers and lazy images a moment to fire.
        await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 20)));
        const link = page.locator('a', { hasText: 'click' }).first();
        if (await link.count()) await link.click({ timeout: 1000 }).catch(() => {});
      }
      await context.close();
      expect(calls).toEqual([]);
    }, 120_000);
  }
});

describe('a base URL with quotes, markup and replacement patterns in it', () => {
  it('is written encoded into bodies and feeds, never as markup', async () => {
    const root = makeProject(
      {
        'a.md': `---
title: Local links
date: 2024-01-01 10:00
---
<p><a href="/local/page">l</a> <a href="#part">p</a></p>
`,
      },
      `baseUrl: 'https://example.org/n$\`ews/"><img src=x onerror=pwned(1)>/'\nsearch:\n  enabled: false\n`,
    );
    const result = await buildProject(root);
    expect(result.ok).toBe(true);
    const base = 'https://example.org/n%24%60ews/%22%3E%3Cimg%20src%3Dx%20onerror%3Dpwned(1)%3E/';
    const page = readPage(result.outDir, '2024/01/01/a/index.html');
    const links = elements(page, (element) => element.tagName === 'a')
      .map((element) => String(element.properties.href))
      .filter((href) => href.endsWith('local/page'));
    expect(links).toEqual([`${new URL(base).pathname}local/page`]);
    expect(elements(page, (element) => element.properties.onError !== undefined)).toEqual([]);
    const feed = JSON.parse(readFileSync(path.join(result.outDir, 'feed.json'), 'utf8'));
    expect(feed.items[0].content_html).toContain(`href="${base}local/page"`);
    expect(feed.items[0].content_html).not.toContain('<img');
  });
});
