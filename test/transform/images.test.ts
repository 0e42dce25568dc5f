import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { resolveCover, sameImage } from '../../src/transform/cover.ts';
import { createBodyTransformer } from '../../src/transform/index.ts';
import { rehypeImageLoading } from '../../src/transform/rehype-image-loading.ts';
import { rehypeLazyImages } from '../../src/transform/rehype-lazy-images.ts';
import { rehypeNoscriptImages } from '../../src/transform/rehype-noscript-images.ts';
import {
  pixelDimension,
  rehypeResolveImageUrls,
} from '../../src/transform/rehype-resolve-image-urls.ts';
import { parseSrcset } from '../../src/transform/srcset.ts';
import { BUILTIN_IMAGE_REWRITES, compileRewriteRules } from '../../src/transform/url.ts';
import { htmlArticle } from './corpus-article.ts';
import { context, runPlugins, transformHtml } from './helpers.ts';

const BASE = 'https://www.rfa.org/mandarin/story.html';
const GIF = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

describe('rehypeLazyImages', () => {
  const cases: [string, string, string][] = [
    [
      'data-src over a data: placeholder',
      `<img src="${GIF}" data-src="https://a.cn/x.jpg">`,
      '<img src="https://a.cn/x.jpg">',
    ],
    [
      'data-original over loadimg.gif',
      '<img src="/img/loadimg.gif" data-original="https://a.cn/x.jpg">',
      '<img src="https://a.cn/x.jpg">',
    ],
    ['data-lazy-src', '<img data-lazy-src="//a.cn/x.jpg">', '<img src="//a.cn/x.jpg">'],
    [
      'data-actualsrc (Zhihu)',
      '<img src="https://a.cn/thumb.jpg" data-actualsrc="https://a.cn/full.jpg">',
      '<img src="https://a.cn/full.jpg">',
    ],
    [
      'data-lazy-srcset',
      '<img data-lazy-srcset="a.jpg 1x, b.jpg 2x">',
      '<img srcset="a.jpg 1x, b.jpg 2x">',
    ],
    [
      'data-srcset',
      '<img src="a.jpg" data-srcset="b.jpg 2x">',
      '<img src="a.jpg" srcset="b.jpg 2x">',
    ],
    [
      'lazy attribute without a URL is ignored',
      '<img src="https://a.cn/x.jpg" data-src="true">',
      '<img src="https://a.cn/x.jpg">',
    ],
    [
      'no lazy attribute: untouched',
      '<img src="https://a.cn/x.jpg">',
      '<img src="https://a.cn/x.jpg">',
    ],
  ];
  it.each(cases)('%s', (_name, input, output) => {
    expect(runPlugins(input, [rehypeLazyImages])).toBe(output);
  });
});

describe('rehypeNoscriptImages', () => {
  const cases: [string, string, string][] = [
    [
      'recovers the fallback image',
      `<img src="${GIF}"><noscript><img src="https://s.rfi.fr/a.jpg" alt="A"></noscript>`,
      `<img src="${GIF}"><img src="https://s.rfi.fr/a.jpg" alt="A">`,
    ],
    [
      'no duplicate of an image already shown',
      '<img src="https://s.rfi.fr/a.jpg"><noscript><img src="http://s.rfi.fr/a.jpg"></noscript>',
      '<img src="https://s.rfi.fr/a.jpg">',
    ],
    [
      'the rest of noscript goes',
      '<noscript><p>Enable JavaScript</p></noscript><p>x</p>',
      '<p>x</p>',
    ],
    [
      'two noscripts with the same image',
      '<noscript><img src="a.jpg"></noscript><noscript><img src="a.jpg"></noscript>',
      '<img src="a.jpg">',
    ],
  ];
  it.each(cases)('%s', (_name, input, output) => {
    expect(runPlugins(input, [rehypeNoscriptImages])).toBe(output);
  });

  it.each([
    ['an unclosed paragraph', '<noscript><p>请启用JavaScript</noscript>'],
    ['an unclosed block', '<noscript><div>enable js</noscript>'],
  ])('keeps the article after a noscript holding %s', (_name, noscript) => {
    const { body } = transformHtml(
      `<div><p>第一段</p>${noscript}<p>第二段：正文继续</p><p>第三段</p></div>`,
    );
    expect(body.html).toBe('<div><p>第一段</p><p>第二段：正文继续</p><p>第三段</p></div>');
  });

  it('recovers a fallback image in the whole transform', () => {
    const { body } = transformHtml(
      `<p><img src="${GIF}"><noscript><img src="https://s.rfi.fr/a.jpg" alt="A"></noscript></p>`,
    );
    expect(body.html).toContain('<img src="https://s.rfi.fr/a.jpg" alt="A"');
    expect(body.html).not.toContain('noscript');
  });
});

