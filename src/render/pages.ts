import { hash } from 'node:crypto';
import type { RelatedArticles } from '../collect/related.ts';
import type { Site } from '../collect/site.ts';
import { SITE_PATHS, type UrlBuilder } from '../collect/urls.ts';
import type { SiteConfig } from '../config/schema.ts';
import type { Article, TaxonomyTerm } from '../model.ts';
import { searchShards } from '../search/shards.ts';
import { interfaceWords } from './interface-words.ts';
import { type ListPage, listPages } from './pagination.ts';
import type { LinkView, ViewFactory } from './views.ts';

export type PageKind =
  | 'article'
  | 'home'
  | 'category'
  | 'author'
  | 'tag'
  | 'archive'
  | 'categories'
  | 'authors'
  | 'tags'
  | 'archives'
  | 'search'
  | '404'
  | 'page';

/** One page to render: where it goes, with which template, and its page-specific variables. */
export interface PageSpec {
  kind: PageKind;
  sitePath: string;
  template: string;
  /** The article this page shows, for article pages (incremental rebuilds follow it). */
  article?: Article;
  /** Builds the page-specific variables; called only when the page is rendered. */
  variables: () => Record<string, unknown>;
  /**
   * What the variables are made from, when that is cheaper to compute than the variables
   * themselves (an article page: its card and the hash of its file, not its body).
   */
  keyVariables?: () => unknown;
  /**
   * The articles whose files the page's key depends on (an article page: it and its
   * neighbours; a list page: its articles), for rebuilds that key again only pages showing
   * a changed article. Without it, the page is keyed again on every build.
   */
  articlesShown?: () => Article[];
  /**
   * Whether the page shows what it showed before `added` articles, all newer than the rest,
   * were added, besides the articles it shows (which `articlesShown` answers for): the same
   * articles in the same places, under the same page links. Without it, a page is keyed
   * again whenever articles are added.
   */
  showsAsBefore?: (added: ReadonlySet<Article>) => boolean;
  /**
   * The page also shows its article's related articles, which `articlesShown` leaves out:
   * asking every page for them would choose them for every article on every rebuild.
   * Rebuilds ask `RelatedArticles.reachOf` which articles a change can reach instead.
   */
  showsRelated?: boolean;
  /**
   * Rendered without the build date (`site.buildDate`, the newest article's date), so that a
   * new article does not change the page: the numbered pages of a stable home list.
   */
  undated?: boolean;
  page: {
    title: string;
    description?: string;
    lang?: string;
    breadcrumbs?: LinkView[];
    noindex?: boolean;
  };
}

/**
 * Every page of the site, lazily: an index of N articles costs one spec per page of
 * `pageSize`, and no article is formatted more than once (views are cached).
 */
