import { hash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { outputRelativeFile } from '../collect/urls.ts';

/** Marks a folder as Gazette's output, so a build never replaces a folder it did not make. */
export const OUTPUT_MARKER = '.gazette-output';
const MANIFEST = '.gazette-output';
/** In an update's staging folder: the list of changes, written once every file is staged. */
const UPDATE_JOURNAL = '.gazette-update';

/** A problem with the output folder that stops the build before anything is replaced. */
export class OutputError extends Error {
  override name = 'OutputError';
}

/**
 * Checks that `outDir` may be replaced: it is not the project, the content or a parent of
 * them, nor inside a folder the build reads every file of (`inputFolders`: the content and
 * public folders, whose next build would read this one's pages back as articles or copy the
 * site into itself), and if it exists and is not empty, an earlier build made it.
 */
export function checkOutputFolder(
  outDir: string,
  protectedFolders: string[],
  inputFolders: Record<string, string> = {},
): void {
  const out = path.resolve(outDir);
  if (out === path.parse(out).root || linkFreePath(out) === path.parse(out).root)
    throw new OutputError(`refusing to use the file-system root as the output folder`);
  // Compared as written and with symbolic links resolved: a content folder that is a link
  // to the folder holding the output is walked where it leads.
  const within = (inner: string, outer: string) =>
    [
      [inner, outer],
      [linkFreePath(inner), linkFreePath(outer)],
    ].some(([a, b]) => {
      const relative = path.relative(b!, a!);
      return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
    });
  for (const [name, folder] of Object.entries(inputFolders)) {
    if (within(out, path.resolve(folder))) {
      throw new OutputError(
        `output folder ${out} is inside the ${name} folder ${path.resolve(folder)}, which every build reads; choose an --out outside it`,
      );
    }
  }
  for (const folder of protectedFolders) {
    const protectedPath = path.resolve(folder);
    if (within(protectedPath, out)) {
      throw new OutputError(
        `output folder ${out} would contain or replace ${protectedPath}; choose another --out`,
      );
    }
  }
  recoverInterruptedSwap(out);
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory())
    throw new OutputError(`output path ${out} exists and is not a folder`);
  const entries = readdirSync(out);
  if (entries.length > 0 && !entries.includes(OUTPUT_MARKER)) {
    throw new OutputError(
      `output folder ${out} is not empty and was not made by Gazette; refusing to replace it (delete it or choose another --out)`,
    );
  }
}

/** A path with its symbolic links resolved, as far as it exists (the output may not yet). */
export function linkFreePath(target: string): string {
  const absolute = path.resolve(target);
  const missing: string[] = [];
  for (let current = absolute; ; current = path.dirname(current)) {
    try {
      return path.join(realpathSync(current), ...missing.reverse());
    } catch {
      if (path.dirname(current) === current) return absolute;
      missing.push(path.basename(current));
    }
  }
}

function sidePath(out: string, role: 'staging' | 'previous'): string {
  return path.join(path.dirname(out), `.${path.basename(out)}.gazette-${role}`);
}

/**
 * A build killed between the two renames of a swap leaves the previous site beside it; one
 * killed while applying an update leaves the journal of that update, which is finished.
 */
function recoverInterruptedSwap(out: string): void {
  const previous = sidePath(out, 'previous');
  if (existsSync(previous)) {
    if (existsSync(out)) removeSiteCopy(previous);
    else renameSync(previous, out);
  }
  const staging = sidePath(out, 'staging');
  const journal = readJournal(staging);
  if (journal && existsSync(out)) applyUpdate(staging, out, journal);
}

/**
 * Deletes a copy of a site Gazette made (the previous site after a swap), making its folders
 * writable first if need be: a site the user made read-only (`chmod -R a-w`) is still
 * Gazette's to replace. False when it cannot.
 */
function removeSiteCopy(folder: string): boolean {
  try {
    rmSync(folder, { recursive: true, force: true });
    return true;
  } catch {
    // Made writable below, then tried again.
  }
  try {
    const pending = [folder];
    for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
      chmodSync(current, statSync(current).mode | 0o700);
      for (const entry of readdirSync(current, { withFileTypes: true }))
        if (entry.isDirectory()) pending.push(path.join(current, entry.name));
    }
    rmSync(folder, { recursive: true, force: true });
    return true;
  } catch {
    return false;
  }
}

/** The output manifest: for each file, the key of what it was made from. */
/**
 * The key of a listed file that no build made (the dev server wrote it): Gazette's, so a
 * build deletes it when the site no longer has it, but never kept as it is (see
 * `StagedOutput.previousKey`).
 */
