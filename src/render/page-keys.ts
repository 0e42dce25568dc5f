import { createHash } from 'node:crypto';
import type { BuildExtension, ExtensionContext } from '../build.ts';
import { sha1 } from '../cache/fingerprint.ts';
import type { ArchivedCopies } from '../collect/archived-copies.ts';
import type { RelatedArticles } from '../collect/related.ts';
import type { Site } from '../collect/site.ts';
import type { Article, TaxonomyTerm } from '../model.ts';
import type { PagesRecord } from '../write/output.ts';
import { authorProfile, type PageSpec } from './pages.ts';

/**
 * What a page is made from, hashed: version, config and templates, the shared variables,
 * its own variables (for an article page, its body) and the feeds it links to. A page
 * whose key is unchanged since the last build is neither rendered nor rewritten.
 */
export function pageKey(
  sharedKey: string,
  spec: PageSpec,
  context: ExtensionContext,
  extensions: BuildExtension[],
): string {
  const feeds = extensions.flatMap((extension) => extension.feedsFor?.(spec, context) ?? []);
  return sha1(
    `${sharedKey}\0${spec.kind}\0${spec.template}\0${spec.sitePath}\0${JSON.stringify(pageKeyFields(spec))}\0${JSON.stringify(feeds)}\0${JSON.stringify(spec.keyVariables ? spec.keyVariables() : spec.variables())}`,
  );
}

/**
 * A page's own fields as they go into its key. With `keyVariables`, breadcrumbs are left
 * out: they are the trail of the article's or term's categories, which its key variables
 * already stand for, and building them would format the article's card.
 */
function pageKeyFields(spec: PageSpec): PageSpec['page'] {
  if (!spec.keyVariables) return spec.page;
  const { title, description, lang, noindex } = spec.page;
  return { title, description, lang, noindex };
}

/**
 * What a page's key says of one article besides its file: where, when, under which terms, and
 * the source URL that other articles' links to it are taken by (see `ArchivedCopies`).
 */
function structureLine(article: Article): string {
  return `${article.relativePath}\0${article.path}\0${article.date.getTime()}\0${article.updated?.getTime() ?? ''}\0${article.cover?.src ?? ''}\0${article.sourceUrl ?? ''}\0${JSON.stringify([article.categories, article.authors, article.tags])}\0`;
}

/** Characters of lines handed to the hash at once. */
const HASHED_AT_ONCE = 1 << 16;

/**
 * A digest of lines of the articles taken oldest first, and the digest of the oldest
 * `prefix` of them on the way (what a build that had only those would have recorded).
 * Undefined when a line is unknown.
 */
function oldestFirst(
  articles: readonly Article[],
  lineOf: (article: Article) => string | undefined,
  prefix?: number,
): { all: string; prefix?: string } | undefined {
  const digest = createHash('sha1');
  let atPrefix: string | undefined;
  // Lines go to the hash some thousands at a time: one call each cost more than the hashing.
  let pending = '';
  for (let i = articles.length - 1, taken = 0; i >= 0; i--, taken++) {
    if (taken === prefix) {
      atPrefix = digest.update(pending).copy().digest('base64');
      pending = '';
    }
    const line = lineOf(articles[i]!);
    if (line === undefined) return undefined;
    pending += line;
    if (pending.length >= HASHED_AT_ONCE) {
      digest.update(pending);
      pending = '';
    }
  }
  const all = digest.update(pending).digest('base64');
  return {
    all,
    ...(prefix === articles.length ? { prefix: all } : atPrefix ? { prefix: atPrefix } : {}),
  };
}

/**
 * Every category (with its children: category pages list them), author (with the profile a
 * page links) and tag at its URL, in no particular order; with `include`, only some of them.
 * Card digests stand for an article's terms by these URLs.
 */
function termsDigest(site: Site, include: (term: TaxonomyTerm) => boolean = () => true): string {
  const entries: string[] = [];
  for (const node of site.categories)
    if (include(node))
      entries.push(
        JSON.stringify([
          'c',
          node.trail,
          node.path,
          node.children.map((child) => [child.name, child.path]),
        ]),
      );
  for (const term of site.authors)
    if (include(term))
      entries.push(JSON.stringify(['a', term.name, term.path, authorProfile(term) ?? '']));
  for (const term of site.tags)
    if (include(term)) entries.push(JSON.stringify(['t', term.name, term.path]));
  return createHash('sha1').update(entries.sort().join('\n')).digest('base64');
}

