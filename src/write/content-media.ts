/**
 * Publishes the media files articles show from the content folder (see
 * transform/content-files.ts) under `/media/content/`. Each is keyed by its size, time and
 * inode: an archive's gigabytes of pictures are not read again by every build, only the
 * new and changed ones.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileSignature } from '../load/discover.ts';
import type { Article, Diagnostic } from '../model.ts';
import { CONTENT_MEDIA_PATH } from '../transform/content-files.ts';
import type { ExtensionOutput } from './output.ts';

/** Copies every content-folder file the articles show; returns how many are in the output. */
export function publishContentMedia(
  contentDir: string,
  articles: readonly Pick<Article, 'contentFiles'>[],
  output: Pick<ExtensionOutput, 'has' | 'keep' | 'write'>,
  diagnostics: Diagnostic[],
): number {
  const files = new Set<string>();
  for (const article of articles) for (const file of article.contentFiles ?? []) files.add(file);
  let published = 0;
  for (const file of [...files].sort()) {
    const sitePath = `${CONTENT_MEDIA_PATH}${file}`;
    if (output.has(sitePath)) {
      diagnostics.push({
        severity: 'warning',
        file,
        message: `a file of public/ has the same site path (${sitePath}); this one is not published`,
      });
      continue;
    }
    const source = path.join(contentDir, ...file.split('/'));
    try {
      const key = `file ${fileSignature(statSync(source))}`;
      if (output.keep(sitePath, key) || output.write(sitePath, readFileSync(source), key))
        published++;
    } catch (error) {
      // Gone or unreadable since the content was scanned: the next build sees it as it is.
      diagnostics.push({
        severity: 'warning',
        file,
        message: `cannot be published (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); pages showing it have a broken image`,
      });
    }
  }
  return published;
}
