import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { expandCodeBlockTags } from '../../src/transform/code-block-tags.ts';
import { createBodyTransformer } from '../../src/transform/index.ts';
import { htmlArticle } from './corpus-article.ts';

describe('expandCodeBlockTags', () => {
  it('makes Jekyll’s, Hexo’s and Hugo’s code tags fenced blocks, lines and indentation kept', () => {
    expect(
      expandCodeBlockTags(
        "Before.\n\n{% highlight ruby linenos %}\ndef foo\n  puts 'foo'\nend\n{% endhighlight %}\n\nAfter.",
        'markdown',
      ),
    ).toBe("Before.\n\n```ruby\ndef foo\n  puts 'foo'\nend\n```\n\nAfter.");
    expect(
      expandCodeBlockTags(
        '{% codeblock Array.map lang:js https://e.com/doc docs %}\n[1, 2].map((x) => x * 2);\n{% endcodeblock %}',
        'markdown',
      ),
    ).toBe('```js\n[1, 2].map((x) => x * 2);\n```');
    expect(
      expandCodeBlockTags(
        '{{< highlight go "linenos=table" >}}\nfunc main() {\n\tfmt.Println("x")\n}\n{{< /highlight >}}',
        'markdown',
      ),
    ).toBe('```go\nfunc main() {\n\tfmt.Println("x")\n}\n```');
    // Backticks in the code get a longer fence.
    expect(expandCodeBlockTags('{% code %}\na ```b``` c\n{% endcode %}', 'markdown')).toBe(
      '````\na ```b``` c\n````',
    );
  });

  it('gives raw its text as written, and HTML bodies escaped <pre><code>', () => {
    expect(expandCodeBlockTags('{% raw %}{{ page.title }}{% endraw %}', 'markdown')).toBe(
      '&#123;&#123; page.title }}',
    );
    expect(expandCodeBlockTags('{% raw %}`{{ page.title }}`{% endraw %}', 'markdown')).toBe(
      '`{{ page.title }}`',
    );
    expect(
      expandCodeBlockTags(
        '<p>x</p>\n{% highlight html %}\n<b>bold</b>\n{% endhighlight %}',
        'html',
      ),
    ).toBe('<p>x</p>\n<pre><code class="language-html">&#60;b&#62;bold&#60;/b&#62;</code></pre>');
  });

  it('leaves tags in code, unclosed tags and other tags as written, in linear time', () => {
    const inCode = '```\n{% highlight ruby %}\nx\n{% endhighlight %}\n```\n';
    expect(expandCodeBlockTags(inCode, 'markdown')).toBe(inCode);
    const unclosed = '{% highlight ruby %}\nx\n'.repeat(20_000);
    expect(expandCodeBlockTags(unclosed, 'markdown')).toBe(unclosed);
    expect(expandCodeBlockTags('{% include x.html %}', 'markdown')).toBe('{% include x.html %}');
    // A language that is not a word is no class.
    expect(expandCodeBlockTags('{% highlight "><script> %}\nx\n{% endhighlight %}', 'html')).toBe(
      '<pre><code>x</code></pre>',
    );
  });

  it('shows the code as code on the page, with no template-tag warning', () => {
    const transform = createBodyTransformer(defaultConfig(), { siteFiles: new Set() });
    const { body, diagnostics } = transform(
      htmlArticle(
        "Intro.\n\n{% highlight ruby %}\ndef foo\n  puts 'foo' # {% asset_img x.jpg %}\nend\n{% endhighlight %}\n",
        { format: 'markdown' },
      ),
    );
    expect(body.html).toContain(
      '<pre><code class="language-ruby">def foo\n  puts \'foo\' # {% asset_img x.jpg %}\nend\n</code></pre>',
    );
    expect(diagnostics).toEqual([]);
  });
});

describe('Jekyll URLs in Liquid', () => {
  const transform = createBodyTransformer(defaultConfig(), {
    siteFiles: new Set(['/assets/images/hello.png']),
  });
  it('become the site’s own root-relative URLs, and Liquid objects are named in a warning', () => {
    const { body, diagnostics } = transform(
      htmlArticle(
        '![Hello]({{ site.baseurl }}/assets/images/hello.png) and ![x]({{ "/assets/images/hello.png" | relative_url }}) and <a href="{{site.url}}{{site.baseurl}}/about/">about</a>\n\n`{{ site.baseurl }}` stays.\n\nHappy new year {{ page.title }}!\n',
        { format: 'markdown' },
      ),
    );
    expect(body.html.match(/src="\/assets\/images\/hello\.png"/g)).toHaveLength(2);
    expect(body.html).toContain('href="/about/"');
    expect(body.html).toContain('<code>{{ site.baseurl }}</code>');
    expect(diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/template tag of another site generator \("\{\{ page\.title \}\}"\)/),
    ]);
  });
});

describe('code block tags after review', () => {
  const transform = createBodyTransformer(defaultConfig(), { siteFiles: new Set() });
  const html = (body: string) => transform(htmlArticle(body, { format: 'markdown' }));

  it('keeps a raw block’s text as written, no tag in it expanded or warned', () => {
    const { body, diagnostics } = html(
      'A {% raw %}Literal {{ site.baseurl }}/x and {{< youtube abc123def >}} and {% for post in site.posts %}{% endraw %} B\n',
    );
    expect(body.html).toContain(
      'Literal {{ site.baseurl }}/x and {{&#x3C; youtube abc123def >}} and {% for post in site.posts %}',
    );
    expect(body.html).not.toContain('<iframe');
    expect(diagnostics).toEqual([]);
  });

  it('closes the fence on a line of its own when text follows the closing tag', () => {
    const { body } = html(
      'Text {% highlight ruby %}puts 1{% endhighlight %} more text here.\n\nFinal paragraph.\n',
    );
    expect(body.html).toContain('<pre><code class="language-ruby">puts 1\n</code></pre>');
    expect(body.html).toContain('<p>Final paragraph.</p>');
  });

  it('leaves out the raw marks Jekyll posts put around Liquid shown in code', () => {
    expect(
      expandCodeBlockTags(
        '{% highlight liquid %}\n{% raw %}{{ page.title }}{% endraw %}\n{% endhighlight %}',
        'markdown',
      ),
    ).toBe('```liquid\n{{ page.title }}\n```');
  });
});
