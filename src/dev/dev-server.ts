/**
 * `gazette dev`: a full build, then a server over the output folder and a watcher whose
 * changes go through the same stages, for only what changed:
 *
 *   chokidar ─▶ batch ─▶ content: load + transform those files, patch or re-collect the site
 *                        templates: a fresh environment, every page stale, no re-transform
 *                        public: copy that file          config: a full build
 *            ─▶ pages whose fingerprint moved: open ones first ─▶ reload event ─▶ the rest
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  type BuildExtension,
  type BuildOptions,
  type BuildResult,
  build,
  type CollectedStages,
  type Project,
} from '../build.ts';
import { CONFIG_FILE_NAMES } from '../config/load.ts';
import { type ContentFile, discoverContent, isPublishableMedia } from '../load/discover.ts';
import type { Diagnostic } from '../model.ts';
import { BUILT_IN_EXTENSIONS, transformArticles } from '../pipeline.ts';
import { DEFAULT_TEMPLATES_DIR } from '../render/environment.ts';
import { redirectSitePaths } from '../render/redirects.ts';
import { themeAssets } from '../render/theme-assets.ts';
import { CONTENT_MEDIA_PATH } from '../transform/content-files.ts';
import { lockOutputFolder } from '../write/lock.ts';
import { StagedOutput } from '../write/output.ts';
import { LiveOutput } from './live-output.ts';
import { LiveSiteFiles } from './live-site-files.ts';
import { PageScheduler, type RenderPass } from './page-scheduler.ts';
import { type DevHttpServer, startHttpServer } from './server.ts';
import {
  applyContentChanges,
  contentPath,
  localFiles,
  type SiteState,
  stateFromBuild,
} from './site-state.ts';
import { type ProjectWatcher, watchProject } from './watch.ts';

export interface DevOptions
  extends Pick<BuildOptions, 'root' | 'configFile' | 'overrides' | 'strict'> {
  /** Port to serve on; the next free one is taken when it is busy. 0 picks any. */
  port?: number;
  host?: string;
  /** Extensions of full builds (feeds, sitemap, search by default). */
  extensions?: BuildExtension[];
  /** Quiet time after a file event before rebuilding. */
  debounceMs?: number;
  /**
   * A change touching at most this many pages renders them all before the reload message;
   * past it, the pages open in a browser go first and the rest follow in the background.
   */
  syncPageLimit?: number;
  /** Called after each full build (the CLI prints its summary). */
  onBuild?: (result: BuildResult) => void;
  /** Called after each incremental rebuild. */
  onRebuild?: (rebuild: RebuildSummary) => void;
  /** Called when the problems shown in the browser change (empty when all is well). */
  onProblems?: (problems: Diagnostic[]) => void;
  /** Called when a rebuild fails outright (the server keeps running). */
  onError?: (error: Error) => void;
}

export interface RebuildSummary {
  files: string[];
  kinds: ChangeKind[];
  written: number;
  removed: number;
  /** Pages left for the background. */
  pending: number;
  ms: number;
}

/** `public` covers the theme's own static files (`assets/` beside the templates) too. */
export type ChangeKind = 'content' | 'templates' | 'public' | 'config';

export interface DevServer {
  url: string;
  port: number;
  readonly project: Project;
  /** The URL path of the page of a content file (relative to the content folder), if built. */
  hrefOf: (relativePath: string) => string | undefined;
  /** Resolves once every change seen so far is built and no page waits to be rendered. */
  settled: () => Promise<void>;
  close: () => Promise<void>;
}

interface FullBuild {
  result: BuildResult;
  stages: CollectedStages;
  output: StagedOutput;
  /** What the build's page keys, feeds' and sitemap's, start from. */
  pagesKey: string | undefined;
}

/** How long after start the content folder is looked over once more (see `lookAgain`). */
const WATCH_SETTLING_MS = 2_000;

/**
 * Files on disk that look like pages and are not (see `PageScheduler.knowFilesOnDisk`):
 * `public/` files, and the redirect pages of articles' old URLs, which their extension keeps.
 */
function notPages(state: SiteState): (sitePath: string) => boolean {
  const redirects = redirectSitePaths(
    [...state.site.articles, ...state.site.pages],
    state.project.config.permalink,
  );
  return (sitePath) => state.project.siteFiles.has(sitePath) || redirects.has(sitePath);
}

