import {
  existsSync,
  mkdirSync,
  readdirSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type BuildResult, build, type Project, resolveProject } from '../build.ts';
import { CACHE_LOCK_FILE, tryLockCacheFolder } from '../cache/cache-lock.ts';
import { ConfigError } from '../config/load.ts';
import { growHeapSlowly } from '../heap-growth.ts';
import { GAZETTE_VERSION } from '../version.ts';
import { lockOutputFolder } from '../write/lock.ts';
import { OUTPUT_MARKER, OutputError } from '../write/output.ts';
import { formatDiagnostic, formatSummary, formatTimings, ProgressLine } from './report.ts';

const COMMON_FLAGS = {
  content: { type: 'string' },
  out: { type: 'string' },
  config: { type: 'string' },
  'base-url': { type: 'string' },
  root: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const BUILD_FLAGS = {
  ...COMMON_FLAGS,
  strict: { type: 'boolean' },
  drafts: { type: 'boolean' },
  timings: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
  report: { type: 'string' },
  'no-search': { type: 'boolean' },
  'mirror-images': { type: 'boolean' },
} as const;

const DEV_FLAGS = {
  ...BUILD_FLAGS,
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
} as const;

const HELP: Record<string, string> = {
  main: `gazette ${GAZETTE_VERSION}: static sites from scraped news articles

Usage: gazette <command> [options]

Commands:
  build            build the site into the output folder
  dev              build, serve and rebuild on change
  new "<title>"    write a new article file
  clean            delete the output folder and the build cache
  check            check the built site: internal links and images, feeds, sitemap

Run "gazette <command> --help" for a command's options.`,
  build: `Usage: gazette build [options]

Builds every article under the content folder into a static site.

Options:
  --content DIR     content folder (default: content, or contentDir in the config)
  --out DIR         output folder (default: site, or outDir in the config)
  --config FILE     config file (default: gazette.config.yml in the project folder)
  --base-url URL    where the site is deployed, e.g. https://user.github.io/news/
  --root DIR        project folder (default: the current folder)
  --drafts          build drafts (and scheduled or expired articles) too
  --mirror-images   download remote images into the site (cached across builds)
  --strict          fail, keeping the previous site, when any file has an error
  --timings         show where the time went, phase by phase
  --report FILE     write the full report (every file's fate, every diagnostic) as JSON
  --no-search       skip the search index (search.enabled: false)
  --quiet, -q       print errors only
  --verbose, -v     print every warning
  --help, -h        show this help`,
  dev: `Usage: gazette dev [options]

Builds the site, serves it and rebuilds what changed when content, templates, public files
or the config change. Open pages reload by themselves; problems show in the browser.

Options:
  --port N, -p N    port to serve on (default: 4000, or the next free one)
  --host HOST       address to listen on (default: 127.0.0.1; 0.0.0.0 for the network)
  --content DIR     content folder (default: content, or contentDir in the config)
  --out DIR         output folder (default: site, or outDir in the config)
  --config FILE     config file (default: gazette.config.yml in the project folder)
  --base-url URL    where the site is deployed; the preview serves under its path
  --root DIR        project folder (default: the current folder)
  --drafts          build drafts (and scheduled or expired articles) too
  --no-search       skip the search index
  --mirror-images   download remote images into the site (cached across builds)
  --strict          count any file error as a failed first build (the server still serves,
                    and writes into the output folder, the pages that could be made)
  --timings         show where the first build's time went, phase by phase
  --report FILE     write the first build's full report as JSON
  --quiet, -q       print errors only
  --verbose, -v     print every warning
  --help, -h        show this help`,
  new: `Usage: gazette new "<title>" [options]

Writes a new article file in the content folder, with front matter to fill in.

Options:
  --content DIR     content folder
  --config FILE     config file
  --root DIR        project folder
  --help, -h        show this help`,
  check: `Usage: gazette check [options]

Checks the built site: broken internal links and images, invalid feeds, invalid sitemap.
Exits with 1 when there is an error, for CI.

Options:
  --out DIR         output folder to check
  --base-url URL    the base URL the site was built with
  --config FILE     config file
  --root DIR        project folder
  --quiet, -q       print errors only
  --help, -h        show this help`,
  clean: `Usage: gazette clean [options]

Deletes the output folder (only if Gazette made it) and the build cache.

Options:
  --out DIR         output folder
  --config FILE     config file
  --root DIR        project folder
  --help, -h        show this help`,
};

/** Runs the command line; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  growHeapSlowly();
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'build':
        return await runBuild(rest);
      case 'dev':
        return await runDev(rest);
      case 'new':
        return await runNew(rest);
      case 'clean':
        return runClean(rest);
      case 'check':
        return await runCheck(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(HELP.main);
        return command === undefined ? 1 : 0;
      case '--version':
        console.log(GAZETTE_VERSION);
        return 0;
      default:
        console.error(`gazette: unknown command "${command}"\n\n${HELP.main}`);
        return 2;
    }
  } catch (error) {
    if (
      error instanceof ConfigError ||
      error instanceof OutputError ||
      error instanceof UsageError
    ) {
      console.error(`gazette: ${error.message}`);
      return 2;
    }
    const { syscall, code } = (error ?? {}) as NodeJS.ErrnoException;
    if (syscall === 'listen' || syscall === 'getaddrinfo') {
      const reason = LISTEN_ERRORS[code ?? ''] ?? code ?? (error as Error).message;
      console.error(
        `gazette: the dev server cannot listen there: ${reason}; see --host and --port`,
      );
      return 2;
    }
    const diskProblem = describeDiskError(error);
    if (diskProblem) {
      console.error(`gazette: ${diskProblem}; nothing was replaced, the previous site is intact`);
      return 1;
    }
    console.error(`gazette: ${(error as Error).stack ?? error}`);
    return 1;
  }
}

class UsageError extends Error {}

const LISTEN_ERRORS: Record<string, string> = {
  EACCES: 'ports below 1024 need privileges (EACCES)',
  EADDRNOTAVAIL: 'no network interface of this machine has that address (EADDRNOTAVAIL)',
  ENOTFOUND: 'the host name is unknown (ENOTFOUND)',
  EAI_AGAIN: 'the host name could not be looked up (EAI_AGAIN)',
};

const DISK_ERRORS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

/** One clear sentence for the file-system failures a build cannot work around. */
export function describeDiskError(error: unknown): string | undefined {
  const { code, path: file } = (error ?? {}) as NodeJS.ErrnoException;
  if (!code || !DISK_ERRORS[code]) return undefined;
  return `cannot write ${file ?? 'the site'}: ${DISK_ERRORS[code]} (${code})`;
}

/** Parses a command's flags; only `new` takes words besides them (the title). */
function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true as const });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Command-line flags as config overrides, validated like the config file. */
export function overridesFrom(values: Record<string, unknown>): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  if (typeof values.content === 'string') overrides.contentDir = path.resolve(values.content);
  if (typeof values.out === 'string') overrides.outDir = path.resolve(values.out);
  if (typeof values['base-url'] === 'string') overrides.baseUrl = values['base-url'];
  if (values.drafts === true) overrides.drafts = true;
  if (values['mirror-images'] === true) overrides.images = { mirror: true };
  if (values['no-search'] === true) overrides.search = { enabled: false };
  return overrides;
}

