/**
 * Markdown without its fenced code blocks (an unclosed fence runs to the end, as it renders):
 * what looks like a heading or a template tag there is an example, not the post's own.
 */
export function withoutFencedCode(markdown: string): string {
  return markdown.replace(FENCED_CODE, '');
}

const FENCED_CODE = /^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\1[ \t]*$|(?![\s\S]))/gm;
