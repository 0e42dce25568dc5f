import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { createBodyTransformer, splitHtmlTail } from '../../src/transform/index.ts';
import {
  collapseWhitespace,
  detectCjkLanguage,
  displayLength,
  makeExcerpt,
  measureText,
  readingMinutes,
  textLength,
} from '../../src/transform/text.ts';
import { htmlArticle } from './corpus-article.ts';
import { transformHtml } from './helpers.ts';

describe('excerpts', () => {
  const cases: [name: string, text: string, length: number, excerpt: string][] = [
    [
      'short Chinese text is kept whole',
      '乌方：正与中国进行安全保障问题谈判。',
      20,
      '乌方：正与中国进行安全保障问题谈判。',
    ],
    ['Chinese cut by character count', '一二三四五六七八九十十一', 10, '一二三四五六七八九十…'],
    ['Latin counts half', 'abcd efgh ijkl', 5, 'abcd efgh…'],
    [
      'Latin never cut inside a word',
      'The quick brown fox jumps over the lazy dog',
      9,
      'The quick brown…',
    ],
    ['a single long word is cut hard', 'Supercalifragilisticexpialidocious', 5, 'Supercalif…'],
    [
      'mixed Chinese and English',
      '乌克兰外长库勒巴（Dmytro Kuleba）发推称',
      12,
      '乌克兰外长库勒巴（Dmytro…',
    ],
    ['whitespace collapsed', '  a \n\n b\t\tc  ', 10, 'a b c'],
    ['trailing punctuation dropped before the ellipsis', '第一句。第二句，第三句', 4, '第一句…'],
    ['emoji not split', '😀😀😀😀😀😀', 3, '😀😀😀…'],
    ['family emoji is one grapheme', 'ab👨‍👩‍👧‍👦cdefgh', 1.5, 'ab…'],
    [
      'combining marks stay with their letter',
      'e\u0301e\u0301e\u0301e\u0301',
      1,
      'e\u0301e\u0301…',
    ],
    ['surrogate pairs (CJK extension B) not split', '𠀀𠀁𠀂𠀃', 2, '𠀀𠀁…'],
    [
      'Korean words, spaced like Latin ones, are not cut',
      '오늘 서울은 아침부터 맑고 낮 기온이 오르겠습니다',
      12,
      '오늘 서울은 아침부터…',
    ],
  ];
  it.each(cases)('%s', (_name, text, length, excerpt) => {
    expect(makeExcerpt(text, length)).toBe(excerpt);
  });

  it('comes from the description when there is one, as plain text', () => {
    const transform = createBodyTransformer({ ...defaultConfig(), excerptLength: 10 });
    const article = htmlArticle('<p>Body text</p>', {
      description: '<p>摘要 &amp; <b>summary</b> of the article</p>',
    });
    expect(transform(article).body.excerpt).toBe('摘要 & summary of…');
    expect(transform(htmlArticle('<p>Body text</p>')).body.excerpt).toBe('Body text');
  });

  it('measures display length', () => {
    expect(displayLength('中文ab')).toBe(3);
  });
});

describe('reading time', () => {
  const cases: [name: string, text: string, minutes: number][] = [
    ['no text takes no time (an image-only body)', '', 0],
    ['400 Chinese characters take a minute', '字'.repeat(400), 1],
    ['1,200 Chinese characters take three minutes', '字'.repeat(1200), 3],
    ['220 English words take a minute', 'word '.repeat(220), 1],
    ['660 English words take three minutes', 'word '.repeat(660), 3],
    [
      'mixed: 800 characters and 440 words take four minutes',
      `${'字'.repeat(800)} ${"don't ".repeat(440)}`,
      4,
    ],
  ];
  it.each(cases)('%s', (_name, text, minutes) => {
    expect(readingMinutes(text)).toBe(minutes);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(textLength('𠀀a')).toBe(2);
  });
});

