import { cpSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers.ts';
import { makeTempFolder } from '../temp-folders.ts';

/** A small English article, its title and body easy to find on its page. */
export function articleText(
  title: string,
  options: { date?: string; categories?: string[]; tags?: string[]; author?: string } = {},
): string {
  return `---
title: ${JSON.stringify(title)}
lang: en
date: ${options.date ?? '2025-03-01 09:00:00'}
categories: [${(options.categories ?? ['World', 'Europe']).join(', ')}]
tags: [${(options.tags ?? ['transport']).join(', ')}]
author: ${options.author ?? 'Jane Whitfield'}
---

<p>Body of ${title}. Services were expected to return to normal by Sunday morning.</p>
`;
}

/**
 * A project in the temp folder: a few articles, the repository's public files, and a
 * templates folder holding copies of the theme's article template and stylesheet (so a test
 * may break them without touching the repository's theme).
 */
export function makeDevProject(articles: Record<string, string>, config?: string): string {
  const root = makeTempFolder('gazette-dev-');
  mkdirSync(path.join(root, 'content'));
  for (const [name, text] of Object.entries(articles))
    writeFileSync(path.join(root, 'content', name), text);
  cpSync(path.join(repoRoot, 'public'), path.join(root, 'public'), { recursive: true });
  mkdirSync(path.join(root, 'templates'));
  cpSync(path.join(repoRoot, 'templates/article.njk'), path.join(root, 'templates/article.njk'));
  // A copy of the theme's stylesheet, which replaces the default one and may be edited.
  mkdirSync(path.join(root, 'templates/assets'));
  cpSync(
    path.join(repoRoot, 'templates/assets/gazette.css'),
    path.join(root, 'templates/assets/gazette.css'),
  );
  if (config) writeFileSync(path.join(root, 'gazette.config.yml'), config);
  return root;
}

/** Writes a file the way many editors save: a temporary file renamed over the original. */
export function saveByRename(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.swp~`);
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}
