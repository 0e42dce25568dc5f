import { createHash } from 'node:crypto';
import { pinyin } from 'pinyin-pro';

export type SlugStyle = 'unicode' | 'pinyin' | 'hash';

/** Long enough for a headline, short enough that a UTF-8 path segment stays under 255 bytes. */
export const MAX_SLUG_LENGTH = 72;

// Device names Windows refuses as file names, whatever the extension.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/**
 * A path segment from a title or name: letters and digits of any script, `-` between words.
 * The result is never empty, never `.` or `..`, has no slash and is bounded in length.
 */
export function slugify(text: string, style: SlugStyle = 'unicode'): string {
  const normalized = text.normalize('NFC');
  if (style === 'hash') return shortHash(normalized);
  const source = style === 'pinyin' ? toPinyin(normalized) : normalized;
  let slug = source
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}_.]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  const characters = Array.from(slug);
  if (characters.length > MAX_SLUG_LENGTH) {
    slug = characters
      .slice(0, MAX_SLUG_LENGTH)
      .join('')
      .replace(/[-.]+$/, '');
  }
  if (slug === '') return shortHash(normalized);
  if (WINDOWS_RESERVED.test(slug)) return `${slug}-`;
  return slug;
}

export function shortHash(text: string, length = 8): string {
  return createHash('sha1').update(text).digest('hex').slice(0, length);
}

function toPinyin(text: string): string {
  return pinyin(text, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }).join('-');
}

/**
 * Gives each distinct name a distinct slug, deterministically: names are taken in sorted order
 * and a later name whose slug is taken (`AI` and `ai`, or two long names cut to the same
 * prefix) gets `-2`, `-3`… Slugs are compared case-insensitively, since macOS and Windows hosts
 * would serve both from one folder.
 */
export function assignSlugs(names: Iterable<string>, style: SlugStyle): Map<string, string> {
  const sorted = [...new Set(names)].sort();
  const taken = new Set<string>();
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
