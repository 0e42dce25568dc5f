import { describe, expect, it } from 'vitest';
import { outputFileFor, UrlBuilder } from '../../src/collect/urls.ts';

describe('UrlBuilder', () => {
  it('applies the base path and percent-encodes segments', () => {
    const urls = new UrlBuilder('https://user.github.io/news/');
    expect(urls.href('/2022/04/乌方/')).toBe('/news/2022/04/%E4%B9%8C%E6%96%B9/');
    expect(urls.absolute('/')).toBe('https://user.github.io/news/');
    expect(urls.toSitePath('/news/2022/04/%E4%B9%8C%E6%96%B9/')).toBe('/2022/04/乌方/');
    expect(urls.toSitePath('/other/')).toBeUndefined();
  });

  it('works at the root', () => {
    const urls = new UrlBuilder('/');
    expect(urls.href('/tags/a b/')).toBe('/tags/a%20b/');
    expect(urls.absolute('/x/')).toBe('/x/');
  });
});

describe('outputFileFor', () => {
  it('keeps every path inside the output folder', () => {
    expect(outputFileFor('/out', '/a/b/')).toBe('/out/a/b/index.html');
    expect(outputFileFor('/out', '/404.html')).toBe('/out/404.html');
    expect(outputFileFor('/out', '/../etc/passwd')).toBeUndefined();
    expect(outputFileFor('/out', '/a/../../x/')).toBeUndefined();
    expect(outputFileFor('/out', '/a\\..\\x/')).toBeUndefined();
    expect(outputFileFor('/out', '/')).toBe('/out/index.html');
  });
});
