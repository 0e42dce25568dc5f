import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildExtension, BuildOptions } from '../../src/build.ts';
import { defaultConfig } from '../../src/config/schema.ts';
import { RenderHelper } from '../../src/parallel/render-helper.ts';
import { DEFAULT_TEMPLATES_DIR } from '../../src/render/environment.ts';
import { buildProject, generatedProject, listFiles } from '../helpers.ts';

// Under a sub-path: the helper thread gives bodies' local links the base path too.
const CONFIG =
  'title: Helper test\nbaseUrl: https://example.org/news/\nsearch:\n  enabled: false\n';

/** The same generated corpus in a project of its own each time. */
function corpusProject(): { root: string; files: string[] } {
  return generatedProject({ count: 80, seed: 11, config: CONFIG });
}

/** The corpus with one theme file replaced: `edit` is given the default theme's. */
function withTemplate(name: string, edit: (theme: string) => string): string {
  const { root } = corpusProject();
  mkdirSync(path.join(root, 'templates'), { recursive: true });
  const theme = readFileSync(path.join(DEFAULT_TEMPLATES_DIR, name), 'utf8');
  writeFileSync(path.join(root, 'templates', name), edit(theme));
  return root;
}

function snapshot(outDir: string): Map<string, string> {
  return new Map(
    listFiles(outDir).map((file) => [file, readFileSync(path.join(outDir, file), 'utf8')]),
  );
}

/** Records the HTML each page was handed to extensions with, in order. */
function pageRecorder(): { extension: BuildExtension; seen: [string, string][] } {
  const seen: [string, string][] = [];
  return {
    seen,
    extension: {
      name: 'recorder',
      pageRendered(spec, html) {
        seen.push([spec.sitePath, html()]);
      },
    },
  };
}

async function buildWith(root: string, renderHelper: BuildOptions['renderHelper']) {
  const recorder = pageRecorder();
  const result = await buildProject(root, { renderHelper, extensions: [recorder.extension] });
  return { result, seen: recorder.seen };
}

