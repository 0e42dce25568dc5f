import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { separateDuplicates } from './collect/duplicates.ts';
import { type CollectInput, collectSite, type Site } from './collect/site.ts';
import { UrlBuilder } from './collect/urls.ts';
import { loadConfig } from './config/load.ts';
import type { SiteConfig } from './config/schema.ts';
import { feedsExtension } from './feeds/extension.ts';
import { sitemapExtension } from './feeds/sitemap.ts';
import { loadArticle } from './load/article.ts';
import { discoverContent } from './load/discover.ts';
import type { Diagnostic, LoadedArticle } from './model.ts';
import { createTemplateEnvironment } from './render/environment.ts';
import { type PageKind, type PageSpec, planPages } from './render/pages.ts';
import { createPageRenderer, type FeedLink, type RenderResult } from './render/render.ts';
import { ViewFactory } from './render/views.ts';
import { searchExtension } from './search/extension.ts';
import { createBodyTransformer } from './transform/index.ts';
import { checkOutputFolder, StagedOutput } from './write/output.ts';

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
  /** Called as phases advance, for a progress display. */
  onProgress?: (phase: Phase, done: number, total: number) => void;
  /** Called once the site is collected, with what the stages made (the dev server keeps it). */
  onCollected?: (stages: CollectedStages) => void;
}

/** What load, transform and collect made during one build. */
export interface CollectedStages {
  project: Project;
  content: LoadedContent;
  inputs: CollectInput[];
  site: Site;
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
  cacheDir: string;
}

/** What an extension (feeds, sitemap, search…) is given once the site is collected. */
export interface ExtensionContext {
  site: Site;
  config: SiteConfig;
  urls: UrlBuilder;
  views: ViewFactory;
  output: StagedOutput;
  /** Project folder the config's relative folders start from. */
  root: string;
}

/**
 * A part of the build beyond pages, such as feeds or search. Hooks are optional and called
 * in order: `feedsFor` while each page renders, `pageRendered` after each page, `finish`
 * once all pages are staged and before the output is swapped in.
 */
export interface BuildExtension {
  name: string;
  feedsFor?(spec: PageSpec, context: ExtensionContext): FeedLink[];
  pageRendered?(spec: PageSpec, html: string, context: ExtensionContext): void | Promise<void>;
  finish?(context: ExtensionContext): Promise<Diagnostic[] | undefined> | Diagnostic[] | undefined;
}

/** What became of each input file: every file is accounted for. */
export interface BuildReport {
  inputFiles: number;
  built: number;
  drafts: string[];
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
  timings: Record<Phase | 'total', number>;
}

/** Feeds, sitemap and search register here. */
export const BUILT_IN_EXTENSIONS: BuildExtension[] = [
  feedsExtension(),
  sitemapExtension(),
  searchExtension(),
];

/** Reads the configuration and resolves the project's folders. Throws `ConfigError`. */
export function resolveProject(
  options: Pick<BuildOptions, 'root' | 'configFile' | 'overrides'>,
): Project {
  const root = path.resolve(options.root ?? process.cwd());
  const loaded = loadConfig({ root, file: options.configFile, overrides: options.overrides });
  const resolve = (folder: string) => path.resolve(loaded.root, folder);
  return {
    config: loaded.config,
    root: loaded.root,
    ...(loaded.file ? { configFile: loaded.file } : {}),
    contentDir: resolve(loaded.config.contentDir),
    outDir: resolve(loaded.config.outDir),
    templatesDir: resolve(loaded.config.templatesDir),
    publicDir: resolve(loaded.config.publicDir),
    cacheDir: resolve(loaded.config.cacheDir),
  };
}

export interface LoadedContent {
  /** Articles to build: drafts (unless wanted) and duplicates removed. */
  articles: LoadedArticle[];
  report: BuildReport;
  diagnostics: Diagnostic[];
}

/** The load stage over the whole content folder, with every file's fate recorded. */
export function loadContent(
  project: Project,
  progress: BuildOptions['onProgress'] = () => {},
): LoadedContent {
  const { config, contentDir } = project;
  if (!existsSync(contentDir)) throw new Error(`content folder not found: ${contentDir}`);
  const discovered = discoverContent(contentDir);
  const diagnostics = [...discovered.diagnostics];
  const report: BuildReport = {
    inputFiles: discovered.files.length,
    built: 0,
    drafts: [],
    duplicates: [],
    failed: [],
  };
  const loaded: LoadedArticle[] = [];
  for (const [index, file] of discovered.files.entries()) {
    const outcome = loadArticle(file, config);
    diagnostics.push(...outcome.diagnostics);
    if (!outcome.article) {
      report.failed.push({ file: file.relativePath, reason: firstError(outcome.diagnostics) });
    } else if (outcome.article.draft && !config.drafts) {
      report.drafts.push(file.relativePath);
    } else {
      loaded.push(outcome.article);
    }
    if (index % 500 === 0) progress('load', index, discovered.files.length);
  }
  const { unique, duplicates } = separateDuplicates(loaded);
  for (const duplicate of duplicates) {
    report.duplicates.push({
      file: duplicate.article.relativePath,
      keptAs: duplicate.keptAs.relativePath,
      reason: duplicate.reason,
    });
  }
  return { articles: unique, report, diagnostics };
}