describe('rehypeResolveImageUrls', () => {
  const withBase = context({
    base: BASE,
    images: { base: BASE, upgradeHttp: true, rewrite: compileRewriteRules(BUILTIN_IMAGE_REWRITES) },
  });
  const noUpgrade = context({ images: { upgradeHttp: false, rewrite: [] } });
  const proxy = context({
    images: {
      upgradeHttp: true,
      rewrite: compileRewriteRules([
        {
          match: '^https://mmbiz\\.qpic\\.cn/(.*)$',
          replace: 'https://img-proxy.example/?url=https://mmbiz.qpic.cn/$1',
        },
      ]),
    },
  });
  const httpOnlyHost = context({
    images: {
      upgradeHttp: true,
      rewrite: compileRewriteRules([
        {
          match: '^http://oldcdn\\.example\\.com/(.*)$',
          replace: 'https://images.weserv.nl/?url=oldcdn.example.com/$1',
        },
      ]),
    },
  });
  const cases: [string, string, typeof withBase, string][] = [
    [
      'a rule written for an http-only host still sees the URL as written',
      '<img src="http://oldcdn.example.com/pic.jpg">',
      httpOnlyHost,
      '<img src="https://images.weserv.nl/?url=oldcdn.example.com/pic.jpg">',
    ],
    [
      'root-relative against the source',
      '<img src="/++plone++rfa-resources/img/icon-zoom.png">',
      withBase,
      '<img src="https://www.rfa.org/++plone++rfa-resources/img/icon-zoom.png">',
    ],
    [
      'relative against the source',
      '<img src="images/a.jpg">',
      withBase,
      '<img src="https://www.rfa.org/mandarin/images/a.jpg">',
    ],
    [
      'protocol-relative becomes https',
      '<img src="//img.dlsite.jp/a.jpg">',
      context(),
      '<img src="https://img.dlsite.jp/a.jpg">',
    ],
    [
      'http upgraded',
      '<img src="http://lain.bgm.tv/a.jpg">',
      context(),
      '<img src="https://lain.bgm.tv/a.jpg">',
    ],
    [
      'http kept when upgrade is off',
      '<img src="http://lain.bgm.tv/a.jpg">',
      noUpgrade,
      '<img src="http://lain.bgm.tv/a.jpg">',
    ],
    [
      'CORS proxy unwrapped',
      '<img src="https://cors.zfour.workers.dev/?http://lain.bgm.tv/pic/a.jpg">',
      context(),
      '<img src="https://lain.bgm.tv/pic/a.jpg">',
    ],
    [
      'configured rewrite rule',
      '<img src="https://mmbiz.qpic.cn/a/640?wx_fmt=jpeg">',
      proxy,
      '<img src="https://img-proxy.example/?url=https://mmbiz.qpic.cn/a/640?wx_fmt=jpeg">',
    ],
    [
      'configured rewrite rule, for an http: copy too (upgraded first)',
      '<img src="http://mmbiz.qpic.cn/a/640">',
      proxy,
      '<img src="https://img-proxy.example/?url=https://mmbiz.qpic.cn/a/640">',
    ],
    [
      'an http: URL a proxy held, upgraded once unwrapped',
      '<img src="http://cors.zfour.workers.dev/?http://lain.bgm.tv/pic/a.jpg">',
      context(),
      '<img src="https://lain.bgm.tv/pic/a.jpg">',
    ],
    [
      'no source: site-local, root-relative',
      '<img src="images/x.jpg">',
      context(),
      '<img src="/images/x.jpg">',
    ],
    [
      'no source: root-relative stays',
      '<img src="/images/x.jpg">',
      context(),
      '<img src="/images/x.jpg">',
    ],
    [
      'every srcset candidate',
      '<img src="a.jpg" srcset="a.jpg 1x, //cdn.cn/b.jpg 2x, http://cdn.cn/c,w_820,h_461.jpg 3x">',
      withBase,
      '<img src="https://www.rfa.org/mandarin/a.jpg" srcset="https://www.rfa.org/mandarin/a.jpg 1x, https://cdn.cn/b.jpg 2x, https://cdn.cn/c,w_820,h_461.jpg 3x">',
    ],
    [
      'src from srcset when missing',
      '<img srcset="https://a.cn/s.jpg 300w, https://a.cn/l.jpg 900w">',
      context(),
      '<img srcset="https://a.cn/s.jpg 300w, https://a.cn/l.jpg 900w" src="https://a.cn/l.jpg">',
    ],
    ['data: image dropped', `<p><img src="${GIF}">x</p>`, context(), '<p>x</p>'],
    ['placeholder gif dropped', '<img src="https://a.cn/static/loadimg.gif">', context(), ''],
    [
      'lazy loader /undefined dropped',
      '<img src="https://www.zaobao.com/realtime/china/undefined">',
      context(),
      '',
    ],
    ['no src dropped', '<img alt="x">', context(), ''],
    ['javascript: dropped', '<img src="javascript:alert(1)">', context(), ''],
    [
      'tracking pixel dropped',
      '<img src="https://t.cn/p.gif" width="1" height="1">',
      context(),
      '',
    ],
    [
      '970px → 970',
      '<img src="https://a.cn/a.jpg" width="970px" height="374px">',
      context(),
      '<img src="https://a.cn/a.jpg" width="970" height="374">',
    ],
    [
      'auto and % dropped',
      '<img src="https://a.cn/a.jpg" width="50%" height="auto">',
      context(),
      '<img src="https://a.cn/a.jpg">',
    ],
    [
      'picture source srcset',
      '<picture><source srcset="//a.cn/x.webp" type="image/webp"><img src="//a.cn/x.jpg"></picture>',
      context(),
      '<picture><source srcset="https://a.cn/x.webp" type="image/webp"><img src="https://a.cn/x.jpg"></picture>',
    ],
    [
      'video poster',
      '<video poster="//a.cn/p.jpg" src="//a.cn/v.mp4"></video>',
      context(),
      '<video poster="https://a.cn/p.jpg" src="https://a.cn/v.mp4"></video>',
    ],
  ];
  it.each(cases)('%s', (_name, input, article, output) => {
    expect(runPlugins(input, [rehypeResolveImageUrls], article)).toBe(output);
  });
});

