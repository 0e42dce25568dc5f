/**
 * A figure whose picture was dropped (a relative URL with nothing to resolve it against, a
 * tracking pixel, a script-built gallery) is left an empty frame or a caption under nothing:
 * scraped pages then show "© Photographer" floating between paragraphs. Such a figure goes,
 * caption and all. A figure showing anything else (a quote, code, a table, a link to an
 * embed that was not kept, text) stays.
 */
import type { Element, Root } from 'hast';
import { EXIT, SKIP, walkElements, walkTags } from './walk.ts';

/** What a figure can show besides text. */
const SHOWN = new Set(['img', 'picture', 'video', 'audio', 'iframe', 'table', 'svg', 'math']);

export function rehypeDropEmptyFigures() {
  return (tree: Root) => {
    walkTags(tree, new Set(['figure']), (figure, parent, index) => {
      if (showsSomething(figure)) return undefined;
      parent.children.splice(index, 1);
      return index;
    });
  };
}

/** Whether it holds media or text outside its caption. */
function showsSomething(figure: Element): boolean {
  const hasText = (element: Element) =>
    element.children.some((child) => child.type === 'text' && child.value.trim() !== '');
  let shows = hasText(figure);
  walkElements(figure, (child) => {
    if (shows) return EXIT;
    if (child.tagName === 'figcaption') return SKIP;
    if (SHOWN.has(child.tagName) || hasText(child)) shows = true;
    return undefined;
  });
  return shows;
}
