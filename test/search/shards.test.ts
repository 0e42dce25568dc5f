import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { sitemapExtension } from '../../src/feeds/sitemap.ts';
import type { Article } from '../../src/model.ts';
import {
  pagefindVersion,
  type SearchStatistics,
  searchExtension,
} from '../../src/search/extension.ts';
import {
  ARCHIVE_BUNDLE_PATH,
  daysBundlePath,
  RECENT_BUNDLE_PATH,
  searchShards,
  yearBundlePath,
} from '../../src/search/shards.ts';
import { buildProject, listFiles, makeProject } from '../helpers.ts';

const article = (title: string, date: string, words: string) => `---
title: ${title}
date: ${date}
categories: [Economy]
---

<p>${words}</p>
`;

const dated = (iso: string) => ({ date: new Date(iso) }) as Article;
const zone = (timezone: string, bundleSize = 4000) => ({ timezone, search: { bundleSize } });

/** Builds with search (and the sitemap, for robots.txt), returning what search did. */
async function buildWithSearch(
  root: string,
): Promise<SearchStatistics & { articlesReused: number }> {
  let statistics: SearchStatistics | undefined;
  const result = await buildProject(root, {
    extensions: [
      searchExtension({ onStatistics: (found) => (statistics = found) }),
      sitemapExtension(),
    ],
  });
  expect(result.ok, JSON.stringify(result.diagnostics)).toBe(true);
  return { ...statistics!, articlesReused: result.cache.articlesReused };
}

