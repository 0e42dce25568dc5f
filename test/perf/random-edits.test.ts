import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES_DIR } from '../../src/render/environment.ts';
import { buildProject, generatedProject, listFiles, makeProject } from '../helpers.ts';

/**
 * Random sequences of what users and scrapers do to a project, each followed by an
 * incremental build that must write the very site a cold build of the same inputs writes.
 * The targeted tests (page-keys, cache) cover each kind of change alone; here they come
 * mixed, several per build, on one long-lived cache and site.
 */

type Project = { root: string; articles: string[] };

interface Step {
  kind: (typeof KINDS)[number];
  pick: number;
  value: number;
}

const CATEGORIES = [['要闻'], ['国际', '亚洲'], ['国际', '欧洲'], ['财经'], ['World', 'Europe']];
const AUTHORS = ['新华社', '观察者网', 'Reuters', '记者甲'];
const TAGS = ['更正', '快讯', 'energy', '独家'];
const DATES = [
  (day: number) => `2023-0${1 + (day % 9)}-1${day % 10}T08:00:00Z`,
  (day: number) => `Mon, 0${1 + (day % 9)} Jan 2024 0${day % 10}:30:00 +0800`,
  (day: number) => `2021-1${day % 3}-0${1 + (day % 9)} 12:00`,
];

function setField(text: string, field: string, value: string): string {
  const pattern = new RegExp(`^${field}:.*(?:\\n[ \\t]+-.*)*$`, 'm');
  if (pattern.test(text)) return text.replace(pattern, `${field}: ${value}`);
  return text.replace(/^---\n/m, `---\n${field}: ${value}\n`);
}

const yamlList = (items: string[]) => `[${items.map((item) => `'${item}'`).join(', ')}]`;

/** Edits to an article's text, each given a value to use. */
const EDITS = {
  body: (text: string, value: number) =>
    text.replace(/<\/div>\s*$/, `<p>Correction ${value}.</p>\n</div>\n`),
  title: (text: string, value: number) => setField(text, 'title', `'Headline ${value}'`),
  date: (text: string, value: number) =>
    setField(text, 'date', `'${DATES[value % DATES.length]!(value)}'`),
  updated: (text: string, value: number) =>
    setField(text, 'updated', `'2025-0${1 + (value % 9)}-01T00:00:00Z'`),
  category: (text: string, value: number) =>
    setField(text, 'categories', yamlList(CATEGORIES[value % CATEGORIES.length]!)),
  author: (text: string, value: number) =>
    setField(text, 'author', `'${AUTHORS[value % AUTHORS.length]}'`),
  tags: (text: string, value: number) =>
    setField(text, 'tags', yamlList(TAGS.slice(0, value % (TAGS.length + 1)))),
  draft: (text: string, value: number) => setField(text, 'draft', value % 2 ? 'true' : 'false'),
  sourceUrl: (text: string, value: number) =>
    setField(text, 'link', `'https://news.example.cn/story/${value % 3}.html'`),
  brokenYaml: (text: string) => text.replace(/^title: /m, 'title: [unclosed '),
} satisfies Record<string, (text: string, value: number) => string>;

/** What users and scrapers do: edits, and changes to files, config, theme and `public/`. */
const KINDS = [
  ...(Object.keys(EDITS) as (keyof typeof EDITS)[]),
  'deleted',
  'added',
  'renamed',
  'touched',
  'config',
  'template',
  'public',
] as const;

const CONFIGS = [
  (numbering: string) => `title: Random edits\npageSize: 4\npageNumbering: ${numbering}\n`,
  (numbering: string) =>
    `title: Random edits\npageSize: 3\npageNumbering: ${numbering}\nbaseUrl: https://example.org/news/\n`,
];

let clock = Date.now() - 3_600_000;
/**
 * Every write gets a time of its own, an hour ago and later with each write: files younger
 * than three seconds are read again whatever their times say, so recent times would hide
 * what the signatures are for.
 */
function aged(file: string): void {
  clock += 1000;
  const time = new Date(clock);
  utimesSync(file, time, time);
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  aged(file);
}

