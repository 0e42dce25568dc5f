import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { expandHugoShortcodes } from '../../src/transform/hugo-shortcodes.ts';
import { createBodyTransformer } from '../../src/transform/index.ts';
import { htmlArticle } from './corpus-article.ts';

describe('expandHugoShortcodes', () => {
  it('makes figure the picture Hugo would show: link, size, title, caption, attribution', () => {
    expect(expandHugoShortcodes('{{< figure src="boat.jpg" >}}', 'markdown')).toBe(
      '<figure><img src="boat.jpg" alt=""></figure>',
    );
    expect(
      expandHugoShortcodes(
        '{{< figure src="boat.jpg" link="big.jpg" width="800" height="x" title="Boat" caption=\'At "dawn"\' attr="Ann" attrlink="https://ann.example/" >}}',
        'markdown',
      ),
    ).toBe(
      '<figure><a href="big.jpg"><img src="boat.jpg" alt="At &#34;dawn&#34;" width="800"></a><figcaption><strong>Boat</strong> At &#34;dawn&#34; <a href="https://ann.example/">Ann</a></figcaption></figure>',
    );
    expect(expandHugoShortcodes('{{% figure src=`a b.png` alt="A" /%}}', 'html')).toBe(
      '<figure><img src="a b.png" alt="A"></figure>',
    );
  });

  it('makes youtube and vimeo their players, for IDs of the services’ shape only', () => {
    expect(expandHugoShortcodes('{{< youtube w7Ft2ymGmfc >}}', 'markdown')).toBe(
      '<iframe src="https://www.youtube.com/embed/w7Ft2ymGmfc" allowfullscreen></iframe>',
    );
    expect(expandHugoShortcodes('{{< vimeo id="146022717" title="A film" >}}', 'markdown')).toBe(
      '<iframe src="https://player.vimeo.com/video/146022717" title="A film" allowfullscreen></iframe>',
    );
    for (const body of [
      '{{< youtube id="x/../../evil" >}}',
      '{{< vimeo https://evil.example/ >}}',
      '{{< figure caption="no picture" >}}',
      '{{< tweet user="a" id="1" >}}',
    ]) {
      expect(expandHugoShortcodes(body, 'markdown')).toBe(body);
    }
  });

  it('escapes what it writes, and leaves shortcodes in code as written', () => {
    expect(
      expandHugoShortcodes('{{< figure src="x.jpg\\" onerror=\\"alert(1)" >}}', 'markdown'),
    ).toBe('<figure><img src="x.jpg&#34; onerror=&#34;alert(1)" alt=""></figure>');
    const code = 'Use `{{< figure src="a.jpg" >}}` or\n\n```\n{{< youtube abcdefgh >}}\n```\n';
    expect(expandHugoShortcodes(code, 'markdown')).toBe(code);
  });

  it('keeps a URL’s trailing slash, takes a self-closing one, refuses mixed delimiters', () => {
    expect(expandHugoShortcodes('{{< figure src="a.png" link=https://e.com/dir/ >}}', 'html')).toBe(
      '<figure><a href="https://e.com/dir/"><img src="a.png" alt=""></a></figure>',
    );
    expect(expandHugoShortcodes('{{< figure src="a.png" />}}', 'html')).toBe(
      '<figure><img src="a.png" alt=""></figure>',
    );
    expect(expandHugoShortcodes('{{< figure src="a.png" %}}', 'html')).toBe(
      '{{< figure src="a.png" %}}',
    );
  });

  it('expands a shortcode whose caption holds a code span, but not one opening in code', () => {
    expect(
      expandHugoShortcodes('{{< figure src="a.png" caption="Run `npm ci` first" >}}', 'markdown'),
    ).toBe(
      '<figure><img src="a.png" alt="Run `npm ci` first"><figcaption>Run `npm ci` first</figcaption></figure>',
    );
    const inCode = '`{{< figure src="x.png" >}}` and {{< figure src="a.png" >}}';
    expect(expandHugoShortcodes(inCode, 'markdown')).toBe(
      '`{{< figure src="x.png" >}}` and <figure><img src="a.png" alt=""></figure>',
    );
  });

  it('leaves the Markdown after a figure line Markdown', () => {
    const transform = createBodyTransformer(defaultConfig(), { siteFiles: new Set() });
    const { body } = transform(
      htmlArticle(
        '{{< figure src="https://e.com/pic.png" alt="lead" >}}\nThe port handled *record* volumes, [officials said](https://e.com/s).\n',
        { format: 'markdown' },
      ),
    );
    expect(body.html).toContain('<em>record</em>');
    expect(body.html).toContain('<a href="https://e.com/s"');
  });

  it('keeps a scraped page’s HTML tail HTML when a figure leads the preamble', () => {
    const transform = createBodyTransformer(defaultConfig(), {
      siteFiles: new Set(),
      contentFiles: new Set(['t/pic.png']),
    });
    const { body } = transform(
      htmlArticle(
        'Source: [orig](https://example.com/orig)\n\n{{< figure src="pic.png" caption="Lead picture" >}}\n\n<div class="article">\n    <p>First paragraph.</p>\n\n    <p>Second paragraph after a blank line.</p>\n</div>\n',
        { format: 'markdown', relativePath: 't/index.md' },
      ),
    );
    expect(body.html).toContain('<p>Second paragraph after a blank line.</p>');
    expect(body.html).not.toContain('<pre>');
    expect(body.html).toContain('src="/media/content/t/pic.png"');
  });

  it('gets through long and unclosed shortcodes (a backtracking pattern never would)', () => {
    const unclosed = `{{< figure ${' '.repeat(900)}x\n`.repeat(300);
    expect(expandHugoShortcodes(unclosed, 'markdown')).toBe(unclosed);
  });

  it('lets a page bundle show its picture, and keeps allowed players', () => {
    const transform = createBodyTransformer(defaultConfig(), {
      siteFiles: new Set(),
      contentFiles: new Set(['trip/boat.jpg']),
    });
    const { body, diagnostics } = transform(
      htmlArticle(
        'Dawn.\n\n{{< figure src="boat.jpg" caption="The boat" >}}\n\n    {{< youtube in_code1 >}}\n\n{{< youtube w7Ft2ymGmfc >}}\n',
        { format: 'markdown', relativePath: 'trip/index.md' },
      ),
    );
    expect(body.html).toContain(
      '<figure><img src="/media/content/trip/boat.jpg" alt="The boat"><figcaption>The boat</figcaption></figure>',
    );
    expect(body.html).toContain('<code>{{&#x3C; youtube in_code1 >}}');
    expect(body.html).toContain('src="https://www.youtube.com/embed/w7Ft2ymGmfc"');
    expect(body.contentFiles).toEqual(['trip/boat.jpg']);
    expect(diagnostics).toEqual([]);
  });
});

describe('multi-line shortcodes', () => {
  it('takes arguments on several lines, as Hugo does', () => {
    expect(
      expandHugoShortcodes(
        '{{< figure\n    src="a.jpg"\n    caption="Caption of a multi-line figure"\n>}}\n',
        'markdown',
      ),
    ).toBe(
      '<figure><img src="a.jpg" alt="Caption of a multi-line figure"><figcaption>Caption of a multi-line figure</figcaption></figure>\n',
    );
    expect(expandHugoShortcodes('{{< youtube\n  id="w7Ft2ymGmfc"\n>}}', 'markdown')).toBe(
      '<iframe src="https://www.youtube.com/embed/w7Ft2ymGmfc" allowfullscreen></iframe>',
    );
  });
});

describe('an unclosed shortcode', () => {
  it('does not swallow the next one', () => {
    expect(
      expandHugoShortcodes(
        'Text mentions {{< youtube in prose.\n\nParagraph two.\n\n{{< vimeo 146022717 >}}',
        'markdown',
      ),
    ).toBe(
      'Text mentions {{< youtube in prose.\n\nParagraph two.\n\n<iframe src="https://player.vimeo.com/video/146022717" allowfullscreen></iframe>',
    );
  });
});
