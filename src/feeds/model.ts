import { createHash } from 'node:crypto';
import { type ArchivedCopies, linkedToArchivedCopies } from '../collect/archived-copies.ts';
import type { UrlBuilder } from '../collect/urls.ts';
import type { SiteConfig } from '../config/schema.ts';
import type { Article } from '../model.ts';
import { localUrlsWithBasePath } from '../render/views.ts';
import { GAZETTE_VERSION } from '../version.ts';
import { cleanText } from './xml.ts';

/** One feed, independent of its format: RSS, Atom and JSON Feed are written from it. */
export interface FeedDocument {
  title: string;
  description: string;
  language: string;
  timezone: string;
  /** The page the feed follows (home, category…), absolute when the base URL is. */
  homeUrl: string;
  /** Stable identifier: the home URL when absolute, else a `urn:uuid:` derived from it. */
  id: string;
  /** Where each format of this feed lives, absolute when the base URL is. */
  selfUrls: Record<FeedFormat, string>;
  /** Whether URLs are absolute; RSS `<guid isPermaLink>` depends on it. */
  absolute: boolean;
  updated: Date;
  generator: string;
  entries: FeedEntry[];
}

export interface FeedEntry {
  id: string;
  url: string;
  title: string;
  /** Plain text. */
  summary: string;
  /** Sanitized HTML with absolute URLs, when feeds carry full content. */
  contentHtml?: string;
  published: Date;
  updated: Date;
  authors: { name: string; url?: string }[];
  categories: string[];
  image?: FeedImage;
  /** The article's language (BCP 47), when known. */
  language?: string;
}

export interface FeedImage {
  url: string;
  /** MIME type, when the file name tells it. */
  type?: string;
  width?: number;
  height?: number;
}

export type FeedFormat = 'rss' | 'atom' | 'json';

/** Feed files beside the page they follow: `/feed.xml`, `/tags/x/atom.xml`… */
export const FEED_FILES: Record<FeedFormat, { file: string; type: string; label: string }> = {
  rss: { file: 'feed.xml', type: 'application/rss+xml', label: 'RSS' },
  atom: { file: 'atom.xml', type: 'application/atom+xml', label: 'Atom' },
  json: { file: 'feed.json', type: 'application/feed+json', label: 'JSON Feed' },
};

export const FEED_FORMATS = Object.keys(FEED_FILES) as FeedFormat[];

/** Site path of one format of the feed that follows the page at `pageSitePath`. */
export function feedSitePath(pageSitePath: string, format: FeedFormat): string {
  return `${pageSitePath}${FEED_FILES[format].file}`;
}

/** What a feed follows: the whole site, or one category, author or tag. */
export interface FeedScope {
  /** Site path of the page the feed belongs to (`/`, `/tags/x/`). */
  sitePath: string;
  /** Name of the term, absent for the site feed. */
  name?: string;
  articles: Article[];
}

/**
 * Turns articles into feed entries. Entries are cached per article, since an article is in
 * the site feed and in each of its categories', authors' and tags' feeds.
 */
export class FeedBuilder {
  private readonly entries = new Map<Article, FeedEntry>();
  private readonly entriesWithContent = new Map<Article, FeedEntry>();
  readonly absolute: boolean;

  constructor(
    private readonly config: SiteConfig,
    private readonly urls: UrlBuilder,
    /** Links of bodies to stories the archive holds, taken to the copies (see views). */
    private readonly archived?: ArchivedCopies,
  ) {
    this.absolute = urls.origin !== undefined;
  }

