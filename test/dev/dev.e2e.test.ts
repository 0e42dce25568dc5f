/**
 * `gazette dev` in a real browser: saves on disk show up in an open page without touching
 * it, broken templates and front matter show an overlay that goes away on the next good
 * save, deleted articles disappear, and `build` output never carries the reload client.
 */
import { existsSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { type DevServer, startDev } from '../../src/dev/dev-server.ts';
import { hasChromium, launchChromium, listFiles, repoRoot } from '../helpers.ts';
import { articleText, makeDevProject, saveByRename } from './helpers.ts';

// What the functions run in the page use (the pages' CSP forbids evaluating strings there).
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  body: { textContent: string | null };
};
declare const window: { notReloaded?: boolean };
declare function getComputedStyle(element: unknown): { outlineColor: string };

describe.skipIf(!hasChromium)('gazette dev in a browser', () => {
  let root: string;
  let dev: DevServer;
  let browser: Browser;
  let page: Page;
  const content = (name: string) => path.join(root, 'content', name);

  beforeAll(async () => {
    root = makeDevProject({
      'rail-strike.md': articleText('Rail strike ends after overnight talks', {
        date: '2025-03-03 07:10:00',
      }),
      'ferry.md': articleText('Harbour night ferry returns', { date: '2025-03-02 20:00:00' }),
      'museum.md': articleText('Museum opens at night', {
        date: '2025-03-01 18:00:00',
        categories: ['Culture'],
        tags: ['museums'],
      }),
      'doomed.md': articleText('Doomed story to be deleted', { date: '2025-02-27 08:00:00' }),
    });
    dev = await startDev({ root, port: 0, extensions: [], debounceMs: 10 });
    browser = await launchChromium();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await dev?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const articleUrl = async (title: string) => {
    const home = await (await fetch(dev.url)).text();
    const match = new RegExp(`href="([^"]+)"[^>]*>\\s*${title}`).exec(home);
    if (!match) throw new Error(`no link to "${title}" on the home page`);
    return new URL(match[1]!, dev.url).href;
  };

  /** Opens a page and waits until its reload client is connected. */
  const open = async (url: string) => {
    const connected = page.waitForResponse((response) =>
      response.url().includes('/__gazette/events'),
    );
    await page.goto(url);
    await connected;
  };

  it('shows an edited title without touching the browser', async () => {
    await open(await articleUrl('Rail strike ends after overnight talks'));
    expect(await page.locator('h1').textContent()).toBe('Rail strike ends after overnight talks');
    saveByRename(
      content('rail-strike.md'),
      articleText('Rail strike is over', { date: '2025-03-03 07:10:00' }),
    );
    await page.waitForFunction(
      () => document.querySelector('h1')?.textContent === 'Rail strike is over',
    );
    // Its neighbour's "previous/next" link follows the new title too.
    const neighbour = await (await fetch(await articleUrl('Harbour night ferry returns'))).text();
    expect(neighbour).toContain('Rail strike is over');
    // The home page, made again, is dated as a build dates it: by its newest article, in the
    // site's zone like every other date.
    const home = await (await fetch(dev.url)).text();
    expect(/class="meta site-updated">[^<]*<time datetime="([^"]+)"/.exec(home)?.[1]).toBe(
      '2025-03-03T07:10:00+08:00',
    );
  });

  it('shows a broken template in an overlay and recovers on the next good save', async () => {
    await open(await articleUrl('Harbour night ferry returns'));
    const template = path.join(root, 'templates/article.njk');
    const good = readFileSync(template, 'utf8');
    writeFileSync(template, good.replace('{% block main %}', '{% block main %}{% if %}'));
    const overlay = page.locator('.gazette-dev-overlay');
    await overlay.waitFor({ state: 'visible' });
    expect(await overlay.textContent()).toContain('article.njk');
    writeFileSync(
      template,
      good.replace('<h1 class="story__title">', '<h1 class="story__title" data-fixed>'),
    );
    await page.waitForSelector('h1[data-fixed]');
    await overlay.waitFor({ state: 'detached' });
    expect(await page.locator('h1').textContent()).toBe('Harbour night ferry returns');
  });

  it('shows bad front matter in an overlay naming the file, then recovers', async () => {
    await open(await articleUrl('Museum opens at night'));
    const file = content('museum.md');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('title:', 'title: [unclosed\nbroken:'));
    const overlay = page.locator('.gazette-dev-overlay');
    await overlay.waitFor({ state: 'visible' });
    expect(await overlay.textContent()).toContain('museum.md');
    // Hidden, it stays hidden after a reload while the problems are the same.
    await page.locator('.gazette-dev-overlay__hide').click();
    await overlay.waitFor({ state: 'detached' });
    await open(page.url());
    await page.waitForTimeout(300);
    expect(await overlay.count()).toBe(0);
    writeFileSync(file, good.replace('Museum opens at night', 'Museum opens at nine'));
    await page.waitForFunction(
      () => document.querySelector('h1')?.textContent === 'Museum opens at nine',
    );
    await overlay.waitFor({ state: 'detached' });
  });

  it('swaps an edited stylesheet without reloading the page', async () => {
    await open(await articleUrl('Harbour night ferry returns'));
    await page.evaluate(() => {
      window.notReloaded = true;
    });
    const stylesheet = path.join(root, 'templates/assets/gazette.css');
    writeFileSync(
      stylesheet,
      `${readFileSync(stylesheet, 'utf8')}\nbody { outline: 3px solid rgb(255, 0, 0); }\n`,
    );
    await page.waitForFunction(
      () => getComputedStyle(document.body).outlineColor === 'rgb(255, 0, 0)',
    );
    expect(await page.evaluate(() => window.notReloaded)).toBe(true);
  });

  it('removes a deleted article: its page is a 404 and the home page has no trace of it', async () => {
    const url = await articleUrl('Doomed story to be deleted');
    await open(dev.url);
    expect(await page.textContent('body')).toContain('Doomed story to be deleted');
    unlinkSync(content('doomed.md'));
    await page.waitForFunction(() => !document.body.textContent?.includes('Doomed story'));
    const response = await fetch(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('Doomed story');
    const home = await (await fetch(dev.url)).text();
    expect(home).not.toContain('Doomed story');
    expect(existsSync(path.join(dev.project.outDir, new URL(url).pathname, 'index.html'))).toBe(
      false,
    );
  });

  it('reloads an open page when the server restarts', async () => {
    await open(await articleUrl('Harbour night ferry returns'));
    await page.evaluate(() => {
      window.notReloaded = true;
    });
    const port = dev.port;
    await dev.close();
    dev = await startDev({ root, port, extensions: [], debounceMs: 10 });
    expect(dev.port).toBe(port);
    await page.waitForFunction(() => !window.notReloaded, undefined, { timeout: 15_000 });
  });

  it('writes no reload client into the output folder, and build never adds one', async () => {
    await dev.settled();
    for (const file of listFiles(dev.project.outDir)) {
      if (!/\.(html|js|css|json|xml)$/.test(file)) continue;
      expect(readFileSync(path.join(dev.project.outDir, file), 'utf8'), file).not.toContain(
        '__gazette',
      );
    }
    const outDir = path.join(root, 'built');
    const result = await build({ root, overrides: { outDir } });
    expect(result.ok).toBe(true);
    const files = listFiles(outDir);
    expect(files.some((file) => file.endsWith('.html'))).toBe(true);
    for (const file of files) {
      if (!/\.(html|js|css|json|xml)$/.test(file)) continue;
      expect(readFileSync(path.join(outDir, file), 'utf8'), file).not.toContain('__gazette');
    }
    // The repository's own theme is untouched by these tests.
    expect(readFileSync(path.join(repoRoot, 'templates/article.njk'), 'utf8')).not.toContain(
      '{% if %}',
    );
  });
});