export const NOT_BUILT_KEY = 'not built';

export interface OutputManifest {
  generator: 'gazette';
  files: Record<string, string>;
  /**
   * Each file's size in bytes, in the order of `files`' keys (as `Object.keys` lists them,
   * which is also the order JSON.parse gives them back in): a file truncated, appended to or
   * rewritten by hand is made again, not kept. An array, not a second object of paths, which
   * would add half to the manifest. Missing (an older manifest) or of another length:
   * files are only looked for.
   */
  sizes?: number[];
  /** What the build that made the files recorded about them (see `PagesRecord`). */
  pages?: PagesRecord;
}

/**
 * Recorded with the files so that the next build can tell which page keys cannot have
 * changed (see render/page-keys.ts): digests of what every key is made of besides the
 * articles, of the terms, of the site's articles (oldest first) and of their files, and how
 * many articles there were. A manifest from before `base` and `articles` has no such record.
 */
export interface PagesRecord {
  base: string;
  terms: string;
  structure: string;
  content: string;
  articles: number;
}

interface UpdateJournal {
  changed: string[];
  removed: string[];
  /**
   * The new manifest, in journals of earlier versions; now it is staged beside the journal
   * (`STAGED_MANIFEST`) before the journal is written, so that it is written once (15 MB at
   * 100,000 articles).
   */
  manifest?: OutputManifest;
}

/** The new manifest in the staging folder, moved into the site last by an update. */
const STAGED_MANIFEST = `${MANIFEST}.next`;

/**
 * Up to this many changed or removed files (or a tenth of the site, if more) are applied in
 * place from a journal instead of swapping in a whole staged copy of the site. Linking every
 * unchanged file into a copy costs a few system calls per file (a second at 15,000 files);
 * an update moves only what changed (adding an article to a 10,000-article site shifts about
 * 900 list pages: some 20 ms of renames), during which a kill leaves old and new pages mixed
 * until the next build finishes the journal.
 */
export const IN_PLACE_UPDATE_LIMIT = 200;

/**
 * What an extension (feeds, sitemap, search) writes its files through: a build's staged
 * output, or the dev server's folder when it makes feeds and sitemap again after a change.
 */
export interface ExtensionOutput {
  /** Whether a file is already at a site path (a `public/` file has precedence). */
  has(sitePath: string): boolean;
  /** Keeps the file made from `key` as it is: false when the caller must make it. */
  keep(sitePath: string, key: string): boolean;
  write(sitePath: string, content: string | Uint8Array, key?: string): boolean;
  /** Whether every file the previous build had under a site folder is still there. */
  previousFolderComplete(sitePath: string): boolean;
  /** Keeps every previous file under a site folder; returns how many. */
  keepFolder(sitePath: string): number;
}

/**
 * The site is staged beside the output folder, so a failed or interrupted build leaves the
 * previous site as it was. Each file has a key (its content hash, or for a rendered page the
 * hash of what it was rendered from): a file whose key did not change is neither rendered
 * nor rewritten, keeping its modification time for deploy tools.
 *
 * Only new and changed files are written to the staging folder. Committing then either
 * moves them into the output folder one rename each, after writing a journal that the next
 * build finishes if this one is killed (a small update, see `IN_PLACE_UPDATE_LIMIT`), or
 * hard-links every unchanged file into the staging folder and swaps it in whole.
 */
export class StagedOutput implements ExtensionOutput {
  readonly outDir: string;
  readonly stagingDir: string;
  private readonly previousKeys: Map<string, string>;
  private readonly previousSizes: ReadonlyMap<string, number>;
  private readonly keys = new Map<string, string>();
  /** Sizes of this build's files where known before committing (see `OutputManifest.sizes`). */
  private readonly sizes = new Map<string, number>();
  /** Files written to the staging folder, and files kept from the previous build. A path is
   * in one of them: the last write of a path (a `public/` file over a theme asset) wins. */
  private readonly changed = new Set<string>();
  private readonly kept = new Set<string>();
  private readonly createdFolders = new Set<string>();
  /** Folders the site's files are in, so that no file is given a folder's place. */
  private readonly folders = new Set<string>();
  /** Site paths refused because a file and a folder wanted the same place. */
  readonly clashes: string[] = [];
  /** Files written by this build. */
  get written(): number {
    return this.changed.size;
  }

  /** Files kept as the previous build left them. */
  get unchanged(): number {
    return this.kept.size;
  }

  /** True once an update's journal is written: from then on, only finishing it is safe. */
  private applying = false;

