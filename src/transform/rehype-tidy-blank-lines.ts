/**
 * Scraped bodies space paragraphs the way their editors did: `<p>&nbsp;</p>`, `<p><br></p>`,
 * and `<br>` beside blocks (`</div><br>`, `text<br><br><div>`). Each becomes a large empty gap
 * in our theme and in feed readers. Paragraphs with nothing visible go, and so do line breaks
 * that only separate a block from its neighbours or sit at the edge of a block; a `<br>`
 * between two lines of text stays.
 */
import type { Element, ElementContent, Root } from 'hast';
import { BLOCK_ELEMENTS } from './html-elements.ts';
import { walkElements } from './walk.ts';

export interface TidyBlankLinesOptions {
  /** Elements that start a new block, beside which a `<br>` adds nothing but space. */
  blocks?: ReadonlySet<string>;
}

export const DEFAULT_BLOCKS: ReadonlySet<string> = new Set(BLOCK_ELEMENTS);

const INVISIBLE = /^[\s\u00a0\u200b\u3000]*$/;

function isBlank(node: ElementContent): boolean {
  return (node.type === 'text' && INVISIBLE.test(node.value)) || node.type === 'comment';
}

function isBreak(node: ElementContent | undefined): boolean {
  return node?.type === 'element' && node.tagName === 'br';
}

/** A paragraph that shows nothing: only blank text and line breaks. */
export function isEmptyParagraph(element: Element): boolean {
  return (
    element.tagName === 'p' && element.children.every((child) => isBlank(child) || isBreak(child))
  );
}

export function rehypeTidyBlankLines(options: TidyBlankLinesOptions = {}) {
  const blocks = options.blocks ?? DEFAULT_BLOCKS;
  const isBlock = (node: ElementContent | undefined) =>
    node?.type === 'element' && blocks.has(node.tagName);

  const tidy = (parent: Root | Element) => {
    const children = parent.children as ElementContent[];
    const kept = children.filter((child) => !(child.type === 'element' && isEmptyParagraph(child)));
    // Breaks at the edge of a block, or between a block and its neighbour, only add space.
    const visible = kept.filter((child) => !isBlank(child));
    const drop = new Set<ElementContent>();
    visible.forEach((child, index) => {
      if (!isBreak(child)) return;
      let before = index - 1;
      while (before >= 0 && isBreak(visible[before])) before--;
      let after = index + 1;
      while (after < visible.length && isBreak(visible[after])) after++;
      const atEdge = before < 0 || after >= visible.length;
      if (
        (atEdge && parent.type === 'element' && blocks.has(parent.tagName)) ||
        isBlock(visible[before]) ||
        isBlock(visible[after])
      ) {
        drop.add(child);
      }
    });
    if (drop.size > 0 || kept.length !== children.length) {
      parent.children = kept.filter((child) => !drop.has(child)) as typeof parent.children;
    }
  };

  return (tree: Root) => {
    // Children first would need recursion; tidying each parent as it is entered is enough,
    // since removing a child never makes its parent's siblings empty-looking.
    tidy(tree);
    walkElements(tree, (element) => {
      tidy(element);
      return undefined;
    });
  };
}
