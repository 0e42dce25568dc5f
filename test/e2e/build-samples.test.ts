import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HtmlValidate } from 'html-validate';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuildResult } from '../../src/build.ts';
import {
  buildProject,
  copyIntoContent,
  elements,
  fileForHref,
  hasShared,
  listFiles,
  makeProject,
  readPage,
  repoRoot,
  seedFile,
  sharedDir,
  textOf,
} from '../helpers.ts';

/** Every href, src and form action in the site points at a file the build wrote. */
function brokenLocalLinks(outDir: string, basePath: string): string[] {
  const broken = new Set<string>();
  // Scanning the serialized attributes is enough here (the output's quoting is our own) and
  // is an order of magnitude faster than parsing thousands of pages.
  const attribute = /\s(?:href|src|action)="([^"]*)"/g;
  for (const file of listFiles(outDir).filter((name) => name.endsWith('.html'))) {
    const html = readFileSync(path.join(outDir, file), 'utf8');
    for (const match of html.matchAll(attribute)) {
      const value = match[1]!.replace(/&amp;/g, '&');
      const target = fileForHref(value, basePath);
      if (target !== undefined && !existsSync(path.join(outDir, target)))
        broken.add(`${file} → ${value}`);
    }
  }
  return [...broken];
}

describe.skipIf(!hasShared)('building the seed article', () => {
  let result: BuildResult;
  let outDir: string;

  beforeAll(async () => {
    const root = makeProject();
    copyIntoContent(root, seedFile);
    result = await buildProject(root);
    outDir = result.outDir;
  });

  it('builds it without errors', () => {
    expect(result.ok).toBe(true);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.report).toMatchObject({ inputFiles: 1, built: 1 });
  });

  it('shows title, date in Asia/Shanghai, three linked category levels and the author', () => {
    const files = listFiles(outDir).filter((file) => file.startsWith('2022/04/04/'));
    expect(files).toEqual(['2022/04/04/guancha-2022-04-04/index.html']);
    const page = readPage(outDir, files[0]!);
    expect(textOf(elements(page, (e) => e.tagName === 'h1')[0]!)).toBe(
      '乌方：正与中国进行安全保障问题谈判，但…',
    );
    const time = elements(page, (e) => e.tagName === 'time')[0]!;
    expect(textOf(time)).toContain('2022-04-04 23:12');
    expect(String(time.properties.dateTime)).toBe('2022-04-04T23:12:14+08:00');
    const categoryHrefs = new Set(
      elements(
        page,
        (e) => e.tagName === 'a' && String(e.properties.href).startsWith('/categories/'),
      ).map((e) => String(e.properties.href)),
    );
    for (const trail of ['新媒体/', '新媒体/观察者网/', '新媒体/观察者网/头条/']) {
      expect(categoryHrefs).toContain(
        `/categories/${trail.split('/').map(encodeURIComponent).join('/')}`,
      );
    }
    const authorLink = elements(
      page,
      (e) => e.tagName === 'a' && String(e.properties.href).startsWith('/authors/'),
    )[0];
    expect(textOf(authorLink!)).toBe('观察者网');
  });

  it('lists it on its author page and every category level', () => {
    for (const file of [
      'authors/观察者网/index.html',
      'categories/新媒体/index.html',
      'categories/新媒体/观察者网/index.html',
      'categories/新媒体/观察者网/头条/index.html',
      'index.html',
      'archives/2022/04/index.html',
    ]) {
      const html = readFileSync(path.join(outDir, file), 'utf8');
      expect(html, file).toContain('/2022/04/04/guancha-2022-04-04/');
    }
  });

  it('keeps the images with no-referrer and shows the cover once', () => {
    const page = readPage(outDir, '2022/04/04/guancha-2022-04-04/index.html');
    const images = elements(
      page,
      (e) => e.tagName === 'img' && String(e.properties.src).includes('guancha.cn'),
    );
    expect(images.length).toBeGreaterThanOrEqual(2);
    for (const image of images) expect(image.properties.referrerPolicy).toBe('no-referrer');
    const cover = images.filter((image) =>
      String(image.properties.src).endsWith('20220404150436396.jpg'),
    );
    expect(cover).toHaveLength(1);
  });

  it('writes valid HTML', async () => {
    const validator = new HtmlValidate({
      extends: ['html-validate:standard'],
      rules: { 'no-inline-style': 'off', 'long-title': 'off', 'no-trailing-whitespace': 'off' },
    });
    for (const file of listFiles(outDir).filter((name) => name.endsWith('.html'))) {
      const report = await validator.validateString(
        readFileSync(path.join(outDir, file), 'utf8'),
        file,
      );
      const messages = report.results.flatMap((r) =>
        r.messages.map((m) => `${file}:${m.line} ${m.ruleId} ${m.message}`),
      );
      expect(messages, file).toEqual([]);
    }
  });
});

