import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../model.ts';

export const ARTICLE_EXTENSIONS = ['.md', '.markdown', '.html', '.htm'];

/**
 * Pictures, video, sound, subtitles and documents an article may show or link to from the
 * content folder (a Hugo page bundle, Hexo's asset folder, a scraper that saved a story's
 * images beside it). Not SVG or HTML: a scraped one can carry scripts, which would run on the
 * site's own origin when the file is opened.
 */
export const MEDIA_EXTENSIONS = new Set([
  '.jpg',
  '.jpeg',
  '.jfif',
  '.png',
  '.apng',
  '.gif',
  '.webp',
  '.avif',
  '.bmp',
  '.ico',
  '.mp4',
  '.m4v',
  '.webm',
  '.ogv',
  '.mov',
  '.mp3',
  '.m4a',
  '.aac',
  '.oga',
  '.ogg',
  '.opus',
  '.wav',
  '.flac',
  // A video's subtitles (`<track src>`): text a browser only ever shows as captions.
  '.vtt',
  // Documents a post links to (a Hugo bundle's report, a Hexo `asset_link`): downloaded or
  // shown by a viewer, never run as a page of the site (no HTML, no SVG).
  '.pdf',
  '.epub',
  '.txt',
  '.csv',
  '.zip',
  '.gz',
  '.7z',
  '.doc',
  '.docx',
  '.xls',
  '.xlsx',
  '.ppt',
  '.pptx',
  '.odt',
  '.ods',
  '.odp',
]);

/**
 * Folders that hold tooling, never articles: version control, packages, and the layouts,
 * includes, styles and output of a Jekyll site whose root is taken for the content folder.
 * Hexo's and Jekyll's `_posts`, `_drafts` (drafts) and dot-files are read.
 */
const SKIPPED_FOLDERS = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '_layouts',
  '_includes',
  '_sass',
  '_site',
  '_plugins',
]);

/** A Hugo site's root taken for the content folder: its templates and themes, not posts. */
const SKIPPED_ROOT_FOLDERS = new Set(['archetypes', 'layouts', 'themes']);

/** The file a Gazette output folder holds (`write/output.ts`): a built site, never sources. */
const OUTPUT_MARKER_FILE = '.gazette-output';

export interface ContentFile {
  absolutePath: string;
  /** Relative to the content folder, forward slashes. */
  relativePath: string;
}

/** What a build keeps of a file's `stat`: what tells that it changed. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ino: number;
  /** The three as the cache and the replay check compare them (see `fileSignature`). */
  signature: string;
}

