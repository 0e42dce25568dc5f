/**
 * The stages of a build that does work: load → transform → collect → render → write, through
 * the build cache. `build()` (build.ts) comes here once it knows something changed.
 */

import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import type {
  BuildExtension,
  BuildOptions,
  BuildReport,
  BuildResult,
  CacheStatistics,
  ExtensionContext,
  LoadedContent,
  Project,
} from './build.ts';
import {
  ArticleCache,
  type CachedArticle,
  cacheableLoaded,
  fileSignature,
  loadedFromCache,
} from './cache/article-cache.ts';
import { DamagedBodyError } from './cache/body-store.ts';
import { CACHE_LOCK_FILE, lockCacheFolder } from './cache/cache-lock.ts';
import { codeStamp } from './cache/code-stamp.ts';
import {
  articleCacheKey,
  renderKey,
  sha1,
  siteConfigKey,
  stableJson,
} from './cache/fingerprint.ts';
import { RACY_SECONDS, writeLastBuild } from './cache/last-build.ts';
import { htmlReader, withLazyHtml } from './cache/lazy-html.ts';
import { separateDuplicates } from './collect/duplicates.ts';
import { RelatedArticles } from './collect/related.ts';
import { scheduleState, scheduleWindow } from './collect/schedule.ts';
import { type CollectInput, collectSite, lastChange, pathWish, type Site } from './collect/site.ts';
import { UrlBuilder } from './collect/urls.ts';
import { ConfigError } from './config/load.ts';
import type { SiteConfig } from './config/schema.ts';
import { feedsExtension } from './feeds/extension.ts';
import { sitemapExtension } from './feeds/sitemap.ts';
import { withHeapGrowingFreely } from './heap-growth.ts';
import {
  ARTICLE_EXTENSIONS,
  type ContentScan,
  discoverContent,
  isInside,
  mediaPaths,
} from './load/discover.ts';
import { isStandalonePage } from './load/fields.ts';
import type { Article, Diagnostic, LoadedArticle, PathWish, TransformedBody } from './model.ts';
import {
  type EarlyTransformWorker,
  helperThreadAllowed,
  type Job,
  loadAndTransformInParallel,
} from './parallel/pool.ts';
import { type RenderAnswer, RenderHelper } from './parallel/render-helper.ts';
import { compiledTemplatesFolder } from './render/compiled-templates.ts';
import { createTemplateEnvironment } from './render/environment.ts';
import { changesSince, mayHaveChanged, pageKey, recordPages } from './render/page-keys.ts';
import { type PageSpec, planPages } from './render/pages.ts';
import { redirectsExtension } from './render/redirects.ts';
import {
  createPageRenderer,
  type FeedLink,
  type PageContext,
  type PageRenderer,
  type RenderResult,
} from './render/render.ts';
import { buildDateOnEveryPage, DEFAULT_TEMPLATES_DIR, themeAssets } from './render/theme-assets.ts';
import { ViewFactory } from './render/views.ts';
import { searchExtension } from './search/extension.ts';
import { stillResolves } from './transform/content-files.ts';
import type { BodyTransformerOptions } from './transform/index.ts';
import { applyImageReplacements, mirrorImages } from './transform/mirror-images.ts';
import { GAZETTE_VERSION } from './version.ts';
import { publishContentMedia } from './write/content-media.ts';
import { IN_PLACE_UPDATE_LIMIT, OUTPUT_MARKER, StagedOutput } from './write/output.ts';
import { type PreviousSite, readPreviousSite } from './write/previous-files.ts';

/** What the cache keeps for a draft that is not built (see `CachedArticle.draft`). */
const UNBUILT_DRAFT_BODY: TransformedBody = {
  html: '',
  excerpt: '',
  readingMinutes: 0,
  coverInBody: false,
  textLength: 0,
};

/** Feeds, sitemap and search register here; redirects last (see `redirectsExtension`). */
export const BUILT_IN_EXTENSIONS: BuildExtension[] = [
  feedsExtension(),
  sitemapExtension(),
  searchExtension(),
  redirectsExtension(),
];

/** The content files, with an empty report that will account for each of them. */
function discoverForBuild(contentDir: string, scan?: ContentScan) {
  if (!scan && !existsSync(contentDir))
    throw new ConfigError(`content folder not found: ${contentDir} (set contentDir or --content)`);
  const discovered = scan ?? discoverContent(contentDir);
  const report: BuildReport = {
    inputFiles: discovered.files.length,
    built: 0,
    drafts: [],
    scheduled: [],
    expired: [],
    duplicates: [],
    failed: [],
  };
  const diagnostics = [...discovered.diagnostics];
  if (discovered.files.length === 0) {
    diagnostics.push({
      severity: 'warning',
      file: path.basename(contentDir),
      message: `no article files (${ARTICLE_EXTENSIONS.join(', ')}) in the content folder: the site has no articles`,
    });
  }
  return { discovered, diagnostics, report };
}

/** An article file's size, which tells the most complete of several copies of a story. */
export function fileSize(article: LoadedArticle): number {
  try {
    return statSync(article.sourcePath).size;
  } catch {
    return 0;
  }
}

/** A file's size as its signature recorded it (see `fileSignature`), if it has one. */
function sizeInSignature(signature: string | undefined): number | undefined {
  const size = signature === undefined ? Number.NaN : Number(signature.split(':', 1)[0]);
  return Number.isFinite(size) ? size : undefined;
}

