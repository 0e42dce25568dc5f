/**
 * The search index is split in Pagefind bundles that the search page merges: the newest
 * month's articles, and every older year's. Pagefind has no incremental mode and costs about
 * 6 ms a page for Chinese text, so one bundle meant re-indexing the whole archive whenever a
 * scraper added an article (a minute at 10,000 articles), and an archive bundle meant the
 * same whenever an old article was corrected. Scrapers add to the newest month: only its
 * bundle is made again; a year's is kept until one of its articles changes, or its last
 * month stops being the newest.
 */

import { localParts } from '../collect/local-time.ts';
import type { Site } from '../collect/site.ts';
import type { Article } from '../model.ts';

/**
 * The oldest year's bundle (or the only one), always made: the search page loads Pagefind's
 * scripts from it.
 */
export const ARCHIVE_BUNDLE_PATH = '/pagefind/';
/** Where the newest month's bundle goes. */
export const RECENT_BUNDLE_PATH = '/pagefind-recent/';

/** Where a later year's bundle goes. */
export function yearBundlePath(year: number): string {
  return `/pagefind-${String(year).padStart(4, '0')}/`;
}

export interface SearchShards {
  /** Site path of the bundle an article's page is indexed in. */
  bundleOf(article: Article): string;
  /** Every bundle the site has: the archive's (the oldest year's) first, the newest last. */
  bundles: string[];
}

/**
 * Which bundle each article goes to. A site whose articles are all from one month has the
 * archive bundle alone; one whose older articles are from one year, the archive and the
 * newest month.
 */
export function searchShards(site: Pick<Site, 'articles'>, timezone: string): SearchShards {
  const newest = site.articles[0];
  if (!newest) return { bundleOf: () => ARCHIVE_BUNDLE_PATH, bundles: [ARCHIVE_BUNDLE_PATH] };
  const newestParts = localParts(newest.date, timezone);
  const years = new Set<number>();
  let split = false;
  for (const article of site.articles) {
    const { year, month } = localParts(article.date, timezone);
    if (year === newestParts.year && month === newestParts.month) continue;
    split = true;
    years.add(year);
  }
  if (!split) return { bundleOf: () => ARCHIVE_BUNDLE_PATH, bundles: [ARCHIVE_BUNDLE_PATH] };
  const ascending = [...years].sort((a, b) => a - b);
  const pathOfYear = new Map(
    ascending.map((year, at) => [year, at === 0 ? ARCHIVE_BUNDLE_PATH : yearBundlePath(year)]),
  );
  return {
    bundleOf: (article) => {
      const { year, month } = localParts(article.date, timezone);
      return year === newestParts.year && month === newestParts.month
        ? RECENT_BUNDLE_PATH
        : pathOfYear.get(year)!;
    },
    bundles: [...pathOfYear.values(), RECENT_BUNDLE_PATH],
  };
}
