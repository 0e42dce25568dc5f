import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { outputFileFor } from '../collect/urls.ts';
import { listedSizes, NOT_BUILT_KEY, OUTPUT_MARKER } from '../write/output.ts';

/**
 * Writes single files into a built output folder while the dev server runs. Each file is
 * written beside its target and renamed over it, so a browser never reads half a page.
 *
 * The output manifest keys each file by what `build` made it from; a file the dev server
 * wrote is listed under `NOT_BUILT_KEY` instead, so the next `build` makes it again rather
 * than trusting it, and deletes it if the site no longer has it (a page of a list that got
 * shorter, a `public/` file deleted after an edit).
 */
export class LiveOutput {
  readonly outDir: string;
  /** Files written (true) or deleted (false) since the manifest was last brought up to date. */
  private readonly touched = new Map<string, boolean>();
  written = 0;

  constructor(outDir: string) {
    this.outDir = path.resolve(outDir);
  }

  /** The file a site path is served from, or undefined when it would leave the folder. */
  fileFor(sitePath: string): string | undefined {
    return outputFileFor(this.outDir, sitePath);
  }

  write(sitePath: string, content: string | Uint8Array): boolean {
    const target = this.fileFor(sitePath);
    if (!target) return false;
    mkdirSync(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.gazette-tmp`;
    writeFileSync(temporary, content);
    renameSync(temporary, target);
    this.touch(target, true);
    this.written++;
    return true;
  }

  /** Deletes the file of a site path, and folders left empty by it. */
  remove(sitePath: string): boolean {
    const target = this.fileFor(sitePath);
    if (!target) return false;
    try {
      unlinkSync(target);
    } catch {
      return false;
    }
    this.touch(target, false);
    for (let folder = path.dirname(target); folder !== this.outDir; folder = path.dirname(folder)) {
      try {
        rmdirSync(folder);
      } catch {
        break;
      }
    }
    return true;
  }

  /**
   * Brings the manifest up to date with the files touched since the last call: a file
   * written is listed under `NOT_BUILT_KEY` (with no size, so that no build is replayed over
   * it), a file deleted is no longer listed. A folder without a manifest (the server's first
   * build failed, so no build wrote one) is given one listing what the server wrote: the
   * pages are Gazette's, and `build` and `clean` must know it.
   */
  flushManifest(): void {
    if (this.touched.size === 0) return;
    const file = path.join(this.outDir, OUTPUT_MARKER);
    try {
      const existing = existsSync(file);
      const manifest: { generator?: string; files?: Record<string, string>; sizes?: unknown } =
        existing ? JSON.parse(readFileSync(file, 'utf8')) : { generator: 'gazette', files: {} };
      if (manifest.files) {
        // Sizes are listed in the order of `files`: the ones of files left keep their places.
        const paths = Object.keys(manifest.files);
        const sizes = listedSizes(paths, manifest.sizes);
        // No prototype: a file may be named `__proto__` or `constructor`.
        const files: Record<string, string> = Object.create(null);
        for (const relative of paths) {
          const written = this.touched.get(relative);
          if (written === undefined) files[relative] = manifest.files[relative]!;
          else if (written) files[relative] = NOT_BUILT_KEY;
        }
        for (const [relative, written] of this.touched)
          if (written && !Object.hasOwn(files, relative)) files[relative] = NOT_BUILT_KEY;
        manifest.files = files;
        if (sizes) {
          manifest.sizes = Object.keys(files).map((relative) =>
            files[relative] === NOT_BUILT_KEY ? -1 : (sizes.get(relative) ?? -1),
          );
        } else delete manifest.sizes;
        if (existing) {
          const temporary = `${file}.${process.pid}.gazette-tmp`;
          writeFileSync(temporary, JSON.stringify(manifest));
          renameSync(temporary, file);
        } else writeFileSync(file, JSON.stringify(manifest), { flag: 'wx' });
      }
    } catch {
      // An unreadable manifest makes the next build start afresh anyway; one written
      // meanwhile, or a folder gone, leaves nothing to mark.
    }
    this.touched.clear();
  }

  private touch(target: string, written: boolean): void {
    this.touched.set(path.relative(this.outDir, target).split(path.sep).join('/'), written);
  }
}
