import { childElements, parseXml, textOf, XmlError, type XmlTreeElement } from './xml.ts';

/**
 * Structural checks of feeds and sitemaps against the required elements of each spec:
 * RSS 2.0 (rssboard.org), Atom 1.0 (RFC 4287), JSON Feed 1.1, sitemaps.org 0.9.
 */
export interface Problem {
  severity: 'error' | 'warning';
  message: string;
  line?: number;
}

const ATOM_NS = 'http://www.w3.org/2005/Atom';
const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const RFC822 =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2,4} \d{2}:\d{2}(?::\d{2})? (?:GMT|UT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|Z|[A-IK-Z]|[+-]\d{4})$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;
const W3C_DATETIME =
  /^\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?)?)?$/;
const ABSOLUTE_IRI = /^[a-z][a-z0-9+.-]*:/i;
const HTTP_URL = /^https?:\/\/[^\s/]+/i;

export type DocumentKind = 'rss' | 'atom' | 'json-feed' | 'sitemap';

/** Checks a feed or sitemap file, telling the kind from its content. */
export interface DocumentCheckOptions {
  /**
   * The site was built with a path for `baseUrl` (the build warned): its feeds and sitemap
   * hold paths, which is then a warning, said once per document, not an error per URL.
   */
  builtWithPath?: boolean;
}

export function checkDocument(
  content: string,
  options: DocumentCheckOptions = {},
): { kind?: DocumentKind; problems: Problem[] } {
  const checked = checkDocumentAs(content, options);
  return { ...checked, problems: groupRelativeUrls(checked.problems, options) };
}

const NOT_ABSOLUTE = /^(.*) "(.*)" is not an absolute http\(s\) URL$/;

/** Warnings of links that are not absolute, one per document: a path `baseUrl` makes hundreds. */
function groupRelativeUrls(problems: Problem[], options: DocumentCheckOptions): Problem[] {
  const relative = problems.filter(
    (problem) => problem.severity === 'warning' && NOT_ABSOLUTE.test(problem.message),
  );
  if (relative.length < 2) return problems;
  const first = relative[0]!;
  const [, , value] = NOT_ABSOLUTE.exec(first.message)!;
  const grouped: Problem = {
    severity: 'warning',
    message: `${relative.length} links are not absolute http(s) URLs, the first "${value}"${options.builtWithPath ? ' (the site was built with a path for baseUrl)' : ''}`,
    ...(first.line === undefined ? {} : { line: first.line }),
  };
  return [grouped, ...problems.filter((problem) => !relative.includes(problem))];
}

