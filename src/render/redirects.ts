/**
 * Old URLs of moved articles keep working: front-matter `aliases` (Hugo), `redirect_from`
 * (Jekyll's jekyll-redirect-from) and `alias` (Hexo's hexo-generator-alias) each get a small
 * page at the old path that sends readers and search engines to the article's URL, as those
 * tools make them: a static host has no redirects of its own to configure. So does the
 * `.html` file a permalink named (`/2019/03/04/title.html`), now served as a folder.
 */
import type { BuildExtension, ExtensionContext } from '../build.ts';
import { MAX_SLUG_BYTES, WINDOWS_RESERVED } from '../collect/slug.ts';
import type { UrlBuilder } from '../collect/urls.ts';
import type { Article, Diagnostic } from '../model.ts';

/** Front-matter keys other generators keep an article's old URLs in. */
export const ALIAS_KEYS = ['aliases', 'redirect_from', 'alias'] as const;

/** At most this many old URLs per article: a hostile file cannot fill the site with pages. */
const MAX_ALIASES = 20;
/** As for slugs: a segment stays under the 255 bytes file systems allow a name. */
const MAX_SEGMENT_BYTES = MAX_SLUG_BYTES;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** The old URLs an article's front matter lists, as written. */
export function articleAliases(article: Pick<Article, 'extra'>): string[] {
  const written: string[] = [];
  for (const key of ALIAS_KEYS) {
    const value = article.extra[key];
    for (const item of Array.isArray(value) ? value : [value])
      if (typeof item === 'string' && item.trim()) written.push(item.trim());
  }
  return written;
}

/** An old URL of an article: listed in its front matter, or implied by its permalink. */
export interface OldUrl {
  url: string;
  /** Implied: given up without a word when it cannot have a page. */
  implied: boolean;
}

const HTML_FILE = /\.html?$/i;
const INDEX_FILE = /(?:^|\/)index\.html?$/i;

/**
 * Its front matter's old URLs, and the `.html` URL its permalink had in the generator it
 * comes from (Jekyll's and Hexo's `:title.html`), which Gazette serves as a folder: the old
 * file gets a redirect page too.
 */
export function oldUrls(
  article: Pick<Article, 'extra' | 'permalink' | 'path'>,
  sitePermalink = '',
): OldUrl[] {
  const urls: OldUrl[] = articleAliases(article).map((url) => ({ url, implied: false }));
  const extension = (text: string) => /\.html?$/i.exec(text)?.[0] ?? '.html';
  if (article.permalink !== undefined) {
    if (HTML_FILE.test(article.permalink) && !INDEX_FILE.test(article.permalink))
      urls.push({ url: article.permalink, implied: true });
  } else if (HTML_FILE.test(sitePermalink) && !INDEX_FILE.test(sitePermalink)) {
    urls.push({
      url: `${article.path.replace(/\/$/, '')}${extension(sitePermalink)}`,
      implied: true,
    });
  }
  return urls;
}

/**
 * The site path of the page an old URL needs (`/2019/old-post/` → `/2019/old-post/index.html`,
 * `/old.html` as it is, `old` → `/old/index.html`), or why there can be none.
 */
