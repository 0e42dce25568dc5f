/**
 * What the dev server knows between rebuilds: every content file's last good load, every
 * body's transform, and the collected site. A change to a few files re-runs load and
 * transform for those files alone; collect is patched in place when the change cannot move
 * the article (same date, categories, tags, authors, URL), and re-run over the kept inputs
 * otherwise.
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CollectedStages, Project } from '../build.ts';
import { collectedArticle } from '../collect/article.ts';
import { normalizeSourceUrl, separateDuplicates } from '../collect/duplicates.ts';
import { scheduleState } from '../collect/schedule.ts';
import { type CollectInput, collectSite, type Site } from '../collect/site.ts';
import { loadArticle } from '../load/article.ts';
import { isArticleName, isInside } from '../load/discover.ts';
import { isStandalonePage } from '../load/fields.ts';
import type { Article, Diagnostic, LoadedArticle } from '../model.ts';
import { transformArticles } from '../pipeline.ts';
import type { BodyTransformerOptions } from '../transform/index.ts';

export interface SiteState {
  project: Project;
  /** Last good load of every content file, by relative path (drafts and duplicates too). */
  loaded: Map<string, LoadedArticle>;
  /** Transformed bodies by relative path, valid while the content hash matches. */
  inputs: Map<string, CollectInput>;
  /**
   * Errors of content files, by relative path. A file whose last save did not load at all
   * keeps its last good version built.
   */
  contentErrors: Map<string, Diagnostic[]>;
  site: Site;
  /** File sizes as the full build weighed copies of a story (see `CollectedStages`). */
  sizeOf: (article: LoadedArticle) => number;
  /** The content folder's media files: as the full build found them, with those added since. */
  contentFiles: Set<string>;
}

export interface ContentUpdate {
  state: SiteState;
  /** True when anything built changed. */
  siteChanged: boolean;
  /** True when the site was collected anew (articles added, removed or moved). */
  recollected: boolean;
  /** Without re-collecting: the articles replaced in place. */
  patched: Article[];
  /** Relative paths of content files that were re-read. */
  reloaded: string[];
  diagnostics: Diagnostic[];
}

/**
 * The state after a full build, from what its stages made and the build's diagnostics (the
 * errors of content files are kept to show them).
 */
export function stateFromBuild(stages: CollectedStages, diagnostics: Diagnostic[]): SiteState {
  const loaded = new Map<string, LoadedArticle>();
  const inputs = new Map<string, CollectInput>();
  for (const input of stages.inputs) {
    loaded.set(input.loaded.relativePath, input.loaded);
    inputs.set(input.loaded.relativePath, input);
  }
  // Drafts and duplicates are not built, but an edit can make them buildable: keep them.
  const skipped = [
    ...stages.content.report.drafts,
    ...stages.content.report.scheduled,
    ...stages.content.report.expired,
    ...stages.content.report.duplicates.map((duplicate) => duplicate.file),
  ];
  for (const relativePath of skipped) {
    const outcome = loadArticle(
      { absolutePath: path.join(stages.project.contentDir, relativePath), relativePath },
      stages.project.config,
    );
    if (outcome.article) loaded.set(relativePath, outcome.article);
  }
  const contentErrors = new Map<string, Diagnostic[]>();
  const contentFiles = new Set([
    ...loaded.keys(),
    ...stages.content.report.failed.map((failure) => failure.file),
  ]);
  for (const diagnostic of diagnostics) {
    if (diagnostic.severity !== 'error' || !contentFiles.has(diagnostic.file)) continue;
    contentErrors.set(diagnostic.file, [...(contentErrors.get(diagnostic.file) ?? []), diagnostic]);
  }
  return {
    project: stages.project,
    loaded,
    inputs,
    contentErrors,
    site: stages.site,
    sizeOf: stages.sizeOf,
    contentFiles: new Set(stages.contentFiles),
  };
}

/** The files a body may name as the site's own (see `BodyTransformerOptions`). */
export function localFiles(state: SiteState): BodyTransformerOptions {
  return { siteFiles: state.project.siteFiles, contentFiles: state.contentFiles };
}

