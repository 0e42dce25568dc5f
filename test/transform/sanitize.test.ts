import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { createBodyTransformer } from '../../src/transform/index.ts';
import { htmlArticle } from './corpus-article.ts';
import { transformHtml } from './helpers.ts';

const ENGLISH = { language: 'en' };

/** Nothing in these may survive in any form that runs code. */
const ATTACKS: [name: string, html: string][] = [
  ['script', '<script>alert(1)</script>'],
  ['script with src', '<script src="https://evil.example/x.js"></script>'],
  ['script in caps', '<SCRIPT>alert(1)</SCRIPT>'],
  ['script with attributes and spacing', '<script type="text/javascript" >alert(1)</script >'],
  ['unclosed script', '<p>text<script>alert(1)'],
  ['script split by null', '<scr\u0000ipt>alert(1)</script>'],
  ['nested script trick', '<scr<script>ipt>alert(1)</script>'],
  ['img onerror', '<img src=x onerror=alert(1)>'],
  ['img onerror quoted', '<img src="https://a.example/x.jpg" onerror="alert(1)">'],
  ['body onload', '<body onload=alert(1)>'],
  ['svg onload', '<svg onload=alert(1)>'],
  ['svg script', '<svg><script>alert(1)</script></svg>'],
  [
    'svg animate href',
    '<svg><a><animate attributeName=href values=javascript:alert(1) /><text x=20 y=20>X</text></a></svg>',
  ],
  ['math href', '<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>'],
  ['math mglyph style', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
  ['div onmouseover', '<div onmouseover="alert(1)">hover</div>'],
  ['p onclick', '<p onclick="alert(1)">click</p>'],
  ['a onfocus autofocus', '<a href="#" onfocus="alert(1)" autofocus>x</a>'],
  ['details ontoggle', '<details open ontoggle=alert(1)>'],
  ['video onerror', '<video src=x onerror=alert(1)></video>'],
  ['video source onerror', '<video><source onerror="alert(1)"></video>'],
  ['audio onloadstart', '<audio src=x onloadstart=alert(1)></audio>'],
  ['table background', '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>'],
  ['marquee onstart', '<marquee onstart=alert(1)>x</marquee>'],
  ['input onfocus', '<input autofocus onfocus=alert(1)>'],
  ['form action', '<form action="javascript:alert(1)"><button>go</button></form>'],
  ['button formaction', '<button formaction="javascript:alert(1)">x</button>'],
  ['iframe javascript', '<iframe src="javascript:alert(1)"></iframe>'],
  ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
  ['iframe data', '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>'],
  ['object data', '<object data="javascript:alert(1)"></object>'],
  ['embed src', '<embed src="javascript:alert(1)">'],
  ['a javascript', '<a href="javascript:alert(1)">x</a>'],
  ['a javascript caps and space', '<a href=" JaVaScRiPt:alert(1)">x</a>'],
  ['a javascript tab entity', '<a href="jav&#x09;ascript:alert(1)">x</a>'],
  ['a javascript newline entity', '<a href="jav&#x0A;ascript:alert(1)">x</a>'],
  ['a javascript decimal entity', '<a href="&#106;avascript:alert(1)">x</a>'],
  [
    'a javascript entities without semicolons',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
  ],
  ['a javascript colon entity', '<a href="javascript&colon;alert(1)">x</a>'],
  ['a javascript leading control', '<a href="\u0001javascript:alert(1)">x</a>'],
  ['a javascript double encoded', '<a href="&amp;#106;avascript:alert(1)">x</a>'],
  ['a vbscript', '<a href="vbscript:msgbox(1)">x</a>'],
  ['a data html', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'],
  ['img javascript', '<img src="javascript:alert(1)">'],
  ['img data svg', '<img src="data:image/svg+xml,<svg onload=alert(1)>">'],
  ['img srcset javascript', '<img srcset="javascript:alert(1) 1x">'],
  [
    'img lazy javascript',
    '<img src="data:image/gif;base64,R0lGOD" data-src="javascript:alert(1)">',
  ],
  ['area href', '<map><area href="javascript:alert(1)"></map>'],
  ['blockquote cite', '<blockquote cite="javascript:alert(1)">q</blockquote>'],
  ['video poster', '<video poster="javascript:alert(1)"></video>'],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
  ['base href', '<base href="javascript:alert(1)//">'],
  ['link stylesheet', '<link rel="stylesheet" href="javascript:alert(1)">'],
  ['style tag', '<style>body{background:url("javascript:alert(1)")}</style>'],
  ['style import', '<style>@import "https://evil.example/x.css";</style>'],
  ['inline style url', '<div style="background:url(javascript:alert(1))">x</div>'],
  ['inline style expression', '<div style="width:expression(alert(1))">x</div>'],
  ['noscript mXSS', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'],
  ['template mXSS', '<template><script>alert(1)</script></template>'],
  ['textarea breakout', '<textarea></textarea><script>alert(1)</script></textarea>'],
  ['textarea mXSS', '<textarea><img src=x onerror=alert(1)></textarea>'],
  ['title breakout', '<title></title><img src=x onerror=alert(1)>'],
  ['style mXSS', '<style><img src=x onerror=alert(1)></style>'],
  ['xmp mXSS', '<xmp><img src=x onerror=alert(1)></xmp>'],
  ['svg style mXSS', '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">'],
  ['comment breakout', '<!--><img src=x onerror=alert(1)>-->'],
  ['conditional comment', '<!--[if IE]><script>alert(1)</script><![endif]-->'],
  ['cdata', '<![CDATA[<script>alert(1)</script>]]>'],
  ['attribute breakout', '<img src="x" alt="a"onerror="alert(1)">'],
  ['backtick attribute', '<img src=`x` onerror=`alert(1)`>'],
  ['form clobber', '<form name="getElementById"><input name="x"></form>'],
  ['unknown element with handler', '<x-widget onclick="alert(1)">x</x-widget>'],
  ['vue attributes', '<img :src="x" @mouseenter="alert(1)" v-html="evil">'],
];

describe('sanitizing hostile HTML', () => {
  it.each(ATTACKS)('%s leaves nothing that runs', (_name, html) => {
    const { body } = transformHtml(html);
    expect(body.html).not.toMatch(/<script/i);
    expect(body.html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(body.html).not.toMatch(/javascript:|vbscript:|data:/i);
    expect(body.html).not.toMatch(
      /<(iframe|object|embed|svg|math|style|meta|base|link|form|input|button|textarea|template|noscript)\b/i,
    );
    expect(body.html).not.toMatch(/\sstyle=|srcdoc|http-equiv|formaction|expression\(/i);
  });
});

const KEPT: [name: string, html: string, expected: string][] = [
  [
    'paragraph and emphasis',
    '<p>a <strong>b</strong> <em>c</em> <b>d</b> <i>e</i> <u>f</u> <s>g</s> <mark>h</mark></p>',
    '<p>a <strong>b</strong> <em>c</em> <b>d</b> <i>e</i> <u>f</u> <s>g</s> <mark>h</mark></p>',
  ],
  ['headings', '<h2>A</h2><h3>B</h3>', '<h2>A</h2><h3>B</h3>'],
  [
    'lists',
    '<ul><li>a</li></ul><ol start="3"><li>b</li></ol>',
    '<ul><li>a</li></ul><ol start="3"><li>b</li></ol>',
  ],
  [
    'table',
    '<table><tbody><tr><td colspan="2">x</td></tr></tbody></table>',
    '<table><tbody><tr><td colspan="2">x</td></tr></tbody></table>',
  ],
  [
    'ruby',
    '<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>',
    '<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>',
  ],
  [
    'sup sub small abbr time',
    '<p>x<sup>2</sup>H<sub>2</sub>O <small>s</small> <abbr title="World Health Organization">WHO</abbr> <time datetime="2021-01-01">1 Jan</time></p>',
    '<p>x<sup>2</sup>H<sub>2</sub>O <small>s</small> <abbr title="World Health Organization">WHO</abbr> <time datetime="2021-01-01">1 Jan</time></p>',
  ],
  [
    'figure',
    '<figure><img src="https://a.example/x.jpg" alt="x"><figcaption>cap</figcaption></figure>',
    '<figure><img src="https://a.example/x.jpg" alt="x" referrerpolicy="no-referrer"><figcaption>cap</figcaption></figure>',
  ],
  [
    'blockquote and code',
    '<blockquote><p>q</p></blockquote><pre><code class="language-js">x &lt; 1</code></pre>',
    '<blockquote><p>q</p></blockquote><pre><code class="language-js">x &#x3C; 1</code></pre>',
  ],
  [
    'video gets controls',
    '<video src="https://v.example/a.mp4" autoplay></video>',
    '<video src="https://v.example/a.mp4" controls preload="none"></video>',
  ],
  [
    'centred caption becomes a class',
    '<p style="text-align: center; color: red">c</p>',
    '<p class="align-center">c</p>',
  ],
  ['center element becomes a class', '<center>c</center>', '<div class="align-center">c</div>'],
  ['news classes dropped', '<p class="m-figure__caption">c</p>', '<p>c</p>'],
  [
    'ids are prefixed',
    '<h2 id="intro">I</h2><a href="#intro">go</a>',
    '<h2 id="user-content-intro">I</h2><a href="#user-content-intro">go</a>',
  ],
  [
    'external link rel',
    '<a href="https://news.example/a" target="_blank">x</a>',
    '<a href="https://news.example/a" target="_blank" rel="noopener noreferrer nofollow ugc">x</a>',
  ],
  ['local link loses target', '<a href="/about/" target="_blank">x</a>', '<a href="/about/">x</a>'],
  [
    'mailto kept',
    '<a href="MAILTO:desk@news.example">x</a>',
    '<a href="mailto:desk@news.example">x</a>',
  ],
  [
    'other target dropped',
    '<a href="https://n.example/" target="_top">x</a>',
    '<a href="https://n.example/" rel="noopener noreferrer nofollow ugc">x</a>',
  ],
  ['unknown element unwrapped', '<font color="red">red</font>', 'red'],
  [
    'a form widget dropped with its words (rehype-drop-form-widgets)',
    '<form><label>Name</label><input value="x"><button>Send</button></form>',
    '',
  ],
  [
    'template braces are text',
    '<p>{{ site.title }} {% include x %}</p>',
    '<p>{{ site.title }} {% include x %}</p>',
  ],
  ['style content dropped', '<style>p{}</style><p>x</p>', '<p>x</p>'],
  ['comment dropped', '<!-- hi --><p>x</p>', '<p>x</p>'],
];

describe('sanitizing keeps the structure of articles', () => {
  it.each(KEPT)('%s', (_name, html, expected) => {
    expect(transformHtml(html).body.html).toBe(expected);
  });
});

describe('embeds', () => {
  it('keeps an allowed iframe, sandboxed, lazy, https', () => {
    const { body } = transformHtml(
      '<iframe src="//player.bilibili.com/player.html?aid=1" width="640" height="360" onload="x()"></iframe>',
      ENGLISH,
    );
    expect(body.html).toBe(
      '<iframe src="https://player.bilibili.com/player.html?aid=1" width="640" height="360" title="embedded content: player.bilibili.com" sandbox="allow-scripts allow-same-origin allow-presentation" loading="lazy" referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>',
    );
  });

  it('turns any other iframe into a link to what it embedded', () => {
    expect(
      transformHtml('<iframe src="https://ads.example/frame?x=1"></iframe>', ENGLISH).body.html,
    ).toBe(
      '<p><a href="https://ads.example/frame?x=1" rel="noopener noreferrer nofollow ugc">embedded content: ads.example</a></p>',
    );
    expect(
      transformHtml('<p>see <iframe src="http://maps.example/m"></iframe></p>', ENGLISH).body.html,
    ).toBe(
      '<p>see <a href="http://maps.example/m" rel="noopener noreferrer nofollow ugc">embedded content: maps.example</a></p>',
    );
  });

  it.each([
    ['zh-CN', undefined, '嵌入内容：ads.example'],
    ['zh-HK', undefined, '嵌入內容：ads.example'],
    ['zh-CN', 'ja', '埋め込みコンテンツ：ads.example'],
    ['en', 'ko', '삽입된 콘텐츠: ads.example'],
  ])(
    'words the link to a dropped embed in the article language (site %s, lang %s)',
    (language, lang, text) => {
      const transform = createBodyTransformer({ ...defaultConfig(), language });
      const body = '<iframe src="https://ads.example/frame"></iframe>';
      const { body: transformed } = transform(htmlArticle(body, lang ? { lang } : {}));
      expect(transformed.html).toContain(`>${text}</a>`);
    },
  );

  it('titles a kept embed in the article language', () => {
    const transform = createBodyTransformer({ ...defaultConfig(), language: 'en' });
    const body = '<iframe src="https://www.youtube.com/embed/x"></iframe>';
    expect(transform(htmlArticle(body, { lang: 'zh-TW' })).body.html).toContain(
      'title="嵌入內容：www.youtube.com"',
    );
    expect(transform(htmlArticle(body)).body.html).toContain(
      'title="embedded content: www.youtube.com"',
    );
  });

  it('drops iframes with nothing to link to', () => {
    expect(transformHtml('<iframe src="about:blank"></iframe><iframe></iframe>').body.html).toBe(
      '',
    );
  });

  it('keeps an allowed host only on its default port, which the pages’ policy allows', () => {
    const kept = transformHtml('<iframe src="https://www.youtube.com:443/embed/x"></iframe>');
    expect(kept.body.html).toContain('<iframe src="https://www.youtube.com/embed/x"');
    const moved = transformHtml('<iframe src="https://www.youtube.com:8443/embed/x"></iframe>');
    expect(moved.body.html).not.toContain('<iframe');
    expect(moved.body.html).toContain('href="https://www.youtube.com:8443/embed/x"');
  });

  it('drops a user name and password from an embedded URL', () => {
    const kept = transformHtml('<iframe src="https://user:pass@www.youtube.com/embed/f"></iframe>');
    expect(kept.body.html).toContain('<iframe src="https://www.youtube.com/embed/f"');
    const linked = transformHtml('<iframe src="https://user:pass@video.example/v"></iframe>');
    expect(linked.body.html).toContain('href="https://video.example/v"');
    expect(`${kept.body.html}${linked.body.html}`).not.toMatch(/user|pass/);
  });

  it('follows the allowlist in the config', () => {
    const config = { embeds: { allowHosts: ['video.example'] } };
    expect(
      transformHtml('<iframe src="https://video.example/v/1"></iframe>', config).body.html,
    ).toContain('<iframe src="https://video.example/v/1"');
    expect(
      transformHtml('<iframe src="https://www.youtube.com/embed/x"></iframe>', config).body.html,
    ).not.toContain('<iframe');
  });
});
