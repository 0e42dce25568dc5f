/**
 * Property-based: whatever front matter and body a scraper writes, load → transform → collect
 * never throws, every page of the site maps to a file inside the output folder, and the
 * sanitized HTML is a fixed point of the transform (sanitizing it again changes nothing).
 */

import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { Element } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import yaml from 'js-yaml';
import { visit } from 'unist-util-visit';
import { afterAll, describe, expect, it } from 'vitest';
import { collectSite } from '../../src/collect/site.ts';
import { outputFileFor } from '../../src/collect/urls.ts';
import { defaultConfig } from '../../src/config/schema.ts';
import { loadArticle } from '../../src/load/article.ts';
import { FIELD_ALIASES } from '../../src/load/fields.ts';
import { numberedPagePath } from '../../src/render/pagination.ts';
import { createBodyTransformer } from '../../src/transform/index.ts';
import { makeTempFolder } from '../temp-folders.ts';

const folder = makeTempFolder('gazette-property-');
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const config = defaultConfig();
const transform = createBodyTransformer(config);
const outDir = path.join(folder, 'site');

/** Text a scraper could put anywhere: path pieces, markup, controls, bidi marks, CJK, emoji. */
const nastyPiece = fc.constantFrom(
  '..',
  '.',
  '/',
  '\\',
  '../../',
  '/etc/passwd',
  'C:\\x',
  '%2e%2e',
  '%2F',
  'con',
  'AUX.html',
  'index.html',
  'page',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u202e',
  '\u200b',
  '\u00a0',
  'e\u0301',
  '\u00e9',
  '🗞️',
  '中文',
  '新闻',
  '\n',
  '\t',
  '"',
  "'",
  ':',
  '#',
  '- ',
  '{{ x }}',
  '{% raw %}',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '&lt;',
  '&#0;',
  '__proto__',
  'constructor',
);
const nastyText = fc
  .array(fc.oneof(nastyPiece, fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme' })), {
    maxLength: 8,
  })
  .map((pieces) => pieces.join(''));

const scalar = fc.oneof(
  nastyText,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom('Invalid Date', 'Mon, 04 Apr 2022 15:12:14 GMT', '9999-12-31', '1e20', '-1'),
);
const value = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(nastyText, tie('value'), { maxKeys: 3 }),
  ),
})).value;

const knownKeys = Object.values(FIELD_ALIASES).flat();
const frontMatter = fc.dictionary(
  fc.oneof(fc.constantFrom(...knownKeys, '__proto__', 'constructor'), nastyText),
  value,
  { maxKeys: 10 },
);

const bodyPiece = fc.oneof(
  nastyPiece,
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    '<p>',
    '</p>',
    '<div>',
    '</div>',
    '<a href="javascript:alert(1)">',
    '<a href="/rel">',
    '</a>',
    '<img data-src="//cdn.example/a.jpg" src="data:image/gif;base64,R0lGOD">',
    '<img srcset="a.jpg 1x, b.jpg 2x">',
    '<iframe src="https://www.youtube.com/embed/x"></iframe>',
    '<iframe src="https://evil.example/"></iframe>',
    '<svg><script>alert(1)</script></svg>',
    '<math><mi xlink:href="javascript:alert(1)">',
    '<style>body{}</style>',
    '<noscript><img src="a.jpg"></noscript>',
    '<table><tr><td>',
    '<h1>',
    '</h1>',
    '<!--',
    '-->',
    '<![CDATA[',
    ']]>',
    '<template>',
    '<select><option>',
    '<p align="center">',
    '# ',
    '> ',
    '------\n',
    '[link](javascript:alert(1))',
    '![img](http://a.example/x.png)',
    '```\n',
  ),
);
const body = fc.array(bodyPiece, { maxLength: 30 }).map((pieces) => pieces.join(''));

/** The text of a content file: YAML written by a library, by string concatenation, or none. */
const fileText = fc.oneof(
  fc.tuple(frontMatter, body).map(([data, text]) => {
    let matter: string;
    try {
      matter = yaml.dump(data, { skipInvalid: true });
    } catch {
      matter = '';
    }
    return `---\n${matter}---\n${text}`;
  }),
  fc
    .tuple(fc.array(fc.tuple(fc.constantFrom(...knownKeys), nastyText), { maxLength: 8 }), body)
    .map(
      ([entries, text]) =>
        `\n---\n${entries.map(([key, raw]) => `${key}: ${raw}`).join('\n')}\n---\n${text}`,
    ),
  body,
);

