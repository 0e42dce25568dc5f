/**
 * Some news sites (the BBC's scraped pages) put a picture's caption only in its `alt` and
 * leave the figure's `<figcaption>` empty for a script to fill: sighted readers never see
 * it. An empty caption of a figure with one picture takes that picture's `alt` as text.
 */
import type { Element, Root } from 'hast';
import { stringProperty, textOf, walkElements, walkTags } from './walk.ts';

export function rehypeCaptionFromAlt() {
  return (tree: Root) => {
    walkTags(tree, new Set(['figure']), (figure) => {
      const caption = figure.children.find(
        (child): child is Element => child.type === 'element' && child.tagName === 'figcaption',
      );
      if (!caption || textOf(caption).trim() !== '') return undefined;
      const images: Element[] = [];
      walkElements(figure, (element) => {
        if (element.tagName === 'img') images.push(element);
        return undefined;
      });
      const alt = images.length === 1 ? stringProperty(images[0]!, 'alt')?.trim() : undefined;
      if (alt) caption.children = [{ type: 'text', value: alt }];
      return undefined;
    });
  };
}
