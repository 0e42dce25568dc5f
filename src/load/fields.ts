import { decodeHTMLStrict } from 'entities';
import type { Author } from '../model.ts';
import { isLocalTomlDate } from './dates.ts';

/**
 * Front-matter field aliases, first match wins. Scrapers and the generators they target
 * (Hexo, Jekyll, Hugo) name the same thing differently.
 */
export const FIELD_ALIASES = {
  title: ['title'],
  date: ['date', 'published', 'pubDate', 'pubdate'],
  updated: ['updated', 'modified', 'lastmod', 'lastModified', 'last_modified_at'],
  publishDate: ['publishDate', 'publishdate', 'publish_date'],
  expiryDate: ['expiryDate', 'expirydate', 'expiry_date', 'unpublishdate'],
  categories: ['categories', 'category'],
  tags: ['tags', 'tag', 'keywords'],
  authors: ['author', 'authors'],
  cover: [
    'headimg',
    'thumbnail',
    'cover',
    'image',
    'banner',
    // Hugo themes (Ananke, Ghost's), Hugo's own `images` list, Hexo's `photos` list.
    'featured_image',
    'featuredImage',
    'feature_image',
    'images',
    'photos',
  ],
  sourceUrl: ['from', 'link', 'source', 'url', 'original'],
  description: ['description', 'excerpt', 'summary'],
  slug: ['slug'],
  permalink: ['permalink'],
  draft: ['draft', 'published'],
  lang: ['lang', 'language'],
  format: ['format'],
} as const;

/**
 * Cover keys of themes that hold more than the cover (Hugo's `images` and Hexo's `photos` are
 * galleries): read for the cover, and still given to templates as they are.
 */
const COVER_KEYS_ALSO_EXTRA = new Set([
  'featured_image',
  'featuredImage',
  'feature_image',
  'images',
  'photos',
]);
/** Cover keys that are lists in the generators that define them, never one URL as text. */
const COVER_LISTS = new Set(['images', 'photos']);

const KNOWN_KEYS = new Set<string>(
  Object.values(FIELD_ALIASES)
    .flat()
    .filter((key) => !COVER_KEYS_ALSO_EXTRA.has(key)),
);

/** Keys that could reach an object's prototype if copied naively. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function pick(
  data: Record<string, unknown>,
  aliases: readonly string[],
  accept: (value: unknown) => boolean,
) {
  for (const key of aliases) {
    if (Object.hasOwn(data, key) && accept(data[key])) return data[key];
  }
  return undefined;
}

/** Front-matter keys Gazette does not interpret, kept for templates. */
export function extraFields(data: Record<string, unknown>): {
  extra: Record<string, unknown>;
  unsafeKeys: string[];
} {
  const extra: Record<string, unknown> = {};
  const unsafeKeys: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (UNSAFE_KEYS.has(key)) {
      unsafeKeys.push(key);
      continue;
    }
    if (!KNOWN_KEYS.has(key)) extra[key] = withLocalDatesAsText(value);
  }
  return { extra, unsafeKeys };
}

/**
 * A TOML date without an offset (`event = 2022-04-04`, as Hugo writes) as its text, which the
 * `date` filter reads in the site's zone, as YAML's dates arrive: as a `Date` it would be
 * midnight in UTC, the day before in New York.
 */
function withLocalDatesAsText(value: unknown): unknown {
  if (isLocalTomlDate(value)) return value.toISOString();
  if (Array.isArray(value)) return value.map(withLocalDatesAsText);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, withLocalDatesAsText(item)]),
    );
  }
  return value;
}

/** Fields read as one piece of text (or a URL), whatever key of theirs is used. */
const TEXT_FIELDS = [
  'title',
  'description',
  'slug',
  'permalink',
  'lang',
  'format',
  'cover',
  'sourceUrl',
] as const;
/** Fields read as a list, or as text split into one. */
const LIST_FIELDS = ['categories', 'tags'] as const;

/** A front-matter key whose value has a shape its field cannot take (and is ignored). */
export interface MisshapenField {
  key: string;
  found: 'a list' | 'a mapping';
}

/**
 * Keys whose value is a list or mapping where text is wanted (`title: [a, b]`), or a mapping
 * where a list is (`tags: {x: y}`): said, not silently dropped. Author maps are valid.
 */
export function misshapenFields(data: Record<string, unknown>): MisshapenField[] {
  const found: MisshapenField[] = [];
  const shapeOf = (value: unknown) =>
    Array.isArray(value)
      ? 'a list'
      : value !== null && typeof value === 'object' && !(value instanceof Date)
        ? 'a mapping'
        : undefined;
  for (const field of TEXT_FIELDS) {
    for (const key of FIELD_ALIASES[field]) {
      const shape = Object.hasOwn(data, key) ? shapeOf(data[key]) : undefined;
      // A cover may be a list of pictures or a mapping naming one (`cover: {image: …}`); the
      // keys of themes' own shapes are theirs to shape.
      if (
        field === 'cover' &&
        (toCoverUrl(data[key]) !== undefined || COVER_KEYS_ALSO_EXTRA.has(key))
      )
        continue;
      if (shape) found.push({ key, found: shape });
    }
  }
  for (const field of LIST_FIELDS) {
    for (const key of FIELD_ALIASES[field]) {
      if (Object.hasOwn(data, key) && shapeOf(data[key]) === 'a mapping')
        found.push({ key, found: 'a mapping' });
    }
  }
  return found;
}

/** A scalar as display text: whitespace collapsed, invisible bidi controls removed. */
export function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return cleanText(decodeCharacterReferences(value));
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return undefined;
}

