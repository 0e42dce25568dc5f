import { htmlReader, type LazyHtml, READ_HTML } from '../cache/lazy-html.ts';
import type {
  Article,
  Author,
  BodyFormat,
  Image,
  LoadedArticle,
  TransformedBody,
} from '../model.ts';
import { articleMadeOf } from '../transform/content-files.ts';

/**
 * An article as the collect stage makes it. Every field is set by the constructor in one
 * order, so that a hundred thousand articles share one hidden class with fast properties
 * (an `Object.assign` of their 35 fields left each one a hash table, slow to read and twice
 * the size). The body's HTML is read when a page asks for it, from the cache's pack when it
 * came from there (see cache/lazy-html.ts).
 */
class CollectedArticle implements Article, LazyHtml {
  sourcePath: string;
  relativePath: string;
  title: string;
  date: Date;
  updated?: Date;
  categories: string[][];
  tags: string[];
  authors: Author[];
  description?: string;
  slug: string;
  permalink?: string;
  draft: boolean;
  lang?: string;
  format: BodyFormat;
  bodyLine: number;
  extra: Record<string, unknown>;
  contentHash: string;
  excerpt: string;
  readingMinutes: number;
  cover?: Image;
  coverInBody: boolean;
  sourceUrl?: string;
  textLength: number;
  language?: string;
  contentFiles?: string[];
  links?: string[];
  sourceKey?: string;
  id: string;
  path: string;
  [READ_HTML]: () => string;

  constructor(loaded: LoadedArticle, body: TransformedBody, id: string, sitePath: string) {
    this.sourcePath = loaded.sourcePath;
    this.relativePath = loaded.relativePath;
    this.title = loaded.title;
    this.date = loaded.date;
    this.updated = loaded.updated;
    this.categories = loaded.categories;
    this.tags = loaded.tags;
    this.authors = loaded.authors;
    this.description = loaded.description;
    this.slug = loaded.slug;
    this.permalink = loaded.permalink;
    this.draft = loaded.draft;
    this.lang = loaded.lang;
    this.format = loaded.format;
    this.bodyLine = loaded.bodyLine;
    this.extra = loaded.extra;
    this.contentHash = articleMadeOf(loaded.contentHash, body);
    this.excerpt = body.excerpt;
    this.readingMinutes = body.readingMinutes;
    // The transformed cover: resolved, scheme-checked, or found in the body.
    this.cover = body.cover;
    this.coverInBody = body.coverInBody;
    this.sourceUrl = body.sourceUrl;
    this.textLength = body.textLength;
    this.language = body.language;
    this.contentFiles = body.contentFiles;
    this.links = body.links;
    this.sourceKey = body.sourceKey;
    this.id = id;
    this.path = sitePath;
    this[READ_HTML] = htmlReader(body);
  }

  get html(): string {
    return this[READ_HTML]();
  }

  /** The dev server keeps bodies it read; image mirroring rewrites them. */
  set html(value: string) {
    this[READ_HTML] = () => value;
  }
}

export function collectedArticle(
  loaded: LoadedArticle,
  body: TransformedBody,
  id: string,
  sitePath: string,
): Article {
  return new CollectedArticle(loaded, body, id, sitePath);
}