/** What tells that a file is unchanged without reading it: size, modification time, inode. */
export function fileSignature(stats: { size: number; mtimeMs: number; ino: number }): string {
  return `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
}

/** The content files and, for each, its stamp (undefined when it cannot be statted). */
export interface ContentScan extends DiscoveredContent {
  stats: (FileStamp | undefined)[];
  mediaStats: (FileStamp | undefined)[];
}

export interface DiscoveredContent {
  files: ContentFile[];
  /** Media files (`MEDIA_EXTENSIONS`) in the content folder, which articles may show. */
  media: ContentFile[];
  diagnostics: Diagnostic[];
  /** Folders (relative, forward slashes, '' for the content folder) that could not be listed:
   * their files are there, unseen, not gone. */
  unreadableFolders: string[];
}

/**
 * Lists and stats the content files once, for the replay check and the cache to share. Only
 * three numbers of each `Stats` are kept: on Node 20 each holds four `Date` objects, 60 MB
 * for 100,000 files kept through the build.
 */
export function scanContent(contentDir: string): ContentScan {
  const discovered = discoverContent(contentDir);
  const stamp = (file: ContentFile): FileStamp | undefined => {
    try {
      const { size, mtimeMs, ino } = statSync(file.absolutePath);
      // Made once here: a float's decimal form is dear, and three uses of 100,000 add up.
      return { size, mtimeMs, ino, signature: fileSignature({ size, mtimeMs, ino }) };
    } catch {
      return undefined;
    }
  };
  return {
    ...discovered,
    stats: discovered.files.map(stamp),
    mediaStats: discovered.media.map(stamp),
  };
}

/**
 * Lists article files under `contentDir`, recursively, in a stable order. Symbolic links are
 * followed only when they stay inside the content folder.
 */
export function discoverContent(contentDir: string): DiscoveredContent {
  const files: ContentFile[] = [];
  const media: ContentFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const unreadableFolders: string[] = [];
  const root = realpathSync(contentDir);
  const visited = new Set<string>([root]);
  // An explicit stack: archives nest deep and a recursive walk would gain nothing. Each
  // folder goes with its path relative to the root, so that a file's is one concatenation
  // (path.relative for each of 100,000 files took a quarter of a second).
  const pending: { folder: string; relativeFolder: string }[] = [
    { folder: root, relativeFolder: '' },
  ];
  while (pending.length > 0) {
    const { folder, relativeFolder } = pending.pop()!;
    const folderPrefix = folder.endsWith(path.sep) ? folder : `${folder}${path.sep}`;
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      diagnostics.push({
        severity: 'error',
        file: toRelative(root, folder) || '.',
        message: `cannot read folder: ${code ?? (error as Error).message}`,
      });
      if (code !== 'ENOENT' && code !== 'ENOTDIR')
        unreadableFolders.push(relativeFolder.replace(/\/$/, ''));
      continue;
    }
    // A site Gazette built (a copy kept beside the content, say): its pages are no articles.
    if (relativeFolder !== '' && entries.some((entry) => entry.name === OUTPUT_MARKER_FILE))
      continue;
    for (const entry of entries) {
      const absolutePath = `${folderPrefix}${entry.name}`;
      const relativePath = `${relativeFolder}${entry.name}`;
      let isFile = entry.isFile();
      let isFolder = entry.isDirectory();
      let target = absolutePath;
      if (entry.isSymbolicLink()) {
        try {
          target = realpathSync(absolutePath);
          const stats = statSync(target);
          isFile = stats.isFile();
          isFolder = stats.isDirectory();
        } catch (error) {
          if (isArticleName(entry.name)) {
            const loop = (error as NodeJS.ErrnoException).code === 'ELOOP';
            diagnostics.push({
              severity: 'warning',
              file: relativePath,
              message: loop
                ? 'symbolic link loop, skipped'
                : 'broken symbolic link (its target does not exist), skipped',
            });
          }
          continue;
        }
        if (!isInside(root, target)) {
          if (isFolder || isArticleName(entry.name)) {
            diagnostics.push({
              severity: 'warning',
              file: relativePath,
              message: 'symbolic link points outside the content folder, not followed',
            });
          }
          continue;
        }
      }
      if (isFolder) {
        if (SKIPPED_FOLDERS.has(entry.name) || visited.has(target)) continue;
        if (relativeFolder === '' && SKIPPED_ROOT_FOLDERS.has(entry.name)) continue;
        visited.add(target);
        pending.push({
          folder: target,
          relativeFolder: `${target === absolutePath ? relativePath : toRelative(root, target)}/`,
        });
      } else if (isFile && isArticleName(entry.name)) {
        // Read as the file it leads to: only if that is an article too (not `../.git/config`).
        if (target === absolutePath || isArticleName(toRelative(root, target)))
          files.push({ absolutePath: target, relativePath });
      } else if (isFile && isMediaName(entry.name)) {
        // A link is published as the file it leads to: only if that is a picture too, and not
        // in a tooling folder (`photo.jpg -> ../.git/config` would publish a token).
        if (target === absolutePath || isPublishableMedia(toRelative(root, target)))
          media.push({ absolutePath: target, relativePath });
      } else if (isFile && /\.mdx$/i.test(entry.name)) {
        // MDX is Markdown with JSX in it, which only a JavaScript site can run.
        diagnostics.push({
          severity: 'warning',
          file: relativePath,
          message:
            'MDX (Markdown with JSX components) is not read; skipped (rename it .md if it holds plain Markdown)',
        });
      } else if (!isFile && isArticleName(entry.name)) {
        // A FIFO would block the read forever; a socket or device is no article either.
        diagnostics.push({
          severity: 'warning',
          file: relativePath,
          message: 'not a regular file (a pipe, socket or device), skipped',
        });
      }
    }
  }
  const byPath = (a: ContentFile, b: ContentFile) =>
    a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0;
  files.sort(byPath);
  media.sort(byPath);
  return { files, media, diagnostics, unreadableFolders };
}

/** The content-relative paths of the content folder's media files. */
export function mediaPaths(discovered: Pick<DiscoveredContent, 'media'>): Set<string> {
  return new Set(discovered.media.map((file) => file.relativePath));
}

/**
 * Whether a file name is a media file's an article may show (`MEDIA_EXTENSIONS`); not with a
 * backslash, which no output path may hold.
 */
export function isMediaName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && MEDIA_EXTENSIONS.has(name.slice(dot).toLowerCase()) && !name.includes('\\');
}

/** A content-relative path a media file may be published from: a picture, not in tooling. */
export function isPublishableMedia(relativePath: string): boolean {
  const parts = relativePath.split('/');
  return (
    isMediaName(parts.at(-1)!) && !parts.slice(0, -1).some((part) => SKIPPED_FOLDERS.has(part))
  );
}

/**
 * Whether a file name (or a relative path) is an article's: an article extension, not a Hugo
 * section's list page (`_index.md`), not in a tooling folder.
 */
export function isArticleName(name: string): boolean {
  const lower = name.toLowerCase();
  if (!ARTICLE_EXTENSIONS.some((extension) => lower.endsWith(extension))) return false;
  const parts = name.split('/');
  if (/^_index\./i.test(parts.at(-1)!)) return false;
  return !parts.slice(0, -1).some((part) => SKIPPED_FOLDERS.has(part));
}

export function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function toRelative(root: string, absolutePath: string): string {
  return path.relative(root, absolutePath).split(path.sep).join('/');
}
