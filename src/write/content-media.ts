/**
 * Publishes the media files articles show from the content folder (see
 * transform/content-files.ts) under `/media/content/`. Each is keyed by its size, time and
 * inode: an archive's gigabytes of pictures are not read again by every build, only the
 * new and changed ones.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { RACY_SECONDS } from '../cache/last-build.ts';
import { fileSignature, isInside, isPublishableMedia } from '../load/discover.ts';
import type { Article, Diagnostic } from '../model.ts';
import { CONTENT_MEDIA_PATH } from '../transform/content-files.ts';
import type { ExtensionOutput } from './output.ts';

/**
 * The file to copy for a content path, where links lead now: still a picture inside the
 * content folder (a link changed since the scan could lead anywhere); undefined otherwise.
 */
function publishableSource(contentDir: string, file: string): string | undefined {
  const root = realpathSync(contentDir);
  const source = realpathSync(path.join(contentDir, ...file.split('/')));
  const relative = path.relative(root, source).split(path.sep).join('/');
  return isInside(root, source) && isPublishableMedia(relative) ? source : undefined;
}

/** Copies every content-folder file the articles show; returns how many are in the output. */
export function publishContentMedia(
  contentDir: string,
  articles: readonly Pick<Article, 'contentFiles'>[],
  output: Pick<ExtensionOutput, 'has' | 'keep' | 'write'>,
  diagnostics: Diagnostic[],
): number {
  const files = new Set<string>();
  for (const article of articles) for (const file of article.contentFiles ?? []) files.add(file);
  const warn = (file: string, message: string) =>
    diagnostics.push({ severity: 'warning', file, message });
  // A file changed in the last seconds may change again within its timestamp's tick, its
  // size and time the same: such a file is compared by its bytes (git's "racily clean").
  const racyAfter = Date.now() - RACY_SECONDS * 1000;
  let published = 0;
  for (const file of [...files].sort()) {
    const sitePath = `${CONTENT_MEDIA_PATH}${file}`;
    if (output.has(sitePath)) {
      warn(
        file,
        `a file of public/ has the same site path (${sitePath}); this one is not published`,
      );
      continue;
    }
    let source: string | undefined;
    let copied: boolean;
    try {
      source = publishableSource(contentDir, file);
      if (source === undefined) {
        warn(
          file,
          'now leads outside the content folder or to a file not a picture; not published',
        );
        continue;
      }
      const stats = statSync(source);
      const key = stats.mtimeMs < racyAfter ? `file ${fileSignature(stats)}` : undefined;
      copied =
        (key !== undefined && output.keep(sitePath, key)) ||
        output.write(sitePath, readFileSync(source), key);
    } catch (error) {
      // Gone or unreadable since the content was scanned: the next build sees it as it is.
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      warn(file, `cannot be published (${reason}); pages showing it have a broken image`);
      continue;
    }
    if (copied) published++;
    else
      warn(
        file,
        `its site path ${sitePath} cannot be written (it clashes with another file or folder)`,
      );
  }
  return published;
}
