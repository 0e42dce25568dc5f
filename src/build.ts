/**
 * The build() API the CLI and the dev server share, and the types its stages exchange. This
 * module stays light: when nothing changed since the last build, its outcome is replayed
 * without loading the parser, the sanitizer or the template engine (`pipeline.ts`).
 */
import { existsSync, lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { codeStamp, GAZETTE_CODE_DIR } from './cache/code-stamp.ts';
import {
  type InputsFingerprint,
  inputsFingerprint,
  LAST_BUILD_FILE,
  outputUnchangedSince,
  RACY_SECONDS,
  readLastBuild,
  startCheckingOutput,
} from './cache/last-build.ts';
import type { CollectInput, Site } from './collect/site.ts';
import type { UrlBuilder } from './collect/urls.ts';
import { ConfigError, loadConfig } from './config/load.ts';
import type { SiteConfig } from './config/schema.ts';
import { type ContentScan, mediaPaths, scanContent } from './load/discover.ts';
import type { Diagnostic, LoadedArticle } from './model.ts';
import {
  type EarlyTransformWorker,
  helperThreadAllowed,
  startEarlyTransformWorker,
} from './parallel/pool.ts';
import type { PageKind, PageSpec } from './render/pages.ts';
import type { FeedLink } from './render/render.ts';
import { DEFAULT_TEMPLATES_DIR, staticFilePaths } from './render/theme-assets.ts';
import type { ViewFactory } from './render/views.ts';
import { GAZETTE_VERSION } from './version.ts';
import { lockOutputFolder } from './write/lock.ts';
import {
  checkOutputFolder,
  type ExtensionOutput,
  linkFreePath,
  OutputError,
} from './write/output.ts';

export { codeStamp };

export interface BuildOptions {
  /** Project folder: where the config file is looked for and relative folders start. */
  root?: string;
  /** Config file, relative to `root`. */
  configFile?: string;
  /** Config values that win over the file (from the command line). */
  overrides?: Record<string, unknown>;
  /** Fail the build (and keep the previous site) when any file has an error. */
  strict?: boolean;
  /** Extensions to run; the default is every built-in one (feeds, sitemap, search). */
  extensions?: BuildExtension[];
  /**
   * The time the site is built for (ms since the epoch): articles with a `publishDate` or
   * `expiryDate` are in it or not by this time. The present by default.
   */
  now?: number;
  /** Called as phases advance, for a progress display. */
  onProgress?: (phase: Phase, done: number, total: number) => void;
  /**
   * A helper thread renders pages beside the main thread: `auto` (the default) starts it once
   * 1,000 pages were rendered, with more than one core and `GAZETTE_WORKERS` not 0; `always`
   * starts it before the first page and waits for it (tests); `never`.
   */
  renderHelper?: 'auto' | 'always' | 'never';
  /** Called when the build must wait (for another build using the cache folder), saying why. */
  onWaiting?: (message: string) => void;
  /** Called once the site is collected, with what the stages made (the dev server keeps it). */
  onCollected?: (stages: CollectedStages) => void;
}

/** What load, transform and collect made during one build. */
export interface CollectedStages {
  project: Project;
  content: LoadedContent;
  inputs: CollectInput[];
  site: Site;
  /**
   * The size of an article's file as the build weighed copies of a story by it (a kept
   * article's as built, when its folder cannot be listed now).
   */
  sizeOf: (article: LoadedArticle) => number;
  /** The content folder's media files, content-relative (see `TransformedBody.contentFiles`). */
  contentFiles: ReadonlySet<string>;
}

export type Phase = 'load' | 'transform' | 'collect' | 'render' | 'write';

/** The folders and configuration of one project, resolved and checked. */
export interface Project {
  config: SiteConfig;
  /** Folder the config's relative folders start from. */
  root: string;
  configFile?: string;
  contentDir: string;
  outDir: string;
  templatesDir: string;
  publicDir: string;
  /** Root-relative paths of the files in `publicDir`: images there stay site-local. */
  siteFiles: ReadonlySet<string>;
  cacheDir: string;
}

/** What an extension (feeds, sitemap, search…) is given once the site is collected. */
export interface ExtensionContext {
  site: Site;
  config: SiteConfig;
  urls: UrlBuilder;
  views: ViewFactory;
  output: ExtensionOutput;
  /** Project folder the config's relative folders start from. */
  root: string;
  /**
   * What every page's key starts from (Gazette, config, templates), as the last full build
   * worked it out; absent in the dev server's page renders.
   */
  pagesKey?: string;
}

/**
 * A part of the build beyond pages, such as feeds or search. Hooks are optional and called
 * in order: `feedsFor` while each page renders, `pageRendered` after each page, `finish`
 * once all pages are staged and before the output is swapped in.
 */
export interface BuildExtension {
  name: string;
  feedsFor?(spec: PageSpec, context: ExtensionContext): FeedLink[];
  /**
   * True when `feedsFor`'s links follow from the site's structure (its terms and their
   * URLs) and config alone. Only then may a rebuild keep pages without asking for their
   * links again (see render/page-keys.ts); any other `feedsFor` has every page keyed.
   */
  feedLinksFollowStructure?: boolean;
  /**
   * Its files follow from the site and its pages' specs, not from their HTML: the dev server
   * makes them again after each change, calling `pageRendered` for every page (with HTML that
   * cannot be read) and `finish`, with an output that writes into the folder it serves.
   */
  refreshedLive?: boolean;
  /**
   * Whether a file at a site path is one this extension makes, for any site: the dev server
   * deletes such a file when the site no longer has it, also one left by an earlier build.
   */
  ownsFile?(sitePath: string): boolean;
  /**
   * `html()` returns the page; `reused` is true for a page kept unchanged from the previous
   * build (its HTML is then read from disk, only if asked for).
   */
  pageRendered?(
    spec: PageSpec,
    html: () => string,
    context: ExtensionContext,
    reused: boolean,
  ): void | Promise<void>;
  finish?(context: ExtensionContext): Promise<Diagnostic[] | undefined> | Diagnostic[] | undefined;
  /**
   * The build failed before `finish` (or in another extension's): stop background work and
   * release what was started (processes), before the staged output is dropped.
   */
  abort?(context: ExtensionContext): Promise<void> | void;
}

/** What became of each input file: every file is accounted for. */
export interface BuildReport {
  inputFiles: number;
  built: number;
  drafts: string[];
  /** Articles whose `publishDate` is ahead, or whose `expiryDate` has passed. */
  scheduled: string[];
  expired: string[];
  duplicates: { file: string; keptAs: string; reason: string }[];
  failed: { file: string; reason: string }[];
}

export interface BuildResult {
  ok: boolean;
  outDir: string;
  config: SiteConfig;
  diagnostics: Diagnostic[];
  report: BuildReport;
  pages: Partial<Record<PageKind | 'static', number>>;
  filesWritten: number;
  filesUnchanged: number;
  /** What the build cache saved: articles not re-read or re-transformed, pages not rendered. */
  cache: CacheStatistics;
  timings: Record<Phase | 'total', number>;
}

export interface CacheStatistics {
  articlesReused: number;
  articlesTransformed: number;
  pagesReused: number;
  pagesRendered: number;
  /** Pages whose key was worked out; the others were known to be made as before. */
  pagesKeyed: number;
  /** Of the pages rendered, those the helper thread rendered. */
  pagesRenderedByHelper: number;
}

/** Reads the configuration and resolves the project's folders. Throws `ConfigError`. */
export function resolveProject(
  options: Pick<BuildOptions, 'root' | 'configFile' | 'overrides'>,
): Project {
  const root = path.resolve(options.root ?? process.cwd());
  const loaded = loadConfig({ root, file: options.configFile, overrides: options.overrides });
  const resolve = (folder: string) => path.resolve(loaded.root, folder);
  const project: Project = {
    config: loaded.config,
    root: loaded.root,
    ...(loaded.file ? { configFile: loaded.file } : {}),
    contentDir: resolve(loaded.config.contentDir),
    outDir: outputFolder(resolve(loaded.config.outDir)),
    templatesDir: resolve(loaded.config.templatesDir),
    publicDir: resolve(loaded.config.publicDir),
    siteFiles: staticFilePaths(resolve(loaded.config.publicDir)),
    cacheDir: resolve(loaded.config.cacheDir),
  };
  checkCacheFolder(project);
  checkContentFolder(project.contentDir);
  checkPublicFolder(project);
  return project;
}

/**
 * `public/` is copied into the site as it is: a public folder that is or holds the content
 * folder would publish every source, drafts and unpublished posts included (a Jekyll or Hexo
 * site root given for both).
 */
function checkPublicFolder(project: Project): void {
  // Where links lead: `public -> content` is the content folder too.
  const real = (folder: string) => {
    try {
      return realpathSync(folder);
    } catch {
      return folder;
    }
  };
  const relative = path.relative(real(project.publicDir), real(project.contentDir));
  if (relative.startsWith('..') || path.isAbsolute(relative)) return;
  throw new ConfigError(
    `"publicDir" ${project.publicDir} is or holds the content folder ${project.contentDir}, whose sources (drafts too) it would publish; give public files a folder of their own (a link in it to an assets folder works)`,
  );
}

/**
 * The output folder, or where it leads if it is a symbolic link (`site -> /srv/www`), even
 * to a folder not made yet: a build replaces the folder, and would otherwise replace the
 * link with a folder of its own (or fail to, on a dangling link).
 */
function outputFolder(outDir: string): string {
  let current = outDir;
  for (let hops = 0; hops < 40; hops++) {
    let isLink: boolean;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch {
      return current; // Not there yet: the build makes it.
    }
    if (!isLink) return hops === 0 ? outDir : linkFreePath(current);
    current = path.resolve(linkFreePath(path.dirname(current)), readlinkSync(current));
  }
  throw new OutputError(`output folder ${outDir} is a loop of symbolic links`);
}

/**
 * A content path naming a file (one article given as `--content`) would build a site with
 * no articles and drop every page of the previous one: it is refused like a wrong setting.
 */
function checkContentFolder(contentDir: string): void {
  let isFolder: boolean;
  try {
    isFolder = statSync(contentDir).isDirectory();
  } catch {
    return; // Missing: the build says so (the dev server waits for it to appear).
  }
  if (!isFolder) {
    throw new ConfigError(
      `content folder ${contentDir} is a file: give the folder the articles are in (contentDir or --content)`,
    );
  }
}

/**
 * The cache folder is Gazette's to fill and `gazette clean` deletes what Gazette put there:
 * it must not be or hold the project, its content, templates, public files or site, nor lie
 * inside one of them (a cache in `public/` would be published).
 */
function checkCacheFolder(project: Project): void {
  const cache = project.cacheDir;
  const within = (inner: string, outer: string) => {
    const relative = path.relative(outer, inner);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  };
  const folders: [string, string][] = [
    ['contentDir', project.contentDir],
    ['templatesDir', project.templatesDir],
    ['publicDir', project.publicDir],
    ['outDir', project.outDir],
  ];
  const clash =
    within(project.root, cache) || cache === path.parse(cache).root
      ? 'the project folder'
      : folders.find(([, folder]) => within(folder, cache) || within(cache, folder))?.[0];
  // An output folder holding the whole project (`--out ..`, `--out /`) is the output's fault.
  if (clash === 'outDir' && within(project.root, project.outDir)) {
    throw new ConfigError(
      `output folder ${project.outDir} would contain or replace the project ${project.root}; choose another --out`,
    );
  }
  if (clash) {
    throw new ConfigError(
      `"cacheDir" ${cache} overlaps ${clash}; choose a folder of its own (the default is .gazette-cache)`,
    );
  }
}

export interface LoadedContent {
  /** Articles to build: drafts (unless wanted) and duplicates removed. */
  articles: LoadedArticle[];
  report: BuildReport;
  diagnostics: Diagnostic[];
}

/**
 * One build: load → transform → collect → render → write. Per-file problems become
 * diagnostics and the build goes on; configuration and output-folder problems throw
 * (`ConfigError`, `OutputError`) before anything is replaced.
 */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const project = resolveProject(options);
  checkOutputFolder(
    project.outDir,
    [project.root, project.contentDir, project.templatesDir, project.publicDir],
    { content: project.contentDir, public: project.publicDir },
  );

  const unlock = lockOutputFolder(project.outDir);
  try {
    return await buildLocked(project, options, started);
  } finally {
    unlock();
  }
}