describe.skipIf(!hasShared)('building the real corpus samples', () => {
  // The whole corpus at the root; the smaller Hexo sample again under a sub-path.
  for (const [basePath, samples] of [
    ['/', ['rsshub-page', 'be4-waimei']],
    ['/news/', ['rsshub-page']],
  ] as const) {
    describe(`${samples.join(' + ')} under ${basePath}`, () => {
      let result: BuildResult;

      beforeAll(async () => {
        const root = makeProject();
        for (const sample of samples)
          copyIntoContent(root, path.join(sharedDir, 'corpus/real', sample));
        copyIntoContent(root, seedFile);
        result = await buildProject(root, {
          overrides: { baseUrl: `https://example.org${basePath}` },
        });
      }, 300_000);

      it('accounts for every input file', () => {
        const { report } = result;
        const sampleSizes = { 'rsshub-page': 175, 'be4-waimei': 1996 };
        expect(report.inputFiles).toBe(
          1 + samples.reduce((sum, sample) => sum + sampleSizes[sample], 0),
        );
        expect(
          report.built + report.duplicates.length + report.drafts.length + report.failed.length,
        ).toBe(report.inputFiles);
        // be4-waimei holds the same stories scraped twice, on purpose.
        if ((samples as readonly string[]).includes('be4-waimei'))
          expect(report.duplicates.length).toBeGreaterThan(0);
        for (const failure of report.failed) {
          expect(
            result.diagnostics.some((d) => d.file === failure.file && d.severity === 'error'),
          ).toBe(true);
        }
      });

      it('puts every built article on exactly one page', () => {
        const articlePages = listFiles(result.outDir).filter((file) =>
          /^(\d{4}|0\d{3})\/\d\d\/\d\d\//.test(file),
        );
        expect(articlePages.length).toBe(result.report.built);
        expect(result.pages.article).toBe(result.report.built);
      });

      it('leaves no internal link or image broken', () => {
        expect(brokenLocalLinks(result.outDir, basePath)).toEqual([]);
      });

      it('writes no script of the input, no handler, no javascript: URL, and only safe images', () => {
        const problems: string[] = [];
        for (const file of listFiles(result.outDir).filter((name) => name.endsWith('.html'))) {
          const html = readFileSync(path.join(result.outDir, file), 'utf8');
          for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
            if (!/type="application\/ld\+json"|src="[^"]*\/(assets|pagefind)\//.test(tag))
              problems.push(`${file}: ${tag}`);
          }
          // Inside tags only: escaped text may mention "onerror=" harmlessly.
          for (const [tag] of html.matchAll(/<[a-z][^<>]*>/gi)) {
            if (/\son[a-z]+\s*=/i.test(tag))
              problems.push(`${file}: handler in ${tag.slice(0, 120)}`);
            if (/=\s*"\s*(javascript|vbscript):/i.test(tag))
              problems.push(`${file}: script URL in ${tag.slice(0, 120)}`);
          }
          for (const [img] of html.matchAll(/<img\b[^>]*>/gi)) {
            const src = /\ssrc="([^"]*)"/.exec(img)?.[1] ?? '';
            const local = src.startsWith(basePath);
            if (!local && !src.startsWith('https://')) problems.push(`${file}: image ${src}`);
            if (!local && !img.includes('referrerpolicy="no-referrer"'))
              problems.push(`${file}: referrer ${img}`);
          }
        }
        expect(problems.slice(0, 20)).toEqual([]);
      });
    });
  }
});

