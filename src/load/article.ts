import { hash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
// Dates in messages as the site shows them, in its zone.
import { isoInZone } from '../collect/local-time.ts';
import type { SiteConfig } from '../config/schema.ts';
import { articleWords } from '../languages.ts';
import type { BodyFormat, Diagnostic, LoadedArticle } from '../model.ts';
import { dateFromPath, dateFromUrl, parseDate } from './dates.ts';
import { decodeArticleBytes } from './decode.ts';
import type { ContentFile } from './discover.ts';
import {
  coverOf,
  extraFields,
  FIELD_ALIASES,
  FIELD_LIMITS,
  isNonEmpty,
  isStandalonePage,
  misshapenFields,
  pick,
  toAuthors,
  toCategoryTrails,
  toTags,
  toText,
  toUrlString,
  truncateText,
} from './fields.ts';
import { splitFrontMatter } from './front-matter.ts';
import { maskFencedCode } from './markdown-code.ts';

export interface LoadOutcome {
  article?: LoadedArticle;
  diagnostics: Diagnostic[];
  /**
   * Set when the file is there but could not be read (permissions, an I/O error): nothing
   * is known of its content, which may well be the one built last time.
   */
  unreadable?: true;
}

/** Files larger than this are refused: no news article is 50 MB, a misplaced dump is. */
export const MAX_ARTICLE_BYTES = 50 * 1024 * 1024;

/** A date this far ahead is probably a scraper's mistake; it is kept but reported. */
const FUTURE_TOLERANCE_MS = 2 * 24 * 3600 * 1000;

export function loadArticle(file: ContentFile, config: SiteConfig, now = Date.now()): LoadOutcome {
  const diagnostics: Diagnostic[] = [];
  const report = (severity: Diagnostic['severity'], message: string, line?: number) => {
    diagnostics.push(
      line
        ? { severity, file: file.relativePath, line, message }
        : { severity, file: file.relativePath, message },
    );
  };

  let bytes: Buffer;
  let modified: Date;
  try {
    const stats = statSync(file.absolutePath);
    if (stats.size > MAX_ARTICLE_BYTES) {
      report(
        'error',
        `file is ${(stats.size / 1048576).toFixed(0)} MB, over the ${MAX_ARTICLE_BYTES / 1048576} MB limit`,
      );
      return { diagnostics };
    }
    modified = stats.mtime;
    bytes = readFileSync(file.absolutePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    report('error', `cannot read file: ${code ?? (error as Error).message}`);
    // A file deleted since the folder was listed is gone, not unreadable.
    const gone = code === 'ENOENT' || code === 'ENOTDIR';
    return gone ? { diagnostics } : { diagnostics, unreadable: true };
  }

  const decoded = decodeArticleBytes(bytes, config.language);
  if (!decoded.ok) {
    report('error', decoded.reason);
    return { diagnostics };
  }
  if (decoded.encoding !== 'UTF-8')
    report('warning', `decoded as ${decoded.encoding}; consider saving it as UTF-8`);
  if (decoded.removedControlCharacters > 0) {
    report(
      'warning',
      `removed ${decoded.removedControlCharacters} control character(s) not allowed in HTML`,
    );
  }

  const split = splitFrontMatter(decoded.text);
  for (const problem of split.problems) report(problem.severity, problem.message, problem.line);
  if (split.failed) return { diagnostics };
  const data = split.data;
  const fileStem = stemOf(file.relativePath);

  const body = split.body;
  const misshapen = misshapenFields(data);
  for (const { key, found } of misshapen) {
    if (key === 'title') continue; // Said below, with what stands in for it.
    const wanted = key === 'tags' || key === 'categories' ? 'a list or text' : 'text';
    report('warning', `${key} is ${found}, not ${wanted}; ignored`, lineOfKey(decoded.text, [key]));
  }
  const lang = toText(pick(data, FIELD_ALIASES.lang, isNonEmpty));
  let title = toText(pick(data, FIELD_ALIASES.title, isNonEmpty));
  if (!title) {
    // The file name as the slug has it: a scraper's `2020-09-29-` prefix is no part of a title.
    title = firstHeading(body) ?? (stripDatePrefix(fileStem).trim() || undefined);
    const shape = misshapen.find(({ key }) => key === 'title')?.found;
    const problem = shape ? `title is ${shape}, not text` : 'no title in front matter';
    report(
      'warning',
      title ? `${problem}; using "${title}"` : `${problem}, body or file name`,
      shape ? lineOfKey(decoded.text, ['title']) : undefined,
    );
    title ??= articleWords(lang && isLanguageTag(lang) ? lang : config.language).untitled;
  }

  /** A date that publishes or withdraws the article (see collect/schedule.ts). */
  const scheduleDate = (name: string, keys: readonly string[]): Date | undefined => {
    const raw = pick(data, keys, (value) => isNonEmpty(value) && typeof value !== 'boolean');
    if (raw === undefined) return undefined;
    const parsed = parseDate(raw, config.timezone);
    if (!parsed)
      report(
        'warning',
        `unreadable ${name} ${JSON.stringify(raw)}, ignored`,
        lineOfKey(decoded.text, keys),
      );
    return parsed;
  };
  const publishDate = scheduleDate('publishDate', FIELD_ALIASES.publishDate);
  const expiryDate = scheduleDate('expiryDate', FIELD_ALIASES.expiryDate);
  const rawDate = pick(
    data,
    FIELD_ALIASES.date,
    (value) => isNonEmpty(value) && typeof value !== 'boolean',
  );
  // Hugo dates a post without `date` by its `publishDate`.
  let date =
    parseDate(rawDate, config.timezone) ?? (rawDate === undefined ? publishDate : undefined);
  // Hugo's `url` is the page's own pretty path (`/2019/05/my-old-url/`), which it keeps: a
  // permalink, not where the article was taken from. A path to a file or with a query
  // (`/news/a.html?id=3`) is a scraper's relative source link, refused as before.
  const hugoUrl =
    typeof data.url === 'string' && /^\/[^/?#\s][^?#\s]*\/$/.test(data.url.trim())
      ? data.url.trim()
      : undefined;
  const sourceUrl = toUrlString(
    pick(
      data,
      hugoUrl ? FIELD_ALIASES.sourceUrl.filter((key) => key !== 'url') : FIELD_ALIASES.sourceUrl,
      isNonEmpty,
    ),
  );
  if (!date) {
    // The file's time last: it differs on every clone or CI checkout of the archive.
    const fromPath = dateFromPath(file.relativePath, config.timezone);
    const fromUrl = fromPath ? undefined : dateFromUrl(sourceUrl, config.timezone);
    date = fromPath ?? fromUrl ?? modified;
    const source = fromPath
      ? 'the date in its path'
      : fromUrl
        ? 'the date in its source URL'
        : 'the file modification time (which changes with every clone: add a date)';
    // Jekyll dates posts by their file names (`2021-04-18-harbour.md`): no need to say so.
    const datedByName =
      rawDate === undefined && fromPath !== undefined && /^\d{4}-\d{2}-\d{2}-/.test(fileStem);
    // A page of the site (`layout: page`) has no date to show.
    if (!datedByName && !isStandalonePage(data, file.relativePath)) {
      report(
        'warning',
        rawDate === undefined
          ? `no date in front matter; using ${source}`
          : `unreadable date ${JSON.stringify(rawDate)}; using ${source}`,
        lineOfKey(decoded.text, FIELD_ALIASES.date),
      );
    }
  } else if (date.getTime() > now + FUTURE_TOLERANCE_MS && !publishDate) {
    // (A post given a `publishDate` is scheduled: it comes out then, whatever its date.)
    report(
      'warning',
      `date ${isoInZone(date, config.timezone)} is in the future`,
      lineOfKey(decoded.text, FIELD_ALIASES.date),
    );
  }
  const rawUpdated = pick(data, FIELD_ALIASES.updated, isNonEmpty);
  let updated = rawUpdated === undefined ? undefined : parseDate(rawUpdated, config.timezone);
  if (rawUpdated !== undefined && !updated) {
    report(
      'warning',
      `unreadable updated date ${JSON.stringify(rawUpdated)}, ignored`,
      lineOfKey(decoded.text, FIELD_ALIASES.updated),
    );
  } else if (updated && updated.getTime() < date.getTime()) {
    // An update before publication would date feeds, the sitemap and the site before it.
    report(
      'warning',
      `updated date ${isoInZone(updated, config.timezone)} is before the date ${isoInZone(date, config.timezone)}, ignored`,
      lineOfKey(decoded.text, FIELD_ALIASES.updated),
    );
    updated = undefined;
  } else if (updated && updated.getTime() > now + FUTURE_TOLERANCE_MS) {
    report(
      'warning',
      `updated date ${isoInZone(updated, config.timezone)} is in the future`,
      lineOfKey(decoded.text, FIELD_ALIASES.updated),
    );
  }

  const draftFlag = yesOrNo(data.draft);
  const publishedFlag = yesOrNo(data.published);
  // (`published` may as well be the date: only `draft` must be a flag.)
  if (data.draft !== undefined && data.draft !== null && draftFlag === undefined) {
    report(
      'warning',
      `draft: ${JSON.stringify(data.draft)} is neither true nor false; ignored`,
      lineOfKey(decoded.text, ['draft']),
    );
  }
  // Jekyll and Hexo keep drafts in `_drafts/`, whatever their front matter says.
  const draft =
    draftFlag === true ||
    publishedFlag === false ||
    file.relativePath.split('/').includes('_drafts');

  const { extra, unsafeKeys } = extraFields(data);
  if (unsafeKeys.length > 0)
    report('warning', `ignored front-matter key(s) ${unsafeKeys.join(', ')}`);

  const forcedFormat = toText(pick(data, FIELD_ALIASES.format, isNonEmpty))?.toLowerCase();
  if (forcedFormat && forcedFormat !== 'html' && forcedFormat !== 'markdown') {
    report('warning', `format "${forcedFormat}" is not html or markdown; detecting it instead`);
  }

  const slugSource =
    toText(pick(data, FIELD_ALIASES.slug, isNonEmpty)) ?? stripDatePrefix(fileStem);
  const permalink = toText(pick(data, FIELD_ALIASES.permalink, isNonEmpty)) ?? hugoUrl;
  const article: LoadedArticle = {
    sourcePath: file.absolutePath,
    relativePath: file.relativePath,
    title,
    date,
    ...(updated ? { updated } : {}),
    categories: toCategoryTrails(pick(data, FIELD_ALIASES.categories, isNonEmpty)),
    tags: toTags(pick(data, FIELD_ALIASES.tags, isNonEmpty)),
    authors: toAuthors(pick(data, FIELD_ALIASES.authors, isNonEmpty)),
    cover: coverOf(data),
    sourceUrl,
    description: toText(pick(data, FIELD_ALIASES.description, isNonEmpty)),
    slug: slugSource.trim() ? slugSource : title,
    ...(permalink ? { permalink } : {}),
    draft,
    ...(publishDate ? { publishDate } : {}),
    ...(expiryDate ? { expiryDate } : {}),
    lang,
    format: chooseBodyFormat(file.relativePath, forcedFormat, config.bodyFormat, body),
    body,
    bodyLine: split.bodyLine,
    extra,
    contentHash: hash('sha1', bytes, 'hex'),
  };
  boundFields(article, (message, keys) =>
    report('warning', message, lineOfKey(decoded.text, keys)),
  );
  if (body.trim() === '') report('warning', 'empty body');
  return { article, diagnostics };
}

/** Cuts fields past `FIELD_LIMITS` to size, reporting each field that was cut. */
function boundFields(
  article: LoadedArticle,
  report: (message: string, keys: readonly string[]) => void,
): void {
  const cut = (field: string, value: string, max: number, keys: readonly string[]) => {
    const cutValue = truncateText(value, max);
    if (cutValue !== value) report(`${field} is longer than ${max} characters; cut`, keys);
    return cutValue;
  };
  const nameCut = (kind: string, keys: readonly string[]) => {
    let reported = false;
    return (name: string) => {
      const cutName = truncateText(name, FIELD_LIMITS.name);
      if (cutName !== name && !reported) {
        reported = true;
        report(`${kind} names longer than ${FIELD_LIMITS.name} characters are cut`, keys);
      }
      return cutName;
    };
  };
  const tooMany = <T>(kind: string, list: T[], max: number, keys: readonly string[]): T[] => {
    if (list.length <= max) return list;
    report(`${list.length} ${kind}; only the first ${max} are kept`, keys);
    return list.slice(0, max);
  };

  article.title = cut('title', article.title, FIELD_LIMITS.title, FIELD_ALIASES.title);
  if (article.description !== undefined) {
    article.description = cut(
      'description',
      article.description,
      FIELD_LIMITS.description,
      FIELD_ALIASES.description,
    );
  }
  const tagName = nameCut('tag', FIELD_ALIASES.tags);
  article.tags = [
    ...new Set(tooMany('tags', article.tags, FIELD_LIMITS.tags, FIELD_ALIASES.tags).map(tagName)),
  ];
  const authorName = nameCut('author', FIELD_ALIASES.authors);
  article.authors = tooMany('authors', article.authors, FIELD_LIMITS.authors, FIELD_ALIASES.authors)
    .map((author) => {
      const name = authorName(author.name);
      return author.url && author.url.length <= FIELD_LIMITS.url
        ? { name, url: author.url }
        : { name };
    })
    .filter((author, index, all) => all.findIndex((other) => other.name === author.name) === index);
  const categoryName = nameCut('category', FIELD_ALIASES.categories);
  let deep = false;
  article.categories = tooMany(
    'category hierarchies',
    article.categories,
    FIELD_LIMITS.categoryTrails,
    FIELD_ALIASES.categories,
  ).map((trail) => {
    if (trail.length > FIELD_LIMITS.categoryDepth) deep = true;
    return trail.slice(0, FIELD_LIMITS.categoryDepth).map(categoryName);
  });
  if (deep) {
    report(
      `a category hierarchy is deeper than ${FIELD_LIMITS.categoryDepth} levels; cut`,
      FIELD_ALIASES.categories,
    );
  }
  for (const [field, keys] of [
    ['cover', FIELD_ALIASES.cover],
    ['sourceUrl', FIELD_ALIASES.sourceUrl],
    ['permalink', FIELD_ALIASES.permalink],
  ] as const) {
    const value = article[field];
    if (value !== undefined && value.length > FIELD_LIMITS.url) {
      report(`${keys[0]} is longer than ${FIELD_LIMITS.url} characters; ignored`, keys);
      delete article[field];
    }
  }
  article.slug = truncateText(article.slug, FIELD_LIMITS.url);
  if (article.lang !== undefined && !isLanguageTag(article.lang)) {
    report(
      `"${truncateText(article.lang, 40)}" is not a language tag; ignored`,
      FIELD_ALIASES.lang,
    );
    delete article.lang;
  } else if (article.lang?.includes('_')) {
    // `zh_CN`, as locales are written: BCP 47 (`lang`, `xml:lang`, feeds) has `zh-CN`.
    article.lang = article.lang.replace(/_/g, '-');
  }
}

/**
 * HTML unless the text reads as Markdown: scraped bodies start with a tag, while Markdown
 * (or Markdown around HTML, as Jekyll scrapers write) starts with text, links or headings.
 */
export function chooseBodyFormat(
  relativePath: string,
  forced: string | undefined,
  siteFormat: string,
  body: string,
): BodyFormat {
  if (forced === 'html' || forced === 'markdown') return forced;
  if (/\.html?$/i.test(relativePath)) return 'html';
  if (siteFormat === 'html' || siteFormat === 'markdown') return siteFormat;
  const start = body.replace(/^(?:\s|<!--[\s\S]*?-->)*/, '');
  if (start === '') return 'html';
  // `<https://…>` opening a Markdown paragraph is an autolink, not a tag.
  if (!/^<[a-zA-Z!/]/.test(start) || MARKDOWN_AUTOLINK.test(start)) return 'markdown';
  // A Markdown post may open with a banner image or a player (`<img …>`, `<iframe …>`) and go
  // on in Markdown; a scraped HTML body goes on in HTML.
  return opensWithBannerThenMarkdown(start) ? 'markdown' : 'html';
}

const MARKDOWN_AUTOLINK = /^<[a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*>/;
/**
 * Marks only Markdown makes: a heading, a code fence or a link reference opening a line,
 * two list items in a row, strong emphasis, an inline link or image.
 */
const STRONG_MARKDOWN = [
  /^(?:#{1,6}[ \t]+\S|```|~~~|\[[^\]\n]+\]:[ \t]+\S)/m,
  /^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\S.*\n[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\S/m,
  /\*\*[^*\n]+\*\*|!?\[[^\]\n]+\]\([^)\s]+[^)]*\)/,
];
/** Marks plain text may hold too: one list item, a quote, emphasis, code, `[1][2]`. */
const WEAK_MARKDOWN = [
  /^(?:[-*+][ \t]+\S|\d{1,9}[.)][ \t]+\S|>[ \t]?\S)/m,
  /(?<![*\w])\*[^*\s][^*\n]*?[^*\s]\*(?![*\w])|`[^`\n]+`|\[[^\]\n]+\]\[[^\]\n]*\]/,
];

/**
 * Whether a body opening with a tag is a Markdown post under a banner: its first paragraph
 * (the lines before the first blank line) is tags only, no text (an image, a player, a
 * centred logo); no line is an indented tag, which Markdown would show as code; and the
 * paragraphs after it that are not HTML use marks only Markdown makes, or are most of them
 * and use marks plain text may hold too. A scraped body's paragraphs are HTML, with here and
 * there a line of plain text.
 */
function opensWithBannerThenMarkdown(body: string): boolean {
  // The first paragraph alone first: most bodies are HTML with text in it, decided here.
  const blank = /\n[ \t]*\n/.exec(body);
  const first = blank ? body.slice(0, blank.index) : body;
  if (!blank || first.replace(/<[^>]*>/g, '').trim() !== '') return false;
  if (/^(?: {4}|\t)[ \t]*</m.test(maskFencedCode(body))) return false;
  const paragraphs = body
    .slice(blank.index + blank[0].length)
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);
  const plain = paragraphs.filter((paragraph) => !paragraph.startsWith('<'));
  const has = (patterns: RegExp[]) =>
    plain.some((paragraph) => patterns.some((pattern) => pattern.test(paragraph)));
  if (has(STRONG_MARKDOWN)) return true;
  return plain.length > paragraphs.length - plain.length && has(WEAK_MARKDOWN);
}

/**
 * The file's name without its extension; for a Hugo page bundle or Hexo folder post
 * (`2021/harbour-reopens/index.md`), the folder's name, as those tools name the post.
 */
function stemOf(relativePath: string): string {
  const parts = relativePath.split('/');
  const stem = parts.at(-1)!.replace(/\.[^.]*$/, '');
  return /^_?index$/i.test(stem) && parts.length > 1 ? parts.at(-2)! : stem;
}

function stripDatePrefix(stem: string): string {
  return stem.replace(/^\d{4}-\d{2}-\d{2}-/, '');
}

function isLanguageTag(text: string): boolean {
  return /^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$/.test(text);
}

function firstHeading(body: string): string | undefined {
  const html = /<h[1-3][^>]*>([\s\S]*?)<\/h[1-3]>/i.exec(body)?.[1];
  // Not a comment in a code block (`# install deps` in a fenced shell script).
  const markdown = /^#{1,3}\s+(.+)$/m.exec(maskFencedCode(body))?.[1];
  // A whole saved page: its <title>, when it has no heading.
  const documentTitle = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1];
  const text = (html ?? markdown ?? documentTitle)?.replace(/<[^>]*>/g, '');
  const cleaned = text ? toText(text) : undefined;
  return cleaned || undefined;
}

function lineOfKey(text: string, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const index = text.search(new RegExp(`^${key}\\s*:`, 'm'));
    if (index !== -1) return text.slice(0, index).split('\n').length;
  }
  return undefined;
}

/**
 * A front-matter flag: a boolean, or as YAML 1.1 (Jekyll's) and string-writing scrapers spell
 * one (`yes`, `no`, `on`, `off`, `"true"`, `1`, `0`). Undefined for anything else.
 */
function yesOrNo(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  if (['true', 'yes', 'y', 'on', '1'].includes(word)) return true;
  if (['false', 'no', 'n', 'off', '0'].includes(word)) return false;
  return undefined;
}
