import type { SiteConfig } from '../config/schema.ts';
import { isStandalonePage } from '../load/fields.ts';
import type {
  ArchiveMonth,
  ArchiveYear,
  Article,
  CategoryNode,
  Diagnostic,
  LoadedArticle,
  PathWish,
  TaxonomyTerm,
  TransformedBody,
} from '../model.ts';
import { collectedArticle } from './article.ts';
import { localParts } from './local-time.ts';
import { assignSlugs, shortHash, slugify } from './slug.ts';
import { SITE_PATHS } from './urls.ts';

/** Everything the render stage needs: articles newest first and every index over them. */
export interface Site {
  articles: Article[];
  /** Pages of the site that are not articles (`layout: page`): an About page. By URL. */
  pages: Article[];
  /** Top-level categories; each node lists its descendants' articles too. */
  categoryRoots: CategoryNode[];
  /** Every category node, parents before children. */
  categories: CategoryNode[];
  authors: TaxonomyTerm[];
  tags: TaxonomyTerm[];
  archives: ArchiveYear[];
  diagnostics: Diagnostic[];
}

export interface CollectInput {
  loaded: LoadedArticle;
  body: TransformedBody;
  /** Its `pathWish`, when known already (kept by the cache). */
  wish?: PathWish;
}

/**
 * `staticFiles`: the site paths of the project's `public/` files (`/about/index.html`), whose
 * places an article's URL may not take.
 */
export function collectSite(
  inputs: CollectInput[],
  config: SiteConfig,
  staticFiles: ReadonlySet<string> = new Set(),
): Site {
  const diagnostics: Diagnostic[] = [];
  // `:category` in the permalink names the category's own slugs, as its pages have them.
  const categoryPath = config.permalink.includes(':category')
    ? (() => {
        const slugPaths = categorySlugPaths(
          inputs.flatMap(({ loaded }) =>
            loaded.categories.flatMap((trail) =>
              trail.map((_, depth) => trail.slice(0, depth + 1)),
            ),
          ),
          config.slugStyle,
        );
        return (trail: readonly string[]) => slugPaths.get(trailKey(trail))!.join('/');
      })()
    : undefined;
  if (HTML_ENDING.test(config.permalink)) {
    diagnostics.push({
      severity: 'warning',
      file: 'config: permalink',
      message: `permalink "${config.permalink}" ends in a file name: articles are folders (each page is its folder's index.html), so ".html" is left out of their URLs`,
    });
  }
  // The site owner's own pages (`public/about/index.html`, then `layout: page` files) keep
  // their places: an article wanting `/about/` (or `/ABOUT/`, one folder on
  // case-insensitive hosts) moves aside.
  const taken = new Map<string, string>();
  for (const file of staticFiles) {
    const folder = file.endsWith('/index.html') ? file.slice(0, -'index.html'.length) : `${file}/`;
    taken.set(folder.toLowerCase(), `public${file}`);
  }
  const pages = assignPaths(
    inputs
      .filter((input) => isStandalonePage(input.loaded.extra, input.loaded.relativePath))
      .map((input) => ({ ...input, wish: pageWish(input.loaded, config) })),
    config,
    diagnostics,
    taken,
    undefined,
    // Not by date: a page's is its file's time, which an edit moves.
    'path',
  ).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const articles = assignPaths(
    inputs.filter((input) => !isStandalonePage(input.loaded.extra, input.loaded.relativePath)),
    config,
    diagnostics,
    taken,
    categoryPath,
  );
  articles.sort(newestFirst);

  const { roots, nodes } = collectCategories(articles, config);
  return {
    articles,
    pages,
    categoryRoots: roots,
    categories: nodes,
    authors: collectTerms(
      articles,
      (article) => article.authors.map((author) => author.name),
      config,
      SITE_PATHS.author,
    ),
    tags: collectTerms(articles, (article) => article.tags, config, SITE_PATHS.tag),
    archives: collectArchives(articles, config.timezone),
    diagnostics,
  };
}

export function newestFirst(
  a: { date: Date; relativePath: string },
  b: { date: Date; relativePath: string },
): number {
  return (
    b.date.getTime() - a.date.getTime() ||
    (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0)
  );
}

/**
 * Gives every article its site path from the permalink pattern. Articles are taken oldest
 * first so an older article keeps its URL when a newer one with the same slug arrives.
 */
