import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { Diagnostic, LoadedArticle, TransformedBody } from '../model.ts';
import { type BodyRef, BodyStore } from './body-store.ts';

/** What the load and transform stages made of one file, minus the body texts. */
export interface CachedArticle {
  /** Hash of the file's bytes. */
  contentHash: string;
  /** Set when the article's date came from the file's modification time. */
  mtimeMs?: number;
  /** The file's size, modification time and inode when it was read (see `fileSignature`). */
  signature?: string;
  loaded: Omit<
    LoadedArticle,
    'body' | 'date' | 'updated' | 'sourcePath' | 'relativePath' | 'contentHash'
  > & { date: number; updated?: number | undefined };
  body: Omit<TransformedBody, 'html'>;
  html: BodyRef;
  diagnostics: Diagnostic[];
}

interface CacheFile {
  /** Gazette version and configuration hash the entries were made with. */
  key: string;
  /** The pack file the entries' bodies are in. */
  pack: string;
  entries: Record<string, CachedArticle>;
}

const INDEX_FILE = 'articles.json';

/**
 * Each pack has a name of its own and the index names its pack: a build that is interrupted
 * after starting a new pack (another config) or compacting leaves the old index pointing
 * into the old, untouched pack, never into bodies of other articles.
 */
function newPackName(): string {
  return `bodies-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}.pack`;
}

/**
 * The persistent article cache: by relative path, the loaded front matter and transformed
 * body of the file content it was made from. Entries made with another Gazette version or
 * configuration are dropped as a whole.
 */
export class ArticleCache {
  readonly bodies: BodyStore;
  private readonly entries: Map<string, CachedArticle>;
  private readonly used = new Map<string, CachedArticle>();
  /** True when the cache on disk was unusable or made with another key. */
  readonly invalidated: boolean;

  constructor(
    private readonly dir: string,
    private readonly key: string,
  ) {
    mkdirSync(dir, { recursive: true });
    let stored: CacheFile | undefined;
    try {
      stored = JSON.parse(readFileSync(path.join(dir, INDEX_FILE), 'utf8')) as CacheFile;
    } catch {
      stored = undefined;
    }
    this.invalidated =
      stored?.key !== key ||
      typeof stored.pack !== 'string' ||
      !/^bodies-[\w-]+\.pack$/.test(stored.pack) ||
      !existsSync(path.join(dir, stored.pack));
    this.bodies = new BodyStore(path.join(dir, this.invalidated ? newPackName() : stored!.pack));
    this.entries = new Map(this.invalidated ? [] : Object.entries(stored?.entries ?? {}));
  }

  /** The entry for a file when its content (and, if it mattered, its mtime) is unchanged. */
  lookup(relativePath: string, contentHash: string, mtimeMs: number): CachedArticle | undefined {
    const entry = this.entries.get(relativePath);
    if (!entry || entry.contentHash !== contentHash) return undefined;
    if (entry.mtimeMs !== undefined && entry.mtimeMs !== mtimeMs) return undefined;
    if (!this.bodies.holds(entry.html)) return undefined;
    this.used.set(relativePath, entry);
    return entry;
  }

  /**
   * The entry for a file whose size, modification time and inode are those it had when it was
   * cached: taken without reading the file again, as make and Hugo trust modification times.
   */
  lookupUnchanged(relativePath: string, signature: string): CachedArticle | undefined {
    const entry = this.entries.get(relativePath);
    if (!entry || entry.signature !== signature || !this.bodies.holds(entry.html)) return undefined;
    this.used.set(relativePath, entry);
    return entry;
  }

  store(relativePath: string, entry: CachedArticle): void {
    this.used.set(relativePath, entry);
  }

  /** Writes the entries used by this build (deleted files drop out) and closes the pack. */
  save(): void {
    const relativePaths = [...this.used.keys()];
    const live = relativePaths.map((file) => this.used.get(file)!.html);
    const compactedPack = path.join(this.dir, newPackName());
    const moved = this.bodies.compactInto(live, compactedPack);
    const pack = moved ? compactedPack : this.bodies.file;
    const refs = moved ?? live;
    const entries: Record<string, CachedArticle> = {};
    relativePaths.forEach((file, index) => {
      entries[file] = { ...this.used.get(file)!, html: refs[index]! };
    });
    const file = path.join(this.dir, INDEX_FILE);
    writeFileSync(
      `${file}.tmp`,
      JSON.stringify({ key: this.key, pack: path.basename(pack), entries } satisfies CacheFile),
    );
    renameSync(`${file}.tmp`, file);
    this.bodies.close();
    // Only now may packs the index no longer names go.
    for (const name of readdirSync(this.dir)) {
      if (/^bodies.*\.pack$/.test(name) && name !== path.basename(pack)) {
        rmSync(path.join(this.dir, name), { force: true });
      }
    }
  }

  close(): void {
    this.bodies.close();
  }
}

/** What tells that a file is unchanged without reading it. */
export function fileSignature(stats: { size: number; mtimeMs: number; ino: number }): string {
  return `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
}

/**
 * A loaded article back from the cache; its body text is not kept (it is already
 * transformed). Fields are listed, not spread: a rest pattern over 20 fields makes a hash
 * table of each object, a hundred thousand of them in a large archive.
 */
export function loadedFromCache(
  entry: CachedArticle,
  file: { absolutePath: string; relativePath: string },
): LoadedArticle {
  const { loaded } = entry;
  return {
    sourcePath: file.absolutePath,
    relativePath: file.relativePath,
    title: loaded.title,
    date: new Date(loaded.date),
    updated: loaded.updated === undefined ? undefined : new Date(loaded.updated),
    categories: loaded.categories,
    tags: loaded.tags,
    authors: loaded.authors,
    cover: loaded.cover,
    sourceUrl: loaded.sourceUrl,
    description: loaded.description,
    slug: loaded.slug,
    permalink: loaded.permalink,
    draft: loaded.draft,
    lang: loaded.lang,
    format: loaded.format,
    body: '',
    bodyLine: loaded.bodyLine,
    extra: loaded.extra,
    contentHash: entry.contentHash,
  };
}

/**
 * The loaded article as the cache keeps it: without its body, and without what the entry's
 * place says already (its paths, the hash of its bytes).
 */
export function cacheableLoaded(loaded: LoadedArticle): CachedArticle['loaded'] {
  return {
    title: loaded.title,
    date: loaded.date.getTime(),
    updated: loaded.updated?.getTime(),
    categories: loaded.categories,
    tags: loaded.tags,
    authors: loaded.authors,
    cover: loaded.cover,
    sourceUrl: loaded.sourceUrl,
    description: loaded.description,
    slug: loaded.slug,
    permalink: loaded.permalink,
    draft: loaded.draft,
    lang: loaded.lang,
    format: loaded.format,
    bodyLine: loaded.bodyLine,
    extra: loaded.extra,
  };
}
