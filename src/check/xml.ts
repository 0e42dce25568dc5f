/**
 * A strict, small XML 1.0 reader: enough to tell whether a feed or sitemap is well-formed
 * (with namespaces) and to walk it. Not a general parser: DOCTYPEs are refused, since neither
 * feeds nor sitemaps need them and they are how XML bombs get in.
 */

export interface XmlTreeElement {
  /** Qualified name as written (`atom:link`). */
  name: string;
  /** Local part of the name (`link`). */
  local: string;
  /** Namespace URI, or '' for none. */
  ns: string;
  attributes: Record<string, string>;
  children: (XmlTreeElement | string)[];
  line: number;
}

export class XmlError extends Error {
  override name = 'XmlError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const NAME = /[A-Za-z_:\u00C0-\uFFFF][-A-Za-z0-9._:\u00B7\u00C0-\uFFFF]*/y;
const INVALID_CHAR =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export function parseXml(source: string): XmlTreeElement {
  // Line ends are normalized before parsing (XML 1.0 §2.11).
  const text = (source.startsWith('\uFEFF') ? source.slice(1) : source).replace(/\r\n?/g, '\n');
  const bad = INVALID_CHAR.exec(text);
  if (bad) {
    throw new XmlError(
      `character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`,
      lineAt(text, bad.index),
    );
  }
  let pos = 0;
  const fail = (message: string, at = pos): never => {
    throw new XmlError(message, lineAt(text, at));
  };
  const skipSpace = () => {
    while (pos < text.length && /[ \t\r\n]/.test(text[pos]!)) pos++;
  };
  const readName = (): string => {
    NAME.lastIndex = pos;
    const match = NAME.exec(text);
    if (!match) return fail('a name was expected');
    pos += match[0].length;
    return match[0];
  };
  const decode = (raw: string, start: number): string =>
    raw.replace(/&([^;&]*);?/g, (whole, body: string, offset: number) => {
      if (!whole.endsWith(';'))
        return fail('"&" must start an entity reference such as &amp;', start + offset);
      if (body.startsWith('#')) {
        const code = body.startsWith('#x')
          ? Number.parseInt(body.slice(2), 16)
          : Number.parseInt(body.slice(1), 10);
        const valid = /^#(x[0-9A-Fa-f]+|[0-9]+)$/.test(body) && code <= 0x10ffff;
        const char = valid ? String.fromCodePoint(code) : '';
        if (!valid || INVALID_CHAR.test(char) || (code >= 0xd800 && code <= 0xdfff))
          return fail(`&${body}; is not an allowed character`, start + offset);
        return char;
      }
      const value = PREDEFINED[body];
      if (value === undefined) return fail(`unknown entity &${body};`, start + offset);
      return value;
    });
  // Misc: comments, processing instructions, white space.
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos + 4);
        if (end < 0) fail('unclosed comment');
        pos = end + 3;
      } else if (text.startsWith('<?', pos)) {
        const end = text.indexOf('?>', pos + 2);
        if (end < 0) fail('unclosed processing instruction');
        pos = end + 2;
      } else return;
    }
  };

  if (text.startsWith('<?xml', pos)) {
    const end = text.indexOf('?>', pos);
    if (end < 0) fail('unclosed XML declaration');
    pos = end + 2;
  } else if (/^\s*<\?xml/i.test(text)) {
    fail('the XML declaration must come first, with nothing before it');
  }
  skipMisc();
  if (text.startsWith('<!DOCTYPE', pos)) fail('DOCTYPE declarations are not accepted');

  const readElement = (scope: Map<string, string>): XmlTreeElement => {
    const start = pos;
    if (text[pos] !== '<') fail('an element was expected');
    pos++;
    const name = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = pos;
      skipSpace();
      if (text.startsWith('/>', pos) || text[pos] === '>') break;
      if (pos === before) fail(`white space was expected between attributes of <${name}>`);
      const attribute = readName();
      skipSpace();
      if (text[pos] !== '=') fail(`attribute ${attribute} of <${name}> has no value`);
      pos++;
      skipSpace();
      const quote = text[pos];
      if (quote !== '"' && quote !== "'") fail(`attribute ${attribute} must be quoted`);
      const end = text.indexOf(quote!, pos + 1);
      if (end < 0) fail(`unclosed attribute ${attribute}`);
      const raw = text.slice(pos + 1, end);
      if (raw.includes('<')) fail(`"<" in the value of attribute ${attribute}`);
      if (Object.hasOwn(attributes, attribute)) fail(`attribute ${attribute} appears twice`);
      attributes[attribute] = decode(raw, pos + 1);
      pos = end + 1;
    }
    const selfClosing = text.startsWith('/>', pos);
    pos += selfClosing ? 2 : 1;

    const namespaces = new Map(scope);
    for (const [key, value] of Object.entries(attributes)) {
      if (key === 'xmlns') namespaces.set('', value);
      else if (key.startsWith('xmlns:')) namespaces.set(key.slice(6), value);
    }
    const resolve = (qualified: string, isAttribute: boolean): string => {
      const colon = qualified.indexOf(':');
      if (colon < 0) return isAttribute ? '' : (namespaces.get('') ?? '');
      const prefix = qualified.slice(0, colon);
      if (prefix === 'xmlns') return 'http://www.w3.org/2000/xmlns/';
      const uri = namespaces.get(prefix);
      if (uri === undefined) return fail(`namespace prefix "${prefix}" is not declared`, start);
      return uri;
    };
    for (const key of Object.keys(attributes)) resolve(key, true);
    const element: XmlTreeElement = {
      name,
      local: name.includes(':') ? name.slice(name.indexOf(':') + 1) : name,
      ns: resolve(name, false),
      attributes,
      children: [],
      line: lineAt(text, start),
    };
    if (selfClosing) return element;

    for (;;) {
      if (pos >= text.length) fail(`<${name}> is not closed`, start);
      if (text.startsWith('</', pos)) {
        pos += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        skipSpace();
        if (text[pos] !== '>') fail(`">" expected after </${closing}`);
        pos++;
        return element;
      }
      if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos + 4);
        if (end < 0) fail('unclosed comment');
        pos = end + 3;
      } else if (text.startsWith('<![CDATA[', pos)) {
        const end = text.indexOf(']]>', pos + 9);
        if (end < 0) fail('unclosed CDATA section');
        element.children.push(text.slice(pos + 9, end));
        pos = end + 3;
      } else if (text.startsWith('<?', pos)) {
        const end = text.indexOf('?>', pos + 2);
        if (end < 0) fail('unclosed processing instruction');
        pos = end + 2;
      } else if (text[pos] === '<') {
        element.children.push(readElement(namespaces));
      } else {
        const end = text.indexOf('<', pos);
        const raw = text.slice(pos, end < 0 ? text.length : end);
        if (raw.includes(']]>')) fail('"]]>" may not appear in text');
        element.children.push(decode(raw, pos));
        pos += raw.length;
      }
    }
  };

  const root = readElement(new Map([['xml', XML_NS]]));
  skipMisc();
  if (pos < text.length) fail('content after the root element');
  return root;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Child elements, optionally only those with a local name (and namespace). */
export function childElements(
  element: XmlTreeElement,
  local?: string,
  ns?: string,
): XmlTreeElement[] {
  return element.children.filter(
    (child): child is XmlTreeElement =>
      typeof child !== 'string' &&
      (local === undefined || child.local === local) &&
      (ns === undefined || child.ns === ns),
  );
}

/** Text content of an element (its own and its descendants'). */
export function textOf(element: XmlTreeElement): string {
  return element.children
    .map((child) => (typeof child === 'string' ? child : textOf(child)))
    .join('');
}