const fileName = fc
  .tuple(nastyText, fc.constantFrom('.md', '.html', '.markdown', '.htm'))
  .map(([stem, extension]) => `${stem.replace(/[/\\\0]/g, '_').slice(0, 60)}${extension}`);

/** Script elements, event handler attributes and script URLs left in sanitized HTML. */
function unsafeMarkup(html: string): string[] {
  const found: string[] = [];
  visit(fromHtml(html, { fragment: true }), 'element', (element: Element) => {
    if (['script', 'style', 'object', 'embed'].includes(element.tagName))
      found.push(element.tagName);
    for (const [name, value] of Object.entries(element.properties)) {
      if (/^on/i.test(name)) found.push(name);
      const text = String(value)
        .replace(/[\s\u0000-\u001f]/g, '')
        .toLowerCase();
      if (/^(javascript|vbscript|data:text\/html)/.test(text)) found.push(`${name}=${value}`);
    }
  });
  return found;
}

let counter = 0;
function loadFile(name: string, text: string) {
  const relativePath = `${counter++}/${name}`;
  const absolutePath = path.join(folder, `${counter}.md`);
  writeFileSync(absolutePath, text);
  return loadArticle({ absolutePath, relativePath }, config);
}

function sitePaths(site: ReturnType<typeof collectSite>): string[] {
  return [
    ...site.articles.map((article) => article.path),
    ...site.categories.map((node) => node.path),
    ...site.authors.map((term) => term.path),
    ...site.tags.map((term) => term.path),
    ...site.archives.flatMap((year) => [year.path, ...year.months.map((month) => month.path)]),
    ...site.categories.map((node) => numberedPagePath(node.path, 2)),
  ];
}

describe('any front matter and body', () => {
  it('loads, transforms and collects without throwing, into paths inside the output folder', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fileName, fileText), { minLength: 1, maxLength: 6 }),
        (files) => {
          const inputs = [];
          for (const [name, text] of files) {
            const outcome = loadFile(name, text);
            for (const diagnostic of outcome.diagnostics) {
              expect(diagnostic.file).toContain(name);
              expect(diagnostic.message.length).toBeGreaterThan(0);
            }
            if (!outcome.article) {
              expect(outcome.diagnostics.some((d) => d.severity === 'error')).toBe(true);
              continue;
            }
            const { body: transformed } = transform(outcome.article);
            inputs.push({ loaded: outcome.article, body: transformed });
          }
          const site = collectSite(inputs, config);
          const paths = sitePaths(site);
          for (const sitePath of paths) {
            const file = outputFileFor(outDir, sitePath);
            expect(file, sitePath).toBeDefined();
            expect(path.relative(outDir, file!).startsWith('..')).toBe(false);
            for (const segment of sitePath.split('/'))
              expect(Buffer.byteLength(segment)).toBeLessThan(256);
          }
          // Distinct articles never share a page, even on case-insensitive hosts.
          const articlePaths = site.articles.map((article) => article.path.toLowerCase());
          expect(new Set(articlePaths).size).toBe(articlePaths.length);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
      { numRuns: 500 },
    );
  });

  it('sanitizes to a fixed point: the transform of transformed HTML is the same HTML', () => {
    fc.assert(
      fc.property(
        body,
        fc.constantFrom<'html' | 'markdown'>('html', 'markdown'),
        (text, format) => {
          const article = {
            sourcePath: path.join(folder, 'a.md'),
            relativePath: 'a.md',
            title: 'T',
            date: new Date(0),
            categories: [],
            tags: [],
            authors: [],
            slug: 'a',
            draft: false,
            format,
            // Decoding turns every CR into LF before a body reaches the transform.
            body: text.replace(/\r\n?/g, '\n'),
            bodyLine: 1,
            extra: {},
            contentHash: '',
            sourceUrl: 'https://news.example/a/b.html',
          };
          const once = transform(article).body.html;
          const twice = transform({ ...article, body: once, format: 'html' }).body.html;
          expect(twice).toBe(once);
          expect(unsafeMarkup(once)).toEqual([]);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
