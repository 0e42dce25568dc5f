/**
 * The search index is split in two Pagefind bundles that the search page merges: the newest
 * month's articles, and the archive of everything older. Pagefind has no incremental mode
 * and costs about 6 ms a page for Chinese text, so one bundle meant re-indexing the whole
 * archive whenever a scraper added an article (a minute at 10,000 articles). Scrapers add
 * to the newest month: only its bundle is made again; the archive's is kept until an old
 * article changes or a new month begins.
 */

import { localParts } from '../collect/local-time.ts';
import type { Site } from '../collect/site.ts';
import type { Article } from '../model.ts';

/** Where the archive's bundle goes (the search page's own Pagefind scripts come from it). */
export const ARCHIVE_BUNDLE_PATH = '/pagefind/';
/** Where the newest month's bundle goes. */
export const RECENT_BUNDLE_PATH = '/pagefind-recent/';

export interface SearchShards {
  /** Site path of the bundle an article's page is indexed in. */
  bundleOf(article: Article): string;
  /** Every bundle the site has, the archive's first. */
  bundles: string[];
}

function monthOf(article: Article, timezone: string): number {
  const { year, month } = localParts(article.date, timezone);
  return year * 12 + month;
}

/**
 * Which bundle each article goes to. A site whose articles are all from one month has the
 * archive bundle alone.
 */
export function searchShards(site: Pick<Site, 'articles'>, timezone: string): SearchShards {
  const newest = site.articles[0];
  const newestMonth = newest ? monthOf(newest, timezone) : 0;
  const split = site.articles.some((article) => monthOf(article, timezone) !== newestMonth);
  if (!split) return { bundleOf: () => ARCHIVE_BUNDLE_PATH, bundles: [ARCHIVE_BUNDLE_PATH] };
  return {
    bundleOf: (article) =>
      monthOf(article, timezone) === newestMonth ? RECENT_BUNDLE_PATH : ARCHIVE_BUNDLE_PATH,
    bundles: [ARCHIVE_BUNDLE_PATH, RECENT_BUNDLE_PATH],
  };
}
