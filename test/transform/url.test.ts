import { describe, expect, it } from 'vitest';
import { checkSourceUrl } from '../../src/transform/index.ts';
import { isSafeUrl, resolveUrl } from '../../src/transform/url.ts';

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
    ['', undefined],
  ])('%j → %j', (url, expected) => {
    expect(checkSourceUrl(url)).toBe(expected);
  });
});
