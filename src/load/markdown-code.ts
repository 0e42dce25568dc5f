/**
 * Markdown and HTML with their code blanked: what looks like a heading, a template tag or a
 * mark there is an example, not the post's own. Blanked, not removed, so that an index found
 * in the result is the same in the text; line breaks are kept. Every scan here is linear: a
 * scraped body may hold 200 KB of backticks or unclosed tags.
 */
export function maskFencedCode(markdown: string): string {
  return markdown.replace(FENCED_CODE, blank);
}

/**
 * Fenced code, inline code spans and HTML code elements blanked (see `maskFencedCode`);
 * comments are kept: `<!-- more -->` is one.
 */
export function maskCode(markdown: string): string {
  return maskCodeSpans(maskHtmlCode(maskFencedCode(markdown), false));
}

/**
 * HTML with the text of its `pre`, `code`, `script`, `style` and `textarea` elements blanked,
 * and its comments unless told not to.
 */
export function maskHtmlCode(html: string, blankComments = true): string {
  let masked = blankComments ? html.replace(/<!--[\s\S]*?(?:-->|$)/g, blank) : html;
  const lower = masked.toLowerCase();
  const opening = /<(pre|code|script|style|textarea)(?=[\s>/])/gi;
  /** Element names with no closing tag after some point: none after that either. */
  const unclosed = new Set<string>();
  let parts: string[] | undefined;
  let copied = 0;
  for (let match = opening.exec(masked); match; match = opening.exec(masked)) {
    const name = match[1]!.toLowerCase();
    if (unclosed.has(name)) continue;
    const close = lower.indexOf(`</${name}`, opening.lastIndex);
    if (close < 0) {
      unclosed.add(name);
      continue;
    }
    const end = lower.indexOf('>', close);
    const stop = end < 0 ? html.length : end + 1;
    parts ??= [];
    parts.push(masked.slice(copied, match.index), blank(masked.slice(match.index, stop)));
    copied = stop;
    opening.lastIndex = stop;
  }
  if (parts) {
    parts.push(masked.slice(copied));
    masked = parts.join('');
  }
  return masked;
}

/**
 * Inline code spans blanked: a run of backticks up to the next run of the same length, not
 * across a blank line (CommonMark's rule, simplified). Runs are found once and each is paired
 * with the next of its length by a table built from the end, so the scan is linear.
 */
function maskCodeSpans(text: string): string {
  // Each run with the paragraph it is in: a span does not cross a blank line.
  const runs: { start: number; end: number; paragraph: number }[] = [];
  const blankLine = /\n[ \t]*\n/g;
  let paragraph = 0;
  let nextBlank = blankLine.exec(text);
  for (const match of text.matchAll(/`+/g)) {
    while (nextBlank && nextBlank.index < match.index) {
      paragraph++;
      nextBlank = blankLine.exec(text);
    }
    runs.push({ start: match.index, end: match.index + match[0].length, paragraph });
  }
  if (runs.length < 2) return text;
  const nextOfLength = new Array<number>(runs.length).fill(-1);
  const lastSeen = new Map<number, number>();
  for (let index = runs.length - 1; index >= 0; index--) {
    const length = runs[index]!.end - runs[index]!.start;
    nextOfLength[index] = lastSeen.get(length) ?? -1;
    lastSeen.set(length, index);
  }
  const parts: string[] = [];
  let copied = 0;
  for (let index = 0; index < runs.length; index++) {
    const closing = nextOfLength[index]!;
    if (closing < 0) continue;
    if (runs[closing]!.paragraph !== runs[index]!.paragraph) continue;
    const start = runs[index]!.start;
    const end = runs[closing]!.end;
    parts.push(text.slice(copied, start), blank(text.slice(start, end)));
    copied = end;
    index = closing;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

const blank = (text: string) => text.replace(/[^\n]/g, ' ');

/**
 * A fence (indented or not: in a list it is), then anything up to a closing fence of the same
 * character at least as long, or to the end, as an unclosed one renders.
 */
const FENCED_CODE =
  /^[ \t]*(?:(`{3,})(?!`)[^`\n]*\n[\s\S]*?(?:^[ \t]*\1`*[ \t]*$|(?![\s\S]))|(~{3,})(?!~)[^\n]*\n[\s\S]*?(?:^[ \t]*\2~*[ \t]*$|(?![\s\S])))/gm;
