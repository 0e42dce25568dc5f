/**
 * The cover of an article: the front-matter cover resolved like a body image (same base, same
 * rewrite rules, same scheme check), else the first body image; and whether the body already
 * starts with it, so the page does not show it twice.
 */
import type { Element, Root } from 'hast';
import type { Image } from '../model.ts';
import { pixelDimension } from './rehype-resolve-image-urls.ts';
import { type ImageUrlContext, isSafeUrl, resolveImageUrl } from './url.ts';
import { EXIT, stringProperty, walkTags } from './walk.ts';

/** Images that are no picture of the story, as a cover or as its first body image. */
export const DEFAULT_PLACEHOLDER_COVERS: readonly RegExp[] = [
  // Random stock photos.
  /^(?:https?:)?\/\/picsum\.photos\//i,
  // A lazy loader's stand-in: loadimg.gif, loading.gif, blank.gif, spacer.gif, 1x1.png…
  /\/(?:load(?:ing)?(?:img)?|lazy(?:load)?|blank|spacer|pixel|transparent|placeholder|gr[ae]y|1x1)(?:[-_]?\d+(?:x\d+)?)?\.(?:gif|png|jpe?g|webp|svg)(?:[?#]|$)/i,
  // Icons and widgets' graphics (a news site's form error icon was every cover): SVG is not
  // a photo, and social networks do not show it as a link's image.
  /\.svg(?:[?#]|$)/i,
];

/** The first image of a (sanitized) body that is not a placeholder, with what is known of it. */
export function firstBodyImage(
  tree: Root,
  placeholders: readonly RegExp[] = DEFAULT_PLACEHOLDER_COVERS,
): Image | undefined {
  let found: Element | undefined;
  walkTags(tree, new Set(['img']), (image) => {
    const src = stringProperty(image, 'src');
    if (!src || placeholders.some((pattern) => pattern.test(src))) return undefined;
    found = image;
    return EXIT;
  });
  if (!found) return undefined;
  const image: Image = { src: stringProperty(found, 'src')! };
  const width = pixelDimension(found.properties.width);
  const height = pixelDimension(found.properties.height);
  const alt = stringProperty(found, 'alt')?.trim();
  if (width) image.width = width;
  if (height) image.height = height;
  if (alt) image.alt = alt;
  return image;
}

/**
 * Whether two image URLs show the same picture: scheme aside, and CDN resize suffixes
 * (`…jpg@s_2,w_820,h_461`, `…jpg!cmspl`) aside.
 */
export function sameImage(a: string, b: string): boolean {
  const key = (url: string) =>
    url.replace(/^https?:/i, '').replace(/(\.(?:jpe?g|png|gif|webp|avif))[@!][^/?#]*$/i, '$1');
  return key(a) === key(b);
}

export interface CoverResult {
  cover?: Image;
  coverInBody: boolean;
  /** Set when the front matter named a cover that cannot be used. */
  problem?: string;
}

/** A body picture whose lazy URL replaced the `src` it had (often its thumbnail). */
export interface SwappedImage {
  thumbnail: string;
  picture: string;
}

/** The lazy-image swaps of a body (`rehype-lazy-images`), both URLs resolved like a body's. */
export function swappedImages(
  replaced: ReadonlyMap<string, string> | undefined,
  context: ImageUrlContext,
): SwappedImage[] {
  const swapped: SwappedImage[] = [];
  for (const [src, before] of replaced ?? []) {
    const picture = resolveImageUrl(src, context);
    const thumbnail = resolveImageUrl(before, context);
    if (picture && thumbnail) swapped.push({ thumbnail, picture });
  }
  return swapped;
}

/**
 * The cover, from the front matter or else the first body image. A front-matter cover that
 * is the thumbnail a body picture showed until its lazy URL was swapped in (`swapped`) is
 * that picture.
 */
export function resolveCover(
  frontMatterCover: string | undefined,
  firstImage: Image | undefined,
  context: ImageUrlContext,
  placeholders: readonly RegExp[] = DEFAULT_PLACEHOLDER_COVERS,
  swapped: readonly SwappedImage[] = [],
): CoverResult {
  const written = frontMatterCover?.trim();
  if (!written || placeholders.some((pattern) => pattern.test(written))) {
    return { cover: firstImage, coverInBody: firstImage !== undefined };
  }
  const unresolved: string[] = [];
  const src = isSafeUrl(written) ? resolveImageUrl(written, context, unresolved) : undefined;
  if (!src) {
    const reason =
      unresolved.length > 0
        ? 'is relative and the article has no source URL to resolve it against, nor is it a file in public/ or beside the article'
        : 'is not an http(s) image URL';
    return {
      cover: firstImage,
      coverInBody: firstImage !== undefined,
      problem: `cover ${JSON.stringify(written.slice(0, 200))} ${reason}; using the first body image instead`,
    };
  }
  if (firstImage && sameImage(src, firstImage.src)) {
    return { cover: { ...firstImage, src }, coverInBody: true };
  }
  // The thumbnail the body showed until its lazy loader ran: the body's larger picture is it.
  const picture = swapped.find(({ thumbnail }) => sameImage(src, thumbnail))?.picture;
  if (picture) {
    if (firstImage && sameImage(picture, firstImage.src))
      return { cover: firstImage, coverInBody: true };
    return { cover: { src: picture }, coverInBody: false };
  }
  return { cover: { src }, coverInBody: false };
}
