/**
 * Attributes every body image gets after sanitizing: `loading="lazy" decoding="async"` except on
 * the first image (likely above the fold, and the LCP element), and
 * `referrerpolicy="no-referrer"` on every remote one — many Chinese news CDNs (Guancha, WeChat's
 * mmbiz, Sina) refuse an image requested with a foreign Referer.
 */
import type { Root } from 'hast';
import { isRemoteUrl } from './url.ts';
import { stringProperty, walkTags } from './walk.ts';

export interface ImageLoadingOptions {
  /** How many leading images load eagerly. */
  eagerImages?: number;
}

export function rehypeImageLoading(options: ImageLoadingOptions = {}) {
  const eagerImages = options.eagerImages ?? 1;
  const tags = new Set(['img', 'video', 'audio']);
  return (tree: Root) => {
    let images = 0;
    walkTags(tree, tags, (element) => {
      const src = stringProperty(element, 'src') ?? '';
      if (element.tagName !== 'img') {
        // Media elements have no referrerpolicy attribute; don't let them preload either.
        if (!element.properties.preload) element.properties.preload = 'none';
        return undefined;
      }
      images++;
      if (images > eagerImages) {
        element.properties.loading = 'lazy';
        element.properties.decoding = 'async';
      } else {
        delete element.properties.loading;
        delete element.properties.decoding;
      }
      if (isRemoteUrl(src)) element.properties.referrerPolicy = 'no-referrer';
      else delete element.properties.referrerPolicy;
      return undefined;
    });
  };
}
