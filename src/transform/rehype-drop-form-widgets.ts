/**
 * News pages put widgets between paragraphs: a newsletter sign-up ("訂閱《早安世界》電子報 …
 * 請輸入電子信箱 … 感謝您的訂閱！"), a search box, a comment form. The sanitizer drops their
 * fields and buttons but keeps their words, which then read as part of the story. A text
 * field (or a form) marks a widget: the largest element around it whose text is short and
 * that holds nothing of the story (paragraphs, headings, lists, tables, pictures, media) is
 * removed whole. A short item with a form on it, an article that a scraper kept inside a
 * page-wide `<form>`, and checkboxes (Markdown task lists) keep their content.
 */
import type { Element, Root } from 'hast';
import { DEFAULT_PLACEHOLDER_COVERS } from './cover.ts';
import { displayLength } from './text.ts';
import { SKIP, stringProperty, walkElements } from './walk.ts';

export interface DropFormWidgetsOptions {
  /** Display length (CJK characters, Latin counting half) up to which an element's text is a
   * widget's labels and messages rather than the story's. */
  maxWidgetText?: number;
}

export const DEFAULT_MAX_WIDGET_TEXT = 100;

/**
 * Containers a widget is wrapped in. Table parts, list items and the like are the story's
 * structure: a filter menu in a table heading goes, the heading stays.
 */
const WIDGET_WRAPPERS = new Set([
  'div',
  'span',
  'form',
  'fieldset',
  'label',
  'section',
  'aside',
  'nav',
  'header',
  'footer',
]);

const TEXT_INPUT_TYPES = new Set([
  '',
  'text',
  'email',
  'search',
  'tel',
  'url',
  'password',
  'number',
]);

/** Elements that are the story's, wherever they are: a wrapper holding one is no widget. */
const STORY_ELEMENTS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'dl',
  'blockquote',
  'pre',
  'table',
  'figure',
  'picture',
  'video',
  'audio',
  'iframe',
  'object',
  'embed',
]);

/** Whether an element holds part of the story (an icon or a loader's stand-in is none). */
function holdsStory(element: Element): boolean {
  const stack: Element[] = [element];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      if (STORY_ELEMENTS.has(child.tagName)) return true;
      if (child.tagName === 'img') {
        const src = stringProperty(child, 'src') ?? '';
        if (!DEFAULT_PLACEHOLDER_COVERS.some((pattern) => pattern.test(src))) return true;
      }
      stack.push(child);
    }
  }
  return false;
}

function isWidgetMark(element: Element): boolean {
  switch (element.tagName) {
    case 'form':
    case 'textarea':
    case 'select':
      return true;
    case 'input': {
      const type = element.properties.type;
      return TEXT_INPUT_TYPES.has(typeof type === 'string' ? type.trim().toLowerCase() : '');
    }
    default:
      return false;
  }
}

/** Display length of an element's text, whitespace collapsed; stops counting past `limit`. */
function textDisplayLength(element: Element, limit: number): number {
  let length = 0;
  const stack: Element['children'] = [...element.children];
  while (stack.length > 0 && length <= limit) {
    const node = stack.pop()!;
    if (node.type === 'text') length += displayLength(node.value.replace(/\s+/g, ' '), limit);
    else if (node.type === 'element') stack.push(...node.children);
  }
  return length;
}

/** A test of an element, worked out once per element of one tree. */
function memoized(test: (element: Element) => boolean): (element: Element) => boolean {
  const known = new Map<Element, boolean>();
  return (element) => {
    let result = known.get(element);
    if (result === undefined) {
      result = test(element);
      known.set(element, result);
    }
    return result;
  };
}

export function rehypeDropFormWidgets(options: DropFormWidgetsOptions = {}) {
  const limit = options.maxWidgetText ?? DEFAULT_MAX_WIDGET_TEXT;
  return (tree: Root) => {
    const widgets = new Set<Element>();
    // Each element is measured once: the fields of a form share their ancestors, and measuring
    // those again for each field made 2,000 fields in 150 nested divs take 18 s.
    const hasShortText = memoized((element) => textDisplayLength(element, limit) <= limit);
    const holdsPartOfStory = memoized(holdsStory);
    walkElements(tree, (element, _parent, _index, ancestors) => {
      if (!isWidgetMark(element) || !hasShortText(element)) return undefined;
      // A form around part of the story is no widget; its fields are, one by one.
      if (element.tagName === 'form' && holdsPartOfStory(element)) return undefined;
      // The outermost of the element and its ancestors (the body itself aside) whose text is
      // short is the widget. `ancestors` runs from the body down to the element's parent.
      let widget = element;
      for (let depth = ancestors.length - 1; depth >= 1; depth--) {
        const ancestor = ancestors[depth] as Element;
        if (
          !WIDGET_WRAPPERS.has(ancestor.tagName) ||
          !hasShortText(ancestor) ||
          holdsPartOfStory(ancestor)
        )
          break;
        widget = ancestor;
      }
      widgets.add(widget);
      return SKIP;
    });
    if (widgets.size === 0) return;
    walkElements(tree, (element, parent, index) => {
      if (!widgets.has(element)) return undefined;
      parent.children.splice(index, 1);
      return index;
    });
  };
}
