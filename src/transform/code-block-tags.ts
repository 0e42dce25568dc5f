/**
 * The code blocks of other generators' tags: Jekyll's `{% highlight ruby %}…{% endhighlight %}`,
 * Hexo's `{% codeblock lang:js %}…{% endcodeblock %}` (and `{% code %}`), Hugo's
 * `{{< highlight go >}}…{{< /highlight >}}`, and Liquid's `{% raw %}…{% endraw %}`. Left as
 * tags, their code was shown as a paragraph, its indentation lost; each becomes the fenced
 * block (Markdown) or `<pre><code>` (HTML) it stands for, `raw` its text as written. Found
 * outside code, before the other tags are expanded, so that what the code holds stays code.
 */
import { maskCode, maskHtmlCode } from '../load/markdown-code.ts';

const OPENING =
  /\{%-?[ \t]{0,20}(highlight|codeblock|code|raw)\b([^\n%]{0,300})-?%\}|\{\{([<%])[ \t]{0,20}(highlight)\b([^\n]{0,300}?)[>%]\}\}/g;

const RAW_MARKS = /\{%-?[ \t]{0,20}(?:end)?raw[ \t]{0,20}-?%\}/g;

/** Whether a body may hold one at all (most do not: nothing else is done then). */
function mayHaveCodeBlockTags(body: string): boolean {
  return /\{[%{]/.test(body) && /highlight|codeblock|code|raw/.test(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** The closing tag of an opening one, looked for from where the opening one ends. */
function closingPattern(name: string, hugo: boolean): RegExp {
  return hugo
    ? /\{\{[<%][ \t]{0,20}\/highlight[ \t]{0,20}[>%]\}\}/g
    : new RegExp(`\\{%-?[ \\t]{0,20}end${name}[ \\t]{0,20}-?%\\}`, 'g');
}

/** The language a tag names: Jekyll's and Hugo's first word, Hexo's `lang:` option. */
function languageOf(name: string, argumentsText: string): string {
  const words = argumentsText.trim().split(/\s+/);
  const named =
    name === 'highlight' ? words[0] : words.find((word) => word.startsWith('lang:'))?.slice(5);
  const language = (named ?? '').replace(/^["']|["']$/g, '');
  return /^[\w+#.-]{1,30}$/.test(language) ? language : '';
}

function codeBlock(code: string, language: string, format: 'markdown' | 'html'): string {
  if (format === 'html') {
    const className = language ? ` class="language-${language}"` : '';
    return `<pre><code${className}>${escapeHtml(code)}</code></pre>`;
  }
  // A fence longer than any run of backticks in the code, which would otherwise close it.
  let longest = 0;
  for (const run of code.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${code}\n${fence}`;
}

/**
 * A `raw` block's text as written: its braces outside code as character references, which no
 * later expansion or warning takes for a tag and which the page shows as braces (in code,
 * where references are not read, they stay braces: nothing is expanded there anyway).
 */
function literalText(text: string, format: 'markdown' | 'html'): string {
  const masked = format === 'markdown' ? maskCode(text) : maskHtmlCode(text, false);
  let result = '';
  for (let i = 0; i < text.length; i++)
    result += text[i] === '{' && masked[i] === '{' ? '&#123;' : text[i];
  return result;
}

/**
 * The body with its code block tags (opening outside code) replaced by the code they hold.
 * Linear: a closing tag is looked for forward only, and a kind of tag found unclosed once is
 * not looked for again (none after it is closed either).
 */
export function expandCodeBlockTags(body: string, format: 'markdown' | 'html'): string {
  if (!mayHaveCodeBlockTags(body)) return body;
  const masked = format === 'html' ? maskHtmlCode(body) : maskCode(body);
  const unclosed = new Set<string>();
  let result = '';
  let copied = 0;
  OPENING.lastIndex = 0;
  for (let opening = OPENING.exec(body); opening; opening = OPENING.exec(body)) {
    const hugo = opening[4] !== undefined;
    const name = hugo ? 'highlight-hugo' : opening[1]!;
    if (unclosed.has(name) || masked.charCodeAt(opening.index) !== body.charCodeAt(opening.index))
      continue;
    const closing = closingPattern(hugo ? 'highlight' : name, hugo);
    closing.lastIndex = opening.index + opening[0].length;
    const close = closing.exec(body);
    if (!close) {
      unclosed.add(name);
      continue;
    }
    const inner = body.slice(opening.index + opening[0].length, close.index);
    // Jekyll posts show Liquid in code with `{% raw %}` around it, which is no part of it.
    const code = inner
      .replace(/^[ \t]*\r?\n/, '')
      .replace(/\r?\n[ \t]*$/, '')
      .replace(RAW_MARKS, '');
    const argumentsText = hugo ? opening[5]! : opening[2]!;
    let replacement =
      name === 'raw'
        ? literalText(inner, format)
        : codeBlock(code, languageOf(hugo ? 'highlight' : name, argumentsText), format);
    if (format === 'markdown' && name !== 'raw') {
      // A fence is a line of its own, opening and closing.
      const end = close.index + close[0].length;
      if (opening.index > 0 && body[opening.index - 1] !== '\n') replacement = `\n${replacement}`;
      if (end < body.length && body[end] !== '\n' && body[end] !== '\r')
        replacement = `${replacement}\n`;
    }
    result += body.slice(copied, opening.index) + replacement;
    copied = close.index + close[0].length;
    OPENING.lastIndex = copied;
  }
  return copied === 0 ? body : result + body.slice(copied);
}
