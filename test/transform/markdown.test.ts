import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { createBodyTransformer } from '../../src/transform/index.ts';
import { htmlArticle } from './corpus-article.ts';
import { transformHtml } from './helpers.ts';

const transform = createBodyTransformer(defaultConfig());

/** A Markdown body through the whole transform. */
function markdown(body: string): string {
  return transform({ ...htmlArticle(''), format: 'markdown', body }).body.html;
}

describe('Markdown bodies', () => {
  it('give headings ids that in-body fragment links reach, as kramdown and GitHub do', () => {
    const html = markdown('See [below](#details) and [细节](#细节).\n\n## Details\n\n## 细节\n');
    expect(html).toContain('<a href="#user-content-details">below</a>');
    expect(html).toContain('<h2 id="user-content-details">Details</h2>');
    expect(html).toContain('<h2 id="user-content-细节">细节</h2>');
    expect(html).toMatch(/<a href="#user-content-(细节|%E7%BB%86%E8%8A%82)">细节<\/a>/);
  });

  it.each([
    ['这是**「引号」**测试。', '这是<strong>「引号」</strong>测试。'],
    ['他说**“你好”**然后走了。', '他说<strong>“你好”</strong>然后走了。'],
    ['**重要：**请注意。', '<strong>重要：</strong>请注意。'],
    ['和**粗体。**后面', '和<strong>粗体。</strong>后面'],
    ['a **b** c', 'a <strong>b</strong> c'],
  ])('make %j emphasis beside CJK punctuation, as Chinese Markdown means it', (body, expected) => {
    expect(markdown(body)).toBe(`<p>${expected}</p>`);
  });

  it('keep which task list items were done', () => {
    const html = markdown('- [x] done\n- [ ] todo\n');
    expect(html).toContain('☑ done');
    expect(html).toContain('☐ todo');
    expect(html).not.toContain('<input');
  });

  it("label footnotes in the article's language", () => {
    const body = 'A claim.[^1] Another.[^1]\n\n[^1]: The source.\n';
    const chinese = markdown(body);
    expect(chinese).toContain('>脚注</h2>');
    expect(chinese).toContain('aria-label="返回引用 1"');
    expect(chinese).toContain('aria-label="返回引用 1-2"');
    expect(chinese).not.toMatch(/Footnotes|Back to reference/);
    const english = transform({ ...htmlArticle(''), format: 'markdown', body, lang: 'en' }).body
      .html;
    expect(english).toContain('>Footnotes</h2>');
    expect(english).toContain('aria-label="Back to reference 1"');
  });

  it('leave HTML bodies’ headings as they are', () => {
    expect(transformHtml('<h2>Details</h2><p>x</p>').body.html).toBe('<h2>Details</h2><p>x</p>');
  });
});

describe('the <!-- more --> mark', () => {
  it('ends the excerpt, in Markdown and HTML bodies alike', () => {
    for (const [format, body] of [
      [
        'markdown',
        'Only this should be the excerpt.\n\n<!-- more -->\n\nThis is the rest of the post.',
      ],
      [
        'html',
        '<p>Only this should be the excerpt.</p><!--more--><p>This is the rest of the post.</p>',
      ],
    ] as const) {
      const { body: result } = transform({ ...htmlArticle(''), format, body });
      expect(result.excerpt, format).toBe('Only this should be the excerpt.');
      expect(result.html, format).toContain('This is the rest of the post.');
    }
  });

  it('is the post’s own excerpt_separator when it names one, as Jekyll reads it', () => {
    for (const [format, body] of [
      ['markdown', 'Only this should be the excerpt.\n\n<!--cut-->\n\nThe rest. `<!--cut-->`'],
      ['html', '<p>Only this should be the excerpt.</p><!--cut--><p>The rest.</p>'],
    ] as const) {
      const { body: result } = transform({
        ...htmlArticle(''),
        format,
        body,
        extra: { excerpt_separator: '<!--cut-->' },
      });
      expect(result.excerpt, format).toBe('Only this should be the excerpt.');
    }
    // Not a mark shown in code.
    const { body: coded } = transform({
      ...htmlArticle(''),
      format: 'html',
      body: '<p>A.</p><pre><code><!--cut--></code></pre><p>B.</p><!--cut--><p>C.</p>',
      extra: { excerpt_separator: '<!--cut-->' },
    });
    expect(coded.excerpt).toBe('A. B.');
  });

  it('is no mark inside code or in the middle of a sentence', () => {
    for (const body of [
      "Hexo's <!-- more --> mark, written in running text, ends no excerpt in this sentence here.",
      'To end an excerpt, Hexo uses `<!-- more -->` in the post, on a line of its own.',
      'A sample post:\n\n```markdown\nFirst paragraph.\n<!-- more -->\nThe rest.\n```\n\nAfter the sample.',
    ]) {
      const { body: result } = transform({ ...htmlArticle(''), format: 'markdown', body });
      expect(result.excerpt.length, body).toBeGreaterThan(40);
    }
  });

  it('ends the excerpt after a code block closed by a longer fence', () => {
    const body =
      'Before the code.\n\n```\ncode\n````\n\n<!-- more -->\n\nThe rest of the post, after the mark.';
    const { body: result } = transform({ ...htmlArticle(''), format: 'markdown', body });
    expect(result.excerpt).toBe('Before the code. code');
  });

  it('gives way to a description written in the front matter', () => {
    const body = 'Before.\n\n<!-- more -->\n\nAfter.';
    const { body: result } = transform({
      ...htmlArticle(''),
      format: 'markdown',
      body,
      description: 'Written by hand.',
    });
    expect(result.excerpt).toBe('Written by hand.');
  });
});

