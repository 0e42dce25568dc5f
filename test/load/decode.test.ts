import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeArticleBytes } from '../../src/load/decode.ts';

const ARTICLE = '\n---\ntitle: 乌克兰局势\n---\n\n<p>各方呼吁停火。</p>\n';

describe('decoding an article file', () => {
  it('reads UTF-16 saved without a byte order mark when it opens with front matter', () => {
    for (const [encoding, bytes] of [
      ['UTF-16LE', Buffer.from(ARTICLE, 'utf16le')],
      ['UTF-16BE', iconv.encode(ARTICLE, 'utf16-be')],
    ] as const) {
      expect(decodeArticleBytes(bytes)).toEqual({
        ok: true,
        text: ARTICLE,
        encoding,
        removedControlCharacters: 0,
      });
    }
  });

  it('still refuses NUL-laden bytes that do not open with front matter', () => {
    const result = decodeArticleBytes(Buffer.from('PK\u0003\u0004 zipped', 'utf16le'));
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/binary/) });
  });
});
