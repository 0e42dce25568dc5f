/**
 * `gazette dev` under a scraper's bursts: hundreds of files added, changed and deleted at
 * once, a folder removed, and an editor saving twice a second. The server stays up, reports
 * no internal error, and every page shows the last saved state.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevServer, startDev } from '../../src/dev/dev-server.ts';
import { saveByRename } from '../dev/helpers.ts';
import { repoRoot } from '../helpers.ts';
import { generatedArticle, makeGeneratedProject } from './helpers.ts';

const COUNT = 200;
let root: string;
let dev: DevServer;
const errors: Error[] = [];
let deletedFolderHref = '/';
const content = (name: string) => path.join(root, 'content', name);

async function page(href: string): Promise<{ status: number; text: string }> {
  const response = await fetch(new URL(href, dev.url));
  return { status: response.status, text: await response.text() };
}

async function settled(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    dev.settled(),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('dev server did not settle')), 60_000);
    }),
  ]);
  clearTimeout(timer);
  // The watcher reports a burst in several batches; wait until a quiet period has passed.
  await new Promise((resolve) => setTimeout(resolve, 400));
  await dev.settled();
}

/** Waits until the page of a content file shows `text`, or fails after a while. */
async function expectPage(name: string, text: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = '';
  for (;;) {
    const href = dev.hrefOf(name);
    if (href) {
      const { status, text: body } = await page(href);
      last = `${status} ${body.length}`;
      if (status === 200 && body.includes(text)) return;
    }
    if (Date.now() > deadline) throw new Error(`${name} never showed "${text}" (${last})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Waits until a page is gone (404): on a loaded machine the watcher may report the last
 * deletions of a burst after the quiet period `settled` waits for.
 */
async function expectGone(href: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await page(href)).status !== 404) {
    if (Date.now() > deadline) throw new Error(`${href} is still served`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  root = makeGeneratedProject(COUNT, 0);
  dev = await startDev({
    root,
    port: 0,
    extensions: [],
    debounceMs: 10,
    onError: (error) => errors.push(error),
  });
}, 120_000);

afterAll(async () => {
  await dev?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the dev server under bursts of changes', () => {
  it('takes 300 new, 100 changed and 100 deleted files at once', async () => {
    const deletedHrefs = Array.from({ length: 100 }, (_, i) => dev.hrefOf(`article-${i * 2}.md`)!);
    for (let i = 0; i < 300; i++)
      writeFileSync(content(`article-${COUNT + i}.md`), generatedArticle(COUNT + i, 1));
    for (let i = 0; i < 100; i++)
      writeFileSync(content(`article-${i * 2 + 1}.md`), generatedArticle(i * 2 + 1, 2));
    for (let i = 0; i < 100; i++) unlinkSync(content(`article-${i * 2}.md`));
    await settled();

    expect(errors).toEqual([]);
    expect((await page('/')).status).toBe(200);
    for (const i of [0, 1, 150, 299]) await expectPage(`article-${COUNT + i}.md`, `version 1`);
    for (const i of [0, 37, 99]) await expectPage(`article-${i * 2 + 1}.md`, `version 2`);
    for (let i = 0; i < 100; i++) expect(dev.hrefOf(`article-${i * 2}.md`)).toBeUndefined();
    for (const href of deletedHrefs.slice(0, 10)) await expectGone(href);
    const home = (await page('/')).text;
    expect(home).not.toContain('Report 0 on the regional economy');
  }, 120_000);

  it('takes a folder of 150 files appearing and then being deleted', async () => {
    const folder = content('batch');
    mkdirSync(folder);
    for (let i = 0; i < 150; i++)
      writeFileSync(path.join(folder, `item-${i}.md`), generatedArticle(1000 + i, 3));
    await settled();
    await expectPage('batch/item-149.md', 'Report 1149');
    const href = dev.hrefOf('batch/item-0.md')!;
    rmSync(folder, { recursive: true });
    await settled();
    expect(dev.hrefOf('batch/item-0.md')).toBeUndefined();
    expect((await page('/')).text).not.toContain('Report 1000 on');
    expect(errors).toEqual([]);
    deletedFolderHref = href;
  }, 120_000);

  it('no longer serves the pages of a deleted folder', async () => {
    expect((await page(deletedFolderHref)).status).toBe(404);
  });

  it('keeps up with an editor saving twice a second, broken saves included', async () => {
    const name = 'article-1.md';
    for (let save = 0; save < 12; save++) {
      const text =
        save % 4 === 3
          ? '---\ntitle: "unbalanced\ndate: [\n---\n<p>half-typed</p>\n' // a save mid-edit
          : generatedArticle(1, 100 + save);
      if (save % 2 === 0) saveByRename(content(name), text);
      else writeFileSync(content(name), text);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    saveByRename(content(name), generatedArticle(1, 999));
    await settled();
    await expectPage(name, 'version 999');
    expect((await page('/')).status).toBe(200);
    expect(errors).toEqual([]);
  }, 120_000);

  it('keeps watching a content folder that is deleted and made again', async () => {
    const folder = path.join(root, 'content');
    const backup = `${root}-content-backup`;
    cpSync(folder, backup, { recursive: true });
    const name = 'article-3.md';
    const href = dev.hrefOf(name)!;
    rmSync(folder, { recursive: true });
    await settled();
    await expectGone(href);
    // As `git checkout` or a restore from a backup does it: the whole folder at once.
    cpSync(backup, folder, { recursive: true });
    rmSync(backup, { recursive: true });
    await settled();
    await expectPage(name, 'Report 3 on');
    // The folder made again is watched: a later save shows.
    saveByRename(content(name), generatedArticle(3, 777));
    await settled();
    await expectPage(name, 'version 777');
    expect(errors).toEqual([]);
  }, 120_000);

  it('keeps watching a templates folder that is deleted and made again', async () => {
    const templates = path.join(root, 'templates');
    const marked = (marker: string) =>
      readFileSync(path.join(repoRoot, 'templates/article.njk'), 'utf8').replace(
        '</article>',
        `<p>${marker}</p></article>`,
      );
    mkdirSync(templates);
    writeFileSync(path.join(templates, 'article.njk'), marked('theme-mark-1'));
    await settled();
    await expectPage('article-5.md', 'theme-mark-1');
    const backup = `${root}-templates-backup`;
    cpSync(templates, backup, { recursive: true });
    rmSync(templates, { recursive: true });
    await settled();
    cpSync(backup, templates, { recursive: true });
    rmSync(backup, { recursive: true });
    await settled();
    writeFileSync(path.join(templates, 'article.njk'), marked('theme-mark-2'));
    await settled();
    await expectPage('article-5.md', 'theme-mark-2');
    expect(errors).toEqual([]);
  }, 120_000);
});
