export const HEADINGS: readonly string[] = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

/** Elements that start a block of their own, shared by the plugins that care about layout. */
export const BLOCK_ELEMENTS: readonly string[] = [
  'address',
  'article',
  'aside',
  'blockquote',
  'div',
  'dl',
  'figure',
  'figcaption',
  'footer',
  ...HEADINGS,
  'header',
  'hr',
  'li',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'ul',
];
