import { hash } from 'node:crypto';
import { ArchivedCopies, linkedToArchivedCopies } from '../collect/archived-copies.ts';
import {
  compileLocalFormat,
  inZone,
  isoInZone,
  type LocalParts,
  localParts,
} from '../collect/local-time.ts';
import type { Site } from '../collect/site.ts';
import type { UrlBuilder } from '../collect/urls.ts';
import type { SiteConfig } from '../config/schema.ts';
import type { Article, CategoryNode, TaxonomyTerm } from '../model.ts';
import type { ListPage } from './pagination.ts';

/** What templates see of a date: machine-readable and displayed in the site's time zone. */
export interface DateView {
  iso: string;
  display: string;
  year: number;
  month: number;
  day: number;
}

export interface LinkView {
  name: string;
  url: string;
}

export interface CountedLinkView extends LinkView {
  count: number;
}

export interface ArticleView {
  title: string;
  url: string;
  absoluteUrl: string;
  date: DateView;
  updated?: DateView;
  authors: (LinkView & { href?: string })[];
  categories: LinkView[][];
  tags: LinkView[];
  cover?: { src: string; width?: number; height?: number; alt: string };
  showCover: boolean;
  html?: string;
  excerpt: string;
  /** The front-matter description (standfirst), when given. */
  description?: string;
  readingMinutes: number;
  sourceUrl?: string;
  sourceHost?: string;
  lang: string;
  extra: Record<string, unknown>;
}

/**
 * An article as a related-articles list shows it: a card without its terms, byline and
 * front matter, so that handing an article page to the render helper thread (a copy of its
 * variables) does not copy four more whole cards (at 10,000 articles, 0.4 s of a build).
 */
export type ArticleTeaser = Pick<
  ArticleView,
  'title' | 'url' | 'date' | 'updated' | 'cover' | 'showCover' | 'excerpt' | 'description' | 'lang'
>;

/**
 * Builds template views once per article and term, so an article listed on fifty index pages
 * is formatted once, not fifty times.
 */
export class ViewFactory {
  private readonly cards = new Map<Article, ArticleView>();
  private readonly cardKeys = new Map<Article, string>();
  private readonly categoryByTrail = new Map<string, CategoryNode>();
  private readonly authorByName = new Map<string, TaxonomyTerm>();
  private readonly tagByName = new Map<string, TaxonomyTerm>();
  private readonly authorLinks = new Map<string, LinkView>();
  private readonly tagLinks = new Map<string, LinkView>();
  private readonly trailLinks = new Map<string, LinkView[]>();
  private readonly displayFormat: (parts: LocalParts) => string | undefined;
  /** Links of bodies to stories the archive holds (see collect/archived-copies.ts). */
  readonly archived: ArchivedCopies;

  constructor(
    site: Site,
    private readonly config: SiteConfig,
    private readonly urls: UrlBuilder,
  ) {
    this.archived = new ArchivedCopies(site, config.archivedLinks);
    for (const node of site.categories) this.categoryByTrail.set(node.trail.join('\u0000'), node);
    for (const term of site.authors) this.authorByName.set(term.name, term);
    for (const term of site.tags) this.tagByName.set(term.name, term);
    this.displayFormat = compileLocalFormat(config.dateFormat) ?? (() => undefined);
  }

  date(date: Date): DateView {
    const parts = localParts(date, this.config.timezone);
    return {
      iso: isoInZone(date, this.config.timezone),
      // The display format is the user's (Luxon tokens): Luxon formats it unless it is made
      // of numbers only, month and day names in the site's language (not the machine's).
      display:
        this.displayFormat(parts) ??
        inZone(date, this.config.timezone).toFormat(this.config.dateFormat, {
          locale: this.config.language,
        }),
      year: parts.year,
      month: parts.month,
      day: parts.day,
    };
  }

  /** The article as a card on index pages: everything but the body. */
  card(article: Article): ArticleView {
    let view = this.cards.get(article);
    if (!view) {
      view = this.buildCard(article);
      this.cards.set(article, view);
    }
    return view;
  }