async function runBuild(args: string[]): Promise<number> {
  const { values } = parse(args, BUILD_FLAGS);
  if (values.help) {
    console.log(HELP.build);
    return 0;
  }
  const progress = new ProgressLine(process.stderr, !values.quiet);
  let result: BuildResult;
  try {
    result = await build({
      root: values.root,
      configFile: values.config,
      overrides: overridesFrom(values),
      strict: values.strict,
      onProgress: (phase, done, total) => progress.update(phase, done, total),
      onWaiting: (message) => {
        progress.clear();
        console.error(`gazette: ${message}`);
      },
    });
  } finally {
    progress.clear();
  }
  printResult(result, {
    quiet: values.quiet,
    verbose: values.verbose,
    timings: values.timings,
    strict: values.strict,
  });
  // An output that cannot be written, as an unusable output folder is: not a failed build.
  if (values.report && !writeReport(values.report, result)) return 2;
  return result.ok ? 0 : 1;
}

/** Writes the `--report` file; false (with the reason printed) when it cannot be written. */
function writeReport(file: string, result: BuildResult): boolean {
  try {
    writeFileSync(file, JSON.stringify({ ...result, config: undefined }, null, 2));
    return true;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    console.error(`gazette: cannot write the report to ${file}: ${code ?? message}`);
    return false;
  }
}