function assignPaths(
  inputs: CollectInput[],
  config: SiteConfig,
  diagnostics: Diagnostic[],
  /** Site folders taken (lower case), by what took them; the paths given are added. */
  taken: Map<string, string>,
  categoryPath?: (trail: readonly string[]) => string,
  /** Who comes first when two want one URL: the older article, else the first file by path. */
  order: 'oldest' | 'path' = 'oldest',
): Article[] {
  const ordered = [...inputs].sort((a, b) =>
    order === 'oldest'
      ? -newestFirst(a.loaded, b.loaded)
      : a.loaded.relativePath < b.loaded.relativePath
        ? -1
        : a.loaded.relativePath > b.loaded.relativePath
          ? 1
          : 0,
  );
  return ordered.map(({ loaded, body, wish }) => {
    // A wish worked out alone (in a worker, or kept by the cache) cannot know the category
    // slugs the whole site gives: with `:category` it is worked out again here.
    const { id, wanted } =
      (categoryPath && !loaded.permalink ? undefined : wish) ??
      pathWish(loaded, config, categoryPath);
    // Index pages, feeds and assets own their top-level folders: an article wanting one of
    // them (`permalink: page/2`, `categories/news/`) moves beside it instead of replacing them.
    const firstSegment = wanted.split('/')[1]!.toLowerCase();
    const base =
      wanted === '/'
        ? '/article/'
        : RESERVED_ROOTS.has(firstSegment) || SEARCH_YEAR_BUNDLE.test(firstSegment)
          ? `/${firstSegment}-2${wanted.slice(firstSegment.length + 1)}`
          : wanted;
    let sitePath = base;
    for (let n = 2; taken.has(sitePath.toLowerCase()); n++) {
      sitePath = `${base.slice(0, -1)}-${n}/`;
    }
    if (sitePath !== wanted) {
      const other = taken.get(wanted.toLowerCase());
      diagnostics.push({
        severity: 'warning',
        file: loaded.relativePath,
        message: `URL ${wanted} is ${other ? `taken by ${other}` : 'reserved'}; using ${sitePath}`,
      });
    }
    taken.set(sitePath.toLowerCase(), loaded.relativePath);
    return collectedArticle(loaded, body, id, sitePath);
  });
}

/** The id of an article and the site path its permalink (or the site's pattern) gives. */
export function pathWish(
  loaded: LoadedArticle,
  config: SiteConfig,
  categoryPath?: (trail: readonly string[]) => string,
): PathWish {
  const id = shortHash(loaded.relativePath);
  const wanted = loaded.permalink
    ? permalinkFromFrontMatter(loaded.permalink, config)
    : expandPermalink(config.permalink, loaded, id, config, categoryPath);
  return { id, wanted };
}

/**
 * Where a page (`layout: page`) goes: its permalink, else its file's path without the
 * extension (`about.md` and `about/index.md` are `/about/`).
 */
function pageWish(loaded: LoadedArticle, config: SiteConfig): PathWish {
  const fromFile = loaded.relativePath
    .replace(/\.(?:md|markdown|html?)$/i, '')
    .replace(/(?:^|\/)_?index$/i, '');
  return {
    id: shortHash(loaded.relativePath),
    // (The home page is the site's list: a page of the content root's `index.md` is `/index/`.)
    wanted: permalinkFromFrontMatter(loaded.permalink ?? (fromFile || 'index'), config),
  };
}

/**
 * First path segments of the search index's year and day-run bundles (`/pagefind-2023/`,
 * `/pagefind-2023-04-17/`, search/shards.ts).
 */
const SEARCH_YEAR_BUNDLE = /^pagefind-\d{4}(?:-\d{2}-\d{2})?$/;

/**
 * First path segments the site's own pages and files live under: an article at `/_headers/`
 * would leave no room for the `_headers` file (the site's CSP).
 */
const RESERVED_ROOTS = new Set(
  [
    'categories',
    'authors',
    'tags',
    'archives',
    'search',
    'page',
    'assets',
    'pagefind',
    'pagefind-recent',
    'media',
    // The one root file without a dot (slugs turn dots into dashes).
    '_headers',
  ].map((segment) => segment.toLowerCase()),
);

