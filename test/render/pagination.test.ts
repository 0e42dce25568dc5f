import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ListPage, listPages, pageIndexOf } from '../../src/render/pagination.ts';

const NUMBERINGS = ['newest-first', 'stable'] as const;

/** The pages in reading order, found by following "older" links from the first page. */
function readingOrder(pages: ListPage[]): ListPage[] {
  const byPath = new Map(pages.map((page) => [page.sitePath, page]));
  const order: ListPage[] = [];
  for (let page = pages[0]; page; page = page.olderPath ? byPath.get(page.olderPath) : undefined)
    order.push(page);
  return order;
}

describe('list pages', () => {
  it('show every article once, in order, and link newer and older pages both ways', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 25 }),
        fc.constantFrom(...NUMBERINGS),
        (count, pageSize, numbering) => {
          const pages = listPages('/tags/x/', count, pageSize, numbering);
          expect(pages[0]!.first).toBe(true);
          expect(pages[0]!.sitePath).toBe('/tags/x/');
          expect(new Set(pages.map((page) => page.sitePath)).size).toBe(pages.length);
          // Reading from the first page, the slices tile the list newest to oldest.
          const order = readingOrder(pages);
          expect(order).toEqual(pages);
          let next = 0;
          for (const [at, page] of order.entries()) {
            expect(page.start).toBe(next);
            if (count > 0) expect(page.end).toBeGreaterThan(page.start);
            next = page.end;
            expect(page.newerPath).toBe(order[at - 1]?.sitePath);
            expect(page.links.filter((link) => link?.current)).toEqual([
              expect.objectContaining({ sitePath: page.sitePath }),
            ]);
            for (const link of page.links)
              if (link) expect(pages.some((other) => other.sitePath === link.sitePath)).toBe(true);
          }
          expect(next).toBe(count);
          for (let index = 0; index < count; index++) {
            const page = pages[pageIndexOf(index, count, pageSize, numbering)]!;
            expect(index >= page.start && index < page.end).toBe(true);
          }
        },
      ),
    );
  });

  it('newest first: page N at page/N/ holds the Nth newest pageSize articles', () => {
    const pages = listPages('/', 45, 10, 'newest-first');
    expect(pages.map((page) => [page.sitePath, page.start, page.end, page.total])).toEqual([
      ['/', 0, 10, 5],
      ['/page/2/', 10, 20, 5],
      ['/page/3/', 20, 30, 5],
      ['/page/4/', 30, 40, 5],
      ['/page/5/', 40, 45, 5],
    ]);
    expect(pages[3]!.links.map((link) => link?.number)).toEqual([1, 2, 3, 4, 5]);
    expect(listPages('/', 200, 10, 'newest-first')[9]!.links.map((link) => link?.number)).toEqual([
      1,
      undefined,
      8,
      9,
      10,
      11,
      12,
      undefined,
      20,
    ]);
  });

  it('stable: full blocks from the oldest, the first page holding pageSize to 2 × pageSize − 1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 25 }),
        (count, size) => {
          const [first, ...blocks] = listPages('/', count, size, 'stable');
          const firstSize = first!.end - first!.start;
          if (count < 2 * size) expect(firstSize).toBe(count);
          else expect(firstSize >= size && firstSize < 2 * size).toBe(true);
          expect(blocks.map((block) => block.end - block.start)).toEqual(blocks.map(() => size));
          // Numbered down to 1, the oldest block, which ends the list.
          expect(blocks.map((block) => block.number)).toEqual(
            blocks.map((_, at) => blocks.length - at),
          );
          expect(blocks.every((block) => block.sitePath === `/page/${block.number}/`)).toBe(true);
          expect(blocks.at(-1)?.end ?? count).toBe(count);
        },
      ),
    );
  });

  it('stable: an article added at the top leaves every block but the newest three as it was', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 25 }),
        (count, size) => {
          // A block as seen from the oldest end of the list, which an added article does not move.
          const fromOldest = (page: ListPage, total: number) => ({
            ...page,
            start: total - page.end,
            end: total - page.start,
          });
          const before = new Map(
            listPages('/', count, size, 'stable')
              .filter((page) => !page.first)
              .map((page) => [page.sitePath, fromOldest(page, count)]),
          );
          const after = listPages('/', count + 1, size, 'stable').filter((page) => !page.first);
          const changed = after.filter(
            (page) =>
              JSON.stringify(before.get(page.sitePath)) !==
              JSON.stringify(fromOldest(page, count + 1)),
          );
          expect(changed.length).toBeLessThanOrEqual(4);
          for (const page of changed) expect(page.number!).toBeGreaterThan(after.length - 4);
        },
      ),
    );
  });

  it('stable: the first page links to the newest blocks and the oldest, blocks to their window', () => {
    const pages = listPages('/', 205, 10, 'stable');
    expect(pages).toHaveLength(20);
    expect(pages[0]).toMatchObject({ start: 0, end: 15, olderPath: '/page/19/' });
    expect(pages[0]!.links.map((link) => link && (link.number ?? 'latest'))).toEqual([
      'latest',
      19,
      18,
      17,
      undefined,
      1,
    ]);
    const tenth = pages.find((page) => page.number === 10)!;
    expect(tenth).toMatchObject({ newerPath: '/page/11/', olderPath: '/page/9/' });
    expect(tenth.links.map((link) => link && (link.number ?? 'latest'))).toEqual([
      'latest',
      undefined,
      12,
      11,
      10,
      9,
      8,
      undefined,
      1,
    ]);
  });
});