/** Media of the content folder that the articles' relative URLs looked for, found or not. */
function mediaLookedFor(state: SiteState): Set<string> {
  const paths = new Set<string>();
  for (const { body } of state.inputs.values()) {
    for (const list of [body.contentFiles, body.foundContentFiles, body.missingContentFiles])
      for (const file of list ?? []) paths.add(file);
  }
  return paths;
}

/** A batch this large is a burst, after which the content folder is checked directly. */
const BURST_SIZE = 20;

/** Content files added, changed or removed since `since`, compared with what was built. */
export function contentChangedSince(project: Project, state: SiteState, since: number): string[] {
  if (!existsSync(project.contentDir)) return [];
  const discovered = discoverContent(project.contentDir);
  // A folder that cannot be listed still holds its files, unseen: their articles stay, as a
  // build keeps them, instead of being taken for deleted.
  const unseen = discovered.unreadableFolders.map((folder) => (folder === '' ? '' : `${folder}/`));
  const changedAmong = (files: ContentFile[], known: (relativePath: string) => boolean) => {
    const changed: string[] = [];
    const present = new Set<string>();
    for (const file of files) {
      present.add(file.relativePath);
      let modified = 0;
      try {
        modified = statSync(file.absolutePath).mtimeMs;
      } catch {
        continue;
      }
      if (!known(file.relativePath) || modified >= since) changed.push(file.absolutePath);
    }
    return { changed, present };
  };
  const articles = changedAmong(
    discovered.files,
    (relativePath) => state.loaded.has(relativePath) || state.contentErrors.has(relativePath),
  );
  // Media saved beside articles: new, gone, or changed.
  const media = changedAmong(discovered.media, (relativePath) =>
    state.contentFiles.has(relativePath),
  );
  const changed = [...articles.changed, ...media.changed];
  const gone = (before: Iterable<string>, present: ReadonlySet<string>) => {
    for (const relativePath of before) {
      if (present.has(relativePath) || unseen.some((folder) => relativePath.startsWith(folder)))
        continue;
      changed.push(path.join(project.contentDir, relativePath));
    }
  };
  gone(state.loaded.keys(), articles.present);
  gone(state.contentFiles, media.present);
  return changed;
}

/**
 * A config error as a diagnostic, named by the file's name: a message that starts with the
 * file's path or name (and line), as the config loader words them
 * (`gazette.config.yml:3: "pageSize" must be …`, `/site/gazette.config.yml:5: unexpected
 * end of the stream`), is split.
 */
export function configDiagnostic(configFile: string, message: string): Diagnostic {
  const file = path.basename(configFile);
  const prefix = [configFile, file].find((name) => message.startsWith(`${name}:`));
  const located = prefix ? /^:(?:(\d+):)? (.*)$/s.exec(message.slice(prefix.length)) : null;
  if (!located) return { severity: 'error', file, message };
  return {
    severity: 'error',
    file,
    ...(located[1] ? { line: Number(located[1]) } : {}),
    message: located[2]!,
  };
}

