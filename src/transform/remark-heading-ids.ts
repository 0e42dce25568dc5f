/**
 * A heading's own id, as kramdown, Hugo and pandoc write it: `## Photos {#photos}`. The mark
 * is taken off the text and given to the heading, so that the post's `#photos` links find it
 * (otherwise the mark was shown, and the heading got a slug of its text and the mark).
 */
import type { Heading, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

const ID_MARK = /[ \t]*\{#([A-Za-z][\w:.-]{0,80})\}[ \t]*$/;

export function remarkHeadingIds() {
  return (tree: Root, file: VFile) => {
    // Most posts have none: no walk of their tree.
    if (!String(file.value).includes('{#')) return;
    visit(tree, 'heading', (heading: Heading) => {
      const last = heading.children.at(-1);
      if (last?.type !== 'text') return;
      const mark = ID_MARK.exec(last.value);
      if (!mark) return;
      last.value = last.value.slice(0, mark.index);
      if (last.value === '') heading.children.pop();
      heading.data = {
        ...heading.data,
        hProperties: { ...heading.data?.hProperties, id: mark[1]! },
      };
    });
  };
}