function withoutDuplicates(
  loaded: LoadedArticle[],
  report: BuildReport,
  sizeOf: (article: LoadedArticle) => number = fileSize,
): LoadedArticle[] {
  // A page of the site (an About page) is nobody's copy.
  const pages = new Set(
    loaded.filter((article) => isStandalonePage(article.extra, article.relativePath)),
  );
  const { unique, duplicates } = separateDuplicates(
    pages.size > 0 ? loaded.filter((article) => !pages.has(article)) : loaded,
    sizeOf,
  );
  unique.push(...pages);
  for (const duplicate of duplicates) {
    report.duplicates.push({
      file: duplicate.article.relativePath,
      keptAs: duplicate.keptAs.relativePath,
      reason: duplicate.reason,
    });
  }
  return unique;
}

/** The transform stage: each article's body sanitized, with its excerpt and cover. */
export async function transformArticles(
  articles: LoadedArticle[],
  config: SiteConfig,
  progress: BuildOptions['onProgress'] = () => {},
  localFiles: BodyTransformerOptions = {},
): Promise<{ inputs: CollectInput[]; diagnostics: Diagnostic[] }> {
  // Imported when needed: parser and sanitizer take a tenth of a second to load, which a
  // rebuild that transforms nothing on this thread need not spend.
  const { createBodyTransformer } = await import('./transform/index.ts');
  const transformBody = createBodyTransformer(config, localFiles);
  const inputs: CollectInput[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [index, article] of articles.entries()) {
    const { body, diagnostics: found } = transformBody(article);
    diagnostics.push(...found);
    inputs.push({ loaded: article, body });
    if (index % 500 === 0) progress('transform', index, articles.length);
  }
  return { inputs, diagnostics };
}

/** Load and transform, through the build cache and across worker threads. */
export interface CachedStages {
  content: LoadedContent;
  inputs: CollectInput[];
  articlesReused: number;
  articlesTransformed: number;
  /** Files loaded and transformed by this build (not taken from the cache). */
  transformedFiles: ReadonlySet<string>;
  /**
   * A file or folder could not be read: this build's outcome must not be replayed, since
   * making it readable again changes neither its size, time nor inode (`chmod`).
   */
  hadUnreadableInputs: boolean;
  /** An article's file size, as copies of a story were weighed by it. */
  sizeOf: (article: LoadedArticle) => number;
  /** The content folder's media files, content-relative. */
  contentFiles: ReadonlySet<string>;
  /** Since and until when the articles given a `publishDate` or `expiryDate` stay as built. */
  scheduleWindow?: { from?: number; until?: number };
  /** Milliseconds reading and hashing files (load) and loading and transforming new ones. */
  loadMs: number;
  transformMs: number;
}

/**
 * The load and transform stages for a build: a file whose bytes (and the Gazette version and
 * config) are unchanged since the last build is taken from the cache, neither parsed nor
 * sanitized again; the others are loaded and transformed in worker threads. Bodies go to
 * the cache's pack as they arrive; articles read theirs from it when a page needs it.
 */
