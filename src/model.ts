/**
 * The news-domain types that flow between the pipeline stages:
 * load → transform → collect → render → write.
 */

/** A problem with one input file. Problems are values, collected and reported together. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Path relative to the content folder (or the project, for templates and config). */
  file: string;
  /** 1-based line in the file, where known. */
  line?: number;
  message: string;
}

export type BodyFormat = 'html' | 'markdown';

export interface Author {
  name: string;
  url?: string;
}

/** What the load stage makes of one content file: front matter normalised, body untouched. */
export interface LoadedArticle {
  /** Absolute path of the content file. */
  sourcePath: string;
  /** Path relative to the content folder, with forward slashes. */
  relativePath: string;
  title: string;
  date: Date;
  updated?: Date;
  /** Each entry is one hierarchy, outermost first (Hexo: a list is one hierarchy). */
  categories: string[][];
  tags: string[];
  authors: Author[];
  /** Cover image URL as written in front matter (resolved later by the transform stage). */
  cover?: string;
  /** URL of the original article on the news site. */
  sourceUrl?: string;
  description?: string;
  /** Explicit slug from front matter, or a slug derived from the file name. */
  slug: string;
  /** Explicit permalink from front matter (a URL path), overriding the site pattern. */
  permalink?: string;
  draft: boolean;
  /** Not published before this time (Hugo's `publishDate`). */
  publishDate?: Date;
  /** Withdrawn from this time on (Hugo's `expiryDate`). */
  expiryDate?: Date;
  lang?: string;
  format: BodyFormat;
  body: string;
  /** 1-based line of the file on which the body starts. */
  bodyLine: number;
  /** Front-matter keys Gazette does not interpret; they reach templates as `article.extra`. */
  extra: Record<string, unknown>;
  /** Hash of the file's bytes, for caches. */
  contentHash: string;
}

/** What the transform stage makes of a body. */
export interface TransformedBody {
  /** Sanitized HTML, safe to print unescaped. */
  html: string;
  /** Plain text excerpt (not HTML). */
  excerpt: string;
  readingMinutes: number;
  /** Cover image, resolved and scheme-checked (front-matter cover, else first body image). */
  cover?: Image;
  /** True when the body starts with the cover image, so pages need not show it again. */
  coverInBody: boolean;
  /** Source URL, scheme-checked. */
  sourceUrl?: string;
  /** Number of characters of text, for statistics. */
  textLength: number;
  /** Language recognised from the text (`ja`, `ko`) when front matter gives none. */
  language?: string;
  /** Media of the content folder the body and cover show (content-relative paths). */
  contentFiles?: string[];
  /** Media its relative URLs found, when not the same as `contentFiles` (some dropped since). */
  foundContentFiles?: string[];
  /**
   * Content-folder paths its relative URLs were looked for at and not found: a later build
   * transforms the article again when one appears.
   */
  missingContentFiles?: string[];
  /** Its links to other sites' pages, normalized as `normalizeSourceUrl` makes them. */
  links?: string[];
  /** Its source URL so normalized: what links to the story look like (and duplicates). */
  sourceKey?: string;
}

export interface Image {
  src: string;
  width?: number;
  height?: number;
  alt?: string;
}

/**
 * Where an article asks to be, before clashes between articles are settled: its id and the
 * site path its permalink gives. A function of its file and the config alone, so the build
 * cache keeps it (slugs and permalinks were a third of collecting 100,000 articles).
 */
export interface PathWish {
  id: string;
  wanted: string;
}

/** An article with everything the collect stage knows: transformed body and its URL. */
export interface Article
  extends Omit<LoadedArticle, 'cover' | 'sourceUrl' | 'body'>,
    TransformedBody {
  /** Stable short id derived from the relative path. */
  id: string;
  /** Site-relative URL path, starting and ending with '/', not yet percent-encoded. */
  path: string;
}

export interface TaxonomyTerm {
  /** Display name, as written in front matter. */
  name: string;
  slug: string;
  path: string;
  /** Articles newest first (for categories: the node's and all its descendants'). */
  articles: Article[];
}

export interface CategoryNode extends TaxonomyTerm {
  /** Names from the root to this node. */
  trail: string[];
  parent?: CategoryNode;
  children: CategoryNode[];
}

export interface ArchiveMonth {
  year: number;
  month: number;
  path: string;
  articles: Article[];
}

export interface ArchiveYear {
  year: number;
  path: string;
  months: ArchiveMonth[];
  articles: Article[];
}