  document(scope: FeedScope): FeedDocument {
    // A category's, author's or tag's feed repeats bodies the site feed already carries: by
    // default it has excerpts only, which keeps thousands of term feeds small.
    // The site's feeds follow `content`, a term's feeds `termContent`.
    const full =
      (scope.name ? this.config.feeds.termContent : this.config.feeds.content) === 'full';
    const entries = scope.articles
      .slice(0, this.config.feeds.items)
      .map((article) => (full ? this.entryWithContent(article) : this.entry(article)));
    const homeUrl = this.urls.absolute(scope.sitePath);
    // Not seeded with 0: an archive of articles from before 1970 has negative times. An empty
    // feed is dated at the epoch, the same on every build.
    const newest = entries.length
      ? Math.max(...entries.map((entry) => entry.updated.getTime()))
      : 0;
    return {
      title: cleanText(scope.name ? `${this.config.title} · ${scope.name}` : this.config.title),
      description: cleanText(
        scope.name ? `${this.config.description} · ${scope.name}` : this.config.description,
      ),
      language: this.config.language,
      timezone: this.config.timezone,
      homeUrl,
      id: this.identifier(homeUrl),
      selfUrls: {
        rss: this.urls.absolute(feedSitePath(scope.sitePath, 'rss')),
        atom: this.urls.absolute(feedSitePath(scope.sitePath, 'atom')),
        json: this.urls.absolute(feedSitePath(scope.sitePath, 'json')),
      },
      absolute: this.absolute,
      updated: new Date(newest),
      generator: `Gazette ${GAZETTE_VERSION}`,
      entries,
    };
  }

  /** The entry with the article's body, read only for the feeds that carry bodies. */
  private entryWithContent(article: Article): FeedEntry {
    let entry = this.entriesWithContent.get(article);
    if (!entry) {
      const base = this.entry(article);
      const html = linkedToArchivedCopies(
        this.absoluteHtml(article.html, base.url),
        this.archived?.targetsOf(article) ?? new Map(),
        (target) => this.urls.absolute(target.path),
      );
      entry = { ...base, contentHtml: cleanText(html) };
      this.entriesWithContent.set(article, entry);
    }
    return entry;
  }

  private entry(article: Article): FeedEntry {
    let entry = this.entries.get(article);
    if (entry) return entry;
    const url = this.urls.absolute(article.path);
    entry = {
      id: this.identifier(url),
      url,
      title: cleanText(article.title),
      // An image-only article has no excerpt, and an empty summary shows as a blank item in
      // readers. Its title stands in: scraped alt text is mostly "img" or "图片", and the site
      // description would be the same under every such entry.
      summary: cleanText(article.excerpt.trim() || article.title),
      published: article.date,
      updated: article.updated ?? article.date,
      authors: article.authors.map((author) => ({
        name: cleanText(author.name),
        ...(author.url && /^https?:\/\//i.test(author.url) ? { url: author.url } : {}),
      })),
      categories: [
        ...new Set([...article.categories.map((trail) => trail.join(' / ')), ...article.tags]),
      ].map(cleanText),
    };
    const language = article.lang ?? article.language;
    if (language) entry.language = language;
    if (article.cover) {
      const src = this.absoluteUrl(article.cover.src);
      const type = imageType(src);
      entry.image = {
        url: src,
        ...(type ? { type } : {}),
        ...(article.cover.width ? { width: article.cover.width } : {}),
        ...(article.cover.height ? { height: article.cover.height } : {}),
      };
    }
    this.entries.set(article, entry);
    return entry;
  }

  /**
   * Root-relative URLs in sanitized bodies point into this site, and `#heading` links into
   * the article at `pageUrl`: feed readers need them whole.
   */
  absoluteHtml(html: string, pageUrl?: string): string {
    return localUrlsWithBasePath(html, this.urls.absolute('/'), pageUrl);
  }

  absoluteUrl(url: string): string {
    if (url.startsWith('//')) return `https:${url}`;
    if (url.startsWith('/')) return this.urls.absolute('/') + url.slice(1);
    return url;
  }

  /** Atom ids must be absolute IRIs; without an absolute base URL, a name-based UUID stands in. */
  private identifier(url: string): string {
    if (this.absolute) return url;
    const hex = createHash('sha1').update(`gazette:${url}`).digest('hex');
    const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
};

/** MIME type from the file name, or undefined: CDN URLs often carry none, and guessing lies. */
export function imageType(url: string): string | undefined {
  let pathname = url;
  try {
    pathname = new URL(url, 'https://example.invalid/').pathname;
  } catch {
    // Kept as written.
  }
  const match = /\.([a-z0-9]+)$/i.exec(pathname);
  return match ? IMAGE_TYPES[match[1]!.toLowerCase()] : undefined;
}
