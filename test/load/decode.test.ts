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

  describe('in a legacy encoding', () => {
    const decoded = (text: string, encoding: string, language: string) =>
      decodeArticleBytes(iconv.encode(text, encoding), language);

    it('reads short GBK news as GB18030 on a Chinese site, where chardet guesses EUC-KR or Latin-1', () => {
      for (const text of [
        '---\ntitle: 快讯\ndate: 2022-01-11\n---\n<p>36氪获悉，巴西出口投资促进局与阿里巴巴集团签订框架协议。</p>\n',
        '---\ntitle: 新闻\n---\n<p>你好</p>\n',
        '---\ntitle: News from Beijing\n---\n<p>The mayor of 北京 said.</p>\n',
      ]) {
        expect(decoded(text, 'gbk', 'zh-CN')).toMatchObject({
          ok: true,
          text,
          encoding: 'GB18030',
        });
      }
    });

    it('prefers Big5 on a Traditional Chinese site, and reads longer Big5 text anywhere', () => {
      const short = '---\ntitle: 臺灣\n---\n<p>臺灣新聞</p>\n';
      expect(decoded(short, 'big5', 'zh-TW')).toMatchObject({ text: short, encoding: 'Big5' });
      const longer = `---\ntitle: 臺灣新聞\n---\n${'<p>行政院今日舉行記者會，說明颱風災後重建與交通運輸的最新進度。</p>\n'.repeat(3)}`;
      expect(decoded(longer, 'big5', 'zh-CN')).toMatchObject({ text: longer, encoding: 'Big5' });
    });

    it("reads a file by the language its own front matter declares, not the site's", () => {
      const japanese =
        '---\ntitle: 日本語のテスト\nlang: ja\ndate: 2024-01-04\n---\n<p>これは日本語の文章です。</p>\n';
      expect(decoded(japanese, 'shift_jis', 'zh-CN')).toMatchObject({
        text: japanese,
        encoding: 'Shift_JIS',
      });
      // As TOML and JSON front matter write it, and a tag with a region.
      const toml = '+++\ntitle = "臺灣"\nlanguage = "zh-TW"\n+++\n<p>臺灣新聞</p>\n';
      expect(decoded(toml, 'big5', 'ja')).toMatchObject({ text: toml, encoding: 'Big5' });
      const json =
        '{\n  "title": "ニュース",\n  "lang": "ja"\n}\n<p>東京都は本日発表しました。</p>\n';
      expect(decoded(json, 'shift_jis', 'zh-CN')).toMatchObject({
        text: json,
        encoding: 'Shift_JIS',
      });
      // Hexo's front matter without its opening `---`.
      const openless =
        'title: 日本語のテスト\nlang: ja\ndate: 2024-01-04\n---\n<p>これは日本語の文章です。</p>\n';
      expect(decoded(openless, 'shift_jis', 'zh-CN')).toMatchObject({
        text: openless,
        encoding: 'Shift_JIS',
      });
      // A wrong declaration does not beat the site's language on bytes that read as its.
      const wrong = '---\ntitle: 乌克兰局势\nlang: ko\n---\n<p>各方呼吁停火，谈判仍在继续。</p>\n';
      expect(decoded(wrong, 'gbk', 'zh-CN')).toMatchObject({ text: wrong, encoding: 'GB18030' });
      // In the body it is no declaration: the site's language decides.
      const inBody = '---\ntitle: 快讯\n---\n<p>lang: ja</p>\n<p>你好，北京。</p>\n';
      expect(decoded(inBody, 'gbk', 'zh-CN')).toMatchObject({ text: inBody, encoding: 'GB18030' });
    });

    it("keeps chardet's guess for other sites' languages and encodings", () => {
      const korean =
        '---\ntitle: 뉴스\n---\n<p>서울시는 오늘 새로운 교통 정책을 발표했습니다.</p>\n';
      expect(decoded(korean, 'euc-kr', 'ko')).toMatchObject({ text: korean, encoding: 'EUC-KR' });
      const japanese =
        '---\ntitle: ニュース\n---\n<p>東京都は本日、新しい交通政策を発表しました。</p>\n';
      expect(decoded(japanese, 'shift_jis', 'ja')).toMatchObject({
        text: japanese,
        encoding: 'Shift_JIS',
      });
    });
    it('reads the single-byte encodings of European, Cyrillic and other sites by their language', () => {
      const cases: [string, string, string, string][] = [
        // Short Latin-1, which chardet takes for Latin-2 (Déjà would read Dĺjŕ).
        ['---\ntitle: Café\n---\n<p>Déjà vu à Paris.</p>\n', 'latin1', 'fr', 'windows-1252'],
        [
          '---\ntitle: Élections\n---\n<p>Le préfet a annoncé « une réforme » – selon l’AFP.</p>\n',
          'win1252',
          'fr-FR',
          'windows-1252',
        ],
        [
          '---\ntitle: Bürgermeister\n---\n<p>Die Straßen in München werden gesperrt.</p>\n',
          'latin1',
          'de',
          'windows-1252',
        ],
        [
          '---\ntitle: Wybory w Łodzi\n---\n<p>Prezydent powiedział, że zmiany zaczną się w środę.</p>\n',
          'win1250',
          'pl',
          'windows-1250',
        ],
        [
          '---\ntitle: Новости\n---\n<p>Мэр города заявил, что новые правила вступят в силу в среду.</p>\n',
          'win1251',
          'ru',
          'windows-1251',
        ],
        [
          '---\ntitle: Новости\n---\n<p>Мэр города заявил, что новые правила вступят в силу в среду.</p>\n',
          'koi8-r',
          'ru',
          'KOI8-R',
        ],
        [
          '---\ntitle: Ειδήσεις\n---\n<p>Ο δήμαρχος της Αθήνας ανακοίνωσε νέα μέτρα για την κυκλοφορία.</p>\n',
          'win1253',
          'el',
          // The same bytes for these letters: chardet finds ISO-8859-7 likelier.
          'ISO-8859-7',
        ],
      ];
      for (const [text, encoding, language, expected] of cases) {
        expect(decoded(text, encoding, language), `${encoding} on a ${language} site`).toEqual({
          ok: true,
          text,
          encoding: expected,
          removedControlCharacters: 0,
        });
      }
    });

    it("reads a single-byte file on a site of another language in chardet's guess, not refused", () => {
      const polish =
        '---\ntitle: Wybory w Łodzi\n---\n<p>Prezydent miasta powiedział, że zmiany w komunikacji miejskiej zaczną się w środę. Będą też nowe ścieżki rowerowe.</p>\n';
      expect(decoded(polish, 'win1250', 'en')).toMatchObject({
        ok: true,
        text: polish,
        encoding: 'windows-1250',
      });
      // chardet rates windows-1252 more than half as likely here, which would read ł as ³.
      const weather =
        '---\ntitle: Pogoda\n---\n<p>W czwartek będzie słonecznie, a temperatura wzrośnie do dwudziestu stopni.</p>\n';
      expect(decoded(weather, 'win1250', 'en')).toMatchObject({ ok: true, text: weather });
    });
  });
});
