/**
 * Makes every image load on the deployed site: relative and root-relative URLs resolved against
 * the article's source, protocol-relative and http URLs made https, rewrite rules applied, every
 * `srcset` candidate resolved. Images left without a loadable source (placeholders, data: URIs,
 * relative URLs nothing resolves, reported on the file) and 1×1 tracking pixels are removed.
 * Width/height survive only as plain numbers.
 */
import type { Element, Root } from 'hast';
import type { VFile } from 'vfile';
import { articleContext } from './context.ts';
import {
  largestCandidate,
  parseSrcset,
  type SrcsetCandidate,
  srcsetProperty,
  srcsetString,
} from './srcset.ts';
import { type ImageUrlContext, resolveImageUrl, unresolvedImagesMessage } from './url.ts';
import { stringProperty, walkTags } from './walk.ts';

export interface ResolveImageUrlsOptions {
  /** URLs that are only a lazy-loading placeholder, never the image itself. */
  placeholder?: RegExp;
}

/**
 * `loadimg.gif`, `blank.gif`, `lazy.png`, `spacer.gif`, `1x1.gif`, `/undefined` (a lazy loader's
 * template with no value) and friends.
 */
export const DEFAULT_PLACEHOLDER_IMAGE =
  /(?:^|\/)(?:(?:load(?:ing)?(?:img)?|lazy(?:load)?|blank|spacer|pixel|placeholder|transparent|1x1|grey|gray|empty)[\w-]*\.(?:gif|png|svg|jpe?g|webp)|undefined|null)(?:[?#]|$)/i;

const MEDIA_TAGS = new Set(['img', 'source', 'video', 'audio', 'track']);

/** `970`, `970px`, ` 970 ` → 970; `auto`, `50%`, `0` → undefined. */
export function pixelDimension(value: unknown): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$/i.exec(value);
  const number = match ? Math.round(Number(match[1])) : 0;
  return number > 0 ? number : undefined;
}

/** How one article's media URLs are resolved, and the relative ones nothing could resolve. */
interface Resolution {
  context: ImageUrlContext;
  placeholder: RegExp;
  unresolved: string[];
}

function resolveSource(value: string | undefined, resolution: Resolution): string | undefined {
  if (value === undefined || resolution.placeholder.test(value.trim())) return undefined;
  return resolveImageUrl(value, resolution.context, resolution.unresolved);
}

function resolveSrcset(element: Element, resolution: Resolution): SrcsetCandidate[] {
  const srcset = srcsetString(element.properties.srcSet);
  if (srcset === undefined) return [];
  const candidates = parseSrcset(srcset).flatMap(({ url, descriptor }): SrcsetCandidate[] => {
    const resolved = resolveSource(url, resolution);
    return resolved ? [{ url: resolved, descriptor }] : [];
  });
  const properties: Element['properties'] = element.properties;
  if (candidates.length > 0) properties.srcSet = srcsetProperty(candidates).join(', ');
  else delete element.properties.srcSet;
  return candidates;
}

export function rehypeResolveImageUrls(options: ResolveImageUrlsOptions = {}) {
  const placeholder = options.placeholder ?? DEFAULT_PLACEHOLDER_IMAGE;
  return (tree: Root, file: VFile) => {
    const resolution: Resolution = {
      context: articleContext(file).images,
      placeholder,
      unresolved: [],
    };
    walkTags(tree, MEDIA_TAGS, (element, parent, index) => {
      const properties = element.properties;
      const srcset = resolveSrcset(element, resolution);
      const src = resolveSource(stringProperty(element, 'src'), resolution);
      if (src) properties.src = src;
      else delete properties.src;

      if (element.tagName === 'video') {
        const poster = resolveSource(stringProperty(element, 'poster'), resolution);
        if (poster) properties.poster = poster;
        else delete properties.poster;
      }
      // Subtitles that cannot load are no subtitles.
      if (element.tagName === 'track' && !properties.src) {
        parent.children.splice(index, 1);
        return index;
      }
      if (element.tagName !== 'img') return undefined;

      for (const dimension of ['width', 'height'] as const) {
        const pixels = pixelDimension(properties[dimension]);
        if (pixels) properties[dimension] = pixels;
        else delete properties[dimension];
      }
      if (!properties.src) {
        const fallback = largestCandidate(srcset);
        if (fallback) properties.src = fallback.url;
      }
      const trackingPixel =
        typeof properties.width === 'number' &&
        typeof properties.height === 'number' &&
        properties.width <= 1 &&
        properties.height <= 1;
      if (!properties.src || trackingPixel) {
        parent.children.splice(index, 1);
        return index;
      }
      return undefined;
    });
    if (resolution.unresolved.length > 0)
      file.message(unresolvedImagesMessage(resolution.unresolved));
  };
}
