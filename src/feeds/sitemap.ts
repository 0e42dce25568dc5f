import type { BuildExtension, ExtensionContext } from '../build.ts';
import { sha1 } from '../cache/fingerprint.ts';
import type { UrlBuilder } from '../collect/urls.ts';
import type { SiteConfig } from '../config/schema.ts';
import type { Diagnostic } from '../model.ts';
import { contentSecurityPolicy } from '../render/csp.ts';
import type { PageSpec } from '../render/pages.ts';
import { ARCHIVE_BUNDLE_PATH, RECENT_BUNDLE_PATH, searchShards } from '../search/shards.ts';
import { rfc3339 } from './formats.ts';
import { el, textEl, xmlDocument } from './xml.ts';

const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';

export interface SitemapEntry {
  sitePath: string;
  lastmod?: Date;
}

export interface SitemapFile {
  sitePath: string;
  content: string;
}

/** A sitemap file before it is rendered: what it lists, and how to render it. */
export interface PlannedSitemap {
  sitePath: string;
  /** Its URLs (for the index: the sitemaps') and their dates, all it is made from. */
  entries: SitemapEntry[];
  render: () => string;
}

/**
 * `sitemap.xml`, or past `maxUrls` URLs (the protocol allows 50,000 per file) a sitemap index
 * at `sitemap.xml` pointing at `sitemap-1.xml`, `sitemap-2.xml`…
 */
export function renderSitemaps(
  entries: SitemapEntry[],
  options: { maxUrls: number; urls: UrlBuilder; timezone: string },
): SitemapFile[] {
  return planSitemaps([entries], options).map((file) => ({
    sitePath: file.sitePath,
    content: file.render(),
  }));
}

/**
 * The files of `renderSitemaps`, each rendered only if asked: most builds keep them. Past
 * `maxUrls`, each group of entries has files of its own, so that entries added at the end of
 * one group change its last file only.
 */
export function planSitemaps(
  groups: readonly SitemapEntry[][],
  options: { maxUrls: number; urls: UrlBuilder; timezone: string },
): PlannedSitemap[] {
  const { maxUrls, urls, timezone } = options;
  const document = (root: 'urlset' | 'sitemapindex', listed: SitemapEntry[]) =>
    xmlDocument(
      el(
        root,
        { xmlns: SITEMAP_NS },
        listed.map((entry) =>
          el(root === 'urlset' ? 'url' : 'sitemap', {}, [
            textEl('loc', urls.absolute(entry.sitePath)),
            entry.lastmod && textEl('lastmod', rfc3339(entry.lastmod, timezone)),
          ]),
        ),
      ),
    );
  const planned = (sitePath: string, root: 'urlset' | 'sitemapindex', listed: SitemapEntry[]) => ({
    sitePath,
    entries: listed,
    render: () => document(root, listed),
  });
  const entries = groups.flat();
  if (entries.length <= maxUrls) return [planned('/sitemap.xml', 'urlset', entries)];
  const files: PlannedSitemap[] = [];
  const index: SitemapEntry[] = [];
  const chunks = groups.flatMap((group) =>
    Array.from({ length: Math.ceil(group.length / maxUrls) }, (_, at) =>
      group.slice(at * maxUrls, (at + 1) * maxUrls),
    ),
  );
  for (const chunk of chunks) {
    const sitePath = `/sitemap-${files.length + 1}.xml`;
    files.push(planned(sitePath, 'urlset', chunk));
    const newest = chunk.reduce(
      (latest, entry) => Math.max(latest, entry.lastmod?.getTime() ?? 0),
      0,
    );
    index.push({ sitePath, ...(newest > 0 ? { lastmod: new Date(newest) } : {}) });
  }
  files.unshift(planned('/sitemap.xml', 'sitemapindex', index));
  return files;
}

/** `robots.txt`: everything allowed but the search bundles (`searchBundles`: those of years). */
export function renderRobots(urls: UrlBuilder, searchBundles: readonly string[] = []): string {
  const bundles = new Set([ARCHIVE_BUNDLE_PATH, RECENT_BUNDLE_PATH, ...searchBundles]);
  const lines = [
    'User-agent: *',
    ...[...bundles].map((bundle) => `Disallow: ${urls.href(bundle)}`),
    'Allow: /',
  ];
  // The Sitemap line must be an absolute URL (RFC 9309 leaves it to the sitemaps protocol).
  if (urls.origin) lines.push('', `Sitemap: ${urls.absolute('/sitemap.xml')}`);
  return `${lines.join('\n')}\n`;
}

/**
 * `_headers` for Netlify and Cloudflare Pages: the pages' Content-Security-Policy as a real
 * header (which can also forbid framing, unlike the meta tag) and the usual hardening.
 */
export function renderHeaders(config: SiteConfig): string {
  const headers = [
    `Content-Security-Policy: ${contentSecurityPolicy(config)}; frame-ancestors 'none'`,
    'X-Content-Type-Options: nosniff',
    'X-Frame-Options: DENY',
    // Chinese news CDNs refuse hot-linked images that carry a foreign Referer.
    'Referrer-Policy: no-referrer',
    'Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=()',
    'Cross-Origin-Opener-Policy: same-origin',
  ];
  return `/*\n${headers.map((header) => `  ${header}`).join('\n')}\n`;
}

