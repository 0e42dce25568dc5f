/**
 * Scraped HTML can nest 10,000 elements deep, and parse5 → hast conversion, hast-util-sanitize
 * and hast-util-to-html all recurse: such a body would overflow the stack. This pre-pass runs on
 * the body *string*, before any parser, without recursion: tags that would open an element
 * deeper than `maxDepth` are removed (with their end tags), their text is kept.
 *
 * It models the HTML tree builder only roughly (void elements, raw-text elements, the implied
 * end tags of p/li/dt/dd/tr/td/th/option), and errs towards over-counting depth, so the parsed
 * tree is never deeper than `maxDepth` plus the few elements the tree builder adds by itself.
 */

import { HEADINGS } from './html-elements.ts';

/** Default depth beyond which elements are flattened. Real articles stay far below it. */
export const DEFAULT_MAX_NESTING_DEPTH = 200;

export interface NestingLimitResult {
  /** The body, unchanged when nothing was too deep. */
  html: string;
  /** Number of start tags removed. */
  removedTags: number;
  /** 1-based line (within the body) of the first removed tag. */
  firstLine?: number;
}

const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
  'basefont',
  'bgsound',
  'frame',
  'keygen',
  'image',
]);

/** Elements whose content is text up to their end tag (never parsed as markup). */
const RAW_TEXT_ELEMENTS = new Set([
  'script',
  'style',
  'textarea',
  'title',
  'xmp',
  'iframe',
  'noembed',
  'noframes',
  'noscript',
  'plaintext',
]);

/** Start tags that implicitly close an open element of the same group. */
const SELF_CLOSING_GROUPS: Record<string, readonly string[]> = {
  p: ['p'],
  li: ['li'],
  dt: ['dt', 'dd'],
  dd: ['dt', 'dd'],
  tr: ['tr', 'td', 'th'],
  td: ['td', 'th'],
  th: ['td', 'th'],
  option: ['option'],
  rt: ['rt', 'rp'],
  rp: ['rt', 'rp'],
};

/** Block start tags that close an open `<p>`. */
const CLOSES_P = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'div',
  'dl',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  ...HEADINGS,
  'header',
  'hr',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'ul',
  'details',
  'summary',
  'center',
  'menu',
]);

// A comment, a doctype/CDATA/processing instruction, or a start/end tag with quoted attributes.
const TOKEN =
  /<!--[\s\S]*?(?:-->|$)|<[!?][^>]*>?|<(\/?)([a-zA-Z][^\s/>]*)((?:"[^"]*"?|'[^']*'?|[^'">])*)>?/g;

interface OpenElement {
  name: string;
  removed: boolean;
}

/** Counts '<' quickly: a body with fewer start tags than the limit cannot be too deep. */
function countTagOpeners(html: string, limit: number): number {
  let count = 0;
  let index = html.indexOf('<');
  while (index >= 0 && count <= limit) {
    count++;
    index = html.indexOf('<', index + 1);
  }
  return count;
}

