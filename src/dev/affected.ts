/**
 * Which pages a change touches. Every page of a site gets a fingerprint of what it shows:
 * for an article page, that article, its two neighbours, its related articles and the archived
 * copies its links go to; for a page of an index, the
 * index's name, URL and size and the articles on that page. A page must be rendered again
 * exactly when its fingerprint differs from the one it was last rendered with.
 *
 * What every page shows (the navigation, the URLs of categories, authors and tags) is the
 * site signature: when it changes, every page is stale.
 */

import type { ArchivedCopies } from '../collect/archived-copies.ts';
import type { RelatedArticles } from '../collect/related.ts';
import type { Site } from '../collect/site.ts';
import { SITE_PATHS } from '../collect/urls.ts';
import type { SiteConfig } from '../config/schema.ts';
import type { Article, TaxonomyTerm } from '../model.ts';
import { listPages, pageIndexOf } from '../render/pagination.ts';
import { searchShards } from '../search/shards.ts';

/** Fingerprint of each page, by site path. */
export type PageFingerprints = Map<string, string>;

export interface AffectedPages {
  /** Pages to render: new, or showing something that changed. */
  stale: string[];
  /** Pages that no longer exist. */
  removed: string[];
}

/**
 * An article as pages show it: its file's content at its URL, and what the content need not
 * hold: its dates (an undated article takes its file's time, which saving it again moves) and
 * its file's name (an untitled article takes its title from it).
 */
function articleToken(article: Article | undefined): string {
  if (!article) return '-';
  return `${article.id}:${article.contentHash}:${article.path}:${article.relativePath}:${article.date.getTime()}:${article.updated?.getTime() ?? ''}`;
}

/**
 * The fingerprint of every page; with `showing`, of only the pages that show one of those
 * articles (for an edit that moved nothing, the only pages whose fingerprint can change).
 */