  /** How the last commit replaced the site: files moved in place, or a whole-site swap. */
  committedAs: 'update' | 'swap' | undefined;

  /**
   * `previous`: the previous site as read and checked ahead (see `readPreviousSite`): its
   * manifest and the files it lists that are gone from the output folder. Without it, the
   * manifest is read here and each file is looked for when it would be kept.
   */
  constructor(
    outDir: string,
    private readonly inPlaceLimit = IN_PLACE_UPDATE_LIMIT,
    previous?: { manifest: PreviousManifest; missing: ReadonlySet<string> },
  ) {
    this.outDir = path.resolve(outDir);
    this.stagingDir = sidePath(this.outDir, 'staging');
    rmSync(this.stagingDir, { recursive: true, force: true });
    mkdirSync(this.stagingDir, { recursive: true });
    this.createdFolders.add(this.stagingDir);
    this.missingPrevious = previous?.missing;
    const manifest = previous?.manifest ?? readManifest(this.outDir);
    this.previousKeys = manifest.keys;
    this.previousSizes = manifest.sizes ?? new Map();
    this.previousPages = manifest.pages;
  }

  private readonly missingPrevious: ReadonlySet<string> | undefined;

  /** What the previous build recorded about its pages, if it did. */
  readonly previousPages: PagesRecord | undefined;
  /** What this build records about its pages, written with the manifest on commit. */
  pages: PagesRecord | undefined;

  /**
   * The key the previous build's file at a site path was made from, while that file is still
   * there: a page made from the same things as then can be kept (`keep`) under it, without
   * its key being computed again. Undefined for a new page or a file deleted by hand.
   */
  previousKey(sitePath: string): string | undefined {
    const relative = this.relativeFor(sitePath);
    const key = relative === undefined ? undefined : this.previousKeys.get(relative);
    if (key === undefined || key === NOT_BUILT_KEY) return undefined;
    return this.previousFileExists(relative!) ? key : undefined;
  }

  /**
   * Takes a site path for a page before it is made, so that pages made out of order (on
   * another thread) keep the place they would have had; false when the path would leave the
   * output folder or clashes with a file or folder already staged. Then `write` it, or have
   * it written to `freshTarget` (`writtenElsewhere`), or give it up (`release`).
   */
  reserve(sitePath: string, key: string): boolean {
    const relative = this.relativeFor(sitePath);
    if (relative === undefined || (!this.keys.has(relative) && !this.claim(relative))) return false;
    this.keys.set(relative, key);
    return true;
  }

  /**
   * The staged file for a reserved page that the previous build did not have (nothing to
   * compare it with): another thread may write it there, then call `writtenElsewhere`.
   */
  freshTarget(sitePath: string): string | undefined {
    const relative = this.relativeFor(sitePath);
    if (relative === undefined || !this.keys.has(relative) || this.previousKeys.has(relative))
      return undefined;
    return path.join(this.stagingDir, relative);
  }

  /** `size`: the bytes written, if the writer counted them (else the file is looked at). */
  writtenElsewhere(sitePath: string, size?: number): void {
    const relative = this.relativeFor(sitePath);
    if (relative === undefined) return;
    this.kept.delete(relative);
    this.changed.add(relative);
    if (size === undefined) this.sizes.delete(relative);
    else this.sizes.set(relative, size);
  }

  /** Gives up a reserved path whose page could not be made. */
  release(sitePath: string): void {
    const relative = this.relativeFor(sitePath);
    if (relative !== undefined) this.keys.delete(relative);
  }

