import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { separateDuplicates } from './collect/duplicates.ts';
import { type CollectInput, collectSite } from './collect/site.ts';
import { UrlBuilder } from './collect/urls.ts';
import { loadConfig } from './config/load.ts';
import type { SiteConfig } from './config/schema.ts';
import { loadArticle } from './load/article.ts';
import { discoverContent } from './load/discover.ts';
import type { Diagnostic, LoadedArticle } from './model.ts';
import { createTemplateEnvironment } from './render/environment.ts';
import { type PageKind, planPages } from './render/pages.ts';
import { createPageRenderer } from './render/render.ts';
import { ViewFactory } from './render/views.ts';
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
  /** Called as phases advance, for a progress display. */
  onProgress?: (phase: Phase, done: number, total: number) => void;
}

export type Phase = 'load' | 'transform' | 'collect' | 'render' | 'write';

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

/**
 * One build: load → transform → collect → render → write. Per-file problems become
 * diagnostics and the build goes on; configuration and output-folder problems throw
 * (`ConfigError`, `OutputError`) before anything is replaced.
 */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const timings = { load: 0, transform: 0, collect: 0, render: 0, write: 0, total: 0 };
  const root = path.resolve(options.root ?? process.cwd());
  const { config, root: configRoot } = loadConfig({
    root,
    file: options.configFile,
    overrides: options.overrides,
  });
  const resolve = (folder: string) => path.resolve(configRoot, folder);
  const contentDir = resolve(config.contentDir);
  const outDir = resolve(config.outDir);
  const progress = options.onProgress ?? (() => {});
  checkOutputFolder(outDir, [
    configRoot,
    contentDir,
    resolve(config.templatesDir),
    resolve(config.publicDir),
  ]);

  const diagnostics: Diagnostic[] = [];
  const report: BuildReport = { inputFiles: 0, built: 0, drafts: [], duplicates: [], failed: [] };

  // load
  let phaseStart = performance.now();
  if (!existsSync(contentDir)) throw new Error(`content folder not found: ${contentDir}`);
  const discovered = discoverContent(contentDir);
  diagnostics.push(...discovered.diagnostics);
  report.inputFiles = discovered.files.length;
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
  timings.load = performance.now() - phaseStart;

  // transform
  phaseStart = performance.now();
  const transformBody = createBodyTransformer(config);
  const inputs: CollectInput[] = [];
  for (const [index, article] of unique.entries()) {
    const { body, diagnostics: found } = transformBody(article);
    diagnostics.push(...found);
    inputs.push({ loaded: article, body });
    if (index % 500 === 0) progress('transform', index, unique.length);
  }
  timings.transform = performance.now() - phaseStart;

  // collect
  phaseStart = performance.now();
  const site = collectSite(inputs, config);
  diagnostics.push(...site.diagnostics);
  report.built = site.articles.length;
  timings.collect = performance.now() - phaseStart;

  // render and write
  const urls = new UrlBuilder(config.baseUrl);
  const views = new ViewFactory(site, config, urls);
  const { env, searchPaths } = createTemplateEnvironment({
    config,
    urls,
    userTemplatesDir: resolve(config.templatesDir),
  });
  const renderPage = createPageRenderer({ env, searchPaths, site, config, urls });
  const output = new StagedOutput(outDir);
  const pages: BuildResult['pages'] = {};
  const templateErrors = new Set<string>();
  try {
    let renderTime = 0;
    let writeTime = 0;
    let rendered = 0;
    for (const spec of planPages(site, config, views, urls)) {
      const renderStart = performance.now();
      const result = renderPage(spec);
      renderTime += performance.now() - renderStart;
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
      writeTime += performance.now() - writeStart;
      pages[spec.kind] = (pages[spec.kind] ?? 0) + 1;
      if (++rendered % 500 === 0) progress('render', rendered, 0);
    }
    timings.render = renderTime;

    phaseStart = performance.now();
    pages.static = copyStaticFiles(resolve(config.publicDir), output, diagnostics);
    timings.write = writeTime + (performance.now() - phaseStart);

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
      outDir,
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
      else if (entry.isFile()) {
        if (output.has(`/${relative}`)) {
          diagnostics.push({
            severity: 'warning',
            file: `public/${relative}`,
            message: 'a generated page has the same path; the static file is not copied',
          });
        } else if (output.copy(path.join(publicDir, relative), `/${relative}`)) copied++;
      }
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
