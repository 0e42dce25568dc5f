import { existsSync } from 'node:fs';
import { sha1 } from '../cache/fingerprint.ts';
import type { ExtensionOutput } from '../write/output.ts';
import type { LiveOutput } from './live-output.ts';

/**
 * The files of extensions the dev server makes again after each change (feeds, sitemap), as
 * an extension's output: a file whose key is unchanged stays as it is, a changed one is
 * written into the served folder, and a file the last refresh made that this one did not
 * (the feeds of a tag no article has any more) is deleted.
 */
export class LiveSiteFiles implements ExtensionOutput {
  /** Key of each file as it is on disk, where a refresh made it; else the build's. */
  private readonly keys = new Map<string, string>();
  /** Files the last refresh made or kept. */
  private made: Set<string>;
  private touched = new Set<string>();
  /** Site paths written by the current refresh. */
  private written: string[] = [];

  constructor(
    private readonly output: LiveOutput,
    /** The last full build's key of each file it made. */
    private readonly builtKeyOf: (sitePath: string) => string | undefined,
    /** Whether a `public/` file or a page is at a site path: it stays, as in a build. */
    private readonly isStatic: (sitePath: string) => boolean,
    /** The last full build's, which feeds' and sitemap's keys start from. */
    readonly pagesKey: string | undefined,
    /**
     * The extensions' files on disk that the first refresh may not make: after a failed
     * build, the previous site's (the feeds of a tag gone meanwhile) are deleted by it.
     */
    leftOnDisk: Iterable<string> = [],
  ) {
    this.made = new Set(leftOnDisk);
  }

  has(sitePath: string): boolean {
    return this.isStatic(sitePath);
  }

  keep(sitePath: string, key: string): boolean {
    if (!this.isCurrent(sitePath, key)) return false;
    this.touched.add(sitePath);
    return true;
  }

  write(sitePath: string, content: string | Uint8Array, key?: string): boolean {
    const fileKey = key ?? sha1(content);
    this.touched.add(sitePath);
    if (this.isCurrent(sitePath, fileKey)) return true;
    if (!this.output.write(sitePath, content)) return false;
    this.keys.set(sitePath, fileKey);
    this.written.push(sitePath);
    return true;
  }

  /** Never asked by the extensions refreshed live (search keeps its bundles by folder). */
  previousFolderComplete(): boolean {
    return false;
  }

  keepFolder(): number {
    return 0;
  }

  /**
   * Runs a refresh (`make` calls the extensions): files it neither kept nor wrote are
   * deleted. Returns the site paths written and deleted. The first, of the very site the
   * full build made, writes nothing (every key is the build's) and learns which files the
   * extensions make.
   */
  async refresh(make: () => Promise<void>): Promise<{ written: string[]; removed: string[] }> {
    this.touched = new Set();
    this.written = [];
    await make();
    const removed: string[] = [];
    for (const sitePath of this.made) {
      // Made before and now a `public/` file or a page (an article moved to an old URL): theirs.
      if (this.touched.has(sitePath) || this.isStatic(sitePath)) continue;
      this.output.remove(sitePath);
      this.keys.set(sitePath, '');
      removed.push(sitePath);
    }
    this.made = this.touched;
    return { written: this.written, removed };
  }

  /** Whether the file on disk was made from `key` (and is there: one deleted by hand is not). */
  private isCurrent(sitePath: string, key: string): boolean {
    if ((this.keys.get(sitePath) ?? this.builtKeyOf(sitePath)) !== key) return false;
    const file = this.output.fileFor(sitePath);
    return file !== undefined && existsSync(file);
  }
}