  /**
   * Writes a page or file at a site path; false when the path would leave the output folder.
   * `key` names what the content was made from; by default it is the content's hash. With an
   * explicit key, content equal to the previous file's still counts as unchanged.
   */
  write(sitePath: string, content: string | Uint8Array, key?: string): boolean {
    const relative = this.relativeFor(sitePath);
    if (relative === undefined) return false;
    if (!this.keys.has(relative) && !this.claim(relative)) {
      this.clashes.push(sitePath);
      return false;
    }
    const fileKey = key ?? hash('sha1', content, 'hex');
    this.keys.set(relative, fileKey);
    if (this.previousKeys.get(relative) === fileKey && this.previousFileExists(relative)) {
      this.keepPrevious(relative);
      return true;
    }
    // A keyed page whose key changed is compared with its previous file: encoded once, for
    // the comparison and the write (a rebuild after a template change does it for every page).
    let bytes = content;
    if (key !== undefined && this.previousKeys.has(relative) && this.previousFileExists(relative)) {
      bytes = typeof content === 'string' ? Buffer.from(content) : content;
      if (this.sameAsPrevious(relative, bytes)) {
        this.keepPrevious(relative);
        // Its size as compared, whatever the manifest said (a hand-edited one).
        this.sizes.set(relative, bytes.byteLength);
        return true;
      }
    }
    const target = path.join(this.stagingDir, relative);
    try {
      this.ensureFolder(path.dirname(target));
      writeFileSync(target, bytes);
      // A text's size looked up: encoding it here (Buffer.from) made writing three times
      // slower, and counting its bytes (Buffer.byteLength) takes three times an lstat.
      this.sizes.set(
        relative,
        typeof bytes === 'string' ? lstatSync(target).size : bytes.byteLength,
      );
    } catch (error) {
      // Two outputs wanting one path as a file and as a folder (a category named "index.html"):
      // that file is refused, like a path outside the folder; disk failures still throw.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'EISDIR' && code !== 'ENOTDIR') throw error;
      this.keys.delete(relative);
      this.clashes.push(sitePath);
      return false;
    }
    this.kept.delete(relative);
    this.changed.add(relative);
    return true;
  }

  /**
   * Keeps the previous build's file when it was made from the same key: true if kept, false
   * when the caller must produce the file (new or changed).
   */
  keep(sitePath: string, key: string): boolean {
    const relative = this.relativeFor(sitePath);
    return relative !== undefined && this.keepRelative(relative, key);
  }

  private keepRelative(relative: string, key: string): boolean {
    if (key === NOT_BUILT_KEY || this.previousKeys.get(relative) !== key) return false;
    if (!this.previousFileExists(relative) || !this.claim(relative)) return false;
    this.keys.set(relative, key);
    this.keepPrevious(relative);
    return true;
  }

  /**
   * Whether every file the previous build had under a site folder is still there: a folder
   * kept whole (`keepFolder`) with a file deleted by hand would stay broken.
   */
  previousFolderComplete(sitePath: string): boolean {
    const prefix = sitePath.replace(/^\/+/, '');
    if (this.missingPrevious) {
      for (const relative of this.missingPrevious) if (relative.startsWith(prefix)) return false;
      return true;
    }
    for (const relative of this.previousKeys.keys())
      if (relative.startsWith(prefix) && !this.previousFileExists(relative)) return false;
    return true;
  }

  /** Keeps every previous file under a site folder (`/pagefind/`); returns how many. */
  keepFolder(sitePath: string): number {
    const prefix = sitePath.replace(/^\/+/, '');
    let kept = 0;
    for (const [relative, key] of this.previousKeys) {
      if (
        relative.startsWith(prefix) &&
        !this.keys.has(relative) &&
        this.previousFileExists(relative) &&
        this.claim(relative)
      ) {
        this.keys.set(relative, key);
        this.keepPrevious(relative);
        kept++;
      }
    }
    return kept;
  }

  /** The previous build's file at a site path, if any (for extensions that index pages). */
  previous(sitePath: string): Buffer | undefined {
    const relative = this.relativeFor(sitePath);
    if (relative === undefined || !this.previousKeys.has(relative)) return undefined;
    try {
      return readFileSync(path.join(this.outDir, relative));
    } catch {
      return undefined;
    }
  }

  /** Copies a static file (from `public/`) to a site path. */
  copy(sourceFile: string, sitePath: string): boolean {
    return this.write(sitePath, readFileSync(sourceFile));
  }

  has(sitePath: string): boolean {
    const relative = this.relativeFor(sitePath);
    return relative !== undefined && this.keys.has(relative);
  }

  /** Site paths of the files this build staged or kept. */
  sitePaths(): string[] {
    return [...this.keys.keys()].map((relative) => `/${relative}`);
  }

  /** Site paths of the files the previous build left, as its manifest lists them. */
  previousSitePaths(): string[] {
    return [...this.previousKeys.keys()].map((relative) => `/${relative}`);
  }

  /** The key of the file this build staged or kept at a site path. */
  keyOf(sitePath: string): string | undefined {
    const relative = this.relativeFor(sitePath);
    return relative === undefined ? undefined : this.keys.get(relative);
  }

