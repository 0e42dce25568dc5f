/**
 * Some news sites (the BBC's scraped pages) put a picture's caption only in its `alt` and
 * leave the figure's `<figcaption>` empty for a script to fill: sighted readers never see
 * it. An empty caption of a figure with one picture takes that picture's `alt` as text when
 * the alt reads as a caption (not "bbc", "Section divider", "."), and the picture's `alt`
 * is emptied, so that a screen reader does not read the words twice.
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
      if (alt && readsAsCaption(alt)) {
        caption.children = [{ type: 'text', value: alt }];
        images[0]!.properties.alt = '';
      }
      return undefined;
    });
  };
}

/** Words that name a decorative picture rather than describe one. */
const DECORATIVE =
  /\b(presentational|divider|separator|spacer|placeholder|banner|logo|grey line|gray line)\b/i;

/** A sentence or phrase: three words, or six CJK characters, and no decoration's name. */
function readsAsCaption(alt: string): boolean {
  if (DECORATIVE.test(alt)) return false;
  const cjk = alt.match(/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/gu)?.length ?? 0;
  return cjk >= 6 || alt.split(/\s+/).filter((word) => /\p{L}/u.test(word)).length >= 3;
}
