/**
 * The search index is split in Pagefind bundles that the search page merges: the newest
 * month's articles, and every older year's. Pagefind has no incremental mode and costs about
 * 6 ms a page for Chinese text, so one bundle meant re-indexing the whole archive whenever a
 * scraper added an article (a minute at 10,000 articles), and an archive bundle meant the
 * same whenever an old article was corrected. Scrapers add to the newest month: only its
 * bundle is made again; a year's is kept until one of its articles changes, or its last
 * month stops being the newest.
 *
 * Pagefind also holds a bundle in memory while it is made (about 0.6 MB an article): a year
 * or newest month with more articles than `search.bundleSize` is cut into runs of whole
 * days of at most that many, each a bundle named after its first day.
 */

import { localParts } from '../collect/local-time.ts';
import type { Site } from '../collect/site.ts';
import type { SiteConfig } from '../config/schema.ts';
import type { Article } from '../model.ts';

/**
 * The oldest bundle (or the only one), always made: the search page loads Pagefind's
 * scripts from it.
 */
export const ARCHIVE_BUNDLE_PATH = '/pagefind/';
/** Where the newest month's bundle goes (unless the month is cut into runs of days). */
export const RECENT_BUNDLE_PATH = '/pagefind-recent/';

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** Where a later year's bundle goes. */
export function yearBundlePath(year: number): string {
  return `/pagefind-${pad(year, 4)}/`;
}

/** Where a run of days goes, in a year or newest month too large for one bundle. */
export function daysBundlePath(firstDay: string): string {
  return `/pagefind-${firstDay}/`;
}

export interface SearchShards {
  /** Site path of the bundle an article's page is indexed in. */
  bundleOf(article: Article): string;
  /** Every bundle the site has: the archive's (the oldest) first, the newest last. */
  bundles: string[];
}

/** A year before the newest month, or the newest month. */
type PeriodKey = number | 'recent';

/** Articles in one period (a year, or the newest month), counted by local day. */
class Period {
  readonly days = new Map<string, number>();
  total = 0;
  add(day: string): void {
    this.days.set(day, (this.days.get(day) ?? 0) + 1);
    this.total++;
  }
}

/**
 * Whole days, oldest first, packed into runs of at most `size` articles (a single day over
 * the size is a run of its own). Packing from the first day keeps every run but the last
 * as it was when later days are added, so their bundles are kept.
 */
function packDays(period: Period, size: number): string[][] {
  const runs: string[][] = [];
  let run: string[] = [];
  let count = 0;
  for (const day of [...period.days.keys()].sort()) {
    const articles = period.days.get(day)!;
    if (run.length > 0 && count + articles > size) {
      runs.push(run);
      run = [];
      count = 0;
    }
    run.push(day);
    count += articles;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/**
 * Which bundle each article goes to. A site whose articles are all from one month has the
 * archive bundle alone (unless the month is over the bundle size); one whose older articles
 * are from one year, the archive and the newest month.
 */
export function searchShards(
  site: Pick<Site, 'articles'>,
  config: Pick<SiteConfig, 'timezone'> & { search: Pick<SiteConfig['search'], 'bundleSize'> },
): SearchShards {
  const { timezone } = config;
  const single = { bundleOf: () => ARCHIVE_BUNDLE_PATH, bundles: [ARCHIVE_BUNDLE_PATH] };
  const newest = site.articles[0];
  if (!newest) return single;
  const newestParts = localParts(newest.date, timezone);
  const dayOf = (article: Article) => {
    const { year, month, day } = localParts(article.date, timezone);
    const recent = year === newestParts.year && month === newestParts.month;
    const period: PeriodKey = recent ? 'recent' : year;
    return { day: `${pad(year, 4)}-${pad(month)}-${pad(day)}`, period };
  };
  const periods = new Map<PeriodKey, Period>();
  for (const article of site.articles) {
    const { day, period } = dayOf(article);
    const counted = periods.get(period) ?? new Period();
    periods.set(period, counted);
    counted.add(day);
  }
  const years = [...periods.keys()].filter((key) => key !== 'recent').sort((a, b) => a - b);
  /** Oldest first: each bundle's name and the days it holds (`undefined`: the whole period). */
  const bundles: { path: string; days?: string[]; period: PeriodKey }[] = [];
  for (const period of [...years, 'recent' as const]) {
    const counted = periods.get(period)!;
    if (counted.total <= config.search.bundleSize) {
      bundles.push({
        path: period === 'recent' ? RECENT_BUNDLE_PATH : yearBundlePath(period),
        period,
      });
      continue;
    }
    // Every run, the newest month's too, is named after its first day: a run keeps its
    // name once later days start a new one, so its bundle is kept (a name is in its key).
    for (const days of packDays(counted, config.search.bundleSize))
      bundles.push({ path: daysBundlePath(days[0]!), days, period });
  }
  if (bundles.length === 1) return single;
  bundles[0]!.path = ARCHIVE_BUNDLE_PATH;
  const pathOfPeriod = new Map<PeriodKey, string>();
  const pathOfDay = new Map<string, string>();
  for (const bundle of bundles) {
    if (!bundle.days) pathOfPeriod.set(bundle.period, bundle.path);
    else for (const day of bundle.days) pathOfDay.set(day, bundle.path);
  }
  return {
    bundleOf: (article) => {
      const { day, period } = dayOf(article);
      return pathOfPeriod.get(period) ?? pathOfDay.get(day)!;
    },
    bundles: bundles.map((bundle) => bundle.path),
  };
}
