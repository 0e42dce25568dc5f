import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverContent, isArticleName } from '../../src/load/discover.ts';
import { buildProject, makeProject } from '../helpers.ts';

const post = (title: string) =>
  `---\ntitle: ${title}\ndate: 2021-04-18 10:00\n---\n\n<p>${title}.</p>\n`;

/** An archive moved from Jekyll, Hexo or Hugo, with the tools' own files beside the posts. */
const ARCHIVE: Record<string, string> = {
  '_posts/2021-04-18-harbour.md': post('Harbour'),
  '_drafts/wip.md': post('Work in progress'),
  '_layouts/default.html': '<html><title>{{ page.title }}</title>{{ content }}</html>\n',
  '_includes/footer.html': '<footer>{{ site.title }}</footer>\n',
  '_site/2021/04/18/harbour.html': '<html><body>built copy</body></html>\n',
  'post/section/_index.md': '---\ntitle: Section\n---\nThe section list page.\n',
  'post/section/bundle/index.md': post('Bundle'),
  'node_modules/pkg/README.md': '# A package\n',
  // A Hugo site's root: templates and themes.
  'layouts/_default/single.html': '<html>{{ .Content }}</html>\n',
  'themes/ananke/layouts/index.html': '<html>{{ .Content }}</html>\n',
  'archetypes/default.md': '---\ntitle: "{{ .Name }}"\n---\n',
  // Deeper down, folders of those names are a site's own.
  'news/layouts/kept.md': post('Kept'),
  // A site Gazette built, kept beside the content.
  'old-site/.gazette-output': '{}\n',
  'old-site/2021/04/18/harbour/index.html': '<html><body>built</body></html>\n',
};

describe('discovering content', () => {
  it("leaves out the tools' layouts, includes, output and section pages", () => {
    const root = makeProject(ARCHIVE);
    const found = discoverContent(path.join(root, 'content')).files.map(
      (file) => file.relativePath,
    );
    expect(found.sort()).toEqual([
      '_drafts/wip.md',
      '_posts/2021-04-18-harbour.md',
      'news/layouts/kept.md',
      'post/section/bundle/index.md',
    ]);
  });

  it('says it skips an MDX file, which it cannot read', () => {
    const root = makeProject({ 'post.mdx': '# Title\n\n<Chart data={x} />\n', 'a.md': post('A') });
    const { files, diagnostics } = discoverContent(path.join(root, 'content'));
    expect(files.map((file) => file.relativePath)).toEqual(['a.md']);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        file: 'post.mdx',
        message: expect.stringMatching(/MDX .* skipped/),
      }),
    ]);
  });

  it('judges a relative path as the dev server passes it the same way', () => {
    for (const [name, expected] of [
      ['_layouts/default.html', false],
      ['post/section/_index.md', false],
      ['a/_site/x.html', false],
      ['_posts/2021-04-18-harbour.md', true],
      ['_drafts/wip.md', true],
      ['news/layouts.md', true],
    ] as const)
      expect(isArticleName(name), name).toBe(expected);
  });

  it('builds the posts, and the drafts folder only as drafts', async () => {
    const root = makeProject(ARCHIVE, 'search:\n  enabled: false\n');
    const result = await buildProject(root);
    expect(result.report.built).toBe(3);
    expect(result.report.drafts).toEqual(['_drafts/wip.md']);
    const withDrafts = await buildProject(root, { overrides: { drafts: true } });
    expect(withDrafts.report.built).toBe(4);
  });
});
