import type { LoadedArticle } from '../model.ts';

export interface Duplicate {
  article: LoadedArticle;
  /** The article that is built in its place. */
  keptAs: LoadedArticle;
  reason: 'same source URL' | 'same title and date';
}

/**
 * Scrapers fetch the same story twice (a feed re-publishes it, or two feeds carry it). The
 * copy in the first file, by path, is built; the others are reported.
 */
export function separateDuplicates(articles: LoadedArticle[]): {
  unique: LoadedArticle[];
  duplicates: Duplicate[];
} {
  const ordered = [...articles].sort((a, b) =>
    a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0,
  );
  const bySource = new Map<string, LoadedArticle>();
  const byTitleAndDate = new Map<string, LoadedArticle>();
  const unique: LoadedArticle[] = [];
  const duplicates: Duplicate[] = [];
  for (const article of ordered) {
    const sourceKey = article.sourceUrl ? normalizeSourceUrl(article.sourceUrl) : undefined;
    const titleKey = `${article.title}\u0000${article.date.getTime()}`;
    const sameSource = sourceKey ? bySource.get(sourceKey) : undefined;
    const sameTitle = byTitleAndDate.get(titleKey);
    if (sameSource) {
      duplicates.push({ article, keptAs: sameSource, reason: 'same source URL' });
      continue;
    }
    if (sameTitle) {
      duplicates.push({ article, keptAs: sameTitle, reason: 'same title and date' });
      continue;
    }
    if (sourceKey) bySource.set(sourceKey, article);
    byTitleAndDate.set(titleKey, article);
    unique.push(article);
  }
  return { unique, duplicates };
}

/** `http://Example.com/a/?utm_source=x#top` and `https://example.com/a` are the same story. */
export function normalizeSourceUrl(url: string): string {
  try {
    const parsed = new URL(url);
    for (const key of [...parsed.searchParams.keys()]) {
      if (/^(utm_|spm$|from$|ref$)/i.test(key)) parsed.searchParams.delete(key);
    }
    const pathname = parsed.pathname.replace(/\/+$/, '');
    return `${parsed.host.toLowerCase()}${pathname}${parsed.search}`;
  } catch {
    return url.trim();
  }
}