/**
 * Scrapers copy titles, names and links out of HTML with their character references
 * (`AT&amp;T&#8217;s`, `O&#39;Brien`, `?a=1&amp;b=2`): decoded, as a browser would show them.
 * Only complete references (with their `;`): `Q&A` and `&copy2020` stay as written.
 */
function decodeCharacterReferences(value: string): string {
  return value.includes('&') ? decodeHTMLStrict(value) : value;
}

// Bidi overrides and isolates can make a name display as another; zero-width marks are noise.
const INVISIBLE_CONTROLS = /[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;
// YAML escapes ("\0", "\x07") bring back the control characters decoding removed from the file.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F]/g;

export function cleanText(value: string): string {
  return value
    .replace(INVISIBLE_CONTROLS, '')
    .replace(CONTROL_CHARACTERS, '')
    .replace(/\s+/g, ' ')
    .trim()
    .normalize('NFC');
}

/** `categories`: a string; a list (one hierarchy, as Hexo); or a list of lists (several). */
export function toCategoryTrails(value: unknown): string[][] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    const name = toText(value);
    return name ? [[name]] : [];
  }
  const trails: string[][] = [];
  const single: string[] = [];
  for (const item of value) {
    if (Array.isArray(item)) {
      const trail = item.map(toText).filter((name): name is string => Boolean(name));
      if (trail.length > 0) trails.push(trail);
    } else {
      const name = toText(item);
      if (name) single.push(name);
    }
  }
  // A mixed list (`[A, [B, C]]`) reads as Hexo does: plain entries form one hierarchy.
  if (single.length > 0) trails.unshift(single);
  return dedupeTrails(trails);
}

function dedupeTrails(trails: string[][]): string[][] {
  const seen = new Set<string>();
  return trails.filter((trail) => {
    const key = trail.join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `tags`: a list, or a string with comma-separated tags. */
export function toTags(value: unknown): string[] {
  const items = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.split(/[,，、]/)
      : [value];
  const tags: string[] = [];
  for (const item of items.flat()) {
    const tag = toText(item);
    if (tag && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

/** `author`/`authors`: a string, a list, or a map with name and url (or a list of those). */
export function toAuthors(value: unknown): Author[] {
  const items = Array.isArray(value) ? value : [value];
  const authors: Author[] = [];
  for (const item of items) {
    let author: Author | undefined;
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      const map = item as Record<string, unknown>;
      const name = toText(map.name ?? map.title);
      const url = toText(map.url ?? map.link ?? map.homepage);
      if (name) author = url ? { name, url } : { name };
    } else {
      const name = toText(item);
      if (name) author = { name };
    }
    if (author && !authors.some((existing) => existing.name === author.name)) authors.push(author);
  }
  return authors;
}

export function toUrlString(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = decodeCharacterReferences(value).trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * A cover as themes write it: a URL, a list of pictures (Hugo's `images`, Hexo's `photos`: the
 * first that is an http(s) or relative URL), or a mapping naming one (PaperMod's
 * `cover: {image: …}`, jekyll-seo-tag's `image: {path: …}`).
 */
export function toCoverUrl(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    let first: string | undefined;
    for (const item of value) {
      const url = Array.isArray(item) ? undefined : toCoverUrl(item);
      if (url === undefined) continue;
      if (!/^[a-z][\w+.-]*:/i.test(url) || /^https?:/i.test(url)) return url;
      first ??= url;
    }
    return first;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const fields = value as Record<string, unknown>;
    for (const key of ['image', 'src', 'url', 'path']) {
      const url = toUrlString(fields[key]);
      if (url !== undefined) return url;
    }
    return undefined;
  }
  return toUrlString(value);
}

/** The cover the front matter names, by the first of its keys that names one. */
export function coverOf(data: Record<string, unknown>): string | undefined {
  for (const key of FIELD_ALIASES.cover) {
    if (!Object.hasOwn(data, key)) continue;
    const value = data[key];
    if (COVER_LISTS.has(key) && !Array.isArray(value)) continue;
    const url = toCoverUrl(value);
    if (url !== undefined) return url;
  }
  return undefined;
}

export function isNonEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/**
 * Bounds on what one article may bring to every page that lists it. A scraped title of a
 * megabyte, or five thousand tags, would be copied onto thousands of index pages.
 */
export const FIELD_LIMITS = {
  /** Characters of a title. */
  title: 300,
  /** Characters of a description. */
  description: 2000,
  /** Characters of a category, tag or author name. */
  name: 120,
  /** Tags of one article. */
  tags: 100,
  /** Authors of one article. */
  authors: 30,
  /** Category hierarchies of one article, and levels in each. */
  categoryTrails: 20,
  categoryDepth: 8,
  /** Characters of a URL (cover, source, author link, permalink, slug source). */
  url: 4096,
  /** Characters of a language tag (BCP 47 tags are short). */
  lang: 35,
} as const;

/** Text cut to `max` characters (never inside a surrogate pair), marked with an ellipsis. */
export function truncateText(text: string, max: number): string {
  const characters = Array.from(text);
  if (characters.length <= max) return text;
  return `${characters
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

/**
 * A page of the site rather than an article (an About page): Jekyll's and Hexo's
 * `layout: page`, Hugo's `type: page`. It gets its own URL and no date, list or feed. A file
 * in `_posts/` is a post whatever its layout, as Jekyll and Hexo take it (themes and
 * scrapers write `layout: page` on posts too).
 */
export function isStandalonePage(
  frontMatter: Record<string, unknown>,
  relativePath: string,
): boolean {
  if (relativePath.split('/').includes('_posts')) return false;
  return [frontMatter.layout, frontMatter.type].some(
    (value) => typeof value === 'string' && value.trim().toLowerCase() === 'page',
  );
}
