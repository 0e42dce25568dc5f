/**
 * Sortable tables put their column headings in buttons (`<th><button>死亡個案</button></th>`).
 * The sanitizer drops buttons with their text, which elsewhere is widget chrome ("Share",
 * "Subscribe"); inside a table cell the text is the heading, so the button is replaced by
 * its contents first.
 */
import type { Root } from 'hast';
import { walkElements } from './walk.ts';

const CELLS = new Set(['th', 'td']);

export function rehypeUnwrapCellButtons() {
  return (tree: Root) => {
    walkElements(tree, (element, parent, index, ancestors) => {
      if (element.tagName !== 'button') return undefined;
      const inCell = ancestors.some(
        (ancestor) => ancestor.type === 'element' && CELLS.has(ancestor.tagName),
      );
      if (!inCell) return undefined;
      parent.children.splice(index, 1, ...element.children);
      return index;
    });
  };
}
