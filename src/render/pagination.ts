/**
 * How a list of articles (newest first) is cut into pages, in one place so that pages,
 * feeds and the dev server agree. Two numberings (`pageNumbering`):
 *
 * - `newest-first`: the list's own path holds the newest `pageSize` articles, `page/2/` the
 *   next ones, and so on. An article added at the top moves one article onto every page.
 * - `stable`: `page/1/`, `page/2/`… hold fixed blocks of `pageSize` articles counted from the
 *   oldest, and the list's own path holds the rest: the newest `pageSize` to
 *   `2 × pageSize − 1`. An article added at the top changes the first page only; once every
 *   `pageSize` additions it makes a new block and changes the few pages that link to it.
 *   Archives that grow every hour rebuild, and upload, a handful of pages instead of all.
 */

export type PageNumbering = 'newest-first' | 'stable';

/** A link in a page's page list. */
export interface PageLink {
  /** The number shown; absent for the first page of a stable list (shown as "latest"). */
  number?: number;
  sitePath: string;
  current: boolean;
}

/** One page of a list: where it goes, which slice of the list it shows, what it links to. */
export interface ListPage {
  /** Whether this is the list's first page, at the list's own path. */
  first: boolean;
  /** The page's number; absent for the first page of a stable list. */
  number?: number;
  /** How many pages the list has: given by `newest-first` only, since with `stable` a block
   * that mentioned it would change whenever a block is added. */
  total?: number;
  sitePath: string;
  /** The slice `[start, end)` of the list, newest first, that the page shows. */
  start: number;
  end: number;
  /** The neighbouring pages: newer (towards the first page) and older. */
  newerPath?: string;
  olderPath?: string;
  /** Links to a window of pages around this one, in the order shown; `undefined` is a gap. */
  links: (PageLink | undefined)[];
}

/** Site path of a numbered page of the list at `firstPath`. */
export function numberedPagePath(firstPath: string, number: number): string {
  return `${firstPath}page/${number}/`;
}

/** The pages of a list of `count` articles, the first page first. */
export function listPages(
  firstPath: string,
  count: number,
  pageSize: number,
  numbering: PageNumbering,
): ListPage[] {
  return numbering === 'stable'
    ? stablePages(firstPath, count, pageSize)
    : newestFirstPages(firstPath, count, pageSize);
}

/** The page of the list that shows the article at `index` (newest first). */
export function pageIndexOf(
  index: number,
  count: number,
  pageSize: number,
  numbering: PageNumbering,
): number {
  if (numbering === 'newest-first') return Math.floor(index / pageSize);
  const firstSize = count - stableBlockCount(count, pageSize) * pageSize;
  return index < firstSize ? 0 : 1 + Math.floor((index - firstSize) / pageSize);
}

function newestFirstPages(firstPath: string, count: number, pageSize: number): ListPage[] {
  const total = Math.max(1, Math.ceil(count / pageSize));
  const pathOf = (number: number) =>
    number === 1 ? firstPath : numberedPagePath(firstPath, number);
  const pages: ListPage[] = [];
  for (let number = 1; number <= total; number++) {
    const shown = [1, total, number - 2, number - 1, number, number + 1, number + 2]
      .filter((n, at, all) => n >= 1 && n <= total && all.indexOf(n) === at)
      .sort((a, b) => a - b);
    pages.push({
      first: number === 1,
      number,
      total,
      sitePath: pathOf(number),
      start: (number - 1) * pageSize,
      end: Math.min(count, number * pageSize),
      ...(number > 1 ? { newerPath: pathOf(number - 1) } : {}),
      ...(number < total ? { olderPath: pathOf(number + 1) } : {}),
      links: withGaps(
        shown.map((n) => ({ number: n, sitePath: pathOf(n), current: n === number })),
        (a, b) => b.number! - a.number! > 1,
      ),
    });
  }
  return pages;
}

/** Full blocks of `pageSize` counted from the oldest, leaving the first page at least one. */
function stableBlockCount(count: number, pageSize: number): number {
  return count >= 2 * pageSize ? Math.floor(count / pageSize) - 1 : 0;
}

function stablePages(firstPath: string, count: number, pageSize: number): ListPage[] {
  const blocks = stableBlockCount(count, pageSize);
  const firstSize = count - blocks * pageSize;
  const firstLink = (current: boolean): PageLink => ({ sitePath: firstPath, current });
  const blockLinks = (numbers: number[], current?: number) =>
    numbers
      .filter((n, at, all) => n >= 1 && n <= blocks && all.indexOf(n) === at)
      .sort((a, b) => b - a)
      .map((n) => ({
        number: n,
        sitePath: numberedPagePath(firstPath, n),
        current: n === current,
      }));
  // Newest first, as the pages are read: the first page, then blocks down to block 1. A gap
  // after the first page's link is known without the number of blocks only below the top.
  const isGap = (a: PageLink, b: PageLink) =>
    a.number === undefined ? b.number !== blocks : a.number - b.number! > 1;
  const pages: ListPage[] = [
    {
      first: true,
      sitePath: firstPath,
      start: 0,
      end: firstSize,
      ...(blocks > 0 ? { olderPath: numberedPagePath(firstPath, blocks) } : {}),
      links: withGaps([firstLink(true), ...blockLinks([blocks, blocks - 1, blocks - 2, 1])], isGap),
    },
  ];
  for (let number = blocks; number >= 1; number--) {
    const start = firstSize + (blocks - number) * pageSize;
    pages.push({
      first: false,
      number,
      sitePath: numberedPagePath(firstPath, number),
      start,
      end: start + pageSize,
      newerPath: number === blocks ? firstPath : numberedPagePath(firstPath, number + 1),
      ...(number > 1 ? { olderPath: numberedPagePath(firstPath, number - 1) } : {}),
      links: withGaps(
        [
          firstLink(false),
          ...blockLinks([number + 2, number + 1, number, number - 1, number - 2, 1], number),
        ],
        isGap,
      ),
    });
  }
  return pages;
}

function withGaps(
  links: PageLink[],
  gapBetween: (a: PageLink, b: PageLink) => boolean,
): (PageLink | undefined)[] {
  const result: (PageLink | undefined)[] = [];
  for (const [at, link] of links.entries()) {
    if (at > 0 && gapBetween(links[at - 1]!, link)) result.push(undefined);
    result.push(link);
  }
  return result;
}
