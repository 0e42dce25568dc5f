/**
 * Links in scraped bodies are relative to the news site (`/2020/08/other-story/`), not to us:
 * they are resolved against the article's source. Links with any scheme but http, https and
 * mailto (judged after decoding, see `isSafeUrl`) lose their href and stay as text. A link
 * to a media file saved beside the article goes to the site's copy of it.
 */
import type { Root } from 'hast';
import type { VFile } from 'vfile';
import { publishedContentFile } from './content-files.ts';
import { articleContext } from './context.ts';
import { cleanUrl, isSafeUrl, LINK_SCHEMES, resolveUrl } from './url.ts';
import { stringProperty, walkTags } from './walk.ts';

export interface ResolveLinksOptions {
  /** Schemes a link may keep. */
  schemes?: readonly string[];
}

/** Elements and their URL attributes (hast property names) that are links, not media. */
const LINK_PROPERTIES: Record<string, readonly string[]> = {
  a: ['href'],
  area: ['href'],
  blockquote: ['cite'],
  q: ['cite'],
  del: ['cite'],
  ins: ['cite'],
};

export function rehypeResolveLinks(options: ResolveLinksOptions = {}) {
  const schemes = options.schemes ?? LINK_SCHEMES;
  const tags = new Set(Object.keys(LINK_PROPERTIES));
  return (tree: Root, file: VFile) => {
    const { base, images } = articleContext(file);
    walkTags(tree, tags, (element) => {
      for (const property of LINK_PROPERTIES[element.tagName] ?? []) {
        const value = stringProperty(element, property);
        if (value === undefined) continue;
        const cleaned = cleanUrl(value);
        // A link to a picture saved beside the article (its full size) goes to the copy the
        // site publishes.
        const saved =
          cleaned && images.content && property === 'href'
            ? publishedContentFile(cleaned, images.content)
            : undefined;
        const resolved =
          saved ?? (cleaned && isSafeUrl(value, schemes) ? resolveUrl(cleaned, base) : undefined);
        if (resolved && isSafeUrl(resolved, schemes)) element.properties[property] = resolved;
        else delete element.properties[property];
      }
      return undefined;
    });
  };
}