/** The transform stage: each article's body sanitized, with its excerpt and cover. */
export function transformArticles(
  articles: LoadedArticle[],
  config: SiteConfig,
  progress: BuildOptions['onProgress'] = () => {},
): { inputs: CollectInput[]; diagnostics: Diagnostic[] } {
  const transformBody = createBodyTransformer(config);
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

/** Everything needed to render any page of a collected site. */
export interface SiteRenderer {
  urls: UrlBuilder;
  views: ViewFactory;
  pages: () => Generator<PageSpec>;
  render: (spec: PageSpec) => RenderResult;
}

export function createSiteRenderer(
  project: Project,
  site: Site,
  feedsFor?: (spec: PageSpec) => FeedLink[],
): SiteRenderer {
  const { config } = project;
  const urls = new UrlBuilder(config.baseUrl);
  const views = new ViewFactory(site, config, urls);
  const { env, searchPaths } = createTemplateEnvironment({
    config,
    urls,
    userTemplatesDir: project.templatesDir,
  });
  const render = createPageRenderer({
    env,
    searchPaths,
    site,
    config,
    urls,
    ...(feedsFor ? { feedsFor } : {}),
  });
  return { urls, views, pages: () => planPages(site, config, views, urls), render };
}

/**
 * One build: load → transform → collect → render → write. Per-file problems become
 * diagnostics and the build goes on; configuration and output-folder problems throw
 * (`ConfigError`, `OutputError`) before anything is replaced.
 */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const timings = { load: 0, transform: 0, collect: 0, render: 0, write: 0, total: 0 };
  const progress = options.onProgress ?? (() => {});
  const project = resolveProject(options);
  const { config } = project;
  checkOutputFolder(project.outDir, [
    project.root,
    project.contentDir,
    project.templatesDir,
    project.publicDir,
  ]);

  let phaseStart = performance.now();
  const content = loadContent(project, progress);
  const { report } = content;
  const diagnostics = [...content.diagnostics];
  timings.load = performance.now() - phaseStart;

  phaseStart = performance.now();
  const transformed = transformArticles(content.articles, config, progress);
  diagnostics.push(...transformed.diagnostics);
  timings.transform = performance.now() - phaseStart;

  phaseStart = performance.now();
  const site = collectSite(transformed.inputs, config);
  diagnostics.push(...site.diagnostics);
  report.built = site.articles.length;
  timings.collect = performance.now() - phaseStart;
  options.onCollected?.({ project, content, inputs: transformed.inputs, site });

  const output = new StagedOutput(project.outDir);
  const extensions = options.extensions ?? BUILT_IN_EXTENSIONS;
  let extensionContext: ExtensionContext | undefined;
  const renderer = createSiteRenderer(project, site, (spec) =>
    extensions.flatMap((extension) =>
      extensionContext ? (extension.feedsFor?.(spec, extensionContext) ?? []) : [],
    ),
  );
  extensionContext = {
    site,
    config,
    urls: renderer.urls,
    views: renderer.views,
    output,
    root: project.root,
  };
  const pages: BuildResult['pages'] = {};
  const templateErrors = new Set<string>();
  try {
    let rendered = 0;
    for (const spec of renderer.pages()) {
      const renderStart = performance.now();
      const result = renderer.render(spec);
      timings.render += performance.now() - renderStart;
      if (!result.ok) {
        const key = `${result.file}:${result.line}:${result.message}`;
        if (!templateErrors.has(key)) {
          templateErrors.add(key);
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
        continue;
      }
      const writeStart = performance.now();
      output.write(spec.sitePath, result.html);
      timings.write += performance.now() - writeStart;
      for (const extension of extensions)
        await extension.pageRendered?.(spec, result.html, extensionContext);
      pages[spec.kind] = (pages[spec.kind] ?? 0) + 1;
      if (++rendered % 500 === 0) progress('render', rendered, 0);
    }

    phaseStart = performance.now();
    pages.static = copyStaticFiles(project.publicDir, output, diagnostics);
    for (const extension of extensions) {
      const found = await extension.finish?.(extensionContext);
      if (found) diagnostics.push(...found);
    }
    timings.write += performance.now() - phaseStart;

    report.built -= report.failed.filter((failure) =>
      failure.reason.startsWith('template error'),
    ).length;
    const hasErrors = diagnostics.some((diagnostic) => diagnostic.severity === 'error');
    const ok = !(options.strict && hasErrors) && templateErrors.size === 0;
    phaseStart = performance.now();
    if (ok) output.commit();
    else output.abort();
    timings.write += performance.now() - phaseStart;
    timings.total = performance.now() - started;
    return {
      ok,
      outDir: project.outDir,
      config,
      diagnostics,
      report,
      pages,
      filesWritten: output.written,
      filesUnchanged: output.unchanged,
      timings,
    };
  } catch (error) {
    output.abort();
    throw error;
  }
}

function copyStaticFiles(
  publicDir: string,
  output: StagedOutput,
  diagnostics: Diagnostic[],
): number {
  if (!existsSync(publicDir)) return 0;
  let copied = 0;
  const pending = [''];
  while (pending.length > 0) {
    const folder = pending.pop()!;
    for (const entry of readdirSync(path.join(publicDir, folder), { withFileTypes: true })) {
      const relative = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) pending.push(relative);
      else if (!entry.isFile()) continue;
      else if (output.has(`/${relative}`)) {
        diagnostics.push({
          severity: 'warning',
          file: `public/${relative}`,
          message: 'a generated page has the same path; the static file is not copied',
        });
      } else if (output.copy(path.join(publicDir, relative), `/${relative}`)) copied++;
    }
  }
  return copied;
}

function firstError(diagnostics: Diagnostic[]): string {
  return (
    diagnostics.find((diagnostic) => diagnostic.severity === 'error')?.message ??
    'could not be read'
  );
}
