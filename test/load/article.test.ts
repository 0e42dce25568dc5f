import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { chooseBodyFormat, loadArticle } from '../../src/load/article.ts';
import { makeTempFolder } from '../temp-folders.ts';

const config = defaultConfig();
const folder = makeTempFolder('gazette-load-');

function load(name: string, content: string | Buffer) {
  const absolutePath = path.join(folder, name);
  mkdirSync(path.dirname(absolutePath), { recursive: true });
  writeFileSync(absolutePath, content);
  return loadArticle({ absolutePath, relativePath: name }, config);
}

describe('loadArticle', () => {
  it('takes a cover as themes write it: a list of pictures, or a mapping naming one', () => {
    const cover = (front: string) => {
      const { article, diagnostics } = load(
        'cover.md',
        `---\ntitle: T\ndate: 2024-01-01\n${front}\n---\n<p>B</p>`,
      );
      return { cover: article?.cover, messages: diagnostics.map((d) => d.message) };
    };
    // PaperMod, jekyll-seo-tag, Hugo's `images`, Hexo's `photos`, Ananke's featured_image.
    expect(cover('cover:\n  image: trip.jpg\n  alt: A trip')).toEqual({
      cover: 'trip.jpg',
      messages: [],
    });
    expect(cover('image:\n  path: /img/a.png\n  height: 100')).toEqual({
      cover: '/img/a.png',
      messages: [],
    });
    expect(cover('images: [first.jpg, second.jpg]')).toEqual({ cover: 'first.jpg', messages: [] });
    expect(cover('photos:\n  - https://img.example/p.jpg')).toEqual({
      cover: 'https://img.example/p.jpg',
      messages: [],
    });
    expect(cover('featured_image: hero.webp')).toEqual({ cover: 'hero.webp', messages: [] });
    // Galleries stay the templates' too; empty or text ones are no cover, and no warning.
    const gallery = load(
      'gallery.md',
      '---\ntitle: T\ndate: 2024-01-01\nimages: [https://e.com/1.jpg, https://e.com/2.jpg]\nphotos: [https://e.com/p.jpg]\n---\n<p>B</p>',
    );
    expect(gallery.article?.extra).toEqual({
      images: ['https://e.com/1.jpg', 'https://e.com/2.jpg'],
      photos: ['https://e.com/p.jpg'],
    });
    expect(cover('images: []')).toEqual({ cover: undefined, messages: [] });
    expect(cover('images: [{caption: one}]')).toEqual({ cover: undefined, messages: [] });
    expect(cover('photos: "3"')).toEqual({ cover: undefined, messages: [] });
    expect(cover('featured_image: {width: 3}')).toEqual({ cover: undefined, messages: [] });
    // The first usable picture of a list; the first named one of a mapping.
    expect(
      cover('images: [{src: "javascript:alert(1)"}, {src: https://e.com/good.jpg}]').cover,
    ).toBe('https://e.com/good.jpg');
    expect(cover('cover: {image: "  ", src: https://e.com/s.jpg}').cover).toBe(
      'https://e.com/s.jpg',
    );
    // One that names no picture is said, and the next key is taken.
    const odd = cover('cover:\n  hidden: true\nthumbnail: t.jpg');
    expect(odd.cover).toBe('t.jpg');
    expect(odd.messages.join('\n')).toMatch(/cover/);
  });

  it('dates an article without a readable date by its path, then its source URL, then its file', () => {
    const noDate = (url: string) =>
      `---\ntitle: T\ndate: Invalid Date\nlink: ${url}\n---\n<p>B</p>`;
    const fromPath = load('2021-05-06-story.md', noDate('https://a.example/2022/04/04/x'));
    expect(fromPath.article?.date.toISOString()).toBe('2021-05-05T16:00:00.000Z');
    const fromUrl = load('story.md', noDate('https://a.example/2022/04/04/x'));
    expect(fromUrl.article?.date.toISOString()).toBe('2022-04-03T16:00:00.000Z');
    expect(fromUrl.diagnostics.map((d) => d.message)).toContain(
      'unreadable date "Invalid Date"; using the date in its source URL',
    );
    const fromFile = load('undated.md', noDate('https://a.example/story'));
    expect(Math.abs(fromFile.article!.date.getTime() - Date.now())).toBeLessThan(60_000);
    expect(fromFile.diagnostics[0]?.message).toMatch(/file modification time .*add a date/);
  });

  it('maps every documented alias', () => {
    const { article, diagnostics } = load(
      'aliases.md',
      `---
title: T
pubDate: 2022-01-02 03:04:05
modified: 2022-02-02
category: [[A, B], [C]]
tag: x, y
authors:
  - name: Ann
    url: https://ann.example
  - Bob
thumbnail: https://img.example/a.jpg
link: https://news.example/a
summary: Short.
slug: my-slug
published: false
lang: en
layout: post
---
<p>Body</p>`,
    );
    expect(diagnostics).toEqual([]);
    expect(article).toMatchObject({
      title: 'T',
      date: new Date('2022-01-01T19:04:05.000Z'),
      updated: new Date('2022-02-01T16:00:00.000Z'),
      categories: [['A', 'B'], ['C']],
      tags: ['x', 'y'],
      authors: [{ name: 'Ann', url: 'https://ann.example' }, { name: 'Bob' }],
      cover: 'https://img.example/a.jpg',
      sourceUrl: 'https://news.example/a',
      description: 'Short.',
      slug: 'my-slug',
      draft: true,
      lang: 'en',
      format: 'html',
      extra: { layout: 'post' },
    });
  });

  it('reads a Hexo category list as one hierarchy', () => {
    const { article } = load(
      'hexo.md',
      '---\ntitle: x\ndate: 2022-01-01\ncategories: \n - 新媒体\n - 观察者网\n - 头条 \n---\n<p>b</p>',
    );
    expect(article?.categories).toEqual([['新媒体', '观察者网', '头条']]);
  });

  it('falls back to the first heading for a missing title, with a warning', () => {
    const { article, diagnostics } = load(
      'untitled.md',
      '---\ndate: 2022-01-01\n---\n<h2>Heading <b>here</b></h2><p>x</p>',
    );
    expect(article?.title).toBe('Heading here');
    expect(diagnostics[0]).toMatchObject({ severity: 'warning', file: 'untitled.md' });
  });

  it('prefers the file name to an h4–h6 heading, which in scraped bodies is a caption or credit', () => {
    const { article } = load(
      'museum-nights.md',
      '---\ndate: 2022-01-01\n---\n<h5>本文图片均来源于网络</h5><p>x</p>',
    );
    expect(article?.title).toBe('museum-nights');
  });

  it('decodes character references a scraper copied into titles, names, terms and links', () => {
    const { article } = load(
      'ent.md',
      `---\ntitle: 'AT&amp;T&#8217;s &quot;deal&quot;: Q&A &copy2020'\nauthor: "O&#39;Brien&#x202E;"\ntags: [R&amp;D]\ncategories: [Tech &amp; Media]\nsource: https://news.example/a?id=1&amp;p=2\ndate: 2022-01-01\n---\n<p>x</p>`,
    );
    expect(article?.title).toBe('AT&T’s "deal": Q&A &copy2020');
    expect(article?.authors.map((author) => author.name)).toEqual(["O'Brien"]);
    expect(article?.tags).toEqual(['R&D']);
    expect(article?.categories).toEqual([['Tech & Media']]);
    expect(article?.sourceUrl).toBe('https://news.example/a?id=1&p=2');
  });

  it("dates a future article's warning in the site's zone", () => {
    const { diagnostics } = load(
      'future.md',
      '---\ntitle: F\ndate: 2999-01-01 08:00\n---\n<p>x</p>',
    );
    expect(diagnostics.map((diagnostic) => diagnostic.message)).toContain(
      'date 2999-01-01T08:00:00+08:00 is in the future',
    );
  });

  it("takes a saved page's <title> when its body has no heading", () => {
    const { article } = load(
      'doc3.html',
      '<!DOCTYPE html><html><head><title>Port traffic &amp; trade</title></head><body><p>x</p></body></html>',
    );
    expect(article?.title).toBe('Port traffic & trade');
  });

  it("takes a file name's title without the date a scraper put before it", () => {
    const { article } = load(
      '2020-09-29-港口吞吐量创新高.md',
      '---\ndate: 2022-01-01\n---\n<p>x</p>',
    );
    expect(article?.title).toBe('港口吞吐量创新高');
    // Nothing but the date: no title at all, so the site's word for "Untitled".
    expect(load('2020-09-29-.md', '---\ndate: 2022-01-01\n---\n<p>x</p>').article?.title).toBe(
      '无标题',
    );
  });

  it.each([
    ['zh-CN', undefined, '无标题'],
    ['zh-TW', undefined, '無標題'],
    ['en', undefined, 'Untitled'],
    ['zh-CN', 'ja', '無題'],
    ['en', 'ko_KR', '제목 없음'],
    ['ja', 'not a tag!', '無題'],
  ])(
    'names an article with no title anywhere in its language (site %s, lang %s)',
    (language, lang, title) => {
      const absolutePath = path.join(folder, '.md');
      writeFileSync(
        absolutePath,
        `---\ndate: 2022-01-01\n${lang ? `lang: ${lang}\n` : ''}---\n<p>x</p>`,
      );
      const { article } = loadArticle(
        { absolutePath, relativePath: '.md' },
        { ...config, language },
      );
      expect(article?.title).toBe(title);
    },
  );

  it.each([
    ['published: no', true],
    ['published: "false"', true],
    ['draft: yes', true],
    ["draft: 'true'", true],
    ['draft: 1', true],
    ['draft: off', false],
    ['published: true', false],
  ])('reads %s as YAML 1.1 and scrapers spell it', (line, draft) => {
    const { article, diagnostics } = load(
      'flag.md',
      `---\ntitle: x\ndate: 2022-01-01\n${line}\n---\n<p>x</p>`,
    );
    expect(article?.draft).toBe(draft);
    expect(diagnostics).toEqual([]);
  });

  it('reads a published date as the date, not as a flag', () => {
    const { article, diagnostics } = load(
      'pub.md',
      '---\ntitle: x\npublished: 2022-01-01\n---\n<p>x</p>',
    );
    expect(article?.draft).toBe(false);
    expect(article?.date.toISOString()).toBe('2021-12-31T16:00:00.000Z');
    expect(diagnostics).toEqual([]);
  });

  it('warns of a draft flag that is neither true nor false, and ignores it', () => {
    const { article, diagnostics } = load(
      'maybe.md',
      '---\ntitle: x\ndate: 2022-01-01\ndraft: maybe\n---\n',
    );
    expect(article?.draft).toBe(false);
    expect(diagnostics[0]).toMatchObject({ severity: 'warning', line: 4 });
    expect(diagnostics[0]!.message).toMatch(/draft: "maybe" is neither true nor false/);
  });

  it('says which fields have a list or mapping where text is wanted, with their lines', () => {
    const { article, diagnostics } = load(
      'misshapen.md',
      '---\ntitle: [a, list]\ntags: {x: y}\nslug: [x]\ncover: [1, 2]\nlink: {u: 1}\ndescription: [d]\ndate: 2022-01-01\nauthor: {name: A, url: "https://a.example/"}\ncategories: [[World, Asia], Sport]\n---\n<p>Body.</p>\n',
    );
    const said = diagnostics.map(({ line, message }) => `${line}: ${message}`);
    expect(said).toEqual(
      expect.arrayContaining([
        '2: title is a list, not text; using "misshapen"',
        '3: tags is a mapping, not a list or text; ignored',
        '4: slug is a list, not text; ignored',
        '5: cover is a list, not text; ignored',
        '6: link is a mapping, not text; ignored',
        '7: description is a list, not text; ignored',
      ]),
    );
    expect(said).toHaveLength(6);
    expect(article).toMatchObject({ title: 'misshapen', tags: [], authors: [{ name: 'A' }] });
    expect(article?.categories).toEqual([['Sport'], ['World', 'Asia']]);
  });

  it('ignores an updated date before the date, with a warning', () => {
    const { article, diagnostics } = load(
      'updated.md',
      '---\ntitle: x\ndate: 2022-04-04 10:00\nupdated: 2022-03-01 09:00\n---\n<p>x</p>',
    );
    expect(article?.updated).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ severity: 'warning', line: 4 });
    expect(diagnostics[0]!.message).toMatch(/is before the date/);
  });

  it('falls back to the date in the path for an unreadable date', () => {
    const { article, diagnostics } = load(
      '2020-08-10-story.md',
      '---\ntitle: x\ndate: Invalid Date\n---\n<p>x</p>',
    );
    expect(article?.date.toISOString()).toBe('2020-08-09T16:00:00.000Z');
    expect(article?.slug).toBe('story');
    expect(diagnostics[0]).toMatchObject({ severity: 'warning', line: 3 });
  });

  it('tolerates a BOM and CRLF line ends', () => {
    const { article, diagnostics } = load(
      'bom.md',
      '\uFEFF---\r\ntitle: BOM\r\ndate: 2022-01-01\r\n---\r\n<p>x</p>\r\n',
    );
    expect(diagnostics).toEqual([]);
    expect(article?.title).toBe('BOM');
    expect(article?.body).toBe('<p>x</p>\n');
  });

  it('decodes GB18030 files with a warning', async () => {
    const iconv = (await import('iconv-lite')).default;
    const text =
      '---\ntitle: 中文标题测试\ndate: 2022-01-01\n---\n<p>这是一篇用国标编码保存的新闻稿件，内容足够长以便识别编码。</p>';
    const { article, diagnostics } = load('gbk.md', iconv.encode(text, 'gb18030'));
    expect(article?.title).toBe('中文标题测试');
    expect(diagnostics[0]?.message).toMatch(/GB18030/);
  });

  it('refuses front matter that is not a map', () => {
    const { article, diagnostics } = load('list.md', '---\n- a\n---\n<p>x</p>');
    expect(article).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ severity: 'error', file: 'list.md', line: 2 });
  });

  it('refuses binary files with an error naming the file', () => {
    const { article, diagnostics } = load(
      'binary.md',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]),
    );
    expect(article).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ severity: 'error', file: 'binary.md' });
  });

  it('reports invalid YAML with the file line, and recovers what it can', () => {
    const { article, diagnostics } = load('bad.md', '\n---\ntitle: x\ntags: [a\n---\n<p>x</p>');
    expect(article?.title).toBe('x');
    expect(diagnostics[0]).toMatchObject({ severity: 'error', file: 'bad.md' });
    expect(diagnostics[0]?.line).toBeGreaterThan(2);
  });

  it.each([
    ['bad-toml.md', '\r\n+++\r\ntitle = "x"\r\ndate = \r\n+++\r\n<p>x</p>', 4],
    ['bad-json.md', '---json\n{\n  "title": "x",\n  "date": 2024-01-02\n}\n---\n<p>x</p>', 4],
  ])('names the file and the line of a bad TOML or JSON token: %s', (name, text, line) => {
    const { article, diagnostics } = load(name, text);
    expect(article).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', file: name, line })]);
  });
});

