/**
 * "Further reading" lists are often links written one after the other with nothing between
 * them (`<a>…</a><a>…</a>`), which a page shows as one long underlined run: a space goes
 * between two links that touch.
 */
import type { Root, RootContent } from 'hast';
import { walkElements } from './walk.ts';

export function rehypeSpaceAdjacentLinks() {
  return (tree: Root) => {
    spaceOut(tree.children);
    walkElements(tree, (element) => {
      spaceOut(element.children);
      return undefined;
    });
  };
}

function spaceOut(children: RootContent[]): void {
  for (let index = children.length - 1; index > 0; index--) {
    if (isLink(children[index - 1]!) && isLink(children[index]!))
      children.splice(index, 0, { type: 'text', value: ' ' });
  }
}

function isLink(node: RootContent): boolean {
  return node.type === 'element' && node.tagName === 'a';
}