export async function loadAndTransformWithCache(
  project: Project,
  cache: ArticleCache,
  progress: BuildOptions['onProgress'] = () => {},
  scan?: ContentScan,
  early?: EarlyTransformWorker,
  now = Date.now(),
): Promise<CachedStages> {
  const { config, contentDir } = project;
  const started = performance.now();
  const { discovered, diagnostics, report } = discoverForBuild(contentDir, scan);
  const contentFiles = mediaPaths(discovered);
  // Outcomes by file index, so the result does not depend on which thread finished first.
  const outcomes: (CachedArticle | { diagnostics: Diagnostic[]; loaded?: LoadedArticle })[] = [];
  const misses: Job[] = [];
  let articlesReused = 0;
  // A file modified in the last seconds may change again within the same timestamp tick
  // (two seconds on FAT) without its size or time changing: its signature is not recorded,
  // so the next build reads it again (git's "racily clean" rule).
  const racyAfter = Date.now() - RACY_SECONDS * 1000;
  for (const [index, file] of discovered.files.entries()) {
    let cached: CachedArticle | undefined;
    let mtimeMs: number;
    let signature: string | undefined;
    try {
      const stats = scan ? scan.stats[index] : statSync(file.absolutePath);
      if (!stats) throw new Error('cannot be statted');
      mtimeMs = stats.mtimeMs;
      const stamp = 'signature' in stats ? stats.signature : fileSignature(stats);
      cached = cache.lookupUnchanged(file.relativePath, stamp);
      signature = stats.mtimeMs < racyAfter ? stamp : undefined;
      // A file the cache has no entry for is read once, by the thread that loads it (on a
      // cold build of 100,000 files, hashing them here first took two seconds).
      if (!cached && cache.hasEntry(file.relativePath)) {
        const known = cache.lookup(
          file.relativePath,
          sha1(readFileSync(file.absolutePath)),
          mtimeMs,
        );
        // Same bytes under a new time or inode (a checkout, a copy): remembered as they are now.
        if (known) {
          const { signature: _stale, ...entry } = known;
          cached = signature ? { ...entry, signature } : entry;
        }
        if (cached) cache.store(file.relativePath, cached);
      }
      // An image it looked for was saved beside it since, or one it showed is gone.
      if (cached && !stillResolves(cached.body, contentFiles)) cached = undefined;
    } catch {
      // loadArticle reports what is wrong with the file.
      misses.push({ file, mtimeMs: 0 });
      continue;
    }
    if (cached) {
      outcomes[index] = cached;
      articlesReused++;
    } else misses.push({ file, mtimeMs, ...(signature ? { signature } : {}) });
    if (index % 1000 === 0) progress('load', index, discovered.files.length);
  }
  // A folder that cannot be listed still holds its files, unseen: the articles built from
  // it last time are kept (as an unreadable file's are) instead of vanishing from the site.
  const files = [...discovered.files];
  /** Outcomes that are a file's last built version, kept because it cannot be read now. */
  const keptUnreadable = new Set<number>();
  if (discovered.unreadableFolders.length > 0) {
    const listed = new Set(files.map((file) => file.relativePath));
    for (const folder of discovered.unreadableFolders) {
      let kept = 0;
      for (const relativePath of cache.pathsUnder(folder)) {
        const entry = listed.has(relativePath) ? undefined : cache.lastEntry(relativePath);
        if (!entry) continue;
        keptUnreadable.add(files.length);
        outcomes[files.length] = entry;
        files.push({
          absolutePath: path.join(contentDir, ...relativePath.split('/')),
          relativePath,
        });
        // A draft stays a draft: listed as one, no article kept.
        if (!entry.draft) kept++;
      }
      if (kept > 0) {
        diagnostics.push({
          severity: 'warning',
          file: folder || '.',
          message: `folder cannot be read: the ${kept} article(s) last built from it are kept`,
        });
      }
      articlesReused += kept;
    }
    report.inputFiles = files.length;
  }
  const loadMs = performance.now() - started;
  let hadUnreadableInputs = discovered.unreadableFolders.length > 0;

  const indexOf = new Map(discovered.files.map((file, index) => [file.relativePath, index]));
  const jobOf = new Map(misses.map((job) => [job.file.relativePath, job]));
  let done = 0;
  const { workerFailures } = await loadAndTransformInParallel(
    misses,
    config,
    { siteFiles: project.siteFiles, contentFiles },
    (outcome) => {
      const index = indexOf.get(outcome.file.relativePath)!;
      const job = jobOf.get(outcome.file.relativePath);
      if (outcome.loaded) {
        // A draft that is not built has no body, and is remembered all the same: it is not
        // read again until it changes.
        const { html, ...body } = outcome.body ?? UNBUILT_DRAFT_BODY;
        const entry: CachedArticle = {
          contentHash: outcome.loaded.contentHash,
          ...(outcome.mtimeMs !== undefined ? { mtimeMs: outcome.mtimeMs } : {}),
          ...(job?.signature ? { signature: job.signature } : {}),
          loaded: cacheableLoaded(outcome.loaded),
          body,
          html: cache.bodies.put(html),
          diagnostics: outcome.diagnostics,
          ...(outcome.body ? {} : { draft: true as const }),
        };
        cache.store(outcome.file.relativePath, entry);
        outcomes[index] = entry;
      } else {
        // A file that cannot be read (permissions, a disk error) keeps the article it was
        // last built as, and the error is still reported: its page is not lost meanwhile.
        if (outcome.unreadable) hadUnreadableInputs = true;
        const last = outcome.unreadable ? cache.lastEntry(outcome.file.relativePath) : undefined;
        if (last) keptUnreadable.add(index);
        outcomes[index] = last
          ? {
              ...last,
              diagnostics: outcome.diagnostics.map((diagnostic) =>
                diagnostic.severity === 'error'
                  ? {
                      ...diagnostic,
                      message: `${diagnostic.message}; its last built version is kept`,
                    }
                  : diagnostic,
              ),
            }
          : outcome;
      }
      if (++done % 500 === 0) progress('transform', done, misses.length);
    },
    early,
  );
  if (workerFailures.length > 0)
    diagnostics.push(workerFailureWarning('transform', workerFailures));

  const loaded: LoadedArticle[] = [];
  /**
   * Sizes of kept articles' files as they were built: a file in a folder that cannot be listed
   * cannot be statted either, and would lose to a smaller copy of its story as if empty.
   */
  const keptSizes = new Map<LoadedArticle, number>();
  const bodies = new Map<LoadedArticle, CollectInput['body']>();
  const wishes = new Map<LoadedArticle, PathWish>();
  const scheduled: LoadedArticle[] = [];
  for (const [index, file] of files.entries()) {
    const outcome = outcomes[index]!;
    diagnostics.push(...outcome.diagnostics);
    if ('html' in outcome && !outcome.draft) {
      const article = loadedFromCache(outcome, file);
      if (article.publishDate || article.expiryDate) {
        scheduled.push(article);
        // Drafts are built for a preview: so are the articles of another time.
        const state = scheduleState(article, now);
        if (state !== 'published' && !config.drafts) {
          report[state].push(file.relativePath);
          continue;
        }
      }
      loaded.push(article);
      const keptSize = keptUnreadable.has(index) ? sizeInSignature(outcome.signature) : undefined;
      if (keptSize !== undefined) keptSizes.set(article, keptSize);
      bodies.set(article, withHtmlFromPack(outcome.body, cache, outcome.html));
      let wish = outcome.wish;
      if (!wish) {
        wish = pathWish(article, config);
        // A kept version carries this build's read error: the cache keeps the entry as it was.
        if (!keptUnreadable.has(index)) cache.store(file.relativePath, { ...outcome, wish });
      }
      wishes.set(article, wish);
    } else if (!outcome.loaded) {
      report.failed.push({ file: file.relativePath, reason: firstError(outcome.diagnostics) });
    } else {
      report.drafts.push(file.relativePath);
    }
  }
  const sizeOf = (article: LoadedArticle) => keptSizes.get(article) ?? fileSize(article);
  const unique = withoutDuplicates(loaded, report, sizeOf);
  return {
    content: { articles: unique, report, diagnostics },
    inputs: unique.map((article) => ({
      loaded: article,
      body: bodies.get(article)!,
      wish: wishes.get(article)!,
    })),
    articlesReused,
    articlesTransformed: misses.length,
    hadUnreadableInputs,
    transformedFiles: new Set(misses.map((job) => job.file.relativePath)),
    sizeOf,
    contentFiles,
    ...(config.drafts ? {} : { scheduleWindow: scheduleWindow(scheduled, now) }),
    loadMs,
    transformMs: performance.now() - started - loadMs,
  };
}

