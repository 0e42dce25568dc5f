import type { UrlBuilder } from '../collect/urls.ts';
import { interfaceWords } from './interface-words.ts';
import type { PageSpec } from './pages.ts';
import type { ArticleView, LinkView } from './views.ts';

/**
 * What search engines and link previews read of a page: Open Graph, Twitter card and
 * JSON-LD. Built here rather than in a template because it is plain data assembly that
 * every page needs, and Nunjucks is slow at it. Templates print it (`page.meta`).
 */
export interface PageMetadata {
  ogType: 'article' | 'website';
  title: string;
  description: string;
  url: string;
  siteName: string;
  locale: string;
  image?: { url: string; width?: number; height?: number; alt?: string };
  publishedTime?: string;
  modifiedTime?: string;
  section?: string;
  tags: string[];
  twitterCard: 'summary' | 'summary_large_image';
  /** JSON-LD objects, each printed in its own `<script type="application/ld+json">`. */
  jsonLd: Record<string, unknown>[];
  /**
   * The page loads images and media hot-linked from CDNs that refuse a foreign Referer: an
   * article's body (`<video>` posters and `<audio>` have no `referrerpolicy` of their own)
   * and search results' covers.
   */
  noReferrer: boolean;
}

export interface MetadataInput {
  spec: PageSpec;
  variables: Record<string, unknown>;
  siteTitle: string;
  siteDescription: string;
  siteLanguage: string;
  description: string;
  lang: string;
  searchUrl?: string;
  urls: UrlBuilder;
}

export function pageMetadata(input: MetadataInput): PageMetadata {
  const { spec, variables, urls } = input;
  const absolute = (href: string) => absoluteHref(href, urls);
  const canonical = urls.absolute(spec.sitePath);
  const home = urls.absolute('/');
  const labels = interfaceWords(input.siteLanguage);
  const locale = input.lang.replace('-', '_');
  const jsonLd: Record<string, unknown>[] = [];

  let trail: LinkView[] = spec.page.breadcrumbs ?? [];
  const term = variables.term as { name: string; url: string } | undefined;
  if (trail.length === 0 && term && (spec.kind === 'tag' || spec.kind === 'author')) {
    const index = spec.kind === 'tag' ? SITE_INDEX.tags : SITE_INDEX.authors;
    trail = [
      { name: spec.kind === 'tag' ? labels.tags : labels.authors, url: urls.href(index) },
      { name: term.name, url: term.url },
    ];
  }
  const crumbs = [{ '@type': 'ListItem', position: 1, name: labels.home, item: home }];
  for (const crumb of trail) {
    if (crumb.url === urls.href('/')) continue;
    crumbs.push({
      '@type': 'ListItem',
      position: crumbs.length + 1,
      name: crumb.name,
      item: absolute(crumb.url),
    });
  }

  let metadata: PageMetadata;
  const article =
    spec.kind === 'article' ? (variables.article as ArticleView | undefined) : undefined;
  if (article) {
    const image = article.cover
      ? {
          url: absolute(article.cover.src),
          ...(article.cover.width ? { width: article.cover.width } : {}),
          ...(article.cover.height ? { height: article.cover.height } : {}),
          ...(article.cover.alt ? { alt: article.cover.alt } : {}),
        }
      : undefined;
    const section = (article.categories[0] ?? []).map((step) => step.name);
    const tags = article.tags.map((tag) => tag.name);
    jsonLd.push(
      withoutUndefined({
        '@context': 'https://schema.org',
        '@type': 'NewsArticle',
        headline: truncate(article.title, 110),
        description: input.description,
        datePublished: article.date.iso,
        dateModified: (article.updated ?? article.date).iso,
        // Left out, not empty, when the article names none (validators flag `"author": []`).
        author:
          article.authors.length > 0
            ? article.authors.map((author) =>
                withoutUndefined({
                  '@type': 'Person',
                  name: author.name,
                  url: author.url ? absolute(author.url) : undefined,
                  sameAs: author.href,
                }),
              )
            : undefined,
        image: image ? [image.url] : undefined,
        inLanguage: article.lang,
        articleSection: section.length > 0 ? section.join(' › ') : undefined,
        keywords: tags.length > 0 ? tags.join(', ') : undefined,
        isBasedOn: article.sourceUrl,
        mainEntityOfPage: { '@type': 'WebPage', '@id': canonical },
        publisher: { '@type': 'Organization', name: input.siteTitle, url: home },
      }),
    );
    metadata = {
      ogType: 'article',
      title: article.title,
      description: input.description,
      url: canonical,
      siteName: input.siteTitle,
      locale,
      ...(image ? { image } : {}),
      publishedTime: article.date.iso,
      ...(article.updated ? { modifiedTime: article.updated.iso } : {}),
      ...(section[0] ? { section: section[0] } : {}),
      tags,
      twitterCard: image ? 'summary_large_image' : 'summary',
      jsonLd,
      noReferrer: true,
    };
  } else {
    const listed = (variables.articles as ArticleView[] | undefined) ?? [];
    const cover = listed.find((item) => item.cover)?.cover;
    const image = cover ? { url: absolute(cover.src) } : undefined;
    const title =
      spec.kind === 'home' ? input.siteTitle : `${spec.page.title} · ${input.siteTitle}`;
    const pagination = variables.pagination as { first: boolean } | undefined;
    if (spec.kind === 'home' && (pagination?.first ?? true)) {
      jsonLd.push(
        withoutUndefined({
          '@context': 'https://schema.org',
          '@type': 'WebSite',
          name: input.siteTitle,
          url: home,
          description: input.siteDescription,
          inLanguage: input.siteLanguage,
          potentialAction: input.searchUrl
            ? {
                '@type': 'SearchAction',
                target: `${absolute(input.searchUrl)}?q={search_term_string}`,
                'query-input': 'required name=search_term_string',
              }
            : undefined,
        }),
      );
    } else if (listed.length > 0 && spec.kind !== '404') {
      jsonLd.push({
        '@context': 'https://schema.org',
        '@type': 'CollectionPage',
        name: title,
        url: canonical,
        description: input.description,
        inLanguage: input.lang,
        isPartOf: { '@type': 'WebSite', name: input.siteTitle, url: home },
        mainEntity: {
          '@type': 'ItemList',
          itemListElement: listed.map((item, index) => ({
            '@type': 'ListItem',
            position: index + 1,
            url: absolute(item.url),
            name: item.title,
          })),
        },
      });
    }
    metadata = {
      ogType: 'website',
      title,
      description: input.description,
      url: canonical,
      siteName: input.siteTitle,
      locale,
      ...(image ? { image } : {}),
      tags: [],
      twitterCard: image ? 'summary_large_image' : 'summary',
      jsonLd,
      noReferrer: spec.kind === 'search' || spec.kind === 'page',
    };
  }
  if (crumbs.length > 1) {
    jsonLd.push({
      '@context': 'https://schema.org',
      '@type': 'BreadcrumbList',
      itemListElement: crumbs,
    });
  }
  return metadata;
}

const SITE_INDEX = { tags: '/tags/', authors: '/authors/' };

/** An href of this site (`/news/x/`) or a protocol-relative URL, made absolute. */
function absoluteHref(href: string, urls: UrlBuilder): string {
  if (href.startsWith('//')) return `https:${href}`;
  if (href.startsWith('/')) return (urls.origin ?? '') + href;
  return href;
}

function truncate(text: string, length: number): string {
  const characters = Array.from(text);
  return characters.length <= length ? text : `${characters.slice(0, length - 1).join('')}…`;
}

function withoutUndefined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
