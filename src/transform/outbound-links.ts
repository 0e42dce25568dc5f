/**
 * The absolute http(s) links of a body, for the collect stage to find the stories among them
 * that the archive holds too (see collect/archived-copies.ts): found once, when the body is
 * made, so that no build reads every body to know which articles link to a new one.
 */
import type { Root } from 'hast';
import { stringProperty, walkTags } from './walk.ts';

/** More are not followed: a link farm at the foot of a page is not what readers follow. */
const MAX_LINKS = 500;

/** Each link once, without its fragment; undefined when there is none. */
export function outboundLinks(tree: Root): string[] | undefined {
  const links = new Set<string>();
  walkTags(tree, new Set(['a']), (link) => {
    const href = stringProperty(link, 'href');
    if (href && /^https?:\/\//i.test(href) && links.size < MAX_LINKS)
      links.add(href.replace(/#.*$/s, ''));
    return undefined;
  });
  return links.size > 0 ? [...links] : undefined;
}
