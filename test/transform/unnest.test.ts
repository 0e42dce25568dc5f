import type { Element, ElementContent, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { rehypeUnnest } from '../../src/transform/rehype-unnest.ts';
import { transformHtml } from './helpers.ts';

const element = (tagName: string, children: ElementContent[], href?: string): Element => ({
  type: 'element',
  tagName,
  properties: href ? { href } : {},
  children,
});
const text = (value: string) => ({ type: 'text' as const, value });

/** Trees a parser would never build, as Markdown with raw HTML or a quirky fragment can. */
function unnest(children: ElementContent[]): string {
  const tree: Root = { type: 'root', children };
  rehypeUnnest()(tree);
  return toHtml(tree);
}

describe('elements HTML cannot nest', () => {
  it('unwraps a link inside a link, keeping its text', () => {
    expect(
      unnest([
        element('a', [text('one '), element('a', [text('two')], '/b'), text(' three')], '/a'),
      ]),
    ).toBe('<a href="/a">one two three</a>');
  });

  it('unwraps a heading inside a heading, at any depth', () => {
    expect(
      unnest([element('h1', [text('Big '), element('span', [element('h2', [text('small')])])])]),
    ).toBe('<h1>Big <span>small</span></h1>');
  });

  it('makes a body that parse5 nests (a scraped `<A..` tag) one a browser parses the same', () => {
    const once = transformHtml('<a href="https://news.example/rel"><A..<p>').body.html;
    expect(once).not.toMatch(/<a[^>]*>[^<]*<a/);
    expect(transformHtml(once).body.html).toBe(once);
  });
});