describe('measureText', () => {
  // Plain restatements of the measures, taken on the collapsed text: one pass over the text
  // as the body has it must agree with them.
  const codePoints = (text: string) => [...text].length;
  const language = (text: string) => {
    const sample = text.slice(0, 4000);
    const count = (pattern: RegExp) => sample.match(pattern)?.length ?? 0;
    const kana = count(/[\u3040-\u30ff]/g);
    const hangul = count(/[\uac00-\ud7a3]/g);
    const total = kana + hangul + count(/[\u4e00-\u9fff]/g);
    if (total < 20) return undefined;
    if (kana / total > 0.15) return 'ja';
    return hangul / total > 0.5 ? 'ko' : undefined;
  };
  const pieces = fc.constantFrom(
    ' ',
    '\n\t ',
    '\u00a0',
    '\u3000',
    '\u2028',
    '\ufeff',
    'word',
    "don't",
    'é',
    'a\u0301',
    '字',
    '中文新闻',
    'かな',
    '한국어',
    '𠀀',
    '😀',
    '-',
    '，',
    '.',
  );
  it('takes as whitespace exactly what \\s matches', () => {
    for (let code = 0; code < 0x10000; code++) {
      const character = String.fromCharCode(code);
      expect(measureText(`a${character}b`).length, code.toString(16)).toBe(
        collapseWhitespace(`a${character}b`).length - (code >= 0xdc00 && code <= 0xdfff ? 1 : 0),
      );
    }
  });

  it('reads a text as if its whitespace were collapsed', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 300 }), fc.nat(5000), (parts, padding) => {
        const text = '字'.repeat(padding % 2 ? padding : 0) + parts.join('');
        const collapsed = collapseWhitespace(text);
        const measures = measureText(text);
        expect(measures.length).toBe(codePoints(collapsed));
        expect(measures.cjkLanguage).toBe(language(collapsed));
        expect(measures.readingMinutes).toBe(readingMinutes(collapsed));
      }),
    );
  });
});

describe('excerpt and statistics of a whole body', () => {
  it('separates paragraphs and ignores markup', () => {
    const { body } = transformHtml(
      '<p>第一段</p><p>Second <b>para</b>graph</p><script>var x</script>',
    );
    expect(body.excerpt).toBe('第一段 Second paragraph');
    expect(body.textLength).toBe('第一段 Second paragraph'.length);
    expect(body.readingMinutes).toBe(1);
  });
});

describe('splitHtmlTail', () => {
  it.each([
    ['<!--1-->\n[T](https://x.example)\n------\n\n<div>\n<p>a</p>\n\n<p>b</p>\n</div>\n', true],
    ['# Title\n\n<div>x</div>\n\nMore **markdown** after.', false],
    ['Just *markdown*.', false],
    // A figure in the middle with Markdown after it, ending with another figure: only that
    // last figure, after the last Markdown paragraph, is HTML to the end.
    [
      'Intro **bold**.\n\n<figure><img src="a.png"></figure>\n\n## Section\n\nMore.\n\n<figure><img src="b.png"></figure>',
      true,
    ],
  ])('splits %j: %s', (body, splits) => {
    const split = splitHtmlTail(body);
    expect(Boolean(split)).toBe(splits);
    if (split) expect(split.markdown + split.html).toBe(body);
  });

  it('takes the element the body ends with for the tail, not a figure before it', () => {
    const body =
      'Source: [orig](https://e.com/o)\n\n<figure><img src="a.png"></figure>\n\n<div class="a">\n    <p>One.</p>\n\n    <p>Two.</p>\n</div>\n';
    expect(splitHtmlTail(body)?.html.startsWith('<div class="a">')).toBe(true);
  });

  it('renders the Markdown between two HTML blocks as Markdown', () => {
    const body =
      'Intro **bold** text.\n\n<figure><img src="/a.png"></figure>\n\n## Section after figure\n\nMore *markdown* with a [link](https://example.com).\n\n<figure><img src="/b.png"></figure>';
    const transform = createBodyTransformer(defaultConfig());
    const { body: result } = transform(htmlArticle(body, { format: 'markdown', title: 'Other' }));
    expect(result.html).toContain('<h2');
    expect(result.html).toContain('<em>markdown</em>');
    expect(result.html).toContain('href="https://example.com/"');
    expect(result.html).not.toContain('## Section');
  });

  it('renders a split body like the whole Markdown body', () => {
    const body = '[Source](https://news.example/a)\n------\n\n<div>\n<p>One <b>two</b></p>\n</div>';
    const transform = createBodyTransformer(defaultConfig());
    const { body: result } = transform(htmlArticle(body, { format: 'markdown', title: 'Other' }));
    expect(result.html).toContain('<p>One <b>two</b></p>');
    expect(result.html).toContain('href="https://news.example/a"');
  });
});

describe('detectCjkLanguage', () => {
  it.each([
    ['2020年12月1日配信開始の新作を紹介します。ぜひご覧ください。とても楽しい作品です。', 'ja'],
    ['서울시는 오늘 새로운 교통 정책을 발표했다. 시민들의 반응이 뜨겁다.', 'ko'],
    ['乌方：正与中国进行安全保障问题谈判，但中方是否愿意提供保障还不清楚。', undefined],
    [
      '観察者網の記事を引用した中国語の記事，但是主要内容还是中文写的新闻稿件内容很长很长',
      undefined,
    ],
    ['Plain English text.', undefined],
  ])('%s → %s', (text, expected) => {
    expect(detectCjkLanguage(text)).toBe(expected);
  });
});
