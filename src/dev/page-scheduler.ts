import type nunjucks from 'nunjucks';
import type { BuildExtension, ExtensionContext, Project } from '../build.ts';
import { RelatedArticles } from '../collect/related.ts';
import { lastChange, type Site } from '../collect/site.ts';
import { UrlBuilder } from '../collect/urls.ts';
import type { Article, Diagnostic } from '../model.ts';
import { compiledTemplatesFolder } from '../render/compiled-templates.ts';
import { createTemplateEnvironment } from '../render/environment.ts';
import { type PageSpec, planPages } from '../render/pages.ts';
import { createPageRenderer, type RenderResult } from '../render/render.ts';
import { buildDateOnEveryPage, DEFAULT_TEMPLATES_DIR } from '../render/theme-assets.ts';
import { ViewFactory } from '../render/views.ts';
import type { StagedOutput } from '../write/output.ts';
import {
  affectedPages,
  type PageFingerprints,
  pageFingerprints,
  siteSignature,
} from './affected.ts';
import type { LiveOutput } from './live-output.ts';
import type { LiveSiteFiles } from './live-site-files.ts';

/** Extensions refreshed live make their files from specs only (see `refreshedLive`). */
const NO_HTML = (): string => {
  throw new Error("a page's HTML is not read when the dev server makes feeds again");
};

export interface RenderPass {
  /** Site paths written. */
  written: string[];
  /** Site paths that failed to render (their previous file stays). */
  failed: string[];
}

export interface SiteUpdate {
  /** Site paths whose page must be rendered again. */
  stale: number;
  /** Site paths whose page was deleted. */
  removed: string[];
}

/**
 * Keeps the output folder in step with the site, page by page. It knows the fingerprint each
 * page on disk was rendered from; after a change it renders only pages whose fingerprint
 * moved, the most wanted first (`renderNow`), the rest a slice at a time (`renderSome`), so
 * that the pages open in a browser are fresh before the rest of a large site is.
 */
export class PageScheduler {
  readonly urls: UrlBuilder;
  private templates: { env: nunjucks.Environment; searchPaths: string[] };
  private site!: Site;
  private views!: ViewFactory;
  private related!: RelatedArticles;
  private context!: ExtensionContext;
  private render!: (spec: PageSpec) => RenderResult;
  private specs = new Map<string, PageSpec>();
  private fingerprints: PageFingerprints = new Map();
  private signature = '';
  /** Fingerprint of each page as it is on disk. */
  private readonly rendered = new Map<string, string>();
  /**
   * Pages with a file on disk, whether `rendered` knows them or not (it forgets pages when the
   * site's structure changes, and starts empty after a failed build): a page the site no
   * longer has is deleted from among these.
   */
  private readonly pagesOnDisk = new Set<string>();
  private readonly stale = new Set<string>();
  /** Template problems, by the page that showed them. */
  readonly pageErrors = new Map<string, Diagnostic>();

  constructor(
    private readonly project: Project,
    private readonly output: LiveOutput,
    private readonly extensions: BuildExtension[],
    /** The output of the last full build, for extension contexts (extensions only read it). */
    private readonly buildOutput: StagedOutput,
  ) {
    this.urls = new UrlBuilder(project.config.baseUrl);
    this.templates = this.createTemplates();
  }

  /**
   * The files in the output folder (site paths), given before the first site: the pages
   * among them that the site does not have are deleted when it is taken.
   */
  knowFilesOnDisk(sitePaths: Iterable<string>, isStatic: (sitePath: string) => boolean): void {
    for (const sitePath of sitePaths) {
      if (isStatic(sitePath) || !sitePath.endsWith('/index.html')) continue;
      this.pagesOnDisk.add(sitePath.slice(0, -'index.html'.length));
    }
  }

