/**
 * Media saved beside an article in the content folder: a Hugo page bundle's pictures, Hexo's
 * asset folder (`_posts/post.md` with `_posts/post/a.jpg`), a scraper that downloaded a
 * story's images next to it because the news site refuses hot-linking. A relative URL in the
 * body or cover that names such a file is published with the site under `/media/content/`.
 *
 * Which paths were looked for is recorded with the transformed body, so a later build
 * transforms the article again only when one of them appears or goes (see `stillResolves`),
 * not every article whenever an image is added.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Root } from 'hast';
import { isMediaName } from '../load/discover.ts';
import { walkElements } from './walk.ts';

/** Site path under which content-folder media are published, by their content-relative path. */
export const CONTENT_MEDIA_PATH = '/media/content/';

/** What one article's relative URLs are looked up in, and what the lookups found. */
export interface ContentFileLookup {
  /** Media files of the content folder, content-relative, forward slashes. */
  files: ReadonlySet<string>;
  /** Folders relative URLs are resolved in, in order (content-relative, '' for the root). */
  folders: readonly string[];
  /**
   * Root-relative URLs (`/posts/trip/map.png`) are looked for from the content folder's root
   * too: in an article without a source URL they name the site's own files, and a Hugo bundle
   * is served at its folder's path.
   */
  fromRoot: boolean;
  /** Files the article's URLs named and were found. */
  found: Set<string>;
  /** Paths its URLs named and were not there. */
  missing: Set<string>;
}

/**
 * The folders an article's relative URLs are looked up in: Hexo's asset folder named after
 * the file (`2022/post.md` → `2022/post/`), then the article's own folder (a page bundle's,
 * or a scraper's `images/` beside its files).
 */
export function articleFolders(relativePath: string): string[] {
  const folder = path.posix.dirname(relativePath);
  const own = folder === '.' ? '' : folder;
  const stem = path.posix.basename(relativePath).replace(/\.[^.]*$/, '');
  if (!stem || /^index$/i.test(stem)) return [own];
  return [path.posix.join(own, stem), own];
}

export function contentFileLookup(
  relativePath: string,
  files: ReadonlySet<string>,
  fromRoot = false,
): ContentFileLookup {
  return {
    files,
    folders: articleFolders(relativePath),
    fromRoot,
    found: new Set(),
    missing: new Set(),
  };
}

/** The site path a content-folder file is published at, percent-encoded. */
export function contentMediaUrl(relativePath: string): string {
  return `${CONTENT_MEDIA_PATH}${relativePath.split('/').map(encodeURIComponent).join('/')}`;
}

/** The content-relative path a `/media/content/…` URL publishes, if it is one. */
export function contentFileOfMediaUrl(url: string): string | undefined {
  if (!url.startsWith(CONTENT_MEDIA_PATH)) return undefined;
  try {
    return decodeURIComponent(url.slice(CONTENT_MEDIA_PATH.length));
  } catch {
    return undefined;
  }
}

/**
 * The content-relative path a relative URL (`a.jpg`, `./images/a.jpg`, `../shared/a.png`)
 * names in a folder, without query or fragment; undefined for other URLs and for paths that
 * leave the content folder.
 */