describe("another site generator's template tags", () => {
  const warnings = (body: string) =>
    transform({ ...htmlArticle(''), format: 'markdown', body }).diagnostics.map((d) => d.message);

  it.each([
    ['{% include ad.html %}'],
    ['{% post_link other-post %}'],
    ['{{< tweet user="SanDiegoZoo" id="1453110110599868418" >}}'],
    ['{{% note %}}Careful.{{% /note %}}'],
  ])('are named in a warning, and shown as text: %j', (body) => {
    expect(warnings(`Intro.\n\n${body}\n`)).toEqual([
      expect.stringMatching(/template tag of another site generator .* shown as text/),
    ]);
  });

  it('are looked for in linear time, whatever a body is made of', () => {
    // 200 KB of backticks after a tag took 81 s with a backtracking pattern.
    expect(warnings(`{% a %}\n\n${'`'.repeat(200_000)}\n`)).toHaveLength(1);
    expect(warnings('{{< a '.repeat(40_000))).toEqual([]);
  });

  it('are named with their line in the file', () => {
    const { diagnostics } = transform({
      ...htmlArticle(''),
      format: 'markdown',
      bodyLine: 5,
      body: 'Intro.\n\nMore.\n\n{% post_url 2019-03-04-a %}\n',
    });
    expect(diagnostics).toEqual([expect.objectContaining({ line: 9 })]);
    // The line of the one outside code, not of an example in code before it.
    const withExample = transform({
      ...htmlArticle(''),
      format: 'markdown',
      bodyLine: 1,
      body: '```\n{% include ad.html %}\n```\n\n{% include ad.html %}\n',
    });
    expect(withExample.diagnostics).toEqual([expect.objectContaining({ line: 5 })]);
  });

  it('are named in a scraped page’s HTML tail, whose indented markup is no code', () => {
    expect(
      warnings(
        '[Source](https://ex.com/a)\n\n<div class="content">\n    <p>First.</p>\n\n    <p>Second {% include ad.html %} paragraph.</p>\n</div>\n',
      ),
    ).toHaveLength(1);
  });

  it('are not taken from indented code, which only the parser tells from a list item', () => {
    expect(warnings('Para.\n\n    {% highlight ruby %}\n    puts 1\n')).toEqual([]);
    expect(warnings('- item\n\n      {% include x.html %}\n')).toEqual([]);
    expect(warnings('- item\n\n  {% include x.html %}\n')).toHaveLength(1);
  });

  it('are not taken from code blocks or ordinary braces', () => {
    expect(
      warnings('```liquid\n{% if user %}Hi{% endif %}\n```\n\nA set {1, 2} and {{ x }}.\n'),
    ).toEqual([]);
    expect(warnings('Use `{% raw %}` to keep braces.\n')).toEqual([]);
    expect(warnings('Use `{% raw\n%}` here. And `{% endraw %}` there.\n')).toEqual([]);
    expect(warnings('Text\n\n<pre>\n{% highlight ruby %}\n</pre>\n')).toEqual([]);
    expect(warnings('- a list\n\n    ```html\n    {% include x.html %}\n    ```\n')).toEqual([]);
    const html = transform({
      ...htmlArticle(''),
      body: '<p>Django templates:</p><pre><code>{% load static %}</code></pre>',
    }).diagnostics.map((d) => d.message);
    expect(html).toEqual([]);
  });
});

describe('heading ids written after the heading', () => {
  it('take {#id} off the text and give it to the heading, which the post’s links find', () => {
    const { body } = transform({
      ...htmlArticle(''),
      format: 'markdown',
      body: '## Photos {#photos}\n\nSee [photos](#photos).\n\n### Code `x` {#with-code}\n\n## No mark {#}\n',
    });
    expect(body.html).toContain('<h2 id="user-content-photos">Photos</h2>');
    expect(body.html).toContain('<a href="#user-content-photos">photos</a>');
    expect(body.html).toContain('<h3 id="user-content-with-code">Code <code>x</code></h3>');
    expect(body.html).toContain('No mark {#}');
  });
});
