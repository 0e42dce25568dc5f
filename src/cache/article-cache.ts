import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { Diagnostic, LoadedArticle, PathWish, TransformedBody } from '../model.ts';
import { isRunning } from '../processes.ts';
import { articleMadeOf } from '../transform/content-files.ts';
import { type BodyRef, BodyStore, DamagedBodyError } from './body-store.ts';

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
    | 'body'
    | 'date'
    | 'updated'
    | 'publishDate'
    | 'expiryDate'
    | 'sourcePath'
    | 'relativePath'
    | 'contentHash'
  > & {
    date: number;
    updated?: number | undefined;
    publishDate?: number | undefined;
    expiryDate?: number | undefined;
  };
  body: Omit<TransformedBody, 'html'>;
  html: BodyRef;
  diagnostics: Diagnostic[];
  /** Where the article asks to be (see `PathWish`), once collected. */
  wish?: PathWish;
  /**
   * Made with another config or Gazette, and kept for a file that could not be read since
   * (see `lastEntry`): never taken for the file once it can be read again.
   */
  carried?: true;
  /** A draft that is not built: its body is empty, and it makes no page. */
  draft?: true;
}

/** The index's first line: what its entries were made with and where their bodies are. */
interface IndexHeader {
  /** Gazette version and configuration hash the entries were made with. */
  key: string;
  /** The pack file the entries' bodies are in. */
  pack: string;
}

/**
 * The index is JSON lines: the header, then `[relativePath, entry]` per line, a later line
 * replacing an earlier one for the same file and `[relativePath, null]` dropping it. A build
 * appends the lines of the files it changed instead of rewriting the whole index (100 MB for
 * 100,000 articles); the index is rewritten when dead lines outnumber live ones, or when a
 * build changes more than a quarter of the entries.
 */
const INDEX_FILE = 'articles.jsonl';

function madeOf(entry: CachedArticle | undefined): string | undefined {
  return entry && articleMadeOf(entry.contentHash, entry.body);
}
/** Characters of lines written at once when the index is rewritten. */
const WRITE_CHUNK = 1 << 20;
/** Bytes of the index read and decoded at once (whole lines; a longer line is read whole). */
const READ_CHUNK = 1 << 20;
const NEWLINE = 0x0a;

/**
 * Each pack has a name of its own and the index names its pack: a build that is interrupted
 * after starting a new pack (another config) or compacting leaves the old index pointing
 * into the old, untouched pack, never into bodies of other articles.
 */
function newPackName(): string {
  return `bodies-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}.pack`;
}

interface StoredIndex {
  header: IndexHeader;
  entries: Map<string, CachedArticle>;
  /** Entry lines in the file, live or not. */
  lines: number;
  /** False when the last line was cut short: the next line appended must start afresh. */
  endsWithNewline: boolean;
}

/**
 * The index's text a megabyte of whole lines at a time, read from the file as it goes: the
 * whole file as one buffer (150 MB at 100,000 articles) stayed in memory until the end of
 * the build, and as one string it would take twice that. `atEnd` is called with whether the
 * last line was ended by a newline.
 */
function* indexText(fd: number, atEnd: (endsWithNewline: boolean) => void): Generator<string> {
  const chunk = Buffer.allocUnsafe(READ_CHUNK);
  // The start of a line cut by the end of a chunk, copied (the chunk is read into again).
  let pending: Buffer = Buffer.alloc(0);
  for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
    const bytes = pending.length > 0 ? Buffer.concat([pending, chunk.subarray(0, read)]) : chunk;
    const length = pending.length + read;
    const lastNewline = bytes.lastIndexOf(NEWLINE, length - 1);
    if (lastNewline >= 0) yield bytes.toString('utf8', 0, lastNewline);
    pending = Buffer.from(bytes.subarray(lastNewline + 1, length));
  }
  if (pending.length > 0) yield pending.toString('utf8');
  atEnd(pending.length === 0);
}

/**
 * Reads the index line by line. A line cut short by a crash while appending is skipped: the
 * file it was for keeps its older entry, whose signature and hash no longer match, and is
 * read again.
 */
