/**
 * Scraped pages hide the real image in `data-src` & co. behind a placeholder `src` (a data: URI,
 * `loadimg.gif`, `/undefined`) that their JavaScript would have swapped. We do the swap.
 */
import type { Element, Root } from 'hast';
import type { VFile } from 'vfile';
import { stringProperty, walkTags } from './walk.ts';

export interface LazyImageOptions {
  /** Attributes holding the real `src`, by priority (HTML names). */
  srcAttributes?: readonly string[];
  /** Attributes holding the real `srcset`, by priority (HTML names). */
  srcsetAttributes?: readonly string[];
}

export const DEFAULT_LAZY_SRC_ATTRIBUTES: readonly string[] = [
  'data-src',
  'data-original',
  'data-lazy-src',
  'data-actualsrc',
  'data-original-src',
  'data-lazyload',
  'data-echo',
  'data-url',
  'data-hi-res-src',
  'data-full-src',
  'lazyload',
];

export const DEFAULT_LAZY_SRCSET_ATTRIBUTES: readonly string[] = [
  'data-srcset',
  'data-lazy-srcset',
  'data-original-srcset',
];

/** hast property name of an HTML attribute (`data-lazy-src` → `dataLazySrc`). */
export function propertyName(attribute: string): string {
  return attribute.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

// Anything that looks like it could be a URL: not empty, not a bare word like "true".
const URL_LIKE = /[/.]/;

function firstUsable(element: Element, properties: readonly string[]): string | undefined {
  for (const property of properties) {
    const value = stringProperty(element, property)?.trim();
    if (value && URL_LIKE.test(value) && !value.startsWith('data:')) return value;
  }
  return undefined;
}

export function rehypeLazyImages(options: LazyImageOptions = {}) {
  const srcProperties = (options.srcAttributes ?? DEFAULT_LAZY_SRC_ATTRIBUTES).map(propertyName);
  const srcsetProperties = (options.srcsetAttributes ?? DEFAULT_LAZY_SRCSET_ATTRIBUTES).map(
    propertyName,
  );
  const lazyProperties = [...srcProperties, ...srcsetProperties];
  const tags = new Set(['img', 'source']);
  return (tree: Root, file: VFile) => {
    walkTags(tree, tags, (element) => {
      const src = firstUsable(element, srcProperties);
      // The page's lazy loader would have replaced src with the lazy URL, placeholder or not.
      if (src) {
        const before = stringProperty(element, 'src')?.trim();
        if (before && before !== src && !before.startsWith('data:')) {
          file.data.replacedImageSources ??= new Map();
          file.data.replacedImageSources.set(src, before);
        }
        element.properties.src = src;
      }
      const srcset = firstUsable(element, srcsetProperties);
      if (srcset) element.properties.srcSet = srcset;
      for (const property of lazyProperties) delete element.properties[property];
      return undefined;
    });
  };
}