function checkDocumentAs(
  content: string,
  options: DocumentCheckOptions,
): { kind?: DocumentKind; problems: Problem[] } {
  if (/^\s*[{[]/.test(content)) return { kind: 'json-feed', problems: checkJsonFeed(content) };
  let root: XmlTreeElement;
  try {
    root = parseXml(content);
  } catch (error) {
    if (error instanceof XmlError)
      return {
        problems: [
          { severity: 'error', message: `not well-formed XML: ${error.message}`, line: error.line },
        ],
      };
    throw error;
  }
  if (root.local === 'rss') return { kind: 'rss', problems: checkRss(root) };
  if (root.local === 'feed') return { kind: 'atom', problems: checkAtom(root) };
  if (root.local === 'urlset' || root.local === 'sitemapindex')
    return { kind: 'sitemap', problems: checkSitemap(root, undefined, options) };
  return { problems: [{ severity: 'error', message: `unknown document <${root.name}>` }] };
}

function one(
  parent: XmlTreeElement,
  local: string,
  problems: Problem[],
  ns?: string,
): XmlTreeElement | undefined {
  const found = childElements(parent, local, ns);
  if (found.length === 0)
    problems.push({
      severity: 'error',
      message: `<${parent.name}> lacks <${local}>`,
      line: parent.line,
    });
  else if (found.length > 1)
    problems.push({
      severity: 'error',
      message: `<${parent.name}> has ${found.length} <${local}>`,
      line: found[1]!.line,
    });
  return found[0];
}

function checkLink(value: string, what: string, line: number | undefined, problems: Problem[]) {
  if (!HTTP_URL.test(value))
    problems.push({
      severity: 'warning',
      message: `${what} "${value}" is not an absolute http(s) URL`,
      line,
    });
}

export function checkRss(root: XmlTreeElement): Problem[] {
  const problems: Problem[] = [];
  if (root.ns !== '')
    problems.push({ severity: 'error', message: '<rss> must not be in a namespace' });
  if (root.attributes.version !== '2.0')
    problems.push({
      severity: 'error',
      message: `<rss version="${root.attributes.version ?? ''}">, expected 2.0`,
    });
  const channel = one(root, 'channel', problems, '');
  if (!channel) return problems;
  for (const name of ['title', 'link', 'description']) one(channel, name, problems, '');
  const link = childElements(channel, 'link', '')[0];
  if (link) checkLink(textOf(link), 'channel link', link.line, problems);
  for (const name of ['pubDate', 'lastBuildDate']) {
    for (const date of childElements(channel, name, '')) checkRfc822(date, problems);
  }
  for (const item of childElements(channel, 'item', '')) {
    if (
      childElements(item, 'title', '').length + childElements(item, 'description', '').length ===
      0
    )
      problems.push({
        severity: 'error',
        message: '<item> has neither <title> nor <description>',
        line: item.line,
      });
    for (const date of childElements(item, 'pubDate', '')) checkRfc822(date, problems);
    for (const itemLink of childElements(item, 'link', ''))
      checkLink(textOf(itemLink), 'item link', itemLink.line, problems);
    for (const guid of childElements(item, 'guid', '')) {
      if (guid.attributes.isPermaLink !== 'false' && !HTTP_URL.test(textOf(guid)))
        problems.push({
          severity: 'error',
          message: 'a permalink <guid> must be a URL',
          line: guid.line,
        });
    }
    for (const enclosure of childElements(item, 'enclosure', '')) {
      for (const attribute of ['url', 'length', 'type']) {
        if (!enclosure.attributes[attribute])
          problems.push({
            severity: 'error',
            message: `<enclosure> lacks ${attribute}`,
            line: enclosure.line,
          });
      }
    }
  }
  return problems;
}

function checkRfc822(element: XmlTreeElement, problems: Problem[]) {
  const value = textOf(element).trim();
  if (!RFC822.test(value))
    problems.push({
      severity: 'error',
      message: `<${element.name}> "${value}" is not an RFC 822 date`,
      line: element.line,
    });
}

export function checkAtom(root: XmlTreeElement): Problem[] {
  const problems: Problem[] = [];
  if (root.ns !== ATOM_NS)
    return [{ severity: 'error', message: `<feed> is not in the Atom namespace ${ATOM_NS}` }];
  const checkCommon = (element: XmlTreeElement) => {
    const id = one(element, 'id', problems, ATOM_NS);
    if (id && !ABSOLUTE_IRI.test(textOf(id).trim()))
      problems.push({
        severity: 'error',
        message: `<id> "${textOf(id)}" is not an absolute IRI`,
        line: id.line,
      });
    one(element, 'title', problems, ATOM_NS);
    const updated = one(element, 'updated', problems, ATOM_NS);
    for (const date of [updated, ...childElements(element, 'published', ATOM_NS)]) {
      if (date && !RFC3339.test(textOf(date).trim()))
        problems.push({
          severity: 'error',
          message: `<${date.local}> "${textOf(date)}" is not an RFC 3339 date`,
          line: date.line,
        });
    }
    for (const link of childElements(element, 'link', ATOM_NS)) {
      if (!link.attributes.href)
        problems.push({ severity: 'error', message: '<link> lacks href', line: link.line });
      else
        checkLink(
          link.attributes.href,
          `<link rel="${link.attributes.rel ?? 'alternate'}">`,
          link.line,
          problems,
        );
    }
    for (const title of childElements(element, 'title', ATOM_NS)) {
      if (title.attributes.type === 'html' || title.attributes.type === 'xhtml')
        problems.push({
          severity: 'warning',
          message: `<title type="${title.attributes.type}">: readers will render markup in titles`,
          line: title.line,
        });
    }
  };
  checkCommon(root);
  const feedHasAuthor = childElements(root, 'author', ATOM_NS).length > 0;
  if (!childElements(root, 'link', ATOM_NS).some((link) => link.attributes.rel === 'self'))
    problems.push({ severity: 'warning', message: 'the feed has no <link rel="self">' });
  for (const entry of childElements(root, 'entry', ATOM_NS)) {
    checkCommon(entry);
    if (!feedHasAuthor && childElements(entry, 'author', ATOM_NS).length === 0)
      problems.push({
        severity: 'error',
        message: '<entry> has no <author> and the feed has none',
        line: entry.line,
      });
    const hasAlternate = childElements(entry, 'link', ATOM_NS).some(
      (link) => (link.attributes.rel ?? 'alternate') === 'alternate',
    );
    if (!hasAlternate && childElements(entry, 'content', ATOM_NS).length === 0)
      problems.push({
        severity: 'error',
        message: '<entry> has neither <content> nor <link rel="alternate">',
        line: entry.line,
      });
    for (const author of childElements(entry, 'author', ATOM_NS))
      one(author, 'name', problems, ATOM_NS);
  }
  for (const author of childElements(root, 'author', ATOM_NS))
    one(author, 'name', problems, ATOM_NS);
  return problems;
}

export function checkJsonFeed(content: string): Problem[] {
  let feed: unknown;
  try {
    feed = JSON.parse(content);
  } catch (error) {
    return [{ severity: 'error', message: `not valid JSON: ${(error as Error).message}` }];
  }
  const problems: Problem[] = [];
  const error = (message: string) => problems.push({ severity: 'error', message });
  if (typeof feed !== 'object' || feed === null || Array.isArray(feed))
    return [{ severity: 'error', message: 'a JSON Feed is an object' }];
  const record = feed as Record<string, unknown>;
  if (
    typeof record.version !== 'string' ||
    !record.version.startsWith('https://jsonfeed.org/version/')
  )
    error('"version" must be a jsonfeed.org version URL');
  if (typeof record.title !== 'string') error('"title" is required');
  for (const key of ['home_page_url', 'feed_url'] as const) {
    if (record[key] !== undefined) {
      if (typeof record[key] !== 'string') error(`"${key}" must be a string`);
      else checkLink(record[key], key, undefined, problems);
    }
  }
  if (!Array.isArray(record.items)) {
    error('"items" must be an array');
    return problems;
  }
  for (const [index, raw] of record.items.entries()) {
    const item = raw as Record<string, unknown>;
    const where = `items[${index}]`;
    if (typeof item !== 'object' || item === null) {
      error(`${where} must be an object`);
      continue;
    }
    if (typeof item.id !== 'string' || item.id === '')
      error(`${where}.id must be a non-empty string`);
    if (typeof item.content_html !== 'string' && typeof item.content_text !== 'string')
      error(`${where} needs content_html or content_text`);
    for (const key of ['date_published', 'date_modified']) {
      const value = item[key];
      if (value !== undefined && (typeof value !== 'string' || !RFC3339.test(value)))
        error(`${where}.${key} "${String(value)}" is not an RFC 3339 date`);
    }
    if (typeof item.url === 'string') checkLink(item.url, `${where}.url`, undefined, problems);
  }
  return problems;
}

export function checkSitemap(
  root: XmlTreeElement,
  bytes?: number,
  options: DocumentCheckOptions = {},
): Problem[] {
  const problems: Problem[] = [];
  if (root.ns !== SITEMAP_NS)
    return [
      {
        severity: 'error',
        message: `<${root.name}> is not in the sitemap namespace ${SITEMAP_NS}`,
      },
    ];
  const child = root.local === 'urlset' ? 'url' : 'sitemap';
  const entries = childElements(root, child, SITEMAP_NS);
  if (entries.length > 50_000)
    problems.push({
      severity: 'error',
      message: `${entries.length} entries; the protocol allows 50,000 per file`,
    });
  if (bytes !== undefined && bytes > 50 * 1024 * 1024)
    problems.push({ severity: 'error', message: 'larger than the 50 MB the protocol allows' });
  // A site built with a path for baseUrl has thousands of them: one problem says it.
  const relative: { value: string; line?: number }[] = [];
  for (const entry of entries) {
    const loc = one(entry, 'loc', problems, SITEMAP_NS);
    if (loc) {
      const value = textOf(loc).trim();
      if (!HTTP_URL.test(value)) relative.push({ value, line: loc.line });
      if (value.length > 2048)
        problems.push({
          severity: 'error',
          message: '<loc> is longer than 2,048 characters',
          line: loc.line,
        });
    }
    for (const lastmod of childElements(entry, 'lastmod', SITEMAP_NS)) {
      if (!W3C_DATETIME.test(textOf(lastmod).trim()))
        problems.push({
          severity: 'error',
          message: `<lastmod> "${textOf(lastmod)}" is not a W3C datetime`,
          line: lastmod.line,
        });
    }
  }
  if (relative.length > 0) {
    const [first] = relative;
    problems.push({
      // Built so on purpose (the build warned): search engines reject it, nothing breaks.
      severity: options.builtWithPath ? 'warning' : 'error',
      message:
        relative.length === 1
          ? `<loc> "${first!.value}" is not an absolute http(s) URL`
          : `${relative.length} <loc> values are not absolute http(s) URLs, the first "${first!.value}" (built with a path for baseUrl?)`,
      ...(first!.line === undefined ? {} : { line: first!.line }),
    });
  }
  return problems;
}