export function limitNestingDepth(
  html: string,
  maxDepth: number = DEFAULT_MAX_NESTING_DEPTH,
): NestingLimitResult {
  if (countTagOpeners(html, maxDepth) <= maxDepth) return { html, removedTags: 0 };

  const stack: OpenElement[] = [];
  let kept = 0; // open elements on the stack that were not removed
  const pieces: string[] = [];
  let copiedUpTo = 0;
  let removedTags = 0;
  let firstRemovedAt = -1;
  let lower: string | undefined;

  const pop = (): void => {
    const element = stack.pop();
    if (element && !element.removed) kept--;
  };
  const removeToken = (start: number, end: number): void => {
    pieces.push(html.slice(copiedUpTo, start));
    copiedUpTo = end;
  };

  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(html); match; match = TOKEN.exec(html)) {
    const [token, slash, rawName] = match;
    if (rawName === undefined) continue;
    const name = rawName.toLowerCase();
    const start = match.index;
    const end = start + token.length;

    if (slash) {
      // An end tag closes the nearest open element of that name, and everything inside it.
      let at = stack.length - 1;
      while (at >= 0 && stack[at]!.name !== name) at--;
      if (at < 0) continue;
      const removed = stack[at]!.removed;
      while (stack.length > at) pop();
      if (removed) removeToken(start, end);
      continue;
    }

    const group = SELF_CLOSING_GROUPS[name];
    if (group && stack.length > 0 && group.includes(stack[stack.length - 1]!.name)) pop();
    else if (CLOSES_P.has(name) && stack.length > 0 && stack[stack.length - 1]!.name === 'p') pop();

    // `<div/>` opens a div in HTML: only void elements never nest.
    if (VOID_ELEMENTS.has(name)) continue;

    const removed = kept >= maxDepth;
    if (removed) {
      removeToken(start, end);
      removedTags++;
      if (firstRemovedAt < 0) firstRemovedAt = start;
    } else {
      kept++;
    }
    stack.push({ name, removed });

    if (RAW_TEXT_ELEMENTS.has(name)) {
      // Skip the element's text: markup inside <script>/<style>/… is not markup.
      lower ??= html.toLowerCase();
      const close = lower.indexOf(`</${name}`, end);
      const closeEnd = close < 0 ? html.length : html.indexOf('>', close) + 1 || html.length;
      pop();
      // A removed raw-text element goes with its text, which must not become markup.
      if (removed) copiedUpTo = closeEnd;
      TOKEN.lastIndex = closeEnd;
    }
  }

  if (removedTags === 0) return { html, removedTags: 0 };
  pieces.push(html.slice(copiedUpTo));
  return { html: pieces.join(''), removedTags, firstLine: lineAt(html, firstRemovedAt) };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (
    let index = text.indexOf('\n');
    index >= 0 && index < offset;
    index = text.indexOf('\n', index + 1)
  ) {
    line++;
  }
  return line;
}

/**
 * Markdown nests block quotes by repeating `>`: 10,000 of them would overflow mdast → hast.
 * Markers beyond `maxDepth` on a line are kept as text.
 */
export function limitMarkdownQuoteDepth(
  markdown: string,
  maxDepth: number = DEFAULT_MAX_NESTING_DEPTH,
): string {
  const deepQuote = new RegExp(`^((?: {0,3}>){${maxDepth}})((?: {0,3}>)+)`, 'gm');
  return markdown.replace(
    deepQuote,
    (_, kept: string, rest: string) => `${kept} ${rest.replace(/>/g, '\\>')}`,
  );
}

/** Columns of indentation and list markers on one line that Markdown lists may nest through. */
export const MAX_MARKDOWN_LIST_INDENT = 64;
export const MAX_MARKDOWN_LIST_MARKERS = 16;

const LIST_MARKER = String.raw`(?:[-*+]|\d{1,9}[.)])[ \t]+`;

/**
 * Markdown nests lists by indentation and by chained markers (`- - - x`); micromark's time
 * grows faster than the depth (5,000 chained markers took 36 s and then overflowed the
 * stack). Deeper list lines are flattened: indentation is cut, further markers become text.
 */
export function limitMarkdownListDepth(markdown: string): string {
  const deepList = new RegExp(
    `^([ \\t]*)((?:${LIST_MARKER}){1,${MAX_MARKDOWN_LIST_MARKERS}})((?:${LIST_MARKER})*)`,
    'gm',
  );
  return markdown.replace(deepList, (whole, indent: string, kept: string, rest: string) => {
    const columns = indent.replace(/\t/g, '    ').length;
    if (columns <= MAX_MARKDOWN_LIST_INDENT && rest === '') return whole;
    const cutIndent =
      columns > MAX_MARKDOWN_LIST_INDENT ? ' '.repeat(MAX_MARKDOWN_LIST_INDENT) : indent;
    return `${cutIndent}${kept}${rest.replace(/([-*+.)])/g, '\\$1')}`;
  });
}