export function pageFingerprints(
  site: Site,
  config: SiteConfig,
  related: RelatedArticles,
  archived: ArchivedCopies,
  showing?: ReadonlySet<Article>,
): PageFingerprints {
  const fingerprints: PageFingerprints = new Map();
  const { articles } = site;
  const articlePages = showing ? articlePagesShowing(articles, showing, related) : articles.keys();
  for (const i of articlePages) {
    if (i < 0 || i >= articles.length) continue;
    const relatedTokens = related
      .of(articles[i]!)
      .map((shown) => articleToken(shown))
      .join(',');
    fingerprints.set(
      articles[i]!.path,
      `article|${articleToken(articles[i])}|${articleToken(articles[i - 1])}|${articleToken(articles[i + 1])}|${relatedTokens}|${archived.keyOf(articles[i]!)}`,
    );
  }
  // `blockSignature`: what the numbered pages of a stable list show of it (no counts).
  const paginated = (
    firstPath: string,
    list: Article[],
    signature: string,
    blockSignature = signature,
  ) => {
    const { pageSize, pageNumbering } = config;
    const pages = listPages(firstPath, list.length, pageSize, pageNumbering);
    const shown = showing
      ? new Set(
          [...showing]
            .map((article) => list.indexOf(article))
            .filter((index) => index >= 0)
            .map((index) => pages[pageIndexOf(index, list.length, pageSize, pageNumbering)]!),
        )
      : pages;
    for (const page of shown) {
      const tokens = [];
      for (let i = page.start; i < page.end; i++) tokens.push(articleToken(list[i]));
      const links = page.links.map((link) => link?.sitePath ?? '…').join(',');
      fingerprints.set(
        page.sitePath,
        `${page.first || pageNumbering !== 'stable' ? signature : blockSignature}|${page.number}/${page.total}|${page.newerPath}|${page.olderPath}|${links}|${tokens.join(',')}`,
      );
    }
  };

  // The home page's side column counts the top categories' articles.
  const topCounts = site.categoryRoots
    .slice(0, 8)
    .map((node) => node.articles.length)
    .join(',');
  paginated(SITE_PATHS.home, articles, `home|${topCounts}`, 'home');
  for (const node of site.categories) {
    const children = node.children.map((child) => termSignature(child)).join(';');
    const childNames = node.children.map((child) => termName(child)).join(';');
    paginated(
      node.path,
      node.articles,
      `category|${node.trail.join('/')}|${termSignature(node)}|${children}`,
      `category|${node.trail.join('/')}|${termName(node)}|${childNames}`,
    );
  }
  for (const term of site.authors) {
    const profiles = term.articles
      .map((article) => article.authors.find((author) => author.name === term.name)?.url ?? '')
      .find((url) => /^https?:\/\//i.test(url));
    paginated(
      term.path,
      term.articles,
      `author|${termSignature(term)}|${profiles ?? ''}`,
      `author|${termName(term)}|${profiles ?? ''}`,
    );
  }
  for (const term of site.tags)
    paginated(term.path, term.articles, `tag|${termSignature(term)}`, `tag|${termName(term)}`);
  for (const year of site.archives) {
    paginated(
      year.path,
      year.articles,
      `year|${year.year}|${year.articles.length}`,
      `year|${year.year}`,
    );
    for (const month of year.months)
      paginated(
        month.path,
        month.articles,
        `month|${month.path}|${month.articles.length}`,
        `month|${month.path}`,
      );
  }

  // The lists of terms show names and counts only, which an edit in place cannot change.
  if (showing) return fingerprints;
  fingerprints.set(
    SITE_PATHS.categories,
    `categories|${site.categories.map((node) => `${node.trail.join('/')}=${termSignature(node)}`).join(';')}`,
  );
  fingerprints.set(SITE_PATHS.authors, `authors|${site.authors.map(termSignature).join(';')}`);
  fingerprints.set(SITE_PATHS.tags, `tags|${site.tags.map(termSignature).join(';')}`);
  fingerprints.set(
    SITE_PATHS.archives,
    `archives|${site.archives
      .map(
        (year) =>
          `${year.path}:${year.articles.length}:${year.months.map((month) => `${month.path}:${month.articles.length}`).join(',')}`,
      )
      .join(';')}`,
  );
  // The search page lists the bundles it merges, which a new month or year can change.
  if (config.search.enabled)
    fingerprints.set(SITE_PATHS.search, `search|${searchShards(site, config).bundles.join(',')}`);
  fingerprints.set(SITE_PATHS.notFound, '404');
  return fingerprints;
}

/** Where the pages of these articles, their neighbours and those that may list them as related are. */
function articlePagesShowing(
  articles: readonly Article[],
  showing: ReadonlySet<Article>,
  related: RelatedArticles,
): Set<number> {
  const indexes = new Set<number>();
  for (const article of showing) {
    const index = articles.indexOf(article);
    if (index >= 0) for (const near of [index - 1, index, index + 1]) indexes.add(near);
  }
  const reached = related.reachOf(showing);
  if (reached.size > 0)
    for (const [index, article] of articles.entries()) if (reached.has(article)) indexes.add(index);
  return indexes;
}

function termSignature(term: TaxonomyTerm): string {
  return `${termName(term)}#${term.articles.length}`;
}

function termName(term: TaxonomyTerm): string {
  return `${term.name}@${term.path}`;
}

/**
 * What every page shows: the navigation, the site's own pages and the URL of every category, author and tag
 * (article cards link to them). A change here makes every page stale.
 */
export function siteSignature(site: Site): string {
  const nav = site.categoryRoots
    .slice(0, 8)
    .map((node) => `${node.name}@${node.path}`)
    .join(';');
  const terms = [
    ...site.categories.map((node) => `c:${node.trail.join('/')}@${node.path}`),
    ...site.authors.map((term) => `a:${term.name}@${term.path}`),
    ...site.tags.map((term) => `t:${term.name}@${term.path}`),
  ].sort();
  const pages = site.pages
    .map((page) => `${page.title}@${page.path}@${page.lang ?? page.language ?? ''}`)
    .join(';');
  return `${nav}|${pages}|${terms.join(';')}`;
}

/** Pages whose fingerprint differs from the one they were rendered with, and pages gone. */
export function affectedPages(
  rendered: ReadonlyMap<string, string>,
  current: PageFingerprints,
): AffectedPages {
  const stale: string[] = [];
  for (const [sitePath, fingerprint] of current) {
    if (rendered.get(sitePath) !== fingerprint) stale.push(sitePath);
  }
  const removed: string[] = [];
  for (const sitePath of rendered.keys()) {
    if (!current.has(sitePath)) removed.push(sitePath);
  }
  return { stale, removed };
}