describe('rehypeImageLoading', () => {
  it('loads the first image eagerly, the rest lazily; no referrer to remote hosts', () => {
    expect(
      runPlugins(
        '<img src="https://a.cn/1.jpg"><img src="/local.jpg"><img src="https://a.cn/3.jpg">',
        [rehypeImageLoading],
      ),
    ).toBe(
      '<img src="https://a.cn/1.jpg" referrerpolicy="no-referrer"><img src="/local.jpg" loading="lazy" decoding="async"><img src="https://a.cn/3.jpg" loading="lazy" decoding="async" referrerpolicy="no-referrer">',
    );
  });
});

describe('helpers', () => {
  it.each([
    ['970', 970],
    ['970px', 970],
    [' 530 ', 530],
    ['auto', undefined],
    ['50%', undefined],
    ['0', undefined],
  ])('pixelDimension(%j) = %j', (input, output) => {
    expect(pixelDimension(input)).toBe(output);
  });

  it('parses srcset with commas inside URLs', () => {
    expect(parseSrcset('https://img.ithome.com/a.jpg@s_2,w_820,h_461 1x, b.jpg 2x')).toEqual([
      { url: 'https://img.ithome.com/a.jpg@s_2,w_820,h_461', descriptor: '1x' },
      { url: 'b.jpg', descriptor: '2x' },
    ]);
  });

  it('recognises the same image behind a CDN resize suffix', () => {
    expect(
      sameImage('https://img.ithome.com/a.jpg', 'http://img.ithome.com/a.jpg@s_2,w_820,h_461'),
    ).toBe(true);
    expect(sameImage('https://a.cn/a.jpg', 'https://a.cn/b.jpg')).toBe(false);
  });
});

