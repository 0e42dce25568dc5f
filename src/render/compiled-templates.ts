import { createHash } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import nunjucks from 'nunjucks';
import { codeStamp } from '../cache/code-stamp.ts';

const NUNJUCKS_VERSION: string = createRequire(import.meta.url)('nunjucks/package.json').version;

/** Where a project's templates are kept compiled, inside its build cache. */
export function compiledTemplatesFolder(cacheDir: string): string {
  return path.join(cacheDir, 'templates');
}

/** What Nunjucks's compiler and loaders offer beyond their published types. */
interface NunjucksInternals {
  compiler: {
    compile(
      source: string,
      asyncFilters: string[],
      extensions: unknown[],
      name: string,
      options: Record<string, unknown>,
    ): string;
  };
}
interface EnvironmentInternals {
  asyncFilters: string[];
  extensionsList: { __name?: string }[];
  opts: Record<string, unknown>;
}
type LoaderSource = {
  src: string | { type: 'code'; obj: unknown };
  path: string;
  noCache: boolean;
};

/**
 * A file loader that keeps each template compiled to JavaScript in the build cache, so that
 * a build does not parse and compile the theme again while its files are unchanged (a tenth
 * of a rebuild that renders a few pages). One file per template name, headed by the digest
 * of everything the code was compiled from (Gazette's code, Nunjucks, the environment, the
 * template's file and text); a template that does not compile is left to Nunjucks, which
 * reports the error as it would have. The code is run, so a compiled file is used only if
 * this user owns it and no one else may write it (see `trustedText`).
 */
export class CompiledTemplateLoader extends nunjucks.FileSystemLoader {
  private env: EnvironmentInternals | undefined;

  constructor(
    searchPaths: string[],
    private readonly cacheDir: string,
  ) {
    super(searchPaths, { noCache: false });
  }

  /** The environment whose options, filters and extensions the code is compiled for. */
  attach(env: nunjucks.Environment): void {
    this.env = env as unknown as EnvironmentInternals;
  }

  override getSource(name: string): nunjucks.LoaderSource {
    const source = super.getSource(name) as LoaderSource | null;
    if (!source || typeof source.src !== 'string' || !this.env)
      return source as nunjucks.LoaderSource;
    const code = this.compiledCode(name, source.src, source.path, this.env);
    if (code === undefined) return source as nunjucks.LoaderSource;
    try {
      // What Nunjucks itself does with compiled code (Template#_compile).
      const obj = new Function(code)();
      return { ...source, src: { type: 'code', obj } } as unknown as nunjucks.LoaderSource;
    } catch {
      return source as nunjucks.LoaderSource;
    }
  }

  private compiledCode(
    name: string,
    template: string,
    templatePath: string,
    env: EnvironmentInternals,
  ): string | undefined {
    const digest = createHash('sha1')
      .update(
        JSON.stringify([
          codeStamp(),
          NUNJUCKS_VERSION,
          env.opts,
          env.asyncFilters,
          env.extensionsList.map(
            (extension) => extension.__name ?? extension.constructor?.name ?? 'extension',
          ),
          templatePath,
        ]),
      )
      .update('\0')
      .update(template)
      .digest('hex');
    const header = `// ${digest}\n`;
    // Named by template name, not by path: a project moved elsewhere overwrites its files.
    const file = path.join(this.cacheDir, `${createHash('sha1').update(name).digest('hex')}.js`);
    const cached = trustedText(file);
    if (cached?.startsWith(header)) return cached.slice(header.length);
    let code: string;
    try {
      code = (nunjucks as unknown as NunjucksInternals).compiler.compile(
        template,
        env.asyncFilters,
        env.extensionsList,
        templatePath,
        env.opts,
      );
    } catch {
      return undefined;
    }
    // Another thread may be writing the same template: each writes its own file, then
    // renames it into place.
    const partial = `${file}.${process.pid}-${threadId}.tmp`;
    try {
      mkdirSync(this.cacheDir, { recursive: true });
      writeFileSync(partial, header + code, { mode: 0o644 });
      renameSync(partial, file);
    } catch {
      // A cache that cannot be written costs only the next build's compiling.
      try {
        unlinkSync(partial);
      } catch {
        // Never written.
      }
    }
    return code;
  }
}

/**
 * A compiled file's text, if it can be trusted to run: on POSIX systems, owned by this user
 * and writable by no one else (a cache folder restored from elsewhere, or on a shared disk,
 * must not run someone else's code). Read through one descriptor, so the file checked is
 * the file read.
 */
function trustedText(file: string): string | undefined {
  let descriptor: number;
  try {
    descriptor = openSync(file, 'r');
  } catch {
    return undefined; // Not compiled yet.
  }
  try {
    const stats = fstatSync(descriptor);
    const uid = process.getuid?.();
    if (uid !== undefined && (stats.uid !== uid || (stats.mode & 0o022) !== 0)) return undefined;
    return readFileSync(descriptor, 'utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(descriptor);
  }
}