  /** Replaces the output folder's site with the staged one. */
  commit(): void {
    const files = Object.fromEntries(this.keys);
    const manifest: OutputManifest = {
      generator: 'gazette',
      files,
      sizes: Object.keys(files).map((relative) => this.sizeOf(relative)),
      ...(this.pages ? { pages: this.pages } : {}),
    };
    // Serialized once: at 100,000 articles it is 15 MB, and an update writes it twice.
    const manifestText = JSON.stringify(manifest);
    const removed = [...this.previousKeys.keys()].filter((relative) => !this.keys.has(relative));
    const limit = Math.max(this.inPlaceLimit, Math.floor(this.keys.size / 10));
    const update = () => {
      const journal: UpdateJournal = { changed: [...this.changed], removed };
      // The manifest first: a journal on disk always has its manifest beside it.
      writeFileSync(path.join(this.stagingDir, STAGED_MANIFEST), manifestText);
      writeFileSync(path.join(this.stagingDir, UPDATE_JOURNAL), JSON.stringify(journal));
      // From here a failure (a full disk) must leave the journal for the next build to finish.
      this.applying = true;
      applyUpdate(this.stagingDir, this.outDir, journal);
      this.committedAs = 'update';
    };
    if (
      this.previousKeys.size > 0 &&
      existsSync(this.outDir) &&
      this.changed.size + removed.length <= limit &&
      !underLinkedFolder(this.outDir, [...this.changed, ...removed])
    ) {
      update();
      return;
    }
    for (const relative of this.kept) this.linkPrevious(relative);
    writeFileSync(path.join(this.stagingDir, MANIFEST), manifestText);
    const previous = sidePath(this.outDir, 'previous');
    if (!removeSiteCopy(previous)) {
      throw Object.assign(
        new OutputError(
          `cannot remove ${previous}, an earlier site's copy left by a build that could not delete it; delete it by hand (nothing was replaced, the previous site is intact)`,
        ),
        { code: 'EACCES', path: previous },
      );
    }
    const hadOutput = existsSync(this.outDir);
    if (hadOutput) {
      try {
        renameSync(this.outDir, previous);
      } catch (error) {
        // A mount point (a Docker volume, a bind mount) cannot be moved: its files are
        // updated in place instead, as a small update's are.
        if (!UNMOVABLE_FOLDER_CODES.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
        update();
        return;
      }
    }
    try {
      renameSync(this.stagingDir, this.outDir);
    } catch (error) {
      if (hadOutput) renameSync(previous, this.outDir);
      throw error;
    }
    // The new site is in place: an old copy that cannot go (a site made read-only) is left,
    // said so, not a failed build. The next build tries again.
    if (!removeSiteCopy(previous)) this.leftBehind = previous;
    this.committedAs = 'swap';
  }

  /** The previous site's copy a swap could not delete, if any (see `commit`). */
  leftBehind: string | undefined;

  /**
   * Drops the staged site, leaving the output folder untouched; an update already being
   * applied is left with its journal, for the next build to finish.
   */
  abort(): void {
    if (this.applying) return;
    rmSync(this.stagingDir, { recursive: true, force: true });
  }

  /**
   * Takes a file's place in the site; false when a file and a folder want the same place (a
   * category named "index.html" beside an article at "index.html/…"): the later one is refused.
   */
  private claim(relative: string): boolean {
    if (this.folders.has(relative)) return false;
    const parents: string[] = [];
    // Parent folders by slicing at each '/' from the right (`relative` is normalized).
    for (let end = relative.lastIndexOf('/'); end > 0; end = relative.lastIndexOf('/', end - 1)) {
      const folder = relative.slice(0, end);
      if (this.folders.has(folder)) break;
      if (this.keys.has(folder)) return false;
      parents.push(folder);
    }
    for (const folder of parents) this.folders.add(folder);
    return true;
  }

  /** The last site path resolved, and its file: a page is looked up, then kept or written. */
  private lastSitePath: string | undefined;
  private lastRelative: string | undefined;

  private relativeFor(sitePath: string): string | undefined {
    if (sitePath !== this.lastSitePath) {
      this.lastSitePath = sitePath;
      this.lastRelative = outputRelativeFile(sitePath);
    }
    return this.lastRelative;
  }

  /** Same bytes as the previous file (asked only for keyed pages whose key changed). */
  private sameAsPrevious(relative: string, bytes: Uint8Array): boolean {
    try {
      const file = path.join(this.outDir, relative);
      // A page whose size changed (every page, after a new title) is not read to be compared;
      // a link put in a page's place is not the page, whatever it points to.
      const stats = lstatSync(file);
      if (!stats.isFile() || stats.size !== bytes.byteLength) return false;
      return readFileSync(file).equals(bytes);
    } catch {
      return false;
    }
  }

  /**
   * The manifest may name a file someone deleted, truncated or replaced by hand since; it is
   * made again.
   */
  private previousFileExists(relative: string): boolean {
    if (this.missingPrevious) return !this.missingPrevious.has(relative);
    return isFileAsListed(this.outDir, relative, this.previousSizes.get(relative));
  }

  private keepPrevious(relative: string): void {
    if (this.changed.delete(relative)) {
      unlinkSync(path.join(this.stagingDir, relative));
      this.sizes.delete(relative);
    }
    // An update leaves unchanged files where they are; a swap links them in when committing.
    this.kept.add(relative);
  }

  /**
   * A file's size for the manifest: as written, or as the previous manifest had it for a
   * kept file (not copied per file: 140,000 of them at 100,000 articles), else looked up
   * (-1: gone).
   */
  private sizeOf(relative: string): number {
    const kept = this.kept.has(relative);
    const known = this.sizes.get(relative) ?? (kept ? this.previousSizes.get(relative) : undefined);
    if (known !== undefined) return known;
    const folder = kept ? this.outDir : this.stagingDir;
    try {
      return lstatSync(path.join(folder, relative)).size;
    } catch {
      return -1;
    }
  }

  private ensureFolder(folder: string): void {
    if (this.createdFolders.has(folder)) return;
    mkdirSync(folder, { recursive: true });
    this.createdFolders.add(folder);
  }

  private linkPrevious(relative: string): void {
    const source = path.join(this.outDir, relative);
    const target = path.join(this.stagingDir, relative);
    this.ensureFolder(path.dirname(target));
    try {
      linkSync(source, target);
    } catch {
      copyFileSync(source, target);
    }
  }
}

/**
 * Moves staged files into the output folder (one rename each), deletes files the site no
 * longer has, then writes the manifest. Running it again after an interruption is safe.
 */
/** Errors renaming the output folder itself that mean it cannot be moved, not a failure. */
const UNMOVABLE_FOLDER_CODES = new Set(['EBUSY', 'EXDEV', 'EPERM']);

function applyUpdate(stagingDir: string, outDir: string, journal: UpdateJournal): void {
  // Removed files go first: a path that was a file and is now a folder (or the reverse)
  // must be free before the new file moves in.
  const realFolders = new Set<string>();
  for (const relative of journal.removed) {
    unlinkLinkedFolders(outDir, path.posix.dirname(relative), realFolders);
    try {
      withWritableFolder(outDir, relative, () => unlinkSync(path.join(outDir, relative)));
    } catch {
      // Already gone.
    }
  }
  removeEmptyFolders(outDir, journal.removed);
  const folders = new Set<string>();
  for (const relative of journal.changed) {
    const source = path.join(stagingDir, relative);
    if (!existsSync(source)) continue; // applied before an interruption
    const target = path.join(outDir, relative);
    const folder = path.dirname(target);
    if (!folders.has(folder)) {
      unlinkLinkedFolders(outDir, path.posix.dirname(relative), realFolders);
      makeFolderIn(outDir, folder);
      folders.add(folder);
    }
    try {
      withWritableFolder(outDir, relative, () => moveOver(source, target));
    } catch (error) {
      // Staged on another file system than the output folder (a mount point): copied.
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      copyFileSync(source, target);
    }
  }
  // Staged and renamed over, as the pages are: the old manifest may be read-only (a site
  // made so with `chmod -R a-w`), and a kill leaves no stray file in the site.
  const manifestFile = path.join(outDir, MANIFEST);
  const staged = path.join(stagingDir, STAGED_MANIFEST);
  if (journal.manifest) writeFileSync(staged, JSON.stringify(journal.manifest));
  // Not there: put in place before an interruption (the journal is then applied again).
  if (existsSync(staged)) {
    try {
      withWritableFolder(outDir, MANIFEST, () => renameSync(staged, manifestFile));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      copyFileSync(staged, manifestFile);
    }
  }
  rmSync(stagingDir, { recursive: true, force: true });
}

/**
 * Whether a file to be moved in or deleted is under a link found in place of a folder of the
 * site (a folder swapped by hand for a link to a copy elsewhere): an update would write or
 * delete through it, outside the output folder, so the site is swapped whole instead, its
 * unchanged files linked in from where they are, into real folders. Each folder is looked at
 * once.
 */
function underLinkedFolder(outDir: string, files: Iterable<string>): boolean {
  const looked = new Map<string, boolean>();
  const isLink = (folder: string): boolean => {
    let link = looked.get(folder);
    if (link === undefined) {
      try {
        link = lstatSync(path.join(outDir, folder)).isSymbolicLink();
      } catch {
        link = false; // Not there: made as a real folder.
      }
      looked.set(folder, link);
    }
    return link;
  };
  for (const relative of files) {
    for (let end = relative.indexOf('/'); end !== -1; end = relative.indexOf('/', end + 1))
      if (isLink(relative.slice(0, end))) return true;
  }
  return false;
}

/**
 * Removes a link found in place of one of a site folder's folders, so that nothing is moved
 * or deleted through it, outside the output folder; `makeFolderIn` then makes a real folder
 * there. A commit swaps a site with such links instead (`underLinkedFolder`): this is for a
 * journal finished later, or a site folder that cannot be moved. `realFolders`: folders
 * already found real.
 */
function unlinkLinkedFolders(outDir: string, folder: string, realFolders: Set<string>): void {
  if (folder === '.' || folder === '') return;
  let current = '';
  for (const segment of folder.split('/')) {
    current = current === '' ? segment : `${current}/${segment}`;
    if (realFolders.has(current)) continue;
    const absolute = path.join(outDir, current);
    let stats: ReturnType<typeof lstatSync>;
    try {
      stats = lstatSync(absolute);
    } catch {
      return; // Not there (yet): nothing below it to go through.
    }
    if (stats.isSymbolicLink()) {
      withWritableFolder(outDir, current, () => unlinkSync(absolute));
      return;
    }
    realFolders.add(current);
  }
}

/** Errors of renaming a file over a folder. */
const FOLDER_IN_THE_WAY_CODES = new Set(['EISDIR', 'ENOTEMPTY', 'EEXIST']);

/**
 * Renames a staged file over its page, replacing a folder made in its place by hand: the
 * output folder is Gazette's, and the folder would otherwise fail this update, and the
 * journal every build after it (as a file where a folder belongs would, see `makeFolderIn`).
 */
function moveOver(source: string, target: string): void {
  try {
    renameSync(source, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!FOLDER_IN_THE_WAY_CODES.has(code) || !lstatSync(target).isDirectory()) throw error;
    rmSync(target, { recursive: true, force: true });
    renameSync(source, target);
  }
}

/**
 * Makes a folder of the site, replacing a file in its way (`site/2023/01` made a file by
 * hand, or left by an older site): the output folder is Gazette's, and the file would
 * otherwise fail this update, and the journal every build after it.
 */
function makeFolderIn(outDir: string, folder: string): void {
  try {
    mkdirSync(folder, { recursive: true });
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      // A read-only site: its nearest folder is made writable (see `withWritableFolder`).
      let existing = path.dirname(folder);
      while (!existsSync(existing) && existing.startsWith(outDir + path.sep))
        existing = path.dirname(existing);
      withWritableFolder(outDir, path.relative(outDir, path.join(existing, 'x')), () =>
        mkdirSync(folder, { recursive: true }),
      );
      return;
    }
    if (code !== 'ENOTDIR' && code !== 'EEXIST') throw error;
  }
  for (
    let current = folder;
    current.startsWith(outDir + path.sep);
    current = path.dirname(current)
  ) {
    let stats: ReturnType<typeof lstatSync> | undefined;
    try {
      stats = lstatSync(current);
    } catch {
      continue; // Not there yet: a parent is in the way.
    }
    if (!stats.isDirectory()) {
      unlinkSync(current);
      break;
    }
  }
  mkdirSync(folder, { recursive: true });
}

