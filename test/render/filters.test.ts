import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UrlBuilder } from '../../src/collect/urls.ts';
import { defaultConfig, type SiteConfig } from '../../src/config/schema.ts';
import { createTemplateEnvironment } from '../../src/render/environment.ts';
import { renderTemplate } from '../../src/render/render.ts';
import { makeTempFolder } from '../temp-folders.ts';

/** Renders a one-line template with the theme's filters, under a base URL. */
function render(
  text: string,
  baseUrl = 'https://example.org/news/',
  config: Partial<SiteConfig> = {},
) {
  const templatesDir = path.join(makeTempFolder('gazette-filters-'), 'templates');
  mkdirSync(templatesDir);
  writeFileSync(path.join(templatesDir, 'page.njk'), text);
  const { env, searchPaths } = createTemplateEnvironment({
    config: { ...defaultConfig(), ...config, baseUrl },
    urls: new UrlBuilder(baseUrl),
    userTemplatesDir: templatesDir,
  });
  const result = renderTemplate(env, searchPaths, 'page.njk', {});
  if (!result.ok) throw new Error(result.message);
  return result.html;
}

describe('the url and absoluteUrl filters', () => {
  it.each([
    ["'/about/' | url", '/news/about/'],
    ["'/新闻/' | url", '/news/%E6%96%B0%E9%97%BB/'],
    // Encoded once, however it was written.
    ["'/%E6%96%B0/' | url", '/news/%E6%96%B0/'],
    // A query and a fragment are kept as written (escaped for the attribute).
    ["'/x/?q=1&y=2#frag' | url", '/news/x/?q=1&amp;y=2#frag'],
    // Another site's URL is no site path.
    ["'https://other.com/x' | url", 'https://other.com/x'],
    ["'//other.com/x' | absoluteUrl", '//other.com/x'],
    ["'/x/#top' | absoluteUrl", 'https://example.org/news/x/#top'],
    ["'/' | absoluteUrl", 'https://example.org/news/'],
  ])('%s → %s', (expression, expected) => {
    expect(render(`{{ ${expression} }}`)).toBe(expected);
  });
});

describe('the date filter', () => {
  it("reads a date without an offset in the site's time zone", () => {
    const template = '{{ "2022-04-04" | date("yyyy-MM-dd HH:mm") }}';
    expect(render(template, '/', { timezone: 'America/New_York' })).toBe('2022-04-04 00:00');
    expect(render(template, '/', { timezone: 'Asia/Shanghai' })).toBe('2022-04-04 00:00');
    // A date with an offset is that instant, shown in the site's zone.
    expect(
      render('{{ "2022-04-04T00:00:00Z" | date("yyyy-MM-dd HH:mm") }}', '/', {
        timezone: 'Asia/Shanghai',
      }),
    ).toBe('2022-04-04 08:00');
  });
});
