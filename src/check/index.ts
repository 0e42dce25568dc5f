import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UrlBuilder } from '../collect/urls.ts';
import type { Diagnostic } from '../model.ts';
import { OutputError } from '../write/output.ts';
import { checkDocument, type Problem } from './feeds.ts';
import { pageReferences } from './links.ts';
import { childElements, parseXml, textOf } from './xml.ts';

export interface CheckOptions {
  /** The built site. */
  outDir: string;
  /** The site's base URL, to tell internal links (and canonical URLs) from external ones. */
  baseUrl: string;
  /** Stop listing pages for one broken target after this many. */
  examplesPerTarget?: number;
}

export interface CheckResult {
  diagnostics: Diagnostic[];
  pages: number;
  references: number;
  documents: number;
  ok: boolean;
}

const FEED_NAMES = new Set(['feed.xml', 'atom.xml', 'feed.json']);
const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
]);

/**
 * Checks a built site: every internal link, image, script and stylesheet resolves to a file;
 * every feed and sitemap is well-formed and has what its spec requires. External links are
 * not fetched (a check must not depend on other people's servers).
 */
export function checkSite(options: CheckOptions): CheckResult {
  const outDir = path.resolve(options.outDir);
  if (!existsSync(outDir) || !statSync(outDir).isDirectory())
    throw new OutputError(`no built site at ${outDir}; run "gazette build" first`);
  const urls = new UrlBuilder(options.baseUrl);
  const files = listFiles(outDir);
  const fileSet = new Set(files);
  // A CI job pointed at the wrong folder must not pass: every Gazette site has a home page.
  if (!fileSet.has('index.html'))
    throw new OutputError(
      `no index.html in ${outDir}: not a built site (check --out, or run "gazette build" first)`,
    );
  const diagnostics: Diagnostic[] = [];

  // Internal references, grouped by what they point at: one broken image on 5,000 pages is
  // one problem.
  const broken = new Map<
    string,
    { sources: string[]; count: number; kind: string; shown: string; lastPage?: string }
  >();
  const documents = new Set<string>();
  let pages = 0;
  let references = 0;
  for (const file of files) {
    if (FEED_NAMES.has(path.posix.basename(file)) || /^sitemap(?:-\d+)?\.xml$/.test(file))
      documents.add(file);
    if (!file.endsWith('.html')) continue;
    pages++;
    const pageHref = urls.href(`/${file.replace(/(^|\/)index\.html$/, '$1')}`);
    for (const reference of pageReferences(readFileSync(path.join(outDir, file), 'utf8'))) {
      const target = resolveInternal(reference.url, pageHref, urls);
      if (target === undefined) continue;
      references++;
      const found = target.sitePath === undefined ? undefined : fileFor(target.sitePath, fileSet);
      if (found) {
        if (
          reference.tag === 'link' &&
          reference.rel?.includes('alternate') &&
          FEED_TYPES.has(reference.type ?? '')
        )
          documents.add(found);
        continue;
      }
      const key = target.sitePath ?? target.pathname;
      let entry = broken.get(key);
      if (!entry) {
        entry = {
          sources: [],
          count: 0,
          kind: describe(reference.tag, reference.attribute),
          // As the page names it, base path included: what a reader's browser asks for.
          shown: decodedPath(target.pathname),
        };
        broken.set(key, entry);
      }
      // Pages, not references (pages are read one after another): a page that names it twice
      // counts once.
      if (entry.lastPage === file) continue;
      entry.lastPage = file;
      entry.count++;
      if (entry.sources.length < (options.examplesPerTarget ?? 3)) entry.sources.push(file);
    }
  }
  for (const entry of broken.values()) {
    const more =
      entry.count > entry.sources.length ? ` (and ${entry.count - entry.sources.length} more)` : '';
    diagnostics.push({
      severity: 'error',
      file: entry.sources[0]!,
      message: `broken ${entry.kind}: ${entry.shown} does not exist${entry.sources.length > 1 ? `; also on ${entry.sources.slice(1).join(', ')}` : ''}${more}`,
    });
  }

  // Feeds and sitemaps.
  for (const file of [...documents].sort()) {
    const content = readFileSync(path.join(outDir, file), 'utf8');
    const { kind, problems } = checkDocument(content, { builtWithPath: !urls.origin });
    for (const problem of problems) diagnostics.push(toDiagnostic(file, kind, problem));
    if (kind === 'sitemap') diagnostics.push(...checkSitemapTargets(file, content, urls, fileSet));
  }
  if (!fileSet.has('sitemap.xml'))
    diagnostics.push({
      severity: 'warning',
      file: 'sitemap.xml',
      message: 'the site has no sitemap',
    });

  return {
    diagnostics,
    pages,
    references,
    documents: documents.size,
    ok: !diagnostics.some((diagnostic) => diagnostic.severity === 'error'),
  };
}