async function buildLocked(
  project: Project,
  options: BuildOptions,
  started: number,
): Promise<BuildResult> {
  const { config } = project;
  let early: EarlyTransformWorker | undefined;
  let handedOver = false;
  // Nothing changed since the last build (same files, sizes and times, config, templates,
  // Gazette, and output): its outcome is replayed without reading a single article.
  const replayable = !options.onCollected && !options.extensions && !config.images.mirror;
  // The output's files are looked for on another thread while this one scans the content.
  const outputCheck =
    replayable && existsSync(path.join(project.cacheDir, LAST_BUILD_FILE))
      ? startCheckingOutput(project.outDir, !helperThreadAllowed())
      : undefined;
  try {
    let scan = existsSync(project.contentDir) ? scanContent(project.contentDir) : undefined;
    const fingerprint = replayable && scan ? buildInputsFingerprint(project, scan) : undefined;
    if (fingerprint && outputCheck) {
      const last = readLastBuild<BuildResult>(
        project.cacheDir,
        fingerprint.digest,
        options.now ?? Date.now(),
      );
      if (
        last &&
        (await outputUnchangedSince(project.outDir, last, outputCheck.listedFilesPresent))
      ) {
        return replayLastBuild(last.result, options, performance.now() - started);
      }
    }
    outputCheck?.stop();
    // Started before the cache is read: a rebuild of a few changed files waits for nothing
    // but this worker loading the parser and sanitizer (70 ms), which it does while the
    // cache index is read (longer). Not before the replay check: the output check has the
    // other core then, and a replayed build would start it for nothing.
    if (helperThreadAllowed()) {
      early = startEarlyTransformWorker(config, {
        siteFiles: project.siteFiles,
        contentFiles: scan ? mediaPaths(scan) : new Set(),
      });
    }

    // A file changed in the last seconds (an article, a template, a public/ file, the
    // config) may change again within its timestamp's tick, unseen by the fingerprint: such
    // a build is not recorded for replay.
    const recordable =
      fingerprint !== undefined && fingerprint.newestChangeMs < Date.now() - RACY_SECONDS * 1000;
    const { buildSite, DamagedBodyError } = await import('./pipeline.ts');
    handedOver = true;
    const run = {
      started,
      ...(fingerprint && recordable ? { fingerprint: fingerprint.digest } : {}),
      ...(scan ? { scan } : {}),
      ...(early ? { early } : {}),
    };
    // Handed over: the build lets the scan go once the articles are loaded (20 MB at 100,000).
    scan = undefined;
    try {
      return await buildSite(project, options, run);
    } catch (error) {
      if (!(error instanceof DamagedBodyError)) throw error;
      // Nothing was committed and the cache is deleted: built again from the content files.
      const result = await buildSite(project, options, {
        started,
        ...(run.fingerprint ? { fingerprint: run.fingerprint } : {}),
      });
      result.diagnostics.unshift({
        severity: 'warning',
        file: error.pack,
        message: `${error.message}; the cache was deleted and every article transformed again`,
      });
      return result;
    }
  } finally {
    outputCheck?.stop();
    if (!handedOver) await early?.worker.terminate();
  }
}