export async function startDev(options: DevOptions = {}): Promise<DevServer> {
  const extensions = options.extensions ?? BUILT_IN_EXTENSIONS;
  const buildId = `${process.pid}-${Date.now()}`;
  const firstBuildStarted = Date.now();
  const first = await fullBuild();
  let project = first.stages.project;
  // Held while the server runs: a `gazette build` into the same folder meanwhile would clear
  // the pages this server writes, and the reverse.
  let unlockOutput = lockOutputFolder(project.outDir, 'dev');
  let state: SiteState = stateFromBuild(first.stages, first.result.diagnostics);
  let output = new LiveOutput(project.outDir);
  let scheduler = new PageScheduler(project, output, extensions, first.output);
  scheduler.knowFilesOnDisk(leftOnDisk(first), notPages(state));
  scheduler.setSite(state.site, { onDisk: first.result.ok });
  if (!first.result.ok) scheduler.renderNow(scheduler.samplePages());
  let siteFiles = await liveSiteFiles(first);
  await warmUp();
  let configError: Diagnostic | undefined;
  let lastErrors = '';

  const currentErrors = (): Diagnostic[] => [
    ...(configError ? [configError] : []),
    ...[...state.contentErrors.values()].flat(),
    ...scheduler.errors(),
  ];

  const server: DevHttpServer = await startHttpServer({
    urls: () => scheduler.urls,
    fileFor: (sitePath) => output.fileFor(sitePath),
    beforeServe: (sitePath) => {
      if (!scheduler.isStale(sitePath)) return;
      scheduler.renderNow([sitePath]);
      announceErrors();
    },
    hello: () => ({ buildId, errors: currentErrors() }),
    port: options.port ?? 4000,
    host: options.host ?? '127.0.0.1',
  });

  const announceErrors = () => {
    const errors = currentErrors();
    const key = JSON.stringify(errors);
    if (key === lastErrors) return;
    lastErrors = key;
    server.broadcast('errors', { errors });
    options.onProblems?.(errors);
  };
  lastErrors = JSON.stringify(currentErrors());

  // ── Watching ─────────────────────────────────────────────────────────────────────────
  const watchStarted = Date.now();
  let watcher: ProjectWatcher = startWatcher(project);
  await watcher.ready;

  function startWatcher(watched: Project): ProjectWatcher {
    const configFiles = watched.configFile
      ? [watched.configFile]
      : CONFIG_FILE_NAMES.map((name) => path.join(watched.root, name));
    return watchProject({
      paths: [
        watched.contentDir,
        watched.templatesDir,
        watched.publicDir,
        DEFAULT_TEMPLATES_DIR,
        ...configFiles,
      ],
      ignoredFolders: [watched.outDir, watched.cacheDir],
      ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
      onBatch: enqueue,
      onError: (error) => options.onError?.(error),
    });
  }

  function kindOf(file: string): ChangeKind | undefined {
    const inside = (folder: string) => file === folder || file.startsWith(folder + path.sep);
    if (
      file === project.configFile ||
      (!project.configFile &&
        path.dirname(file) === project.root &&
        CONFIG_FILE_NAMES.includes(path.basename(file)))
    )
      return 'config';
    if (inside(project.contentDir)) return 'content';
    if (themeAssetPath(file)) return 'public';
    if (inside(project.templatesDir) || inside(path.resolve(DEFAULT_TEMPLATES_DIR)))
      return 'templates';
    if (inside(project.publicDir)) return 'public';
    return undefined;
  }

  /** Site path of a theme asset (`<templates>/assets/x` → `/assets/x`), if the file is one. */
  function themeAssetPath(file: string): string | undefined {
    for (const folder of themeFolders(project)) {
      const relative = path.relative(path.join(folder, 'assets'), file);
      if (relative && !relative.startsWith('..') && !path.isAbsolute(relative))
        return `/assets/${relative.split(path.sep).join('/')}`;
    }
    return undefined;
  }

  /** The file served at a static site path: `public/` first, then the theme's assets. */
  function staticSource(sitePath: string): string | undefined {
    const inPublic = path.join(project.publicDir, ...sitePath.split('/'));
    if (isFile(inPublic)) return inPublic;
    return themeAssets(themeFolders(project)).get(sitePath);
  }

  // ── Rebuilding, one batch at a time ──────────────────────────────────────────────────
  const queue = new Set<string>();
  let working: Promise<void> | undefined;
  let closed = false;
  /** The site changed since feeds and sitemap were last made. */
  let siteFilesStale = false;
  let refreshing: Promise<void> | undefined;

  function enqueue(files: string[]): void {
    if (closed) return;
    for (const file of files) queue.add(file);
    if (!working) {
      working = drain().finally(() => {
        working = undefined;
        scheduleBackground();
      });
    }
  }

  async function drain(): Promise<void> {
    while (queue.size > 0 && !closed) {
      // A refresh of feeds and sitemap in progress finishes first: a rebuild of everything
      // may replace the folder it writes to.
      await refreshing;
      const files = [...queue];
      queue.clear();
      try {
        await rebuild(files);
        // A scraper dropping hundreds of files at once can outrun the watcher's events:
        // after a burst, files nobody announced (new or gone) are looked for directly.
        if (files.length >= BURST_SIZE) {
          for (const file of contentChangedSince(project, state, Number.POSITIVE_INFINITY)) {
            queue.add(file);
          }
        }
      } catch (error) {
        options.onError?.(error as Error);
      }
    }
  }

  async function rebuild(files: string[]): Promise<void> {
    const started = performance.now();
    const byKind = new Map<ChangeKind, string[]>();
    for (const file of files) {
      const kind = kindOf(file);
      if (kind) byKind.set(kind, [...(byKind.get(kind) ?? []), file]);
    }
    if (byKind.size === 0) return;
    // A public/ file added or removed changes what bodies may name as site-local images
    // (`siteFiles`): every article is transformed again, as `build` would.
    const publicFilesMoved = (byKind.get('public') ?? []).some((file) => {
      if (themeAssetPath(file)) return false;
      const sitePath = `/${path.relative(project.publicDir, file).split(path.sep).join('/')}`;
      return existsSync(file) !== project.siteFiles.has(sitePath);
    });
    // So does a picture saved beside an article (or deleted) that an article looked for:
    // through the build cache, only those articles are transformed again. One no article
    // looked for is only noted, for the articles edited next.
    const mediaMoves = (byKind.get('content') ?? []).flatMap((file) => {
      const relativePath = contentPath(project, file);
      if (relativePath === undefined || !isPublishableMedia(relativePath)) return [];
      const present = existsSync(file);
      return present === state.contentFiles.has(relativePath) ? [] : [{ relativePath, present }];
    });
    const lookedFor = mediaMoves.length > 0 ? mediaLookedFor(state) : new Set<string>();
    // Bodies look for media only once the content folder has some (see the build cache key):
    // the first picture saved, or the last removed, makes every article again.
    const firstOrLast =
      mediaMoves.length > 0 &&
      (state.contentFiles.size === 0 ||
        (mediaMoves.every(({ present }) => !present) &&
          mediaMoves.length >= state.contentFiles.size));
    const contentMediaMoved =
      firstOrLast || mediaMoves.some(({ relativePath }) => lookedFor.has(relativePath));
    if (!contentMediaMoved) {
      for (const { relativePath, present } of mediaMoves) {
        if (present) state.contentFiles.add(relativePath);
        else state.contentFiles.delete(relativePath);
      }
    }
    if (byKind.has('config') || publicFilesMoved || contentMediaMoved) {
      const written = await rebuildAll();
      options.onRebuild?.({
        files,
        kinds: byKind.has('config') ? ['config'] : publicFilesMoved ? ['public'] : ['content'],
        written,
        removed: 0,
        pending: scheduler.staleCount,
        ms: performance.now() - started,
      });
      return;
    }

    let removed: string[] = [];
    const content = byKind.get('content');
    /** Content-folder media to publish again: changed, or shown by an article just edited. */
    const mediaToPublish = new Set<string>();
    /** Media the articles about to be re-read showed: gone from the site if none shows them. */
    const shownBefore = new Set<string>();
    if (content) {
      for (const file of content) {
        const relativePath = contentPath(project, file);
        const body = relativePath === undefined ? undefined : state.inputs.get(relativePath)?.body;
        for (const shown of body?.contentFiles ?? []) shownBefore.add(shown);
      }
      const update = await applyContentChanges(state, content);
      state = update.state;
      for (const relativePath of update.reloaded) {
        for (const file of state.inputs.get(relativePath)?.body.contentFiles ?? [])
          mediaToPublish.add(file);
      }
      for (const file of content) {
        const relativePath = contentPath(project, file);
        if (relativePath !== undefined && state.contentFiles.has(relativePath))
          mediaToPublish.add(relativePath);
      }
      if (update.siteChanged) {
        siteFilesStale = true;
        removed = scheduler.setSite(
          state.site,
          update.recollected ? {} : { patched: update.patched },
        ).removed;
      }
    }
    const templates = byKind.has('templates');
    if (templates) scheduler.templatesChanged();

    const limit = options.syncPageLimit ?? 300;
    const pass: RenderPass =
      scheduler.staleCount <= limit
        ? scheduler.renderNow()
        : scheduler.renderNow([
            ...server.viewedPages(),
            ...(templates ? scheduler.samplePages() : []),
          ]);

    const stylesheets: string[] = [];
    let otherStatic = false;
    for (const file of byKind.get('public') ?? []) {
      const sitePath =
        themeAssetPath(file) ??
        `/${path.relative(project.publicDir, file).split(path.sep).join('/')}`;
      if (scheduler.hasPage(sitePath)) continue;
      const source = staticSource(sitePath);
      const copied = source
        ? output.write(sitePath, readFileSync(source))
        : output.remove(sitePath);
      if (!copied) continue;
      if (sitePath.endsWith('.css')) stylesheets.push(scheduler.urls.href(sitePath));
      else otherStatic = true;
    }

    if (mediaToPublish.size > 0 || shownBefore.size > 0) {
      const shownNow = new Set(
        [...state.site.articles, ...state.site.pages].flatMap(
          (article) => article.contentFiles ?? [],
        ),
      );
      for (const relativePath of mediaToPublish) {
        if (!shownNow.has(relativePath)) continue;
        try {
          const source = path.join(project.contentDir, ...relativePath.split('/'));
          if (output.write(`${CONTENT_MEDIA_PATH}${relativePath}`, readFileSync(source)))
            otherStatic = true;
        } catch {
          // Gone meanwhile: its removal is the next batch.
        }
      }
      for (const relativePath of shownBefore) {
        if (!shownNow.has(relativePath) && output.remove(`${CONTENT_MEDIA_PATH}${relativePath}`))
          otherStatic = true;
      }
    }

    announceErrors();
    const changedPages = [...pass.written, ...removed];
    if (otherStatic || changedPages.length > 2000) server.broadcast('reload', { paths: null });
    else if (changedPages.length > 0) {
      server.broadcast('reload', {
        paths: changedPages.map((sitePath) => scheduler.urls.href(sitePath)),
      });
    }
    if (stylesheets.length > 0) server.broadcast('css', { paths: stylesheets });
    options.onRebuild?.({
      files,
      kinds: [...byKind.keys()],
      written: pass.written.length,
      removed: removed.length,
      pending: scheduler.staleCount,
      ms: performance.now() - started,
    });
  }

  /**
   * The config (or the list of public/ files) changed: everything is built again, as `build`
   * would. Returns how many files the build wrote.
   */
  async function rebuildAll(): Promise<number> {
    output.flushManifest();
    let next: FullBuild;
    try {
      next = await fullBuild();
    } catch (error) {
      configError = configDiagnostic(
        project.configFile ?? 'gazette.config.yml',
        (error as Error).message,
      );
      announceErrors();
      return 0;
    }
    configError = undefined;
    const previous = project;
    if (next.stages.project.outDir !== previous.outDir) {
      const unlockNew = lockOutputFolder(next.stages.project.outDir, 'dev');
      unlockOutput();
      unlockOutput = unlockNew;
    }
    const basePathBefore = scheduler.urls.basePath;
    project = next.stages.project;
    state = stateFromBuild(next.stages, next.result.diagnostics);
    output = new LiveOutput(project.outDir);
    scheduler = new PageScheduler(project, output, extensions, next.output);
    scheduler.knowFilesOnDisk(leftOnDisk(next), notPages(state));
    scheduler.setSite(state.site, { onDisk: next.result.ok });
    if (!next.result.ok) scheduler.renderNow(scheduler.samplePages());
    siteFiles = await liveSiteFiles(next);
    siteFilesStale = false;
    await warmUp();
    const folders = (watched: Project) =>
      JSON.stringify([watched.contentDir, watched.templatesDir, watched.publicDir, watched.outDir]);
    if (folders(previous) !== folders(project) || previous.configFile !== project.configFile) {
      await watcher.close();
      watcher = startWatcher(project);
      await watcher.ready;
    }
    announceErrors();
    // A new base path: open pages go to the same page under it.
    const basePath = scheduler.urls.basePath;
    server.broadcast('reload', {
      paths: null,
      ...(basePath !== basePathBefore ? { basePath: { from: basePathBefore, to: basePath } } : {}),
    });
    return next.result.filesWritten;
  }

  /**
   * Feeds and sitemap as the dev server makes them again after changes. The first refresh,
   * of the site just built, writes nothing: it learns which files are the extensions'.
   */
  async function liveSiteFiles(built: FullBuild): Promise<LiveSiteFiles> {
    const isStatic = (sitePath: string) =>
      project.siteFiles.has(sitePath) ||
      (sitePath.endsWith('/index.html') && scheduler.hasPage(sitePath.slice(0, -10)));
    const owned = (sitePath: string) =>
      !isStatic(sitePath) &&
      extensions.some((extension) => extension.refreshedLive && extension.ownsFile?.(sitePath));
    const files = new LiveSiteFiles(
      output,
      // A build that failed left the previous site on disk, whose files may be older.
      built.result.ok ? (sitePath) => built.output.keyOf(sitePath) : () => undefined,
      isStatic,
      built.pagesKey,
      built.result.ok ? [] : leftOnDisk(built).filter(owned),
    );
    await scheduler.refreshSiteFiles(files);
    return files;
  }

  /**
   * Site paths of the files in the output folder after a full build: a failed one committed
   * nothing, so the previous site's are there still (with those the server wrote, which the
   * manifest lists since it was brought up to date before the build).
   */
  function leftOnDisk(built: FullBuild): string[] {
    return built.result.ok ? built.output.sitePaths() : built.output.previousSitePaths();
  }

  /** The first save should not pay for compiling templates and loading the transformer. */
  async function warmUp(): Promise<void> {
    scheduler.warmUp();
    const sample = state.site.articles[0];
    const loaded = sample && state.loaded.get(sample.relativePath);
    if (loaded) await transformArticles([loaded], project.config, undefined, localFiles(state));
  }

  async function fullBuild(): Promise<FullBuild> {
    let stages: CollectedStages | undefined;
    let staged: StagedOutput | undefined;
    let pagesKey: string | undefined;
    const capture: BuildExtension = {
      name: 'dev-server',
      finish(context) {
        if (context.output instanceof StagedOutput) staged = context.output;
        pagesKey = context.pagesKey;
        return undefined;
      },
    };
    const result = await build({
      ...(options.root !== undefined ? { root: options.root } : {}),
      ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
      ...(options.overrides !== undefined ? { overrides: options.overrides } : {}),
      ...(options.strict !== undefined ? { strict: options.strict } : {}),
      extensions: [...extensions, capture],
      onCollected: (collected) => {
        // Bodies may be read lazily from a build cache that closes when the build ends; the
        // dev server keeps them, so they are read now, while it is open.
        for (const input of collected.inputs) keepValue(input.body, 'html');
        for (const article of [...collected.site.articles, ...collected.site.pages])
          keepValue(article, 'html');
        stages = collected;
      },
    });
    options.onBuild?.(result);
    if (!stages || !staged) throw new Error('the build stopped before the site was collected');
    return { result, stages, output: staged, pagesKey };
  }

  // ── Background rendering of pages nobody is looking at yet ────────────────────────────
  let background: NodeJS.Immediate | undefined;
  let manifestTimer: NodeJS.Timeout | undefined;
  function scheduleBackground(): void {
    if (background || closed) return;
    background = setImmediate(() => {
      background = undefined;
      if (working || closed) return;
      if (scheduler.staleCount > 0) {
        const pass = scheduler.renderSome(25);
        if (pass.failed.length > 0) announceErrors();
        scheduleBackground();
        return;
      }
      // Feeds and sitemap once the pages are done: they are not what a reload waits for.
      if (siteFilesStale && !refreshing) {
        siteFilesStale = false;
        refreshing = scheduler
          .refreshSiteFiles(siteFiles)
          .then(() => undefined)
          .catch((error: Error) => options.onError?.(error))
          .finally(() => {
            refreshing = undefined;
            scheduleBackground();
          });
        return;
      }
      // The manifest is tidied once things are quiet, off the path of a reload.
      if (manifestTimer) clearTimeout(manifestTimer);
      manifestTimer = setTimeout(() => output.flushManifest(), 300);
    });
  }

  // A scraper may write while the first build runs, before anything watches: catch up.
  enqueue(contentChangedSince(project, state, firstBuildStarted));
  // chokidar may still be setting up the folders of a large tree for a moment after `ready`
  // (a file deleted from one of 300 folders went unseen): that moment is looked over again.
  const lookAgain = setTimeout(
    () => enqueue(contentChangedSince(project, state, watchStarted)),
    WATCH_SETTLING_MS,
  );

  return {
    url: server.url,
    port: server.port,
    get project() {
      return project;
    },
    hrefOf(relativePath) {
      const article = [...state.site.articles, ...state.site.pages].find(
        (each) => each.relativePath === relativePath,
      );
      return article ? scheduler.urls.href(article.path) : undefined;
    },
    async settled() {
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (
          !working &&
          queue.size === 0 &&
          scheduler.staleCount === 0 &&
          !siteFilesStale &&
          !refreshing
        )
          return;
      }
    },
    async close() {
      closed = true;
      clearTimeout(lookAgain);
      if (background) clearImmediate(background);
      if (manifestTimer) clearTimeout(manifestTimer);
      await watcher.close();
      await working;
      await refreshing;
      output.flushManifest();
      await server.close();
      unlockOutput();
    },
  };
}

function themeFolders(project: Project): string[] {
  return [project.templatesDir, path.resolve(DEFAULT_TEMPLATES_DIR)];
}

/** Replaces a getter by the value it gives now. */
function keepValue<T extends object>(target: T, key: keyof T): void {
  Object.defineProperty(target, key, {
    value: target[key],
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
