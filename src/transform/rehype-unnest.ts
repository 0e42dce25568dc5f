/**
 * Elements HTML cannot nest: a link inside a link, a heading inside a heading. A browser
 * parsing the page closes the outer one first, so the body would not mean what was
 * sanitized (a page whose re-parse differs from its tree is how mutation attacks start).
 * parse5 builds such trees from scraped fragments like `<a href=…><A..<p>`, and Markdown with
 * raw HTML can too; the inner element is replaced by its contents.
 */
import type { Root } from 'hast';
import { HEADINGS as HEADING_LIST } from './html-elements.ts';
import { walkElements } from './walk.ts';

const HEADINGS: ReadonlySet<string> = new Set(HEADING_LIST);

/** The elements an element may not be inside of, by tag name. */
function excluding(tagName: string): ReadonlySet<string> | undefined {
  if (tagName === 'a') return new Set(['a']);
  if (HEADINGS.has(tagName)) return HEADINGS;
  return undefined;
}

export function rehypeUnnest() {
  return (tree: Root) => {
    walkElements(tree, (element, parent, index, ancestors) => {
      const excluded = excluding(element.tagName);
      if (!excluded) return undefined;
      const nested = ancestors.some(
        (ancestor) => ancestor.type === 'element' && excluded.has(ancestor.tagName),
      );
      if (!nested) return undefined;
      parent.children.splice(index, 1, ...element.children);
      // Continue at the unwrapped contents, which may hold such elements of their own.
      return index;
    });
  };
}