describe('cover', () => {
  const images = { upgradeHttp: true, rewrite: compileRewriteRules(BUILTIN_IMAGE_REWRITES) };
  const first = { src: 'https://i.guancha.cn/a.jpg', width: 970, height: 374 };
  const cases: [
    string,
    string | undefined,
    typeof first | undefined,
    ReturnType<typeof resolveCover>,
  ][] = [
    [
      'front matter cover that the body starts with',
      'https://i.guancha.cn/a.jpg',
      first,
      { cover: first, coverInBody: true },
    ],
    [
      'front matter cover not in the body',
      'https://i.guancha.cn/b.jpg',
      first,
      { cover: { src: 'https://i.guancha.cn/b.jpg' }, coverInBody: false },
    ],
    [
      'no front matter cover: first body image',
      undefined,
      first,
      { cover: first, coverInBody: true },
    ],
    ['no cover at all', undefined, undefined, { cover: undefined, coverInBody: false }],
    [
      'placeholder cover ignored',
      'https://picsum.photos/400/300?random=3',
      first,
      { cover: first, coverInBody: true },
    ],
    [
      "a lazy loader's stand-in ignored",
      'https://file.digitaling.com/images/common/loadimg.gif',
      first,
      { cover: first, coverInBody: true },
    ],
    [
      'an SVG icon ignored',
      'https://www.cna.com.tw/img/error.svg?v=2',
      first,
      { cover: first, coverInBody: true },
    ],
    [
      'CORS proxy unwrapped and upgraded',
      'https://cors.zfour.workers.dev/?http://lain.bgm.tv/pic/a.jpg',
      undefined,
      { cover: { src: 'https://lain.bgm.tv/pic/a.jpg' }, coverInBody: false },
    ],
  ];
  it.each(cases)('%s', (_name, written, firstImage, expected) => {
    expect(resolveCover(written, firstImage, images)).toEqual(expected);
  });

  it('takes a cover naming the thumbnail a lazy URL replaced as the body image (shown once)', () => {
    const transform = createBodyTransformer(defaultConfig());
    const { body } = transform(
      htmlArticle(
        '<p><img src="/thumb/mini/article/2024/0101/a.jpg" data-original="https://static.cnbetacdn.com/article/2024/0101/a.jpg"></p><p>Text.</p>',
        {
          sourceUrl: 'https://www.cnbeta.com.tw/articles/tech/1.htm',
          cover: 'https://www.cnbeta.com.tw/thumb/mini/article/2024/0101/a.jpg',
        },
      ),
    );
    expect(body.coverInBody).toBe(true);
    expect(body.cover?.src).toBe('https://static.cnbetacdn.com/article/2024/0101/a.jpg');
    // Another picture as cover is still shown above the body.
    const other = transform(
      htmlArticle(
        '<p><img src="/thumb/a.jpg" data-original="https://static.cnbetacdn.com/a.jpg"></p>',
        {
          sourceUrl: 'https://www.cnbeta.com.tw/articles/tech/1.htm',
          cover: 'https://www.cnbeta.com.tw/thumb/b.jpg',
        },
      ),
    );
    expect(other.body.coverInBody).toBe(false);
    // The thumbnail of a later picture: the hero shows that picture, not its thumbnail.
    const later = transform(
      htmlArticle(
        '<p><img src="https://static.cnbetacdn.com/first.jpg"></p><p><img src="/thumb/b_240.jpg" data-src="https://static.cnbetacdn.com/full/b.jpg"></p>',
        {
          sourceUrl: 'https://www.cnbeta.com.tw/articles/tech/1.htm',
          cover: 'https://www.cnbeta.com.tw/thumb/b_240.jpg',
        },
      ),
    );
    expect(later.body.cover?.src).toBe('https://static.cnbetacdn.com/full/b.jpg');
  });

  it('rejects a javascript: cover with a warning', () => {
    const result = resolveCover(' JaVaScRiPt:alert(1)', undefined, images);
    expect(result.cover).toBeUndefined();
    expect(result.problem).toMatch(/not an http\(s\) image URL/);
  });

  it('is resolved against the source URL in the whole transform', () => {
    const { body } = transformHtml(
      '<p><img src="/img/a.jpg" width="600"></p><p><img src="/img/b.jpg"></p>',
      {},
      'https://news.example/2021/story.html',
    );
    expect(body.cover).toEqual({ src: 'https://news.example/img/a.jpg', width: 600 });
    expect(body.coverInBody).toBe(true);
    expect(body.sourceUrl).toBe('https://news.example/2021/story.html');
    expect(body.html).toBe(
      '<p><img src="https://news.example/img/a.jpg" width="600" referrerpolicy="no-referrer"></p><p><img src="https://news.example/img/b.jpg" loading="lazy" decoding="async" referrerpolicy="no-referrer"></p>',
    );
  });

  it('is not an icon or stand-in of the body, but its first picture', () => {
    const { body } = transformHtml(
      '<form><img src="https://www.cna.com.tw/img/error.svg">Enter your e-mail</form>' +
        '<p><img src="https://example.com/images/blank.gif"></p><p><img src="https://example.com/photo.jpg"></p>',
    );
    expect(body.cover).toEqual({ src: 'https://example.com/photo.jpg' });
  });

  it('uses images.sourceBase for the source host', () => {
    const { body } = transformHtml(
      '<img src="/a.jpg">',
      {
        images: {
          upgradeHttp: true,
          sourceBase: { 'news.example': 'https://static.news.example/' },
          rewrite: [],
          mirror: false,
          mirrorPrivateHosts: false,
        },
      },
      'https://news.example/s.html',
    );
    expect(body.html).toContain('src="https://static.news.example/a.jpg"');
  });
});