function apply(project: Project, step: Step, numbering: string): string {
  const { root, articles } = project;
  const content = path.join(root, 'content');
  if (step.kind === 'config') {
    write(path.join(root, 'gazette.config.yml'), CONFIGS[step.value % CONFIGS.length]!(numbering));
    return `config ${step.value % CONFIGS.length}`;
  }
  if (step.kind === 'template') {
    const card = path.join(root, 'templates', 'partials', 'card.njk');
    if (step.value % 2 && existsSync(card)) {
      rmSync(path.join(root, 'templates'), { recursive: true });
      return 'template removed';
    }
    const theme = readFileSync(path.join(DEFAULT_TEMPLATES_DIR, 'partials', 'card.njk'), 'utf8');
    write(card, `<!-- card ${step.value} -->${theme}`);
    return `template ${step.value}`;
  }
  if (step.kind === 'public') {
    const file = path.join(root, 'public', `notice-${step.value % 2}.txt`);
    if (step.value % 3 === 0 && existsSync(file)) rmSync(file);
    else write(file, `notice ${step.value}\n`);
    return `public ${step.value}`;
  }
  if (articles.length === 0) return 'nothing to change';
  const relative = articles[step.pick % articles.length]!;
  const file = path.join(content, relative);
  const text = readFileSync(file, 'utf8');
  if (step.kind === 'deleted') {
    rmSync(file);
    articles.splice(articles.indexOf(relative), 1);
  } else if (step.kind === 'added') {
    const added = `added/${step.value}-${articles.length}.md`;
    if (articles.includes(added)) return 'nothing added (the name is taken)';
    const dated = setField(
      setField(text, 'title', `'Added ${step.value}'`),
      'date',
      `'${DATES[step.value % DATES.length]!(step.value)}'`,
    );
    write(path.join(content, added), dated);
    articles.push(added);
  } else if (step.kind === 'renamed') {
    const renamed = `moved/${step.value}-${path.basename(relative)}`;
    if (articles.includes(renamed)) return 'nothing renamed (the name is taken)';
    mkdirSync(path.dirname(path.join(content, renamed)), { recursive: true });
    renameSync(file, path.join(content, renamed));
    articles[articles.indexOf(relative)] = renamed;
  } else if (step.kind === 'touched') {
    aged(file);
  } else {
    write(file, EDITS[step.kind](text, step.value));
  }
  return `${step.kind} ${relative}`;
}

/** The site's files; not the manifest, Gazette's own record of what it wrote and when. */
function snapshot(outDir: string): Map<string, string> {
  return new Map(
    listFiles(outDir)
      .filter((file) => file !== '.gazette-output')
      .map((file) => [file, readFileSync(path.join(outDir, file), 'utf8')]),
  );
}

/** The files two sites differ in, for a readable failure. */
function differences(actual: Map<string, string>, expected: Map<string, string>): string[] {
  const files = new Set([...actual.keys(), ...expected.keys()]);
  return [...files].filter((file) => actual.get(file) !== expected.get(file)).sort();
}

/** A cold build (no cache, no previous site) of the project's inputs as they are now. */
async function coldBuildOf(root: string) {
  const other = makeProject({});
  for (const folder of ['content', 'templates', 'public']) {
    rmSync(path.join(other, folder), { recursive: true, force: true });
    if (existsSync(path.join(root, folder)))
      cpSync(path.join(root, folder), path.join(other, folder), {
        recursive: true,
        preserveTimestamps: true,
      });
  }
  cpSync(path.join(root, 'gazette.config.yml'), path.join(other, 'gazette.config.yml'), {
    preserveTimestamps: true,
  });
  return buildProject(other);
}

const stepArbitrary = fc.record({
  kind: fc.constantFrom(...KINDS),
  pick: fc.nat(),
  value: fc.nat({ max: 1000 }),
});

const RUNS = Number(process.env.RANDOM_EDIT_RUNS ?? 1);

describe('an incremental build after random changes', () => {
  for (const numbering of ['newest-first', 'stable']) {
    it(
      `writes the site a cold build writes (${numbering})`,
      async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.array(stepArbitrary, { minLength: 1, maxLength: 3 }), {
              minLength: 8,
              maxLength: 8,
            }),
            fc.nat({ max: 1000 }),
            async (builds, seed) => {
              const { root, files } = generatedProject({
                count: 24,
                seed,
                config: CONFIGS[0]!(numbering),
              });
              const project = { root, articles: [...files] };
              await buildProject(root);
              const done: string[] = [];
              for (const steps of builds) {
                done.push(steps.map((step) => apply(project, step, numbering)).join(', '));
                const incremental = await buildProject(root);
                const cold = await coldBuildOf(root);
                const where = done.join(' / ');
                expect(incremental.ok, where).toBe(cold.ok);
                expect(incremental.report.failed, where).toEqual(cold.report.failed);
                const site = snapshot(incremental.outDir);
                const expected = snapshot(cold.outDir);
                expect(differences(site, expected), where).toEqual([]);
                expect(site).toEqual(expected);
              }
            },
          ),
          // A run is ten seconds of builds, so one by default (RANDOM_EDIT_RUNS=50 searches
          // longer); shrinking a failure would take hours: its steps are in the message.
          { numRuns: RUNS, endOnFailure: true },
        );
      },
      60_000 * RUNS,
    );
  }
});
