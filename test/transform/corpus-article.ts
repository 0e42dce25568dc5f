/**
 * A stand-in for the load stage, for tests only: splits front matter with `js-yaml` and builds a
 * `LoadedArticle` the way the loader will (the real one lives in src/load/).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { LoadedArticle } from '../../src/model.ts';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function articleFromSource(source: string, relativePath = 'article.md'): LoadedArticle {
  const lines = source.split('\n');
  let start = 0;
  while (start < lines.length && lines[start]!.trim() === '') start++;
  let data: Record<string, unknown> = {};
  let bodyIndex = 0;
  if (lines[start]?.trim() === '---') {
    const end = lines.findIndex((line, index) => index > start && line.trim() === '---');
    if (end > 0) {
      try {
        const parsed = yaml.load(lines.slice(start + 1, end).join('\n'), {
          schema: yaml.CORE_SCHEMA,
        });
        if (parsed && typeof parsed === 'object') data = parsed as Record<string, unknown>;
      } catch {
        data = {};
      }
      bodyIndex = end + 1;
    }
  }
  const body = lines.slice(bodyIndex).join('\n');
  const markdown = /^\s*<!--\d+-->/.test(body) || /\n-{3,}\s*\n/.test(body.slice(0, 2000));
  return {
    sourcePath: relativePath,
    relativePath,
    title: text(data.title) ?? '',
    date: new Date(0),
    categories: [],
    tags: [],
    authors: [],
    cover: text(data.headimg) ?? text(data.thumbnail) ?? text(data.cover),
    sourceUrl: text(data.from) ?? text(data.link) ?? text(data.source),
    description: text(data.description),
    slug: path.basename(relativePath, '.md'),
    draft: false,
    format: markdown ? 'markdown' : 'html',
    body,
    bodyLine: bodyIndex + 1,
    extra: {},
    contentHash: '',
  };
}

export function articleFromFile(file: string, root: string): LoadedArticle {
  return articleFromSource(
    readFileSync(file, 'utf8'),
    path.relative(root, file).split(path.sep).join('/'),
  );
}

/** A minimal article for table tests. */
export function htmlArticle(body: string, overrides: Partial<LoadedArticle> = {}): LoadedArticle {
  return {
    ...articleFromSource(body, 'test.md'),
    format: 'html',
    bodyLine: 1,
    ...overrides,
  };
}