function readIndex(file: string, expectedKey?: string): StoredIndex | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    let header: IndexHeader | undefined;
    let endsWithNewline = true;
    const entries = new Map<string, CachedArticle>();
    let lines = 0;
    for (const text of indexText(fd, (ended) => {
      endsWithNewline = ended;
    })) {
      let lineStart = 0;
      if (header === undefined) {
        const newline = text.indexOf('\n');
        try {
          header = JSON.parse(newline < 0 ? text : text.slice(0, newline)) as IndexHeader;
        } catch {
          return undefined;
        }
        // Anything but an object (`null`, a number) is no index this version wrote.
        if (typeof header !== 'object' || header === null) return undefined;
        // Entries made with another config or Gazette are not used: not parsed either (at
        // 100,000 articles, a second and 190 MB of a build after a config change).
        if (expectedKey !== undefined && header.key !== expectedKey)
          return { header, entries, lines: 0, endsWithNewline: true };
        if (newline < 0) continue;
        lineStart = newline + 1;
      }
      while (lineStart < text.length) {
        const newline = text.indexOf('\n', lineStart);
        const lineEnd = newline < 0 ? text.length : newline;
        try {
          const [relativePath, entry] = JSON.parse(text.slice(lineStart, lineEnd)) as [
            string,
            CachedArticle | null,
          ];
          if (entry) entries.set(relativePath, entry);
          else entries.delete(relativePath);
          lines++;
        } catch {
          // Cut short by a crash: see above.
        }
        lineStart = lineEnd + 1;
      }
    }
    return header === undefined ? undefined : { header, entries, lines, endsWithNewline };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function entryLine(relativePath: string, entry: CachedArticle | null): string {
  return `${JSON.stringify([relativePath, entry])}\n`;
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
  /** Files whose entry this build made or changed: the lines an append adds. */
  private readonly changed = new Set<string>();
  /** Files used by this build that had no entry: `used` less these are the entries kept. */
  private newFiles = 0;
  /** Entry lines in the index file now, live or not. */
  private readonly lines: number;
  private readonly indexEndsWithNewline: boolean;
  /** True when the cache on disk was unusable or made with another key. */
  readonly invalidated: boolean;
  /** The new index is written, for `save` to put in place (see `writeAhead`). */
  private writtenAhead = false;
  /**
   * Once `settle` let the entries go: the lines `save` appends, and the hashes the files
   * this build stored had before.
   */
  private settled: { append: string; hashesBefore: Map<string, string | undefined> } | undefined;
  /**
   * Where this cache writes a new index before putting it in place: named by the process, so
   * that two builds sharing the cache folder (`gazette dev` beside a build) do not write one
   * file, and a file left by a killed build can be told and removed.
   */
  private readonly tempIndex = `${INDEX_FILE}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  /** The index this cache replaces, once read again (`replaced`; null: none usable). */
  private replacedIndex: StoredIndex | null | undefined;

  constructor(
    private readonly dir: string,
    private readonly key: string,
  ) {
    mkdirSync(dir, { recursive: true });
    const stored = readIndex(path.join(dir, INDEX_FILE), key);
    this.invalidated =
      stored?.header.key !== key ||
      typeof stored.header.pack !== 'string' ||
      !/^bodies-[\w-]+\.pack$/.test(stored.header.pack) ||
      !existsSync(path.join(dir, stored.header.pack));
    this.bodies = new BodyStore(
      path.join(dir, this.invalidated ? newPackName() : stored!.header.pack),
    );
    this.entries = this.invalidated ? new Map() : stored!.entries;
    this.lines = this.invalidated ? 0 : stored!.lines;
    this.indexEndsWithNewline = this.invalidated || stored!.endsWithNewline;
  }

  /**
   * Whether the cache has an entry for a file at all: only then can its bytes be worth
   * reading and hashing before the file goes to be loaded and transformed.
   */
  hasEntry(relativePath: string): boolean {
    return this.entries.has(relativePath);
  }

  /** The entry for a file when its content (and, if it mattered, its mtime) is unchanged. */
  lookup(relativePath: string, contentHash: string, mtimeMs: number): CachedArticle | undefined {
    const entry = this.entries.get(relativePath);
    if (!entry || entry.carried || entry.contentHash !== contentHash) return undefined;
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
    if (!entry || entry.carried || entry.signature !== signature || !this.bodies.holds(entry.html))
      return undefined;
    this.used.set(relativePath, entry);
    return entry;
  }

  /**
   * The entry a file had, whatever its content now: for a file that cannot be read this
   * time, whose last built version is better kept than dropped.
   */
  lastEntry(relativePath: string): CachedArticle | undefined {
    const entry = this.entries.get(relativePath);
    if (entry && this.bodies.holds(entry.html)) {
      this.used.set(relativePath, entry);
      return entry;
    }
    return this.invalidated ? this.carryOver(relativePath) : undefined;
  }

  /** The files under a folder (relative, '' for all) that the cache has an entry for. */
  pathsUnder(folder: string): string[] {
    const entries = this.invalidated ? this.replaced()?.entries : this.entries;
    const prefix = folder === '' ? '' : `${folder}/`;
    return [...(entries?.keys() ?? [])].filter((relativePath) => relativePath.startsWith(prefix));
  }

  /**
   * The entry a file had in the index this cache replaces (made with another config or
   * Gazette), its body copied into the new pack: an unreadable file's page outlives a change
   * of settings. The old index and pack are still there, until `save`.
   */
  private carryOver(relativePath: string): CachedArticle | undefined {
    const stored = this.replaced();
    const entry = stored?.entries.get(relativePath);
    const packFile = stored && path.join(this.dir, path.basename(String(stored.header.pack)));
    if (!entry || !packFile || packFile === this.bodies.file || !existsSync(packFile))
      return undefined;
    const pack = new BodyStore(packFile);
    try {
      if (!pack.holds(entry.html)) return undefined;
      // Its URL is worked out again under this build's config; the rest stays as it was made.
      const { wish: _wish, ...made } = entry;
      const carried: CachedArticle = {
        ...made,
        html: this.bodies.put(pack.get(entry.html)),
        carried: true,
      };
      this.store(relativePath, carried);
      return carried;
    } catch (error) {
      // A damaged body is not carried: the file's own error stands, its page goes.
      if (error instanceof DamagedBodyError) return undefined;
      throw error;
    } finally {
      pack.close();
    }
  }

  /** The index an invalidated cache replaces: read again only when a file is to be kept. */
  private replaced(): StoredIndex | null {
    this.replacedIndex ??= readIndex(path.join(this.dir, INDEX_FILE)) ?? null;
    return this.replacedIndex;
  }

  /**
   * What a file's article was made of when this cache was read, before this build's changes
   * (its bytes, and the media beside it it showed: see `articleMadeOf`).
   */
  contentHashBefore(relativePath: string): string | undefined {
    if (this.settled) return this.settled.hashesBefore.get(relativePath);
    return madeOf(this.entries.get(relativePath));
  }

  store(relativePath: string, entry: CachedArticle): void {
    if (this.writtenAhead || this.settled)
      throw new Error('build cache: an entry was stored after its index was written');
    if (!this.used.has(relativePath) && !this.entries.has(relativePath)) this.newFiles++;
    this.used.set(relativePath, entry);
    if (this.entries.get(relativePath) !== entry) this.changed.add(relativePath);
  }

  /**
   * Records the entries used by this build (deleted files drop out) and closes the pack: the
   * changed entries are appended, or the index is rewritten when the pack was compacted, the
   * cache started over, or dead lines would outnumber live ones.
   */
  save(): void {
    const file = path.join(this.dir, INDEX_FILE);
    if (this.writtenAhead) {
      renameSync(path.join(this.dir, this.tempIndex), file);
      this.bodies.close();
      this.removePacksOtherThan(this.bodies.file);
      return;
    }
    const append = this.settled?.append ?? this.linesToAppend();
    if (append !== undefined) {
      if (append !== '') appendFileSync(file, `${this.indexEndsWithNewline ? '' : '\n'}${append}`);
      this.bodies.close();
      this.removePacksOtherThan(this.bodies.file);
      return;
    }
    const compactedPack = path.join(this.dir, newPackName());
    const moved = this.bodies.compactInto(
      [...this.used.values()].map((entry) => entry.html),
      compactedPack,
    );
    const pack = moved ? compactedPack : this.bodies.file;
    const temp = path.join(this.dir, this.tempIndex);
    this.writeIndex(temp, pack, moved);
    renameSync(temp, file);
    this.bodies.close();
    this.removePacksOtherThan(pack);
  }

  /**
   * The lines to append to the index for this build's changes (deleted files drop out), or
   * undefined when the index is to be rewritten instead: the pack is worth compacting, the
   * cache started over, or dead lines would outnumber live ones.
   */
  private linesToAppend(): string | undefined {
    if (this.invalidated) return undefined;
    // Looked for only when some entry went unused (a look at each of 100,000 took 60 ms).
    const removed =
      this.used.size - this.newFiles === this.entries.size
        ? []
        : [...this.entries.keys()].filter((relativePath) => !this.used.has(relativePath));
    const lines = this.lines + this.changed.size + removed.length;
    // Many lines at once (every file of a cold build was racy, and is now remembered with its
    // signature) are better rewritten than appended: each later build would read them twice.
    const fewLines = this.changed.size + removed.length <= this.used.size / 4 + 1000;
    if (!fewLines || lines > 2 * this.used.size + 1000) return undefined;
    if (this.bodies.wouldCompact([...this.used.values()].map((entry) => entry.html)))
      return undefined;
    return [
      ...[...this.changed].map((relativePath) =>
        entryLine(relativePath, this.used.get(relativePath)!),
      ),
      ...removed.map((relativePath) => entryLine(relativePath, null)),
    ].join('');
  }

  /**
   * Called once the build has stored every entry: the entries are let go, the site holding
   * what it needs of them (at 100,000 articles, 100 MB of the index's objects were otherwise
   * held to the end of the build). A cache started afresh writes its new index now
   * (`writeAhead`); one whose index `save` will append to works out those lines now. A cache
   * whose index is to be rewritten keeps its entries for `save`.
   */
  settle(): void {
    if (this.invalidated) {
      this.writeAhead();
      return;
    }
    const append = this.linesToAppend();
    if (append === undefined) return;
    const hashesBefore = new Map(
      [...this.changed].map((relativePath) => [
        relativePath,
        madeOf(this.entries.get(relativePath)),
      ]),
    );
    this.settled = { append, hashesBefore };
    this.entries.clear();
    this.used.clear();
    this.changed.clear();
  }

  /**
   * Writes the whole index, the entries used by this build in the order they were used, to
   * `target`, naming `pack` (`moved`: the entries' bodies' places in it, if compacted).
   */
  private writeIndex(target: string, pack: string, moved?: BodyRef[]): void {
    // Written a chunk at a time: the whole index as one string would be the build's peak.
    const fd = openSync(target, 'w');
    try {
      let chunk = `${JSON.stringify({ key: this.key, pack: path.basename(pack) } satisfies IndexHeader)}\n`;
      let index = 0;
      for (const [relativePath, entry] of this.used) {
        chunk += entryLine(relativePath, moved ? { ...entry, html: moved[index]! } : entry);
        index++;
        if (chunk.length >= WRITE_CHUNK) {
          writeSync(fd, chunk);
          chunk = '';
        }
      }
      writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * For a cache started afresh (a cold build, another config), writes the new index now, once
   * every entry is stored, so that the entries need not be held while the site renders (at
   * 100,000 articles, 75 MB of a cold build's peak). It is put in place by `save`; a build
   * that stops first leaves the old index (or none), as it would have. Not done when `save`
   * would compact the pack, which moves the bodies the index points to.
   */
  private writeAhead(): void {
    if (!this.invalidated || this.writtenAhead) return;
    const live = [...this.used.values()].map((entry) => entry.html);
    if (this.bodies.wouldCompact(live)) return;
    this.writeIndex(path.join(this.dir, this.tempIndex), this.bodies.file);
    this.used.clear();
    this.changed.clear();
    this.writtenAhead = true;
  }

  /**
   * Once the index names `pack`, other packs (of an interrupted build, of another config), an
   * index of an earlier version and new indexes a killed build left unfinished can go.
   */
  private removePacksOtherThan(pack: string): void {
    for (const name of readdirSync(this.dir)) {
      const writer = /^articles\.jsonl\.(\d+)-\w+\.tmp$/.exec(name)?.[1];
      if (
        (/^bodies.*\.pack$/.test(name) && name !== path.basename(pack)) ||
        name === 'articles.json' ||
        name === `${INDEX_FILE}.tmp` ||
        (writer !== undefined && !isRunning(Number(writer)))
      ) {
        rmSync(path.join(this.dir, name), { force: true });
      }
    }
  }

  close(): void {
    this.bodies.close();
    if (this.writtenAhead) rmSync(path.join(this.dir, this.tempIndex), { force: true });
  }

  /**
   * Closes the cache and deletes its index and packs (a body was found damaged): the next
   * build transforms every file again. Called while holding the cache folder's lock.
   */
  discard(): void {
    this.bodies.close();
    for (const name of readdirSync(this.dir)) {
      if (name.startsWith(INDEX_FILE) || /^bodies.*\.pack$/.test(name))
        rmSync(path.join(this.dir, name), { force: true });
    }
  }
}

export { fileSignature } from '../load/discover.ts';

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
    publishDate: loaded.publishDate === undefined ? undefined : new Date(loaded.publishDate),
    expiryDate: loaded.expiryDate === undefined ? undefined : new Date(loaded.expiryDate),
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
    publishDate: loaded.publishDate?.getTime(),
    expiryDate: loaded.expiryDate?.getTime(),
    lang: loaded.lang,
    format: loaded.format,
    bodyLine: loaded.bodyLine,
    extra: loaded.extra,
  };
}
