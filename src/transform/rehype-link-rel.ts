/**
 * Links out of the archive are user-generated content from a third party's page:
 * `rel="noopener noreferrer nofollow ugc"`. `target="_blank"` is kept only with that rel;
 * links inside the site never open a new tab.
 */
import type { Root } from 'hast';
import { isRemoteUrl } from './url.ts';
import { stringProperty, walkTags } from './walk.ts';

export interface LinkRelOptions {
  /** rel tokens of external links. */
  rel?: readonly string[];
}

export const DEFAULT_EXTERNAL_REL: readonly string[] = [
  'noopener',
  'noreferrer',
  'nofollow',
  'ugc',
];

export function rehypeLinkRel(options: LinkRelOptions = {}) {
  const rel = [...(options.rel ?? DEFAULT_EXTERNAL_REL)];
  return (tree: Root) => {
    walkTags(tree, new Set(['a']), (link) => {
      const href = stringProperty(link, 'href');
      if (href !== undefined && isRemoteUrl(href)) {
        link.properties.rel = [...rel];
      } else {
        delete link.properties.rel;
        delete link.properties.target;
      }
      return undefined;
    });
  };
}
