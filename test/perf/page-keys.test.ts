import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_EXTENSIONS } from '../../src/pipeline.ts';
import {
  buildProject,
  elements,
  fileForHref,
  generatedProject,
  listFiles,
  makeProject,
  readPage,
  textOf,
} from '../helpers.ts';

// Small pages, so that an article is on the second or third page of its lists.
const CONFIG = 'title: Page keys\npageSize: 4\nsearch:\n  enabled: false\n';
// For counts of pages keyed: related articles key the pages of the articles near an edited
// one too (see 'related articles' below).
const UNRELATED = `${CONFIG}relatedArticles: 0\n`;

function snapshot(outDir: string): Map<string, string> {
  return new Map(
    listFiles(outDir).map((file) => [file, readFileSync(path.join(outDir, file), 'utf8')]),
  );
}

/** A cold build (no cache, no previous site) of the same content, for comparison. */
async function coldBuildOf(root: string, config = CONFIG): Promise<Map<string, string>> {
  const other = makeProject({}, config);
  rmSync(path.join(other, 'content'), { recursive: true, force: true });
  cpSync(path.join(root, 'content'), path.join(other, 'content'), {
    recursive: true,
    preserveTimestamps: true,
  });
  const result = await buildProject(other);
  expect(result.ok).toBe(true);
  return snapshot(result.outDir);
}

/** 36 generated articles, written an hour ago (files younger than 3 s are read again). */
function agedCorpus(seed: number, config = CONFIG): { root: string; files: string[] } {
  return generatedProject({ count: 36, seed, config });
}

type Edit = (text: string, index: number) => string | undefined;

/** Edits as people and scrapers make them; undefined deletes the file. */
const EDITS: Record<string, Edit> = {
  'a correction to the body': (text, index) =>
    text.replace('</div>', `<p>Correction ${index}.</p></div>`),
  'a new headline': (text, index) =>
    text.replace(/^title: .*$/m, `title: 'Headline rewritten ${index}'`),
  'another date': (text, index) =>
    text.replace(/^date: .*$/m, `date: 2020-0${1 + (index % 9)}-11T08:00:00Z`),
  'another category': (text) =>
    text.replace(/^categories:[\s\S]*?(?=^\w)/m, 'categories:\n - 新闻\n - 国际\n'),
  'another author': (text, index) => text.replace(/^author: .*$/m, `author: 记者${index % 3}`),
  'a tag more': (text, index) => text.replace(/^tags: .*$/m, `tags: [更正, t${index % 2}]`),
  deleted: () => undefined,
};

const COLUMNIST = '专栏作者';

/**
 * Articles as scrapers add them: the newest, in known or new terms; and one backdated (which
 * moves older pages, so every key is worked out again). Each is in the largest top category,
 * so that the menu (ordered by size) stays as it is.
 */
const ADDITIONS: Record<string, (text: string, day: number) => string> = {
  'a newest article in known terms': (text) => text,
  'a newest article with a new tag': (text, day) =>
    text.replace(/^tags: .*$/m, `tags: [全新${day}]`),
  'a newest article in a new category': (text, day) =>
    text.replace(/^(categories:\n - .*\n)/m, `$1 - 栏目${day}\n`),
  'a newest article giving a columnist a profile': (text) =>
    text.replace(
      /^author: (.*)$/m,
      `author:\n  name: ${COLUMNIST}\n  url: https://example.org/profile`,
    ),
  'a backdated article': (text) => text.replace(/^date: .*$/m, 'date: 2021-06-15T08:00:00Z'),
};

