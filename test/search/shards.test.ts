import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BuildExtension, ExtensionContext } from '../../src/build.ts';
import { sitemapExtension } from '../../src/feeds/sitemap.ts';
import type { Article } from '../../src/model.ts';
import {
  pagefindVersion,
  type SearchStatistics,
  searchExtension,
} from '../../src/search/extension.ts';
import {
  ARCHIVE_BUNDLE_PATH,
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

/** Builds with search (and the sitemap, for robots.txt), returning what search did. */
async function buildWithSearch(root: string): Promise<SearchStatistics> {
  let statistics: SearchStatistics | undefined;
  const result = await buildProject(root, {
    extensions: [
      searchExtension({ onStatistics: (found) => (statistics = found) }),
      sitemapExtension(),
    ],
  });
  expect(result.ok, JSON.stringify(result.diagnostics)).toBe(true);
  return statistics!;
}

describe('search shards', () => {
  it('puts the newest month in a bundle of its own, in the site time zone', () => {
    const articles = [
      dated('2024-04-30T17:00:00Z'), // 1 May in Shanghai
      dated('2024-04-30T15:00:00Z'), // 30 April in Shanghai
      dated('2023-01-01T00:00:00Z'),
    ];
    const shards = searchShards({ articles }, 'Asia/Shanghai');
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
    const shards = searchShards({ articles }, 'Asia/Shanghai');
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
      'UTC',
    );
    expect(shards.bundles).toEqual([ARCHIVE_BUNDLE_PATH]);
    expect(searchShards({ articles: [] }, 'UTC').bundles).toEqual([ARCHIVE_BUNDLE_PATH]);
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

    it('writes each bundle as soon as its last article is in, before the older ones', async () => {
      // Pages come newest first: the 2022 article's page is indexed after all of 2023's.
      let writtenBefore2022 = false;
      const watcher = {
        name: 'watcher',
        pageRendered(spec: { article?: Article }, _html: unknown, context: ExtensionContext) {
          if (spec.article?.relativePath === '2022.md')
            writtenBefore2022 = context.output.has('/pagefind-2023/pagefind-entry.json');
        },
      };
      const result = await buildProject(root, {
        extensions: [searchExtension(), watcher as BuildExtension],
      });
      expect(result.ok).toBe(true);
      expect(writtenBefore2022).toBe(true);
      rmSync(path.join(root, 'site'), { recursive: true, force: true });
      rmSync(path.join(root, '.gazette-cache'), { recursive: true, force: true });
    });

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
