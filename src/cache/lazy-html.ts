/**
 * Sanitized bodies stay in the cache's pack until a page needs one: a body's `html` is read
 * through a function kept in a symbol-keyed data property, which JSON leaves out (the cache
 * stores bodies without their HTML) and `Object.assign` carries along. The getter lives on one
 * shared prototype: a getter defined on each object gave each of 10,000 bodies a hidden class
 * of its own.
 */
export const READ_HTML = Symbol('read html');

export interface LazyHtml {
  [READ_HTML]: () => string;
}

const LAZY_HTML_PROTOTYPE: object = Object.create(Object.prototype, {
  html: {
    get(this: LazyHtml) {
      return this[READ_HTML]();
    },
    // Setting the HTML (the dev server keeps bodies it read) makes it the object's own, as on
    // any plain object.
    set(this: LazyHtml, value: string) {
      Object.defineProperty(this, 'html', {
        value,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    },
    enumerable: false,
    configurable: true,
  },
});

/** `fields` with an `html` read by `read` each time it is used. */
export function withLazyHtml<T extends object>(
  fields: T,
  read: () => string,
): T & { html: string } {
  const lazy: unknown = Object.assign(Object.create(LAZY_HTML_PROTOTYPE) as object, fields, {
    [READ_HTML]: read,
  });
  return lazy as T & { html: string };
}

/**
 * What reads a body's HTML: its pack reader when it is read lazily, else its string. The HTML
 * is not read here.
 */
export function htmlReader(body: { html: string }): () => string {
  const read = (body as Partial<LazyHtml>)[READ_HTML];
  if (read && !Object.hasOwn(body, 'html')) return read;
  const { html } = body;
  return () => html;
}