/**
 * Runs a change to a file of the site; refused for the folder's permissions (a site the
 * user made read-only, `chmod -R a-w site`), it is made writable for its owner and tried
 * again: the site is Gazette's to update, as a swap would replace it whole.
 */
function withWritableFolder(outDir: string, relative: string, change: () => void): void {
  try {
    change();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') throw error;
    const folder = path.dirname(path.join(outDir, relative));
    try {
      chmodSync(folder, statSync(folder).mode | 0o700);
    } catch {
      throw error;
    }
    change();
  }
}

/** Folders left empty by removed files (an article's old URL) are removed too. */
function removeEmptyFolders(outDir: string, removed: string[]): void {
  const candidates = new Set<string>();
  for (const relative of removed) {
    // (An absolute path's parents end at '/', not '.': none reaches here, see readJournal.)
    for (
      let folder = path.posix.dirname(relative);
      folder !== '.' && folder !== '/';
      folder = path.posix.dirname(folder)
    )
      candidates.add(folder);
  }
  for (const folder of [...candidates].sort((a, b) => b.length - a.length)) {
    try {
      const absolute = path.join(outDir, folder);
      if (readdirSync(absolute).length === 0) rmSync(absolute, { recursive: true });
    } catch {
      // Not there or not empty.
    }
  }
}

