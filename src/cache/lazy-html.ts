/**
 * Sanitized bodies stay in the cache's pack until a page needs one: an article's `html` is
 * read through a function. The getter lives on one shared prototype and the function in a
 * symbol-keyed data property, which `Object.assign` and spreads carry along: a getter defined
 * on each object gave each of 10,000 articles (and their bodies) a hidden class of its own,
 * 19 MB of them at 10,000 articles.
 */
export const READ_HTML = Symbol('read html');

interface LazyHtml {
  [READ_HTML]: () => string;
}

const LAZY_HTML_PROTOTYPE: object = Object.create(Object.prototype, {
  html: {
    get(this: LazyHtml) {
      return this[READ_HTML]();
    },
    // Setting the HTML (the dev server keeps bodies it read; Object.assign copies one) makes it
    // the object's own, as on any plain object.
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
