import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/cli/report.ts';
import { DEFAULT_TEMPLATES_DIR, describeTemplateError } from '../../src/render/environment.ts';
import { buildProject, generatedProject } from '../helpers.ts';

describe('describeTemplateError', () => {
  const user = '/my project/templates';
  const searchPaths = [user, DEFAULT_TEMPLATES_DIR];

  it('names the innermost template of the chain, and its line only', () => {
    const raw = `(${DEFAULT_TEMPLATES_DIR}/article.njk) Template render error: (${DEFAULT_TEMPLATES_DIR}/article.njk) [Line 27, Column 3] Template render error: (${user}/partials/footer.njk) [Line 1, Column 15] unexpected token: %}`;
    expect(describeTemplateError(new Error(raw), searchPaths)).toEqual({
      file: 'templates/partials/footer.njk',
      line: 1,
      message: 'unexpected token: %}',
    });
  });

  it('gives no line of an outer template to an error in an included one', () => {
    const raw = `(${user}/page.njk)\n  Template render error: (${user}/page.njk) [Line 4, Column 2]\n  Template render error: (${user}/inc.njk)\n  Error: filter not found: nosuch`;
    expect(describeTemplateError(new Error(raw), searchPaths)).toEqual({
      file: 'templates/inc.njk',
      message: 'filter not found: nosuch',
    });
  });

  it('counts the lines of errors thrown while rendering from 1, and names theme files', () => {
    const raw = `(${DEFAULT_TEMPLATES_DIR}/page2.njk) [Line 2, Column 16]\n  Error: Unable to call \`article["title"]\`, which is not a function`;
    expect(describeTemplateError(new Error(raw), searchPaths)).toEqual({
      file: 'default theme: page2.njk',
      line: 3,
      message: 'Unable to call `article["title"]`, which is not a function',
    });
  });
});

describe('an error Nunjucks wraps as if in the last template included before it', () => {
  const project = mkdtempSync(path.join(os.tmpdir(), 'gazette-templates-'));
  const page = path.join(project, 'templates', 'page.njk');
  const partial = path.join(project, 'templates', 'partials', 'crumbs.njk');
  mkdirSync(path.dirname(partial), { recursive: true });
  writeFileSync(partial, '<nav>{{ trail | join(", ") }}</nav>\n');
  writeFileSync(
    page,
    '{% extends "base.njk" %}\n{% block main %}\n{% include "partials/crumbs.njk" %}\n<h1>{{ article.title | nosuchfilter }}</h1>\n<p>{{ article["title"].foo() }}</p>\n{% endblock %}\n',
  );
  const searchPaths = [path.join(project, 'templates'), DEFAULT_TEMPLATES_DIR];
  afterAll(() => rmSync(project, { recursive: true, force: true }));
  // As Nunjucks words it: the finished include innermost, a line of the block's start.
  const chain = (error: string) =>
    `(${page})\n  Template render error: (${page}) [Line 1, Column 3]\n  Template render error: (${page})\n  Template render error: (${partial})\n  Error: ${error}`;

  it('names the line that applies an unknown filter', () => {
    expect(
      describeTemplateError(new Error(chain('filter not found: nosuchfilter')), searchPaths),
    ).toEqual({
      file: path.join('templates', 'page.njk'),
      line: 4,
      message: 'filter not found: nosuchfilter',
    });
  });

  it('names the line that calls what is not a function', () => {
    const message = 'Unable to call `article["title"]["foo"]`, which is undefined or falsey';
    expect(describeTemplateError(new Error(chain(message)), searchPaths)).toEqual({
      file: path.join('templates', 'page.njk'),
      line: 5,
      message,
    });
  });

  it('passes over comments and macro definitions', () => {
    const macros = path.join(project, 'templates', 'partials', 'macros.njk');
    writeFileSync(macros, '{% macro badge(a) %}<b>{{ a }}</b>{% endmacro %}\n');
    const other = path.join(project, 'templates', 'other.njk');
    writeFileSync(
      other,
      '{# a note: | shout,\n   badge(x) #}\n{% include "partials/macros.njk" %}\n<p>{{ badge(article) }}</p>\n<p>{{ article.title | shout }}</p>\n',
    );
    const raw = (error: string) =>
      `(${other})\n  Template render error: (${other})\n  Template render error: (${macros})\n  Error: ${error}`;
    expect(describeTemplateError(new Error(raw('filter not found: shout')), searchPaths)).toEqual({
      file: path.join('templates', 'other.njk'),
      line: 5,
      message: 'filter not found: shout',
    });
    const call = 'Unable to call `badge`, which is undefined or falsey';
    expect(describeTemplateError(new Error(raw(call)), searchPaths)).toEqual({
      file: path.join('templates', 'other.njk'),
      line: 4,
      message: call,
    });
  });

  it('names a theme file by its place in the theme, whatever the folder path is spelled like', () => {
    const raw = `(${path.resolve(DEFAULT_TEMPLATES_DIR, 'partials', 'footer.njk')}) [Line 1, Column 15] unexpected token: %}`;
    expect(describeTemplateError(new Error(raw), searchPaths).file).toBe(
      `default theme: ${path.join('partials', 'footer.njk')}`,
    );
  });
});