function readJournal(stagingDir: string): UpdateJournal | undefined {
  try {
    const journal = JSON.parse(
      readFileSync(path.join(stagingDir, UPDATE_JOURNAL), 'utf8'),
    ) as UpdateJournal;
    // Only paths inside the output folder are moved or deleted, whatever the file says.
    journal.changed = journal.changed.filter(isManifestPath);
    journal.removed = journal.removed.filter(isManifestPath);
    return journal;
  } catch {
    return undefined;
  }
}

/**
 * What the previous build's manifest says: each file's key and (if recorded) size, and its
 * pages' record.
 */
export interface PreviousManifest {
  keys: Map<string, string>;
  sizes?: Map<string, number>;
  pages?: PagesRecord;
}

function readManifest(outDir: string): PreviousManifest {
  try {
    const data = JSON.parse(
      readFileSync(path.join(outDir, MANIFEST), 'utf8'),
    ) as Partial<OutputManifest>;
    const keys = new Map(Object.entries(data.files ?? {}));
    return previousManifest(keys, data.pages, listedSizes([...keys.keys()], data.sizes));
  } catch {
    return { keys: new Map() };
  }
}

/** A manifest's sizes by file, if it has one for every file (see `OutputManifest.sizes`). */
export function listedSizes(files: string[], sizes: unknown): Map<string, number> | undefined {
  if (!Array.isArray(sizes) || sizes.length !== files.length) return undefined;
  const bySize = new Map<string, number>();
  for (let i = 0; i < files.length; i++) {
    const size: unknown = sizes[i];
    if (typeof size === 'number' && size >= 0) bySize.set(files[i]!, size);
  }
  return bySize;
}