/**
 * Worker threads that failed: their work was done on the main thread, so the site is whole,
 * but slower, and a failing worker usually means a broken install worth knowing about.
 */
function workerFailureWarning(work: 'transform' | 'render', reasons: string[]): Diagnostic {
  const distinct = [...new Set(reasons)];
  return {
    severity: 'warning',
    file: `${work} worker`,
    message: `${reasons.length} ${work} worker thread(s) failed (${distinct.join('; ')}); their work was done on the main thread instead`,
  };
}

/** A transformed body whose HTML is read from the cache's pack each time it is used. */
function withHtmlFromPack(
  body: CachedArticle['body'],
  cache: ArticleCache,
  ref: CachedArticle['html'],
): CollectInput['body'] {
  return withLazyHtml(body, () => cache.bodies.get(ref));
}

/** Everything needed to render any page of a collected site. */
export interface SiteRenderer {
  urls: UrlBuilder;
  views: ViewFactory;
  related: RelatedArticles;
  pages: () => Generator<PageSpec>;
  context: PageRenderer['context'];
  renderContext: PageRenderer['renderContext'];
}

export function createSiteRenderer(
  project: Project,
  site: Site,
  feedsFor?: (spec: PageSpec) => FeedLink[],
  buildDateEverywhere = false,
): SiteRenderer {
  const { config } = project;
  const urls = new UrlBuilder(config.baseUrl);
  const views = new ViewFactory(site, config, urls);
  const related = new RelatedArticles(site, config.relatedArticles);
  const { env, searchPaths } = createTemplateEnvironment({
    config,
    urls,
    userTemplatesDir: project.templatesDir,
    compiledTemplatesDir: compiledTemplatesFolder(project.cacheDir),
  });
  const { context, renderContext } = createPageRenderer({
    env,
    searchPaths,
    site,
    config,
    urls,
    buildDate: lastChange(site),
    buildDateEverywhere,
    ...(feedsFor ? { feedsFor } : {}),
  });
  return {
    urls,
    views,
    related,
    pages: () => planPages(site, config, views, urls, related),
    context,
    renderContext,
  };
}

/** Everything after the replay check of `build()`: the stages, the cache and the output. */
/** For `build`, which starts a build again without a damaged cache. */
export { DamagedBodyError };

