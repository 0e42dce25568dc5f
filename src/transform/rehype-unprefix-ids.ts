/**
 * The sanitizer prefixes every id and name with `user-content-`. A body that already carries
 * the prefix (one Gazette made, fed back in, or an attacker guessing it) would be prefixed
 * twice; the prefix is taken off first so that sanitizing is a fixed point.
 */
import type { Root } from 'hast';
import { CLOBBER_PREFIX } from './news-schema.ts';
import { walkElements } from './walk.ts';

export interface UnprefixIdsOptions {
  prefix?: string;
  /** Properties the sanitizer prefixes. */
  properties?: readonly string[];
}

export function rehypeUnprefixIds(options: UnprefixIdsOptions = {}) {
  const prefix = options.prefix ?? CLOBBER_PREFIX;
  const properties = options.properties ?? ['id', 'name', 'ariaDescribedBy', 'ariaLabelledBy'];
  const strip = (value: unknown): unknown => {
    if (typeof value === 'string')
      return value.startsWith(prefix) ? value.slice(prefix.length) : value;
    if (Array.isArray(value)) return value.map(strip);
    return value;
  };
  return (tree: Root) => {
    walkElements(tree, (element) => {
      for (const property of properties) {
        if (property in element.properties)
          element.properties[property] = strip(element.properties[property]) as string;
      }
      return undefined;
    });
  };
}
