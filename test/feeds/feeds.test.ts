import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../src/check/feeds.ts';
import { childElements, parseXml, textOf } from '../../src/check/xml.ts';
import { feedsExtension } from '../../src/feeds/extension.ts';
import { rfc822, rfc3339 } from '../../src/feeds/formats.ts';
import { imageType } from '../../src/feeds/model.ts';
import { cleanText, escapeXmlText } from '../../src/feeds/xml.ts';
import type { Diagnostic } from '../../src/model.ts';
import type { PageSpec } from '../../src/render/pages.ts';
import { extensionContext, sampleSite } from './fixture.ts';

const NASTY_TITLE = 'Tom & Jerry <b>bold</b> ]]> \u0001\u0008\u000B\u001F\u007F\u0085 bell 😀 乌方';
const CLEAN_TITLE = 'Tom & Jerry <b>bold</b> ]]>  bell 😀 乌方';

function build(
  baseUrl = 'https://example.org/news/',
  content: 'full' | 'excerpt' = 'full',
  termContent: 'full' | 'excerpt' = content,
) {
  const { site, config } = sampleSite(
    [
      {
        title: NASTY_TITLE,
        date: '2022-04-04T15:12:14Z',
        updated: '2022-04-05T01:00:00Z',
        html: '<p>Body &amp; <a href="#user-content-part-2">part 2</a> <a href="/2021/old/">old</a> <img src="/images/a.png" srcset="/images/a.png 1x, /images/b.png 2x" alt="a > b"></p><pre><code>&lt;img src="/logo.png"&gt;</code></pre>',
        excerpt: 'Excerpt & <more>',
        categories: [['新闻', '国际']],
        tags: ['A&B'],
        authors: ['观察者网'],
        cover: 'https://i.guancha.cn/news/2022/04/04/cover.jpg?w=1&h=2',
      },
      {
        title: 'Second',
        date: '2022-04-03T10:00:00Z',
        categories: [['新闻']],
        authors: ['Reporter'],
        cover: '/images/local.png',
        lang: 'en',
      },
    ],
    { baseUrl, feeds: { items: 20, content, termContent } },
  );
  const context = extensionContext(site, config);
  const diagnostics = feedsExtension().finish!(context) as Diagnostic[];
  return { site, config, context, output: context.output, diagnostics };
}