export async function buildSite(
  project: Project,
  options: BuildOptions,
  run: {
    started: number;
    fingerprint?: string;
    scan?: ContentScan;
    /** A transform worker `build()` started; this build uses or stops it. */
    early?: EarlyTransformWorker;
  },
): Promise<BuildResult> {
  const { started, fingerprint } = run;
  const { config } = project;
  const timings = { load: 0, transform: 0, collect: 0, render: 0, write: 0, total: 0 };
  const progress = options.onProgress ?? (() => {});
  // Gazette's own code is part of the keys too: a changed sanitizer must re-sanitize.
  // Bodies record the media they looked for only once the content folder has any: the first
  // picture saved (or the last removed) makes every article again.
  const hasMedia = (run.scan?.media.length ?? 0) > 0;
  const inputsKey = `${[...project.siteFiles].sort().join('\0')}\0${codeStamp()}${hasMedia ? '\0media' : ''}`;
  const articleKey = sha1(`${articleCacheKey(GAZETTE_VERSION, config)}\0${inputsKey}`);
  // A worker thread reads the previous site's manifest and checks its files while articles
  // load.
  const previousSite = readPreviousSite(project.outDir, OUTPUT_MARKER);
  const { early } = run;
  let cache: ArticleCache;
  let unlockCache = () => {};
  try {
    unlockCache = await lockCacheFolder(project.cacheDir, (holder) =>
      options.onWaiting?.(
        holder === process.pid
          ? `waiting for another build of this process using the build cache ${project.cacheDir}`
          : `waiting for another build (process ${holder ?? 'starting'}) using the build cache ${project.cacheDir} (if no Gazette is running, delete ${path.join(project.cacheDir, CACHE_LOCK_FILE)})`,
      ),
    );
    cache = withHeapGrowingFreely(() => new ArticleCache(project.cacheDir, articleKey));
  } catch (error) {
    unlockCache();
    await early?.worker.terminate();
    throw error;
  }
  let cacheSaved = false;
  try {
    const stages = await loadAndTransformWithCache(
      project,
      cache,
      progress,
      run.scan,
      early,
      options.now,
    );
    // Not needed any more: a stat per file, held for the rest of the build otherwise.
    delete run.scan;
    cache.settle();
    // Not `stages` itself in the closure below: the loaded articles and inputs it holds can
    // go once collected (30 MB at 100,000 articles).
    const { content, inputs, transformedFiles, hadUnreadableInputs } = stages;
    const { report } = content;
    const diagnostics = [...content.diagnostics];
    timings.load = stages.loadMs;
    timings.transform = stages.transformMs;

    const phaseStart = performance.now();
    const site = collectSite(inputs, config, project.siteFiles);
    diagnostics.push(...site.diagnostics);
    report.built = site.articles.length + site.pages.length;
    timings.collect = performance.now() - phaseStart;
    options.onCollected?.({
      project,
      content,
      inputs,
      site,
      sizeOf: stages.sizeOf,
      contentFiles: stages.contentFiles,
    });
    const statistics: CacheStatistics = {
      articlesReused: stages.articlesReused,
      articlesTransformed: stages.articlesTransformed,
      pagesReused: 0,
      pagesRendered: 0,
      pagesKeyed: 0,
      pagesRenderedByHelper: 0,
    };
    const mirrored = config.images.mirror ? await mirrorSiteImages(project, site) : undefined;
    if (mirrored) diagnostics.push(...mirrored.diagnostics);
    const pageKeyBase = sha1(
      `${renderKey(sha1(`${siteConfigKey(GAZETTE_VERSION, config)}\0${inputsKey}`), [project.templatesDir, DEFAULT_TEMPLATES_DIR])}\0${mirrored?.digest ?? ''}`,
    );
    const result = await renderAndWrite(
      project,
      options,
      site,
      {
        report,
        diagnostics,
        timings,
        statistics,
        pageKeyBase,
        previousSite: await previousSite,
        contentHashBefore: (article) =>
          transformedFiles.has(article.relativePath)
            ? cache.contentHashBefore(article.relativePath)
            : article.contentHash,
        assertBodiesUndamaged: () => cache.bodies.assertUndamaged(),
        ...(mirrored ? { mirroredImages: mirrored.files } : {}),
      },
      progress,
    );
    // The cache is saved after the site, so an interrupted build leaves a cache that is
    // merely older than the site.
    cache.save();
    cacheSaved = true;
    timings.total = performance.now() - started;
    if (fingerprint && result.ok && !hadUnreadableInputs)
      writeLastBuild(project.cacheDir, fingerprint, project.outDir, result, stages.scheduleWindow);
    return result;
  } catch (error) {
    // Deleted while this build still holds the cache's lock: the next build starts afresh.
    if (error instanceof DamagedBodyError) {
      cache.discard();
      cacheSaved = true;
    }
    throw error;
  } finally {
    // Each step whatever the one before did: a lock left held would have every later build
    // of this process (a dev server's) wait for ever.
    try {
      await early?.worker.terminate();
    } finally {
      try {
        if (!cacheSaved) cache.close();
      } finally {
        unlockCache();
      }
    }
  }
}

/**
 * Downloads the site's remote images into the cache (`images.mirror`) and points articles at
 * the local copies; an image that cannot be fetched keeps its remote URL and is reported.
 */
async function mirrorSiteImages(
  project: Project,
  site: Site,
): Promise<{ files: Map<string, string>; diagnostics: Diagnostic[]; digest: string }> {
  // Mirrored files are assembled in the cache and copied into the staged site like static files.
  const mirrorDir = path.join(project.cacheDir, 'mirrored-site');
  const result = await mirrorImages([...site.articles, ...site.pages], {
    config: project.config,
    outDir: mirrorDir,
    cacheDir: project.cacheDir,
  });
  const files = new Map<string, string>();
  for (const sitePath of new Set(result.replacements.values())) {
    files.set(sitePath, path.join(mirrorDir, ...sitePath.split('/').filter(Boolean)));
  }
  for (const article of [...site.articles, ...site.pages]) {
    // Read as it is now (a body in the pack, or a string), each time a page needs it.
    const readHtml = htmlReader(article);
    const cover = applyImageReplacements(
      { html: '', ...(article.cover ? { cover: article.cover } : {}) },
      result.replacements,
    ).cover;
    if (cover) article.cover = cover;
    Object.defineProperty(article, 'html', {
      get: () => applyImageReplacements({ html: readHtml() }, result.replacements).html,
      enumerable: true,
      configurable: true,
    });
  }
  const digest = sha1([...result.replacements].sort().join('\0'));
  return { files, diagnostics: result.diagnostics, digest };
}

/** A page planned and waiting for its turn to be finished (written, kept or refused). */
type QueuedPage = { spec: PageSpec; key: string; ready: boolean } & (
  | { state: 'kept' | 'refused' }
  | {
      state: 'rendering';
      context: PageContext;
      /** Rendered on this thread, */
      result?: RenderResult;
      /** or by the helper thread (undefined if it stopped first). */
      answer?: Promise<RenderAnswer | undefined>;
    }
);

/** Write errors that mean another page or file is in the way, not a failing disk. */
const PATH_CLASH_CODES = new Set(['EEXIST', 'EISDIR', 'ENOTDIR']);