export function* planPages(
  site: Site,
  config: SiteConfig,
  views: ViewFactory,
  urls: UrlBuilder,
  related: RelatedArticles,
): Generator<PageSpec> {
  const articles = site.articles;
  for (let i = 0; i < articles.length; i++) {
    const article = articles[i]!;
    const newer = articles[i - 1];
    const older = articles[i + 1];
    yield {
      kind: 'article',
      sitePath: article.path,
      template: 'article.njk',
      article,
      page: {
        title: article.title,
        description: article.excerpt,
        lang: article.lang ?? article.language ?? config.language,
        // Formatted only when read: a page whose key is unchanged never asks.
        get breadcrumbs() {
          return article.categories[0] ? views.card(article).categories[0] : undefined;
        },
      },
      variables: () => ({
        article: views.full(article),
        previous: older ? views.card(older) : undefined,
        next: newer ? views.card(newer) : undefined,
        related: related.of(article).map((shown) => views.teaser(shown)),
      }),
      // The body is what load and transform made of the file's bytes under the build's config.
      articlesShown: () => [older, article, newer].filter((shown) => shown !== undefined),
      // Articles are added above the newest: an older article's neighbours were its
      // neighbours before, unless one of them is new, which it then shows; so were its
      // related articles, unless a new one is among them (which `reachOf` finds).
      showsAsBefore: () => true,
      showsRelated: related.count > 0,
      keyVariables: () => [
        views.cardKey(article),
        article.contentHash,
        older ? views.cardKey(older) : '',
        newer ? views.cardKey(newer) : '',
        related.of(article).map((shown) => views.cardKey(shown)),
        views.archived.keyOf(article),
      ],
    };
  }

  // The home page's side column counts the top sections' articles; the menu on every page
  // does not (a count there would change every page with each new article).
  const sections = site.categoryRoots.slice(0, 8).map((node) => ({
    name: node.name,
    url: urls.href(node.path),
    count: node.articles.length,
  }));
  yield* paginate(
    'home',
    'home.njk',
    SITE_PATHS.home,
    articles,
    config,
    views,
    (number) => ({
      title: number === undefined ? config.title : `${number}`,
      description: config.description,
    }),
    { sections },
    {},
  );

  for (const node of site.categories) {
    const trail = views.categoryTrail(node);
    const term = {
      name: node.name,
      url: urls.href(node.path),
      count: node.articles.length,
      trail,
      children: views.termLinks(node.children),
    };
    yield* paginate(
      'category',
      'category.njk',
      node.path,
      node.articles,
      config,
      views,
      () => ({ title: node.trail.join(' › '), breadcrumbs: trail }),
      { term },
      { term: { ...withoutCount(term), children: term.children.map(withoutCount) } },
    );
  }
  for (const [kind, terms] of [
    ['author', site.authors],
    ['tag', site.tags],
  ] as const) {
    for (const term of terms) {
      const termView = {
        name: term.name,
        url: urls.href(term.path),
        count: term.articles.length,
        ...authorHref(kind, term),
      };
      yield* paginate(
        kind,
        `${kind}.njk`,
        term.path,
        term.articles,
        config,
        views,
        () => ({ title: term.name }),
        { term: termView },
        { term: withoutCount(termView) },
      );
    }
  }
  for (const year of site.archives) {
    const yearView = {
      year: year.year,
      title: String(year.year),
      url: urls.href(year.path),
      count: year.articles.length,
    };
    yield* paginate(
      'archive',
      'archive.njk',
      year.path,
      year.articles,
      config,
      views,
      () => ({ title: yearView.title, noindex: true }),
      { archive: yearView },
      { archive: withoutCount(yearView) },
    );
    for (const month of year.months) {
      const title = `${month.year}-${String(month.month).padStart(2, '0')}`;
      const monthView = {
        year: month.year,
        month: month.month,
        title,
        url: urls.href(month.path),
        yearUrl: yearView.url,
        count: month.articles.length,
      };
      yield* paginate(
        'archive',
        'archive.njk',
        month.path,
        month.articles,
        config,
        views,
        () => ({ title, noindex: true }),
        { archive: monthView },
        { archive: withoutCount(monthView) },
      );
    }
  }

  const titles = interfaceWords(config.language);
  yield single('categories', 'categories.njk', SITE_PATHS.categories, titles.categories, () => ({
    tree: views.categoryTree(site.categoryRoots),
  }));
  yield single('authors', 'authors.njk', SITE_PATHS.authors, titles.authors, () => ({
    terms: views.termLinks(site.authors),
  }));
  yield single('tags', 'tags.njk', SITE_PATHS.tags, titles.tags, () => ({
    terms: views.termLinks(site.tags),
  }));
  yield single('archives', 'archives.njk', SITE_PATHS.archives, titles.archives, () => ({
    years: site.archives.map((year) => ({
      year: year.year,
      url: urls.href(year.path),
      count: year.articles.length,
      months: year.months.map((month) => ({
        month: month.month,
        url: urls.href(month.path),
        count: month.articles.length,
      })),
    })),
  }));
  if (config.search.enabled)
    yield single('search', 'search.njk', SITE_PATHS.search, titles.search, () => ({
      // Bundles the search page merges into the archive's (see search/shards.ts).
      mergeBundles: searchShards(site, config)
        .bundles.slice(1)
        .map((bundlePath) => urls.href(bundlePath)),
    }));
  yield {
    ...single('404', '404.njk', SITE_PATHS.notFound, titles.notFound, () => ({})),
    page: { title: titles.notFound, noindex: true },
  };
  // The site's own pages (an About page). Keyed on every build: they are few, and no
  // digest of the articles says when one changed.
  for (const page of site.pages)
    yield {
      kind: 'page',
      sitePath: page.path,
      template: 'page.njk',
      article: page,
      page: {
        title: page.title,
        description: page.excerpt,
        lang: page.lang ?? page.language ?? config.language,
      },
      variables: () => ({ article: views.full(page) }),
      keyVariables: () => [views.cardKey(page), page.contentHash, views.archived.keyOf(page)],
    };
}

