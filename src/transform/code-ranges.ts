/**
 * Where a Markdown body's code is, as its parser found it: indented code looks like a list
 * item's continuation to any pattern, and only the parser tells them apart. For the checks
 * that must not take an example in code for the post's own (a template tag, an asset tag).
 */
import type { Nodes as MdastNodes } from 'mdast';
import { maskCode, maskHtmlCode } from '../load/markdown-code.ts';

/** Offsets `[start, end)` of the code in a Markdown body, as its parser found them. */
export type MarkdownCodeRanges = (markdown: string) => readonly (readonly [number, number])[];

/** Where a Markdown tree's code blocks and code spans are in its source. */
export function codeRanges(tree: MdastNodes): [number, number][] {
  const ranges: [number, number][] = [];
  const pending: MdastNodes[] = [tree];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.type === 'code' || node.type === 'inlineCode') {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (start !== undefined && end !== undefined) ranges.push([start, end]);
    } else if ('children' in node) {
      // One by one: a spread of a body's 100,000 paragraphs would overflow the stack.
      for (const child of node.children as MdastNodes[]) pending.push(child);
    }
  }
  return ranges;
}

/** The text with the given ranges blanked (line breaks kept), the same length. */
export function maskRanges(text: string, ranges: readonly (readonly [number, number])[]): string {
  if (ranges.length === 0) return text;
  let result = '';
  let copied = 0;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (start < copied) continue;
    result += text.slice(copied, start) + text.slice(start, end).replace(/[^\n]/g, ' ');
    copied = end;
  }
  return result + text.slice(copied);
}

/**
 * The body with each match of `pattern` (global) outside code replaced by what `replace`
 * makes of it (undefined: left as written). A match counts when it opens outside code (a
 * caption with a code span in it is still one). For Markdown, `markdownCode` gives where its
 * code is, asked only when a match opens outside the code patterns find (a parse costs as much
 * as the body's own); without it, fences and code spans are found by pattern.
 */
export function replaceOutsideCode(
  body: string,
  format: 'markdown' | 'html',
  pattern: RegExp,
  replace: (match: RegExpExecArray) => string | undefined,
  markdownCode?: MarkdownCodeRanges,
): string {
  const patternMasked = format === 'html' ? maskHtmlCode(body) : maskCode(body);
  const opensOutside = (masked: string, index: number) =>
    masked.charCodeAt(index) === body.charCodeAt(index);
  const matches: RegExpExecArray[] = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(body); match; match = pattern.exec(body)) {
    if (opensOutside(patternMasked, match.index)) matches.push(match);
    // A match that opens in code may hide one that opens after it: looked for from the next
    // character on.
    else pattern.lastIndex = match.index + 1;
  }
  if (matches.length === 0) return body;
  const masked =
    format === 'markdown' && markdownCode
      ? maskRanges(maskHtmlCode(body, false), markdownCode(body))
      : patternMasked;
  let result = '';
  let copied = 0;
  for (const match of matches) {
    if (match.index < copied || !opensOutside(masked, match.index)) continue;
    const replacement = replace(match);
    if (replacement === undefined) continue;
    result += body.slice(copied, match.index) + replacement;
    copied = match.index + match[0].length;
  }
  return copied === 0 ? body : result + body.slice(copied);
}

/**
 * HTML put where a tag stood, with a blank line after it when the tag was a line of its own
 * followed by text: in Markdown, a line opening with a tag starts an HTML block that runs to
 * the next blank line, and the text would be shown as written instead of as Markdown.
 */
export function asOwnBlock(match: RegExpExecArray, html: string): string {
  const { input, index } = match;
  const end = index + match[0].length;
  const aloneOnLine = (index === 0 || input[index - 1] === '\n') && input[end] === '\n';
  const textFollows = aloneOnLine && /^[ \t]*\S/.test(input.slice(end + 1, end + 200));
  return textFollows ? `${html}\n` : html;
}