describe('a broken included template', () => {
  it('fails the pages that include it, naming it, instead of stopping the build', async () => {
    const { root } = generatedProject({ count: 6, seed: 3, config: 'search:\n  enabled: false\n' });
    mkdirSync(path.join(root, 'templates', 'partials'), { recursive: true });
    const footer = readFileSync(path.join(DEFAULT_TEMPLATES_DIR, 'partials', 'footer.njk'), 'utf8');
    writeFileSync(path.join(root, 'templates', 'partials', 'footer.njk'), `${footer}\n{% if %}\n`);
    const result = await buildProject(root);
    expect(result.ok).toBe(false);
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error.file).toBe(path.join('templates', 'partials', 'footer.njk'));
      expect(error.line).toBe(footer.split('\n').length + 1);
      expect(error.message).toMatch(/unexpected token/);
    }
    // The summary does not make the articles look broken.
    expect(formatSummary(result).split('\n')[0]).toBe(
      '6 files: 0 built, 6 not rendered (template error)',
    );
  });
});

describe("a broken copy of the theme's words (partials/strings.njk)", () => {
  const strings = readFileSync(path.join(DEFAULT_TEMPLATES_DIR, 'partials', 'strings.njk'), 'utf8');
  const lines = strings.split('\n');
  const firstWord = lines.findIndex((line) => /^\s*\w+: '/.test(line));
  it.each([
    ['that does not compile', firstWord, `${lines[firstWord]} oops`],
    ['that fails when run', 5, `{%- set broken = site.nothing.call() -%}\n${lines[5]}`],
  ])('is named as the fault, %s, not the pages using it', async (_, index, broken) => {
    const { root } = generatedProject({ count: 4, seed: 5, config: 'search:\n  enabled: false\n' });
    mkdirSync(path.join(root, 'templates', 'partials'), { recursive: true });
    const edited = [...lines.slice(0, index), broken, ...lines.slice(index + 1)];
    writeFileSync(path.join(root, 'templates', 'partials', 'strings.njk'), edited.join('\n'));
    const result = await buildProject(root);
    expect(result.ok).toBe(false);
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors)
      expect(error.file).toBe(path.join('templates', 'partials', 'strings.njk'));
  });
});

describe('an error Nunjucks wraps in another template than the one at fault', () => {
  const article = readFileSync(path.join(DEFAULT_TEMPLATES_DIR, 'article.njk'), 'utf8');
  /** Builds with the theme's article template, `line` put after its first line. */
  async function failureOf(line: string, files: Record<string, string> = {}) {
    const { root } = generatedProject({ count: 3, seed: 7, config: 'search:\n  enabled: false\n' });
    mkdirSync(path.join(root, 'templates', 'partials'), { recursive: true });
    const [first, ...rest] = article.split('\n');
    writeFileSync(path.join(root, 'templates', 'article.njk'), [first, line, ...rest].join('\n'));
    for (const [name, text] of Object.entries(files))
      writeFileSync(path.join(root, 'templates', name), text);
    const result = await buildProject(root);
    expect(result.ok).toBe(false);
    return result.diagnostics.find((diagnostic) => diagnostic.severity === 'error')!;
  }

  it('names the macro file and line of an error in an imported macro', async () => {
    const error = await failureOf(
      '{% import "partials/macros.njk" as m %}{{ m.badge(article.title) }}',
      {
        'partials/macros.njk':
          '{% macro badge(t) %}\n<b>{{ t }}</b>\n{{ t.missing() }}\n{% endmacro %}\n',
      },
    );
    expect(error).toMatchObject({
      file: path.join('templates', 'partials', 'macros.njk'),
      line: 3,
    });
  });

  it('names the line that includes a file that is not there', async () => {
    const error = await failureOf('{% include "partials/nope.njk" %}');
    expect(error).toMatchObject({ file: path.join('templates', 'article.njk'), line: 2 });
    expect(error.message).toMatch(/template not found: partials\/nope\.njk/);
  });

  it('names the line that changes a read-only list in place', async () => {
    const error = await failureOf('{% set _ = article.tags.push({ name: "x" }) %}');
    expect(error).toMatchObject({ file: path.join('templates', 'article.njk'), line: 2 });
    expect(error.message).toMatch(/read-only/);
  });
});
