/**
 * Lazy-loading pages put the real `<img>` in a `<noscript>` next to a placeholder. The
 * sanitizer drops `<noscript>` (its content is parsed differently with scripting on and off, a
 * classic mXSS vector), so its images are recovered first, unless the page already shows them.
 */
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { limitNestingDepth } from './limit-nesting.ts';
import { cleanUrl } from './url.ts';
import { SKIP, stringProperty, walkElements, walkTags } from './walk.ts';

/** Compares image URLs regardless of scheme, so `//x/a.jpg` and `http://x/a.jpg` match. */
function imageKey(src: string | undefined): string | undefined {
  const cleaned = src ? cleanUrl(src) : '';
  return cleaned ? cleaned.replace(/^(?:https?:)?\/\//i, '//') : undefined;
}

function imagesIn(noscript: Element): Element[] {
  // With scripting enabled (rehype-raw) the content of <noscript> is one text node of markup.
  const children = noscript.children.flatMap((child) =>
    child.type === 'text' && child.value.includes('<')
      ? fromHtml(limitNestingDepth(child.value).html, { fragment: true }).children
      : [child],
  );
  const images: Element[] = [];
  const holder: Root = { type: 'root', children };
  walkTags(holder, new Set(['img']), (image) => {
    images.push(image);
    return undefined;
  });
  return images;
}

export function rehypeNoscriptImages() {
  return (tree: Root) => {
    const shown = new Set<string>();
    walkElements(tree, (element) => {
      if (element.tagName === 'noscript') return SKIP;
      if (element.tagName === 'img') {
        const key = imageKey(stringProperty(element, 'src'));
        if (key) shown.add(key);
      }
      return undefined;
    });
    walkElements(tree, (element, parent, index) => {
      if (element.tagName !== 'noscript') return undefined;
      const recovered = imagesIn(element).filter((image) => {
        const key = imageKey(stringProperty(image, 'src'));
        if (!key || shown.has(key)) return false;
        shown.add(key);
        return true;
      });
      parent.children.splice(index, 1, ...recovered);
      return index + recovered.length;
    });
  };
}
