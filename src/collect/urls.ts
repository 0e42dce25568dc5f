import path from 'node:path';

/**
 * The one place URLs are made. Inside Gazette a page is known by its *site path*: a
 * decoded path from the site root, starting with `/` and ending with `/` for pretty URLs
 * (`/2022/04/04/乌方/`). `href` turns it into what goes in an attribute: base path applied,
 * each segment percent-encoded.
 */
export class UrlBuilder {
  /** Path part of the base URL, with leading and trailing `/`. */
  readonly basePath: string;
  /** Origin of the base URL (`https://user.github.io`), when it is absolute. */
  readonly origin?: string;
  /** Encoded hrefs by site path: a category's URL is wanted on every card that lists it. */
  private readonly hrefs = new Map<string, string>();

  constructor(baseUrl: string) {
    if (baseUrl.startsWith('/')) {
      this.basePath = withSlashes(baseUrl);
    } else {
      const url = new URL(baseUrl);
      this.origin = url.origin;
      this.basePath = withSlashes(decodeURIComponent(url.pathname));
    }
  }

  /** Attribute value for a site path: `/news/2022/04/%E4%B9%8C/`. */
  href(sitePath: string): string {
    let href = this.hrefs.get(sitePath);
    if (href === undefined) {
      href = encodePath(this.basePath + sitePath.replace(/^\/+/, ''));
      this.hrefs.set(sitePath, href);
    }
    return href;
  }

  /** Absolute URL when the base URL is absolute, otherwise the same as `href`. */
  absolute(sitePath: string): string {
    return (this.origin ?? '') + this.href(sitePath);
  }

  /** Strips the base path from a request path; undefined when the path is outside the site. */
  toSitePath(requestPath: string): string | undefined {
    let decoded: string;
    try {
      decoded = decodeURIComponent(requestPath);
    } catch {
      return undefined;
    }
    if (decoded === this.basePath.slice(0, -1)) return '/';
    if (!decoded.startsWith(this.basePath)) return undefined;
    return `/${decoded.slice(this.basePath.length)}`;
  }
}

function withSlashes(value: string): string {
  const trimmed = value.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '/' : `/${trimmed}/`;
}

export function encodePath(decoded: string): string {
  return decoded
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/** Site paths of the index pages, in one place so collect, render and feeds agree. */
export const SITE_PATHS = {
  home: '/',
  categories: '/categories/',
  authors: '/authors/',
  tags: '/tags/',
  archives: '/archives/',
  search: '/search/',
  notFound: '/404.html',
  category: (slugs: string[]) => `/categories/${slugs.join('/')}/`,
  author: (slug: string) => `/authors/${slug}/`,
  tag: (slug: string) => `/tags/${slug}/`,
  year: (year: number) => `/archives/${String(year).padStart(4, '0')}/`,
  month: (year: number, month: number) =>
    `/archives/${String(year).padStart(4, '0')}/${String(month).padStart(2, '0')}/`,
};

/** Site paths whose segments are plain names (none empty, `.`/`..`-led, or with `\\` or NUL). */
const PLAIN_SITE_PATH = /^(?:\/[^/\\\0.][^/\\\0]*)*\/?$/;

/**
 * The output file of a site path relative to the output folder, `/`-separated
 * (`/a/b/` → `a/b/index.html`), or undefined when the path would leave the folder.
 */
export function outputRelativeFile(sitePath: string): string | undefined {
  if (PLAIN_SITE_PATH.test(sitePath) && sitePath !== '') {
    // Checked by the expression alone: the common case of every page of a build.
    return sitePath.endsWith('/') ? `${sitePath.slice(1)}index.html` : sitePath.slice(1);
  }
  const file = outputFileFor('/out', sitePath);
  return file === undefined
    ? undefined
    : path.posix.relative('/out', file.split(path.sep).join('/'));
}

/**
 * The file a site path is written to (`/a/b/` → `a/b/index.html`), or undefined when the
 * path would leave the output folder. Every write goes through this check.
 */
export function outputFileFor(outDir: string, sitePath: string): string | undefined {
  const relative = sitePath.endsWith('/') ? `${sitePath}index.html` : sitePath;
  const segments = relative.split('/').filter((segment) => segment !== '');
  if (
    segments.some(
      (segment) =>
        segment === '..' || segment === '.' || segment.includes('\\') || segment.includes('\0'),
    )
  ) {
    return undefined;
  }
  const resolved = path.resolve(outDir, ...segments);
  const fromRoot = path.relative(path.resolve(outDir), resolved);
  if (fromRoot === '' || fromRoot.startsWith('..') || path.isAbsolute(fromRoot)) return undefined;
  return resolved;
}