describe('building the sample content of the repository', () => {
  it('builds every sample article and page type', async () => {
    const root = makeProject();
    copyIntoContent(root, path.join(repoRoot, 'content'), '.');
    const result = await buildProject(root, {
      overrides: { publicDir: path.join(repoRoot, 'public'), baseUrl: '/news/' },
    });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.report.built).toBeGreaterThanOrEqual(10);
    for (const kind of [
      'article',
      'home',
      'category',
      'author',
      'tag',
      'archive',
      'categories',
      'authors',
      'tags',
      'archives',
      '404',
    ]) {
      expect(result.pages[kind as keyof typeof result.pages], kind).toBeGreaterThan(0);
    }
    expect(brokenLocalLinks(result.outDir, '/news/')).toEqual([]);

    // The page bundle's chart, saved beside its article, is published with it; its old URL
    // leads there.
    const bundle = readPage(result.outDir, '2025/12/04/river-port-throughput/index.html');
    expect(
      elements(bundle, (e) => e.tagName === 'img').map((image) => image.properties.src),
    ).toContain('/news/media/content/river-port-throughput/throughput.png');
    expect(
      readFileSync(path.join(result.outDir, 'media/content/river-port-throughput/throughput.png'))
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect(
      readFileSync(path.join(result.outDir, '2025/12/port-throughput/index.html'), 'utf8'),
    ).toContain('url=/news/2025/12/04/river-port-throughput/');

    // Article pages send no Referer for what their bodies load (video posters and audio
    // have no referrerpolicy attribute); list pages need not.
    const referrerPolicy = (file: string) =>
      elements(readPage(result.outDir, file), (e) => e.tagName === 'meta')
        .filter((meta) => meta.properties.name === 'referrer')
        .map((meta) => meta.properties.content);
    const articlePage = listFiles(result.outDir).find((file) =>
      /^\d{4}\/\d\d\/\d\d\/.+\/index\.html$/.test(file),
    )!;
    expect(referrerPolicy(articlePage)).toEqual(['no-referrer']);
    expect(referrerPolicy('index.html')).toEqual([]);

    // A month's archive page leads back to its year's.
    const month = listFiles(result.outDir).find((file) =>
      /^archives\/\d{4}\/\d\d\/index\.html$/.test(file),
    )!;
    const year = month.slice('archives/'.length, 'archives/'.length + 4);
    const crumbs = elements(readPage(result.outDir, month), (e) => e.tagName === 'nav')
      .filter((nav) => String(nav.properties.className).includes('breadcrumbs'))
      .flatMap((nav) => elements({ type: 'root', children: [nav] }, (e) => e.tagName === 'a'))
      .map((link) => String(link.properties.href));
    expect(crumbs).toContain(`/news/archives/${year}/`);
  });

  it('shows every date, the home page\'s "updated" too, in dateFormat', async () => {
    const root = makeProject();
    copyIntoContent(root, path.join(repoRoot, 'content'), '.');
    const result = await buildProject(root, {
      overrides: { dateFormat: "yyyy'年'M'月'd'日'", search: { enabled: false } },
    });
    const home = readPage(result.outDir, 'index.html');
    const times = elements(home, (element) => element.tagName === 'time').map(textOf);
    expect(times.length).toBeGreaterThan(1);
    for (const time of times) expect(time).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/);

    // Day names in the site's language, whatever the machine's.
    const named = await buildProject(root, {
      overrides: { dateFormat: 'EEEE', search: { enabled: false } },
    });
    const days = elements(readPage(named.outDir, 'index.html'), (e) => e.tagName === 'time');
    for (const time of days.map(textOf)) expect(time).toMatch(/^星期[一二三四五六日]$/);
  });

  it('says "1 article" in English, not "1 articles"', async () => {
    const root = makeProject();
    copyIntoContent(root, path.join(repoRoot, 'content'), '.');
    const result = await buildProject(root, {
      overrides: { language: 'en', search: { enabled: false } },
    });
    const counts = ['authors/index.html', 'archives/index.html'].flatMap((file) =>
      elements(readPage(result.outDir, file), (e) =>
        String(e.properties.className).includes('count'),
      ).map(textOf),
    );
    expect(counts).toContain('1 article');
    expect(counts.filter((count) => /^1 articles$/.test(count))).toEqual([]);
  });

  it('links no search page when search is off', async () => {
    const root = makeProject();
    copyIntoContent(root, path.join(repoRoot, 'content'), '.');
    const result = await buildProject(root, {
      overrides: { baseUrl: '/news/', search: { enabled: false } },
    });
    expect(existsSync(path.join(result.outDir, 'search', 'index.html'))).toBe(false);
    expect(brokenLocalLinks(result.outDir, '/news/')).toEqual([]);
    const notFound = readPage(result.outDir, '404.html');
    expect(elements(notFound, (element) => element.tagName === 'form')).toEqual([]);
    expect(textOf(notFound)).not.toMatch(/搜索/);
    const home = readPage(result.outDir, 'index.html');
    expect(
      elements(home, (element) => /search/.test(String(element.properties.className))),
    ).toEqual([]);
  });
});
