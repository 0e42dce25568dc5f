import { isoInZone } from '../collect/local-time.ts';
import { FEED_FILES, type FeedDocument, type FeedEntry } from './model.ts';
import { el, textEl, type XmlNode, xmlDocument } from './xml.ts';

/** Namespaces, declared once on the root so every prefix used is bound. */
const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  media: 'http://search.yahoo.com/mrss/',
};

/** RFC 822 date, as RSS 2.0 requires (`Mon, 04 Apr 2022 15:12:14 GMT`). */
export function rfc822(date: Date): string {
  return date.toUTCString();
}

/** RFC 3339 date with the site's offset, as Atom and JSON Feed require. */
export function rfc3339(date: Date, timezone: string): string {
  return isoInZone(date, timezone);
}

/**
 * Readers show an RSS item's description as HTML, so the plain-text summary is escaped as HTML
 * before it is escaped as XML: an article's text `&lt;img onerror=…&gt;` stays text instead of
 * becoming a tag in the reader. (Atom and JSON Feed say their summary is text.)
 */
function asHtmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** RSS 2.0 (https://www.rssboard.org/rss-specification) with content, dc and Media RSS. */
export function renderRss(feed: FeedDocument): string {
  const items = feed.entries.map((entry) =>
    el('item', {}, [
      textEl('title', entry.title),
      textEl('link', entry.url),
      textEl('guid', entry.url, { isPermaLink: feed.absolute ? 'true' : 'false' }),
      textEl('pubDate', rfc822(entry.published)),
      textEl('description', asHtmlText(entry.summary)),
      textEl('content:encoded', entry.contentHtml),
      // RSS <author> must be an e-mail address; names go in dc:creator.
      ...entry.authors.map((author) => textEl('dc:creator', author.name)),
      ...entry.categories.map((name) => textEl('category', name)),
      // <enclosure> requires a type (and a length, unknown for remote images: 0 is the convention).
      entry.image?.type &&
        el('enclosure', { url: entry.image.url, length: 0, type: entry.image.type }),
      ...mediaContent(entry),
    ]),
  );
  const channel = el('channel', {}, [
    textEl('title', feed.title),
    textEl('link', feed.homeUrl),
    textEl('description', feed.description || feed.title),
    textEl('language', feed.language.toLowerCase()),
    textEl('lastBuildDate', rfc822(feed.updated)),
    textEl('generator', feed.generator),
    textEl('docs', 'https://www.rssboard.org/rss-specification'),
    el('atom:link', { href: feed.selfUrls.rss, rel: 'self', type: FEED_FILES.rss.type }),
    ...items,
  ]);
  return xmlDocument(
    el(
      'rss',
      {
        version: '2.0',
        'xmlns:atom': NS.atom,
        'xmlns:content': NS.content,
        'xmlns:dc': NS.dc,
        'xmlns:media': NS.media,
      },
      [channel],
    ),
  );
}

function mediaContent(entry: FeedEntry): XmlNode[] {
  if (!entry.image) return [];
  return [
    el('media:content', {
      url: entry.image.url,
      medium: 'image',
      type: entry.image.type,
      width: entry.image.width,
      height: entry.image.height,
    }),
  ];
}

/** Atom 1.0 (RFC 4287). Titles are `type="text"`: a title is never markup. */
export function renderAtom(feed: FeedDocument): string {
  const date = (value: Date) => rfc3339(value, feed.timezone);
  const entries = feed.entries.map((entry) =>
    // An article in another language than the site's says so (an English story on a
    // Chinese site), for readers that pick fonts, hyphenation or translation by it.
    el('entry', { 'xml:lang': otherLanguage(entry, feed) }, [
      textEl('id', entry.id),
      textEl('title', entry.title, { type: 'text' }),
      el('link', { rel: 'alternate', type: 'text/html', href: entry.url }),
      textEl('published', date(entry.published)),
      textEl('updated', date(entry.updated)),
      ...entry.authors.map((author) =>
        el('author', {}, [textEl('name', author.name), textEl('uri', author.url)]),
      ),
      ...entry.categories.map((name) => el('category', { term: name })),
      textEl('summary', entry.summary, { type: 'text' }),
      textEl('content', entry.contentHtml, { type: 'html' }),
      entry.image &&
        el('link', { rel: 'enclosure', href: entry.image.url, type: entry.image.type }),
      ...mediaContent(entry),
    ]),
  );
  return xmlDocument(
    el('feed', { xmlns: NS.atom, 'xmlns:media': NS.media, 'xml:lang': feed.language }, [
      textEl('id', feed.id),
      textEl('title', feed.title, { type: 'text' }),
      textEl('subtitle', feed.description || undefined, { type: 'text' }),
      textEl('updated', date(feed.updated)),
      el('link', { rel: 'alternate', type: 'text/html', href: feed.homeUrl }),
      el('link', { rel: 'self', type: FEED_FILES.atom.type, href: feed.selfUrls.atom }),
      // A feed-level author makes entries without their own author valid (RFC 4287 §4.1.1).
      el('author', {}, [textEl('name', feed.title)]),
      textEl('generator', feed.generator),
      ...entries,
    ]),
  );
}

/** The entry's language when it is not the feed's (compared as tags, case aside). */
function otherLanguage(entry: FeedEntry, feed: FeedDocument): string | undefined {
  return entry.language && entry.language.toLowerCase() !== feed.language.toLowerCase()
    ? entry.language
    : undefined;
}

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). */
export function renderJsonFeed(feed: FeedDocument): string {
  const date = (value: Date) => rfc3339(value, feed.timezone);
  const json = {
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.selfUrls.json,
    description: feed.description,
    language: feed.language,
    authors: [{ name: feed.title }],
    items: feed.entries.map((entry) => ({
      id: entry.id,
      url: entry.url,
      title: entry.title,
      ...(entry.contentHtml !== undefined
        ? { content_html: entry.contentHtml }
        : { content_text: entry.summary }),
      summary: entry.summary,
      ...(entry.image ? { image: entry.image.url } : {}),
      date_published: date(entry.published),
      date_modified: date(entry.updated),
      ...(entry.authors.length > 0
        ? {
            authors: entry.authors.map((author) => ({
              name: author.name,
              ...(author.url ? { url: author.url } : {}),
            })),
          }
        : {}),
      ...(entry.categories.length > 0 ? { tags: entry.categories } : {}),
      ...(otherLanguage(entry, feed) ? { language: entry.language } : {}),
    })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

export const FEED_RENDERERS = { rss: renderRss, atom: renderAtom, json: renderJsonFeed };
