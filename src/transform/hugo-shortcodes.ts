/**
 * Hugo's built-in shortcodes whose meaning needs no Hugo: `{{< figure src="photo.jpg"
 * caption="…" >}}` (a page bundle's pictures are shown with it), `{{< youtube ID >}}` and
 * `{{< vimeo ID >}}`. Each becomes the markup Hugo would make, before the body is parsed; the
 * picture's URL is left relative, which the image resolution then finds beside the article
 * (content-files.ts), and the players' iframes go through the embed allowlist like any other.
 * Shortcodes in code are examples and stay as written; others stay as text, with a warning.
 */
import { asOwnBlock, type MarkdownCodeRanges, replaceOutsideCode } from './code-ranges.ts';

// `{{< name args >}}` or `{{% name args %}}`, its arguments on one line or several (as Hugo
// allows). One blank after the name and the arguments trimmed in code: blanks the pattern
// could match in several ways would backtrack.
// Arguments never hold a blank line or another `{{`: an unclosed one does not swallow the next.
const SHORTCODE =
  /\{\{([<%])[ \t]{0,20}(figure|youtube|vimeo)[ \t\n]((?:(?!\{\{|\n[ \t]*\n)[\s\S]){0,1000}?)([>%])\}\}/g;

/** Whether a body may hold one at all (most do not: no masking then). */
function mayHaveShortcodes(body: string): boolean {
  return body.includes('{{') && /figure|youtube|vimeo/.test(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

interface ShortcodeArguments {
  named: Map<string, string>;
  positional: string[];
}

/** `name="value"` pairs (quoted with `"`, `'` or backticks, or bare) and positional values. */
function parseArguments(text: string): ShortcodeArguments {
  const named = new Map<string, string>();
  const positional: string[] = [];
  const token =
    /([A-Za-z_][\w-]*)[ \t]*=[ \t]*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|`([^`]*)`|(\S+))|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const match of text.matchAll(token)) {
    if (match[1] !== undefined) {
      const value = match[2]?.replace(/\\(.)/g, '$1') ?? match[3] ?? match[4] ?? match[5] ?? '';
      named.set(match[1].toLowerCase(), value);
    } else {
      positional.push(match[6]?.replace(/\\(.)/g, '$1') ?? match[7]!);
    }
  }
  return { named, positional };
}

/** Hugo's figure: the picture (linked if asked), then title, caption and attribution. */
function figure({ named }: ShortcodeArguments): string | undefined {
  const src = named.get('src');
  if (!src) return undefined;
  const alt = named.get('alt') ?? named.get('caption') ?? named.get('title') ?? '';
  const size = ['width', 'height']
    .filter((key) => /^\d+$/.test(named.get(key) ?? ''))
    .map((key) => ` ${key}="${named.get(key)}"`)
    .join('');
  let image = `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}"${size}>`;
  const link = named.get('link');
  if (link) image = `<a href="${escapeHtml(link)}">${image}</a>`;
  const title = named.get('title');
  const caption = named.get('caption');
  const attribution = named.get('attr');
  const attributionLink = named.get('attrlink');
  const credit = attribution
    ? attributionLink
      ? `<a href="${escapeHtml(attributionLink)}">${escapeHtml(attribution)}</a>`
      : escapeHtml(attribution)
    : '';
  const parts = [
    title ? `<strong>${escapeHtml(title)}</strong>` : '',
    caption ? escapeHtml(caption) : '',
    credit,
  ].filter(Boolean);
  const figcaption = parts.length > 0 ? `<figcaption>${parts.join(' ')}</figcaption>` : '';
  return `<figure>${image}${figcaption}</figure>`;
}

/** A player's iframe, for an ID of the shape the service gives. */
function player(
  { named, positional }: ShortcodeArguments,
  idShape: RegExp,
  url: (id: string) => string,
): string | undefined {
  const id = named.get('id') ?? positional[0];
  if (!id || !idShape.test(id)) return undefined;
  const title = named.get('title');
  return `<iframe src="${url(id)}"${title ? ` title="${escapeHtml(title)}"` : ''} allowfullscreen></iframe>`;
}

function expandShortcode(name: string, argumentsText: string): string | undefined {
  // A self-closing `/` (`{{< figure src="a.jpg" />}}`), not the end of a URL.
  const parsed = parseArguments(argumentsText.trim().replace(/(^|\s)\/$/, '$1'));
  if (name === 'figure') return figure(parsed);
  if (name === 'youtube')
    return player(parsed, /^[\w-]{6,20}$/, (id) => `https://www.youtube.com/embed/${id}`);
  return player(parsed, /^\d{4,12}$/, (id) => `https://player.vimeo.com/video/${id}`);
}

/**
 * The body with its figure, youtube and vimeo shortcodes (outside code) replaced by what they
 * stand for (see `replaceOutsideCode` for `markdownCode`).
 */
export function expandHugoShortcodes(
  body: string,
  format: 'markdown' | 'html',
  markdownCode?: MarkdownCodeRanges,
): string {
  if (!mayHaveShortcodes(body)) return body;
  return replaceOutsideCode(
    body,
    format,
    SHORTCODE,
    (match) => {
      // `{{< … >}}` or `{{% … %}}`: Hugo refuses the two mixed.
      if ((match[1] === '<') !== (match[4] === '>')) return undefined;
      const html = expandShortcode(match[2]!, match[3]!);
      return html === undefined || format === 'html' ? html : asOwnBlock(match, html);
    },
    markdownCode,
  );
}
