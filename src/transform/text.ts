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

/** The text of a tree with whitespace collapsed, blocks separated by a space. */
export function plainText(tree: Root): string {
  return collapseWhitespace(bodyText(tree));
}

/**
 * The text of a tree, blocks separated by a space, whitespace as the body has it (`measureText`
 * and `makeExcerpt` read it as collapsed, and collapsing a whole body costs more than both).
 * No recursion.
 */
export function bodyText(tree: Root): string {
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
  return parts.join('');
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

/** What is measured on a body's text, in one pass. */
export interface TextMeasures {
  /** Reading time: CJK at ~400 characters a minute plus other text at ~220 words a minute;
   * 0 when there is no text (an empty or image-only body). */
  readingMinutes: number;
  /** Characters (code points) of the text with whitespace collapsed and trimmed. */
  length: number;
  /** Japanese or Korean, told from the first 4,000 characters (see `detectCjkLanguage`). */
  cjkLanguage?: 'ja' | 'ko';
}

/** What a UTF-16 code unit is, for `measureText`: bits of a table over all 65,536. */
const WHITESPACE = 1; // what JavaScript's `\s` matches (what `collapseWhitespace` collapses)
const CJK = 2; // counted at 400 a minute (and high surrogates of CJK extension planes)
const WORD = 4; // letters and digits of alphabetic scripts
const IN_WORD = 8; // apostrophes, hyphens and combining marks do not end a word
const KANA = 16;
const HANGUL = 32;
const HAN = 64;
const LOW_SURROGATE = 128; // the second half of a code point: not a character of its own

/**
 * The classes of every code unit, worked out once: a lookup per character beats a dozen
 * range comparisons (the measures took as long as collapsing the text's whitespace). Filled
 * range by range: testing each of the 65,536 units took 50 ms of every thread's start.
 */
const CODE_UNIT_CLASSES = (() => {
  const classes = new Uint8Array(0x10000);
  const mark = (bits: number, ranges: (number | [number, number])[]) => {
    for (const range of ranges) {
      const [from, to] = typeof range === 'number' ? [range, range] : range;
      for (let code = from; code <= to; code++) classes[code]! |= bits;
    }
  };
  mark(WHITESPACE, [
    [0x09, 0x0d],
    0x20,
    0xa0,
    0x1680,
    [0x2000, 0x200a],
    0x2028,
    0x2029,
    0x202f,
    0x205f,
    0x3000,
    0xfeff,
  ]);
  // CJK ideographs, kana and hangul; astral ideographs by their high surrogates (U+20000–U+2FFFF).
  mark(CJK, [
    [0x4e00, 0x9fff],
    [0x3040, 0x30ff],
    [0x3400, 0x4dbf],
    [0xac00, 0xd7a3],
    [0xf900, 0xfaff],
    [0xd840, 0xd87f],
  ]);
  // Letters and digits of alphabetic scripts (Latin, Greek, Cyrillic), which form words.
  mark(WORD, [
    [0x61, 0x7a],
    [0x41, 0x5a],
    [0x30, 0x39],
    [0xc0, 0xd6],
    [0xd8, 0xf6],
    [0xf8, 0x24f],
    [0x370, 0x52f],
    [0x1e00, 0x1fff],
  ]);
  mark(IN_WORD, [0x27, 0x2019, 0x2d, [0x300, 0x36f]]);
  mark(KANA, [[0x3040, 0x30ff]]);
  mark(HANGUL, [[0xac00, 0xd7a3]]);
  mark(HAN, [[0x4e00, 0x9fff]]);
  mark(LOW_SURROGATE, [[0xdc00, 0xdfff]]);
  return classes;
})();

/** How far into the (collapsed) text kana and hangul are counted. */
const LANGUAGE_SAMPLE = 4000;

/**
 * Reading time, length and CJK language of a text, read as if its whitespace were collapsed
 * (each run one space, none at the ends), in one pass over it.
 */
export function measureText(text: string): TextMeasures {
  let cjk = 0;
  let words = 0;
  let inWord = false;
  let length = 0;
  // Code units of the collapsed text so far, and whether a whitespace run is pending.
  let units = 0;
  let space = false;
  let kana = 0;
  let hangul = 0;
  let han = 0;
  for (let i = 0; i < text.length; i++) {
    const bits = CODE_UNIT_CLASSES[text.charCodeAt(i)]!;
    if (bits & WHITESPACE) {
      space = units > 0;
      inWord = false;
      continue;
    }
    if (space) {
      length++;
      units++;
      space = false;
    }
    if (units < LANGUAGE_SAMPLE) {
      if (bits & KANA) kana++;
      else if (bits & HANGUL) hangul++;
      else if (bits & HAN) han++;
    }
    units++;
    if (!(bits & LOW_SURROGATE)) length++;
    if (bits & CJK) {
      cjk++;
      inWord = false;
    } else if (bits & WORD) {
      if (!inWord) words++;
      inWord = true;
    } else if (!(inWord && bits & IN_WORD)) {
      inWord = false;
    }
  }
  const measures: TextMeasures = {
    readingMinutes: cjk === 0 && words === 0 ? 0 : Math.max(1, Math.ceil(cjk / 400 + words / 220)),
    length,
  };
  const language = cjkLanguage(kana, hangul, han);
  if (language) measures.cjkLanguage = language;
  return measures;
}

/** Reading time: CJK at ~400 characters a minute plus other text at ~220 words a minute. */
export function readingMinutes(text: string): number {
  return measureText(text).readingMinutes;
}

/** Characters (code points) of text, whitespace collapsed. */
export function textLength(text: string): number {
  return measureText(text).length;
}

/**
 * Japanese and Korean articles in a Chinese archive need their own `lang`, or browsers draw
 * them with Chinese glyph shapes. Kana only occur in Japanese, hangul only in Korean; a few
 * of them (a quoted name) do not make a Chinese article Japanese.
 */
export function detectCjkLanguage(text: string): 'ja' | 'ko' | undefined {
  return measureText(text).cjkLanguage;
}

function cjkLanguage(kana: number, hangul: number, han: number): 'ja' | 'ko' | undefined {
  const total = kana + hangul + han;
  if (total < 20) return undefined;
  if (kana / total > 0.15) return 'ja';
  if (hangul / total > 0.5) return 'ko';
  return undefined;
}
