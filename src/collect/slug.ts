import { hash } from 'node:crypto';
import { createRequire } from 'node:module';

export type SlugStyle = 'unicode' | 'pinyin' | 'hash';

/** Long enough for a headline, short enough that a UTF-8 path segment stays under 255 bytes. */
export const MAX_SLUG_LENGTH = 72;
/** UTF-8 bytes of a slug, leaving room for a `-N` suffix under the 255-byte name limit. */
export const MAX_SLUG_BYTES = 200;

// Device names Windows refuses as file names, whatever the extension.
export const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/**
 * A path segment from a title or name: letters and digits of any script, `-` between words.
 * The result is never empty, has no dot (so never `..`, and never a name like `index.html`
 * or `feed.xml` that the site writes files under), no slash, and is bounded in length.
 */
export function slugify(
  text: string,
  style: SlugStyle = 'unicode',
  options: { keepCase?: boolean } = {},
): string {
  const normalized = text.normalize('NFC');
  if (style === 'hash') return shortHash(normalized);
  const source = style === 'pinyin' ? toPinyin(normalized) : normalized;
  let slug = (options.keepCase ? source : source.toLowerCase())
    .replace(/[^\p{L}\p{N}\p{M}_]+/gu, '-')
    // A mark that follows no letter (an emoji's variation selector) is invisible in a URL.
    .replace(/(^|[-_])\p{M}+/gu, '$1')
    .replace(/-{2,}/g, '-')
    // Not at the ends: GitHub Pages' Jekyll leaves out files and folders named `_…`.
    .replace(/^[-._]+|[-._]+$/g, '');
  const characters = Array.from(slug);
  if (characters.length > MAX_SLUG_LENGTH) characters.length = MAX_SLUG_LENGTH;
  // Letters outside the Basic Multilingual Plane take four bytes: 72 of them overflow the
  // 255-byte limit file systems put on a name.
  while (Buffer.byteLength(characters.join('')) > MAX_SLUG_BYTES) characters.pop();
  if (characters.join('') !== slug) slug = characters.join('').replace(/[-._]+$/, '');
  if (slug === '') return shortHash(normalized);
  if (WINDOWS_RESERVED.test(slug)) return `${slug}-`;
  return slug;
}

/** `page` is where an index's page 2, 3… live (`/categories/news/page/2/`). */
export const RESERVED_SLUGS: readonly string[] = ['page'];

export function shortHash(text: string, length = 8): string {
  return hash('sha1', text, 'hex').slice(0, length);
}

const requireModule = createRequire(import.meta.url);
let pinyin: typeof import('pinyin-pro').pinyin | undefined;

/** Pinyin's dictionary (40 ms to load) loads only for sites that ask for pinyin slugs. */
function toPinyin(text: string): string {
  pinyin ??= (requireModule('pinyin-pro') as typeof import('pinyin-pro')).pinyin;
  return pinyin(text, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }).join('-');
}

/**
 * Gives each distinct name a distinct slug, deterministically: names are taken in sorted order
 * and a later name whose slug is taken (`AI` and `ai`, or two long names cut to the same
 * prefix) gets `-2`, `-3`… Slugs are compared case-insensitively, since macOS and Windows hosts
 * would serve both from one folder.
 */
export function assignSlugs(
  names: Iterable<string>,
  style: SlugStyle,
  reserved: readonly string[] = RESERVED_SLUGS,
): Map<string, string> {
  const sorted = [...new Set(names)].sort();
  const taken = new Set<string>(reserved);
  const slugs = new Map<string, string>();
  for (const name of sorted) {
    const base = slugify(name, style);
    let slug = base;
    for (let n = 2; taken.has(slug.toLowerCase()); n++) slug = `${base}-${n}`;
    taken.add(slug.toLowerCase());
    slugs.set(name, slug);
  }
  return slugs;
}
