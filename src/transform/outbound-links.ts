/**
 * The links of a body to other sites' pages, normalized as source URLs are
 * (`normalizeSourceUrl`), for the collect stage to find the stories among them that the
 * archive holds too (see collect/archived-copies.ts): found once, when the body is made, so
 * that no build reads every body or parses every link to know which articles link to another.
 */
import type { Root } from 'hast';
import { normalizeSourceUrl } from './url.ts';
import { stringProperty, walkTags } from './walk.ts';

/** More are not followed: a link farm at the foot of a page is not what readers follow. */
const MAX_LINKS = 500;

/** Each link once; undefined when there is none. */
export function outboundLinks(tree: Root): string[] | undefined {
  const links = new Set<string>();
  walkTags(tree, new Set(['a']), (link) => {
    const href = stringProperty(link, 'href');
    if (href && /^https?:\/\//i.test(href) && links.size < MAX_LINKS) {
      const key = normalizeSourceUrl(href);
      if (key !== undefined) links.add(key);
    }
    return undefined;
  });
  return links.size > 0 ? [...links] : undefined;
}
