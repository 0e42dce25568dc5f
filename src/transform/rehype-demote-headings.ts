/**
 * The page's headline is its only `h1`. A body with headings of its own at that level (a
 * scraped page's masthead or section titles) has every heading taken down a level, `h6`
 * staying `h6`, so that the outline under the headline keeps its shape.
 */
import type { Root } from 'hast';
import { EXIT, walkElements } from './walk.ts';

const LOWER: Record<string, string> = { h1: 'h2', h2: 'h3', h3: 'h4', h4: 'h5', h5: 'h6' };

export function rehypeDemoteHeadings() {
  return (tree: Root) => {
    let hasTopLevel = false;
    walkElements(tree, (element) => {
      if (element.tagName !== 'h1') return undefined;
      hasTopLevel = true;
      return EXIT;
    });
    if (!hasTopLevel) return;
    walkElements(tree, (element) => {
      const lower = LOWER[element.tagName];
      if (lower) element.tagName = lower;
      return undefined;
    });
  };
}
