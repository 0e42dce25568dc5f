/**
 * Inline styles are dropped by the sanitizer, but scraped pages centre captions and images with
 * `style="text-align:center"`, `align="center"`, `<center>` or WordPress's `aligncenter`; that
 * one intent survives as a class the theme styles (`align-center`, `align-right`). Any other
 * class is dropped here: the news site's classes mean nothing to our theme.
 */
import type { Element, Root } from 'hast';
import { stringProperty, walkElements } from './walk.ts';

export interface AlignmentClassOptions {
  /** Class per alignment. */
  classes?: Partial<Record<Alignment, string>>;
}

export type Alignment = 'center' | 'right';

export const DEFAULT_ALIGNMENT_CLASSES: Record<Alignment, string> = {
  center: 'align-center',
  right: 'align-right',
};

const TEXT_ALIGN =
  /(?:^|;)\s*text-align\s*:\s*(center|right|-webkit-center)\s*(?:!important\s*)?(?:;|$)/i;
/** Classes that mean something to us: a code block's language (from Markdown). */
const KEPT_CLASS = /^language-[\w-]+$/;
// WordPress writes `aligncenter`; our own output (`align-center`) must read back the same.
const WORDPRESS_ALIGN = /^align-?(center|right)$/i;

/** The alignment an element asks for, by any of the means scraped pages use. */
export function alignmentOf(element: Element): Alignment | undefined {
  if (element.tagName === 'center') return 'center';
  const style = stringProperty(element, 'style');
  const fromStyle = style ? TEXT_ALIGN.exec(style)?.[1]?.toLowerCase() : undefined;
  if (fromStyle) return fromStyle === 'right' ? 'right' : 'center';
  const align = stringProperty(element, 'align')?.trim().toLowerCase();
  if (align === 'center' || align === 'middle') return 'center';
  if (align === 'right' && element.tagName !== 'img') return 'right';
  const classes = element.properties.className;
  if (Array.isArray(classes)) {
    for (const name of classes) {
      const match = WORDPRESS_ALIGN.exec(String(name));
      if (match) return match[1]!.toLowerCase() === 'right' ? 'right' : 'center';
    }
  }
  return undefined;
}

export function rehypeAlignmentClass(options: AlignmentClassOptions = {}) {
  const classes = { ...DEFAULT_ALIGNMENT_CLASSES, ...options.classes };
  return (tree: Root) => {
    walkElements(tree, (element) => {
      const alignment = alignmentOf(element);
      if (element.tagName === 'center') {
        element.tagName = 'div';
      }
      const existing = element.properties.className;
      const kept = Array.isArray(existing)
        ? existing.filter((name) => KEPT_CLASS.test(String(name)))
        : [];
      if (alignment) kept.push(classes[alignment]);
      if (kept.length > 0) element.properties.className = kept;
      else delete element.properties.className;
      delete element.properties.style;
      delete element.properties.align;
      return undefined;
    });
  };
}