function single(
  kind: PageKind,
  template: string,
  sitePath: string,
  title: string,
  variables: () => Record<string, unknown>,
): PageSpec {
  return { kind, template, sitePath, page: { title }, variables };
}

/**
 * The pages of one list. `extra` is what every page shows besides its cards; `blockExtra`,
 * what the numbered pages of a stable list show instead: nothing that changes with each new
 * article (counts), or every one of them would change with it.
 */
function* paginate(
  kind: PageKind,
  template: string,
  firstPath: string,
  articles: Article[],
  config: SiteConfig,
  views: ViewFactory,
  pageOf: (number: number | undefined) => PageSpec['page'],
  extra: Record<string, unknown> = {},
  blockExtra: Record<string, unknown> = extra,
): Generator<PageSpec> {
  const keys = new Map<Record<string, unknown>, string>();
  // The term is the same on each of its pages: its digest is made once.
  const keyOf = (shown: Record<string, unknown>) => {
    let key = keys.get(shown);
    if (key === undefined) {
      key = hash('sha1', JSON.stringify(shown), 'base64');
      keys.set(shown, key);
    }
    return key;
  };
  const pages = listPages(firstPath, articles.length, config.pageSize, config.pageNumbering);
  // The list's pages before the newest articles were added: made once per build.
  let before: { added: ReadonlySet<Article>; count: number; pages: Map<string, ListPage> };
  const pagesBefore = (added: ReadonlySet<Article>) => {
    if (before?.added !== added) {
      let count = 0;
      while (count < articles.length && added.has(articles[count]!)) count++;
      const layout = listPages(
        firstPath,
        articles.length - count,
        config.pageSize,
        config.pageNumbering,
      );
      before = { added, count, pages: new Map(layout.map((page) => [page.sitePath, page])) };
    }
    return before;
  };
  for (const listPage of pages) {
    const { number, start, end } = listPage;
    const block = !listPage.first && config.pageNumbering === 'stable';
    const shownExtra = block ? blockExtra : extra;
    const page = pageOf(listPage.first ? undefined : number);
    yield {
      kind,
      template,
      sitePath: listPage.sitePath,
      ...(block && kind === 'home' ? { undated: true } : {}),
      page:
        !listPage.first && kind !== 'home' ? { ...page, title: `${page.title} · ${number}` } : page,
      variables: () => ({
        ...shownExtra,
        articles: articles.slice(start, end).map((article) => views.card(article)),
        pagination: views.pagination(listPage),
      }),
      articlesShown: () => articles.slice(start, end),
      // Stable blocks show the same articles, counted from the oldest, under the same links.
      showsAsBefore: (added) => {
        const { count, pages: previous } = pagesBefore(added);
        if (count === 0) return true;
        const old = previous.get(listPage.sitePath);
        return (
          old !== undefined &&
          old.start === start - count &&
          old.end === end - count &&
          JSON.stringify(navigationOf(old)) === JSON.stringify(navigationOf(listPage))
        );
      },
      // Cards stand in by their digests, the pagination by what its links are made from.
      // Not the slice's bounds: counted from the newest, they move with each new article
      // while a stable block shows the same articles (which the cards stand for).
      keyVariables: () => [
        keyOf(shownExtra),
        navigationOf(listPage),
        ...articles.slice(start, end).map((article) => views.cardKey(article)),
      ],
    };
  }
}

/** What a list page shows of the list besides its articles: its number and page links. */
function navigationOf(page: ListPage): Omit<ListPage, 'start' | 'end'> {
  const { start: _start, end: _end, ...navigation } = page;
  return navigation;
}

function withoutCount<T extends { count: number }>(view: T): Omit<T, 'count'> {
  const { count: _count, ...rest } = view;
  return rest;
}

/** An author's external profile, when any of their articles gives one. */
function authorHref(kind: 'author' | 'tag', term: TaxonomyTerm): { href?: string } {
  if (kind !== 'author') return {};
  const href = authorProfile(term);
  return href ? { href } : {};
}

/** The external profile URL of an author: the newest one their articles give. */
export function authorProfile(term: TaxonomyTerm): string | undefined {
  for (const article of term.articles) {
    const url = article.authors.find((author) => author.name === term.name)?.url;
    if (url && /^https?:\/\//i.test(url)) return url;
  }
  return undefined;
}