function pathInFolder(url: string, folder: string): string | undefined {
  const file = url.replace(/[?#].*$/s, '').replaceAll('\\', '/');
  if (!file || file.startsWith('/') || /^[a-z][a-z\d+.-]*:/i.test(file)) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(file);
  } catch {
    decoded = file;
  }
  const joined = path.posix.normalize(path.posix.join(folder, decoded));
  if (joined === '..' || joined.startsWith('../') || joined.endsWith('/')) return undefined;
  return joined;
}

/**
 * The published URL of the content-folder file a relative URL names, looked for in the
 * article's folders in order; undefined when none has it. Each path looked at is recorded.
 */
export function publishedContentFile(url: string, lookup: ContentFileLookup): string | undefined {
  if (lookup.files.size === 0) return undefined;
  const candidates: string[] = [];
  const rootRelative = url.startsWith('/') && !url.startsWith('//');
  if (rootRelative && !lookup.fromRoot) return undefined;
  for (const folder of rootRelative ? [''] : lookup.folders) {
    const candidate = pathInFolder(rootRelative ? url.slice(1) : url, folder);
    if (candidate === undefined) continue;
    if (lookup.files.has(candidate)) {
      lookup.found.add(candidate);
      for (const missing of candidates) lookup.missing.add(missing);
      return contentMediaUrl(candidate);
    }
    candidates.push(candidate);
  }
  // Only names that could be media: `image.php?id=3` will never be a file found here.
  for (const missing of candidates) if (isMediaName(missing)) lookup.missing.add(missing);
  return undefined;
}

/** What a transformed body records of its lookups (see `ContentFileLookup`). */
export interface ContentFileUse {
  /** Files the finished body and its cover show: those the site publishes. */
  contentFiles?: string[];
  /** Files the lookups found, when not the same as `contentFiles` (an image dropped since). */
  foundContentFiles?: string[];
  missingContentFiles?: string[];
}

const URL_PROPERTIES = ['src', 'srcSet', 'poster', 'href'] as const;

/** The files of the lookup that a finished body and its cover show. */
function filesShown(
  tree: Root,
  coverSrc: string | undefined,
  found: ReadonlySet<string>,
): string[] {
  const shown = new Set<string>();
  const take = (url: string) => {
    const file = contentFileOfMediaUrl(url);
    if (file !== undefined && found.has(file)) shown.add(file);
  };
  if (coverSrc) take(coverSrc);
  walkElements(tree, (element) => {
    for (const property of URL_PROPERTIES) {
      const value = element.properties[property];
      if (typeof value !== 'string' || !value.includes(CONTENT_MEDIA_PATH)) continue;
      // A srcset's candidates are `url descriptor` pairs; the URLs are encoded (no comma).
      for (const candidate of property === 'srcSet' ? value.split(',') : [value])
        take(candidate.trim().split(/\s+/)[0]!);
    }
    return undefined;
  });
  return [...shown].sort();
}

/**
 * The lookups' outcome, for the transformed body (absent when there were none): which files
 * the finished body and cover show, and, to know when to transform it again, what was found
 * and what was missing.
 */
export function contentFileUse(
  lookup: ContentFileLookup | undefined,
  tree: Root,
  coverSrc: string | undefined,
): ContentFileUse {
  if (!lookup) return {};
  const found = [...lookup.found].sort();
  const shown = found.length > 0 ? filesShown(tree, coverSrc, lookup.found) : [];
  return {
    ...(shown.length > 0 ? { contentFiles: shown } : {}),
    ...(found.join('\0') !== shown.join('\0') ? { foundContentFiles: found } : {}),
    ...(lookup.missing.size > 0 ? { missingContentFiles: [...lookup.missing].sort() } : {}),
  };
}

/**
 * Whether a body transformed earlier would be transformed the same with the content folder's
 * media as they are now: every file its lookups found is still there, none missing has come.
 */
export function stillResolves(use: ContentFileUse, files: ReadonlySet<string>): boolean {
  return (
    (use.foundContentFiles ?? use.contentFiles ?? []).every((file) => files.has(file)) &&
    !(use.missingContentFiles ?? []).some((file) => files.has(file))
  );
}

/**
 * What an article's page is made of, for the keys that tell a page unchanged: its file's
 * bytes and, when its body shows media saved beside it, which ones (an image saved since
 * changes the page, not the file).
 */
export function articleMadeOf(fileHash: string, use: ContentFileUse): string {
  const found = use.foundContentFiles ?? use.contentFiles;
  if (!found?.length) return fileHash;
  return createHash('sha1')
    .update(`${fileHash}\0${found.join('\0')}`)
    .digest('hex');
}