describe('search shards', () => {
  it('puts the newest month in a bundle of its own, in the site time zone', () => {
    const articles = [
      dated('2024-04-30T17:00:00Z'), // 1 May in Shanghai
      dated('2024-04-30T15:00:00Z'), // 30 April in Shanghai
      dated('2023-01-01T00:00:00Z'),
    ];
    const shards = searchShards({ articles }, zone('Asia/Shanghai'));
    expect(shards.bundles).toEqual([ARCHIVE_BUNDLE_PATH, '/pagefind-2024/', RECENT_BUNDLE_PATH]);
    expect(articles.map((item) => shards.bundleOf(item))).toEqual([
      RECENT_BUNDLE_PATH,
      '/pagefind-2024/',
      ARCHIVE_BUNDLE_PATH,
    ]);
  });

  it("gives every older year a bundle of its own, the oldest at the archive's place", () => {
    const articles = [
      dated('2024-05-02T00:00:00Z'),
      dated('2024-03-01T00:00:00Z'),
      dated('2023-12-31T20:00:00Z'), // 1 January 2024 in Shanghai
      dated('2023-07-01T00:00:00Z'),
      dated('2021-01-01T00:00:00Z'),
    ];
    const shards = searchShards({ articles }, zone('Asia/Shanghai'));
    expect(shards.bundles).toEqual([
      ARCHIVE_BUNDLE_PATH,
      yearBundlePath(2023),
      yearBundlePath(2024),
      RECENT_BUNDLE_PATH,
    ]);
    expect(articles.map((item) => shards.bundleOf(item))).toEqual([
      RECENT_BUNDLE_PATH,
      '/pagefind-2024/',
      '/pagefind-2024/',
      '/pagefind-2023/',
      ARCHIVE_BUNDLE_PATH,
    ]);
  });

  it("keys bundles by Pagefind's version", () => {
    expect(pagefindVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('keeps one bundle for a site whose articles are all from one month', () => {
    const shards = searchShards(
      { articles: [dated('2024-05-02T00:00:00Z'), dated('2024-05-01T00:00:00Z')] },
      zone('UTC'),
    );
    expect(shards.bundles).toEqual([ARCHIVE_BUNDLE_PATH]);
    expect(searchShards({ articles: [] }, zone('UTC')).bundles).toEqual([ARCHIVE_BUNDLE_PATH]);
  });

  describe('cut to the bundle size', () => {
    /** One article a day at noon UTC, from `first` for `days` days; newest first. */
    const daily = (first: string, days: number, perDay = 1) =>
      Array.from({ length: days * perDay }, (_, at) => {
        const date = new Date(`${first}T12:00:00Z`);
        date.setUTCDate(date.getUTCDate() + Math.floor(at / perDay));
        return { date } as Article;
      }).reverse();

    it('cuts a year over the size into runs of whole days named after their first day', () => {
      const articles = [...daily('2024-05-01', 3), ...daily('2023-01-01', 10)];
      const shards = searchShards({ articles }, zone('UTC', 4));
      expect(shards.bundles).toEqual([
        ARCHIVE_BUNDLE_PATH,
        daysBundlePath('2023-01-05'),
        daysBundlePath('2023-01-09'),
        RECENT_BUNDLE_PATH,
      ]);
      expect(articles.map((item) => shards.bundleOf(item))).toEqual([
        ...Array(3).fill(RECENT_BUNDLE_PATH),
        ...Array(2).fill('/pagefind-2023-01-09/'),
        ...Array(4).fill('/pagefind-2023-01-05/'),
        ...Array(4).fill(ARCHIVE_BUNDLE_PATH),
      ]);
    });

    it('keeps a year at the size whole, and never splits a day', () => {
      const shards = searchShards(
        { articles: [...daily('2024-05-01', 1), ...daily('2023-03-01', 2, 3)] },
        zone('UTC', 6),
      );
      expect(shards.bundles).toEqual([ARCHIVE_BUNDLE_PATH, RECENT_BUNDLE_PATH]);
      const crowded = [...daily('2024-05-01', 1), ...daily('2023-03-01', 3, 5)];
      const cut = searchShards({ articles: crowded }, zone('UTC', 4));
      // A day over the size is a bundle of its own, whole.
      expect(cut.bundles).toEqual([
        ARCHIVE_BUNDLE_PATH,
        daysBundlePath('2023-03-02'),
        daysBundlePath('2023-03-03'),
        RECENT_BUNDLE_PATH,
      ]);
      expect(new Set(crowded.slice(1, 6).map((item) => cut.bundleOf(item))).size).toBe(1);
    });

    it('cuts a crowded newest month too, each run keeping its name as the month grows', () => {
      const articles = daily('2024-05-01', 9);
      const shards = searchShards({ articles }, zone('UTC', 4));
      expect(shards.bundles).toEqual([
        ARCHIVE_BUNDLE_PATH,
        daysBundlePath('2024-05-05'),
        daysBundlePath('2024-05-09'),
      ]);
      expect(shards.bundleOf(articles[0]!)).toBe(daysBundlePath('2024-05-09'));
      expect(shards.bundleOf(articles[8]!)).toBe(ARCHIVE_BUNDLE_PATH);
      // Four more days: the run of 5–8 May is as it was, under the same name.
      const grown = searchShards({ articles: daily('2024-05-01', 13) }, zone('UTC', 4));
      expect(grown.bundles).toEqual([
        ARCHIVE_BUNDLE_PATH,
        daysBundlePath('2024-05-05'),
        daysBundlePath('2024-05-09'),
        daysBundlePath('2024-05-13'),
      ]);
    });

    it('keeps every bundle but the newest ones when articles are added, at any size', () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 30, maxLength: 150, size: 'max' }),
          fc.integer({ min: 1, max: 12 }),
          fc.integer({ min: 1, max: 80 }),
          (perDay, size, added) => {
            // Articles a day over a span of days crossing a new year, newest first.
            const all = perDay
              .flatMap((count, day) =>
                Array.from({ length: count }, () => {
                  const date = new Date('2023-11-01T12:00:00Z');
                  date.setUTCDate(date.getUTCDate() + day);
                  return { date } as Article;
                }),
              )
              .reverse();
            if (all.length <= added) return;
            const before = all.slice(added);
            const config = zone('UTC', size);
            const earlier = searchShards({ articles: before }, config);
            const later = searchShards({ articles: all }, config);
            for (const shards of [earlier, later]) {
              const members = new Map<string, Article[]>();
              for (const item of shards.bundles) members.set(item, []);
              for (const item of all.slice(shards === earlier ? added : 0))
                members.get(shards.bundleOf(item))!.push(item);
              for (const [bundle, items] of members) {
                // Every bundle listed holds articles, at most the size unless it is one day.
                expect(items.length, bundle).toBeGreaterThan(0);
                const days = new Set(items.map((item) => item.date.toISOString().slice(0, 10)));
                if (items.length > size) expect(days.size).toBe(1);
              }
            }
            // Runs of days keep their articles and names as articles are added, but for
            // each year's last and the newest month's last.
            const newestMonth = before[0]!.date.toISOString().slice(0, 7);
            const members = (shards: typeof earlier) => {
              const found = new Map<string, string[]>();
              for (const item of before) {
                const bundle = shards.bundleOf(item);
                found.set(bundle, [...(found.get(bundle) ?? []), item.date.toISOString()]);
              }
              return found;
            };
            const was = members(earlier);
            const now = members(later);
            const years = earlier.bundles.map((bundle) => was.get(bundle)![0]!.slice(0, 4));
            const sameMonth = all[0]!.date.toISOString().slice(0, 7) === newestMonth;
            const inNewestMonth = (run: string[]) =>
              run.some((date) => date.startsWith(newestMonth));
            earlier.bundles.forEach((bundle, at) => {
              const dates = was.get(bundle)!;
              // Year bundles are made again when their year is cut; the newest month's
              // (uncut) when it is cut.
              if (/^\/pagefind-\d{4}\/$/.test(bundle) || earlier.bundles.length === 1) return;
              if (bundle === RECENT_BUNDLE_PATH && !later.bundles.includes(RECENT_BUNDLE_PATH))
                return;
              const next = earlier.bundles[at + 1];
              if (inNewestMonth(dates)) {
                // Once the newest month is over, its runs are packed with its year.
                if (!sameMonth) return;
                // While it is the newest, its last run keeps its name (its first day) as
                // new days fill it, or start the next.
                if (!next) {
                  const firstDay = dates.at(-1)!.slice(0, 10);
                  for (const item of before.filter((one) =>
                    one.date.toISOString().startsWith(firstDay),
                  ))
                    expect(later.bundleOf(item), bundle).toBe(bundle);
                  return;
                }
              } else if (!next || years[at + 1] !== years[at] || inNewestMonth(was.get(next)!))
                return;
              // The same articles, in a bundle of the same name (the oldest keeps its place).
              expect(now.get(bundle), bundle).toEqual(dates);
            });
          },
        ),
      );
    });
  });

  describe('rebuilding', () => {
    const root = makeProject(
      {
        'old-1.md': article('Harbour dredging begins', '2024-01-10 09:00', 'dredging harbour'),
        'old-2.md': article('Rail freight grows', '2024-02-11 09:00', 'freight wagons'),
        'old-3.md': article('Tea exports rise', '2024-03-12 09:00', 'tea exports'),
        'new-1.md': article('Solar farm opens', '2024-05-02 09:00', 'solar panels'),
        'new-2.md': article('Port strike ends', '2024-05-03 09:00', 'dockers strike'),
      },
      'title: Shards\nbaseUrl: https://example.org/\n',
    );
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    const rebuild = () => buildWithSearch(root);
    const bundleFiles = (bundle: string) =>
      listFiles(path.join(root, 'site', bundle)).map((file) => {
        const stats = statSync(path.join(root, 'site', bundle, file));
        return `${file}:${stats.ino}:${stats.mtimeMs}`;
      });
    const edit = (name: string, words: string) => {
      const file = path.join(root, 'content', name);
      writeFileSync(file, readFileSync(file, 'utf8').replace('</p>', ` ${words}</p>`));
    };

    it('makes both bundles on the first build', async () => {
      const statistics = await rebuild();
      expect(statistics.rebuilt).toEqual([ARCHIVE_BUNDLE_PATH, RECENT_BUNDLE_PATH]);
      expect(statistics.pages).toBe(5);
    });

    it('makes only the newest month again when one of its articles changes', async () => {
      const archive = bundleFiles(ARCHIVE_BUNDLE_PATH);
      edit('new-1.md', 'inverters');
      const statistics = await rebuild();
      expect(statistics.rebuilt).toEqual([RECENT_BUNDLE_PATH]);
      expect(statistics.pages).toBe(2);
      // The archive's files were kept as they were, for deploy tools that sync by time.
      expect(bundleFiles(ARCHIVE_BUNDLE_PATH)).toEqual(archive);
    });

    it('makes the archive again when an old article changes', async () => {
      const recent = bundleFiles(RECENT_BUNDLE_PATH);
      edit('old-2.md', 'sleepers');
      const statistics = await rebuild();
      expect(statistics.rebuilt).toEqual([ARCHIVE_BUNDLE_PATH]);
      expect(statistics.pages).toBe(3);
      expect(bundleFiles(RECENT_BUNDLE_PATH)).toEqual(recent);
    });

    it('makes a bundle again when one of its files was deleted by hand', async () => {
      const folder = path.join(root, 'site', RECENT_BUNDLE_PATH);
      const deleted = listFiles(folder).find((file) => file.startsWith('fragment/'))!;
      rmSync(path.join(folder, deleted));
      const statistics = await rebuild();
      expect(statistics.rebuilt).toEqual([RECENT_BUNDLE_PATH]);
      expect(existsSync(path.join(folder, deleted))).toBe(true);
    });

    it('moves last month into the archive when a new month begins', async () => {
      writeFileSync(
        path.join(root, 'content', 'june.md'),
        article('Bridge reopens', '2024-06-01 09:00', 'bridge traffic'),
      );
      const statistics = await rebuild();
      expect(statistics.rebuilt).toEqual([ARCHIVE_BUNDLE_PATH, RECENT_BUNDLE_PATH]);
      expect(statistics.pages).toBe(6);
    });
  });

  describe('rebuilding an archive of several years', () => {
    const root = makeProject(
      {
        '2022.md': article('Canal widened', '2022-03-10 09:00', 'canal barges'),
        '2023-a.md': article('Ferry line opens', '2023-04-11 09:00', 'ferry crossing'),
        '2023-b.md': article('Airport expands', '2023-09-12 09:00', 'runway terminal'),
        'now.md': article('Tram returns', '2024-05-02 09:00', 'tram tracks'),
      },
      'title: Years\nbaseUrl: https://example.org/\n',
    );
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it("makes only the corrected article's year again", async () => {
      const rebuild = () => buildWithSearch(root);
      expect((await rebuild()).rebuilt).toEqual([
        ARCHIVE_BUNDLE_PATH,
        '/pagefind-2023/',
        RECENT_BUNDLE_PATH,
      ]);
      const file = path.join(root, 'content', '2023-a.md');
      writeFileSync(file, readFileSync(file, 'utf8').replace('</p>', ' pier</p>'));
      const second = await rebuild();
      expect(second.rebuilt).toEqual(['/pagefind-2023/']);
      expect(second.pages).toBe(2);
      // Robots stay out of every bundle.
      const robots = readFileSync(path.join(root, 'site', 'robots.txt'), 'utf8');
      expect(robots).toContain('Disallow: /pagefind-2023/');
      expect(robots).toContain('Disallow: /pagefind-recent/');
    });
  });
});