export function printResult(
  result: BuildResult,
  options: {
    quiet?: boolean;
    verbose?: boolean;
    timings?: boolean;
    strict?: boolean;
    /** The dev server's first build: it serves what it could make even when it failed. */
    dev?: boolean;
  },
): void {
  const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  const warnings = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'warning');
  for (const diagnostic of errors) console.error(formatDiagnostic(diagnostic));
  if (!options.quiet) {
    const shown = options.verbose ? warnings : warnings.slice(0, 20);
    for (const diagnostic of shown) console.error(formatDiagnostic(diagnostic));
    if (shown.length < warnings.length) {
      console.error(
        `… and ${warnings.length - shown.length} more warnings (--verbose shows all, --report FILE saves all)`,
      );
    }
    console.log(formatSummary(result));
    if (options.timings) console.log(formatTimings(result));
  }
  if (!result.ok) {
    const failure =
      options.strict && errors.length > 0
        ? `--strict and ${errors.length} error(s)`
        : 'the build failed';
    console.error(
      options.dev
        ? `gazette dev: ${failure}: serving the pages that could be made, the errors shown on them (\`gazette build\` would keep the previous site)`
        : `gazette: ${failure}: the previous site was kept`,
    );
  }
}

async function runDev(args: string[]): Promise<number> {
  const { values } = parse(args, DEV_FLAGS);
  if (values.help) {
    console.log(HELP.dev);
    return 0;
  }
  const port = values.port === undefined ? 4000 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number, not "${values.port}"`);
  let firstBuild = true;
  // The dev server, the checker and `new` load what they need only when asked for.
  const { startDev } = await import('../dev/dev-server.ts');
  const server = await startDev({
    root: values.root,
    configFile: values.config,
    overrides: overridesFrom(values),
    strict: values.strict,
    port,
    host: values.host ?? '127.0.0.1',
    onBuild: (result) => {
      printResult(result, {
        quiet: values.quiet,
        verbose: values.verbose,
        timings: values.timings && firstBuild,
        strict: values.strict,
        dev: true,
      });
      if (values.report && firstBuild) writeReport(values.report, result);
      firstBuild = false;
    },
    onRebuild: (rebuild) => {
      if (values.quiet) return;
      const what =
        rebuild.files.length === 1
          ? path.relative(process.cwd(), rebuild.files[0]!)
          : `${rebuild.files.length} files`;
      const pending = rebuild.pending > 0 ? `, ${rebuild.pending} more in the background` : '';
      console.log(
        `${what} (${rebuild.kinds.join(', ')}): ${rebuild.written} pages written, ${rebuild.removed} removed${pending}; ${rebuild.ms.toFixed(0)} ms`,
      );
    },
    onProblems: (problems) => {
      for (const diagnostic of problems) console.error(formatDiagnostic(diagnostic));
    },
    onError: (error) => console.error(`gazette dev: ${error.stack ?? error.message}`),
  });
  console.log(`Serving ${server.project.outDir} at ${server.url} (Ctrl+C stops)`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

async function runNew(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, COMMON_FLAGS, true);
  if (values.help) {
    console.log(HELP.new);
    return 0;
  }
  // A title is one line: a newline in it (a pasted headline) would end the front matter
  // early, and what follows would be read as fields of the article.
  const title = positionals
    .join(' ')
    .replace(/[\s\p{Cc}]+/gu, ' ')
    .trim();
  if (!title) throw new UsageError(`a title is needed: gazette new "<title>"`);
  const { config, contentDir } = resolveProject({
    root: values.root,
    configFile: values.config,
    overrides: overridesFrom(values),
  });
  mkdirSync(contentDir, { recursive: true });
  const [{ DateTime }, { slugify }] = await Promise.all([
    import('luxon'),
    import('../collect/slug.ts'),
  ]);
  const now = DateTime.now().setZone(config.timezone);
  const base = `${now.toFormat('yyyy-MM-dd')}-${slugify(title, config.slugStyle)}`;
  let file = path.join(contentDir, `${base}.md`);
  for (let n = 2; existsSync(file); n++) file = path.join(contentDir, `${base}-${n}.md`);
  const quoted = `'${title.replace(/'/g, "''")}'`;
  const text = `---
title: ${quoted}
date: ${now.toFormat('yyyy-MM-dd HH:mm:ss')}
categories:
  - News
tags: []
author: ''
from: ''
description: ''
---

<p>Write the article here, in HTML or Markdown.</p>
`;
  writeFileSync(file, text, { flag: 'wx' });
  console.log(`Wrote ${path.relative(process.cwd(), file) || file}`);
  return 0;
}

