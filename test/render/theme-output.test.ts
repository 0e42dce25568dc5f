import path from 'node:path';
import type { Element, Root } from 'hast';
import { describe, expect, it } from 'vitest';
import { interfaceLanguage } from '../../src/languages.ts';
import {
  buildProject,
  copyIntoContent,
  elements,
  listFiles,
  makeProject,
  readPage,
  repoRoot,
  textOf,
} from '../helpers.ts';

describe('the theme language of a site language', () => {
  it('is Traditional Chinese for Taiwan, Hong Kong, Macao and Hant, Simplified for other Chinese', () => {
    for (const tag of ['zh-TW', 'zh-hk', 'zh-MO', 'zh-Hant', 'zh-Hant-TW'])
      expect(interfaceLanguage(tag)).toBe('zh-Hant');
    for (const tag of ['zh', 'zh-CN', 'zh-SG', 'zh-Hans', 'zh-Hans-HK'])
      expect(interfaceLanguage(tag)).toBe('zh-Hans');
    expect(interfaceLanguage('ja-JP')).toBe('ja');
    expect(interfaceLanguage('ko')).toBe('ko');
    expect(interfaceLanguage('fr')).toBe('en');
  });
});

describe("the default theme's words", () => {
  /** The sample site built in a language: words found where the theme puts them. */
  async function wordsOf(language: string) {
    const root = makeProject();
    copyIntoContent(root, path.join(repoRoot, 'content'), '.');
    const { outDir } = await buildProject(root, {
      overrides: { language, search: { enabled: false } },
    });
    const page = (file: string) => readPage(outDir, file);
    const first = (file: string, tag: string) =>
      textOf(elements(page(file), (element) => element.tagName === tag)[0]!);
    const month = listFiles(outDir).find((file) =>
      /^archives\/\d{4}\/\d\d\/index\.html$/.test(file),
    )!;
    const [, year, monthNumber] = /^archives\/(\d{4})\/(\d\d)\//.exec(month)!;
    return {
      skip: textOf(
        elements(
          page('index.html'),
          (e) => e.tagName === 'a' && String(e.properties.className).includes('skip'),
        )[0]!,
      ),
      notFoundTitle: first('404.html', 'title'),
      categoriesTitle: first('categories/index.html', 'title'),
      monthHeading: first(month, 'h1'),
      year,
      month: Number(monthNumber),
    };
  }

  it('are Traditional Chinese on a zh-TW site', async () => {
    const words = await wordsOf('zh-TW');
    expect(words.skip).toBe('跳到正文');
    expect(words.notFoundTitle).toMatch(/^頁面不存在 · /);
    expect(words.categoriesTitle).toMatch(/^欄目 · /);
    expect(words.monthHeading).toBe(`${words.year} 年 ${words.month} 月`);
  });

  it('are Japanese on a ja site', async () => {
    const words = await wordsOf('ja');
    expect(words.skip).toBe('本文へ移動');
    expect(words.notFoundTitle).toMatch(/^ページが見つかりません · /);
    expect(words.categoriesTitle).toMatch(/^カテゴリー · /);
    expect(words.monthHeading).toBe(`${words.year}年 ${words.month}月`);
  });

  it('are Korean on a ko site', async () => {
    const words = await wordsOf('ko');
    expect(words.skip).toBe('본문으로 건너뛰기');
    expect(words.notFoundTitle).toMatch(/^페이지를 찾을 수 없습니다 · /);
    expect(words.monthHeading).toBe(`${words.year}년 ${words.month}월`);
  });

  it('are Simplified Chinese by default and English for other languages, 404 title included', async () => {
    const chinese = await wordsOf('zh-CN');
    expect(chinese.skip).toBe('跳到正文');
    expect(chinese.notFoundTitle).toMatch(/^页面不存在 · /);
    expect(chinese.categoriesTitle).toMatch(/^栏目 · /);
    const english = await wordsOf('en');
    expect(english.notFoundTitle).toMatch(/^Page not found · /);
    expect(english.categoriesTitle).toMatch(/^Sections · /);
    expect(english.monthHeading).toMatch(new RegExp(`^[A-Z][a-z]+ ${english.year}$`));
  });
});

/** Each element's text with the language it is read in (its nearest `lang`). */
function languagesOf(tree: Root): { element: Element; lang: string }[] {
  const found: { element: Element; lang: string }[] = [];
  const walk = (node: Root | Element, lang: string) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      const own = child.properties.lang;
      const childLang = typeof own === 'string' ? own : lang;
      found.push({ element: child, lang: childLang });
      walk(child, childLang);
    }
  };
  walk(tree, '');
  return found;
}

describe('an article in another language than the site', () => {
  it("has the theme's words in the site language and its own text in its own", async () => {
    const root = makeProject();
    copyIntoContent(root, path.join(repoRoot, 'content'), '.');
    const { outDir } = await buildProject(root, {
      overrides: { language: 'zh-CN', search: { enabled: false } },
    });
    const file = listFiles(outDir).find((name) => name.includes('chip-stocks-rally'))!;
    const found = languagesOf(readPage(outDir, file));
    const langOf = (test: (element: Element) => boolean) =>
      found.filter(({ element }) => test(element)).map(({ lang }) => lang);
    const hasClass = (name: string) => (element: Element) =>
      (element.properties.className as string[] | undefined)?.includes(name) ?? false;
    expect(langOf((element) => element.tagName === 'html')).toEqual(['en']);
    expect(langOf((element) => element.tagName === 'h1')).toEqual(['en']);
    for (const themeWords of ['skip-link', 'breadcrumbs', 'story__meta', 'prev-next__label']) {
      const langs = langOf(hasClass(themeWords));
      expect(langs.length, themeWords).toBeGreaterThan(0);
      expect(new Set(langs), themeWords).toEqual(new Set(['zh-CN']));
    }
  });
});

describe('the index pages of a site without terms', () => {
  it('say there are no tags or authors yet, not that there are no articles', async () => {
    const root = makeProject({
      'plain.md': '---\ntitle: A plain article\ndate: 2024-05-01 08:00\n---\n\n<p>Text.</p>\n',
    });
    const { outDir } = await buildProject(root, {
      overrides: { language: 'en', search: { enabled: false } },
    });
    const empty = (file: string) =>
      elements(readPage(outDir, file), (element) =>
        ((element.properties.className as string[] | undefined) ?? []).includes('empty'),
      ).map(textOf);
    expect(empty('tags/index.html')).toEqual(['No tags yet.']);
    expect(empty('authors/index.html')).toEqual(['No authors yet.']);
    expect(empty('categories/index.html')).toEqual(['No sections yet.']);
    expect(empty('index.html')).toEqual([]);
  });
});

describe('an article with no text', () => {
  it('has the site description in its social tags, as in its description meta', async () => {
    const root = makeProject({
      'photos.md':
        '---\ntitle: Photos of the day\ndate: 2024-05-01 08:00\n---\n\n<p><img src="https://example.com/a.jpg"></p>\n',
    });
    const { outDir } = await buildProject(root, {
      overrides: { description: 'Daily news archive', search: { enabled: false } },
    });
    const file = listFiles(outDir).find((name) => name.includes('photos'))!;
    const metas = elements(readPage(outDir, file), (element) => element.tagName === 'meta');
    const content = (key: string) =>
      metas.find((meta) => meta.properties.name === key || meta.properties.property === key)
        ?.properties.content;
    for (const key of ['description', 'og:description', 'twitter:description'])
      expect(content(key), key).toBe('Daily news archive');
  });
});
