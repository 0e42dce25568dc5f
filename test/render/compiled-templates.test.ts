import { createHash } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UrlBuilder } from '../../src/collect/urls.ts';
import { defaultConfig } from '../../src/config/schema.ts';
import { createTemplateEnvironment } from '../../src/render/environment.ts';
import { renderTemplate } from '../../src/render/render.ts';

const config = defaultConfig();

/** A theme folder with one page template, and a build cache beside it. */
function theme(page: string) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gazette-compiled-'));
  const templatesDir = path.join(root, 'templates');
  mkdirSync(templatesDir);
  writeFileSync(path.join(templatesDir, 'page.njk'), page);
  return { templatesDir, compiledDir: path.join(root, 'cache', 'templates') };
}

/** The compiled file of a template (the theme's words are compiled beside it). */
function compiledFile(dirs: { compiledDir: string }, name = 'page.njk'): string {
  return path.join(dirs.compiledDir, `${createHash('sha1').update(name).digest('hex')}.js`);
}

function render(dirs: { templatesDir: string; compiledDir?: string }, context = {}) {
  const { env, searchPaths } = createTemplateEnvironment({
    config,
    urls: new UrlBuilder('/'),
    userTemplatesDir: dirs.templatesDir,
    ...(dirs.compiledDir ? { compiledTemplatesDir: dirs.compiledDir } : {}),
  });
  return renderTemplate(env, searchPaths, 'page.njk', context);
}

describe('templates kept compiled in the build cache', () => {
  it('renders the same as compiling afresh, and is read back by the next environment', () => {
    const dirs = theme('<p>{{ who }} {% for n in [1, 2] %}{{ n }}{% endfor %}</p>');
    const fresh = render({ templatesDir: dirs.templatesDir }, { who: '<b>' });
    expect(fresh).toEqual({ ok: true, html: '<p>&lt;b&gt; 12</p>' });
    expect(render(dirs, { who: '<b>' })).toEqual(fresh);
    // The next environment takes the code from the file: a marked copy shows it was used.
    const compiled = compiledFile(dirs);
    const code = readFileSync(compiled, 'utf8');
    writeFileSync(compiled, code.replace('"<p>"', '"<p data-cached>"'));
    expect(render(dirs, { who: 'x' })).toEqual({ ok: true, html: '<p data-cached>x 12</p>' });

    // Code others may write is not run: the template is compiled again.
    chmodSync(compiled, 0o666);
    expect(render(dirs, { who: 'x' })).toEqual({ ok: true, html: '<p>x 12</p>' });
  });

  it('reports an error raised while rendering at the same file and line from a warm cache', () => {
    const dirs = theme('{% extends "base.njk" %}{% block main %}\n\n{{ title() }}{% endblock %}');
    writeFileSync(
      path.join(dirs.templatesDir, 'base.njk'),
      '<main>{% block main %}{% endblock %}</main>',
    );
    const fresh = render({ templatesDir: dirs.templatesDir }, { title: 'not a function' });
    expect(fresh).toMatchObject({ ok: false, file: expect.stringContaining('page.njk') });
    expect(fresh.ok === false && fresh.line).toBeGreaterThan(1);
    expect(render(dirs, { title: 'not a function' })).toEqual(fresh);
    expect(readdirSync(dirs.compiledDir)).toContain(path.basename(compiledFile(dirs)));
    expect(render(dirs, { title: 'not a function' })).toEqual(fresh);
  });

  it('compiles a template again when it is edited', () => {
    const dirs = theme('<p>first</p>');
    expect(render(dirs)).toEqual({ ok: true, html: '<p>first</p>' });
    writeFileSync(path.join(dirs.templatesDir, 'page.njk'), '<p>second</p>');
    expect(render(dirs)).toEqual({ ok: true, html: '<p>second</p>' });
    // One file per template, replaced.
    expect(readdirSync(dirs.compiledDir).filter((name) => name.endsWith('.js'))).toHaveLength(2);
    expect(readFileSync(compiledFile(dirs), 'utf8')).toContain('second');
  });

  it('compiles again over a damaged file, and reports template errors as Nunjucks does', () => {
    const dirs = theme('<p>{{ 1 + 1 }}</p>');
    render(dirs);
    writeFileSync(compiledFile(dirs), 'garbage');
    expect(render(dirs)).toEqual({ ok: true, html: '<p>2</p>' });

    const broken = theme('<p>\n{% if %}</p>');
    const expected = render({ templatesDir: broken.templatesDir });
    expect(expected.ok).toBe(false);
    expect(render(broken)).toEqual(expected);
    expect(render(broken)).toEqual(expected);
  });

  it('builds without the cache when its folder cannot be written', () => {
    const dirs = theme('<p>ok</p>');
    writeFileSync(path.join(path.dirname(dirs.compiledDir)), 'a file where the folder would be');
    expect(render(dirs)).toEqual({ ok: true, html: '<p>ok</p>' });
  });
});