function expandPermalink(
  pattern: string,
  article: LoadedArticle,
  id: string,
  config: SiteConfig,
  categoryPath?: (trail: readonly string[]) => string,
): string {
  const local = localParts(article.date, config.timezone);
  const firstTrail = article.categories[0] ?? [];
  // Each token is worked out only if the pattern has it: slugs can cost a pinyin lookup.
  const value = (token: string): string => {
    switch (token) {
      case 'year':
        return String(local.year).padStart(4, '0');
      case 'month':
        return String(local.month).padStart(2, '0');
      case 'day':
        return String(local.day).padStart(2, '0');
      case 'hour':
        return String(local.hour).padStart(2, '0');
      case 'minute':
        return String(local.minute).padStart(2, '0');
      case 'slug':
      case 'title':
        return slugify(article.slug, config.slugStyle);
      case 'id':
        return id;
      default:
        if (firstTrail.length === 0) return 'uncategorized';
        return categoryPath
          ? categoryPath(firstTrail)
          : firstTrail.map((name) => slugify(name, config.slugStyle)).join('/');
    }
  };
  const expanded = pattern
    .replace(HTML_ENDING, '')
    .replace(/:(year|month|day|hour|minute|slug|title|id|category)\b/g, (_, token: string) =>
      value(token),
    );
  return normalizeSitePath(expanded);
}

/**
 * A permalink ending in a page's file name (`:slug.html`, `:slug/index.html`, as Hexo and
 * Jekyll write them): every article is a folder, so a folder named `x.html/` would be made,
 * and slugs `index` and `404` would take the home page's and the 404 page's files.
 */
const HTML_ENDING = /(?:(?<=\/|^)index)?\.html?$/i;

/** Folders a front-matter permalink may nest: deep enough for any real URL, and far below
 * the 4,096-byte path limit. */
const MAX_PERMALINK_SEGMENTS = 8;

/** A permalink written in front matter is a wish, not a path: every segment is made safe. */
function permalinkFromFrontMatter(permalink: string, config: SiteConfig): string {
  let text = permalink;
  try {
    text = decodeURIComponent(permalink);
  } catch {
    // Kept as written.
  }
  // `/about/index.html` is the folder `/about/`, `/old-post.html` becomes `/old-post/`.
  const segments = text
    .replace(/(?:^|[/\\])index\.html?$/i, '/')
    .replace(/\.html?$/i, '')
    .split(/[/\\]+/)
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..')
    .slice(0, MAX_PERMALINK_SEGMENTS)
    // Case kept: an archive moved from another generator keeps its old URLs (clashes are
    // still found regardless of case).
    .map((segment) =>
      slugify(segment, config.slugStyle === 'hash' ? 'unicode' : config.slugStyle, {
        keepCase: true,
      }),
    );
  // Nothing left (`/`, `../..`): the home page's URL, which `assignPaths` refuses aloud.
  const path = segments.filter(Boolean).join('/');
  return path === '' ? '/' : normalizeSitePath(path);
}

function normalizeSitePath(expanded: string): string {
  const segments = expanded
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..');
  return `/${segments.join('/')}/`;
}

function collectCategories(
  articles: Article[],
  config: SiteConfig,
): { roots: CategoryNode[]; nodes: CategoryNode[] } {
  const roots: CategoryNode[] = [];
  const byTrail = new Map<string, CategoryNode>();
  const nodes: CategoryNode[] = [];
  for (const article of articles) {
    const seen = new Set<CategoryNode>();
    for (const trail of article.categories) {
      let parent: CategoryNode | undefined;
      for (let depth = 0; depth < trail.length; depth++) {
        const key = trail.slice(0, depth + 1).join('\u0000');
        let node = byTrail.get(key);
        if (!node) {
          node = {
            name: trail[depth]!,
            slug: '',
            path: '',
            trail: trail.slice(0, depth + 1),
            articles: [],
            children: [],
            ...(parent ? { parent } : {}),
          };
          byTrail.set(key, node);
          nodes.push(node);
          (parent ? parent.children : roots).push(node);
        }
        // An article in two sub-categories of one parent is listed there once.
        if (!seen.has(node)) {
          seen.add(node);
          node.articles.push(article);
        }
        parent = node;
      }
    }
  }
  const slugPaths = categorySlugPaths(
    nodes.map((node) => node.trail),
    config.slugStyle,
  );
  const place = (siblings: CategoryNode[]) => {
    for (const node of siblings) {
      const slugPath = slugPaths.get(trailKey(node.trail))!;
      node.slug = slugPath.at(-1)!;
      node.path = SITE_PATHS.category(slugPath);
      place(node.children);
    }
    siblings.sort(byCountThenName);
  };
  place(roots);
  return { roots, nodes: depthFirst(roots) };
}

