/**
 * Feed-to-Jekyll scrapers start each body with a heading that links the title to the original
 * article (`[Title](https://…)` + `------`), and many news pages repeat their headline as the
 * body's first heading. The page already shows the title and the source link, so that first
 * heading goes: it would otherwise be shown twice and open every excerpt.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import type { VFile } from 'vfile';
import { articleContext } from './context.ts';
import { cleanUrl } from './url.ts';
import { stringProperty, textOf } from './walk.ts';

const HEADINGS = new Set(['h1', 'h2', 'h3']);
const WRAPPERS = new Set(['div', 'section', 'article', 'header', 'main']);
/** What a whole saved page keeps of its `<head>` when read as a fragment: never the story. */
const HEAD_ELEMENTS = new Set(['title', 'meta', 'link', 'style', 'script', 'base', 'noscript']);

function comparableUrl(url: string): string {
  return cleanUrl(url)
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '');
}

function comparableText(text: string): string {
  return text
    .replace(/[\s\u00a0\u3000]+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Whether a heading only repeats the title and/or only links to the source. */
export function isSourceHeading(
  heading: Element,
  title: string,
  sourceUrl: string | undefined,
): boolean {
  if (!HEADINGS.has(heading.tagName)) return false;
  if (title.trim() !== '' && comparableText(textOf(heading)) === comparableText(title)) return true;
  const content = heading.children.filter(
    (child) => child.type !== 'text' || child.value.trim() !== '',
  );
  const only = content.length === 1 ? content[0] : undefined;
  if (only?.type !== 'element' || only.tagName !== 'a') return false;
  const href = stringProperty(only, 'href');
  const linksToSource = Boolean(
    href && sourceUrl && comparableUrl(href) === comparableUrl(sourceUrl),
  );
  const repeatsTitle =
    title.trim() !== '' && comparableText(textOf(only)) === comparableText(title);
  return linksToSource || repeatsTitle;
}

/** Removes the body's first heading if it is a source heading; true when one was removed. */
function stripLeadingSourceHeading(
  tree: Root,
  title: string,
  sourceUrl: string | undefined,
): boolean {
  // The heading may sit inside the page's wrapper (`<div><h1>…`): look through wrappers.
  let parent: Root | Element = tree;
  for (let depth = 0; depth < 8; depth++) {
    const index: number = (parent.children as (RootContent | ElementContent)[]).findIndex(
      (node) =>
        (node.type === 'element' && !HEAD_ELEMENTS.has(node.tagName)) ||
        (node.type === 'text' && node.value.trim() !== ''),
    );
    const first: RootContent | ElementContent | undefined = parent.children[index];
    if (first?.type !== 'element') return false;
    if (isSourceHeading(first, title, sourceUrl)) {
      parent.children.splice(index, 1);
      return true;
    }
    if (!WRAPPERS.has(first.tagName)) return false;
    parent = first;
  }
  return false;
}

export function rehypeStripSourceHeading() {
  return (tree: Root, file: VFile) => {
    const { title, sourceUrl } = articleContext(file);
    // Both may be there: the scraper's linked title, then the page's own headline.
    if (stripLeadingSourceHeading(tree, title, sourceUrl))
      stripLeadingSourceHeading(tree, title, sourceUrl);
  };
}
