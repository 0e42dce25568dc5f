/**
 * Where `text` stops being JSON (RFC 8259): the offset of the first character that cannot be
 * there, the text's length when it ends too early, or undefined when it is valid. Node 20's
 * `JSON.parse` names no position for an unexpected token, so a front-matter error could not
 * point at its line. A loop with a stack, not recursion: scraped JSON may nest very deep.
 */
export function jsonErrorOffset(text: string): number | undefined {
  const containers: ('array' | 'object')[] = [];
  let expected: Expected = 'value';
  let i = 0;
  const afterValue = (): Expected => (containers.length > 0 ? 'commaOrClose' : 'end');
  while (true) {
    while (i < text.length && JSON_WHITESPACE.includes(text[i]!)) i++;
    if (i >= text.length) return expected === 'end' ? undefined : text.length;
    const char = text[i]!;
    switch (expected) {
      case 'value':
      case 'valueOrClose': {
        if (expected === 'valueOrClose' && char === ']') {
          containers.pop();
          i++;
          expected = afterValue();
        } else if (char === '{' || char === '[') {
          containers.push(char === '{' ? 'object' : 'array');
          expected = char === '{' ? 'keyOrClose' : 'valueOrClose';
          i++;
        } else {
          const end = scanScalar(text, i);
          if (end.error !== undefined) return end.error;
          i = end.next;
          expected = afterValue();
        }
        break;
      }
      case 'key':
      case 'keyOrClose': {
        if (expected === 'keyOrClose' && char === '}') {
          containers.pop();
          i++;
          expected = afterValue();
        } else if (char === '"') {
          const end = scanString(text, i);
          if (end.error !== undefined) return end.error;
          i = end.next;
          expected = 'colon';
        } else {
          return i;
        }
        break;
      }
      case 'colon': {
        if (char !== ':') return i;
        i++;
        expected = 'value';
        break;
      }
      case 'commaOrClose': {
        const container = containers.at(-1);
        if (char === ',') {
          expected = container === 'array' ? 'value' : 'key';
          i++;
        } else if (char === (container === 'array' ? ']' : '}')) {
          containers.pop();
          i++;
          expected = afterValue();
        } else {
          return i;
        }
        break;
      }
      case 'end':
        return i;
    }
  }
}

type Expected = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' | 'end';

const JSON_WHITESPACE = ' \t\n\r';
const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const JSON_LITERALS = ['true', 'false', 'null'];

type ScanEnd = { next: number; error?: undefined } | { next?: undefined; error: number };

function scanScalar(text: string, start: number): ScanEnd {
  if (text[start] === '"') return scanString(text, start);
  const literal = JSON_LITERALS.find((word) => word[0] === text[start]);
  if (literal) {
    for (let i = 1; i < literal.length; i++) {
      if (text[start + i] !== literal[i]) return { error: start + i };
    }
    return { next: start + literal.length };
  }
  JSON_NUMBER.lastIndex = start;
  if (JSON_NUMBER.test(text)) return { next: JSON_NUMBER.lastIndex };
  return { error: start };
}

function scanString(text: string, start: number): ScanEnd {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return { next: i + 1 };
    if (code < 0x20) return { error: i };
    if (code === 0x5c) {
      const escaped = text[i + 1];
      if (escaped === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { error: i };
        i += 5;
      } else if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) {
        i++;
      } else {
        return { error: i };
      }
    }
  }
  return { error: text.length };
}
