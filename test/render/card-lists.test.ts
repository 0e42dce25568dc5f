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
  it('are its own: a template that adds to them changes neither other articles nor fails', async () => {
    const root = makeProject(
      Object.fromEntries(
        [1, 2, 3, 4, 5].map((day) => [`story-${day}.md`, article(day, day <= 3 ? [] : ['Energy'])]),
      ),
      'search:\n  enabled: false\n',
    );
    // A theme that adds the article to its trail and a tag to its tags before showing them.
    const theme = readFileSync(path.join(DEFAULT_TEMPLATES_DIR, 'article.njk'), 'utf8');
    const marker = '{%- set trails = article.categories %}';
    expect(theme).toContain(marker);
    mkdirSync(path.join(root, 'templates'), { recursive: true });
    writeFileSync(
      path.join(root, 'templates', 'article.njk'),
      theme.replace(
        marker,
        `${marker}{% set _ = trails[0].push({name: article.title, url: page.url}) %}{% set _ = article.tags.push({name: "extra", url: "#"}) %}`,
      ),
    );
    // On this thread only: a page rendered by the helper thread gets a copy of its variables.
    const result = await buildProject(root, { renderHelper: 'never' });
    expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(result.report.built).toBe(5);
    for (const day of [1, 2, 3, 4, 5]) {
      const page = readPage(path.join(root, 'site'), `2024/05/0${day}/story-${day}/index.html`);
      const [crumbs] = elements(page, (element) => element.tagName === 'ol');
      expect(textOf(crumbs!).replace(/\s+/g, ' ').trim()).toMatch(
        new RegExp(`World\\s*Europe\\s*Story ${day}$`),
      );
      const tags = elements(
        page,
        (element) => element.tagName === 'a' && String(element.properties.className) === 'tag',
      ).map((element) => textOf(element).trim());
      expect(tags.filter((tag) => tag === '#extra')).toHaveLength(1);
    }
  });
});
