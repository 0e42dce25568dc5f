import { readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { build, type CollectedStages } from '../../src/build.ts';
import { ArchivedCopies } from '../../src/collect/archived-copies.ts';
import { RelatedArticles } from '../../src/collect/related.ts';
import { collectSite, type Site } from '../../src/collect/site.ts';
import type { SiteConfig } from '../../src/config/schema.ts';
import { affectedPages, pageFingerprints, siteSignature } from '../../src/dev/affected.ts';
import { contentChangedSince } from '../../src/dev/dev-server.ts';
import { applyContentChanges, type SiteState, stateFromBuild } from '../../src/dev/site-state.ts';
import type { Article } from '../../src/model.ts';
import { articleText, makeDevProject } from './helpers.ts';

/** Twelve articles, one a day, in two categories; three per index page. */
function project(config = ''): string {
  const articles: Record<string, string> = {};
  for (let day = 1; day <= 12; day++) {
    articles[`story-${day}.md`] = articleText(`Story ${day}`, {
      date: `2025-03-${String(day).padStart(2, '0')} 09:00:00`,
      categories: day % 2 === 0 ? ['World', 'Europe'] : ['Culture'],
      tags: day === 5 ? ['museums', 'night'] : ['transport'],
      author: day % 3 === 0 ? 'Daniel Okafor' : 'Jane Whitfield',
    });
  }
  return makeDevProject(articles, `pageSize: 3\nsearch:\n  enabled: false\n${config}`);
}

function fingerprintsOf(site: Site, config: SiteConfig, showing?: ReadonlySet<Article>) {
  return pageFingerprints(
    site,
    config,
    new RelatedArticles(site, config.relatedArticles),
    new ArchivedCopies(site, config.archivedLinks),
    showing,
  );
}

async function stateOf(root: string): Promise<SiteState> {
  let stages: CollectedStages | undefined;
  const result = await build({
    root,
    extensions: [],
    onCollected: (collected) => {
      stages = collected;
    },
  });
  return stateFromBuild(stages!, result.diagnostics);
}

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** Edits a file, applies the change, and says which pages must be rendered again. */
async function change(root: string, edit: (file: (name: string) => string) => string[]) {
  const state = await stateOf(root);
  const before = fingerprintsOf(state.site, state.project.config);
  const signature = siteSignature(state.site);
  const files = edit((name) => path.join(root, 'content', name));
  const update = await applyContentChanges(state, files);
  const after = fingerprintsOf(update.state.site, state.project.config);
  const affected = affectedPages(before, after);
  return {
    ...affected,
    stale: affected.stale.sort(),
    update,
    sameSignature: signature === siteSignature(update.state.site),
    /** The fingerprints of the same content collected from scratch. */
    fresh: fingerprintsOf(
      collectSite(
        [...update.state.inputs.values()].filter((input) =>
          update.state.site.articles.some((a) => a.relativePath === input.loaded.relativePath),
        ),
        state.project.config,
      ),
      state.project.config,
    ),
    after,
  };
}

describe('pages affected by a change', () => {
  it('an edited title re-renders its page, its neighbours and the index pages that list it', async () => {
    const root = project();
    roots.push(root);
    const result = await change(root, (file) => {
      const text = readFileSync(file('story-5.md'), 'utf8');
      writeFileSync(file('story-5.md'), text.replace('title: "Story 5"', 'title: "Story five"'));
      return [file('story-5.md')];
    });
    expect(result.update.recollected).toBe(false);
    expect(result.sameSignature).toBe(true);
    expect(result.removed).toEqual([]);
    // Newest first: story 5 is 8th of 12, on home page 3 (stories 6, 5, 4).
    expect(result.stale).toEqual(
      [
        '/2025/03/04/story-4/',
        '/2025/03/05/story-5/',
        '/2025/03/06/story-6/',
        '/page/3/',
        '/categories/culture/page/2/',
        '/authors/jane-whitfield/page/2/',
        '/tags/museums/',
        '/tags/night/',
        '/archives/2025/page/3/',
        '/archives/2025/03/page/3/',
      ].sort(),
    );
    // Patching in place gives exactly what collecting from scratch gives, body included.
    expect([...result.after]).toEqual([...result.fresh]);
    const patched = result.update.patched[0]!;
    expect(patched.title).toBe('Story five');
    expect(patched.html).toContain('<p>');
    expect(patched.html).toBe(result.update.state.inputs.get(patched.relativePath)!.body.html);
    // The pages showing the patched article are found without fingerprinting the whole site:
    // those and the pages of articles that may list it as related, as they are.
    const showing = fingerprintsOf(
      result.update.state.site,
      result.update.state.project.config,
      new Set(result.update.patched),
    );
    expect([...showing.keys()]).toEqual(expect.arrayContaining(result.stale));
    for (const [sitePath, fingerprint] of showing)
      expect(fingerprint).toBe(result.after.get(sitePath));
  });

  it('an edited title re-renders the pages listing it among related articles', async () => {
    const root = project();
    roots.push(root);
    const result = await change(root, (file) => {
      const text = readFileSync(file('story-4.md'), 'utf8');
      writeFileSync(file('story-4.md'), text.replace('title: "Story 4"', 'title: "Story four"'));
      return [file('story-4.md')];
    });
    expect(result.update.recollected).toBe(false);
    const { site, project: project_ } = result.update.state;
    const related = new RelatedArticles(site, project_.config.relatedArticles);
    const listing = site.articles
      .filter((article) => related.of(article).some((shown) => shown.title === 'Story four'))
      .map((article) => article.path);
    // Stories 2, 6 and 8 share its category and tag; not only its neighbours.
    expect(listing).toEqual(
      expect.arrayContaining([
        '/2025/03/02/story-2/',
        '/2025/03/06/story-6/',
        '/2025/03/08/story-8/',
      ]),
    );
    expect(result.stale).toEqual(expect.arrayContaining(listing));
    expect([...result.after]).toEqual([...result.fresh]);
  });

  it('an article given layout: page is collected again, as a page of the site', async () => {
    const root = project();
    roots.push(root);
    const result = await change(root, (file) => {
      const text = readFileSync(file('story-4.md'), 'utf8');
      writeFileSync(file('story-4.md'), text.replace('---\n', '---\nlayout: page\n'));
      return [file('story-4.md')];
    });
    expect(result.update.recollected).toBe(true);
    expect(result.update.state.site.pages.map((page) => page.relativePath)).toEqual(['story-4.md']);
    expect(result.removed).toContain('/2025/03/04/story-4/');
  });

  it('an article whose date moves it re-renders the index pages it left and joined', async () => {
    const root = project();
    roots.push(root);
    const result = await change(root, (file) => {
      const text = readFileSync(file('story-2.md'), 'utf8');
      writeFileSync(file('story-2.md'), text.replace('2025-03-02', '2025-03-20'));
      return [file('story-2.md')];
    });
    expect(result.update.recollected).toBe(true);
    expect(result.removed).toEqual(['/2025/03/02/story-2/']);
    expect(result.stale).toContain('/2025/03/20/story-2/');
    expect(result.stale).toContain('/');
    expect(result.stale).toContain('/2025/03/12/story-12/');
    expect(result.stale).toContain('/2025/03/01/story-1/');
    expect(result.stale).toContain('/2025/03/03/story-3/');
    // Culture (odd days) neither lists story 2 nor changed.
    expect(result.stale.filter((page) => page.startsWith('/categories/culture/'))).toEqual([]);
  });

  it('a new article updates every index that lists it, and their counts', async () => {
    const root = project();
    roots.push(root);
    const result = await change(root, (file) => {
      writeFileSync(
        file('story-13.md'),
        articleText('Story 13', {
          date: '2025-03-13 09:00:00',
          categories: ['Culture'],
          tags: ['night'],
        }),
      );
      return [file('story-13.md')];
    });
    expect(result.removed).toEqual([]);
    for (const page of [
      '/2025/03/13/story-13/',
      '/2025/03/12/story-12/',
      '/',
      '/page/5/',
      '/categories/',
      '/categories/culture/',
      '/tags/night/',
      '/tags/',
      '/archives/',
    ])
      expect(result.stale).toContain(page);
    expect(result.stale.filter((page) => page.startsWith('/categories/world/'))).toEqual([]);
    expect(result.stale).not.toContain('/2025/03/11/story-11/');
  });

  it('with stable page numbering, a new article leaves the numbered pages as they were', async () => {
    const root = project('pageNumbering: stable\n');
    roots.push(root);
    const result = await change(root, (file) => {
      writeFileSync(
        file('story-13.md'),
        articleText('Story 13', { date: '2025-03-13 09:00:00', categories: ['Culture'] }),
      );
      return [file('story-13.md')];
    });
    expect(result.stale).toContain('/');
    expect(result.stale).toContain('/categories/culture/');
    // Home: twelve articles then thirteen in pages of three, blocks 3, 2, 1 as they were;
    // Culture: six then seven, block 1 as it was.
    expect(result.after.has('/page/3/')).toBe(true);
    const numbered = result.stale.filter((page) => /^\/(categories\/culture\/)?page\//.test(page));
    expect(numbered, String(result.stale)).toEqual([]);
    expect(result.after).toEqual(result.fresh);
  });

  it('a new month gives the search page another bundle to merge', async () => {
    const root = project();
    roots.push(root);
    // Search on (the index itself is not built here: the dev state has no extensions).
    writeFileSync(
      path.join(root, 'gazette.config.yml'),
      readFileSync(path.join(root, 'gazette.config.yml'), 'utf8').replace(
        'enabled: false',
        'enabled: true',
      ),
    );
    const result = await change(root, (file) => {
      writeFileSync(file('april.md'), articleText('April', { date: '2025-04-02 09:00:00' }));
      return [file('april.md')];
    });
    expect(result.stale).toContain('/search/');
  });

  it('a deleted article removes its page and the tag only it had', async () => {
    const root = project();
    roots.push(root);
    const result = await change(root, (file) => {
      unlinkSync(file('story-5.md'));
      return [file('story-5.md')];
    });
    expect(result.removed.sort()).toEqual(
      ['/2025/03/05/story-5/', '/tags/museums/', '/tags/night/'].sort(),
    );
    expect(result.stale).toContain('/2025/03/04/story-4/');
    expect(result.stale).toContain('/2025/03/06/story-6/');
    expect(result.stale).toContain('/tags/');
  });

  it('broken front matter keeps the last good version and reports the file', async () => {
    const root = project();
    roots.push(root);
    const result = await change(root, (file) => {
      writeFileSync(file('story-7.md'), '---\n: :\n---\n');
      return [file('story-7.md')];
    });
    expect(result.stale).toEqual([]);
    expect(result.removed).toEqual([]);
    expect([...result.update.state.contentErrors.keys()]).toEqual(['story-7.md']);
  });
});

describe('content changes in the dev server', () => {
  it('does not follow a symbolic link out of the content folder', async () => {
    const root = project();
    roots.push(root);
    const state = await stateOf(root);
    const secret = path.join(root, 'secret.md');
    writeFileSync(
      secret,
      articleText('Secret', { date: '2025-03-20 09:00:00', categories: ['Culture'] }),
    );
    const link = path.join(root, 'content', 'leak.md');
    symlinkSync(secret, link);
    const update = await applyContentChanges(state, [link]);
    expect(update.state.loaded.has('leak.md')).toBe(false);
    expect(update.state.site.articles.some((article) => article.title === 'Secret')).toBe(false);
    expect(update.diagnostics).toEqual([
      expect.objectContaining({ file: 'leak.md', severity: 'warning' }),
    ]);
  });
});

describe('catching up after the first build', () => {
  it('finds files added, changed or removed while the first build ran', async () => {
    const root = project();
    roots.push(root);
    const state = await stateOf(root);
    const since = Date.now();
    const added = path.join(root, 'content', 'late.md');
    writeFileSync(
      added,
      articleText('Late', { date: '2025-03-21 09:00:00', categories: ['Culture'] }),
    );
    unlinkSync(path.join(root, 'content', 'story-2.md'));
    const changed = contentChangedSince(state.project, state, since)
      .map((file) => path.basename(file))
      .sort();
    expect(changed).toEqual(['late.md', 'story-2.md']);
  });
});