  /**
   * Takes a new or patched site. `onDisk` says the output folder holds this very site (after
   * a full build). `samePlacement` says no article moved, so card views can be kept.
   */
  setSite(site: Site, options: { onDisk?: boolean; patched?: Article[] } = {}): SiteUpdate {
    if (options.patched && site === this.site && !options.onDisk)
      return this.patchSite(options.patched);
    const recollected = site !== this.site || !options.patched;
    this.site = site;
    this.related = new RelatedArticles(site, this.project.config.relatedArticles);
    if (recollected || !this.views) {
      this.views = new ViewFactory(site, this.project.config, this.urls);
      this.context = {
        site,
        config: this.project.config,
        urls: this.urls,
        views: this.views,
        output: this.buildOutput,
        root: this.project.root,
      };
    }
    this.render = this.createRender();
    this.planSpecs();
    this.fingerprints = this.dated(
      pageFingerprints(site, this.project.config, this.related, this.views.archived),
    );
    const signature = siteSignature(site);
    // Remembered before a full re-render forgets them: pages that left the site leave the disk.
    const previouslyRendered = [...this.rendered.keys()];
    if (options.onDisk) {
      this.rendered.clear();
      for (const [sitePath, fingerprint] of this.fingerprints)
        this.rendered.set(sitePath, fingerprint);
    } else if (signature !== this.signature) {
      this.rendered.clear();
    }
    this.signature = signature;

    const affected = affectedPages(this.rendered, this.fingerprints);
    const { stale } = affected;
    const gone = (sitePath: string) =>
      !this.fingerprints.has(sitePath) && !this.specs.has(sitePath);
    const removed = [
      ...new Set([
        ...affected.removed,
        ...previouslyRendered.filter(gone),
        ...[...this.pagesOnDisk].filter(gone),
      ]),
    ];
    this.stale.clear();
    for (const sitePath of stale) this.stale.add(sitePath);
    // A page kind the fingerprints do not know is rendered every time, to be safe.
    for (const sitePath of this.specs.keys())
      if (!this.fingerprints.has(sitePath) && !options.onDisk) this.stale.add(sitePath);
    for (const sitePath of removed) {
      this.output.remove(sitePath);
      this.pagesOnDisk.delete(sitePath);
      this.rendered.delete(sitePath);
      this.pageErrors.delete(sitePath);
    }
    return { stale: this.stale.size, removed };
  }

  /**
   * Articles were replaced in place (same date, URL and taxonomies): only the pages showing
   * them can have changed, and card views of the others are kept.
   */
  private patchSite(patched: Article[]): SiteUpdate {
    // A new newest date (an old article given a later `updated`) changes the pages showing
    // the build date, whichever articles they list: the site is taken as a whole then.
    if (lastChange(this.site)?.getTime() !== this.buildDate?.getTime())
      return this.setSite(this.site);
    // Chosen again where the patched articles may be listed: the lists hold them now.
    this.related.replaced(patched);
    this.replanArticlePages(patched);
    const showing = this.dated(
      pageFingerprints(
        this.site,
        this.project.config,
        this.related,
        this.views.archived,
        new Set(patched),
      ),
    );
    for (const [sitePath, fingerprint] of showing) {
      this.fingerprints.set(sitePath, fingerprint);
      if (this.rendered.get(sitePath) !== fingerprint) this.stale.add(sitePath);
    }
    return { stale: this.stale.size, removed: [] };
  }

  /**
   * New specs for the pages of patched articles and of their neighbours, whose specs hold the
   * articles they replaced (the related articles of others are chosen when asked). The specs
   * of index pages read the site's lists when rendered, so the patched lists need no new
   * spec; article specs come first in the plan, so planning stops once the last one wanted
   * is seen.
   */
  private replanArticlePages(patched: Article[]): void {
    const wanted = new Set<string>();
    for (const article of patched) {
      const index = this.site.articles.indexOf(article);
      for (const neighbour of [index - 1, index, index + 1]) {
        const path = this.site.articles[neighbour]?.path;
        if (path) wanted.add(path);
      }
    }
    const plan = planPages(this.site, this.project.config, this.views, this.urls, this.related);
    for (const spec of plan) {
      if (spec.kind !== 'article') break;
      if (!wanted.delete(spec.sitePath)) continue;
      this.specs.set(spec.sitePath, spec);
      if (wanted.size === 0) break;
    }
    // A plan that does not start with the article pages is planned in full.
    if (wanted.size > 0) this.planSpecs();
  }

  private planSpecs(): void {
    this.specs = new Map();
    const plan = planPages(this.site, this.project.config, this.views, this.urls, this.related);
    for (const spec of plan) this.specs.set(spec.sitePath, spec);
  }

  /** Templates changed: a fresh environment, and every page is stale. */
  templatesChanged(): void {
    this.templates = this.createTemplates();
    this.render = this.createRender();
    this.rendered.clear();
    this.pageErrors.clear();
    for (const sitePath of this.specs.keys()) this.stale.add(sitePath);
  }

  get staleCount(): number {
    return this.stale.size;
  }

  isStale(sitePath: string): boolean {
    return this.stale.has(sitePath);
  }

  hasPage(sitePath: string): boolean {
    return this.specs.has(sitePath);
  }

  /** One page of each template, so a broken template shows up before its pages are reached. */
  samplePages(): string[] {
    const byTemplate = new Map<string, string>();
    for (const spec of this.specs.values())
      if (!byTemplate.has(spec.template)) byTemplate.set(spec.template, spec.sitePath);
    return [...byTemplate.values()];
  }

