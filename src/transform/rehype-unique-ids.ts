/**
 * Scraped pages repeat ids (a zoom button per picture, each `id="zoomAttribute"`): on our
 * page two elements with one id break the fragment links and labels that name it. The
 * first keeps it; the others get `-2`, `-3`… (never an id the body has already).
 */
import type { Root } from 'hast';
import { walkElements } from './walk.ts';

export function rehypeUniqueIds() {
  return (tree: Root) => {
    const taken = new Set<string>();
    walkElements(tree, (element) => {
      const id = element.properties.id;
      if (typeof id === 'string' && id !== '') taken.add(id);
      return undefined;
    });
    const seen = new Set<string>();
    walkElements(tree, (element) => {
      const id = element.properties.id;
      if (typeof id !== 'string' || id === '') return undefined;
      if (!seen.has(id)) {
        seen.add(id);
        return undefined;
      }
      let number = 2;
      while (taken.has(`${id}-${number}`)) number++;
      const unique = `${id}-${number}`;
      taken.add(unique);
      seen.add(unique);
      element.properties.id = unique;
      return undefined;
    });
  };
}