function trailKey(trail: readonly string[]): string {
  return trail.join('\u0000');
}

/**
 * The slugs of each category trail, by `trailKey`: siblings get distinct slugs (`C++` and
 * `C#` are `c` and `c-2`), and a node's nest under its parent's. They depend only on which
 * categories the site has, so a permalink's `:category` can be worked out before the
 * category pages are.
 */
function categorySlugPaths(
  trails: Iterable<readonly string[]>,
  style: SiteConfig['slugStyle'],
): Map<string, string[]> {
  const children = new Map<string, Set<string>>();
  for (const trail of trails) {
    for (let depth = 0; depth < trail.length; depth++) {
      const parent = trailKey(trail.slice(0, depth));
      const names = children.get(parent) ?? new Set<string>();
      children.set(parent, names);
      names.add(trail[depth]!);
    }
  }
  const slugPaths = new Map<string, string[]>();
  const assign = (parentTrail: string[], parentSlugs: string[]) => {
    const names = children.get(trailKey(parentTrail));
    if (!names) return;
    for (const [name, slug] of assignSlugs(names, style)) {
      const trail = [...parentTrail, name];
      slugPaths.set(trailKey(trail), [...parentSlugs, slug]);
      assign(trail, [...parentSlugs, slug]);
    }
  };
  assign([], []);
  return slugPaths;
}

function depthFirst(roots: CategoryNode[]): CategoryNode[] {
  const ordered: CategoryNode[] = [];
  const pending = [...roots].reverse();
  while (pending.length > 0) {
    const node = pending.pop()!;
    ordered.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) pending.push(node.children[i]!);
  }
  return ordered;
}

function collectTerms(
  articles: Article[],
  namesOf: (article: Article) => string[],
  config: SiteConfig,
  pathOf: (slug: string) => string,
): TaxonomyTerm[] {
  const byName = new Map<string, Article[]>();
  for (const article of articles) {
    for (const name of namesOf(article)) {
      let list = byName.get(name);
      if (!list) {
        list = [];
        byName.set(name, list);
      }
      list.push(article);
    }
  }
  const slugs = assignSlugs(byName.keys(), config.slugStyle);
  const terms = [...byName].map(([name, list]) => {
    const slug = slugs.get(name)!;
    return { name, slug, path: pathOf(slug), articles: list };
  });
  return terms.sort(byCountThenName);
}

function byCountThenName(a: TaxonomyTerm, b: TaxonomyTerm): number {
  return b.articles.length - a.articles.length || a.name.localeCompare(b.name, 'zh-CN');
}

function collectArchives(articles: Article[], timezone: string): ArchiveYear[] {
  const years = new Map<number, ArchiveYear>();
  const months = new Map<string, ArchiveMonth>();
  for (const article of articles) {
    const local = localParts(article.date, timezone);
    let year = years.get(local.year);
    if (!year) {
      year = { year: local.year, path: SITE_PATHS.year(local.year), months: [], articles: [] };
      years.set(local.year, year);
    }
    year.articles.push(article);
    const monthKey = `${local.year}-${local.month}`;
    let month = months.get(monthKey);
    if (!month) {
      month = {
        year: local.year,
        month: local.month,
        path: SITE_PATHS.month(local.year, local.month),
        articles: [],
      };
      months.set(monthKey, month);
      year.months.push(month);
    }
    month.articles.push(article);
  }
  // Articles arrive newest first, so years and months already are.
  return [...years.values()];
}

/**
 * The date shown as the site's build date: its newest article's, so that building the same
 * content twice gives the same bytes (and unchanged pages are not rewritten).
 */
export function lastChange(site: Site): Date | undefined {
  let newest: number | undefined;
  for (const article of site.articles) {
    const time = (article.updated ?? article.date).getTime();
    if (newest === undefined || time > newest) newest = time;
  }
  return newest === undefined ? undefined : new Date(newest);
}