function buildInputsFingerprint(project: Project, scan: ContentScan): InputsFingerprint {
  return inputsFingerprint({
    version: GAZETTE_VERSION,
    config: project.config,
    // Media too: an image saved beside an article changes what its page shows.
    contentFiles: [...scan.files, ...scan.media],
    contentStats: [...scan.stats, ...scan.mediaStats],
    otherInputs: [
      project.templatesDir,
      DEFAULT_TEMPLATES_DIR,
      project.publicDir,
      GAZETTE_CODE_DIR,
      ...(project.configFile ? [project.configFile] : []),
    ],
  });
}

function replayLastBuild(last: BuildResult, options: BuildOptions, elapsed: number): BuildResult {
  const hasErrors = last.diagnostics.some((diagnostic) => diagnostic.severity === 'error');
  return {
    ...last,
    ok: last.ok && !(options.strict && hasErrors),
    filesWritten: 0,
    filesUnchanged: last.filesWritten + last.filesUnchanged,
    cache: {
      articlesReused: last.report.built,
      articlesTransformed: 0,
      pagesReused: last.cache.pagesReused + last.cache.pagesRendered,
      pagesRendered: 0,
      pagesKeyed: 0,
      pagesRenderedByHelper: 0,
    },
    timings: { load: elapsed, transform: 0, collect: 0, render: 0, write: 0, total: elapsed },
  };
}
