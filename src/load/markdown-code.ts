/**
 * Markdown with its code blanked: what looks like a heading, a template tag or a mark there
 * is an example, not the post's own. Blanked, not removed, so that an index found in the
 * result is the same in the text; line breaks are kept.
 */
export function maskFencedCode(markdown: string): string {
  return markdown.replace(FENCED_CODE, blank);
}

/** Fenced code blocks and inline code spans blanked (see `maskFencedCode`). */
export function maskCode(markdown: string): string {
  return maskFencedCode(markdown).replace(CODE_SPAN, blank);
}

/** HTML with the text of its code, preformatted, script and style elements blanked. */
export function maskHtmlCode(html: string): string {
  return html.replace(HTML_CODE, blank);
}

const blank = (text: string) => text.replace(/[^\n]/g, ' ');

/** A fence, then anything up to its closing fence (or the end, as an unclosed one renders). */
const FENCED_CODE = /^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\1[ \t]*$|(?![\s\S]))/gm;
const CODE_SPAN = /(`+)(?!`)[^\n]*?[^`\n]\1(?!`)|(`+)[^`\n]\2(?!`)/g;
const HTML_CODE = /<(pre|code|script|style|textarea)\b[\s\S]*?<\/\1\s*>/gi;
