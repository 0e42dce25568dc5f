import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';

// The encoding tables (half a megabyte of code) are loaded on the first file that is not
// UTF-8: most archives have none, and every worker thread would load them at start.
const requireModule = createRequire(import.meta.url);
let legacyCodecs: { iconv: typeof import('iconv-lite'); chardet: typeof import('chardet') };
function codecs(): typeof legacyCodecs {
  legacyCodecs ??= {
    iconv: requireModule('iconv-lite') as typeof import('iconv-lite'),
    chardet: requireModule('chardet') as typeof import('chardet'),
  };
  return legacyCodecs;
}

export type DecodeResult =
  | { ok: true; text: string; encoding: string; removedControlCharacters: number }
  | { ok: false; reason: string };

/**
 * Encodings a news archive may be stored in besides UTF-8: Chinese, Japanese and Korean ones,
 * and the single-byte ones of European, Cyrillic, Greek, Turkish, Hebrew, Arabic and
 * Vietnamese sites, which old scrapers saved pages in as they came.
 */
const LEGACY_ENCODINGS = new Set([
  'GB18030',
  'GBK',
  'GB2312',
  'Big5',
  'Shift_JIS',
  'EUC-JP',
  'EUC-KR',
  'ISO-2022-JP',
  'UTF-16LE',
  'UTF-16BE',
  'windows-1250',
  'windows-1251',
  'windows-1252',
  'windows-1253',
  'windows-1254',
  'windows-1255',
  'windows-1256',
  'windows-1257',
  'windows-1258',
  'ISO-8859-1',
  'ISO-8859-2',
  'ISO-8859-5',
  'ISO-8859-6',
  'ISO-8859-7',
  'ISO-8859-8',
  'ISO-8859-9',
  'KOI8-R',
]);

/** Single-byte encodings by the languages written in them, the Windows one first. */
const SINGLE_BYTE_BY_LANGUAGE: [RegExp, string[]][] = [
  [/^(?:en|fr|de|es|it|pt|nl|ca|gl|eu|da|sv|nb|nn|no|fi|is|ga|af|sq|id|ms|sw)$/, ['windows-1252']],
  [/^(?:pl|cs|sk|hu|hr|sl|ro|bs)$/, ['windows-1250', 'ISO-8859-2']],
  [/^(?:ru|uk|be|bg|sr|mk)$/, ['windows-1251', 'KOI8-R', 'ISO-8859-5']],
  [/^el$/, ['windows-1253', 'ISO-8859-7']],
  [/^(?:tr|az)$/, ['windows-1254', 'ISO-8859-9']],
  [/^(?:he|yi)$/, ['windows-1255', 'ISO-8859-8']],
  [/^(?:ar|fa|ur)$/, ['windows-1256', 'ISO-8859-6']],
  [/^(?:lt|lv|et)$/, ['windows-1257']],
  [/^vi$/, ['windows-1258']],
];

// C0 controls other than tab and line breaks, and DEL: not allowed in HTML or XML text.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

interface LanguageEncodings {
  /** Most used first. */
  encodings: string[];
  /** How sure chardet must be of one, as a share of its first guess, for it to win. */
  minimumShare: number;
}

/**
 * The legacy encodings a site's language is written in. A guess among them is preferred to
 * chardet's own first guess, which short texts mislead: a line of GBK news reads as EUC-KR to
 * it, a title and a sentence as ISO-8859-1, and short French in Latin-1 as Latin-2. Chinese,
 * Japanese and Korean ones win whenever the bytes are valid in them (chardet rates short
 * texts in them no higher than any other); a single-byte one only when chardet rates it
 * half as likely as its first guess, so that a Polish article on an English site stays Polish.
 */
function encodingsOfLanguage(language: string): LanguageEncodings {
  const tag = language.toLowerCase();
  const multiByte = (encodings: string[]) => ({ encodings, minimumShare: 0 });
  if (tag.startsWith('zh'))
    return multiByte(/hant|-tw|-hk|-mo/.test(tag) ? ['Big5', 'GB18030'] : ['GB18030', 'Big5']);
  if (tag.startsWith('ja')) return multiByte(['Shift_JIS', 'EUC-JP', 'ISO-2022-JP']);
  if (tag.startsWith('ko')) return multiByte(['EUC-KR']);
  const primary = tag.split(/[-_]/)[0]!;
  const encodings =
    SINGLE_BYTE_BY_LANGUAGE.find(([languages]) => languages.test(primary))?.[1] ?? [];
  return { encodings, minimumShare: 0.5 };
}

/**
 * GBK and GB2312 are subsets of GB18030: decoding with the superset loses nothing. Text
 * labelled ISO-8859-1 is read as windows-1252, as browsers do: its bytes 0x80–0x9F are the
 * curly quotes and dashes of Windows editors far more often than control characters.
 */
function canonicalEncoding(name: string): string {
  if (name === 'GBK' || name === 'GB2312') return 'GB18030';
  return name === 'ISO-8859-1' ? 'windows-1252' : name;
}

/** Whether the bytes are valid in an encoding (not merely decodable with replacements). */
function decodesCleanly(bytes: Uint8Array, encoding: string): boolean {
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false; // Invalid, or an encoding this Node's ICU does not have.
  }
}

/**
 * The encoding of bytes that are not UTF-8: of the site language's encodings that chardet
 * thinks possible and in which the bytes are valid, the likeliest (ties go to the language's
 * order); else chardet's first guess.
 */
