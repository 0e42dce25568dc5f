import { describe, expect, it } from 'vitest';
import { checkSourceUrl } from '../../src/transform/index.ts';
import { isSafeUrl, resolveUrl } from '../../src/transform/url.ts';
import { transformHtml } from './helpers.ts';

describe('isSafeUrl', () => {
  const cases: [string, boolean][] = [
    ['https://news.example/a', true],
    ['HTTP://news.example/a', true],
    ['mailto:desk@news.example', true],
    ['/relative/path', true],
    ['page.html?x=1:2', true],
    ['#anchor', true],
    ['javascript:alert(1)', false],
    [' JaVaScRiPt:alert(1)', false],
    ['jav\tascript:alert(1)', false],
    ['jav&#x09;ascript:alert(1)', false],
    ['&#106;avascript:alert(1)', false],
    ['&#x6A;avascript&#x3A;alert(1)', false],
    ['javascript&colon;alert(1)', false],
    ['&amp;#106;avascript:alert(1)', false],
    ['\u0000javascript:alert(1)', false],
    ['java\u200bscript:alert(1)', false],
    ['vbscript:msgbox', false],
    ['data:text/html,<script>', false],
    ['file:///etc/passwd', false],
    ['ja vascript:alert(1)', false],
  ];
  it.each(cases)('%j → %s', (url, safe) => {
    expect(isSafeUrl(url)).toBe(safe);
  });
});

describe('resolveUrl', () => {
  it.each([
    ['//a.cn/x', undefined, 'https://a.cn/x'],
    ['/x.jpg', 'https://a.cn/p/q.html', 'https://a.cn/x.jpg'],
    ['x.jpg', 'https://a.cn/p/q.html', 'https://a.cn/p/x.jpg'],
    ['../x.jpg', undefined, '/x.jpg'],
    ['x.jpg', undefined, '/x.jpg'],
    ['#top', 'https://a.cn/', '#top'],
    // Paths that the URL parser makes `//host/…`: kept local, not made links to that host.
    ['/.//evil.example/x', undefined, '/evil.example/x'],
    ['a/..//evil.example/x', undefined, '/evil.example/x'],
    ['/%2e//evil.example/x', undefined, '/evil.example/x'],
    ['/.//evil.example/x', 'https://a.cn/p/', 'https://a.cn//evil.example/x'],
    // A user name and password are not published.
    ['https://user:pw@a.cn/x.jpg', undefined, 'https://a.cn/x.jpg'],
    ['//user@a.cn/x.jpg', undefined, 'https://a.cn/x.jpg'],
    ['x.jpg', 'https://scraper:s3cret@a.cn/p/q.html', 'https://a.cn/p/x.jpg'],
  ])('%s against %s → %s', (url, base, expected) => {
    expect(resolveUrl(url, base)).toBe(expected);
  });
});

describe('checkSourceUrl', () => {
  it.each([
    ['https://www.guancha.cn/a.shtml', 'https://www.guancha.cn/a.shtml'],
    ['  http://a.cn/x  ', 'http://a.cn/x'],
    ['javascript:alert(1)', undefined],
    ['/relative', undefined],
    ['https://scraper:s3cret@paywall.example/news/1', 'https://paywall.example/news/1'],
    ['', undefined],
  ])('%j → %j', (url, expected) => {
    expect(checkSourceUrl(url)).toBe(expected);
  });
});

describe('a body without a source URL', () => {
  it('keeps paths the URL parser makes `//host/…` local: no link, image or cover off site', () => {
    const { body } = transformHtml(
      '<p><a href="/.//evil.example/phish" target="_blank">l</a><img src="/.//evil.example/track.png"></p>' +
        '<video controls poster="a/..//evil.example/p.jpg"></video>',
    );
    expect(body.html).not.toContain('//evil.example');
    expect(body.cover?.src ?? '').not.toContain('//evil.example');
  });

  it('publishes no credentials of the source URL in links and images resolved against it', () => {
    const { body } = transformHtml(
      '<p><a href="/news/2">next</a><img src="/img/a.jpg"></p>',
      {},
      'https://scraper:s3cret@paywall.example/news/1',
    );
    expect(body.html).toContain('https://paywall.example/news/2');
    expect(body.html).toContain('https://paywall.example/img/a.jpg');
    expect(body.html).not.toContain('s3cret');
    expect(body.sourceUrl).toBe('https://paywall.example/news/1');
  });
});
