import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.ts';
import { makeTempFolder } from '../temp-folders.ts';

function withConfig(text: string, name = 'gazette.config.yml') {
  const root = makeTempFolder('gazette-config-');
  writeFileSync(path.join(root, name), text);
  return () => loadConfig({ root });
}

describe('loadConfig', () => {
  it('uses the defaults without a file', () => {
    const { config } = loadConfig({ root: makeTempFolder('gazette-config-') });
    expect(config).toMatchObject({
      language: 'zh-CN',
      timezone: 'Asia/Shanghai',
      baseUrl: '/',
      pageSize: 20,
    });
  });

  it('reads values and nested sections', () => {
    const { config } = withConfig('title: News\npageSize: 5\nimages:\n  upgradeHttp: false\n')();
    expect(config.title).toBe('News');
    expect(config.pageSize).toBe(5);
    expect(config.images.upgradeHttp).toBe(false);
    expect(config.images.mirror).toBe(false);
  });

  it.each([
    ['titel: x\n', /unknown key "titel" \(did you mean "title"\?\)/],
    [
      'images:\n  upgradehttp: true\n',
      /unknown key "images.upgradehttp" \(did you mean "images.upgradeHttp"\?\)/,
    ],
    ['pageSize: 0\n', /"pageSize" must be a whole number/],
    ['slugStyle: ascii\n', /"slugStyle" must be one of/],
    ['timezone: Mars/Base\n', /"timezone" must be an IANA time zone/],
    ['baseUrl: ftp://x/\n', /"baseUrl" must use http or https/],
    ['permalink: ":year/"\n', /"permalink" must contain :slug \(or :title\) or :id/],
    ['permalink: ":slug/:Year/"\n', /"permalink" has unknown token\(s\) :Year; known: :year/],
    ['dateFormat: ""\n', /"dateFormat" is empty/],
    [
      'embeds:\n  allowHosts: ["https://www.youtube.com", "*.bilibili.com"]\n',
      /"embeds.allowHosts" takes host names \(www.youtube.com\), not "https:\/\/www.youtube.com", "\*.bilibili.com"/,
    ],
    ['title: [unclosed\n', /^gazette.config.yml:\d+/],
    [
      'baseUrl: //x.org/news/\n',
      /"baseUrl" "\/\/x.org\/news\/" has no scheme: write https:\/\/x.org\/news\//,
    ],
    ['baseUrl: /news/../x/\n', /"baseUrl" may not have \. or \.\. segments/],
    ["baseUrl: 'https://x.org/news?x=1#y'\n", /"baseUrl" may not have a query or fragment/],
    ['baseUrl: /news/#top\n', /"baseUrl" may not have a query or fragment/],
  ])('names the key in %j', (text, message) => {
    expect(withConfig(text)).toThrow(ConfigError);
    expect(withConfig(text)).toThrow(message);
  });

  it.each([
    ['title: x\n\npageSize: many\n', 'gazette.config.yml:3: "pageSize" must be'],
    ['title: x\nimages:\n  mirror: true\n  upgradehttp: 1\n', 'gazette.config.yml:4: unknown key'],
    ['feeds:\n  items: 5\nsearch:\n  enabled: 2\n', 'gazette.config.yml:4: "search.enabled"'],
    // Not the look-alike in a block scalar, nor a nested key of the same name.
    ['description: |\n  pageSize: twenty\npageSize: 0\n', 'gazette.config.yml:3: "pageSize"'],
    [
      'images:\n  mirror: true\nlanguage: en\nsearch:\n  language: 1\n',
      'gazette.config.yml:5: unknown key "search.language"',
    ],
  ])('gives the line of the key a value error names in %j', (text, message) => {
    expect(withConfig(text)).toThrow(message);
  });

  it('gives the line of a JSON syntax error', () => {
    expect(withConfig('{\n  "title": "x",\n  "pageSize": 5,\n}\n', 'gazette.config.json')).toThrow(
      /^gazette.config.json:4: invalid JSON/,
    );
  });

  it("takes Hexo's :title for :slug in a permalink", () => {
    expect(withConfig('permalink: ":year/:month/:day/:title/"\n')).not.toThrow();
  });

  it('validates command-line overrides the same way', () => {
    const root = makeTempFolder('gazette-config-');
    expect(() => loadConfig({ root, overrides: { baseUrl: 'nope' } })).toThrow(/baseUrl/);
  });
});

describe('the site description', () => {
  it("is in the site's language when the config gives none", () => {
    const root = makeTempFolder('gazette-config-');
    expect(loadConfig({ root }).config.description).toBe('新闻文章存档');
    expect(loadConfig({ root, overrides: { language: 'zh-TW' } }).config.description).toBe(
      '新聞文章存檔',
    );
    expect(loadConfig({ root, overrides: { language: 'en-GB' } }).config.description).toBe(
      'An archive of news articles',
    );
    expect(
      loadConfig({ root, overrides: { language: 'en', description: 'Harbour news' } }).config
        .description,
    ).toBe('Harbour news');
  });
});