describe('names taken from the file', () => {
  it("slugs a Hugo page bundle or Hexo folder post by its folder's name, not index", () => {
    const text = '---\ntitle: Harbour reopens\ndate: 2021-07-04\n---\n<p>b</p>\n';
    expect(load('post/harbour-reopens/index.md', text).article?.slug).toBe('harbour-reopens');
    expect(load('2021-07-05-quay/_index.md', text).article?.slug).toBe('quay');
    expect(load('index.md', text).article?.slug).toBe('index');
  });

  it("keeps a Hugo post's url as its permalink, and a scraper's url as its source", () => {
    const hugo = load(
      'hugo-url.md',
      '---\ntitle: Old\ndate: 2019-05-01\nurl: /2019/05/my-old-url/\n---\n<p>b</p>\n',
    );
    expect(hugo.article).toMatchObject({ permalink: '/2019/05/my-old-url/' });
    expect(hugo.article?.sourceUrl).toBeUndefined();
    expect(hugo.diagnostics).toEqual([]);
    const dotted = load(
      'hugo-dotted.md',
      '---\ntitle: V\ndate: 2019-05-01\nurl: /2019/05/v1.2-release/\n---\n<p>b</p>\n',
    );
    expect(dotted.article).toMatchObject({ permalink: '/2019/05/v1.2-release/' });
    const scraped = load(
      'scraped-url.md',
      '---\ntitle: New\ndate: 2019-05-01\nurl: https://news.example/a\n---\n<p>b</p>\n',
    );
    expect(scraped.article).toMatchObject({ sourceUrl: 'https://news.example/a' });
    expect(scraped.article?.permalink).toBeUndefined();
    // A scraper's relative link to a file is no page path: refused as a source, kept in place.
    const relative = load(
      'relative-url.md',
      '---\ntitle: R\ndate: 2019-05-01\nurl: "/news/2024/01/a.html?id=3#x"\n---\n<p>b</p>\n',
    );
    expect(relative.article?.permalink).toBeUndefined();
    expect(relative.article?.sourceUrl).toBe('/news/2024/01/a.html?id=3#x');
  });

  it("keeps a TOML date without an offset in extra fields as its text, for the site's zone", () => {
    const text =
      '+++\ntitle = "Event"\ndate = 2022-04-01\nevent = 2022-04-04\nstarts = 2022-04-04T10:00:00Z\n[params]\nwhen = 2022-04-04T10:00:00\n+++\n<p>b</p>\n';
    const { article } = load('toml-dates.md', text);
    expect(article?.extra.event).toBe('2022-04-04');
    expect(article?.extra.params).toEqual({ when: '2022-04-04T10:00:00.000' });
    expect(article?.extra.starts).toBeInstanceOf(Date);
  });

  it('writes a locale-style language (zh_CN) as a language tag (zh-CN)', () => {
    const { article } = load(
      'locale-lang.md',
      '---\ntitle: L\ndate: 2019-05-01\nlang: zh_CN\n---\n<p>b</p>\n',
    );
    expect(article?.lang).toBe('zh-CN');
  });

  it('dates a Jekyll post by its file name without a warning, other paths with one', () => {
    const text = '---\ntitle: Harbour\n---\n<p>b</p>\n';
    const jekyll = load('_posts/2021-04-18-harbour.md', text);
    expect(jekyll.article?.date.toISOString()).toMatch(/^2021-04-1[78]/);
    expect(jekyll.diagnostics).toEqual([]);
    const folders = load('2021/04/18/harbour.md', text);
    expect(folders.diagnostics).toEqual([
      expect.objectContaining({ message: 'no date in front matter; using the date in its path' }),
    ]);
  });

  it('titles an untitled Markdown post by its first heading, not a comment in its code', () => {
    const text =
      '---\ndate: 2021-07-04\n---\nSet-up:\n\n```bash\n# install deps\nnpm ci\n```\n\n## Building the harbour site\n';
    expect(load('untitled-code.md', text).article?.title).toBe('Building the harbour site');
    const unclosed = '---\ndate: 2021-07-04\n---\n~~~\n# not a title\n';
    expect(load('2021-07-04-unclosed-fence.md', unclosed).article?.title).toBe('unclosed-fence');
  });
});

