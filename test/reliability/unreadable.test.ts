/**
 * An article file that cannot be read on a rebuild (permissions changed, a disk error): the
 * error names it, and its page from the last build stays instead of vanishing. Root reads
 * any file whatever its mode, so the read failure is simulated in `node:fs`, with the build
 * on this thread (no workers, which would not see the mock).
 */
import {
  existsSync,
  mkdirSync,
  readFileSync as realReadFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const unreadable = vi.hoisted(() => ({
  names: new Set<string>(),
  code: 'EACCES',
  folders: new Set<string>(),
}));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const readFileSync = ((file: Parameters<typeof fs.readFileSync>[0], ...rest: unknown[]) => {
    if (typeof file === 'string' && unreadable.names.has(path.basename(file))) {
      throw Object.assign(new Error(`${unreadable.code}: cannot read ${file}`), {
        code: unreadable.code,
      });
    }
    return (fs.readFileSync as (...args: unknown[]) => unknown)(file, ...rest);
  }) as typeof fs.readFileSync;
  const readdirSync = ((folder: Parameters<typeof fs.readdirSync>[0], ...rest: unknown[]) => {
    if (typeof folder === 'string' && unreadable.folders.has(path.basename(folder))) {
      throw Object.assign(new Error(`EACCES: cannot list ${folder}`), { code: 'EACCES' });
    }
    return (fs.readdirSync as (...args: unknown[]) => unknown)(folder, ...rest);
  }) as typeof fs.readdirSync;
  // A file in a folder that cannot be listed cannot be statted either (no search permission).
  const statSync = ((file: Parameters<typeof fs.statSync>[0], ...rest: unknown[]) => {
    if (
      typeof file === 'string' &&
      [...unreadable.folders].some((folder) => file.includes(`${path.sep}${folder}${path.sep}`))
    ) {
      throw Object.assign(new Error(`EACCES: cannot stat ${file}`), { code: 'EACCES' });
    }
    return (fs.statSync as (...args: unknown[]) => unknown)(file, ...rest);
  }) as typeof fs.statSync;
  return {
    ...fs,
    default: { ...fs, readFileSync, readdirSync, statSync },
    readFileSync,
    readdirSync,
    statSync,
  };
});

const { buildProject, makeProject } = await import('../helpers.ts');

const article = (title: string) =>
  `---\ntitle: ${title}\ndate: 2025-03-01 09:00\ncategories: [World]\n---\n<p>Body of ${title}.</p>\n`;

let root: string;
const workersBefore = process.env.GAZETTE_WORKERS;

beforeAll(() => {
  process.env.GAZETTE_WORKERS = '0';
  root = makeProject(
    { 'kept.md': article('Harbour ferry returns'), 'other.md': article('Rail strike ends') },
    'title: Unreadable test\nsearch:\n  enabled: false\npermalink: ":slug/"\n',
  );
});

afterAll(() => {
  if (workersBefore === undefined) delete process.env.GAZETTE_WORKERS;
  else process.env.GAZETTE_WORKERS = workersBefore;
  rmSync(root, { recursive: true, force: true });
});

/**
 * Two copies of one story (same source URL), the larger in `folder`, written an hour ago (old
 * enough to be known by their size and time, see RACY_SECONDS).
 */
function storyCopies(folder: string): string {
  const story = (title: string, body: string) =>
    `---\ntitle: ${title}\nlink: https://news.example.cn/story/1.html\ndate: 2023-05-01 08:00\n---\n<p>${body}</p>\n`;
  const project = makeProject(
    {
      [`${folder}/full.md`]: story(
        'Full story',
        'The full story, with much more text than the copy.',
      ),
      'short.md': story('Short copy', 'Short.'),
    },
    'title: Duplicates test\nsearch:\n  enabled: false\npermalink: ":slug/"\n',
  );
  const hourAgo = Date.now() / 1000 - 3600;
  for (const name of [`${folder}/full.md`, 'short.md'])
    utimesSync(path.join(project, 'content', name), hourAgo, hourAgo);
  return project;
}