/** Content-folder-relative path with forward slashes, or undefined outside the folder. */
function resolvesInside(root: string, file: string): boolean {
  try {
    return isInside(realpathSync(root), realpathSync(file));
  } catch {
    return true; // A file that vanished is handled as absent by the caller.
  }
}

export function contentPath(project: Project, absolutePath: string): string | undefined {
  const relative = path.relative(project.contentDir, absolutePath);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

/**
 * Re-reads the given content files (absolute paths; missing ones are deletions) and brings
 * the site up to date. The state passed in is updated and returned.
 */
export async function applyContentChanges(
  state: SiteState,
  files: Iterable<string>,
): Promise<ContentUpdate> {
  const { project } = state;
  const { config } = project;
  const diagnostics: Diagnostic[] = [];
  const reloaded: string[] = [];
  const previous = new Map<string, LoadedArticle | undefined>();
  for (const absolutePath of expandRemovedFolders(state, files)) {
    const relativePath = contentPath(project, absolutePath);
    if (!relativePath || !isArticleName(relativePath)) continue;
    if (!previous.has(relativePath)) previous.set(relativePath, state.loaded.get(relativePath));
    reloaded.push(relativePath);
    // As in a full build, a symbolic link is followed only when it stays inside the content
    // folder; one pointing elsewhere (a scraper's or an attacker's) is treated as absent.
    const outside = !resolvesInside(project.contentDir, absolutePath);
    if (outside && isFile(absolutePath)) {
      diagnostics.push({
        severity: 'warning',
        file: relativePath,
        message: 'symbolic link points outside the content folder, not followed',
      });
    }
    if (outside || !isFile(absolutePath)) {
      state.loaded.delete(relativePath);
      state.inputs.delete(relativePath);
      state.contentErrors.delete(relativePath);
      continue;
    }
    const outcome = loadArticle({ absolutePath, relativePath }, config);
    diagnostics.push(...outcome.diagnostics);
    // Front matter that is recovered key by key still loads, and is still an error to show.
    const errors = outcome.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    if (errors.length > 0) state.contentErrors.set(relativePath, errors);
    else state.contentErrors.delete(relativePath);
    if (outcome.article) state.loaded.set(relativePath, outcome.article);
  }

  const changed = [...previous].filter(
    ([relativePath, before]) => state.loaded.get(relativePath) !== before,
  );
  if (changed.length === 0)
    return { state, siteChanged: false, recollected: false, patched: [], reloaded, diagnostics };

  const inPlace = changed.every(([relativePath, before]) =>
    canPatchInPlace(state, before, state.loaded.get(relativePath)),
  );
  if (inPlace) {
    const articles = changed.map(([relativePath]) => state.loaded.get(relativePath)!);
    const transformed = await transformArticles(articles, config, undefined, localFiles(state));
    diagnostics.push(...transformed.diagnostics);
    const patched: Article[] = [];
    for (const input of transformed.inputs) {
      state.inputs.set(input.loaded.relativePath, input);
      const article = patchArticle(state.site, input);
      if (article) patched.push(article);
    }
    return { state, siteChanged: true, recollected: false, patched, reloaded, diagnostics };
  }

  // Scheduled articles as the server finds them when a change comes (not as time passes).
  const now = Date.now();
  const built = [...state.loaded.values()].filter(
    (article) => config.drafts || (!article.draft && scheduleState(article, now) === 'published'),
  );
  // A page of the site (an About page) is nobody's copy.
  const isPage = (article: LoadedArticle) => isStandalonePage(article.extra, article.relativePath);
  const { unique } = separateDuplicates(
    built.filter((article) => !isPage(article)),
    state.sizeOf,
  );
  unique.push(...built.filter(isPage));
  const stale = unique.filter(
    (article) => state.inputs.get(article.relativePath)?.loaded !== article,
  );
  const transformed = await transformArticles(stale, config, undefined, localFiles(state));
  diagnostics.push(...transformed.diagnostics);
  for (const input of transformed.inputs) state.inputs.set(input.loaded.relativePath, input);
  const site = collectSite(
    unique.map((article) => state.inputs.get(article.relativePath)!),
    config,
    project.siteFiles,
  );
  diagnostics.push(...site.diagnostics);
  state.site = site;
  return { state, siteChanged: true, recollected: true, patched: [], reloaded, diagnostics };
}

/**
 * True when the new version of a built article sits exactly where the old one did: same
 * date, URL and taxonomies, and no duplicate or draft status gained or lost.
 */
function canPatchInPlace(
  state: SiteState,
  before: LoadedArticle | undefined,
  after: LoadedArticle | undefined,
): boolean {
  if (!before || !after) return false;
  if (state.inputs.get(before.relativePath)?.loaded !== before) return false;
  if (!state.site.articles.some((article) => article.relativePath === before.relativePath))
    return false;
  if (placementKey(before) !== placementKey(after)) return false;
  // Its time came or went while the server ran: only collecting the site again says so.
  if (!state.project.config.drafts && scheduleState(after, Date.now()) !== 'published')
    return false;
  // Of copies of one source URL the largest file is built: an edit may make another copy
  // the larger one, which only collecting the site again tells.
  const source = sourceKeyOf(after);
  if (source) {
    for (const other of state.loaded.values())
      if (other.relativePath !== after.relativePath && sourceKeyOf(other) === source) return false;
  }
  if (before.title !== after.title) {
    // Title and date are a duplicate key: another file with either title must not exist.
    for (const other of state.loaded.values()) {
      if (other === after || other.date.getTime() !== after.date.getTime()) continue;
      if (other.title === before.title || other.title === after.title) return false;
    }
  }
  return true;
}

/** Normalized source URLs of loaded articles, each worked out once (a URL parse each). */
const sourceKeys = new WeakMap<LoadedArticle, string | undefined>();

function sourceKeyOf(article: LoadedArticle): string | undefined {
  if (!article.sourceUrl) return undefined;
  if (!sourceKeys.has(article)) sourceKeys.set(article, normalizeSourceUrl(article.sourceUrl));
  return sourceKeys.get(article);
}

/** Everything that decides where an article is listed and under which URL. */
function placementKey(article: LoadedArticle): string {
  return JSON.stringify([
    article.date.getTime(),
    article.categories,
    article.tags,
    article.authors.map((author) => author.name),
    article.slug,
    article.permalink ?? null,
    article.draft,
    isStandalonePage(article.extra, article.relativePath),
    article.publishDate?.getTime() ?? null,
    article.expiryDate?.getTime() ?? null,
    article.sourceUrl ?? null,
  ]);
}

/**
 * Replaces an article in every list of the site by its new version, keeping its URL. The
 * article object is made by the collect stage itself, from this one input.
 */
function patchArticle(site: Site, input: CollectInput): Article | undefined {
  const old = site.articles.find((article) => article.relativePath === input.loaded.relativePath);
  if (!old) return undefined;
  // Made as collect makes articles (a spread would drop the body's reader), at the old URL.
  const fresh = collectedArticle(input.loaded, input.body, old.id, old.path);
  const replace = (list: Article[]) => {
    const index = list.indexOf(old);
    if (index >= 0) list[index] = fresh;
  };
  replace(site.articles);
  for (const node of site.categories) replace(node.articles);
  for (const term of site.authors) replace(term.articles);
  for (const term of site.tags) replace(term.articles);
  for (const year of site.archives) {
    replace(year.articles);
    for (const month of year.months) replace(month.articles);
  }
  return fresh;
}

/** A deleted folder is reported once, not file by file: it stands for the articles in it. */
function expandRemovedFolders(state: SiteState, files: Iterable<string>): string[] {
  const expanded: string[] = [];
  for (const absolutePath of files) {
    const relativePath = contentPath(state.project, absolutePath);
    if (relativePath && !isArticleName(relativePath) && !exists(absolutePath)) {
      for (const known of state.loaded.keys())
        if (known.startsWith(`${relativePath}/`))
          expanded.push(path.join(state.project.contentDir, known));
      for (const known of state.contentErrors.keys())
        if (known.startsWith(`${relativePath}/`))
          expanded.push(path.join(state.project.contentDir, known));
    } else {
      expanded.push(absolutePath);
    }
  }
  return expanded;
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
