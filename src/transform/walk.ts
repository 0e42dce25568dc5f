/**
 * An iterative element walker for hast. unist-util-visit recurses and allocates an ancestor
 * array per node; this keeps one explicit stack, so depth costs heap, not call stack.
 */
import type { Element, Root, RootContent } from 'hast';

export type Parent = Root | Element;

/** Returned by a visitor: do not descend into this element. */
export const SKIP = Symbol('skip');
/** Returned by a visitor: stop walking. */
export const EXIT = Symbol('exit');

/**
 * Called for every element, in document order. `ancestors` is live (outermost first, ending
 * with `parent`); read it, don't keep it. The visitor may replace or remove `parent.children[index]`
 * and then return the index at which to continue (those nodes are visited, not descended into
 * unless they come after it), or return `SKIP` to leave the element's children alone.
 */
export type ElementVisitor = (
  element: Element,
  parent: Parent,
  index: number,
  ancestors: readonly Parent[],
) => undefined | number | typeof SKIP | typeof EXIT;

export function walkElements(tree: Parent, visitor: ElementVisitor): void {
  const ancestors: Parent[] = [tree];
  const positions: number[] = [0];
  while (ancestors.length > 0) {
    const depth = ancestors.length - 1;
    const parent = ancestors[depth]!;
    const index = positions[depth]!;
    const children: RootContent[] = parent.children;
    if (index >= children.length) {
      ancestors.pop();
      positions.pop();
      continue;
    }
    const node = children[index]!;
    if (node.type !== 'element') {
      positions[depth] = index + 1;
      continue;
    }
    const result = visitor(node, parent, index, ancestors);
    if (result === EXIT) return;
    if (typeof result === 'number') {
      positions[depth] = Math.max(result, 0);
      continue;
    }
    positions[depth] = index + 1;
    if (result !== SKIP && node.children.length > 0) {
      ancestors.push(node);
      positions.push(0);
    }
  }
}

/** Visits elements with one of the given tag names. */
export function walkTags(
  tree: Parent,
  tagNames: ReadonlySet<string>,
  visitor: ElementVisitor,
): void {
  walkElements(tree, (element, parent, index, ancestors) =>
    tagNames.has(element.tagName) ? visitor(element, parent, index, ancestors) : undefined,
  );
}

/** Concatenated text of a subtree, without recursion. */
export function textOf(node: Parent | RootContent): string {
  if (node.type === 'text') return node.value;
  if (!('children' in node)) return '';
  let text = '';
  const stack: (Parent | RootContent)[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === 'text') text += current.value;
    else if ('children' in current) {
      for (let i = current.children.length - 1; i >= 0; i--) stack.push(current.children[i]!);
    }
  }
  return text;
}

/** A string property of an element (hast keeps some attributes as arrays or numbers). */
export function stringProperty(element: Element, name: string): string | undefined {
  const value = element.properties[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.join(' ');
  return undefined;
}