  /**
   * A short digest of what the card is made from, for page keys: the article's file (its
   * bytes, and its date, which may come from the file's time), its URL and the URLs of its
   * authors, categories and tags. Config and templates are in every page's key already. No
   * card is built for it: a rebuild that renders three pages need not format 10,000 dates.
   */
  cardKey(article: Article): string {
    let key = this.cardKeys.get(article);
    if (!key) {
      let text = `${article.relativePath}\0${article.contentHash}\0${article.date.getTime()}\0${article.updated?.getTime() ?? ''}\0${article.path}\0${article.cover?.src ?? ''}`;
      for (const author of article.authors)
        text += `\0${this.authorByName.get(author.name)?.path ?? ''}`;
      for (const trail of article.categories) {
        let trailKey = '';
        for (const [depth, name] of trail.entries()) {
          trailKey = depth === 0 ? name : `${trailKey}\u0000${name}`;
          text += `\0${this.categoryByTrail.get(trailKey)?.path ?? ''}`;
        }
      }
      for (const name of article.tags) text += `\0${this.tagByName.get(name)?.path ?? ''}`;
      key = hash('sha1', text, 'base64');
      this.cardKeys.set(article, key);
    }
    return key;
  }

  /** Makes the cards and card digests of these articles now (see `card`, `cardKey`). */
  prepareCards(articles: readonly Article[]): void {
    for (const article of articles) {
      this.card(article);
      this.cardKey(article);
    }
  }

  /** The article in a related-articles list (see `ArticleTeaser`). */
  teaser(article: Article): ArticleTeaser {
    const { title, url, date, updated, cover, showCover, excerpt, description, lang } =
      this.card(article);
    return {
      title,
      url,
      date,
      ...(updated ? { updated } : {}),
      ...(cover ? { cover } : {}),
      showCover,
      excerpt,
      ...(description ? { description } : {}),
      lang,
    };
  }

  /** The article with its body, for its own page. */
  full(article: Article): ArticleView {
    return {
      ...this.card(article),
      // After the base path is given to root-relative URLs, which the copies' already have.
      html: linkedToArchivedCopies(
        localUrlsWithBasePath(article.html, this.urls.href('/')),
        this.archived.targetsOf(article),
        (target) => this.urls.href(target.path),
      ),
    };
  }

  private buildCard(article: Article): ArticleView {
    const view: ArticleView = {
      title: article.title,
      url: this.urls.href(article.path),
      absoluteUrl: this.urls.absolute(article.path),
      date: this.date(article.date),
      // Lists of link objects shared with every card showing the term. Templates get them
      // frozen (see `renderTemplate`), so no page can change what another shows.
      authors: article.authors.map((author) =>
        author.url && /^https?:\/\//i.test(author.url)
          ? { ...this.termLink(this.authorLinks, this.authorByName, author.name), href: author.url }
          : this.termLink(this.authorLinks, this.authorByName, author.name),
      ),
      categories: article.categories.map((trail) => [...this.categoryTrailLinks(trail)]),
      tags: article.tags.map((name) => this.termLink(this.tagLinks, this.tagByName, name)),
      showCover: Boolean(article.cover) && !article.coverInBody,
      excerpt: article.excerpt,
      readingMinutes: article.readingMinutes,
      lang: article.lang ?? article.language ?? this.config.language,
      extra: article.extra,
    };
    if (article.updated) view.updated = this.date(article.updated);
    if (article.description) view.description = article.description;
    if (article.cover) {
      view.cover = {
        src: this.localUrl(article.cover.src),
        alt: article.cover.alt ?? '',
        ...(article.cover.width ? { width: article.cover.width } : {}),
        ...(article.cover.height ? { height: article.cover.height } : {}),
      };
    }
    if (article.sourceUrl) {
      view.sourceUrl = article.sourceUrl;
      try {
        view.sourceHost = new URL(article.sourceUrl).host.replace(/^www\./, '');
      } catch {
        // A source URL that does not parse is shown without a host.
      }
    }
    return view;
  }

  /**
   * Term links are shared by every card that shows the term: a card per article is kept for
   * the whole build, and its own copies of them were most of its size (1.2 KB a card).
   * Shared lists are only ever copied: see `buildCard`.
   */
  private termLink(
    links: Map<string, LinkView>,
    terms: ReadonlyMap<string, TaxonomyTerm>,
    name: string,
  ): LinkView {
    let link = links.get(name);
    if (!link) {
      const term = terms.get(name);
      link = { name, url: term ? this.urls.href(term.path) : '' };
      links.set(name, link);
    }
    return link;
  }

