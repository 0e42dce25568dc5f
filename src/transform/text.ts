/**
 * Plain text of a body, and what is measured on it: excerpts, reading time, length.
 * Lengths are in CJK characters, a Latin character counting half, the way Chinese news sites
 * size their summaries.
 */
import type { Root, RootContent } from 'hast';
import { BLOCK_ELEMENTS } from './html-elements.ts';

/** Elements after which words must not run together. */
const BLOCKS = new Set([
  ...BLOCK_ELEMENTS,
  'br',
  'caption',
  'dd',
  'details',
  'dt',
  'img',
  'summary',
  'td',
  'th',
  'tr',
]);

/** The text of a tree with whitespace collapsed, blocks separated by a space. No recursion. */
export function plainText(tree: Root): string {
  const parts: string[] = [];
  const stack: (RootContent | 'gap')[] = [...tree.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === 'gap') parts.push(' ');
    else if (node.type === 'text') parts.push(node.value);
    else if (node.type === 'element') {
      const block = BLOCKS.has(node.tagName);
      if (block) {
        parts.push(' ');
        stack.push('gap');
      }
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }
  return collapseWhitespace(parts.join(''));
}

export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Wide (CJK, kana, hangul, full-width, emoji) characters count 1, others ½. */
export function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  );
}

/** Display length: wide characters count 1, others ½. Stops counting past `limit`. */
export function displayLength(text: string, limit = Number.POSITIVE_INFINITY): number {
  let length = 0;
  for (let i = 0; i < text.length && length <= limit; i++) {
    let codePoint = text.charCodeAt(i);
    if (codePoint >= 0xd800 && codePoint <= 0xdbff && i + 1 < text.length) {
      codePoint = text.codePointAt(i)!;
      i++;
    }
    length += isWide(codePoint) ? 1 : 0.5;
  }
  return length;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const WORD_CHARACTER = /[\p{L}\p{N}\p{M}'’_-]/u;

/**
 * The first `length` (display length) of a text: never inside a grapheme, Latin words not cut,
 * `…` appended when anything was cut. Whitespace is collapsed.
 */
export function makeExcerpt(text: string, length: number): string {
  // Only the head of the text can be in the excerpt: collapse and measure just that.
  let size = length * 4 + 64;
  let head = collapseWhitespace(text.slice(0, size));
  while (size < text.length && displayLength(head, length) <= length) {
    size *= 2;
    head = collapseWhitespace(text.slice(0, size));
  }
  if (size >= text.length && displayLength(head, length) <= length) return head;
  // Segmenting is slow: try just enough of the head first (every grapheme counts at least ½).
  const short = head.slice(0, length * 2 + 32);
  return cutExcerpt(short, length) ?? cutExcerpt(head, length) ?? `${head}…`;
}

/**
 * Characters that are always a grapheme on their own: Latin without combining marks, general
 * punctuation (not the zero-width joiner), CJK punctuation, kana (not the voicing marks), CJK
 * ideographs and full-width forms. A head made only of them is cut by code unit, skipping
 * the segmenter, which costs more than the rest of an article's text work.
 */
const SINGLE_UNIT_GRAPHEMES =
  /^[\u0000-\u02ff\u2010-\u2027\u2030-\u205e\u3000-\u303f\u3040-\u3098\u309b-\u30ff\u4e00-\u9fff\uff01-\uff9d\uffa0-\uffef]*$/;

function* codeUnitSegments(text: string): Generator<{ segment: string; index: number }> {
  for (let index = 0; index < text.length; index++) yield { segment: text[index]!, index };
}

function cutExcerpt(head: string, length: number): string | undefined {
  let used = 0;
  let cut = 0;
  let overflowed = false;
  let wordStart = -1; // start of the Latin word the excerpt currently ends in, if any
  const segments = SINGLE_UNIT_GRAPHEMES.test(head)
    ? codeUnitSegments(head)
    : graphemes.segment(head);
  for (const { segment, index } of segments) {
    const codePoint = segment.codePointAt(0)!;
    const wide = isWide(codePoint);
    // Hangul is wide but, like Latin, written in words between spaces: not cut inside one.
    const wordCharacter = (!wide || isHangul(codePoint)) && WORD_CHARACTER.test(segment);
    const weight = wide ? 1 : 0.5;
    if (used + weight > length) {
      overflowed = true;
      // Mid-word: back up to the word's start, unless the excerpt is that one word.
      if (wordCharacter && wordStart > 0) cut = wordStart;
      break;
    }
    used += weight;
    if (!wordCharacter) wordStart = -1;
    else if (wordStart < 0) wordStart = index;
    cut = index + segment.length;
  }
  if (!overflowed) return undefined;
  const kept = head.slice(0, cut).replace(/[\s,.;:!?，。、；：！？·…-]+$/u, '');
  return `${kept}…`;
}

function isHangul(codePoint: number): boolean {
  return (
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) || (codePoint >= 0x1100 && codePoint <= 0x11ff)
  );
}

/** CJK ideographs, kana and hangul (BMP part; astral ideographs are checked by the caller). */
function isCjkLetter(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff)
  );
}

/** Letters and digits of alphabetic scripts (Latin, Greek, Cyrillic), which form words. */
function isWordLetter(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7) ||
    (code >= 0x370 && code <= 0x52f) ||
    (code >= 0x1e00 && code <= 0x1fff)
  );
}

/** Reading time: CJK at ~400 characters a minute plus other text at ~220 words a minute. */
export function readingMinutes(text: string): number {
  let cjk = 0;
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isCjkLetter(code) || (code >= 0xd840 && code <= 0xd87f)) {
      // 0xd840–0xd87f: high surrogates of the CJK extension planes (U+20000–U+2FFFF).
      cjk++;
      inWord = false;
    } else if (isWordLetter(code)) {
      if (!inWord) words++;
      inWord = true;
    } else if (
      !(
        inWord &&
        (code === 0x27 || code === 0x2019 || code === 0x2d || (code >= 0x300 && code <= 0x36f))
      )
    ) {
      inWord = false;
    }
  }
  // No text (an empty or image-only body): no reading time to show.
  if (cjk === 0 && words === 0) return 0;
  return Math.max(1, Math.ceil(cjk / 400 + words / 220));
}

/** Characters (code points) of text. */
export function textLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xdc00 || code > 0xdfff) length++;
  }
  return length;
}

/**
 * Japanese and Korean articles in a Chinese archive need their own `lang`, or browsers draw
 * them with Chinese glyph shapes. Kana only occur in Japanese, hangul only in Korean; a few
 * of them (a quoted name) do not make a Chinese article Japanese.
 */
export function detectCjkLanguage(text: string): 'ja' | 'ko' | undefined {
  let kana = 0;
  let hangul = 0;
  let han = 0;
  for (let i = 0; i < text.length && i < 4000; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x3040 && code <= 0x30ff) kana++;
    else if (code >= 0xac00 && code <= 0xd7a3) hangul++;
    else if (code >= 0x4e00 && code <= 0x9fff) han++;
  }
  const total = kana + hangul + han;
  if (total < 20) return undefined;
  if (kana / total > 0.15) return 'ja';
  if (hangul / total > 0.5) return 'ko';
  return undefined;
}
