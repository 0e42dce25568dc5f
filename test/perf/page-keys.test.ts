import {
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../scripts/generate-corpus.ts';
import { buildProject, listFiles, makeProject } from '../helpers.ts';

// Small pages, so that an article is on the second or third page of its lists.
const CONFIG = 'title: Page keys\npageSize: 4\nsearch:\n  enabled: false\n';

function snapshot(outDir: string): Map<string, string> {
  return new Map(
    listFiles(outDir).map((file) => [file, readFileSync(path.join(outDir, file), 'utf8')]),
  );
}

/** A cold build (no cache, no previous site) of the same content, for comparison. */
async function coldBuildOf(root: string): Promise<Map<string, string>> {
  const other = makeProject({}, CONFIG);
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
function agedCorpus(seed: number): { root: string; files: string[] } {
  const root = makeProject({}, CONFIG);
  const { files } = generateCorpus({ dir: path.join(root, 'content'), count: 36, seed });
  const anHourAgo = new Date(Date.now() - 3_600_000);
  for (const file of files) utimesSync(path.join(root, 'content', file), anHourAgo, anHourAgo);
  return { root, files };
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

describe('page keys known without working them out', () => {
  it('give the same site as a cold build, whatever was edited', async () => {
    const { root, files } = agedCorpus(11);
    const first = await buildProject(root);
    expect(first.ok).toBe(true);

    let index = 0;
    for (const [name, edit] of Object.entries(EDITS)) {
      // Two files per edit: one on the first pages of its lists, one deeper.
      for (const file of [files[index % files.length]!, files[(index * 7 + 20) % files.length]!]) {
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
      expect(snapshot(result.outDir), name).toEqual(await coldBuildOf(root));
    }
  });

  it('are worked out only for pages showing an edited article when the structure is the same', async () => {
    const { root, files } = agedCorpus(12);
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
    expect(snapshot(third.outDir)).toEqual(await coldBuildOf(root));
    expect(readdirSync(third.outDir).length).toBeGreaterThan(0);
  });
});

describe('page keys and extensions', () => {
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
