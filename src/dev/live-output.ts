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
import { listedSizes, OUTPUT_MARKER } from '../write/output.ts';

/**
 * Writes single files into a built output folder while the dev server runs. Each file is
 * written beside its target and renamed over it, so a browser never reads half a page.
 *
 * The output manifest keys each file by what `build` made it from; a file the dev server
 * rewrote no longer matches its key, so its entry is dropped and the next `build` makes it
 * again rather than trusting it.
 */
export class LiveOutput {
  readonly outDir: string;
  private readonly touched = new Set<string>();
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
    this.touch(target);
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
    this.touch(target);
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
   * Drops the manifest entries of the files touched since the last call. A folder without a
   * manifest (the server's first build failed, so no build wrote one) is given an empty one:
   * the pages written are Gazette's, and `build` and `clean` must know it.
   */
  flushManifest(): void {
    if (this.touched.size === 0) return;
    const file = path.join(this.outDir, OUTPUT_MARKER);
    if (!existsSync(file)) {
      try {
        writeFileSync(file, JSON.stringify({ generator: 'gazette', files: {} }), { flag: 'wx' });
      } catch {
        // Written meanwhile, or the folder is gone: nothing to mark.
      }
      this.touched.clear();
      return;
    }
    try {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
        files?: Record<string, string>;
        sizes?: unknown;
      };
      if (manifest.files) {
        // Sizes are listed in the order of `files`: the ones of files left keep their places.
        const paths = Object.keys(manifest.files);
        const sizes = listedSizes(paths, manifest.sizes);
        const files: Record<string, string> = {};
        for (const relative of paths)
          if (!this.touched.has(relative)) files[relative] = manifest.files[relative]!;
        manifest.files = files;
        if (sizes) manifest.sizes = Object.keys(files).map((relative) => sizes.get(relative) ?? -1);
        else delete manifest.sizes;
        const temporary = `${file}.${process.pid}.gazette-tmp`;
        writeFileSync(temporary, JSON.stringify(manifest));
        renameSync(temporary, file);
      }
    } catch {
      // An unreadable manifest makes the next build start afresh anyway.
    }
    this.touched.clear();
  }

  private touch(target: string): void {
    this.touched.add(path.relative(this.outDir, target).split(path.sep).join('/'));
  }
}