describe('an article that cannot be read on a rebuild', () => {
  it('keeps its last built page, with an error naming the file', async () => {
    await buildProject(root);
    const page = path.join(root, 'site/kept/index.html');
    expect(realReadFileSync(page, 'utf8')).toContain('Harbour ferry returns');
    // Changed, so that the cache cannot take it without reading it.
    writeFileSync(path.join(root, 'content/kept.md'), article('Harbour ferry returns, updated'));
    unreadable.names.add('kept.md');
    const result = await buildProject(root);
    const error = result.diagnostics.find((diagnostic) => diagnostic.file === 'kept.md');
    expect(error).toMatchObject({ severity: 'error' });
    expect(error?.message).toMatch(/cannot read file: EACCES; its last built version is kept/);
    expect(realReadFileSync(page, 'utf8')).toContain('Harbour ferry returns');
    expect(realReadFileSync(path.join(root, 'site/index.html'), 'utf8'), 'still listed').toContain(
      'Harbour ferry returns',
    );
    // --strict still fails on it.
    expect((await buildProject(root, { strict: true })).ok).toBe(false);
    // Settings that make every article again keep it too, and so does going back.
    const configFile = path.join(root, 'gazette.config.yml');
    const config = realReadFileSync(configFile, 'utf8');
    writeFileSync(configFile, `${config}timezone: Europe/Berlin\n`);
    await buildProject(root);
    expect(realReadFileSync(page, 'utf8')).toContain('Harbour ferry returns');
    writeFileSync(configFile, config);
    await buildProject(root);
    expect(realReadFileSync(page, 'utf8')).toContain('Harbour ferry returns');
    // Readable again: the new version is built.
    unreadable.names.clear();
    await buildProject(root);
    expect(realReadFileSync(page, 'utf8')).toContain('Harbour ferry returns, updated');
  });

  it('builds the new version once readable again, though nothing else changed', async () => {
    const project = makeProject(
      { 'chmod.md': article('Chmod first') },
      'title: Chmod test\nsearch:\n  enabled: false\npermalink: ":slug/"\n',
    );
    const file = path.join(project, 'content/chmod.md');
    const page = path.join(project, 'site/chmod/index.html');
    // Old enough to be trusted by its size and time (see RACY_SECONDS).
    const age = (seconds: number) => {
      const time = Date.now() / 1000 - seconds;
      utimesSync(file, time, time);
    };
    try {
      age(60);
      await buildProject(project);
      writeFileSync(file, article('Chmod second'));
      age(30);
      unreadable.names.add('chmod.md');
      await buildProject(project);
      expect(realReadFileSync(page, 'utf8')).toContain('Chmod first');
      // `chmod` changes neither size, time nor inode: the build with the error is not replayed.
      unreadable.names.delete('chmod.md');
      const result = await buildProject(project);
      expect(result.diagnostics.filter((diagnostic) => diagnostic.file === 'chmod.md')).toEqual([]);
      expect(realReadFileSync(page, 'utf8')).toContain('Chmod second');
    } finally {
      unreadable.names.delete('chmod.md');
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('follows new settings while kept, and is read again under them once readable', async () => {
    const project = makeProject(
      { 'moved.md': article('Moved by settings'), 'other.md': article('Stays readable') },
      'title: Permalink test\nsearch:\n  enabled: false\npermalink: ":slug/"\n',
    );
    const hourAgo = Date.now() / 1000 - 3600;
    for (const name of ['content/moved.md', 'content/other.md', 'gazette.config.yml'])
      utimesSync(path.join(project, name), hourAgo, hourAgo);
    try {
      await buildProject(project);
      unreadable.names.add('moved.md');
      writeFileSync(
        path.join(project, 'gazette.config.yml'),
        'title: Permalink test\nsearch:\n  enabled: false\npermalink: "news/:slug/"\n',
      );
      await buildProject(project);
      // Kept, at the URL the new settings give it, as every other article.
      const moved = path.join(project, 'site/news/moved/index.html');
      expect(realReadFileSync(moved, 'utf8')).toContain('Moved by settings');
      expect(existsSync(path.join(project, 'site/moved/index.html'))).toBe(false);
      // Readable again, with its size and time unchanged: made under the new settings, not
      // taken from the entry kept for it, which older settings made.
      unreadable.names.delete('moved.md');
      const result = await buildProject(project);
      expect(result.cache.articlesTransformed).toBe(1);
      expect(realReadFileSync(moved, 'utf8')).toContain('Moved by settings');
    } finally {
      unreadable.names.delete('moved.md');
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('keeps the pages of the articles in a folder that cannot be listed', async () => {
    mkdirSync(path.join(root, 'content/locked'));
    writeFileSync(path.join(root, 'content/locked/inside.md'), article('Dockers vote on pay'));
    await buildProject(root);
    const page = path.join(root, 'site/inside/index.html');
    expect(realReadFileSync(page, 'utf8')).toContain('Dockers vote on pay');
    unreadable.folders.add('locked');
    const result = await buildProject(root);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ file: 'locked', severity: 'error' }),
    );
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ file: 'locked', message: expect.stringMatching(/1 article/) }),
    );
    expect(realReadFileSync(page, 'utf8')).toContain('Dockers vote on pay');
    unreadable.folders.clear();
  });

  it('keeps a draft in a folder that cannot be listed a draft, not a kept article', async () => {
    mkdirSync(path.join(root, 'content/_drafts'), { recursive: true });
    writeFileSync(path.join(root, 'content/_drafts/later.md'), article('Not yet'));
    const first = await buildProject(root);
    expect(first.report.drafts).toContain('_drafts/later.md');
    unreadable.folders.add('_drafts');
    const result = await buildProject(root);
    expect(result.report.drafts).toContain('_drafts/later.md');
    expect(result.diagnostics).not.toContainEqual(
      expect.objectContaining({ file: '_drafts', message: expect.stringMatching(/kept/) }),
    );
    unreadable.folders.clear();
    rmSync(path.join(root, 'content/_drafts'), { recursive: true, force: true });
  });

  it('keeps a larger copy of a story in a folder that cannot be listed over a smaller one', async () => {
    const project = storyCopies('vault');
    try {
      await buildProject(project);
      const full = path.join(project, 'site/full/index.html');
      expect(existsSync(full)).toBe(true);
      unreadable.folders.add('vault');
      const result = await buildProject(project);
      expect(result.report.duplicates).toEqual([
        expect.objectContaining({ file: 'short.md', keptAs: 'vault/full.md' }),
      ]);
      expect(existsSync(full)).toBe(true);
      expect(existsSync(path.join(project, 'site/short/index.html'))).toBe(false);
    } finally {
      unreadable.folders.delete('vault');
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('keeps that copy in the dev server too when it collects the site again', async () => {
    const { startDev } = await import('../../src/dev/dev-server.ts');
    const project = storyCopies('safe');
    await buildProject(project);
    unreadable.folders.add('safe');
    const dev = await startDev({ root: project, port: 0, debounceMs: 10, extensions: [] });
    try {
      const full = path.join(project, 'site/full/index.html');
      expect(existsSync(full)).toBe(true);
      // A new article: the site is collected again, copies of stories weighed again.
      writeFileSync(path.join(project, 'content/new.md'), article('Ferry timetable changes'));
      const added = path.join(project, 'site/new/index.html');
      for (let tries = 0; tries < 150 && !existsSync(added); tries++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      await dev.settled();
      expect(existsSync(added)).toBe(true);
      expect(existsSync(full)).toBe(true);
      expect(existsSync(path.join(project, 'site/short/index.html'))).toBe(false);
    } finally {
      await dev.close();
      unreadable.folders.delete('safe');
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('drops the page of a file that is gone', async () => {
    unreadable.names.add('other.md');
    unreadable.code = 'ENOENT';
    await buildProject(root);
    expect(existsSync(path.join(root, 'site/other/index.html'))).toBe(false);
  });
});