describe('feeds', () => {
  it('are dated by their newest article, also before 1970', () => {
    const { site, config } = sampleSite(
      [
        { title: 'Moon', date: '1969-07-20T20:17:00Z', categories: [['Space']] },
        { title: 'Sputnik', date: '1957-10-04T19:28:00Z', categories: [['Space']] },
      ],
      { baseUrl: 'https://example.org/' },
    );
    const context = extensionContext(site, config);
    feedsExtension().finish!(context);
    expect(context.output.text('/atom.xml')).toContain(
      '<updated>1969-07-21T04:17:00+08:00</updated>',
    );
    expect(context.output.text('/feed.xml')).toContain(
      '<lastBuildDate>Sun, 20 Jul 1969 20:17:00 GMT</lastBuildDate>',
    );
  });

  it('make absolute the links of bodies, not text that looks like one', () => {
    const { output } = build();
    const feed = output.text('/feed.json');
    expect(feed).toContain('src=\\"https://example.org/news/images/a.png\\"');
    expect(feed).toContain('https://example.org/news/images/b.png 2x');
    expect(feed).toContain('&lt;img src=\\"/logo.png\\"&gt;');
  });

  it('give term feeds full bodies with termContent: full, whatever the site feeds have', () => {
    const { output } = build('https://example.org/', 'excerpt', 'full');
    expect(output.text('/feed.xml')).not.toContain('content:encoded');
    const tagFeed = [...output.files.keys()].find(
      (p) => p.startsWith('/tags/') && p.endsWith('/feed.xml'),
    )!;
    expect(output.text(tagFeed)).toContain('content:encoded');
  });

  it('writes RSS, Atom and JSON Feed for the site and for every category, author and tag', () => {
    const { output } = build();
    const paths = [...output.files.keys()].sort();
    expect(paths).toContain('/feed.xml');
    expect(paths).toContain('/atom.xml');
    expect(paths).toContain('/feed.json');
    expect(paths).toContain('/categories/新闻/国际/atom.xml');
    expect(paths.some((p) => p.startsWith('/tags/') && p.endsWith('/feed.json'))).toBe(true);
    expect(paths.filter((p) => p.endsWith('/feed.xml')).length).toBe(1 + 2 + 2 + 1); // site, 2 categories, 2 authors, 1 tag
  });

  it('produces feeds that are well-formed and have every element their spec requires', () => {
    const { output } = build();
    for (const [sitePath] of output.files) {
      const { kind, problems } = checkDocument(output.text(sitePath));
      expect(kind, sitePath).toBeDefined();
      expect(problems, sitePath).toEqual([]);
    }
  });

  it('keeps a title with &, <, control characters and emoji intact, escaped in every format', () => {
    const { output } = build();
    const rss = output.text('/feed.xml');
    expect(rss).toContain(
      '<title>Tom &amp; Jerry &lt;b&gt;bold&lt;/b&gt; ]]&gt;  bell 😀 乌方</title>',
    );
    expect(rss).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/);
    const rssTitle = childElements(
      childElements(childElements(parseXml(rss), 'channel')[0]!, 'item')[0]!,
      'title',
    )[0]!;
    expect(textOf(rssTitle)).toBe(CLEAN_TITLE);

    const atom = parseXml(output.text('/atom.xml'));
    const entryTitle = childElements(childElements(atom, 'entry')[0]!, 'title')[0]!;
    expect(entryTitle.attributes.type).toBe('text');
    expect(textOf(entryTitle)).toBe(CLEAN_TITLE);

    const json = JSON.parse(output.text('/feed.json'));
    expect(json.items[0].title).toBe(CLEAN_TITLE);
    expect(JSON.stringify(json)).not.toMatch(/\\u000[0-8bcef]|\\u001/i);
  });

  it('uses each spec’s date format', () => {
    const { output } = build();
    expect(output.text('/feed.xml')).toContain('<pubDate>Mon, 04 Apr 2022 15:12:14 GMT</pubDate>');
    expect(output.text('/atom.xml')).toContain('<published>2022-04-04T23:12:14+08:00</published>');
    expect(output.text('/atom.xml')).toContain('<updated>2022-04-05T09:00:00+08:00</updated>');
    const json = JSON.parse(output.text('/feed.json'));
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.items[0].date_published).toBe('2022-04-04T23:12:14+08:00');
    expect(json.items[0].date_modified).toBe('2022-04-05T09:00:00+08:00');
    expect(rfc822(new Date('2022-12-31T23:59:59Z'))).toBe('Sat, 31 Dec 2022 23:59:59 GMT');
    expect(rfc3339(new Date('2022-12-31T23:59:59Z'), 'UTC')).toBe('2022-12-31T23:59:59Z');
  });

  it('makes every link absolute, in full content too', () => {
    const { output } = build();
    const rss = output.text('/feed.xml');
    expect(rss).toContain('<link>https://example.org/news/2022/04/04/article-0/</link>');
    expect(rss).toContain('href="https://example.org/news/2021/old/"');
    // A link to a heading of the article leads to that heading of the article's page.
    expect(rss).toContain(
      'href="https://example.org/news/2022/04/04/article-0/#user-content-part-2"',
    );
    expect(rss).toContain(
      'srcset="https://example.org/news/images/a.png 1x, https://example.org/news/images/b.png 2x"',
    );
    expect(rss).toContain(
      '<atom:link href="https://example.org/news/feed.xml" rel="self" type="application/rss+xml"/>',
    );
    const json = JSON.parse(output.text('/feed.json'));
    expect(json.items[0].content_html).toContain('src="https://example.org/news/images/a.png"');
    expect(json.items[1].image).toBe('https://example.org/news/images/local.png');
  });

  it('carries the cover as enclosure and Media RSS, with its type only when the name tells it', () => {
    const { output } = build();
    const rss = output.text('/feed.xml');
    expect(rss).toContain(
      '<enclosure url="https://i.guancha.cn/news/2022/04/04/cover.jpg?w=1&amp;h=2" length="0" type="image/jpeg"/>',
    );
    expect(rss).toContain(
      '<media:content url="https://i.guancha.cn/news/2022/04/04/cover.jpg?w=1&amp;h=2" medium="image" type="image/jpeg"/>',
    );
    expect(output.text('/atom.xml')).toContain(
      '<link rel="enclosure" href="https://example.org/news/images/local.png" type="image/png"/>',
    );
    expect(imageType('https://cdn.example/i/12345')).toBeUndefined();
    expect(imageType('https://cdn.example/a.JPEG?x=1')).toBe('image/jpeg');
  });

  it('puts names in dc:creator, since RSS <author> must be an e-mail address', () => {
    const rss = build().output.text('/feed.xml');
    expect(rss).toContain('<dc:creator>观察者网</dc:creator>');
    expect(rss).not.toContain('<author>');
  });

  it('carries only the excerpt when configured so', () => {
    const { output } = build('https://example.org/', 'excerpt');
    expect(output.text('/feed.xml')).not.toContain('content:encoded>');
    const json = JSON.parse(output.text('/feed.json'));
    expect(json.items[0].content_text).toBe('Excerpt & <more>');
    expect(json.items[0].content_html).toBeUndefined();
  });

  it("escapes an RSS item's text summary as HTML too, since readers show it as HTML", () => {
    const { output } = build('https://example.org/', 'excerpt');
    const rss = output.text('/feed.xml');
    // XML-decoded, the reader gets `Excerpt &amp; &lt;more&gt;`: text, not a <more> tag.
    expect(rss).toContain('<description>Excerpt &amp;amp; &amp;lt;more&amp;gt;</description>');
    expect(output.text('/atom.xml')).toContain(
      '<summary type="text">Excerpt &amp; &lt;more&gt;</summary>',
    );
  });

  it('summarize an image-only article by its title, not with nothing', () => {
    const { site, config } = sampleSite(
      [
        {
          title: 'Photos: the night market',
          date: '2022-04-04T15:12:14Z',
          html: '<p><img src="/images/market.jpg" alt="img"></p>',
          excerpt: '',
          cover: '/images/market.jpg',
        },
      ],
      {
        baseUrl: 'https://example.org/',
        feeds: { items: 20, content: 'excerpt', termContent: 'excerpt' },
      },
    );
    const context = extensionContext(site, config);
    feedsExtension().finish!(context);
    const json = JSON.parse(context.output.text('/feed.json'));
    expect(json.items[0]).toMatchObject({
      content_text: 'Photos: the night market',
      summary: 'Photos: the night market',
    });
    expect(context.output.text('/atom.xml')).toContain(
      '<summary type="text">Photos: the night market</summary>',
    );
    expect(context.output.text('/feed.xml')).toContain(
      '<description>Photos: the night market</description>',
    );
  });

  it("marks an entry in another language than the site's, in Atom and JSON Feed", () => {
    const { site, config } = sampleSite(
      [
        { title: 'Wheat harvest starts early', date: '2022-04-05T08:00:00Z', lang: 'en' },
        { title: '乌方回应', date: '2022-04-04T08:00:00Z', lang: 'zh-cn' },
        { title: '新闻', date: '2022-04-03T08:00:00Z' },
      ],
      { baseUrl: 'https://example.org/', language: 'zh-CN' },
    );
    const context = extensionContext(site, config);
    feedsExtension().finish!(context);
    const atom = context.output.text('/atom.xml');
    expect(atom.match(/<entry[^>]*>/g)).toEqual(['<entry xml:lang="en">', '<entry>', '<entry>']);
    const json = JSON.parse(context.output.text('/feed.json'));
    expect(json.items.map((item: { language?: string }) => item.language)).toEqual([
      'en',
      undefined,
      undefined,
    ]);
  });

  it('keeps only the latest N items', () => {
    const { site, config } = sampleSite(
      Array.from({ length: 7 }, (_, i) => ({
        title: `T${i}`,
        date: `2022-04-0${i + 1}T00:00:00Z`,
        tags: ['t'],
      })),
      {
        baseUrl: 'https://example.org/',
        feeds: { items: 3, content: 'full', termContent: 'full' },
      },
    );
    const context = extensionContext(site, config);
    feedsExtension().finish!(context);
    const json = JSON.parse(context.output.text('/tags/t/feed.json'));
    expect(json.items.map((item: { title: string }) => item.title)).toEqual(['T6', 'T5', 'T4']);
  });

  it('warns once when the base URL is only a path, and still writes valid Atom ids', () => {
    const { output, diagnostics } = build('/news/');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics![0]!.message).toMatch(/baseUrl/);
    const atom = output.text('/atom.xml');
    expect(atom).toMatch(/<id>urn:uuid:[0-9a-f-]{36}<\/id>/);
    expect(output.text('/feed.xml')).toContain(
      '<guid isPermaLink="false">/news/2022/04/04/article-0/</guid>',
    );
    const errors = checkDocument(atom).problems.filter((problem) => problem.severity === 'error');
    expect(errors).toEqual([]);
  });

  it('links the site’s feeds from every page and a term’s own feeds from its pages', () => {
    const { context, site } = build();
    const extension = feedsExtension();
    const spec = (kind: PageSpec['kind'], sitePath: string) =>
      ({ kind, sitePath, template: '', page: { title: '' }, variables: () => ({}) }) as PageSpec;
    const home = extension.feedsFor!(spec('home', '/'), context);
    expect(home.map((link) => link.sitePath)).toEqual(['/feed.xml', '/atom.xml', '/feed.json']);
    expect(home.map((link) => link.type)).toEqual([
      'application/rss+xml',
      'application/atom+xml',
      'application/feed+json',
    ]);
    const tag = site.tags[0]!;
    const onTag = extension.feedsFor!(spec('tag', tag.path), context);
    expect(onTag.map((link) => link.sitePath)).toContain(`${tag.path}feed.xml`);
    expect(onTag.length).toBe(6);
    expect(extension.feedsFor!(spec('article', site.articles[0]!.path), context)).toHaveLength(3);
  });

  it('leaves a static file of the same path alone, with a warning', () => {
    const { site, config } = sampleSite([{ title: 'A', date: '2022-01-01' }], {
      baseUrl: 'https://example.org/',
    });
    const context = extensionContext(site, config);
    context.output.write('/feed.xml', 'mine');
    const diagnostics = feedsExtension().finish!(context) as { message: string }[];
    expect(context.output.text('/feed.xml')).toBe('mine');
    expect(diagnostics.some((d) => d.message.includes('static file'))).toBe(true);
  });
});