export function aliasSitePath(alias: string): { sitePath: string } | { problem: string } {
  if (/^[a-z][a-z\d+.-]*:|^\/\/|^\\\\/i.test(alias))
    return { problem: 'is a URL of another site, not a path of this one' };
  if (/[?#]/.test(alias))
    return { problem: 'has a query or fragment, which a static page cannot answer to' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(alias);
  } catch {
    return { problem: 'is not a valid URL path (bad percent-encoding)' };
  }
  const segments = decoded.replaceAll('\\', '/').split('/').filter(Boolean);
  if (segments.length === 0) return { problem: 'is the home page' };
  // `..` would leave the site; a dot-file is a host's or Gazette's (`.gazette-output`).
  if (segments.some((segment) => segment.startsWith('.') || /[\0-\x1f]/.test(segment)))
    return { problem: 'has a segment starting with a dot or a control character' };
  // What Windows, and so many hosts' and users' copies of the site, cannot hold.
  if (segments.some((segment) => /[<>:"|?*]/.test(segment) || WINDOWS_RESERVED.test(segment)))
    return { problem: 'has a name Windows cannot hold (<>:"|?* or a device name such as con)' };
  if (segments.some((segment) => Buffer.byteLength(segment) > MAX_SEGMENT_BYTES))
    return { problem: `has a segment over ${MAX_SEGMENT_BYTES} bytes` };
  const joined = `/${segments.join('/')}`;
  return { sitePath: /\.html?$/i.test(joined) ? joined : `${joined}/index.html` };
}

/** The page at an old URL: an instant refresh, a canonical link and a plain link. */
export function redirectPage(target: string, canonical: string, language: string): string {
  const href = escapeHtml(target);
  return `<!doctype html>
<html lang="${escapeHtml(language)}">
<head>
<meta charset="utf-8">
<title>Redirecting…</title>
<link rel="canonical" href="${escapeHtml(canonical)}">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url=${href}">
</head>
<body>
<p>This page has moved: <a href="${href}">${href}</a></p>
</body>
</html>
`;
}

/** The old URLs that get a page: the first `MAX_ALIASES` written ones, and the implied one. */
function limitedOldUrls(urls: readonly OldUrl[]): OldUrl[] {
  return [
    ...urls.filter(({ implied }) => !implied).slice(0, MAX_ALIASES),
    ...urls.filter(({ implied }) => implied),
  ];
}

/** The site paths of the redirect pages a site's articles ask for (valid ones, taken or not). */
export function redirectSitePaths(
  articles: readonly Pick<Article, 'extra' | 'permalink' | 'path'>[],
  sitePermalink?: string,
): Set<string> {
  const paths = new Set<string>();
  for (const article of articles) {
    for (const { url } of limitedOldUrls(oldUrls(article, sitePermalink))) {
      const found = aliasSitePath(url);
      if ('sitePath' in found) paths.add(found.sitePath);
    }
  }
  return paths;
}

/** A page's file: `/a/` → `/a/index.html`. */
function pageFile(sitePath: string): string {
  return sitePath.endsWith('/') ? `${sitePath}index.html` : sitePath;
}

/**
 * Writes the pages of every article's old URLs; the diagnostics say which could not be.
 * `pages`: the files of the site's pages, which an old URL never replaces (the dev server's
 * output knows only `public/` files).
 */
export function writeRedirects(
  articles: readonly Article[],
  context: {
    urls: UrlBuilder;
    language: string;
    output: ExtensionContext['output'];
    pages: ReadonlySet<string>;
    /** The site's permalink pattern, whose `.html` URLs get redirect pages. */
    permalink?: string;
  },
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  /** Old URLs given out, case-folded: macOS and Windows hosts serve both cases from one file. */
  const taken = new Map<string, string>();
  const pagesFolded = new Set([...context.pages].map((page) => page.toLowerCase()));
  for (const article of articles) {
    const all = oldUrls(article, context.permalink);
    if (all.length === 0) continue;
    const written = all.filter(({ implied }) => !implied);
    const say = (message: string) =>
      diagnostics.push({ severity: 'warning', file: article.relativePath, message });
    if (written.length > MAX_ALIASES)
      say(`${written.length} old URLs (aliases); only the first ${MAX_ALIASES} get a page`);
    const aliases = limitedOldUrls(all);
    const target = context.urls.href(article.path);
    const page = redirectPage(
      target,
      context.urls.absolute(article.path),
      article.lang ?? article.language ?? context.language,
    );
    for (const { url: alias, implied } of aliases) {
      // An implied old URL that cannot have a page is given up quietly.
      const warn = (message: string) => {
        if (!implied) say(message);
      };
      const found = aliasSitePath(alias);
      const quoted = JSON.stringify(alias.slice(0, 200));
      if ('problem' in found) {
        warn(`old URL ${quoted} ${found.problem}; no redirect page`);
        continue;
      }
      const { sitePath } = found;
      const folded = sitePath.toLowerCase();
      if (folded === pageFile(article.path).toLowerCase()) continue;
      const first = taken.get(folded);
      if (first !== undefined) {
        warn(`old URL ${quoted} is also one of ${first}'s; its redirect goes there`);
        continue;
      }
      if (pagesFolded.has(folded) || context.output.has(sitePath) || context.output.has(folded)) {
        warn(
          `old URL ${quoted} is a page or file of the site (letter case aside); no redirect page`,
        );
        continue;
      }
      let problem: string | undefined;
      try {
        if (!context.output.write(sitePath, page))
          problem = 'clashes with a file or folder of the site';
      } catch (error) {
        // The dev server's folder, where a file stands in the way of the folder it needs,
        // or a path the file system refuses.
        problem = `cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
      }
      if (problem) {
        warn(`old URL ${quoted} ${problem}; no redirect page (${sitePath})`);
        continue;
      }
      taken.set(folded, article.relativePath);
    }
  }
  return diagnostics;
}

/**
 * Registered last: every page and file of the site is staged before old URLs are given out.
 * Made again by the dev server after each change, as its pages follow the site's.
 */
export function redirectsExtension(): BuildExtension {
  /** The files of each build's pages, as they are rendered or kept. */
  const pagesOf = new WeakMap<ExtensionContext, Set<string>>();
  /**
   * Whether any article has old URLs, per build (a dev server's site is patched in place, so
   * not per site): most sites have none, and keep no list of pages.
   */
  const withAliases = new WeakMap<ExtensionContext, boolean>();
  const hasAliases = (context: ExtensionContext) => {
    let has = withAliases.get(context);
    if (has === undefined) {
      has = [...context.site.articles, ...context.site.pages].some(
        (article) => oldUrls(article, context.config.permalink).length > 0,
      );
      withAliases.set(context, has);
    }
    return has;
  };
  return {
    name: 'redirects',
    refreshedLive: true,
    pageRendered(spec, _html, context) {
      if (!hasAliases(context)) return;
      let pages = pagesOf.get(context);
      if (!pages) {
        pages = new Set();
        pagesOf.set(context, pages);
      }
      pages.add(pageFile(spec.sitePath));
    },
    finish(context) {
      if (!hasAliases(context)) return [];
      const pages = pagesOf.get(context) ?? new Set();
      pagesOf.delete(context);
      return writeRedirects([...context.site.articles, ...context.site.pages], {
        urls: context.urls,
        language: context.config.language,
        output: context.output,
        pages,
        permalink: context.config.permalink,
      });
    },
  };
}
