/**
 * Scraped pages repeat ids (a zoom button per picture, each `id="zoomAttribute"`): on our
 * page two elements with one id break the fragment links and labels that name it. The
 * first keeps it; the others get `-2`, `-3`… (never an id the body has already).
 */
import type { Element, Root } from 'hast';
import { walkElements } from './walk.ts';

export function rehypeUniqueIds() {
  return (tree: Root) => {
    const withIds: Element[] = [];
    walkElements(tree, (element) => {
      if (typeof element.properties.id === 'string' && element.properties.id !== '')
        withIds.push(element);
      return undefined;
    });
    if (withIds.length < 2) return;
    const taken = new Set(withIds.map((element) => element.properties.id as string));
    if (taken.size === withIds.length) return;
    const seen = new Set<string>();
    for (const element of withIds) {
      const id = element.properties.id as string;
      if (!seen.has(id)) {
        seen.add(id);
        continue;
      }
      let number = 2;
      while (taken.has(`${id}-${number}`)) number++;
      const unique = `${id}-${number}`;
      taken.add(unique);
      seen.add(unique);
      element.properties.id = unique;
    }
  };
}
