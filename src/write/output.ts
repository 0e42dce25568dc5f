import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { outputFileFor } from '../collect/urls.ts';

/** Marks a folder as Gazette's output, so a build never replaces a folder it did not make. */
export const OUTPUT_MARKER = '.gazette-output';
const MANIFEST = '.gazette-output';

/** A problem with the output folder that stops the build before anything is replaced. */
export class OutputError extends Error {
  override name = 'OutputError';
}

/**
 * Checks that `outDir` may be replaced: it is not the project, the content or a parent of
 * them, and if it exists and is not empty, an earlier build made it.
 */
export function checkOutputFolder(outDir: string, protectedFolders: string[]): void {
  const out = path.resolve(outDir);
  if (out === path.parse(out).root)
    throw new OutputError(`refusing to use the file-system root as the output folder`);
  for (const folder of protectedFolders) {
    const protectedPath = path.resolve(folder);
    const relative = path.relative(out, protectedPath);
    if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
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

function sidePath(out: string, role: 'staging' | 'previous'): string {
  return path.join(path.dirname(out), `.${path.basename(out)}.gazette-${role}`);
}

/** A build killed between the two renames of a swap leaves the previous site beside it. */
function recoverInterruptedSwap(out: string): void {
  const previous = sidePath(out, 'previous');
  if (!existsSync(previous)) return;
  if (existsSync(out)) rmSync(previous, { recursive: true, force: true });
  else renameSync(previous, out);
}

/**
 * The site is written to a staging folder beside the output folder, then swapped in with
 * renames, so a failed or interrupted build leaves the previous site as it was. Files whose
 * content did not change are hard-linked from the previous site, keeping their modification
 * time for deploy tools that sync by it.
 */
export class StagedOutput {
  readonly outDir: string;
  readonly stagingDir: string;
  private readonly previousHashes: Map<string, string>;
  private readonly hashes = new Map<string, string>();
  private readonly createdFolders = new Set<string>();
  written = 0;
  unchanged = 0;

  constructor(outDir: string) {
    this.outDir = path.resolve(outDir);
    this.stagingDir = sidePath(this.outDir, 'staging');
    rmSync(this.stagingDir, { recursive: true, force: true });
    mkdirSync(this.stagingDir, { recursive: true });
    this.createdFolders.add(this.stagingDir);
    this.previousHashes = readManifest(this.outDir);
  }

  /** Writes a page or file at a site path; false when the path would leave the output folder. */
  write(sitePath: string, content: string | Uint8Array): boolean {
    const target = outputFileFor(this.stagingDir, sitePath);
    if (!target) return false;
    const relative = path.relative(this.stagingDir, target).split(path.sep).join('/');
    const hash = createHash('sha1').update(content).digest('hex');
    this.hashes.set(relative, hash);
    this.ensureFolder(path.dirname(target));
    if (this.previousHashes.get(relative) === hash && this.linkPrevious(relative, target)) {
      this.unchanged++;
      return true;
    }
    writeFileSync(target, content);
    this.written++;
    return true;
  }

  /** Copies a static file (from `public/`) to a site path. */
  copy(sourceFile: string, sitePath: string): boolean {
    return this.write(sitePath, readFileSync(sourceFile));
  }

  has(sitePath: string): boolean {
    const target = outputFileFor(this.stagingDir, sitePath);
    return (
      target !== undefined &&
      this.hashes.has(path.relative(this.stagingDir, target).split(path.sep).join('/'))
    );
  }

  /** Replaces the output folder with the staged site. */
  commit(): void {
    writeFileSync(
      path.join(this.stagingDir, MANIFEST),
      JSON.stringify({ generator: 'gazette', files: Object.fromEntries(this.hashes) }),
    );
    const previous = sidePath(this.outDir, 'previous');
    rmSync(previous, { recursive: true, force: true });
    const hadOutput = existsSync(this.outDir);
    if (hadOutput) renameSync(this.outDir, previous);
    try {
      renameSync(this.stagingDir, this.outDir);
    } catch (error) {
      if (hadOutput) renameSync(previous, this.outDir);
      throw error;
    }
    rmSync(previous, { recursive: true, force: true });
  }

  /** Drops the staged site, leaving the output folder untouched. */
  abort(): void {
    rmSync(this.stagingDir, { recursive: true, force: true });
  }

  private ensureFolder(folder: string): void {
    if (this.createdFolders.has(folder)) return;
    mkdirSync(folder, { recursive: true });
    this.createdFolders.add(folder);
  }

  private linkPrevious(relative: string, target: string): boolean {
    try {
      linkSync(path.join(this.outDir, relative), target);
      return true;
    } catch {
      try {
        copyFileSync(path.join(this.outDir, relative), target);
        return true;
      } catch {
        return false;
      }
    }
  }
}

function readManifest(outDir: string): Map<string, string> {
  try {
    const data = JSON.parse(readFileSync(path.join(outDir, MANIFEST), 'utf8')) as {
      files?: Record<string, string>;
    };
    return new Map(Object.entries(data.files ?? {}));
  } catch {
    return new Map();
  }
}