/**
 * Whether a manifest path is one Gazette could have written: relative, inside the output
 * folder, without empty, `.` or `..` segments. A manifest edited by hand may name anything
 * (`../notes.txt`, `/etc/x`); such an entry is ignored, never looked at or deleted.
 */
export function isManifestPath(relative: string): boolean {
  if (relative === '' || relative.includes('\0') || path.isAbsolute(relative)) return false;
  for (const segment of relative.split(/[/\\]/))
    if (segment === '' || segment === '.' || segment === '..') return false;
  return true;
}

/**
 * Whether a file the manifest lists is there as Gazette left it: a file (not a folder, nor
 * a link put in its place) of the listed size, when that is known. Content changed in place
 * at the same size goes unseen; comparing bytes would mean reading the whole site. The
 * workers run the same check (`LISTED_FILE_CHECK`).
 */
export function isFileAsListed(
  outDir: string,
  relative: string,
  size: number | undefined,
): boolean {
  if (!isManifestPath(relative)) return false;
  try {
    const stats = lstatSync(path.join(outDir, relative));
    return stats.isFile() && (size === undefined || stats.size === size);
  } catch {
    return false; // Gone, or a file put where one of its folders was (ENOTDIR).
  }
}

/**
 * `isFileAsListed` and `isManifestPath` as plain JavaScript, for the worker threads that
 * check a large site's files (`previous-files.ts`, `last-build.ts`): they run the same from
 * lib/ and from src/ under tsx. `fileAsListed(outDir, relative, size)`.
 */
export const LISTED_FILE_CHECK = `
const fileAsListed = (() => {
  const { lstatSync } = require('node:fs');
  const path = require('node:path');
  const isManifestPath = (relative) =>
    relative !== '' && !relative.includes('\\0') && !path.isAbsolute(relative) &&
    relative.split(/[/\\\\]/).every((segment) => segment !== '' && segment !== '.' && segment !== '..');
  return (outDir, relative, size) => {
    if (!isManifestPath(relative)) return false;
    try {
      const stats = lstatSync(path.join(outDir, relative));
      return stats.isFile() && (typeof size !== 'number' || size < 0 || stats.size === size);
    } catch {
      return false;
    }
  };
})();
`;

/** The keys, sizes and, if well formed, the pages' record of a manifest read elsewhere. */
export function previousManifest(
  keys: Map<string, string>,
  pages: unknown,
  sizes?: Map<string, number>,
): PreviousManifest {
  for (const relative of keys.keys()) if (!isManifestPath(relative)) keys.delete(relative);
  const record = pages as Partial<PagesRecord> | undefined;
  const wellFormed =
    typeof record?.base === 'string' &&
    typeof record.terms === 'string' &&
    typeof record.structure === 'string' &&
    typeof record.content === 'string' &&
    Number.isInteger(record.articles);
  return {
    keys,
    ...(sizes ? { sizes } : {}),
    ...(wellFormed ? { pages: record as PagesRecord } : {}),
  };
}
