import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseXml, textOf, XmlError } from '../../src/check/xml.ts';
import { el, xmlDocument } from '../../src/feeds/xml.ts';

describe('parseXml', () => {
  it('reads elements, attributes, entities, CDATA and namespaces', () => {
    const root = parseXml(
      '<?xml version="1.0"?>\n<!-- c --><r xmlns="urn:a" xmlns:p="urn:p"><p:x a="1 &amp; 2">t &lt; &#x1F600;<![CDATA[<raw>]]></p:x></r>',
    );
    expect(root.ns).toBe('urn:a');
    const child = root.children[0] as ReturnType<typeof parseXml>;
    expect(child.ns).toBe('urn:p');
    expect(child.local).toBe('x');
    expect(child.attributes.a).toBe('1 & 2');
    expect(textOf(child)).toBe('t < 😀<raw>');
  });

  it.each([
    ['<r>&</r>', /entity reference/],
    ['<r>a & b</r>', /entity reference/],
    ['<r>&nbsp;</r>', /unknown entity/],
    ['<r>\u0001</r>', /U\+0001/],
    ['<r>&#1;</r>', /not an allowed character/],
    ['<r><a></r>', /closes/],
    ['<r a="1" a="2"/>', /twice/],
    ['<r a=1/>', /quoted/],
    ['<p:r/>', /not declared/],
    ['<r/><r/>', /after the root/],
    ['<r>]]></r>', /\]\]>/],
    ['<!DOCTYPE r [<!ENTITY a "b">]><r/>', /DOCTYPE/],
    [' <?xml version="1.0"?><r/>', /first/],
    ['<r>', /not closed/],
  ])('refuses %j', (source, message) => {
    expect(() => parseXml(source)).toThrow(XmlError);
    expect(() => parseXml(source)).toThrow(message);
  });

  it('reads back any text the feed writer writes', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.string({ unit: 'binary' }),
        (text, attribute) => {
          const xml = xmlDocument(el('r', { a: attribute }, [text]));
          const root = parseXml(xml);
          const clean = (value: string) =>
            value.replace(
              /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
              '',
            );
          expect(textOf(root)).toBe(clean(text));
          expect(root.attributes.a).toBe(clean(attribute));
        },
      ),
      { numRuns: 300 },
    );
  });
});