function detectLegacyEncoding(bytes: Uint8Array, languages: string[]): string | undefined {
  const { chardet } = codecs();
  const analysis = chardet.analyse(bytes);
  // The article's own language first, then the site's: a front matter copying a page's
  // wrong `lang` does not keep the site's encodings from winning on the bytes.
  const each = languages.map(encodingsOfLanguage);
  const preferred = [...new Set(each.flatMap((entry) => entry.encodings))];
  const minimumShare = Math.min(...each.map((entry) => entry.minimumShare));
  const enough = Math.max(Number.MIN_VALUE, (analysis[0]?.confidence ?? 0) * minimumShare);
  let best: { encoding: string; confidence: number; rank: number } | undefined;
  for (const { name, confidence } of analysis) {
    const encoding = canonicalEncoding(name);
    const rank = preferred.indexOf(encoding);
    if (rank < 0 || confidence < enough) continue;
    const better =
      !best || confidence > best.confidence || (confidence === best.confidence && rank < best.rank);
    if (better && decodesCleanly(bytes, encoding)) best = { encoding, confidence, rank };
  }
  const first = analysis[0]?.name === undefined ? undefined : canonicalEncoding(analysis[0].name);
  if (best && first && best.encoding !== first && minimumShare > 0) {
    // Two single-byte readings: the one that makes symbols of letters (Polish ł and ą read
    // in windows-1252 are ³ and ¹) is the wrong one, however likely chardet rates it.
    if (symbolsAmongLetters(bytes, best.encoding) > symbolsAmongLetters(bytes, first)) return first;
  }
  return best?.encoding ?? first;
}

/** Non-ASCII characters that are neither letters nor punctuation, read in an encoding. */
function symbolsAmongLetters(bytes: Uint8Array, encoding: string): number {
  const text = codecs().iconv.decode(Buffer.from(bytes), encoding);
  return text.match(/[^\p{ASCII}\p{L}\p{M}\p{P}\p{Zs}]/gu)?.length ?? 0;
}

/**
 * Turns a file's bytes into text with LF line ends: UTF-8 (with or without BOM), UTF-16 (with
 * BOM, or opening with front matter), or a detected legacy encoding such as GB18030 or Big5
 * (the site's `language` telling which are likeliest). Binary files are refused.
 */
export function decodeArticleBytes(bytes: Uint8Array, language = ''): DecodeResult {
  let text: string | undefined;
  let encoding = 'UTF-8';
  const utf16 = utf16Of(bytes);
  if (utf16) {
    encoding = utf16.encoding;
    text = codecs().iconv.decode(Buffer.from(bytes.subarray(utf16.start)), encoding.toLowerCase());
  } else {
    if (looksBinary(bytes))
      return { ok: false, reason: 'binary file (contains NUL bytes), not an article' };
    // Validating first and then decoding is several times faster than a fatal TextDecoder.
    if (isUtf8(bytes)) {
      text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    } else {
      const { iconv } = codecs();
      const declared = declaredLanguage(bytes);
      const detected = detectLegacyEncoding(
        bytes,
        declared === undefined ? [language] : [declared, language],
      );
      if (!detected || !LEGACY_ENCODINGS.has(detected) || !iconv.encodingExists(detected)) {
        return {
          ok: false,
          reason: `not valid UTF-8 and the encoding could not be recognised${detected ? ` (looks like ${detected})` : ''}`,
        };
      }
      encoding = canonicalEncoding(detected);
      text = iconv.decode(Buffer.from(bytes), encoding);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(/\r\n?/g, '\n');
  let removedControlCharacters = 0;
  text = text.replace(CONTROL_CHARACTERS, () => {
    removedControlCharacters++;
    return '';
  });
  return { ok: true, text, encoding, removedControlCharacters };
}

/**
 * The language an article's front matter declares (`lang: ja`, `language = "ko"`,
 * `"lang": "zh-TW"`), read from its bytes before they are decoded: keys and language tags are
 * ASCII, which every legacy encoding detected here keeps as it is. A Japanese article in
 * Shift_JIS on a Chinese site is then read as Japanese, not as GB18030.
 */
function declaredLanguage(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 8192));
  const text = head.toString('latin1');
  // Fenced, JSON, or Hexo's without its opening `---` (keys from the first line on).
  const block =
    /^\s*(?:(---|\+\+\+)[ \t]*\r?\n([\s\S]*?)\r?\n\1|(\{[\s\S]*?\r?\n\})|([A-Za-z_][\w-]*:[\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$))/.exec(
      text,
    );
  const frontMatter = block?.[2] ?? block?.[3] ?? block?.[4];
  if (frontMatter === undefined) return undefined;
  return /^[ \t]*["']?(?:lang|language)["']?[ \t]*[:=][ \t]*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)["']?[ \t]*,?[ \t]*\r?$/im.exec(
    frontMatter,
  )?.[1];
}

/**
 * UTF-16 with a byte order mark, or saved without one (some Windows tools do): the latter
 * recognised only when the file opens, after blank space, with a front matter fence (`---` or
 * `+++`), as every article does, so that no binary file of NUL bytes passes for text.
 */
function utf16Of(
  bytes: Uint8Array,
): { encoding: 'UTF-16LE' | 'UTF-16BE'; start: number } | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'UTF-16LE', start: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'UTF-16BE', start: 2 };
  for (const [encoding, low] of [
    ['UTF-16LE', 0],
    ['UTF-16BE', 1],
  ] as const) {
    for (let i = 0; i + 1 < Math.min(bytes.length, 512); i += 2) {
      if (bytes[i + 1 - low] !== 0) break;
      const unit = bytes[i + low]!;
      if (UNIT_BLANKS.has(unit)) continue;
      if (FENCE_STARTS.has(unit)) return { encoding, start: 0 };
      break;
    }
  }
  return undefined;
}

const UNIT_BLANKS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const FENCE_STARTS = new Set([0x2d, 0x2b]);

function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 8192);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}