describe('the render helper thread', () => {
  it('gives the same files, extension input and report as the main thread alone', async () => {
    const alone = await buildWith(corpusProject().root, 'never');
    const helped = await buildWith(corpusProject().root, 'always');
    expect(alone.result.ok).toBe(true);
    expect(alone.result.cache.pagesRenderedByHelper).toBe(0);
    // The helper took a share of the pages (how many depends on the two threads' speeds).
    expect(helped.result.cache.pagesRenderedByHelper).toBeGreaterThan(0);
    expect(helped.result.cache.pagesRendered).toBe(alone.result.cache.pagesRendered);
    expect(snapshot(helped.result.outDir)).toEqual(snapshot(alone.result.outDir));
    // Pages reach extensions in the planned order, with the HTML written.
    expect(helped.seen).toEqual(alone.seen);
    expect(helped.result.report).toEqual(alone.result.report);
    expect(helped.result.pages).toEqual(alone.result.pages);
  });

  it('reports template errors of pages it rendered as the main thread does', async () => {
    // Fails for some articles only: calling something that is not a function.
    const withBrokenTemplate = () =>
      withTemplate('article.njk', (theme) =>
        theme.replace(
          '{% block main %}',
          '{% block main %}{% if article.readingMinutes > 3 %}{{ article.title() }}{% endif %}',
        ),
      );
    const aloneRoot = withBrokenTemplate();
    const helpedRoot = withBrokenTemplate();
    const alone = await buildWith(aloneRoot, 'never');
    const helped = await buildWith(helpedRoot, 'always');
    expect(alone.result.report.failed.length).toBeGreaterThan(0);
    expect(alone.result.report.failed.length).toBeLessThan(alone.result.report.inputFiles);
    expect(helped.result.cache.pagesRenderedByHelper).toBeGreaterThan(0);
    // Messages name the template files, in each project's own folder.
    const inProject = (root: string, value: unknown) =>
      JSON.stringify(value).replaceAll(root, '<project>');
    expect(inProject(helpedRoot, helped.result.report)).toBe(
      inProject(aloneRoot, alone.result.report),
    );
    expect(inProject(helpedRoot, helped.result.diagnostics)).toBe(
      inProject(aloneRoot, alone.result.diagnostics),
    );
    expect(helped.result.ok).toBe(false);
  });

  it('gives no template a way to change what later pages are rendered with', async () => {
    // Cards and the menu are shared by the pages one thread renders; the helper gets copies.
    // A theme reversing them in place would change the pages after it on the main thread only.
    const withMutatingTemplate = () =>
      withTemplate('home.njk', (theme) =>
        theme.replace(
          '{% block main %}',
          '{% block main %}<p id="order">{{ nav.reverse() | join(",", "name") }}</p>',
        ),
      );
    const alone = await buildWith(withMutatingTemplate(), 'never');
    const helped = await buildWith(withMutatingTemplate(), 'always');
    // The home page fails alike on both threads, naming its template and what to write instead.
    const errors = (result: typeof alone.result) =>
      result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    expect(errors(alone.result)).toHaveLength(1);
    expect(errors(alone.result)[0]).toMatchObject({
      file: 'templates/home.njk',
      message: expect.stringMatching(/TypeError.*read-only.*`\| reverse`/),
    });
    expect(errors(helped.result)).toEqual(errors(alone.result));
    expect(existsSync(path.join(alone.result.outDir, 'index.html'))).toBe(false);
    expect(snapshot(helped.result.outDir)).toEqual(snapshot(alone.result.outDir));
  });

  it('rewrites changed pages of an existing site like a cold build', async () => {
    const { root, files } = corpusProject();
    await buildWith(root, 'always');
    const changed = path.join(root, 'content', files[5]!);
    appendFileSync(changed, '\n<p>A correction, appended.</p>\n');
    const rebuilt = await buildWith(root, 'always');
    expect(rebuilt.result.cache.pagesRendered).toBeGreaterThan(0);

    const { root: fresh } = corpusProject();
    appendFileSync(path.join(fresh, 'content', files[5]!), '\n<p>A correction, appended.</p>\n');
    const cold = await buildWith(fresh, 'never');
    expect(snapshot(rebuilt.result.outDir)).toEqual(snapshot(cold.result.outDir));
  });
});

describe('RenderHelper', () => {
  const config = defaultConfig();

  it('renders a template in its thread and hands back pages it could not render', async () => {
    const helper = new RenderHelper({ config, templatesDir: DEFAULT_TEMPLATES_DIR });
    try {
      await helper.started;
      const answer = await helper.offer('404.njk', {
        site: { title: 'T', language: 'en' },
        page: { title: 'Not here', lang: 'en', meta: {} },
        nav: [],
        assets: {},
      });
      expect(answer?.result.ok).toBe(true);
      expect(answer?.result.ok && answer.result.html).toContain('Not here');

      // A write that fails for another reason than a clash names its file and keeps its code,
      // for the CLI to explain (a full disk): sysfs takes no new files, even from root.
      const unwritable = '/sys/gazette-test.html';
      const failed = await helper.offer('404.njk', { page: { title: 'x', meta: {} } }, unwritable);
      expect(failed?.result.ok).toBe(true);
      expect(failed?.written).toBeUndefined();
      expect(failed?.writeError?.path).toBe(unwritable);
      expect(['EACCES', 'EROFS', 'EPERM']).toContain(failed?.writeError?.code);

      // Stopped with a page in hand: the caller is told to render it itself.
      const pending = helper.offer('404.njk', { page: { title: 'x', meta: {} } });
      expect(pending).toBeDefined();
      await helper.close();
      expect(await pending).toBeUndefined();
      expect(helper.offer('404.njk', {})).toBeUndefined();
    } finally {
      await helper.close();
    }
  });
});