/** Pages a search engine should list: not `noindex` ones (archives), not search or 404. */
function listed(spec: PageSpec): boolean {
  return !spec.page.noindex && spec.kind !== 'search' && spec.kind !== '404';
}

/**
 * Collects the pages as they are written (so only pages that rendered are listed), then
 * writes `sitemap.xml` (split past `sitemap.maxUrls`), `robots.txt` and `_headers`. A file of
 * the same name in `public/` wins: a hand-written robots.txt is a deliberate choice.
 */
export function sitemapExtension(): BuildExtension {
  const builds = new WeakMap<
    ExtensionContext,
    {
      /** Pages other than articles, as they were rendered. */
      entries: SitemapEntry[];
      /** Article pages rendered, listed oldest first when the sitemap is made. */
      articlePaths: Set<string>;
      newestByPath: Map<string, Date>;
    }
  >();
  const stateOf = (context: ExtensionContext) => {
    let state = builds.get(context);
    if (!state) {
      const { site } = context;
      const newestByPath = new Map<string, Date>();
      // Articles are newest first; an update to an older one is looked for among the first few.
      // (Not seeded with 0: articles from before 1970 have negative times.)
      const newest = (articles: { date: Date; updated?: Date }[]) =>
        new Date(Math.max(...articles.slice(0, 50).map((a) => (a.updated ?? a.date).getTime())));
      if (site.articles.length > 0) newestByPath.set('/', newest(site.articles));
      for (const term of [...site.categories, ...site.authors, ...site.tags])
        newestByPath.set(term.path, newest(term.articles));
      state = { entries: [], articlePaths: new Set(), newestByPath };
      builds.set(context, state);
    }
    return state;
  };
  return {
    name: 'sitemap',
    // Its URLs and dates come from pages' specs, not their HTML.
    refreshedLive: true,
    ownsFile: (sitePath) => /^\/sitemap(?:-\d+)?\.xml$/.test(sitePath),
    pageRendered(spec, _html, context) {
      if (!listed(spec)) return;
      const state = stateOf(context);
      if (spec.article && spec.kind === 'article') {
        state.articlePaths.add(spec.sitePath);
        return;
      }
      const lastmod = state.newestByPath.get(spec.sitePath);
      state.entries.push({ sitePath: spec.sitePath, ...(lastmod ? { lastmod } : {}) });
    },
    finish(context): Diagnostic[] {
      const { config, urls, output } = context;
      const diagnostics: Diagnostic[] = [];
      if (!urls.origin) {
        diagnostics.push({
          severity: 'warning',
          file: 'config: baseUrl',
          message: `baseUrl "${config.baseUrl}" is a path: the sitemap protocol needs absolute URLs, so sitemap.xml lists paths search engines will reject and robots.txt names no sitemap. Set baseUrl to the full address (https://example.org${urls.basePath}).`,
        });
      }
      const state = stateOf(context);
      // Articles oldest first, in files of their own past `maxUrls`, then the other pages:
      // a scraper's new articles go at the end, so only the articles' last file changes
      // (and those of the index pages, whose dates move).
      const articles: SitemapEntry[] = [];
      for (let at = context.site.articles.length - 1; at >= 0; at--) {
        const article = context.site.articles[at]!;
        if (state.articlePaths.has(article.path))
          articles.push({ sitePath: article.path, lastmod: article.updated ?? article.date });
      }
      const sitemaps = planSitemaps([articles, state.entries], {
        maxUrls: config.sitemap.maxUrls,
        urls,
        timezone: config.timezone,
      });
      for (const sitemap of sitemaps) {
        if (output.has(sitemap.sitePath)) {
          diagnostics.push({
            severity: 'warning',
            file: `public${sitemap.sitePath}`,
            message: 'a static file has the path of the generated sitemap; it is kept instead',
          });
          continue;
        }
        // Config, templates and version are in pagesKey (base URL and time zone among them):
        // a sitemap whose URLs and dates are unchanged is kept without rendering 50,000 URLs.
        const key = context.pagesKey
          ? `sitemap:${sha1(
              `${context.pagesKey}\0${sitemap.entries
                .map((entry) => `${entry.sitePath}\0${entry.lastmod?.getTime() ?? ''}`)
                .join('\0')}`,
            )}`
          : undefined;
        if (key && output.keep(sitemap.sitePath, key)) continue;
        output.write(sitemap.sitePath, sitemap.render(), key);
      }
      for (const file of [
        {
          sitePath: '/robots.txt',
          content: renderRobots(
            urls,
            config.search.enabled ? searchShards(context.site, config).bundles : [],
          ),
        },
        { sitePath: '/_headers', content: renderHeaders(config) },
      ]) {
        if (!output.has(file.sitePath)) output.write(file.sitePath, file.content);
      }
      return diagnostics;
    },
  };
}
