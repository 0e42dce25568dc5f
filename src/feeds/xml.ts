/**
 * A small XML writer for feeds and sitemaps. Feed libraries keep getting the details wrong
 * (unescaped `&`, control characters, HTML in `type="html"` titles), and the output we need is
 * small: escaped text and attributes, nested elements, one declaration.
 */

/**
 * Characters XML 1.0 forbids (C0 controls but tab/newline/return, lone surrogates, U+FFFE/F),
 * plus C1 controls and DEL, which XML allows but which in scraped text are always mis-decoded
 * bytes that feed readers show as boxes.
 */
const NOT_XML_TEXT =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes characters that may not (or should not) appear in feed text, XML or JSON. */
export function cleanText(text: string): string {
  return text.replace(NOT_XML_TEXT, '');
}

/**
 * Escapes text content; `>` too, so `]]>` can never appear, and carriage returns, which a
 * parser would otherwise turn into line feeds.
 */
export function escapeXmlText(text: string): string {
  return cleanText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** Escapes an attribute value for double quotes; newlines kept as references, not normalized away. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

export type XmlAttributes = Record<string, string | number | undefined>;

/** A node to serialize: an element with children, or text. */
export type XmlNode = XmlElement | string;

export interface XmlElement {
  name: string;
  attributes?: XmlAttributes;
  children?: XmlNode[];
}

/** Element helper: `el('link', {href}, [])`; undefined attributes and children are left out. */
export function el(
  name: string,
  attributes: XmlAttributes = {},
  children: (XmlNode | undefined | false)[] = [],
): XmlElement {
  return {
    name,
    attributes,
    children: children.filter((child): child is XmlNode => child !== undefined && child !== false),
  };
}

/** Element with text content, or undefined when there is no text (optional elements). */
export function textEl(
  name: string,
  text: string | undefined,
  attributes: XmlAttributes = {},
): XmlElement | undefined {
  return text === undefined ? undefined : el(name, attributes, [text]);
}

/** Serializes a document: XML declaration, the root element, two-space indentation. */
export function xmlDocument(root: XmlElement): string {
  const lines = ['<?xml version="1.0" encoding="utf-8"?>'];
  write(root, 0, lines);
  return `${lines.join('\n')}\n`;
}

function write(element: XmlElement, depth: number, lines: string[]): void {
  const indent = '  '.repeat(depth);
  const attributes = Object.entries(element.attributes ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXmlAttribute(String(value))}"`)
    .join('');
  const children = element.children ?? [];
  if (children.length === 0) {
    lines.push(`${indent}<${element.name}${attributes}/>`);
  } else if (children.every((child) => typeof child === 'string')) {
    const text = (children as string[]).map(escapeXmlText).join('');
    lines.push(`${indent}<${element.name}${attributes}>${text}</${element.name}>`);
  } else {
    lines.push(`${indent}<${element.name}${attributes}>`);
    for (const child of children) {
      if (typeof child === 'string') lines.push(`${indent}  ${escapeXmlText(child)}`);
      else write(child, depth + 1, lines);
    }
    lines.push(`${indent}</${element.name}>`);
  }
}
