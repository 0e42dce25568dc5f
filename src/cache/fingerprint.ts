import { createHash, hash as hashOnce } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SiteConfig } from '../config/schema.ts';
import { listFiles } from '../files.ts';
import { interfaceLanguage } from '../languages.ts';

/** Config keys that say where things are, not what the site is: they do not invalidate. */
export const LOCATION_KEYS: ReadonlySet<string> = new Set(['contentDir', 'outDir', 'cacheDir']);

/**
 * Config keys that change only how pages, feeds, the sitemap and the search index look,
 * never what load and transform make of a file (dates, bodies, excerpts, the URL a
 * permalink asks for): a new title, page size or search setting keeps every cached
 * article. A key not listed here (a new one too) changes the article cache's key; of
 * `language`, only the language Gazette's words are in does (`articleCacheKey`).
 */
export const PRESENTATION_KEYS: ReadonlySet<string> = new Set([
  'title',
  'description',
  'language',
  'baseUrl',
  'pageSize',
  'pageNumbering',
  'relatedArticles',
  'archivedLinks',
  'dateFormat',
  'templatesDir',
  'publicDir',
  'feeds',
  'sitemap',
  'search',
]);

/**
 * The key of the article cache: Gazette's version and every config value that can change
 * what load or transform make of a file.
 */
export function articleCacheKey(version: string, config: SiteConfig): string {
  const values: Record<string, unknown> = Object.fromEntries(
    Object.entries(config).filter(
      ([key]) => !LOCATION_KEYS.has(key) && !PRESENTATION_KEYS.has(key),
    ),
  );
  // Remote images are mirrored after collecting, from the cached bodies.
  const { mirror: _afterCollect, mirrorPrivateHosts: _alsoAfterCollect, ...images } = config.images;
  values.images = images;
  // An article without `lang` gets a missing title and embed links in the site's language:
  // only a change of that language (zh-CN to en, not zh-CN to zh-SG) makes them again.
  values.articleWords = interfaceLanguage(config.language);
  return sha1(`gazette articles ${version}\n${stableJson(values)}`);
}

/**
 * What pages and feeds are made with besides their own data: Gazette's version and every
 * config value but where things are.
 */
export function siteConfigKey(version: string, config: SiteConfig): string {
  const values: Record<string, unknown> = Object.fromEntries(
    Object.entries(config).filter(([key]) => !LOCATION_KEYS.has(key)),
  );
  // How the search index is split changes no page but the search page, whose key holds its
  // bundle list: each bundle is keyed by its name and articles, so a new size makes again
  // only the bundles it moves (users lower it on machines with little memory).
  const { bundleSize: _splitOnly, ...search } = config.search;
  values.search = search;
  return sha1(`gazette ${version}\n${stableJson(values)}`);
}

/** Adds the templates (every file in every search path, by name and content) to a key. */
export function renderKey(articleKey: string, templateFolders: string[]): string {
  const hash = createHash('sha1').update(articleKey);
  for (const [index, folder] of templateFolders.entries()) {
    if (!existsSync(folder)) continue;
    // Its place in the search order, not its path: a project moved elsewhere (a CI runner's
    // checkout) keeps its keys.
    hash.update(`\0folder ${index}`);
    for (const file of listFiles(folder)) {
      hash.update(`\0${file}\0`);
      hash.update(readFileSync(path.join(folder, file)));
    }
  }
  return hash.digest('hex');
}

export function sha1(text: string | Uint8Array): string {
  return hashOnce('sha1', text, 'hex');
}

/** JSON with object keys sorted, so equal values give equal text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
    return Object.fromEntries(
      Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  });
}
