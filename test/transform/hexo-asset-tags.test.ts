import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { expandHexoAssetTags } from '../../src/transform/hexo-asset-tags.ts';
import { createBodyTransformer } from '../../src/transform/index.ts';
import { htmlArticle } from './corpus-article.ts';

describe('expandHexoAssetTags', () => {
  it('makes asset_img an image: classes, slug, size, title and alt as Hexo reads them', () => {
    expect(expandHexoAssetTags('{% asset_img photo.jpg %}', 'markdown')).toBe(
      '<img src="photo.jpg" alt="">',
    );
    expect(expandHexoAssetTags('{% asset_img photo.jpg The harbour at dawn %}', 'markdown')).toBe(
      '<img src="photo.jpg" alt="The harbour at dawn" title="The harbour at dawn">',
    );
    expect(
      expandHexoAssetTags('{% asset_img wide "a b.png" 300 200 "Title" "Alt text" %}', 'markdown'),
    ).toBe(
      '<img src="a b.png" alt="Alt text" title="Title" width="300" height="200" class="wide">',
    );
    expect(expandHexoAssetTags('{%- asset_img a%20b.png -%}', 'markdown')).toBe(
      '<img src="a%20b.png" alt="">',
    );
    expect(expandHexoAssetTags('{% asset_img pic.png "A \\"quoted\\" title" %}', 'markdown')).toBe(
      '<img src="pic.png" alt="A &#34;quoted&#34; title" title="A &#34;quoted&#34; title">',
    );
  });

  it('makes asset_path the file name and asset_link a link', () => {
    expect(expandHexoAssetTags('![Map]({% asset_path map.png %})', 'markdown')).toBe(
      '![Map](map.png)',
    );
    // A name Markdown would not take whole as a link's URL is encoded.
    expect(expandHexoAssetTags('![Map]({% asset_path "my map (1).png" %})', 'markdown')).toBe(
      '![Map](my%20map%20%281%29.png)',
    );
    expect(expandHexoAssetTags('{% asset_link report.pdf The full report %}', 'markdown')).toBe(
      '<a href="report.pdf">The full report</a>',
    );
    expect(expandHexoAssetTags('{% asset_link report.pdf %}', 'html')).toBe(
      '<a href="report.pdf">report.pdf</a>',
    );
  });

  it('escapes what it writes: a tag cannot open markup of its own', () => {
    expect(expandHexoAssetTags('{% asset_img x.jpg "><b onclick=alert(1)> %}', 'markdown')).toBe(
      '<img src="x.jpg" alt="&#34;&#62;&#60;b onclick=alert(1)&#62;" title="&#34;&#62;&#60;b onclick=alert(1)&#62;">',
    );
    expect(expandHexoAssetTags('{% asset_link "x.jpg\\" onclick=a" t %}', 'html')).not.toMatch(
      /" onclick/,
    );
  });

  it('leaves tags in code, other tags and bodies without tags as written', () => {
    const markdown = 'Write `{% asset_img a.jpg %}` or\n\n```\n{% asset_img b.jpg %}\n```\n';
    expect(expandHexoAssetTags(markdown, 'markdown')).toBe(markdown);
    const html = '<pre>{% asset_img a.jpg %}</pre>';
    expect(expandHexoAssetTags(html, 'html')).toBe(html);
    expect(expandHexoAssetTags('{% youtube abc %}', 'markdown')).toBe('{% youtube abc %}');
    expect(expandHexoAssetTags('{% asset_img no-file-name %}', 'markdown')).toBe(
      '{% asset_img no-file-name %}',
    );
  });

  it('leaves tags in indented code as written, and expands those in list items', () => {
    const transform = createBodyTransformer(defaultConfig(), {
      siteFiles: new Set(),
      contentFiles: new Set(['_posts/trip/real.png']),
    });
    const { body } = transform(
      htmlArticle(
        'Para.\n\n    {% asset_img pic.png indented %}\n\n- item\n\n      {% asset_img code.png in item code %}\n\n- other {% asset_img real.png Real %}\n',
        { format: 'markdown', relativePath: '_posts/trip.md' },
      ),
    );
    expect(body.html).toContain('<code>{% asset_img pic.png indented %}');
    expect(body.html).toContain('{% asset_img code.png in item code %}');
    expect(body.html).toContain('alt="Real"');
  });

  it('expands tags in a scraped page’s HTML tail, whose indented markup is no code', () => {
    const transform = createBodyTransformer(defaultConfig(), {
      siteFiles: new Set(),
      contentFiles: new Set(['_posts/trip/pic.jpg']),
    });
    const { body } = transform(
      htmlArticle(
        '[Source](https://ex.com/a)\n\n<div class="content">\n    <p>First.</p>\n\n    <p>{% asset_img pic.jpg Tail %}</p>\n</div>\n',
        { format: 'markdown', relativePath: '_posts/trip.md' },
      ),
    );
    expect(body.html).toContain('src="/media/content/_posts/trip/pic.jpg"');
  });

  it('lets the body show the picture from the post’s asset folder, without a foreign-tag warning', () => {
    const transform = createBodyTransformer(defaultConfig(), {
      siteFiles: new Set(),
      contentFiles: new Set(['_posts/trip/harbour.jpg']),
    });
    const { body, diagnostics } = transform(
      htmlArticle('Dawn.\n\n{% asset_img harbour.jpg The harbour %}\n', {
        format: 'markdown',
        relativePath: '_posts/trip.md',
      }),
    );
    expect(body.html).toContain(
      '<img src="/media/content/_posts/trip/harbour.jpg" alt="The harbour" title="The harbour">',
    );
    expect(diagnostics).toEqual([]);
  });
});

describe('expandHexoAssetTags on hostile input', () => {
  it('gets through thousands of unclosed or long tags (a backtracking pattern never would)', () => {
    const unclosed = '{% asset_img a.jpg '.repeat(20_000);
    expect(expandHexoAssetTags(unclosed, 'markdown')).toBe(unclosed);
    const long = `{% asset_img ${'x'.repeat(200_000)} %}`;
    expect(expandHexoAssetTags(long, 'html')).toBe(long);
    // Runs of blanks an overlapping pattern could split in many ways (10 s for 200 KB).
    const blanks = `{% asset_img ${' '.repeat(500)}x\n`.repeat(400);
    expect(expandHexoAssetTags(blanks, 'markdown')).toBe(blanks);
    const mixed = `{% asset_img ${' \t'.repeat(250)}\n`.repeat(400);
    expect(expandHexoAssetTags(mixed, 'html')).toBe(mixed);
  });
});
