import { createHash } from 'node:crypto';
import type { BuildExtension, ExtensionContext } from '../build.ts';
import { sha1 } from '../cache/fingerprint.ts';
import type { Site } from '../collect/site.ts';
import type { Article } from '../model.ts';
import type { PagesRecord } from '../write/output.ts';
import type { PageSpec } from './pages.ts';

/**
 * What a page is made from, hashed: version, config and templates, the shared variables,
 * its own variables (for an article page, its body) and the feeds it links to. A page
 * whose key is unchanged since the last build is neither rendered nor rewritten.
 */
export function pageKey(
  sharedKey: string,
  spec: PageSpec,
  context: ExtensionContext,
  extensions: BuildExtension[],
): string {
  const feeds = extensions.flatMap((extension) => extension.feedsFor?.(spec, context) ?? []);
  return sha1(
    `${sharedKey}\0${spec.kind}\0${spec.template}\0${spec.sitePath}\0${JSON.stringify(pageKeyFields(spec))}\0${JSON.stringify(feeds)}\0${JSON.stringify(spec.keyVariables ? spec.keyVariables() : spec.variables())}`,
  );
}

/**
 * A page's own fields as they go into its key. With `keyVariables`, breadcrumbs are left
 * out: they are the trail of the article's or term's categories, which its key variables
 * already stand for, and building them would format the article's card.
 */
function pageKeyFields(spec: PageSpec): PageSpec['page'] {
  if (!spec.keyVariables) return spec.page;
  const { title, description, lang, noindex } = spec.page;
  return { title, description, lang, noindex };
}

/**
 * Everything page keys are made of except the files of the articles the pages show: `base`
 * (version, config, templates, shared variables, extensions) and which articles the site
 * has, in which order, at which URLs, dated when, under which categories, authors (with
 * their links) and tags. Pages, pagination, terms, counts and feed links all follow from
 * these. Between two builds with the same structure, only a page that shows an article
 * whose file changed can have another key (an article page shows its neighbours too).
 */
function structureKey(base: string, site: Site): string {
  const digest = createHash('sha1').update(base);
  for (const article of site.articles) {
    digest.update(
      `\0${article.relativePath}\0${article.path}\0${article.date.getTime()}\0${article.updated?.getTime() ?? ''}\0${article.cover?.src ?? ''}\0${JSON.stringify([article.categories, article.authors, article.tags])}`,
    );
  }
  return digest.digest('base64');
}

/** The hashes of the articles' files, in site order; undefined if one is unknown. */
function contentKey(
  articles: readonly Article[],
  hashOf: (article: Article) => string | undefined,
): string | undefined {
  const digest = createHash('sha1');
  for (const article of articles) {
    const contentHash = hashOf(article);
    if (contentHash === undefined) return undefined;
    digest.update(`${contentHash}\0`);
  }
  return digest.digest('base64');
}

/** What the output manifest records about this build's pages (see `articlesChangedSince`). */
export function recordPages(base: string, site: Site): PagesRecord {
  return {
    structure: structureKey(base, site),
    content: contentKey(site.articles, (article) => article.contentHash)!,
  };
}

/**
 * The articles whose files changed since the build that made the output folder's pages,
 * when that can be told: the structure is the same, and the cache this build started from
 * held the files those pages were made from (`contentHashBefore`: an article's hash in that
 * cache; a build whose site was not written may have saved its cache). Undefined otherwise,
 * and every page's key is worked out.
 */
export function articlesChangedSince(
  previous: PagesRecord | undefined,
  now: PagesRecord,
  site: Site,
  contentHashBefore: (article: Article) => string | undefined,
): Set<Article> | undefined {
  if (previous?.structure !== now.structure) return undefined;
  if (previous.content === now.content) return new Set();
  if (contentKey(site.articles, contentHashBefore) !== previous.content) return undefined;
  return new Set(
    site.articles.filter((article) => contentHashBefore(article) !== article.contentHash),
  );
}

/** Whether a page's key may differ from the last build's, given the articles that changed. */
export function mayHaveChanged(spec: PageSpec, changed: ReadonlySet<Article>): boolean {
  // A page that does not say what it shows (taxonomy indexes, search, 404) is keyed again.
  if (!spec.articlesShown) return true;
  return spec.articlesShown().some((article) => changed.has(article));
}