/** This build's record, and its articles' structure digest as far as the previous build's count. */
export interface PagesNow {
  record: PagesRecord;
  structureOfPrevious?: string;
}

/**
 * What the output manifest records about this build's pages (see `changesSince`). `base`
 * is what every key is made of besides the articles and terms: version, config, templates,
 * shared variables (the menu, the build date if every page shows it) and the extensions that
 * link feeds from pages.
 */
export function recordPages(base: string, site: Site, previousCount?: number): PagesNow {
  const structure = oldestFirst(site.articles, structureLine, previousCount)!;
  return {
    record: {
      base: sha1(base),
      terms: termsDigest(site),
      structure: structure.all,
      content: oldestFirst(site.articles, (article) => `${article.contentHash}\0`)!.all,
      articles: site.articles.length,
    },
    ...(structure.prefix ? { structureOfPrevious: structure.prefix } : {}),
  };
}

/** What changed since the build that made the output folder's pages. */
export interface PageChanges {
  /** Articles whose files changed, and the articles added. */
  changed: ReadonlySet<Article>;
  /** Articles added, all newer than every other article: the site's newest `added.size`. */
  added: ReadonlySet<Article>;
  /** Articles whose related articles may include a changed or added one. */
  relatedReach: ReadonlySet<Article>;
  /** Articles with links to an added one's source URL, now taken to its archived copy. */
  linkReach: ReadonlySet<Article>;
}

/**
 * What changed since the build that made the output folder's pages, when that can be told:
 * the same base, and the same articles in the same order at the same URLs under the same
 * terms (each term at the same URL), with only newer articles added (a scraper's new news).
 * Pages, pagination, terms, counts and feed links all follow from these. The files the
 * pages were made from are those of the cache this build started from (`contentHashBefore`:
 * an article's hash in that cache; a build whose site was not written may have saved its
 * cache), checked against the recorded digest. Undefined otherwise (an article deleted,
 * moved or redated, a term renamed), and every page's key is worked out.
 */
export function changesSince(
  previous: PagesRecord | undefined,
  now: PagesNow,
  site: Site,
  contentHashBefore: (article: Article) => string | undefined,
  related: RelatedArticles,
  archived: ArchivedCopies,
): PageChanges | undefined {
  if (previous?.base !== now.record.base || previous.articles === undefined) return undefined;
  const addedCount = site.articles.length - previous.articles;
  if (addedCount < 0 || now.structureOfPrevious !== previous.structure) return undefined;
  const added = new Set(site.articles.slice(0, addedCount));
  // The terms the previous build had: those with an article it had (each kept its terms).
  const terms =
    addedCount === 0
      ? now.record.terms
      : termsDigest(site, (term) => term.articles.some((article) => !added.has(article)));
  if (terms !== previous.terms) return undefined;
  if (addedCount === 0 && previous.content === now.record.content)
    return { changed: added, added, relatedReach: new Set(), linkReach: new Set() };
  const kept = site.articles.slice(addedCount);
  const before = oldestFirst(kept, (article) => {
    const contentHash = contentHashBefore(article);
    return contentHash === undefined ? undefined : `${contentHash}\0`;
  });
  if (before?.all !== previous.content) return undefined;
  const changed = new Set(added);
  for (const article of kept)
    if (contentHashBefore(article) !== article.contentHash) changed.add(article);
  return {
    changed,
    added,
    relatedReach: related.reachOf(changed),
    linkReach: archived.linkersOf(added),
  };
}

/** Whether a page's key may differ from the last build's, given what changed. */
export function mayHaveChanged(spec: PageSpec, changes: PageChanges): boolean {
  // A page that does not say what it shows (taxonomy indexes, search, 404) is keyed again.
  if (!spec.articlesShown) return true;
  if (spec.articlesShown().some((article) => changes.changed.has(article))) return true;
  if (spec.showsRelated && spec.article && changes.relatedReach.has(spec.article)) return true;
  if (spec.article && changes.linkReach.has(spec.article)) return true;
  if (changes.added.size === 0) return false;
  return !spec.showsAsBefore?.(changes.added);
}
