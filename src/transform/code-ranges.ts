/**
 * Where a Markdown body's code is, as its parser found it: indented code looks like a list
 * item's continuation to any pattern, and only the parser tells them apart. For the checks
 * that must not take an example in code for the post's own (a template tag, an asset tag).
 */
import type { Nodes as MdastNodes } from 'mdast';

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