function toDiagnostic(file: string, kind: string | undefined, problem: Problem): Diagnostic {
  // A document that does not parse is named by its file name.
  const guessed =
    kind ??
    { 'feed.xml': 'rss', 'atom.xml': 'atom', 'feed.json': 'json-feed' }[
      path.posix.basename(file)
    ] ??
    (file.startsWith('sitemap') ? 'sitemap' : '');
  const label =
    { rss: 'RSS', atom: 'Atom', 'json-feed': 'JSON Feed', sitemap: 'sitemap' }[guessed] ?? 'feed';
  return {
    severity: problem.severity,
    file,
    ...(problem.line ? { line: problem.line } : {}),
    message: `${label}: ${problem.message}`,
  };
}

/** Every URL a sitemap lists on this site must be a page that exists. */
function checkSitemapTargets(
  file: string,
  content: string,
  urls: UrlBuilder,
  fileSet: Set<string>,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  let root: ReturnType<typeof parseXml>;
  try {
    root = parseXml(content);
  } catch {
    return diagnostics;
  }
  for (const entry of childElements(root)) {
    for (const loc of childElements(entry, 'loc')) {
      const value = textOf(loc).trim();
      // The sitemaps protocol takes only URLs of the sitemap's own host.
      if (urls.origin && /^https?:\/\//i.test(value) && originOf(value) !== urls.origin) {
        diagnostics.push({
          severity: 'error',
          file,
          line: loc.line,
          message: `sitemap: ${value} is not on the site's host (${urls.origin}); search engines ignore it`,
        });
        continue;
      }
      const target = resolveInternal(value, urls.href('/'), urls);
      if (!target || (target.sitePath !== undefined && fileFor(target.sitePath, fileSet))) continue;
      diagnostics.push({
        severity: 'error',
        file,
        line: loc.line,
        message: `sitemap: ${textOf(loc).trim()} is not a page of the site`,
      });
    }
  }
  return diagnostics;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function describe(tag: string, attribute: string): string {
  if (tag === 'img' || (tag === 'source' && attribute === 'srcset') || attribute === 'poster')
    return 'image';
  if (tag === 'a' || tag === 'area') return 'link';
  if (tag === 'link') return 'linked resource';
  return `${tag} ${attribute}`;
}

/**
 * The site path a URL points at, if it points into this site: relative and root-relative
 * URLs, and absolute ones on the site's own host, by either scheme (`//host/…` is read with
 * the site's; `http://host/…` is the same pages). Undefined for external URLs; a `sitePath`
 * of undefined for local URLs outside the base path.
 */
function decodedPath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

function resolveInternal(
  raw: string,
  pageHref: string,
  urls: UrlBuilder,
): { sitePath?: string; pathname: string } | undefined {
  if (raw === '' || raw.startsWith('#')) return undefined;
  const site = urls.origin ? new URL(urls.origin) : undefined;
  const local = `${site?.protocol ?? 'http:'}//gazette.invalid`;
  let url: URL;
  try {
    url = new URL(raw, local + pageHref);
  } catch {
    return { pathname: raw };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.origin !== local && url.host !== site?.host) return undefined;
  const sitePath = urls.toSitePath(url.pathname);
  return { ...(sitePath !== undefined ? { sitePath } : {}), pathname: url.pathname };
}

/** The file a host serves for a site path: `/a/` → `a/index.html`, `/a` → `a` or `a/index.html`. */
function fileFor(sitePath: string, fileSet: Set<string>): string | undefined {
  const relative = sitePath.replace(/^\/+/, '');
  const candidates =
    relative === '' || relative.endsWith('/')
      ? [`${relative}index.html`]
      : [relative, `${relative}/index.html`, `${relative}.html`];
  return candidates.find((candidate) => fileSet.has(candidate));
}

function listFiles(root: string): string[] {
  const files: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const folder = pending.pop()!;
    for (const entry of readdirSync(path.join(root, folder), { withFileTypes: true })) {
      const relative = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) pending.push(relative);
      else if (entry.isFile() && entry.name !== '.gazette-output') files.push(relative);
    }
  }
  return files.sort();
}