/** Pages planned ahead of the oldest one still rendering in the helper thread. */
const QUEUED_PAGES = 64;
/** Pages planned between two looks at the helper thread's answers. */
const YIELD_EVERY = 8;
/** Pages rendered on the main thread before a helper thread is worth starting. */
const RENDER_HELPER_AFTER = 1000;

/**
 * After how many pages rendered on the main thread a helper thread starts rendering too
 * (`BuildOptions.renderHelper`): never with one core or `GAZETTE_WORKERS=0`.
 */
function renderHelperAfter(options: BuildOptions): number | undefined {
  const mode = options.renderHelper ?? 'auto';
  if (mode === 'never') return undefined;
  if (mode === 'always') return 0;
  return helperThreadAllowed() ? RENDER_HELPER_AFTER : undefined;
}

async function renderAndWrite(
  project: Project,
  options: BuildOptions,
  site: Site,
  state: {
    report: BuildReport;
    diagnostics: Diagnostic[];
    timings: BuildResult['timings'];
    statistics: CacheStatistics;
    /** Version, config and templates: what every page's key starts from. */
    pageKeyBase: string;
    /** Mirrored remote images: site path → file in the cache. */
    mirroredImages?: ReadonlyMap<string, string>;
    /** The previous site's manifest and files gone from the output folder, when read ahead. */
    previousSite: PreviousSite | undefined;
    /** The hash of an article's file in the cache this build started from, if it had one. */
    contentHashBefore: (article: Article) => string | undefined;
    /** Throws if a body read from the cache was damaged (see `BodyStore.assertUndamaged`). */
    assertBodiesUndamaged: () => void;
  },
  progress: NonNullable<BuildOptions['onProgress']>,
): Promise<BuildResult> {
  const { config } = project;
  const { report, diagnostics, timings, statistics } = state;
  let phaseStart = performance.now();

  const output = new StagedOutput(project.outDir, IN_PLACE_UPDATE_LIMIT, state.previousSite);
  const extensions = options.extensions ?? BUILT_IN_EXTENSIONS;
  let extensionContext: ExtensionContext | undefined;
  const datedEverywhere = buildDateOnEveryPage([project.templatesDir, DEFAULT_TEMPLATES_DIR]);
  const renderer = createSiteRenderer(
    project,
    site,
    (spec) =>
      extensions.flatMap((extension) =>
        extensionContext ? (extension.feedsFor?.(spec, extensionContext) ?? []) : [],
      ),
    datedEverywhere,
  );
  extensionContext = {
    site,
    config,
    urls: renderer.urls,
    views: renderer.views,
    output,
    root: project.root,
    pagesKey: state.pageKeyBase,
  };
  const pages: BuildResult['pages'] = {};
  const templateErrors = new Set<string>();
  const indexesPages = extensions.some((extension) => extension.pageRendered);
  // What every page shows besides its own variables: the site menu (names and links, not
  // counts, so that a new article does not change every page) and, if a template other than
  // the home page's shows it, the build date. Home pages have the build date, but for the
  // numbered pages of a stable home list (`undated`).
  const buildDate = String(lastChange(site)?.getTime() ?? '');
  const sharedKey = sha1(
    `${state.pageKeyBase}\0${stableJson({
      nav: site.categoryRoots.slice(0, 8).map((node) => [node.name, node.path]),
      pages: site.pages.map((page) => [page.title, page.path, page.lang ?? page.language ?? '']),
      buildDate: datedEverywhere ? buildDate : '',
    })}`,
  );
  const homeKey = sha1(`${sharedKey}\0${buildDate}`);
  // A page of a site with the same structure as the previous build's (or that structure with
  // newer articles added), showing none of the articles whose files changed since or were
  // added, and laid out as it was, has the key it had: it is kept without working it out.
  // The home key adds only the build date, the newest article's date: part of the structure.
  // Of the extensions, only those that link feeds from pages change them.
  const linkingExtensions = extensions.filter((extension) => extension.feedsFor);
  const pagesNow = recordPages(
    `${sharedKey}\0${linkingExtensions.map((extension) => extension.name).join('\0')}`,
    site,
    output.previousPages?.articles,
  );
  output.pages = pagesNow.record;
  // An extension's feed links that may change on their own leave no page key known.
  const feedLinksKnown = extensions.every(
    (extension) => !extension.feedsFor || extension.feedLinksFollowStructure,
  );
  const changes = feedLinksKnown
    ? changesSince(
        output.previousPages,
        pagesNow,
        site,
        state.contentHashBefore,
        renderer.related,
        renderer.views.archived,
      )
    : undefined;
  const helperAfter = renderHelperAfter(options);
  let helper: RenderHelper | undefined;
  try {
    if (options.renderHelper === 'always') {
      helper = new RenderHelper({
        config,
        templatesDir: project.templatesDir,
        compiledTemplatesDir: compiledTemplatesFolder(project.cacheDir),
      });
      await helper.started;
    }
    let finished = 0;
    /**
     * Pages are finished in the order they were planned, whichever thread rendered them;
     * without a promise when nothing needs waiting for (a kept page, a page rendered here),
     * so that a rebuild keeping 140,000 pages does not pay a few promise turns for each.
     */
    const finishPage = (page: QueuedPage): void | Promise<void> => {
      const { spec } = page;
      if (page.state === 'refused') return refusePath(spec);
      if (page.state !== 'rendering') return announcePage(spec, undefined);
      if (page.answer) {
        const waitStart = performance.now();
        return page.answer.then((answer) => {
          timings.render += performance.now() - waitStart;
          if (answer) statistics.pagesRenderedByHelper++;
          const html = writeRendered(page, answer);
          if (html !== undefined) return announcePage(spec, html);
        });
      }
      const html = writeRendered(page, undefined);
      if (html !== undefined) return announcePage(spec, html);
    };
    /** Writes a rendered page; its HTML, or undefined when it could not be written. */
    const writeRendered = (
      page: Extract<QueuedPage, { state: 'rendering' }>,
      answer: RenderAnswer | undefined,
    ): string | undefined => {
      const { spec } = page;
      const result =
        page.result ?? answer?.result ?? renderer.renderContext(spec.template, page.context);
      if (!result.ok) {
        output.release(spec.sitePath);
        reportTemplateError(spec, result);
        return undefined;
      }
      const writeStart = performance.now();
      let written: boolean;
      if (answer?.written) {
        output.writtenElsewhere(spec.sitePath, answer.size);
        written = true;
      } else if (answer?.writeError) {
        const { code, message, path: file } = answer.writeError;
        // A full or read-only disk keeps its code and file, for the CLI to explain.
        if (!PATH_CLASH_CODES.has(code ?? ''))
          throw Object.assign(new Error(message), { ...(code ? { code } : {}), path: file });
        output.release(spec.sitePath);
        written = false;
      } else written = output.write(spec.sitePath, result.html, page.key);
      timings.write += performance.now() - writeStart;
      if (!written) {
        refusePath(spec);
        return undefined;
      }
      return result.html;
    };
    /** Hands a finished page to the extensions, in order; `rendered` undefined when kept. */
    const announcePage = (spec: PageSpec, rendered: string | undefined): void | Promise<void> => {
      const counted = () => {
        pages[spec.kind] = (pages[spec.kind] ?? 0) + 1;
        if (++finished % 500 === 0) progress('render', finished, 0);
      };
      if (!indexesPages) return counted();
      // A kept page is read from disk only if an extension asks (the sitemap needs the path).
      let html = rendered;
      const reused = html === undefined;
      const pageHtml = () => {
        html ??= output.previous(spec.sitePath)?.toString('utf8') ?? '';
        return html;
      };
      for (const [index, extension] of extensions.entries()) {
        const pending = extension.pageRendered?.(spec, pageHtml, extensionContext, reused);
        if (pending) {
          return pending.then(async () => {
            for (const later of extensions.slice(index + 1))
              await later.pageRendered?.(spec, pageHtml, extensionContext, reused);
            counted();
          });
        }
      }
      counted();
    };
    const refusePath = (spec: PageSpec): void => {
      const file = spec.article?.relativePath ?? `page ${spec.sitePath}`;
      diagnostics.push({
        severity: 'error',
        file,
        message: `cannot write ${spec.sitePath}: its path is outside the site or clashes with another page or file`,
      });
      if (spec.article) report.failed.push({ file, reason: 'path clash' });
    };
    const reportTemplateError = (
      spec: PageSpec,
      result: Extract<RenderResult, { ok: false }>,
    ): void => {
      const errorKey = `${result.file}:${result.line}:${result.message}`;
      if (!templateErrors.has(errorKey)) {
        templateErrors.add(errorKey);
        diagnostics.push({
          severity: 'error',
          file: result.file,
          ...(result.line ? { line: result.line } : {}),
          message: `template error while rendering ${spec.sitePath}: ${result.message}`,
        });
      }
      if (spec.article)
        report.failed.push({
          file: spec.article.relativePath,
          reason: `template error: ${result.message}`,
        });
    };

    // Pages planned and not yet finished. Each takes its place in the output as it is
    // planned, so pages rendered by the helper thread end up where they would have.
    const queue: QueuedPage[] = [];
    const finishReadyPages = (all: boolean): void | Promise<void> => {
      while (queue.length > 0 && (all || queue[0]!.ready || queue.length >= QUEUED_PAGES)) {
        const pending = finishPage(queue.shift()!);
        if (pending) return pending.then(() => finishReadyPages(all));
      }
    };
    let renderedHere = 0;
    // A build that keys every page (a first build, a new title or template) renders most of
    // them: the cards, kept for the whole build, are made in one run first, so that they sit
    // together in the heap rather than among pages' short-lived garbage (at 100,000 articles
    // the peak was 30–50 MB lower in a first build, 60–70 MB after a new title).
    if (changes === undefined) renderer.views.prepareCards(site.articles);
    let sinceYield = 0;
    for (const spec of renderer.pages()) {
      const planStart = performance.now();
      const previousKey = output.previousKey(spec.sitePath);
      // Made from the same things as then: kept without its key being computed again.
      const unchanged =
        previousKey !== undefined && changes !== undefined && !mayHaveChanged(spec, changes);
      let key = previousKey ?? '';
      if (!unchanged) {
        key = pageKey(
          spec.kind === 'home' && !spec.undated ? homeKey : sharedKey,
          spec,
          extensionContext,
          extensions,
        );
        statistics.pagesKeyed++;
      }
      if (key === previousKey) {
        const kept = output.keep(spec.sitePath, key);
        // A page that cannot be kept for a clash counts as rendered, as it would have been.
        if (kept) statistics.pagesReused++;
        else statistics.pagesRendered++;
        queue.push({ spec, key, state: kept ? 'kept' : 'refused', ready: true });
      } else if (!output.reserve(spec.sitePath, key)) {
        statistics.pagesRendered++;
        queue.push({ spec, key, state: 'refused', ready: true });
      } else {
        statistics.pagesRendered++;
        const context = renderer.context(spec);
        if (!helper && helperAfter !== undefined && renderedHere >= helperAfter)
          helper = new RenderHelper({
            config,
            templatesDir: project.templatesDir,
            compiledTemplatesDir: compiledTemplatesFolder(project.cacheDir),
          });
        const answer = helper?.offer(spec.template, context, output.freshTarget(spec.sitePath));
        if (answer) {
          const page: QueuedPage = { spec, key, state: 'rendering', context, answer, ready: false };
          answer.then(() => {
            page.ready = true;
          });
          queue.push(page);
        } else {
          renderedHere++;
          const result = renderer.renderContext(spec.template, context);
          queue.push({ spec, key, state: 'rendering', context, result, ready: true });
        }
      }
      timings.render += performance.now() - planStart;
      const finishing = finishReadyPages(false);
      if (finishing) await finishing;
      // Let the helper's answers in now and then, so that it is handed more pages.
      if (helper && ++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await yieldToEvents();
      }
    }
    await finishReadyPages(true);
    await helper?.close();
    if (helper?.failure) diagnostics.push(workerFailureWarning('render', [helper.failure]));
    helper = undefined;

    phaseStart = performance.now();
    pages.static =
      copyStaticFiles(project, output, diagnostics) +
      publishContentMedia(
        project.contentDir,
        [...site.articles, ...site.pages],
        output,
        diagnostics,
      );
    for (const [sitePath, file] of state.mirroredImages ?? []) output.copy(file, sitePath);
    for (const extension of extensions) {
      const found = await extension.finish?.(extensionContext);
      if (found) diagnostics.push(...found);
    }
    timings.write += performance.now() - phaseStart;
    const pageClashes = new Set(diagnostics.map((diagnostic) => diagnostic.message));
    for (const sitePath of new Set(output.clashes)) {
      const message = `cannot write ${sitePath}: its path is outside the site or clashes with another page or file`;
      // Named already by what wanted it (an article's old URL): not twice.
      const named = diagnostics.some((diagnostic) => diagnostic.message.endsWith(`(${sitePath})`));
      if (!pageClashes.has(message) && !named)
        diagnostics.push({ severity: 'warning', file: `output ${sitePath}`, message });
    }

    report.built -= report.failed.filter(
      (failure) =>
        failure.reason.startsWith('template error') || failure.reason.startsWith('path clash'),
    ).length;
    // A damaged body read inside a template failed that page as a template error: the site
    // is not committed, and the build starts again without the cache.
    state.assertBodiesUndamaged();
    const hasErrors = diagnostics.some((diagnostic) => diagnostic.severity === 'error');
    const ok = !(options.strict && hasErrors) && templateErrors.size === 0;
    phaseStart = performance.now();
    if (ok) output.commit();
    else output.abort();
    if (output.leftBehind) {
      diagnostics.push({
        severity: 'warning',
        file: output.leftBehind,
        message:
          'the previous site was replaced, but this copy of it could not be deleted (permissions?); delete it by hand',
      });
    }
    timings.write += performance.now() - phaseStart;
    return {
      ok,
      outDir: project.outDir,
      config,
      diagnostics,
      report,
      pages,
      filesWritten: output.written,
      filesUnchanged: output.unchanged,
      cache: statistics,
      timings,
    };
  } catch (error) {
    await helper?.close();
    // Extensions' background work (search bundles being written) stops writing first; the
    // build's own error is the one reported.
    for (const extension of extensions) {
      try {
        await extension.abort?.(extensionContext);
      } catch {
        // Ignored: see above.
      }
    }
    output.abort();
    throw error;
  }
}

