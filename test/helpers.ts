import { cpSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { type Browser, chromium } from 'playwright-core';
import { visit } from 'unist-util-visit';
import { generateCorpus } from '../scripts/generate-corpus.ts';
import { type BuildOptions, build } from '../src/build.ts';
import type { LoadedArticle, TransformedBody } from '../src/model.ts';
import { makeTempFolder } from './temp-folders.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Real third-party articles live beside the repo, never in it; tests skip without them. */
export const sharedDir = path.resolve(repoRoot, '../shared');
export const hasShared = existsSync(path.join(sharedDir, 'seed'));
export const seedFile = path.join(sharedDir, 'seed/guancha-2022-04-04.md');

/** A project folder in the temp dir: content files, optional config, nothing else. */
export function makeProject(files: Record<string, string | Buffer> = {}, config?: string): string {
  const root = makeTempFolder('gazette-test-');
  mkdirSync(path.join(root, 'content'), { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, 'content', name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  if (config) writeFileSync(path.join(root, 'gazette.config.yml'), config);
  return root;
}

export function copyIntoContent(root: string, source: string, name = path.basename(source)): void {
  cpSync(source, path.join(root, 'content', name), { recursive: true });
}

/**
 * A project of generated articles, written an hour ago (config too) as an archive's are: files
 * modified in the last seconds are read again by the next build whatever their size and
 * time say (see RACY_SECONDS).
 */
export function generatedProject(options: { count: number; seed: number; config: string }): {
  root: string;
  files: string[];
} {
  const root = makeProject({}, options.config);
  const { files } = generateCorpus({
    dir: path.join(root, 'content'),
    count: options.count,
    seed: options.seed,
  });
  const anHourAgo = new Date(Date.now() - 3_600_000);
  for (const file of files) utimesSync(path.join(root, 'content', file), anHourAgo, anHourAgo);
  if (options.config) utimesSync(path.join(root, 'gazette.config.yml'), anHourAgo, anHourAgo);
  return { root, files };
}

export async function buildProject(root: string, options: BuildOptions = {}) {
  return build({
    root,
    ...options,
    overrides: { outDir: path.join(root, 'site'), ...options.overrides },
  });
}

export { listFiles } from '../src/files.ts';

export function readPage(outDir: string, relativeFile: string): Root {
  return fromHtml(readFileSync(path.join(outDir, relativeFile), 'utf8'));
}

export function elements(tree: Root, test: (element: Element) => boolean): Element[] {
  const found: Element[] = [];
  visit(tree, 'element', (element: Element) => {
    if (test(element)) found.push(element);
  });
  return found;
}

export function textOf(node: Element | Root): string {
  let text = '';
  visit(node, 'text', (child: { value: string }) => {
    text += child.value;
  });
  return text.replace(/\s+/g, ' ').trim();
}

/** The output file a site-local href points to, or undefined for external URLs. */
export function fileForHref(href: string, basePath: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//') || href.startsWith('#'))
    return undefined;
  const pathOnly = href.split(/[?#]/)[0]!;
  if (!pathOnly.startsWith(basePath)) return `<outside base path> ${href}`;
  const decoded = decodeURIComponent(pathOnly.slice(basePath.length));
  return decoded === '' || decoded.endsWith('/') ? `${decoded}index.html` : decoded;
}

/** Debian's Chromium, as CI installs it; browser tests skip without it. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Headless Chromium with the flags this machine's closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A loaded article with every field filled, for collect-stage tests. */
export function loadedArticle(
  relativePath: string,
  fields: Partial<LoadedArticle> = {},
): LoadedArticle {
  return {
    sourcePath: `/content/${relativePath}`,
    relativePath,
    title: relativePath,
    date: new Date('2024-01-01T00:00:00Z'),
    categories: [],
    tags: [],
    authors: [],
    slug: relativePath.replace(/\.md$/, ''),
    draft: false,
    format: 'html',
    body: '',
    bodyLine: 1,
    extra: {},
    contentHash: relativePath,
    ...fields,
  };
}

/** A body as the transform stage makes it, empty but for what a test gives. */
export function transformedBody(fields: Partial<TransformedBody> = {}): TransformedBody {
  return {
    html: '',
    excerpt: '',
    readingMinutes: 1,
    coverInBody: false,
    textLength: 0,
    ...fields,
  };
}