  /** Renders the given pages now, if stale; with no argument, every stale page. */
  renderNow(sitePaths: Iterable<string> = [...this.stale]): RenderPass {
    const pass: RenderPass = { written: [], failed: [] };
    for (const sitePath of sitePaths) this.renderPage(sitePath, pass);
    return pass;
  }

  /** Renders stale pages for about `budgetMs`; the pass says what was done. */
  renderSome(budgetMs: number): RenderPass {
    const pass: RenderPass = { written: [], failed: [] };
    const until = performance.now() + budgetMs;
    for (const sitePath of this.stale) {
      this.renderPage(sitePath, pass);
      if (performance.now() >= until) break;
    }
    return pass;
  }

  /** Compiles the templates by rendering one page of each, written nowhere. */
  warmUp(): void {
    for (const sitePath of this.samplePages()) {
      const spec = this.specs.get(sitePath);
      if (spec) this.render(spec);
    }
  }

  /**
   * Makes the files of the extensions refreshed live (feeds, sitemap) from the site as it is
   * now, through `files`.
   */
  async refreshSiteFiles(files: LiveSiteFiles): Promise<{ written: string[]; removed: string[] }> {
    const { pagesKey } = files;
    const extensions = this.extensions.filter((extension) => extension.refreshedLive);
    return files.refresh(async () => {
      // A context of its own: extensions keep what they learn per build, by context.
      const context: ExtensionContext = {
        ...this.context,
        site: this.site,
        output: files,
        ...(pagesKey ? { pagesKey } : {}),
      };
      for (const spec of this.specs.values()) {
        for (const extension of extensions) {
          const done = extension.pageRendered?.(spec, NO_HTML, context, true);
          if (done) await done;
        }
      }
      for (const extension of extensions) await extension.finish?.(context);
    });
  }

  /** Every distinct template problem, for the error overlay. */
  errors(): Diagnostic[] {
    const unique = new Map<string, Diagnostic>();
    for (const diagnostic of this.pageErrors.values()) {
      unique.set(`${diagnostic.file}:${diagnostic.line}:${diagnostic.message}`, diagnostic);
    }
    return [...unique.values()];
  }

  private renderPage(sitePath: string, pass: RenderPass): void {
    if (!this.stale.has(sitePath)) return;
    this.stale.delete(sitePath);
    const spec = this.specs.get(sitePath);
    if (!spec) return;
    const result = this.render(spec);
    this.rendered.set(sitePath, this.fingerprints.get(sitePath) ?? '');
    if (!result.ok) {
      this.pageErrors.set(sitePath, {
        severity: 'error',
        file: result.file,
        ...(result.line ? { line: result.line } : {}),
        message: result.message,
      });
      pass.failed.push(sitePath);
      return;
    }
    this.pageErrors.delete(sitePath);
    if (this.output.write(sitePath, result.html)) {
      pass.written.push(sitePath);
      this.pagesOnDisk.add(sitePath);
    }
  }

  private createTemplates() {
    return createTemplateEnvironment({
      config: this.project.config,
      urls: this.urls,
      userTemplatesDir: this.project.templatesDir,
      compiledTemplatesDir: compiledTemplatesFolder(this.project.cacheDir),
    });
  }

  /** The build date pages are rendered with, and whether every page shows it. */
  private buildDate: Date | undefined;
  private buildDateEverywhere = false;

  /**
   * Fingerprints of pages that show the build date with the date added: a page a build keys
   * with it (see `homeKey` in pipeline.ts) is rendered again when it changes.
   */
  private dated(fingerprints: Map<string, string>): Map<string, string> {
    const date = this.buildDate?.toISOString() ?? '';
    for (const [sitePath, fingerprint] of fingerprints) {
      const spec = this.specs.get(sitePath);
      if (spec && (this.buildDateEverywhere || (spec.kind === 'home' && !spec.undated)))
        fingerprints.set(sitePath, `${fingerprint}\0built ${date}`);
    }
    return fingerprints;
  }

  private createRender(): (spec: PageSpec) => RenderResult {
    const context = this.context;
    // As a build shows it: the newest article's date, not the time of this render.
    const buildDate = lastChange(this.site);
    this.buildDate = buildDate;
    this.buildDateEverywhere = buildDateOnEveryPage([
      this.project.templatesDir,
      DEFAULT_TEMPLATES_DIR,
    ]);
    const { render } = createPageRenderer({
      env: this.templates.env,
      searchPaths: this.templates.searchPaths,
      site: this.site,
      config: this.project.config,
      urls: this.urls,
      ...(buildDate ? { buildDate } : {}),
      buildDateEverywhere: this.buildDateEverywhere,
      feedsFor: (spec) =>
        this.extensions.flatMap((extension) => extension.feedsFor?.(spec, context) ?? []),
    });
    return render;
  }
}
