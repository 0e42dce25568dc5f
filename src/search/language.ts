import type { SiteConfig } from '../config/schema.ts';

/** Languages written without spaces between words, which Pagefind segments with a dictionary. */
const SEGMENTED = new Set(['zh', 'ja', 'ko']);

const primary = (tag: string) => tag.toLowerCase().split('-')[0]!;

/**
 * The one language the whole search index is built in. Pagefind keeps one index per page
 * language and the search page only queries its own, so an English article would never turn
 * up on a Chinese site's search page. One index finds every article; it is built in a CJK
 * language when there is one, because Chinese needs word segmentation while English words,
 * split at spaces, are found in any index (only stemming is lost, and prefix matching makes up
 * for most of it).
 */
export function indexLanguage(config: SiteConfig, languages: Iterable<string | undefined>): string {
  const counts = new Map<string, { count: number; tag: string }>();
  for (const language of languages) {
    const tag = (language ?? config.language).toLowerCase();
    const key = primary(tag);
    const entry = counts.get(key) ?? { count: 0, tag };
    entry.count++;
    counts.set(key, entry);
  }
  const site = config.language.toLowerCase();
  if (SEGMENTED.has(primary(site)) || counts.size === 0) return site;
  const segmented = [...counts]
    .filter(([key]) => SEGMENTED.has(key))
    .sort((a, b) => b[1].count - a[1].count)[0];
  if (segmented) return segmented[1].tag;
  return site;
}
