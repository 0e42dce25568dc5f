import type nunjucks from 'nunjucks';
import { isoInZone } from '../collect/local-time.ts';
import type { Site } from '../collect/site.ts';
import { SITE_PATHS, type UrlBuilder } from '../collect/urls.ts';
import type { SiteConfig } from '../config/schema.ts';
import { GAZETTE_VERSION } from '../version.ts';
import { contentSecurityPolicy } from './csp.ts';
import { describeTemplateError } from './environment.ts';
import { pageMetadata } from './metadata.ts';
import type { PageSpec } from './pages.ts';

export { GAZETTE_VERSION };

export type RenderResult =
  | { ok: true; html: string }
  | { ok: false; file: string; line?: number; message: string };

export interface FeedLink {
  type: string;
  title: string;
  /** Site path of the feed. */
  sitePath: string;
}

/** What a template is rendered with: plain data, so it can be handed to a worker thread. */
export type PageContext = Record<string, unknown>;

/** A page's template rendered; a template error is returned, not thrown, naming its file. */
export function renderTemplate(
  env: nunjucks.Environment,
  searchPaths: string[],
  template: string,
  context: PageContext,
): RenderResult {
  try {
    freezeDeeply(context);
    const html: unknown = env.render(template, context);
    // Nunjucks returns null when an error is left to a callback it schedules for later.
    if (typeof html !== 'string') throw new Error(`(${template}) the template rendered nothing`);
    return { ok: true, html };
  } catch (error) {
    const described = describeTemplateError(error, searchPaths);
    if (READ_ONLY_ERROR.test(described.message)) described.message += READ_ONLY_HINT;
    return { ok: false, ...described };
  }
}

/**
 * A page's variables are frozen before its template sees them. Cards, menus and the site's
 * fields are shared by the pages one thread renders, while the helper thread gets copies: a
 * template calling `.reverse()` on one would change the pages rendered after it on the main
 * thread only. Frozen, it fails alike on every page and thread. Frozen objects are skipped,
 * so shared views are walked once.
 */
function freezeDeeply(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const key of Object.keys(value)) freezeDeeply((value as Record<string, unknown>)[key]);
}

/** V8's words for a write to a frozen object or array. */
const READ_ONLY_ERROR =
  /Cannot (?:assign to read only property|add property|delete property|redefine property)|object is not extensible/;
const READ_ONLY_HINT =
  ' (page variables are read-only: make a copy instead, with a filter such as `| reverse` or `| sort`, or `.concat(…)` for `.push(…)`)';

export interface PageRenderer {
  /** The variables of a page, shared ones computed once per build. */
  context(spec: PageSpec): PageContext;
  /** Renders a page's template with its variables (on this thread). */
  renderContext(template: string, context: PageContext): RenderResult;
  render(spec: PageSpec): RenderResult;
}

/** Renders page specs with the variables every page shares. */
export function createPageRenderer(options: {
  env: nunjucks.Environment;
  searchPaths: string[];
  site: Site;
  config: SiteConfig;
  urls: UrlBuilder;
  /** Feeds for autodiscovery on a page, by site path of the page. */
  feedsFor?: (spec: PageSpec) => FeedLink[];
  buildDate?: Date;
  /** A template besides the home page's shows the build date: every page is given it. */
  buildDateEverywhere?: boolean;
}): PageRenderer {
  const { env, config, urls, site } = options;
  const siteView = {
    title: config.title,
    description: config.description,
    language: config.language,
    timezone: config.timezone,
    baseUrl: config.baseUrl,
    basePath: urls.basePath,
    url: urls.absolute('/'),
    homeUrl: urls.href(SITE_PATHS.home),
    categoriesUrl: urls.href(SITE_PATHS.categories),
    authorsUrl: urls.href(SITE_PATHS.authors),
    tagsUrl: urls.href(SITE_PATHS.tags),
    archivesUrl: urls.href(SITE_PATHS.archives),
    searchUrl: config.search.enabled ? urls.href(SITE_PATHS.search) : undefined,
    generator: `Gazette ${GAZETTE_VERSION}`,
    // The newest article's date; none for a site without articles (not the time of the
    // build, which would change the home page on every build).
    // In the site's zone, as every other date on the pages.
    buildDate: options.buildDate && isoInZone(options.buildDate, config.timezone),
  };
  const undatedSiteView = { ...siteView, buildDate: undefined };
  // Names and links only: a count would change every page whenever an article is added.
  const nav = site.categoryRoots.slice(0, 8).map((node) => ({
    name: node.name,
    url: urls.href(node.path),
  }));
  // The site's own pages, linked from every page's footer.
  const pages = site.pages.map((page) => ({
    title: page.title,
    url: urls.href(page.path),
    lang: page.lang ?? page.language ?? config.language,
  }));
  const assets = {
    stylesheet: urls.href('/assets/gazette.css'),
    script: urls.href('/assets/gazette.js'),
  };
  const csp = contentSecurityPolicy(config);

  const context = (spec: PageSpec): PageContext => {
    const feeds = (options.feedsFor?.(spec) ?? []).map((feed) => ({
      type: feed.type,
      title: feed.title,
      url: urls.href(feed.sitePath),
    }));
    const variables = spec.variables();
    // An image-only article has an empty excerpt: the site description stands in, as in <meta name="description">.
    const description = spec.page.description || config.description;
    const lang = spec.page.lang ?? config.language;
    return {
      // Only pages whose key has the date get it: any other page showing it (through
      // `{{ site | dump }}`, which names no `buildDate`) would keep an old date once built.
      site:
        (spec.kind === 'home' && !spec.undated) || options.buildDateEverywhere
          ? siteView
          : undatedSiteView,
      nav,
      pages,
      assets,
      csp,
      page: {
        kind: spec.kind,
        title: spec.page.title,
        description,
        lang,
        url: urls.href(spec.sitePath),
        canonicalUrl: urls.absolute(spec.sitePath),
        breadcrumbs: spec.page.breadcrumbs ?? [],
        noindex: spec.page.noindex ?? false,
        feeds,
        meta: pageMetadata({
          spec,
          variables,
          siteTitle: config.title,
          siteDescription: config.description,
          siteLanguage: config.language,
          description,
          lang,
          ...(siteView.searchUrl ? { searchUrl: siteView.searchUrl } : {}),
          urls,
        }),
      },
      ...variables,
    };
  };
  const renderContext = (template: string, variables: PageContext) =>
    renderTemplate(env, options.searchPaths, template, variables);
  return {
    context,
    renderContext,
    render: (spec) => renderContext(spec.template, context(spec)),
  };
}