describe('XML text', () => {
  it.each([
    ['a & b', 'a &amp; b'],
    ['<script>', '&lt;script&gt;'],
    [']]>', ']]&gt;'],
    ['\u0000\u0001tab\there\nline', 'tab\there\nline'],
    ['😀', '😀'],
    ['lone \uD800 surrogate', 'lone  surrogate'],
    ['\uFFFE\uFFFF', ''],
  ])('escapes %j', (input, expected) => {
    expect(escapeXmlText(input)).toBe(expected);
  });

  it('strips C1 controls that come from mis-decoded scraped text', () => {
    expect(cleanText('a\u0085b\u009Fc')).toBe('abc');
  });
});

describe('term feeds', () => {
  it('carry excerpts only by default, while the site feed carries full bodies', () => {
    const { site, config } = sampleSite(
      [
        {
          title: 'Only',
          date: '2022-04-01T00:00:00Z',
          tags: ['t'],
          html: '<p>Whole body text here.</p>',
        },
      ],
      { baseUrl: 'https://example.org/' },
    );
    const context = extensionContext(site, config);
    feedsExtension().finish!(context);
    expect(JSON.parse(context.output.text('/feed.json')).items[0].content_html).toContain(
      'Whole body',
    );
    expect(
      JSON.parse(context.output.text('/tags/t/feed.json')).items[0].content_html,
    ).toBeUndefined();
  });
});
