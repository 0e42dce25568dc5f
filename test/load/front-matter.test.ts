import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { splitFrontMatter } from '../../src/load/front-matter.ts';

describe('splitFrontMatter', () => {
  it('reads Hexo front matter without its opening ---, lines as in the file', () => {
    const result = splitFrontMatter(
      '\ntitle: Old post\ndate: 2015-03-02 10:00:00\ntags:\n  - a\n  - b\n---\nBody.\n',
    );
    expect(result.data).toMatchObject({ title: 'Old post', tags: ['a', 'b'] });
    expect(result.body).toBe('Body.\n');
    expect(result.bodyLine).toBe(8);
    const warned = splitFrontMatter('\n\ntitle: T\ndate: 2015-03-02\ntags: {a: 1}\n---\nBody.\n');
    expect(warned.bodyLine).toBe(7);
  });

  it('says why lines that look like Hexo front matter were read as body', () => {
    const result = splitFrontMatter('\ntitle: Bad: yaml: here\ndate: 2024-02-03\n---\nBody\n');
    expect(result.data).toEqual({});
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        line: 2,
        message: expect.stringMatching(/not valid YAML.*read as body/),
      }),
    ]);
  });

  it('leaves text over a rule, or a heading underlined with ---, as body', () => {
    for (const text of [
      'Heading\n---\nText.\n',
      'Note: read this first.\n\nAnd this.\n---\nText.\n',
      'Author: Ann\n---\nText.\n',
      'title: only a key\nthen a sentence\n---\nText.\n',
      'date: 2024-01-02\n---\n\n## Changelog\n',
      'title: the film\n\nNote: "Dune" was great, really.\n---\nText.\n',
      'date: Mon, 4 Mar 2024\nfrom: ann@example.com\nsubject: Re: meeting\n\n---\nText.\n',
      // Keys, but not YAML after all: the text stays the body's.
      'title: "unclosed\ndate: 2015-03-02\n---\nBody.\n',
    ]) {
      const result = splitFrontMatter(text);
      expect(result.data, text).toEqual({});
      expect(result.body, text).toBe(text);
    }
  });

  it('reads front matter after leading blank lines, as RSSHub writes it', () => {
    const result = splitFrontMatter(
      "\n---\ntitle: 'A'\ncategories: \n - x\n - y\n---\n\n<div>body</div>",
    );
    expect(result.problems).toEqual([]);
    expect(result.data).toEqual({ title: 'A', categories: ['x', 'y'] });
    expect(result.body).toBe('\n<div>body</div>');
    expect(result.bodyLine).toBe(8);
  });

  it('keeps dates as strings so they are read in the site time zone', () => {
    expect(splitFrontMatter('---\ndate: 2021-07-31 10:07:29\n---\n').data).toEqual({
      date: '2021-07-31 10:07:29',
    });
  });

  it('reports a key dropped for its size at its own line, past blank lines and nested look-alikes', () => {
    const huge = `[${Array.from({ length: 20_001 }, () => '1').join(', ')}]`;
    const yaml = splitFrontMatter(
      `---\ntitle: x\nextra:\n  tags: a\ndescription: |\n  tags: in a block\n\n\ntags: ${huge}\n---\nbody`,
    );
    expect(yaml.problems).toEqual([expect.objectContaining({ severity: 'error', line: 9 })]);
    const json = splitFrontMatter(`---json\n{\n  "title": "x",\n\n  "tags": ${huge}\n}\n---\nbody`);
    expect(json.problems).toEqual([expect.objectContaining({ severity: 'error', line: 5 })]);
  });

  it('reads TOML and JSON front matter', () => {
    expect(splitFrontMatter('+++\ntitle = "T"\n+++\nbody').data).toEqual({ title: 'T' });
    expect(splitFrontMatter('---json\n{"title": "J"}\n---\nbody').data).toEqual({ title: 'J' });
  });

  it.each([
    ['---js\n{ title: require("fs") }\n---\n'],
    ['---javascript\n({ title: 1 })\n---\n'],
    ['---coffee\ntitle: 1\n---\n'],
  ])('refuses front matter languages that would run code: %j', (text) => {
    const result = splitFrontMatter(text);
    expect(result.problems[0]?.severity).toBe('error');
    expect(result.problems[0]?.message).toMatch(/run code/);
  });

  it('never builds functions from YAML tags: at most the text survives', () => {
    const result = splitFrontMatter('---\ntitle: !!js/function "function(){}"\n---\n');
    expect(typeof result.data.title).toBe('string');
  });

  it('reports an unclosed front matter block with its line', () => {
    const result = splitFrontMatter('\n\n---\ntitle: a\n');
    expect(result.problems).toEqual([expect.objectContaining({ severity: 'error', line: 3 })]);
  });

  it('reports the file line of a YAML error', () => {
    const result = splitFrontMatter('\n---\ntitle: a\ntags: [a, b\nauthor: x\n---\nbody');
    const problem = result.problems[0];
    expect(problem?.line).toBeGreaterThanOrEqual(4);
    expect(problem?.line).toBeLessThanOrEqual(6);
  });

  it.each([
    ['\n+++\ntitle = "T"\nbad = \ndate = 2024-01-02\n+++\nbody', 4],
    ['+++\ntitle = "T"\n\n[unclosed\n+++\nbody', 4],
  ])('reports the file line of a TOML error: %j', (text, line) => {
    const result = splitFrontMatter(text);
    expect(result.failed).toBe(true);
    expect(result.problems).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/TOML/), line }),
    ]);
  });

  it.each([
    ['---json\n{\n"title": "J",\n"tags": [a],\n"author": "x"\n}\n---\nbody', 4],
    ['\n\n---json\n{\n"title": "J"\n"author": "x"\n}\n---\nbody', 6],
    ['---json\n{\n"title": "J",\n"author": "x",\n}\n---\nbody', 5],
    ['---json\n{\n"title": "J",\n"author": "x"\n---\nbody', 4],
    ['---json\n{\n"title": "J"\n}\n}\n---\nbody', 5],
  ])('reports the file line of a JSON error, not the start of the block: %j', (text, line) => {
    const result = splitFrontMatter(text);
    expect(result.failed).toBe(true);
    expect(result.problems).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringMatching(/JSON/), line }),
    ]);
  });

  it('names the bad JSON token without quoting the whole block', () => {
    const text = `---json\n{\n"title": "${'x'.repeat(200)}",\n"draft": tru\n}\n---\nbody`;
    const [problem] = splitFrontMatter(text).problems;
    expect(problem).toMatchObject({ line: 4 });
    expect(problem?.message.length).toBeLessThan(80);
    expect(problem?.message).not.toMatch(/position/);
  });

  it('keeps the last value of a duplicate key, with a warning', () => {
    const result = splitFrontMatter('---\ntitle: a\ntitle: b\n---\n');
    expect(result.data.title).toBe('b');
    expect(result.problems).toEqual([expect.objectContaining({ severity: 'warning', line: 3 })]);
  });

  it('salvages a badly quoted title key by key, as scrapers write them', () => {
    const result = splitFrontMatter(`---\ntitle: """""""'转发'"""""""\nauthor: x\n---\nbody`);
    expect(result.data).toEqual({ title: '转发', author: 'x' });
    expect(result.failed).toBe(false);
    expect(result.problems[0]).toMatchObject({ severity: 'error', line: 2 });
  });

  it.each([
    ['title: "Hello" world', { title: '"Hello" world' }],
    ['title: "never closed', { title: 'never closed' }],
    ['title: "She said "yes""', { title: 'She said "yes"' }],
    ['tags: [a, b', { tags: 'a, b' }],
  ])('salvages %j as its writer meant it', (line, expected) => {
    const result = splitFrontMatter(`---\n${line}\nauthor: x\n---\nbody`);
    expect(result.data).toEqual({ ...expected, author: 'x' });
  });

  it('puts an unclosed quote on its line when an indented list follows it', () => {
    const result = splitFrontMatter(
      '---\nauthor: x\ntitle: "unclosed\ncategories:\n  - a\n  - b\n---\n<p>b</p>',
    );
    expect(result.problems[0]).toMatchObject({ severity: 'error', line: 3 });
  });

  it('puts an unclosed quote on the line that opens it, not where the block ends', () => {
    const result = splitFrontMatter(
      '\n---\nauthor: x\ntitle: "broken\ndate: 2024-01-02\ntags:\n  - a\n---\n<p>b</p>',
    );
    expect(result.problems[0]).toMatchObject({ severity: 'error', line: 4 });
    expect(result.data).toMatchObject({ author: 'x', date: '2024-01-02', tags: ['a'] });
  });

  it('refuses a list instead of a map', () => {
    expect(splitFrontMatter('---\n- a\n- b\n---\n').problems[0]?.message).toMatch(/map/);
  });

  it('treats a file without front matter as all body', () => {
    expect(splitFrontMatter('<p>x</p>')).toMatchObject({ data: {}, body: '<p>x</p>', bodyLine: 1 });
  });

  it('does not pollute prototypes', () => {
    const result = splitFrontMatter('---\n__proto__:\n  polluted: yes\n---\n');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(result.data)).toBe(Object.prototype);
  });

  it.each([
    ['---\ntitle: A\n---\n<p>body</p>\n'],
    ['---\ntitle: A\n---   \n<p>trailing blanks after the delimiter</p>'],
    ['---\ntitle: A\n---\n\n\n<p>blank lines kept but one</p>'],
    ['---\ntitle: A\n---'],
    ['---\n---\n<p>empty matter</p>'],
    ['---\ntitle: A\n---\n<p>a rule</p>\n---\n<p>after it</p>'],
    ['+++\ntitle = "T"\n+++\n<p>toml</p>'],
    ['---json\n{"title": "J"}\n---\n<p>json</p>'],
  ])('cuts the body where gray-matter given the whole text would: %j', (text) => {
    const whole = matter(text, {
      delimiters: text.startsWith('+++') ? '+++' : '---',
      engines: { toml: () => ({}), json: () => ({}) },
    } as unknown as Parameters<typeof matter>[1]);
    const result = splitFrontMatter(text);
    expect(result.failed).toBe(false);
    expect(result.body).toBe(whole.content);
  });
});