  /** A category trail's links, from the top category down. */
  private categoryTrailLinks(trail: string[]): LinkView[] {
    const trailKey = trail.join('\u0000');
    let links = this.trailLinks.get(trailKey);
    if (!links) {
      let stepKey = '';
      links = trail.map((name, depth) => {
        stepKey = depth === 0 ? name : `${stepKey}\u0000${name}`;
        const node = this.categoryByTrail.get(stepKey);
        return { name, url: node ? this.urls.href(node.path) : '' };
      });
      this.trailLinks.set(trailKey, links);
    }
    return links;
  }

  /** Root-relative URLs in content point into this site, so they carry the base path. */
  localUrl(url: string): string {
    return url.startsWith('/') && !url.startsWith('//') ? this.urls.href('/') + url.slice(1) : url;
  }

  categoryTree(nodes: CategoryNode[]): (CountedLinkView & { children: unknown[] })[] {
    return nodes.map((node) => ({
      name: node.name,
      url: this.urls.href(node.path),
      count: node.articles.length,
      children: this.categoryTree(node.children),
    }));
  }

  termLinks(terms: TaxonomyTerm[]): CountedLinkView[] {
    return terms.map((term) => ({
      name: term.name,
      url: this.urls.href(term.path),
      count: term.articles.length,
    }));
  }

  categoryTrail(node: CategoryNode): LinkView[] {
    const trail: CategoryNode[] = [];
    for (let current: CategoryNode | undefined = node; current; current = current.parent)
      trail.unshift(current);
    return trail.map((step) => ({ name: step.name, url: this.urls.href(step.path) }));
  }

  pagination(page: ListPage): PaginationView {
    return {
      first: page.first,
      ...(page.number !== undefined ? { number: page.number } : {}),
      ...(page.total !== undefined ? { total: page.total } : {}),
      ...(page.newerPath ? { previousUrl: this.urls.href(page.newerPath) } : {}),
      ...(page.olderPath ? { nextUrl: this.urls.href(page.olderPath) } : {}),
      pages: page.links.map((link) => {
        if (!link) return { gap: true };
        const url = this.urls.href(link.sitePath);
        return link.number === undefined
          ? { latest: true, url, current: link.current }
          : { number: link.number, url, current: link.current };
      }),
    };
  }
}

/**
 * `previousUrl` is the newer page, `nextUrl` the older. `number` and `total` are absent on the
 * first page of a stable list and `total` on all of its pages (see render/pagination.ts).
 */
export interface PaginationView {
  first: boolean;
  number?: number;
  total?: number;
  previousUrl?: string;
  nextUrl?: string;
  pages: (
    | { number: number; url: string; current: boolean }
    | { latest: true; url: string; current: boolean }
    | { gap: true }
  )[];
}

/**
 * Sanitized bodies keep site-local URLs root-relative (`/images/a.png`); on a site deployed
 * under `/news/` they must point inside it. `base` is the site's root as an href (encoded, as
 * `UrlBuilder.href('/')` or `absolute('/')` make it: no quote, `&` or `<` can be in it). With
 * `pageUrl`, links to the page's own headings (`#part-2`) are made links to that page.
 */
export function localUrlsWithBasePath(html: string, base: string, pageUrl?: string): string {
  if (base === '/' && pageUrl === undefined) return html;
  // Only inside tags: text (a code sample showing `src="/x"`) stays as written. In the
  // serialized body a `<` in text is escaped, so every `<` opens a tag, whose attribute
  // values are double-quoted and may hold a `>`.
  return html.replace(/<[a-zA-Z][^>"]*(?:"[^"]*"[^>"]*)*>/g, (tag) => {
    let rewritten = tag
      .replace(/(\s(?:src|href|poster)=")\/(?!\/)/g, (_, attribute: string) => attribute + base)
      .replace(/(\ssrcset=")([^"]*)"/g, (_, prefix: string, list: string) => {
        const candidates = list.replace(
          /(^|,\s*)\/(?!\/)/g,
          (_match, separator: string) => separator + base,
        );
        return `${prefix}${candidates}"`;
      });
    // Outside its page (in a feed reader), a link to a heading must name the page.
    if (pageUrl !== undefined)
      rewritten = rewritten.replace(/(\shref=")#/g, (_, prefix: string) => `${prefix}${pageUrl}#`);
    return rewritten;
  });
}