function runClean(args: string[]): number {
  const { values } = parse(args, COMMON_FLAGS);
  if (values.help) {
    console.log(HELP.clean);
    return 0;
  }
  const project = resolveProject({
    root: values.root,
    configFile: values.config,
    overrides: overridesFrom(values),
  });
  const { outDir } = project;
  // Not under a build or dev server writing the site (or filling the cache).
  const unlock = lockOutputFolder(outDir);
  try {
    // Nor under a build of another output folder filling the cache, checked before anything
    // is deleted: the lock is taken even for a cache not there yet (a build starting while
    // the output is deleted would make it) and held until the cache is gone.
    const { cacheDir } = project;
    const cacheExisted = existsSync(cacheDir);
    const unlockCache = tryLockCacheFolder(cacheDir);
    if (typeof unlockCache !== 'function') {
      throw new OutputError(
        `the build cache ${cacheDir} is in use by another build (process ${unlockCache.holder ?? 'starting'}); run clean again when it is done`,
      );
    }
    try {
      cleanOutputAndCache(project, cacheExisted);
    } finally {
      unlockCache();
      // Made for the lock alone: not left behind (if still empty).
      if (!cacheExisted) {
        try {
          rmdirSync(cacheDir);
        } catch {
          // Gone already, or a build has filled it since.
        }
      }
    }
  } finally {
    unlock();
  }
  return 0;
}

function cleanOutputAndCache(
  { outDir, cacheDir, root, config }: Project,
  cacheExisted: boolean,
): void {
  if (!existsSync(outDir) && !cacheExisted) {
    console.log(`Nothing to clean: no site at ${outDir}, no build cache`);
    return;
  }
  if (existsSync(outDir)) {
    if (!statSync(outDir).isDirectory())
      throw new OutputError(`${outDir} is a file, not a site Gazette made; not deleting it`);
    const entries = readdirSync(outDir);
    if (entries.length > 0 && !entries.includes(OUTPUT_MARKER)) {
      throw new OutputError(`${outDir} was not made by Gazette; not deleting it`);
    }
    // Emptied, then removed: unless a symbolic link leads to it (the link stays usable) or it
    // cannot be removed (a mount point).
    for (const entry of entries) rmSync(path.join(outDir, entry), { recursive: true, force: true });
    const linkedTo = path.resolve(root, config.outDir) !== outDir;
    let removed = false;
    if (!linkedTo) {
      try {
        rmdirSync(outDir);
        removed = true;
      } catch {
        // A mount point: left empty.
      }
    }
    console.log(removed ? `Deleted ${outDir}` : `Emptied ${outDir}`);
  }
  if (existsSync(cacheDir) && statSync(cacheDir).isDirectory()) {
    // Only what Gazette puts there: the folder may be shared with other tools.
    const ours = readdirSync(cacheDir).filter((name) => CACHE_ENTRY.test(name));
    for (const name of ours) rmSync(path.join(cacheDir, name), { recursive: true, force: true });
    // The lock file, held by this clean, is not counted.
    const left = readdirSync(cacheDir).filter((name) => name !== CACHE_LOCK_FILE);
    if (left.length === 0) rmSync(cacheDir, { recursive: true, force: true });
    if (ours.length > 0 || (left.length === 0 && cacheExisted)) {
      console.log(
        left.length === 0
          ? `Deleted ${cacheDir}`
          : `Deleted Gazette's files in ${cacheDir} (kept ${left.length} other entr${left.length === 1 ? 'y' : 'ies'})`,
      );
    }
  }
}

/** What a build writes in the cache folder (`src/cache/`, compiled templates, mirrored images). */
const CACHE_ENTRY =
  /^(?:articles\.jsonl(?:\.(?:\d+-\w+\.)?tmp)?|bodies-[\w-]+\.pack|last-build\.json(?:\.\d+)?|templates|images|mirrored-site)$/;

async function runCheck(args: string[]): Promise<number> {
  const { values } = parse(args, { ...COMMON_FLAGS, quiet: { type: 'boolean', short: 'q' } });
  if (values.help) {
    console.log(HELP.check);
    return 0;
  }
  const { runCheckCommand } = await import('../check/command.ts');
  return runCheckCommand({
    root: values.root,
    configFile: values.config,
    overrides: overridesFrom(values),
    quiet: values.quiet,
  });
}
