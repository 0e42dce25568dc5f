/**
 * The configuration schema, as data: every key, its type, its default and what it means.
 * `gazette.config.yml` is validated against it; the README's reference is written from it.
 */

export type Field =
  | { kind: 'string'; default: string; doc: string; pattern?: RegExp; hint?: string }
  | { kind: 'integer'; default: number; doc: string; min: number; max: number }
  | { kind: 'boolean'; default: boolean; doc: string }
  | { kind: 'enum'; default: string; doc: string; values: readonly string[] }
  | { kind: 'strings'; default: string[]; doc: string }
  | { kind: 'stringMap'; default: Record<string, string>; doc: string }
  | { kind: 'rules'; default: ImageRewriteRule[]; doc: string }
  | { kind: 'section'; fields: Record<string, Field>; doc: string };

/** A rule applied to every image URL: a regular expression and its replacement ($1… allowed). */
export interface ImageRewriteRule {
  match: string;
  replace: string;
}

export const DEFAULT_EMBED_HOSTS = [
  'www.youtube.com',
  'www.youtube-nocookie.com',
  'player.vimeo.com',
  'player.bilibili.com',
  'v.qq.com',
  'player.youku.com',
  'tv.sohu.com',
  'www.dailymotion.com',
] as const;

export const CONFIG_SCHEMA = {
  title: { kind: 'string', default: 'Gazette', doc: 'Site title, shown in the header and feeds.' },
  description: {
    kind: 'string',
    default: '',
    doc: 'Site description for the home page, feeds and search engines; empty: "An archive of news articles" in the site\'s language (新闻文章存档…).',
  },
  language: {
    kind: 'string',
    default: 'zh-CN',
    doc: 'BCP 47 language of the site (`<html lang>`, and the theme speaks Simplified or Traditional Chinese, Japanese, Korean, else English); an article may override it with `lang`, also for the words Gazette writes into it (a missing title, links to dropped embeds).',
    pattern: /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/,
    hint: 'a BCP 47 tag such as zh-CN or en',
  },
  timezone: {
    kind: 'string',
    default: 'Asia/Shanghai',
    doc: 'IANA time zone in which dates without a zone are read and every date is shown.',
  },
  baseUrl: {
    kind: 'string',
    default: '/',
    doc: 'Where the site is deployed: an absolute URL (`https://user.github.io/news/`) or a path (`/news/`). Every link carries its path.',
  },
  permalink: {
    kind: 'string',
    default: ':year/:month/:day/:slug/',
    doc: 'Article URL pattern. Tokens: `:year :month :day :hour :minute :slug` (or `:title`) `:id :category`; any other token is an error. Every article is a folder: an ending `.html` or `/index.html` (`:slug.html`, from Hexo or Jekyll) is left out, with a warning, and the old `.html` URL gets a redirect page.',
  },
  pageSize: {
    kind: 'integer',
    default: 20,
    min: 1,
    max: 1000,
    doc: 'Articles per index page (home, categories, authors, tags, archives).',
  },
  pageNumbering: {
    kind: 'enum',
    default: 'newest-first',
    values: ['newest-first', 'stable'],
    doc: 'How index pages are numbered. `newest-first`: `page/2/` holds the second newest `pageSize` articles, so every page changes when an article is added. `stable`: `page/1/`, `page/2/`… hold fixed blocks counted from the oldest and the first page the newest `pageSize` to `2 × pageSize − 1`, so an article added as the newest changes the first page of each of its lists (and, every `pageSize` additions, the new block and the three below it): faster rebuilds, smaller uploads, old page URLs that keep their articles while the news is only added to.',
  },
  archivedLinks: {
    kind: 'boolean',
    default: true,
    doc: "Take a body's links to a story the archive also holds (an article whose source URL it is) to the archived copy; `false` keeps them as written.",
  },
  relatedArticles: {
    kind: 'integer',
    default: 4,
    min: 0,
    max: 20,
    doc: 'How many related articles an article page lists (sharing its tags and categories, nearest in time first); 0 lists none.',
  },
  dateFormat: {
    kind: 'string',
    default: 'yyyy-MM-dd HH:mm',
    doc: 'How dates are shown, in Luxon tokens (`yyyy-MM-dd HH:mm`, `DDD`, …).',
  },
  slugStyle: {
    kind: 'enum',
    default: 'unicode',
    values: ['unicode', 'pinyin', 'hash'],
    doc: 'How non-Latin titles become URL slugs: kept as Unicode (percent-encoded in links), transliterated to pinyin, or a short hash.',
  },
  bodyFormat: {
    kind: 'enum',
    default: 'auto',
    values: ['auto', 'html', 'markdown'],
    doc: 'How article bodies are read; `auto` detects per file. A file may force it with `format:`.',
  },
  excerptLength: {
    kind: 'integer',
    default: 120,
    min: 10,
    max: 2000,
    doc: 'Length of generated excerpts, in CJK characters (a Latin letter counts half).',
  },
  contentDir: { kind: 'string', default: 'content', doc: 'Folder of article files.' },
  outDir: { kind: 'string', default: 'site', doc: 'Folder the site is written to.' },
  templatesDir: {
    kind: 'string',
    default: 'templates',
    doc: 'Folder whose templates override the default theme, one file at a time, by name.',
  },
  publicDir: { kind: 'string', default: 'public', doc: 'Folder of static files copied as is.' },
  cacheDir: {
    kind: 'string',
    default: '.gazette-cache',
    doc: 'Build cache folder; safe to delete. A folder of its own: not the project, nor overlapping the content, templates, public or output folder.',
  },
  drafts: {
    kind: 'boolean',
    default: false,
    doc: 'Build drafts (`draft: true` or `published: false`), and articles whose `publishDate` is ahead or `expiryDate` past (a preview).',
  },
  images: {
    kind: 'section',
    doc: 'How image URLs in bodies and covers are resolved.',
    fields: {
      upgradeHttp: {
        kind: 'boolean',
        default: true,
        doc: 'Rewrite `http:` image URLs to `https:` (mixed content is blocked on https sites).',
      },
      sourceBase: {
        kind: 'stringMap',
        default: {},
        doc: 'Per source host, the base URL against which relative image URLs are resolved.',
      },
      rewrite: {
        kind: 'rules',
        default: [],
        doc: 'Rules `{match, replace}` (regular expression, replacement) applied to every image URL, e.g. to unwrap a CORS proxy or route a hot-link-protected host through an image proxy.',
      },
      mirror: {
        kind: 'boolean',
        default: false,
        doc: 'Download remote images into the output at build time.',
      },
      mirrorPrivateHosts: {
        kind: 'boolean',
        default: false,
        doc: 'Let mirroring download from loopback, private and link-local addresses (a self-hosted RSSHub or image proxy on your network). Off, a scraped page cannot make the build fetch from your machine or network, redirects included.',
      },
    },
  },
  embeds: {
    kind: 'section',
    doc: 'Which iframes survive sanitizing.',
    fields: {
      allowHosts: {
        kind: 'strings',
        default: [...DEFAULT_EMBED_HOSTS],
        doc: 'Hosts whose iframes are kept (sandboxed); others become a plain link. Host names only (`www.youtube.com`): no scheme, path, port or wildcard.',
      },
    },
  },
  feeds: {
    kind: 'section',
    doc: 'RSS, Atom and JSON feeds.',
    fields: {
      items: { kind: 'integer', default: 20, min: 1, max: 1000, doc: 'Items per feed.' },
      content: {
        kind: 'enum',
        default: 'full',
        values: ['full', 'excerpt'],
        doc: 'Put the full sanitized article or only its excerpt in the site feeds.',
      },
      termContent: {
        kind: 'enum',
        default: 'excerpt',
        values: ['full', 'excerpt'],
        doc: 'The same for the feeds of each category, author and tag (thousands of them on a large archive).',
      },
    },
  },
  sitemap: {
    kind: 'section',
    doc: 'sitemap.xml and robots.txt.',
    fields: {
      maxUrls: {
        kind: 'integer',
        default: 50000,
        min: 1,
        max: 50000,
        doc: 'URLs per sitemap file before splitting into a sitemap index.',
      },
    },
  },
  search: {
    kind: 'section',
    doc: 'Full-text search.',
    fields: {
      enabled: { kind: 'boolean', default: true, doc: 'Build the search index and page.' },
      bundleSize: {
        kind: 'integer',
        default: 3000,
        min: 1,
        max: 1000000,
        doc: 'Most articles in one search bundle. The index is split by year (and the newest month); a larger year or month is cut into runs of days. Two Pagefind processes each hold the bundle they are making in memory, about 0.7 MB an article: lower this on machines with little memory. More bundles mean more files fetched by the first search.',
      },
    },
  },
} as const satisfies Record<string, Field>;

type ValueOf<F> = F extends { kind: 'section'; fields: infer S }
  ? { [K in keyof S]: ValueOf<S[K]> }
  : F extends { kind: 'enum'; values: readonly (infer V)[] }
    ? V
    : F extends { kind: 'string' }
      ? string
      : F extends { kind: 'integer' }
        ? number
        : F extends { kind: 'boolean' }
          ? boolean
          : F extends { kind: 'strings' }
            ? string[]
            : F extends { kind: 'stringMap' }
              ? Record<string, string>
              : F extends { kind: 'rules' }
                ? ImageRewriteRule[]
                : never;

/** The validated configuration, every key present. */
export type SiteConfig = {
  -readonly [K in keyof typeof CONFIG_SCHEMA]: ValueOf<(typeof CONFIG_SCHEMA)[K]>;
};

function defaultsOf(fields: Record<string, Field>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) {
    result[key] =
      field.kind === 'section' ? defaultsOf(field.fields) : structuredClone(field.default);
  }
  return result;
}

export function defaultConfig(): SiteConfig {
  return defaultsOf(CONFIG_SCHEMA) as SiteConfig;
}
