/**
 * The sanitizer prefixes ids (`id="notes"` → `id="user-content-notes"`) so a body cannot clobber
 * the page; in-page links (`href="#notes"`) are prefixed the same way so they still work.
 */
import type { Root } from 'hast';
import { CLOBBER_PREFIX } from './news-schema.ts';
import { stringProperty, walkTags } from './walk.ts';

export interface FragmentLinkOptions {
  prefix?: string;
}

export function rehypeFragmentLinks(options: FragmentLinkOptions = {}) {
  const prefix = options.prefix ?? CLOBBER_PREFIX;
  return (tree: Root) => {
    walkTags(tree, new Set(['a']), (link) => {
      const href = stringProperty(link, 'href');
      if (href?.startsWith('#') && href.length > 1 && !href.startsWith(`#${prefix}`)) {
        link.properties.href = `#${prefix}${href.slice(1)}`;
      }
      return undefined;
    });
  };
}
