/**
 * Every file of the real scraped corpus, through the whole transform: nothing that runs, every
 * image loadable from the deployed site without a Referer.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { createBodyTransformer } from '../../src/transform/index.ts';
import { articleFromFile } from './corpus-article.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sharedDir = path.resolve(repoRoot, '../shared');
const corpusDir = path.join(sharedDir, 'corpus', 'real');

function markdownFiles(dir: string, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) markdownFiles(file, found);
    else if (name.endsWith('.md')) found.push(file);
  }
  return found;
}

describe.skipIf(!existsSync(corpusDir))('the real corpus', () => {
  const files = existsSync(corpusDir) ? markdownFiles(corpusDir) : [];
  const seed = path.join(sharedDir, 'seed', 'guancha-2022-04-04.md');
  if (existsSync(seed)) files.push(seed);
  const transform = createBodyTransformer(defaultConfig());
  const results = files.map((file) => {
    const article = articleFromFile(file, sharedDir);
    return { article, ...transform(article) };
  });

  it('has files to transform', () => {
    expect(files.length).toBeGreaterThan(2000);
  });

  it('leaves no script, no event handler and no javascript: URL', () => {
    const offenders = results
      .filter(({ body }) => /<script|\son[a-z]+\s*=|javascript:/i.test(body.html))
      .map(({ article }) => article.relativePath);
    expect(offenders).toEqual([]);
  });

  it('gives every image an https (or site-local) URL, and no-referrer when remote', () => {
    const offenders: string[] = [];
    for (const { article, body } of results) {
      for (const image of body.html.match(/<img\b[^>]*>/g) ?? []) {
        const src = /\ssrc="([^"]*)"/.exec(image)?.[1] ?? '';
        const remote = /^https:\/\/[^/]/.test(src);
        const local = /^\/(?!\/)/.test(src);
        if ((!remote && !local) || (remote && !image.includes('referrerpolicy="no-referrer"'))) {
          offenders.push(`${article.relativePath}: ${image.slice(0, 160)}`);
        }
        const srcset = /\ssrcset="([^"]*)"/.exec(image)?.[1];
        if (srcset && /(?:^|,\s*)(?!https:\/\/|\/(?!\/))\S/.test(srcset))
          offenders.push(`${article.relativePath}: srcset ${srcset.slice(0, 160)}`);
      }
      if (body.cover && !/^https:\/\//.test(body.cover.src))
        offenders.push(`${article.relativePath}: cover ${body.cover.src}`);
    }
    expect(offenders).toEqual([]);
  });

  it('reports no errors', () => {
    const errors = results.flatMap(({ diagnostics }) =>
      diagnostics.filter((d) => d.severity === 'error'),
    );
    expect(errors).toEqual([]);
  });

  it('keeps iframes only from allowed hosts, sandboxed', () => {
    for (const { body } of results) {
      for (const iframe of body.html.match(/<iframe\b[^>]*>/g) ?? []) {
        expect(iframe).toMatch(/sandbox="allow-scripts allow-same-origin allow-presentation"/);
        expect(iframe).toMatch(/src="https:\/\//);
      }
    }
  });

  it('keeps the text: every article with a body has an excerpt', () => {
    const empty = results
      .filter(
        ({ article, body }) =>
          article.body.replace(/<[^>]*>|\s/g, '').length > 200 && body.excerpt === '',
      )
      .map(({ article }) => article.relativePath);
    expect(empty).toEqual([]);
  });

  it('drops the Jekyll source heading and uses the first image as the cover', () => {
    const jekyll = results.find(({ article }) =>
      article.relativePath.includes('從12月1日起《寒冬》將推出新欄目'),
    );
    expect(jekyll?.body.html).not.toMatch(
      /<h2><a href="https:\/\/zh\.bitterwinter\.org\/something-new/,
    );
    expect(jekyll?.body.cover?.src).toMatch(/^https:\/\/zh\.bitterwinter\.org\/wp-content\//);
  });
});
