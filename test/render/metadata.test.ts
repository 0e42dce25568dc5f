import { describe, expect, it } from 'vitest';
import { UrlBuilder } from '../../src/collect/urls.ts';
import { pageMetadata } from '../../src/render/metadata.ts';
import type { PageSpec } from '../../src/render/pages.ts';
import type { ArticleView } from '../../src/render/views.ts';

const urls = new UrlBuilder('https://example.org/news/');
const base = {
  siteTitle: 'Site',
  siteDescription: 'About',
  siteLanguage: 'zh-CN',
  description: 'Desc',
  lang: 'zh-CN',
  searchUrl: '/news/search/',
  urls,
};

const article: ArticleView = {
  title: 'A </script> title',
  url: '/news/2022/04/04/a/',
  absoluteUrl: 'https://example.org/news/2022/04/04/a/',
  date: { iso: '2022-04-04T23:12:14+08:00', display: '', year: 2022, month: 4, day: 4 },
  authors: [{ name: '观察者网', url: '/news/authors/x/' }],
  categories: [[{ name: '新媒体', url: '/news/categories/a/' }]],
  tags: [{ name: 't', url: '/news/tags/t/' }],
  cover: { src: '/news/images/c.png', alt: '', width: 800 },
  showCover: true,
  excerpt: '',
  readingMinutes: 1,
  lang: 'zh-CN',
  extra: {},
};

function spec(kind: PageSpec['kind'], sitePath: string, page: PageSpec['page']): PageSpec {
  return { kind, sitePath, template: `${kind}.njk`, page, variables: () => ({}) };
}

describe('pageMetadata', () => {
  it('describes an article with absolute URLs and NewsArticle JSON-LD', () => {
    const meta = pageMetadata({
      ...base,
      spec: spec('article', '/2022/04/04/a/', {
        title: article.title,
        breadcrumbs: article.categories[0],
      }),
      variables: { article },
    });
    expect(meta).toMatchObject({
      ogType: 'article',
      url: 'https://example.org/news/2022/04/04/a/',
      image: { url: 'https://example.org/news/images/c.png', width: 800 },
      twitterCard: 'summary_large_image',
      section: '新媒体',
      tags: ['t'],
    });
    expect(meta.jsonLd[0]).toMatchObject({
      '@type': 'NewsArticle',
      datePublished: '2022-04-04T23:12:14+08:00',
      author: [{ '@type': 'Person', name: '观察者网', url: 'https://example.org/news/authors/x/' }],
    });
    expect(meta.jsonLd[1]).toMatchObject({ '@type': 'BreadcrumbList' });
  });

  it('leaves out the author and image of an article that has none, rather than empty lists', () => {
    const { cover: _cover, ...bare } = article;
    const meta = pageMetadata({
      ...base,
      spec: spec('article', '/2022/04/04/a/', { title: article.title }),
      variables: { article: { ...bare, authors: [], showCover: false } },
    });
    expect(meta.jsonLd[0]).not.toHaveProperty('author');
    expect(meta.jsonLd[0]).not.toHaveProperty('image');
  });

  it('gives the home page WebSite JSON-LD with a search action, and tag pages a trail', () => {
    const home = pageMetadata({
      ...base,
      spec: spec('home', '/', { title: 'Site' }),
      variables: {},
    });
    expect(home.jsonLd[0]).toMatchObject({
      '@type': 'WebSite',
      potentialAction: { '@type': 'SearchAction' },
    });
    const tag = pageMetadata({
      ...base,
      spec: spec('tag', '/tags/t/', { title: 't' }),
      variables: { term: { name: 't', url: '/news/tags/t/' }, articles: [article] },
    });
    expect(tag.jsonLd.map((data) => data['@type'])).toEqual(['CollectionPage', 'BreadcrumbList']);
    expect(tag.image?.url).toBe('https://example.org/news/images/c.png');
  });
});
