import type { Article } from '../model.ts';
import { normalizeSourceUrl } from './duplicates.ts';
import type { Site } from './site.ts';

/**
 * Stories link to earlier stories of their news site, which the archive often holds too:
 * such a link is taken to the archived copy (the article whose source URL it is, as
 * duplicates are told apart: `http`/`https`, a trailing slash, tracking parameters aside),
 * which stays readable when the news site deletes the story or walls it off. A link to the
 * article's own source stays as it is, and so does a link to a site's home page (an article
 * whose source is one would catch every link to the site). Only links found when the body
 * was made count (`TransformedBody.links`, normalized then): no body is read, and no URL
 * parsed, to know which articles link to another.
 */
export class ArchivedCopies {
  private bySourceKey: Map<string, Article> | undefined;
  private linkers: Map<string, Article[]> | undefined;
  private readonly targets = new WeakMap<Article, ReadonlyMap<string, Article>>();
  private readonly keys = new WeakMap<Article, string>();

  constructor(
    private readonly site: Site,
    /** Off: every link stays as written (`archivedLinks: false`). */
    readonly enabled = true,
  ) {}

  /** The archived copies its links name, by the links' normalized URLs. */
  targetsOf(article: Article): ReadonlyMap<string, Article> {
    if (!this.enabled || !article.links) return NO_TARGETS;
    let targets = this.targets.get(article);
    if (!targets) {
      const found = new Map<string, Article>();
      for (const key of article.links) {
        const target = this.sources().get(key);
        if (target && target.relativePath !== article.relativePath) found.set(key, target);
      }
      targets = found.size > 0 ? found : NO_TARGETS;
      this.targets.set(article, targets);
    }
    return targets;
  }

  /** What the article's page and feed entries take from other articles: their URLs. */
  keyOf(article: Article): string {
    let key = this.keys.get(article);
    if (key === undefined) {
      key = '';
      for (const [link, target] of this.targetsOf(article)) key += `${link}\0${target.path}\0`;
      this.keys.set(article, key);
    }
    return key;
  }

  /** Articles with a link to one of these articles' source URLs (which may now be local). */
  linkersOf(articles: Iterable<Article>): Set<Article> {
    const found = new Set<Article>();
    if (!this.enabled) return found;
    for (const article of articles) {
      if (article.sourceKey === undefined) continue;
      for (const linker of this.linkersBySource().get(article.sourceKey) ?? []) found.add(linker);
    }
    return found;
  }

  private sources(): Map<string, Article> {
    if (!this.bySourceKey) {
      this.bySourceKey = new Map();
      // Duplicates are built once per source URL; the newest wins should two remain.
      for (const article of this.site.articles) {
        const key = article.sourceKey;
        if (key !== undefined && !isSiteHome(key) && !this.bySourceKey.has(key))
          this.bySourceKey.set(key, article);
      }
    }
    return this.bySourceKey;
  }

  private linkersBySource(): Map<string, Article[]> {
    if (!this.linkers) {
      this.linkers = new Map();
      for (const article of this.site.articles)
        for (const key of article.links ?? []) {
          const list = this.linkers.get(key);
          if (list) list.push(article);
          else this.linkers.set(key, [article]);
        }
    }
    return this.linkers;
  }
}

const NO_TARGETS: ReadonlyMap<string, Article> = new Map();

/** A normalized URL naming a site's home page (a host, with no path, query or route). */
function isSiteHome(key: string): boolean {
  return !/[/?#]/.test(key);
}

/**
 * A sanitized body with its links to archived copies (`targets`, by normalized URL) taken
 * there: `href` from `hrefOf` (the copy's URL, encoded), the link's fragment kept (not a
 * `#/` route, which names the story); the `rel` and `target` given to links out of the site
 * dropped, as for the site's own links.
 */
export function linkedToArchivedCopies(
  html: string,
  targets: ReadonlyMap<string, Article>,
  hrefOf: (article: Article) => string,
): string {
  if (targets.size === 0) return html;
  // Every `<` of the serialized body opens a tag (text has `&lt;`), whose attribute values
  // are double-quoted: see `localUrlsWithBasePath`. A tag is read attribute by attribute,
  // so that a value holding ` rel="` is never taken for an attribute.
  return html.replace(/<a(\s[^>"]*(?:"[^"]*"[^>"]*)*)>/g, (tag, attributes: string) => {
    const parsed = [...attributes.matchAll(/\s+([^\s"'>/=]+)(?:="([^"]*)")?/g)];
    const href = parsed.find((attribute) => attribute[1] === 'href')?.[2];
    if (href === undefined) return tag;
    const link = decodeAttribute(href);
    const key = normalizeSourceUrl(link);
    const target = key === undefined ? undefined : targets.get(key);
    if (!target) return tag;
    const hash = link.indexOf('#');
    const fragment = hash < 0 || /^#!?\//.test(link.slice(hash)) ? '' : link.slice(hash);
    let rewritten = '<a';
    for (const [, name, value] of parsed) {
      if (name === 'rel' || name === 'target') continue;
      if (name === 'href') rewritten += ` href="${hrefOf(target)}${encodeAttribute(fragment)}"`;
      else rewritten += value === undefined ? ` ${name}` : ` ${name}="${value}"`;
    }
    return `${rewritten}>`;
  });
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', apos: "'" };

/** The entities the serializer writes in attribute values (and numeric ones). */
function decodeAttribute(value: string): string {
  return value.replace(
    /&(?:#x([0-9a-f]{1,6})|#(\d{1,7})|(amp|quot|lt|gt|apos));?/gi,
    (entity, hex?: string, decimal?: string, name?: string) => {
      const code = hex ? Number.parseInt(hex, 16) : decimal ? Number.parseInt(decimal, 10) : -1;
      if (code >= 0) return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      return NAMED_ENTITIES[String(name).toLowerCase()] ?? entity;
    },
  );
}

function encodeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}
