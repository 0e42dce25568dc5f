import { describe, expect, it } from 'vitest';
import { normalizeSourceUrl, separateDuplicates } from '../../src/collect/duplicates.ts';
import type { LoadedArticle } from '../../src/model.ts';
import { loadedArticle } from '../helpers.ts';

function article(relativePath: string, fields: Partial<LoadedArticle>): LoadedArticle {
  return loadedArticle(relativePath, { title: 'Title', ...fields });
}

describe('separateDuplicates', () => {
  it('merges the same story scraped twice, keeping the first file', () => {
    const { unique, duplicates } = separateDuplicates([
      article('b.md', { title: 'B', sourceUrl: 'https://News.example.com/a/?utm_source=rss' }),
      article('a.md', { title: 'A', sourceUrl: 'http://news.example.com/a' }),
      article('c.md', { title: 'A' }),
    ]);
    expect(unique.map((a) => a.relativePath)).toEqual(['a.md']);
    expect(
      duplicates.map((d) => [d.article.relativePath, d.keptAs.relativePath, d.reason]),
    ).toEqual([
      ['b.md', 'a.md', 'same source URL'],
      ['c.md', 'a.md', 'same title and date'],
    ]);
  });

  it('keeps the most complete copy of a story: the largest file, then the newest', () => {
    const sizes: Record<string, number> = { 'a.md': 2800, 'b.md': 4200, 'c.md': 4200, 'd.md': 10 };
    const { unique, duplicates } = separateDuplicates(
      [
        article('a.md', { sourceUrl: 'https://news.example/s', date: new Date('2020-10-29') }),
        article('b.md', { sourceUrl: 'https://news.example/s', date: new Date('2020-11-20') }),
        article('c.md', { sourceUrl: 'https://news.example/s', date: new Date('2020-11-27') }),
        article('d.md', { title: 'Other', sourceUrl: 'https://news.example/t' }),
      ],
      (copy) => sizes[copy.relativePath]!,
    );
    expect(unique.map((a) => a.relativePath)).toEqual(['c.md', 'd.md']);
    expect(duplicates.map((d) => [d.article.relativePath, d.keptAs.relativePath])).toEqual([
      ['b.md', 'c.md'],
      ['a.md', 'c.md'],
    ]);
  });

  it('does not merge articles whose "source" is an outlet name, not a URL', () => {
    const { unique } = separateDuplicates([
      article('a.md', { title: 'One', sourceUrl: '新华社' }),
      article('b.md', { title: 'Two', sourceUrl: '新华社' }),
    ]);
    expect(unique).toHaveLength(2);
  });

  it('tells hash-routed pages apart', () => {
    const { unique } = separateDuplicates([
      article('a.md', { title: 'One', sourceUrl: 'https://spa.example.gov.cn/#/news/1001' }),
      article('b.md', { title: 'Two', sourceUrl: 'https://spa.example.gov.cn/#/news/1002' }),
    ]);
    expect(unique).toHaveLength(2);
  });

  it('keeps same-titled articles of one day from two different sources', () => {
    const { unique } = separateDuplicates([
      article('a.md', { title: '每日简报', sourceUrl: 'https://one.example.com/daily' }),
      article('b.md', { title: '每日简报', sourceUrl: 'https://two.example.com/daily' }),
    ]);
    expect(unique).toHaveLength(2);
  });
});

describe('normalizeSourceUrl', () => {
  it.each([
    ['https://Example.com/a/?utm_source=x#top', 'example.com/a'],
    ['https://example.com/#!/item/3', 'example.com#!/item/3'],
    ['https://example.com/%e4%b8%ad', 'example.com/%E4%B8%AD'],
    ['https://example.com/中', 'example.com/%E4%B8%AD'],
    ['新华社', undefined],
    ['javascript:alert(1)', undefined],
  ])('%s → %s', (input, expected) => {
    expect(normalizeSourceUrl(input)).toBe(expected);
  });
});
