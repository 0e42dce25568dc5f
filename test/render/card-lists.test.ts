import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES_DIR } from '../../src/render/environment.ts';
import { buildProject, elements, makeProject, readPage, textOf } from '../helpers.ts';

/** Five articles under one category trail, three of them without tags. */
function article(day: number, tags: string[]): string {
  return `---\ntitle: Story ${day}\ndate: 2024-05-0${day}T08:00:00Z\ncategories: [World, Europe]\ntags: [${tags.join(', ')}]\n---\n<p>Body ${day}.</p>\n`;
}

describe('the lists a template is given', () => {
  it('are read-only: a template changing them fails on every page and thread alike', async () => {
    const project = () =>
      makeProject(
        Object.fromEntries(
          [1, 2, 3, 4, 5].map((day) => [
            `story-${day}.md`,
            article(day, day <= 3 ? [] : ['Energy']),
          ]),
        ),
        'search:\n  enabled: false\n',
      );
    // A theme that adds the article to its trail and a tag to its tags before showing them.
    // Cards are shared by the pages one thread renders (the helper thread gets copies): a
    // change would show on later pages of this thread only.
    const theme = readFileSync(path.join(DEFAULT_TEMPLATES_DIR, 'article.njk'), 'utf8');
    const marker = '{%- set trails = article.categories %}';
    expect(theme).toContain(marker);
    const withTheme = (root: string, addition: string) => {
      mkdirSync(path.join(root, 'templates'), { recursive: true });
      writeFileSync(
        path.join(root, 'templates', 'article.njk'),
        theme.replace(marker, `${marker}${addition}`),
      );
      return root;
    };
    const pushing =
      '{% set _ = trails[0].push({name: article.title, url: page.url}) %}{% set _ = article.tags.push({name: "extra", url: "#"}) %}';
    for (const renderHelper of ['never', 'always'] as const) {
      const result = await buildProject(withTheme(project(), pushing), { renderHelper });
      const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
      expect(errors, renderHelper).toHaveLength(1);
      expect(errors[0]).toMatchObject({ file: 'templates/article.njk' });
      expect(errors[0]!.message).toContain('page variables are read-only');
      expect(result.ok).toBe(false);
    }

    // The same trail made as a copy (`concat`) works, and on its own page only.
    const root = withTheme(
      project(),
      '{% set trails = [trails[0].concat([{name: article.title, url: page.url}])] %}',
    );
    const result = await buildProject(root, { renderHelper: 'never' });
    expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    for (const day of [1, 2, 3, 4, 5]) {
      const page = readPage(path.join(root, 'site'), `2024/05/0${day}/story-${day}/index.html`);
      const [crumbs] = elements(page, (element) => element.tagName === 'ol');
      expect(textOf(crumbs!).replace(/\s+/g, ' ').trim()).toMatch(
        new RegExp(`World\\s*Europe\\s*Story ${day}$`),
      );
    }
  });
});
