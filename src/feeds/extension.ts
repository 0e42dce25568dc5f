import type { BuildExtension, ExtensionContext } from '../build.ts';
import { sha1, siteConfigKey } from '../cache/fingerprint.ts';
import type { ArchivedCopies } from '../collect/archived-copies.ts';
import { SITE_PATHS } from '../collect/urls.ts';
import type { Article, Diagnostic } from '../model.ts';
import type { PageSpec } from '../render/pages.ts';
import { listPages } from '../render/pagination.ts';
import type { FeedLink } from '../render/render.ts';
import { GAZETTE_VERSION } from '../version.ts';
import { FEED_RENDERERS } from './formats.ts';
import { FEED_FILES, FEED_FORMATS, FeedBuilder, type FeedScope, feedSitePath } from './model.ts';

/** Site path of every page (page 1, page 2…) of a term, to the term's feed scope. */
function scopesByPage(context: ExtensionContext): Map<string, FeedScope> {
  const byPage = new Map<string, FeedScope>();
  const { site, config } = context;
  const terms = [
    ...site.categories.map((node) => ({ ...node, name: node.trail.join(' › ') })),
    ...site.authors,
    ...site.tags,
  ];
  for (const term of terms) {
    const scope: FeedScope = { sitePath: term.path, name: term.name, articles: term.articles };
    const pages = listPages(term.path, term.articles.length, config.pageSize, config.pageNumbering);
    for (const page of pages) byPage.set(page.sitePath, scope);
  }
  return byPage;
}

function linksFor(scope: FeedScope, siteTitle: string): FeedLink[] {
  const title = scope.name ? `${siteTitle} · ${scope.name}` : siteTitle;
  return FEED_FORMATS.map((format) => ({
    type: FEED_FILES[format].type,
    title: `${title} (${FEED_FILES[format].label})`,
    sitePath: feedSitePath(scope.sitePath, format),
  }));
}

/**
 * RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the whole site and for every category, author and
 * tag, with autodiscovery links: the site's feeds on every page, a term's own on its pages.
 */
export function feedsExtension(): BuildExtension {
  // One extension object serves many builds (the dev server); what it knows is per build.
  const builds = new WeakMap<
    ExtensionContext,
    { byPage: Map<string, FeedScope>; siteLinks: FeedLink[] }
  >();
  const stateOf = (context: ExtensionContext) => {
    let state = builds.get(context);
    if (!state) {
      state = {
        byPage: scopesByPage(context),
        siteLinks: linksFor({ sitePath: SITE_PATHS.home, articles: [] }, context.config.title),
      };
      builds.set(context, state);
    }
    return state;
  };
  return {
    name: 'feeds',
    // A term's feeds and the site's: their paths and titles come from terms and config.
    feedLinksFollowStructure: true,
    // Made from the site's articles alone: the dev server makes them again after a change.
    refreshedLive: true,
    ownsFile: (sitePath) =>
      FEED_FORMATS.some((format) => sitePath.endsWith(`/${FEED_FILES[format].file}`)),
    feedsFor(spec: PageSpec, context: ExtensionContext): FeedLink[] {
      const { byPage, siteLinks } = stateOf(context);
      const scope = byPage.get(spec.sitePath);
      return scope ? [...linksFor(scope, context.config.title), ...siteLinks] : siteLinks;
    },
    finish(context: ExtensionContext): Diagnostic[] {
      const { site, config, urls, output } = context;
      const diagnostics: Diagnostic[] = [];
      if (!urls.origin) {
        diagnostics.push({
          severity: 'warning',
          file: 'config: baseUrl',
          message: `baseUrl "${config.baseUrl}" is a path: feeds carry root-relative links, which most readers resolve against the feed's address but validators reject. Set baseUrl to the full address (https://example.org${urls.basePath}).`,
        });
      }
      const builder = new FeedBuilder(config, urls, context.views.archived);
      const scopes: FeedScope[] = [
        { sitePath: SITE_PATHS.home, articles: site.articles },
        ...new Set(stateOf(context).byPage.values()),
      ];
      // A feed is made from the config and its newest articles' files and dates, and from
      // what their bodies were made with (Gazette's code, the public/ files a body image may
      // name, mirrored images): the pages' key holds all that. When none of it changed since
      // the last build, the previous file is kept without rendering it.
      const configKey = context.pagesKey ?? siteConfigKey(GAZETTE_VERSION, config);
      for (const scope of scopes) {
        const listed = scope.articles.slice(0, config.feeds.items);
        const scopeKey = sha1(
          `${configKey}\0${scope.sitePath}\0${scope.name ?? ''}\0${listed.map((article) => feedLine(article, context.views.archived)).join('\0')}`,
        );
        let document: ReturnType<FeedBuilder['document']> | undefined;
        for (const format of FEED_FORMATS) {
          const sitePath = feedSitePath(scope.sitePath, format);
          if (output.has(sitePath)) {
            diagnostics.push({
              severity: 'warning',
              file: `public${sitePath}`,
              message: 'a static file has the path of a generated feed; the feed is not written',
            });
            continue;
          }
          const key = `feed:${scopeKey}:${format}`;
          if (output.keep(sitePath, key)) continue;
          document ??= builder.document(scope);
          output.write(sitePath, FEED_RENDERERS[format](document), key);
        }
      }
      return diagnostics;
    },
  };
}

/**
 * What a feed says of one article besides the config: its file's bytes and URL, and what the
 * bytes need not hold: its dates (an undated article takes its file's time, which a checkout
 * changes), its file's name (an untitled article takes its title from it) and the URLs of
 * the archived copies its links go to.
 */
function feedLine(article: Article, archived: ArchivedCopies): string {
  return `${article.relativePath}\0${article.path}\0${article.contentHash}\0${article.date.getTime()}\0${article.updated?.getTime() ?? ''}\0${archived.keyOf(article)}`;
}
