/**
 * Jekyll writes a site's own URLs through Liquid: `{{ site.baseurl }}/assets/a.png`,
 * `{{ "/assets/a.png" | relative_url }}`. Left as written, the image or link broke (and in a
 * Markdown link, the Markdown too); each becomes the root-relative path it stands for, which
 * the build gives the site's own base path. Found outside code only.
 */
import { type MarkdownCodeRanges, replaceOutsideCode } from './code-ranges.ts';

const LIQUID_URL =
  /\{\{-?[ \t]{0,20}(?:site\.url[ \t]{0,20}-?\}\}\{\{-?[ \t]{0,20})?site\.baseurl[ \t]{0,20}-?\}\}|\{\{-?[ \t]{0,20}(["'])([^"'\n]{0,500})\1[ \t]{0,20}\|[ \t]{0,20}(?:relative_url|absolute_url)[ \t]{0,20}-?\}\}/g;

/** The body with Jekyll's base URL and URL filters (outside code) replaced by the paths. */
export function expandLiquidUrls(
  body: string,
  format: 'markdown' | 'html',
  markdownCode?: MarkdownCodeRanges,
): string {
  if (!body.includes('{{') || !/baseurl|_url/.test(body)) return body;
  return replaceOutsideCode(body, format, LIQUID_URL, (match) => match[2] ?? '', markdownCode);
}