describe('site files', () => {
  it('keeps a root-relative URL of one of the site own files local, even with a source URL', () => {
    const transform = createBodyTransformer(defaultConfig(), {
      siteFiles: new Set(['/images/market.png']),
    });
    const { body } = transform(
      htmlArticle(
        '<p><img src="/images/market.png" width="800" height="450"><img src="/images/other.png"></p>',
        {
          sourceUrl: 'https://news.example.com/a/b.html',
          cover: '/images/market.png',
        },
      ),
    );
    expect(body.html).toContain('src="/images/market.png"');
    expect(body.html).toContain('src="https://news.example.com/images/other.png"');
    expect(body.cover?.src).toBe('/images/market.png');
  });

  it('drops relative images nothing resolves, with a warning naming them', () => {
    const transform = createBodyTransformer(defaultConfig(), {
      siteFiles: new Set(['/images/market.png']),
    });
    const { body, diagnostics } = transform(
      htmlArticle(
        '<p><img src="images/photo.jpg"> <img src="/uploads/2022/a.png">' +
          '<img src="/images/market.png" srcset="/images/market.png 1x, big/market.png 2x"></p>' +
          '<video poster="poster.jpg" src="https://v.example/v.mp4"></video>',
        { cover: 'covers/a.jpg' },
      ),
    );
    expect(body.html).toBe(
      '<p> <img src="/images/market.png" srcset="/images/market.png 1x"></p><video src="https://v.example/v.mp4" controls preload="none"></video>',
    );
    const warnings = diagnostics.map((diagnostic) => diagnostic.message);
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /^4 image URL\(s\) are relative \("images\/photo.jpg", "\/uploads\/2022\/a.png", "big\/market.png", …\) and the article has no source URL/,
      ),
    );
    expect(warnings).toContainEqual(
      expect.stringMatching(/^cover "covers\/a.jpg" is relative and the article has no source URL/),
    );
    expect(body.cover?.src).toBe('/images/market.png');
  });
});