/** The theme's assets, then the project's `public/` files (which may replace them). */
function copyStaticFiles(
  project: Project,
  output: StagedOutput,
  diagnostics: Diagnostic[],
): number {
  const themeFolders = [project.templatesDir, DEFAULT_TEMPLATES_DIR];
  const assets = themeAssets(themeFolders);
  for (const [sitePath, file] of assets) output.copy(file, sitePath);
  let copied = assets.size;
  const content = realFolder(project.contentDir);
  for (const sitePath of project.siteFiles) {
    const source = path.join(project.publicDir, ...sitePath.split('/'));
    if (output.has(sitePath) && !assets.has(sitePath)) {
      diagnostics.push({
        severity: 'warning',
        file: `public${sitePath}`,
        message: 'a generated page has the same path; the static file is not copied',
      });
    } else if (isInside(content, realFolder(source))) {
      // A link in public/ into the content folder would publish sources, drafts too.
      diagnostics.push({
        severity: 'warning',
        file: `public${sitePath}`,
        message: 'leads into the content folder (a symbolic link); not published',
      });
    } else if (output.copy(source, sitePath)) copied++;
  }
  return copied;
}

/** Where a path leads, links followed (itself when it cannot be resolved). */
function realFolder(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

function firstError(diagnostics: Diagnostic[]): string {
  return (
    diagnostics.find((diagnostic) => diagnostic.severity === 'error')?.message ??
    'could not be read'
  );
}
