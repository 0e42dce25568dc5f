import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RelatedArticles } from '../../src/collect/related.ts';
import { collectSite, type Site } from '../../src/collect/site.ts';
import { defaultConfig } from '../../src/config/schema.ts';
import type { LoadedArticle } from '../../src/model.ts';
import { loadedArticle, transformedBody } from '../helpers.ts';

function siteOf(articles: [string, Partial<LoadedArticle>][]): Site {
  return collectSite(
    articles.map(([file, fields]) => ({
      loaded: loadedArticle(file, fields),
      body: transformedBody(),
    })),
    defaultConfig(),
  );
}

const day = (n: number) => new Date(Date.UTC(2025, 0, 1 + n, 8));

function relatedFiles(related: RelatedArticles, site: Site, file: string): string[] {
  const article = site.articles.find((candidate) => candidate.relativePath === file)!;
  return related.of(article).map((shown) => shown.relativePath);
}

describe('related articles', () => {
  it('are those sharing the most tags and categories, the nearest in time first', () => {
    const site = siteOf([
      ['a.md', { date: day(10), tags: ['rail', 'strikes'], categories: [['World', 'Europe']] }],
      ['both-tags.md', { date: day(1), tags: ['strikes', 'rail'] }],
      ['tag-far.md', { date: day(2), tags: ['rail'] }],
      ['tag-near.md', { date: day(12), tags: ['strikes'] }],
      ['tag-and-category.md', { date: day(3), tags: ['rail'], categories: [['World', 'Europe']] }],
      ['category.md', { date: day(9), categories: [['World', 'Europe', 'France']] }],
      ['parent-category.md', { date: day(10), categories: [['World']] }],
      ['unrelated.md', { date: day(11), tags: ['markets'], categories: [['Business']] }],
    ]);
    expect(relatedFiles(new RelatedArticles(site, 10), site, 'a.md')).toEqual([
      'both-tags.md', // 4
      'tag-and-category.md', // 3
      'tag-near.md', // 2, two days away
      'tag-far.md', // 2, eight days away
      'category.md', // 1: in a sub-category of Europe
    ]);
    expect(relatedFiles(new RelatedArticles(site, 2), site, 'a.md')).toEqual([
      'both-tags.md',
      'tag-and-category.md',
    ]);
    expect(relatedFiles(new RelatedArticles(site, 0), site, 'a.md')).toEqual([]);
    expect(relatedFiles(new RelatedArticles(site, 4), site, 'unrelated.md')).toEqual([]);
    // Its only category is World, which lists every article under it; its neighbours (a.md
    // and category.md) are linked from its page already.
    expect(relatedFiles(new RelatedArticles(site, 4), site, 'parent-category.md')).toEqual([
      'tag-and-category.md',
    ]);
  });

  it('leave out a second copy of a headline, and a tag that names a category counts as one', () => {
    const site = siteOf([
      [
        'a.md',
        {
          title: 'Port strike',
          date: day(20),
          tags: ['Reuters', 'ports'],
          categories: [['Reuters']],
        },
      ],
      // Not its neighbour, which would be left out as one.
      ['between.md', { title: 'Between', date: day(15) }],
      ['copy.md', { title: 'port  STRIKE ', date: day(10), tags: ['ports'] }],
      ['twin-1.md', { title: 'Ships wait', date: day(5), tags: ['ports'] }],
      ['twin-2.md', { title: 'Ships wait', date: day(4), tags: ['ports'] }],
      ['outlet.md', { title: 'Other', date: day(3), tags: ['Reuters'], categories: [['Reuters']] }],
      ['filler-1.md', { title: 'Filler 1', date: day(30) }],
      ['filler-2.md', { title: 'Filler 2', date: day(1) }],
    ]);
    // The tag `Reuters` is its category: `outlet.md` scores one for the category, as much as
    // a tag it shares would give only twice over.
    expect(relatedFiles(new RelatedArticles(site, 4), site, 'a.md')).toEqual([
      'twin-1.md',
      'outlet.md',
    ]);
  });

  it('are chosen among the articles near it in its lists, not among a whole list', () => {
    const articles: [string, Partial<LoadedArticle>][] = [];
    for (let n = 0; n < 60; n++) articles.push([`${n}.md`, { date: day(n), tags: ['daily'] }]);
    const site = siteOf(articles);
    const related = new RelatedArticles(site, 4);
    // Its neighbours, 31 and 29, are linked from its page already.
    expect(relatedFiles(related, site, '30.md')).toEqual(['32.md', '28.md', '33.md', '27.md']);
    // An article far away in the list never reaches it: a rebuild need not look at its page.
    const far = site.articles.find((article) => article.relativePath === '0.md')!;
    const reached = [...related.reachOf([far])].map((article) => article.relativePath);
    expect(reached).toContain('1.md');
    expect(reached).not.toContain('30.md');
  });

  /** Random small sites: dates, tags and nested categories drawn from a few. */
  const TRAILS = [['World'], ['World', 'Europe'], ['World', 'Europe', 'France'], ['Business']];
  const arbitraryArticles = fc.array(
    fc.record({
      day: fc.integer({ min: 0, max: 40 }),
      tags: fc.subarray(['rail', 'strikes', 'energy', 'markets']),
      trails: fc.subarray(TRAILS, { maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 45 },
  );
  const fieldsOf = (article: { day: number; tags: string[]; trails: string[][] }) => ({
    date: day(article.day),
    tags: article.tags,
    categories: article.trails,
  });

  it('can list an article only on the pages of articles its reach names', () => {
    fc.assert(
      fc.property(arbitraryArticles, fc.integer({ min: 1, max: 6 }), (drawn, count) => {
        const site = siteOf(drawn.map((article, n) => [`${n}.md`, fieldsOf(article)]));
        const related = new RelatedArticles(site, count);
        for (const article of site.articles)
          for (const shown of related.of(article))
            expect(related.reachOf([shown]).has(article)).toBe(true);
      }),
    );
  });

  it('change for an older article when a newer one is added only by listing it', () => {
    fc.assert(
      fc.property(arbitraryArticles, fc.integer({ min: 1, max: 6 }), (drawn, count) => {
        const before = siteOf(drawn.map((article, n) => [`${n}.md`, fieldsOf(article)]));
        const newest = { ...drawn[0]!, day: 50 };
        const after = siteOf([
          ...drawn.map((article, n): [string, Partial<LoadedArticle>] => [
            `${n}.md`,
            fieldsOf(article),
          ]),
          ['newest.md', fieldsOf(newest)],
        ]);
        const relatedBefore = new RelatedArticles(before, count);
        const relatedAfter = new RelatedArticles(after, count);
        for (const article of before.articles) {
          const was = relatedFiles(relatedBefore, before, article.relativePath);
          const is = relatedFiles(relatedAfter, after, article.relativePath);
          if (is.join() !== was.join()) expect(is).toContain('newest.md');
        }
      }),
    );
  });
});

describe('related articles after an article is replaced in place', () => {
  it('are chosen again where it may be listed, with the new version', () => {
    const articles: [string, Partial<LoadedArticle>][] = [];
    for (let n = 0; n < 12; n++) articles.push([`${n}.md`, { date: day(n), tags: ['daily'] }]);
    const site = siteOf(articles);
    const related = new RelatedArticles(site, 4);
    const four = site.articles.find((article) => article.relativePath === '4.md')!;
    expect(related.of(four).map((shown) => shown.relativePath)).toContain('6.md');
    // The dev server puts a new version of 6.md in every list, as `patchArticle` does.
    const old = site.articles.find((article) => article.relativePath === '6.md')!;
    const fresh = Object.assign(Object.create(Object.getPrototypeOf(old)), old, { title: 'New' });
    for (const list of [site.articles, ...site.tags.map((term) => term.articles)]) {
      const index = list.indexOf(old);
      if (index >= 0) list[index] = fresh;
    }
    related.replaced([fresh]);
    expect(related.of(four)).toContain(fresh);
    expect(related.of(four)).not.toContain(old);
    // Its neighbours, 5 and 7, are linked from its page already.
    expect(related.of(fresh).map((shown) => shown.relativePath)).toEqual([
      '8.md',
      '4.md',
      '9.md',
      '3.md',
    ]);
  });
});