describe('changing the bundle size', () => {
  const root = makeProject(
    {
      '2022.md': article('Canal widened', '2022-03-10 09:00', 'canal barges'),
      '2023-a.md': article('Ferry line opens', '2023-10-01 09:00', 'ferry crossing'),
      '2023-b.md': article('Airport expands', '2023-10-02 09:00', 'runway terminal'),
      '2023-c.md': article('Harbour cranes replaced', '2023-10-05 09:00', 'gantry cranes'),
      'now.md': article('Tram returns', '2024-05-02 09:00', 'tram tracks'),
    },
    'title: Sizes\nbaseUrl: https://example.org/\nsearch:\n  bundleSize: 10\n',
  );
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('makes again only the bundles it moves, and the search page, reusing every article', async () => {
    expect((await buildWithSearch(root)).rebuilt).toEqual([
      ARCHIVE_BUNDLE_PATH,
      '/pagefind-2023/',
      RECENT_BUNDLE_PATH,
    ]);
    writeFileSync(
      path.join(root, 'gazette.config.yml'),
      'title: Sizes\nbaseUrl: https://example.org/\nsearch:\n  bundleSize: 2\n',
    );
    const statistics = await buildWithSearch(root);
    expect(statistics.rebuilt).toEqual([
      daysBundlePath('2023-10-01'),
      daysBundlePath('2023-10-05'),
    ]);
    expect(statistics.articlesReused).toBe(5);
    // The search page merges the new bundles; the year's is gone.
    const searchPage = readFileSync(path.join(root, 'site', 'search', 'index.html'), 'utf8');
    expect(searchPage).toContain('/pagefind-2023-10-01/');
    expect(searchPage).not.toContain('/pagefind-2023/');
    expect(existsSync(path.join(root, 'site', 'pagefind-2023'))).toBe(false);
    expect(readFileSync(path.join(root, 'site', 'robots.txt'), 'utf8')).toContain(
      'Disallow: /pagefind-2023-10-05/',
    );
  });
});
