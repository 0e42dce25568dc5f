import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { createBodyTransformer } from '../../src/transform/index.ts';
import { limitMarkdownListDepth, limitNestingDepth } from '../../src/transform/limit-nesting.ts';
import { htmlArticle } from './corpus-article.ts';

const transform = createBodyTransformer(defaultConfig());
const deep = (tag: string, depth: number, inner = 'deep text') =>
  `<${tag}>`.repeat(depth) + inner + `</${tag}>`.repeat(depth);

describe('deeply nested bodies', () => {
  it.each(['div', 'span', 'b', 'blockquote', 'ul><li', 'font', 'table><tr><td'])(
    '10,000 nested <%s> do not crash',
    (tag) => {
      const html = tag.includes('>') ? `${`<${tag}>`.repeat(10_000)}deep text` : deep(tag, 10_000);
      const { body, diagnostics } = transform(htmlArticle(`<p>before</p>\n${html}<p>after</p>`));
      expect(body.html).toContain('deep text');
      expect(body.html).toContain('after');
      expect(diagnostics.every((d) => d.severity === 'warning')).toBe(true);
    },
  );

  it('reports flattening with the line where it starts', () => {
    const { diagnostics } = transform(
      htmlArticle(`<p>a</p>\n\n${deep('div', 10_000)}`, { bodyLine: 10 }),
    );
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: 'warning', file: 'test.md', line: 12 });
    expect(diagnostics[0]!.message).toMatch(/more than 200 deep/);
  });

  it('10,000 nested Markdown block quotes do not crash', () => {
    const { body } = transform({
      ...htmlArticle(''),
      format: 'markdown',
      body: `${'>'.repeat(10_000)} quoted`,
    });
    expect(body.html).toContain('quoted');
  });

  it.each([
    ['5,000 chained list markers', `${'- '.repeat(5_000)}listed`],
    [
      '2,000 levels of indented list',
      Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i * 2)}- listed`).join('\n'),
    ],
  ])('%s in Markdown are flattened, not shown as plain text', (_, markdown) => {
    const { body, diagnostics } = transform({
      ...htmlArticle(''),
      format: 'markdown',
      body: markdown,
    });
    // Bounded nesting is what keeps parsing linear (unbounded, these took minutes).
    expect((body.html.match(/<ul>/g) ?? []).length).toBeLessThanOrEqual(64);
    expect(body.html).toContain('<li>');
    expect(body.html).toContain('listed');
    expect(diagnostics).toEqual([]);
  });

  it('keeps ordinary nested Markdown lists as they are', () => {
    const markdown = '- a\n  - b\n    1. c\n\n* - d';
    expect(limitMarkdownListDepth(markdown)).toBe(markdown);
  });

  it('10,000 nested elements inside Markdown do not crash', () => {
    const { body } = transform({
      ...htmlArticle(''),
      format: 'markdown',
      body: `# Title\n\n${deep('div', 10_000)}`,
    });
    expect(body.html).toContain('deep text');
  });

  it('leaves normal bodies alone', () => {
    const html = deep('div', 150);
    expect(limitNestingDepth(html)).toEqual({ html, removedTags: 0 });
  });

  it('does not count what the parser closes implicitly', () => {
    const html = '<p>a'.repeat(500);
    expect(limitNestingDepth(html).removedTags).toBe(0);
  });

  it('keeps script text out of the markup count and drops a too-deep script with its text', () => {
    const result = limitNestingDepth(
      `${'<div>'.repeat(300)}<script>${'<div>'.repeat(50)}alert(1)</script>`,
    );
    expect(result.html).not.toContain('alert');
    expect(result.html.split('<div>').length - 1).toBe(200);
  });
});

describe('template syntax in text', () => {
  it('{{ }} and {% %} come out as plain text', () => {
    const { body } = transform(
      htmlArticle('<p>{{ 7*7 }} {% raw %} {{#each x}} $' + '{1+1} <%= 1 %></p>'),
    );
    expect(body.html).toBe('<p>{{ 7*7 }} {% raw %} {{#each x}} $' + '{1+1} &#x3C;%= 1 %></p>');
  });

  it('survives in Markdown bodies too', () => {
    const { body } = transform({
      ...htmlArticle(''),
      format: 'markdown',
      body: 'Text {{ site.title }} and {% include x.html %}',
    });
    expect(body.html).toBe('<p>Text {{ site.title }} and {% include x.html %}</p>');
  });
});
