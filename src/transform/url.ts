/**
 * URL checks and resolution shared by the body plugins and the cover: scraped URLs arrive
 * obfuscated (`jav&#x09;ascript:`), protocol-relative, root-relative, behind CORS proxies.
 */
import type { ImageRewriteRule } from '../config/schema.ts';
import {
  type ContentFileLookup,
  contentFileOfMediaUrl,
  publishedContentFile,
} from './content-files.ts';

/** Schemes a link may use. Everything else (javascript:, vbscript:, data:, file:, …) goes. */
export const LINK_SCHEMES: readonly string[] = ['http', 'https', 'mailto'];
/** Schemes an image, video or embed may be loaded from. */
export const MEDIA_SCHEMES: readonly string[] = ['http', 'https'];

/** Origin used to normalise site-local relative URLs into root-relative paths. */
const LOCAL_ORIGIN = 'https://gazette.invalid';

// Browsers strip leading/trailing C0 controls and spaces and drop tab/LF/CR anywhere in a URL;
// we also drop the other invisible characters so they cannot hide a scheme from us.
const EDGE_JUNK =
  /^[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]+|[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]+$/g;
const INNER_JUNK = /[\u0000-\u001f\u007f\u00ad\u180e\u200b-\u200f\u2028\u2029\u2060-\u2064\ufeff]/g;

