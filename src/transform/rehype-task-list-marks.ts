/**
 * GFM task lists (`- [x] done`) become `<input type="checkbox">`s, which the sanitizer drops
 * with every form control, losing which items were done: each becomes the mark it showed,
 * ☑ or ☐, as text.
 */
import type { Root } from 'hast';
import { walkTags } from './walk.ts';

export function rehypeTaskListMarks() {
  return (tree: Root) => {
    walkTags(tree, new Set(['input']), (input, parent, index) => {
      if (input.properties.type !== 'checkbox') return undefined;
      parent.children.splice(index, 1, {
        type: 'text',
        value: input.properties.checked ? '☑' : '☐',
      });
      return index + 1;
    });
  };
}