describe('chooseBodyFormat', () => {
  it.each([
    ['<div>\n<p>x</p></div>', 'html'],
    ['\n<div>   \n<img src="x">', 'html'],
    ['<!--1606648467000-->\n[Title](https://x.example)\n------\n\n<div>x</div>', 'markdown'],
    ['# Heading\n\nText', 'markdown'],
    ['Plain text', 'markdown'],
    ['', 'html'],
    // Markdown posts opening with a banner, a centred logo or a player (Hexo, GitHub).
    ['<img src="https://x.example/banner.png" alt="banner">\n\n## Heading\n\n**bold**', 'markdown'],
    ['<p align="center"><img src="logo.png"></p>\n\n# Project title\n\nText.', 'markdown'],
    [
      '<iframe src="//music.163.com/outchain/player?id=1"></iframe>\n\n今天**天气**很好。',
      'markdown',
    ],
    ['<https://x.example/start> is where it **begins**.', 'markdown'],
    [
      '<img src="b.png">\n\nPlain with _emphasis_ and a [reference][1].\n\n[1]: https://x.example',
      'markdown',
    ],
    // Scraped HTML with lines of plain text between its paragraphs: HTML, whatever they hold.
    ['<div>\n<p>a</p>\n\nPlain words, no Markdown.\n\n<p>b</p>\n</div>', 'html'],
    ['<p>Python 3.13 is out.</p>\n\nThe release changes how __init__ files are read.', 'html'],
    [
      '<img src="b.jpg">\n\nText **bold** here.\n\nMore text.\n\n<figure><img src="1.jpg"></figure>\n\n<figure><img src="2.jpg"></figure>\n\n<figure><img src="3.jpg"></figure>',
      'markdown',
    ],
    [
      '<div>\n<img src="a.jpg">\n</div>\n\nAs reported [1][2], the council met.\n\n<p>More.</p>',
      'html',
    ],
    ['<img src="b.jpg">\n\n- step one\n- step two\n', 'markdown'],
    ['<p><img src="a.jpg"></p>\n\n<p>第一段。</p>\n\n- 完 -', 'html'],
    [
      '<p><img src="a.jpg"></p>\n\nPhoto: [Reuters](https://x.example)\n\n    <p>Apple said.</p>',
      'html',
    ],
  ])('reads %j as %s', (body, expected) => {
    expect(chooseBodyFormat('a.md', undefined, 'auto', body)).toBe(expected);
  });

  it('obeys the file, the extension and the site, in that order', () => {
    expect(chooseBodyFormat('a.md', 'markdown', 'html', '<p>x</p>')).toBe('markdown');
    expect(chooseBodyFormat('a.html', undefined, 'markdown', '# x')).toBe('html');
    expect(chooseBodyFormat('a.md', undefined, 'markdown', '<p>x</p>')).toBe('markdown');
  });
});