describe('page keys known without working them out', () => {
  for (const numbering of ['newest-first', 'stable']) {
    it(`give the same site as a cold build, whatever was edited or added (${numbering})`, async () => {
      // A theme showing an author's profile on their pages (the default shows none), in a
      // folder outside the project, so that the cold builds use it from the same place.
      const theme = mkdtempSync(path.join(os.tmpdir(), 'gazette-theme-'));
      writeFileSync(
        path.join(theme, 'author.njk'),
        '{% extends "base.njk" %}{% block main %}<p>{{ term.name }} {{ term.href }}</p>{% include "partials/article-list.njk" %}{% endblock %}',
      );
      const config = `${CONFIG}pageNumbering: ${numbering}\ntemplatesDir: ${JSON.stringify(theme)}\n`;
      const { root, files } = agedCorpus(11, config);
      // A columnist with enough articles for numbered pages (the generated authors have few).
      for (const file of files.slice(0, 10)) {
        const absolute = path.join(root, 'content', file);
        const text = readFileSync(absolute, 'utf8').replace(
          /^author: .*$/m,
          `author: ${COLUMNIST}`,
        );
        writeFileSync(absolute, text);
        utimesSync(absolute, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
      }
      let top = '';
      const first = await buildProject(root, {
        onCollected: ({ site }) => {
          top = site.categoryRoots[0]!.name;
        },
      });
      expect(first.ok).toBe(true);

      let index = 0;
      for (const [name, edit] of Object.entries(EDITS)) {
        // Two files per edit: one on the first pages of its lists, one deeper.
        for (const file of [
          files[index % files.length]!,
          files[(index * 7 + 20) % files.length]!,
        ]) {
          index++;
          const absolute = path.join(root, 'content', file);
          let text: string;
          try {
            text = readFileSync(absolute, 'utf8');
          } catch {
            continue; // deleted by an earlier edit
          }
          const edited = edit(text, index);
          if (edited === undefined) rmSync(absolute);
          else writeFileSync(absolute, edited);
        }
        const result = await buildProject(root);
        expect(result.ok, name).toBe(true);
        expect(snapshot(result.outDir), name).toEqual(await coldBuildOf(root, config));
      }

      mkdirSync(path.join(root, 'content', 'added'), { recursive: true });
      let day = 0;
      for (const [name, add] of Object.entries(ADDITIONS)) {
        day++;
        const source = readFileSync(path.join(root, 'content', files[day * 5]!), 'utf8')
          .replace(/^title: .*$/m, `title: 'Added ${day}'`)
          .replace(/^date: .*$/m, `date: 2031-01-0${day}T08:00:00Z`)
          .replace(/^categories:[\s\S]*?(?=^\w)/m, `categories:\n - ${top}\n`);
        writeFileSync(path.join(root, 'content', 'added', `${day}.md`), add(source, day));
        const result = await buildProject(root);
        expect(result.ok, name).toBe(true);
        expect(snapshot(result.outDir), name).toEqual(await coldBuildOf(root, config));
        // New tags and authors are new terms, which move no older term's URL.
        if (
          name === 'a newest article in known terms' ||
          name === 'a newest article with a new tag'
        )
          expect(result.cache.pagesKeyed, name).toBeLessThan(first.cache.pagesKeyed / 2);
      }
    });
  }

  it('are worked out only for pages showing an edited article when the structure is the same', async () => {
    const { root, files } = agedCorpus(12, UNRELATED);
    const first = await buildProject(root);
    const pages = first.cache.pagesKeyed;
    expect(pages).toBeGreaterThan(60);

    const file = path.join(root, 'content', files[9]!);
    writeFileSync(file, EDITS['a correction to the body']!(readFileSync(file, 'utf8'), 1)!);
    const second = await buildProject(root);
    // Its page, its two neighbours', its home, category, author, tag and archive pages and
    // the few pages that do not say what they show.
    expect(second.cache.pagesKeyed).toBeGreaterThan(3);
    expect(second.cache.pagesKeyed).toBeLessThan(20);
    expect(second.cache.pagesRendered).toBeLessThan(second.cache.pagesKeyed);

    // A build whose site is not written (a template error) leaves a cache newer than the
    // site: the next build cannot tell what changed since the site, and keys every page.
    writeFileSync(file, EDITS['a correction to the body']!(readFileSync(file, 'utf8'), 2)!);
    mkdirSync(path.join(root, 'templates'), { recursive: true });
    writeFileSync(path.join(root, 'templates', 'article.njk'), '{{ broken( }}');
    expect((await buildProject(root)).ok).toBe(false);
    rmSync(path.join(root, 'templates'), { recursive: true });
    const third = await buildProject(root);
    expect(third.ok).toBe(true);
    expect(third.cache.pagesKeyed).toBe(pages);
    expect(snapshot(third.outDir)).toEqual(await coldBuildOf(root, UNRELATED));
    expect(readdirSync(third.outDir).length).toBeGreaterThan(0);
  });
});

describe('stable page numbering', () => {
  const STABLE = `${UNRELATED}pageNumbering: stable\n`;

  /** Numbered list pages (`…/page/N/index.html`) whose bytes differ between two builds. */
  function changedNumberedPages(before: Map<string, string>, after: Map<string, string>) {
    return [...after].filter(
      ([file, text]) => /\/?page\/\d+\/index\.html$/.test(file) && before.get(file) !== text,
    );
  }

  /**
   * Adds an article dated after every other one, as a scraper adds the news, in the largest
   * top category (so that the menu, ordered by size, stays as it is).
   */
  function addNewest(root: string, category: string, day: number): void {
    mkdirSync(path.join(root, 'content', 'added'), { recursive: true });
    writeFileSync(
      path.join(root, 'content', 'added', `${day}.md`),
      `---\ntitle: 'Added ${day}'\ncategories:\n - ${category}\nauthor: 观察者网\ndate: 2031-01-${String(day).padStart(2, '0')}T08:00:00Z\n---\n<p>Added on day ${day}.</p>\n`,
    );
  }

  async function firstBuild(root: string) {
    let top = '';
    const result = await buildProject(root, {
      onCollected: ({ site }) => {
        top = site.categoryRoots[0]!.name;
      },
    });
    return { before: snapshot(result.outDir), top };
  }

  it('rewrites a few numbered pages per added article, and gives the site a cold build gives', async () => {
    const { root } = agedCorpus(13, STABLE);
    let { before, top } = await firstBuild(root);
    const lists = new Set<string>();
    // Five additions to one category with pages of four: blocks are made on the way.
    for (let day = 1; day <= 5; day++) {
      addNewest(root, top, day);
      const result = await buildProject(root);
      expect(result.ok).toBe(true);
      const after = snapshot(result.outDir);
      expect(after).toEqual(await coldBuildOf(root, STABLE));
      // Its page, its neighbour's, the first pages of its lists, new blocks and the indexes
      // of terms: not the blocks that show what they showed (bytes alone would not tell).
      expect(result.cache.pagesRendered).toBeLessThanOrEqual(16);
      const changed = changedNumberedPages(before, after).map(([file]) => file);
      // Per list, at most the three newest blocks and a new one.
      const perList = new Map<string, number>();
      for (const file of changed) {
        const list = file.replace(/page\/\d+\/index\.html$/, '');
        lists.add(list);
        perList.set(list, (perList.get(list) ?? 0) + 1);
      }
      for (const [list, count] of perList)
        expect(count, `${list}: ${changed}`).toBeLessThanOrEqual(4);
      before = after;
    }
    // The home page's and the category's lists did grow new blocks.
    expect(lists.has('')).toBe(true);

    // The same additions with pages numbered from the newest move every numbered page.
    const newestFirst = agedCorpus(13).root;
    const old = await firstBuild(newestFirst);
    addNewest(newestFirst, old.top, 1);
    const moved = changedNumberedPages(
      old.before,
      snapshot((await buildProject(newestFirst)).outDir),
    );
    expect(moved.length).toBeGreaterThan(8);
  });

  it("chains every article of a list once, newest to oldest, through the pages' links", async () => {
    const { root } = agedCorpus(14, STABLE);
    const result = await buildProject(root);
    const seen: string[] = [];
    let file: string | undefined = 'index.html';
    const pages: string[] = [];
    while (file) {
      pages.push(file);
      const tree = readPage(result.outDir, file);
      for (const title of elements(tree, (element) =>
        String(element.properties.className).includes('card__title'),
      ))
        seen.push(textOf(title));
      const older = elements(
        tree,
        (element) => element.tagName === 'a' && String(element.properties.rel) === 'next',
      )[0];
      file = older ? fileForHref(String(older.properties.href), '/') : undefined;
    }
    // 36 articles in pages of four: blocks 8 … 1 and the first page, with the newest four.
    expect(pages[1]).toBe('page/8/index.html');
    expect(pages.at(-1)).toBe('page/1/index.html');
    expect(seen).toHaveLength(36);
    expect(new Set(seen).size).toBe(36);
    const home = readPage(result.outDir, 'index.html');
    expect(elements(home, (element) => element.tagName === 'article')).toHaveLength(4);
    // A block shows no count that a new article would change.
    const block = readFileSync(path.join(result.outDir, 'page/3/index.html'), 'utf8');
    expect(block).not.toContain('site-updated');
    expect(readFileSync(path.join(result.outDir, 'index.html'), 'utf8')).toContain('site-updated');
    const validator = new HtmlValidate({
      extends: ['html-validate:standard'],
      rules: { 'no-inline-style': 'off', 'long-title': 'off', 'no-trailing-whitespace': 'off' },
    });
    for (const file of pages) {
      const report = await validator.validateString(
        readFileSync(path.join(result.outDir, file), 'utf8'),
        file,
      );
      expect(report.results.flatMap((each) => each.messages.map((m) => m.message))).toEqual([]);
    }
  });
});

describe('the build date', () => {
  for (const numbering of ['newest-first', 'stable']) {
    it(`is on no page whose key lacks it, however a theme shows it (${numbering})`, async () => {
      // `site | dump` shows the date without naming `buildDate`, which would key every page.
      const theme = mkdtempSync(path.join(os.tmpdir(), 'gazette-theme-'));
      const anHourAgo = new Date(Date.now() - 3_600_000);
      for (const template of ['article.njk', 'category.njk']) {
        const file = path.join(theme, template);
        writeFileSync(
          file,
          '{% extends "base.njk" %}{% block main %}<pre>{{ site | dump }}</pre>{% endblock %}',
        );
        // Not just written: a template that may still change within its time's tick has
        // every page made again, which would hide what this test looks for.
        utimesSync(file, anHourAgo, anHourAgo);
      }
      const config = `${CONFIG}pageNumbering: ${numbering}\ntemplatesDir: ${JSON.stringify(theme)}\n`;
      const { root, files } = agedCorpus(21, config);
      let top = '';
      const first = await buildProject(root, {
        onCollected: ({ site }) => {
          top = site.categoryRoots[0]!.name;
        },
      });
      expect(first.ok).toBe(true);
      // Newer than all, in the largest category (a change to the menu keys every page anyway).
      writeFileSync(
        path.join(root, 'content', 'zz-newest.md'),
        readFileSync(path.join(root, 'content', files[3]!), 'utf8')
          .replace(/^title: .*$/m, `title: 'Newest of all'`)
          .replace(/^date: .*$/m, 'date: 2031-01-01T08:00:00Z')
          .replace(/^categories:[\s\S]*?(?=^\w)/m, `categories:\n - ${top}\n`),
      );
      const next = await buildProject(root);
      expect(next.ok).toBe(true);
      expect(snapshot(next.outDir)).toEqual(await coldBuildOf(root, config));
      rmSync(theme, { recursive: true, force: true });
    });
  }
});

describe('page keys and extensions', () => {
  it('are not all worked out after a build with an extension that leaves pages alone', async () => {
    const { root, files } = agedCorpus(15, UNRELATED);
    const watcher = { name: 'dev-server', finish: () => undefined };
    await buildProject(root, { extensions: [...BUILT_IN_EXTENSIONS, watcher] });
    const file = path.join(root, 'content', files[9]!);
    writeFileSync(file, EDITS['a correction to the body']!(readFileSync(file, 'utf8'), 1)!);
    const next = await buildProject(root);
    expect(next.cache.pagesKeyed).toBeLessThan(20);
  });

  it('are all worked out when an extension links feeds that may change on their own', async () => {
    const article = (title: string, date: string) =>
      `---\ntitle: ${title}\ndate: ${date}\n---\n<p>${title} body</p>\n`;
    const root = makeProject(
      {
        'a.md': article('Alpha', '2024-01-01'),
        'b.md': article('Beta', '2024-01-02'),
        'c.md': article('Gamma', '2024-01-03'),
        'd.md': article('Delta', '2024-01-04'),
      },
      'title: T\nsearch:\n  enabled: false\n',
    );
    let label = 'ONE';
    const podcast = {
      name: 'podcast',
      feedsFor: () => [
        { type: 'application/rss+xml', title: `Podcast ${label}`, sitePath: '/podcast.xml' },
      ],
    };
    await buildProject(root, { extensions: [podcast] });
    label = 'TWO';
    // An edit to the newest article, so that the build runs instead of replaying the last
    // one: the oldest article's page shows neither it nor a neighbour of it.
    writeFileSync(
      path.join(root, 'content', 'd.md'),
      `${article('Delta', '2024-01-04')}<p>More.</p>\n`,
    );
    const second = await buildProject(root, { extensions: [podcast] });
    const pages = listFiles(second.outDir).filter((file) => file.endsWith('.html'));
    const stale = pages.filter((file) =>
      readFileSync(path.join(second.outDir, file), 'utf8').includes('Podcast ONE'),
    );
    expect(stale).toEqual([]);
  });
});

describe('feeds kept by their keys', () => {
  it("follow an untitled article's file when it is renamed, as its title comes from the name", async () => {
    const config = 'title: T\nbaseUrl: https://example.org/\nsearch:\n  enabled: false\n';
    const root = makeProject(
      {
        'old-name.md':
          '---\nslug: kept-slug\nauthor: Alice\ndate: 2023-05-01T08:00:00Z\n---\n<p>No title here.</p>\n',
        'other.md':
          '---\ntitle: Other\nauthor: Bob\ndate: 2023-05-02T08:00:00Z\n---\n<p>Other.</p>\n',
      },
      config,
    );
    const anHourAgo = new Date(Date.now() - 3_600_000);
    for (const file of ['old-name.md', 'other.md', '../gazette.config.yml'])
      utimesSync(path.join(root, 'content', file), anHourAgo, anHourAgo);
    expect((await buildProject(root)).ok).toBe(true);
    const from = path.join(root, 'content', 'old-name.md');
    cpSync(from, path.join(root, 'content', 'new-name.md'), { preserveTimestamps: true });
    rmSync(from);
    const result = await buildProject(root);
    const feed = readFileSync(path.join(result.outDir, 'authors', 'alice', 'atom.xml'), 'utf8');
    expect(feed).toContain('new-name');
    expect(feed).not.toContain('old-name');
    expect(snapshot(result.outDir)).toEqual(await coldBuildOf(root, config));
  });
});

describe('related articles', () => {
  /** Each article page's related links, as output files. */
  function relatedLinks(outDir: string): Map<string, string[]> {
    const links = new Map<string, string[]>();
    for (const file of listFiles(outDir)) {
      if (!file.endsWith('index.html')) continue;
      const tree = readPage(outDir, file);
      const aside = elements(tree, (element) =>
        String(element.properties.className ?? '').includes('related'),
      )[0];
      if (!aside) continue;
      links.set(
        file,
        elements({ type: 'root', children: [aside] }, (element) => element.tagName === 'a').map(
          (link) => fileForHref(String(link.properties.href), '/')!,
        ),
      );
    }
    return links;
  }

  it('follow an edited headline onto the pages listing it, keying only the pages it can reach', async () => {
    const { root } = agedCorpus(16);
    const fileOfPage = new Map<string, string>();
    const first = await buildProject(root, {
      onCollected: ({ site }) => {
        for (const article of site.articles)
          fileOfPage.set(`${article.path.slice(1)}index.html`, article.relativePath);
      },
    });
    expect(first.ok).toBe(true);
    const links = relatedLinks(first.outDir);
    expect(links.size).toBeGreaterThan(10);
    // The article listed as related on the most pages.
    const listed = new Map<string, string[]>();
    for (const [page, targets] of links)
      for (const target of targets) listed.set(target, [...(listed.get(target) ?? []), page]);
    const [target, listing] = [...listed].sort((a, b) => b[1].length - a[1].length)[0]!;
    expect(listing.length).toBeGreaterThan(1);

    const absolute = path.join(root, 'content', fileOfPage.get(target)!);
    writeFileSync(absolute, EDITS['a new headline']!(readFileSync(absolute, 'utf8'), 99)!);
    const second = await buildProject(root);
    expect(second.ok).toBe(true);
    for (const page of listing)
      expect(readFileSync(path.join(second.outDir, page), 'utf8'), page).toContain(
        'Headline rewritten 99',
      );
    expect(second.cache.pagesKeyed).toBeLessThan(first.cache.pagesKeyed / 2);
    expect(snapshot(second.outDir)).toEqual(await coldBuildOf(root));
  });
});

describe('links to archived copies', () => {
  it('follow the stories the archive gains and loses, as a cold build makes them', async () => {
    // Term feeds with bodies: the linking article's author's feed does not list the story.
    const config = `${CONFIG}baseUrl: https://example.org/news/\nfeeds:\n  termContent: full\n`;
    // Six older articles, one of them linking to a story not archived yet.
    const { root, files } = generatedProject({ count: 6, seed: 17, config });
    const linking = path.join(root, 'content', files[3]!);
    writeFileSync(
      linking,
      readFileSync(linking, 'utf8').replace(
        '</div>',
        '<p><a href="https://news.example.cn/2031/story.html?utm_source=rss#follow-up">Later</a></p></div>',
      ),
    );
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(linking, anHourAgo, anHourAgo);
    let linkingPage = '';
    const first = await buildProject(root, {
      onCollected: ({ site }) => {
        linkingPage = site.articles.find((article) => linking.endsWith(article.relativePath))!.path;
      },
    });
    expect(first.ok).toBe(true);
    const page = () =>
      readFileSync(path.join(root, 'site', linkingPage.slice(1), 'index.html'), 'utf8');
    expect(page()).toContain(
      'href="https://news.example.cn/2031/story.html?utm_source=rss#follow-up"',
    );

    // A scraper adds the story, newest of all: the old page and feeds now link to the copy.
    writeFileSync(
      path.join(root, 'content', 'story.md'),
      '---\ntitle: The follow-up\ndate: 2031-01-01T08:00:00Z\nlink: http://news.example.cn/2031/story.html\n---\n<p>Text.</p>\n',
    );
    const second = await buildProject(root);
    expect(second.ok).toBe(true);
    expect(page()).toContain('href="/news/2031/01/01/story/#follow-up"');
    expect(second.cache.pagesKeyed).toBeLessThan(first.cache.pagesKeyed);
    expect(snapshot(second.outDir)).toEqual(await coldBuildOf(root, config));
    expect(readFileSync(path.join(second.outDir, 'feed.xml'), 'utf8')).toContain(
      'https://example.org/news/2031/01/01/story/#follow-up',
    );

    // Its source URL corrected: the link goes back out.
    const story = path.join(root, 'content', 'story.md');
    writeFileSync(story, readFileSync(story, 'utf8').replace('story.html', 'story-2.html'));
    const third = await buildProject(root);
    expect(page()).toContain(
      'href="https://news.example.cn/2031/story.html?utm_source=rss#follow-up"',
    );
    expect(snapshot(third.outDir)).toEqual(await coldBuildOf(root, config));

    // Or kept as written, by choice.
    writeFileSync(story, readFileSync(story, 'utf8').replace('story-2.html', 'story.html'));
    writeFileSync(path.join(root, 'gazette.config.yml'), `${config}archivedLinks: false\n`);
    await buildProject(root);
    expect(page()).toContain(
      'href="https://news.example.cn/2031/story.html?utm_source=rss#follow-up"',
    );
  });
});

describe("the site's own pages", () => {
  it('are built, linked from every page, kept out of lists and feeds, and follow edits', async () => {
    const config = `${CONFIG}baseUrl: https://example.org/news/\n`;
    const { root } = generatedProject({ count: 8, seed: 18, config });
    const about = path.join(root, 'content', 'about.md');
    const write = (body: string) =>
      writeFileSync(
        about,
        `---\ntitle: About the archive desk\nlayout: page\nlang: en\naliases: [/old-about/]\nsource: https://news.example.cn/about.html\n---\n\n${body}\n`,
      );
    // An article with the page's source URL is no copy of it.
    writeFileSync(
      path.join(root, 'content', 'same-source.md'),
      '---\ntitle: Same source\ndate: 2020-01-01T08:00:00Z\nsource: https://news.example.cn/about.html\n---\n<p>Story.</p>\n',
    );
    write('We keep the news.');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(about, anHourAgo, anHourAgo);
    const first = await buildProject(root);
    expect(first.ok).toBe(true);
    expect(first.diagnostics.filter((d) => d.file === 'about.md')).toEqual([]);
    const read = (file: string) => readFileSync(path.join(root, 'site', file), 'utf8');
    expect(read('about/index.html')).toContain('We keep the news.');
    expect(read('index.html')).not.toContain('We keep the news.');
    expect(read('feed.xml')).not.toContain('About the archive desk');
    expect(read('sitemap.xml')).toContain('https://example.org/news/about/');
    expect(first.report.duplicates).toEqual([]);
    expect(read('2020/01/01/same-source/index.html')).toContain('Story.');
    expect(read('old-about/index.html')).toContain('/news/about/');
    // Its title in its own language, in a footer in the site's.
    expect(read('index.html')).toContain(
      '<a href="/news/about/" lang="en">About the archive desk</a>',
    );

    write('We keep the news, and correct it.');
    const second = await buildProject(root);
    expect(read('about/index.html')).toContain('and correct it.');
    expect(snapshot(second.outDir)).toEqual(await coldBuildOf(root, config));

    // A second page is linked from every page.
    writeFileSync(
      path.join(root, 'content', 'contact.md'),
      '---\ntitle: Contact\ntype: page\n---\n\nWrite to us.\n',
    );
    const third = await buildProject(root);
    expect(read('index.html')).toContain('href="/news/contact/">Contact</a>');
    expect(snapshot(third.outDir)).toEqual(await coldBuildOf(root, config));
  });
});
