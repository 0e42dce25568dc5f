import { describe, expect, it } from 'vitest';
import { withLazyHtml } from '../../src/cache/lazy-html.ts';

describe('lazily read bodies', () => {
  it('reads the HTML each time it is used, not before', () => {
    let reads = 0;
    const body = withLazyHtml({ excerpt: 'E' }, () => {
      reads++;
      return '<p>Body</p>';
    });
    expect(reads).toBe(0);
    expect(body.html).toBe('<p>Body</p>');
    expect(body.html).toBe('<p>Body</p>');
    expect(reads).toBe(2);
    // Not an own field: JSON and spreads of the body leave the HTML out, as the cache wants.
    expect(JSON.stringify(body)).toBe('{"excerpt":"E"}');
  });

  it('is carried by Object.assign into an object of the same kind (an article)', () => {
    const body = withLazyHtml({ excerpt: 'E' }, () => '<p>Body</p>');
    const article = Object.assign(Object.create(Object.getPrototypeOf(body)), { id: 'a' }, body);
    expect(article.html).toBe('<p>Body</p>');
  });

  it('takes a value set on it, which then is the object’s own (as the dev server keeps it)', () => {
    const body = withLazyHtml({ excerpt: 'E' }, () => '<p>From the pack</p>');
    const read = body.html;
    body.html = read;
    const copy = Object.assign(Object.create(Object.getPrototypeOf(body)), body);
    expect(copy.html).toBe('<p>From the pack</p>');
    expect({ ...body }.html).toBe('<p>From the pack</p>');
  });
});