/** Trims a URL attribute the way a browser's URL parser would (and a little more). */
export function cleanUrl(raw: string): string {
  return raw.replace(EDGE_JUNK, '').replace(INNER_JUNK, '');
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  colon: ':',
  tab: '\t',
  newline: '\n',
  nbsp: '\u00a0',
  sol: '/',
  num: '#',
  quest: '?',
  lpar: '(',
  rpar: ')',
};
const ENTITY = /&(?:#x([0-9a-f]+);?|#(\d+);?|([a-z]+);)/gi;

/** Decodes character references, repeatedly, so double-encoded schemes are seen too. */
export function decodeEntities(value: string): string {
  let current = value;
  for (let round = 0; round < 3 && current.includes('&'); round++) {
    const next = current.replace(ENTITY, (whole, hex: string, dec: string, name: string) => {
      const code = hex ? Number.parseInt(hex, 16) : dec ? Number.parseInt(dec, 10) : Number.NaN;
      if (!Number.isNaN(code))
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
    });
    if (next === current) break;
    current = next;
  }
  return current;
}

/**
 * The lower-cased scheme of a URL, `''` for a relative URL, or `undefined` when the part before
 * the first colon is not a valid scheme (treated as unsafe: browsers disagree on such input).
 */
export function urlScheme(url: string): string | undefined {
  const colon = url.indexOf(':');
  if (colon < 0) return '';
  for (let i = 0; i < colon; i++) {
    const c = url.charCodeAt(i);
    // '/', '?', '#' before the colon: a path, not a scheme.
    if (c === 47 || c === 63 || c === 35) return '';
  }
  const scheme = url.slice(0, colon).toLowerCase();
  return /^[a-z][a-z0-9+.-]*$/.test(scheme) ? scheme : undefined;
}

/**
 * Whether a URL is safe to keep, judged after trimming, dropping invisible characters,
 * decoding entities and case folding. Relative URLs are safe.
 */
export function isSafeUrl(raw: string, schemes: readonly string[] = LINK_SCHEMES): boolean {
  for (const candidate of [cleanUrl(raw), cleanUrl(decodeEntities(raw))]) {
    const scheme = urlScheme(candidate);
    if (scheme === undefined) return false;
    if (scheme !== '' && !schemes.includes(scheme)) return false;
  }
  return true;
}

/** True for `https://…`/`http://…` URLs (the ones that load from someone else's server). */
export function isRemoteUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/** True for a root-relative, site-local path (`/images/x.jpg`), which the render stage prefixes. */
export function isLocalPath(url: string): boolean {
  return url.startsWith('/') && !url.startsWith('//');
}

/** The decoded file path of a root-relative URL, without query or fragment. */
function localFilePath(url: string): string {
  const path = url.split(/[?#]/)[0]!;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * Resolves a possibly relative URL. With a base, against it; without one, to a root-relative
 * site-local path (`images/x.jpg` → `/images/x.jpg`). Protocol-relative URLs become https.
 * Returns `undefined` for URLs the WHATWG parser rejects.
 */
export function resolveUrl(url: string, base: string | undefined): string | undefined {
  if (url.startsWith('//')) return parseHref(`https:${url}`);
  const scheme = urlScheme(url);
  if (scheme === undefined) return undefined;
  if (scheme !== '') return parseHref(url);
  if (url.startsWith('#') || url.startsWith('?')) return url;
  if (base) return parseHref(url, base);
  const local = parseUrl(url, `${LOCAL_ORIGIN}/`);
  // `/.//host/x`, `a/..//host/x` and `/%2e//host/x` are paths `//host/x` here, which written
  // as they are would be links to another host: one leading slash keeps them local.
  return local ? local.pathname.replace(/^\/{2,}/, '/') + local.search + local.hash : undefined;
}

function parseUrl(url: string, base?: string): URL | undefined {
  try {
    return new URL(url, base);
  } catch {
    return undefined;
  }
}

/**
 * An absolute URL as written on a page: a user name and password in it (a scraper's login to
 * a paywall) are not ours to publish, and browsers refuse images whose URL carries them.
 */
function parseHref(url: string, base?: string): string | undefined {
  const parsed = parseUrl(url, base);
  if (!parsed) return undefined;
  return withoutCredentials(parsed).href;
}

/** The URL without its user name and password (http and https only; others have none). */
export function withoutCredentials(url: URL): URL {
  if ((url.username || url.password) && (url.protocol === 'http:' || url.protocol === 'https:')) {
    url.username = '';
    url.password = '';
  }
  return url;
}

/** The base against which an article's relative image URLs resolve. */
export function articleBase(
  sourceUrl: string | undefined,
  sourceBase: Record<string, string>,
): string | undefined {
  if (!sourceUrl) return undefined;
  const source = parseUrl(sourceUrl);
  if (!source || (source.protocol !== 'http:' && source.protocol !== 'https:')) return undefined;
  return sourceBase[source.host] ?? sourceBase[source.hostname] ?? withoutCredentials(source).href;
}

/** A rewrite rule with its expression compiled once. */
export interface CompiledRewriteRule {
  match: RegExp;
  replace: string;
}

/**
 * Known CORS proxies scraped feeds wrap images in (`https://cors.zfour.workers.dev/?http://…`):
 * the proxy is long dead; the image behind it often is not.
 */
export const BUILTIN_IMAGE_REWRITES: readonly ImageRewriteRule[] = [
  { match: '^https?://cors\\.zfour\\.workers\\.dev/?\\?(https?://.+)$', replace: '$1' },
];

/** Compiles rewrite rules; a rule whose expression is invalid is reported and skipped. */
export function compileRewriteRules(
  rules: readonly ImageRewriteRule[],
  onInvalid: (rule: ImageRewriteRule, error: string) => void = () => {},
): CompiledRewriteRule[] {
  const compiled: CompiledRewriteRule[] = [];
  for (const rule of rules) {
    try {
      compiled.push({ match: new RegExp(rule.match), replace: rule.replace });
    } catch (error) {
      onInvalid(rule, error instanceof Error ? error.message : String(error));
    }
  }
  return compiled;
}

/** What image URL resolution needs to know, per article. */
export interface ImageUrlContext {
  /** Base URL for relative image URLs (the article's source URL or a configured base). */
  base?: string;
  /** Rewrite `http:` image URLs to `https:`. */
  upgradeHttp: boolean;
  /** Rules applied, in order, to the resolved URL. */
  rewrite: readonly CompiledRewriteRule[];
  /** Root-relative paths of the site's own files, kept local whatever the base. */
  siteFiles?: ReadonlySet<string>;
  /** Media saved beside the article: a relative URL naming one is published with the site. */
  content?: ContentFileLookup;
}

/**
 * Resolves an image URL: cleaned, resolved against the base, rewritten by the rules, upgraded
 * to https, scheme-checked. Returns an absolute http(s) URL, a root-relative site-local path,
 * or `undefined` when nothing loadable is left (data: URIs, javascript:, garbage, or a
 * relative URL with nothing to resolve it against, which `unresolved` then receives).
 */
export function resolveImageUrl(
  raw: string,
  context: ImageUrlContext,
  unresolved?: string[],
): string | undefined {
  const cleaned = cleanUrl(raw);
  if (cleaned === '' || cleaned.startsWith('#') || !isSafeUrl(cleaned, MEDIA_SCHEMES))
    return undefined;
  if (context.siteFiles && isLocalPath(cleaned) && context.siteFiles.has(localFilePath(cleaned))) {
    return cleaned;
  }
  if (context.content) {
    // Saved beside the article: the copy the site publishes wins over the news site's, which
    // may refuse to be hot-linked (that is often why the scraper saved it).
    const published = publishedContentFile(cleaned, context.content);
    if (published) return published;
    // Resolved already, by this article's lookups (a cover compared with the body's images);
    // a body that writes such a URL itself names no file this article publishes.
    const file = contentFileOfMediaUrl(cleaned);
    if (file !== undefined && context.content.found.has(file)) return cleaned;
  }
  const upgraded = (value: string) =>
    context.upgradeHttp && /^http:/i.test(value) ? `https:${value.slice(5)}` : value;
  const resolved = resolveUrl(cleaned, context.base);
  if (resolved === undefined) return undefined;
  // The rules see the URL as written first (a rule for an http-only host), then, if none
  // matched, as upgraded (a rule written for `https://host/`, as the README's are, also
  // takes the `http://host/` copies scrapers keep). What they give is upgraded too (a
  // proxy's unwrapped `?http://…` target).
  let rewritten = applyRewriteRules(resolved, context);
  if (rewritten === false && upgraded(resolved) !== resolved)
    rewritten = applyRewriteRules(upgraded(resolved), context);
  if (rewritten === undefined) return undefined;
  const url = upgraded(rewritten === false ? resolved : rewritten);
  if (url.startsWith('#') || url.startsWith('?')) return undefined;
  if (!isSafeUrl(url, MEDIA_SCHEMES)) return undefined;
  if (isUnresolvedLocalImage(url, context)) {
    unresolved?.push(cleaned);
    return undefined;
  }
  return url;
}

/**
 * The URL after every `images.rewrite` rule that matches it, in order; false when none
 * matched, undefined when a rule made it unusable.
 */
function applyRewriteRules(url: string, context: ImageUrlContext): string | false | undefined {
  let current = url;
  let matched = false;
  for (const rule of context.rewrite) {
    rule.match.lastIndex = 0;
    if (!rule.match.test(current)) continue;
    rule.match.lastIndex = 0;
    const next = resolveUrl(cleanUrl(current.replace(rule.match, rule.replace)), context.base);
    if (next === undefined) return undefined;
    current = next;
    matched = true;
  }
  return matched ? current : false;
}

/**
 * A site-local path left by a relative image URL that nothing resolved: the article has no
 * source URL (or `images.sourceBase`) to resolve it against, and it names none of the site's
 * own files, so it would be a broken image on the deployed site. Unknowable without the list
 * of the site's files.
 */
function isUnresolvedLocalImage(url: string, context: ImageUrlContext): boolean {
  return (
    context.base === undefined &&
    context.siteFiles !== undefined &&
    isLocalPath(url) &&
    !context.siteFiles.has(localFilePath(url))
  );
}

/** Why relative image URLs were dropped, for an article's warning. */
export function unresolvedImagesMessage(urls: readonly string[]): string {
  const listed = [...new Set(urls)].slice(0, 3).map((url) => JSON.stringify(url.slice(0, 120)));
  const more = new Set(urls).size > 3 ? ', …' : '';
  return `${urls.length} image URL(s) are relative (${listed.join(', ')}${more}) and the article has no source URL to resolve them against, nor are they files in public/ or beside the article; dropped`;
}

/**
 * `http://Example.com/a/?utm_source=x#top` and `https://example.com/a` are the same story.
 * Only http(s) URLs identify a story: a `source:` that names an outlet ("新华社") does not.
 * Fragments are dropped except hash routes (`#/news/1001`, `#!…`), which name the page.
 */
export function normalizeSourceUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  // Most URLs have no query: its parameters are not made for nothing.
  if (parsed.search) {
    for (const key of [...parsed.searchParams.keys()]) {
      if (/^(utm_|spm$|from$|ref$)/i.test(key)) parsed.searchParams.delete(key);
    }
  }
  // Percent-escapes in either case name the same URL (`%e4%b8%ad` and `%E4%B8%AD`).
  const pathname = parsed.pathname
    .replace(/\/+$/, '')
    .replace(/%[0-9a-f]{2}/gi, (percentEscape) => percentEscape.toUpperCase());
  const route = /^#!?\//.test(parsed.hash) ? parsed.hash : '';
  return `${parsed.host.toLowerCase()}${pathname}${parsed.search}${route}`;
}
