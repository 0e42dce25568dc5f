import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, repoRoot } from './helpers.ts';

function gazette(...args: string[]) {
  return spawnSync(process.execPath, [path.join(repoRoot, 'bin/gazette.js'), ...args], {
    encoding: 'utf8',
  });
}

describe('the gazette command', () => {
  it('writes a new article that the next build publishes', () => {
    const root = makeProject();
    const created = gazette('new', 'Port reopens after storm', '--root', root);
    expect(created.status).toBe(0);
    const [file] = readdirSync(path.join(root, 'content'));
    expect(file).toMatch(/^\d{4}-\d\d-\d\d-port-reopens-after-storm\.md$/);
    expect(readFileSync(path.join(root, 'content', file!), 'utf8')).toContain(
      "title: 'Port reopens after storm'",
    );
    expect(gazette('build', '--root', root, '--quiet', '--no-search').status).toBe(0);
    expect(readFileSync(path.join(root, 'site', 'index.html'), 'utf8')).toContain(
      'Port reopens after storm',
    );
  });

  it('writes a title with newlines in it on one line, adding no fields', () => {
    const root = makeProject();
    const title = 'Hello "x"\npermalink: /evil/\n---\n<script>';
    expect(gazette('new', title, '--root', root).status).toBe(0);
    const [file] = readdirSync(path.join(root, 'content'));
    const text = readFileSync(path.join(root, 'content', file!), 'utf8');
    expect(text).toContain(`title: 'Hello "x" permalink: /evil/ --- <script>'`);
    expect(text).not.toMatch(/^permalink:/m);
    expect(gazette('build', '--root', root, '--quiet', '--no-search').status).toBe(0);
    expect(existsSync(path.join(root, 'site', 'evil'))).toBe(false);
  });

  it('cleans only what it made', () => {
    const root = makeProject({ 'a.md': '---\ntitle: A\ndate: 2024-01-01\n---\n<p>a</p>' });
    expect(gazette('build', '--root', root, '--quiet', '--no-search').status).toBe(0);
    expect(gazette('clean', '--root', root).status).toBe(0);
    expect(existsSync(path.join(root, 'site'))).toBe(false);
    expect(existsSync(path.join(root, '.gazette-cache'))).toBe(false);

    mkdirSync(path.join(root, 'mine'));
    writeFileSync(path.join(root, 'mine', 'notes.txt'), 'mine');
    const refused = gazette('clean', '--root', root, '--out', path.join(root, 'mine'));
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/was not made by Gazette/);
    expect(existsSync(path.join(root, 'mine', 'notes.txt'))).toBe(true);
    // Its lock taken for a cache that was not there: none is left behind, none reported.
    expect(existsSync(path.join(root, '.gazette-cache'))).toBe(false);
    const again = gazette('clean', '--root', root);
    expect(again.status).toBe(0);
    expect(again.stdout).not.toMatch(/gazette-cache/);
    expect(again.stdout).toMatch(/^Nothing to clean: no site at .*site, no build cache$/m);
    expect(existsSync(path.join(root, '.gazette-cache'))).toBe(false);
  });

  it('builds and cleans an output folder that is a symbolic link, keeping the link usable', () => {
    const root = makeProject({ 'a.md': '---\ntitle: A\ndate: 2024-01-01\n---\n<p>a</p>' });
    // A relative link to a folder not made yet.
    symlinkSync(path.join('www', 'news'), path.join(root, 'site'));
    const www = path.join(root, 'www', 'news');
    const build = () => gazette('build', '--root', root, '--quiet', '--no-search');
    expect(build().status).toBe(0);
    expect(existsSync(path.join(www, 'index.html'))).toBe(true);
    const cleaned = gazette('clean', '--root', root);
    expect(cleaned.status).toBe(0);
    expect(cleaned.stdout).toMatch(/Emptied .*news/);
    expect(readdirSync(www)).toEqual([]);
    expect(lstatSync(path.join(root, 'site')).isSymbolicLink()).toBe(true);
    expect(build().status, 'built again through the link').toBe(0);
    expect(existsSync(path.join(www, 'index.html'))).toBe(true);

    // A loop of links is refused in one line.
    rmSync(path.join(root, 'site'));
    symlinkSync('loop-b', path.join(root, 'site'));
    symlinkSync('site', path.join(root, 'loop-b'));
    const loop = build();
    expect(loop.status).toBe(2);
    expect(loop.stderr).toMatch(/^gazette: output folder .* is a loop of symbolic links$/m);
  });

  it('deletes only its own files from a cache folder, and refuses one that overlaps the project', () => {
    const root = makeProject(
      { 'a.md': '---\ntitle: A\ndate: 2024-01-01\n---\n<p>a</p>' },
      'cacheDir: .cache\n',
    );
    mkdirSync(path.join(root, '.cache', 'other-tool'), { recursive: true });
    writeFileSync(path.join(root, '.cache', 'other-tool', 'data'), 'keep');
    expect(gazette('build', '--root', root, '--quiet', '--no-search').status).toBe(0);
    expect(existsSync(path.join(root, '.cache', 'articles.jsonl'))).toBe(true);
    const cleaned = gazette('clean', '--root', root);
    expect(cleaned.status).toBe(0);
    expect(readFileSync(path.join(root, '.cache', 'other-tool', 'data'), 'utf8')).toBe('keep');
    expect(readdirSync(path.join(root, '.cache'))).toEqual(['other-tool']);

    for (const cacheDir of ['.', 'content', 'public/cache', '..']) {
      writeFileSync(path.join(root, 'gazette.config.yml'), `cacheDir: ${cacheDir}\n`);
      for (const command of ['build', 'clean']) {
        const refused = gazette(command, '--root', root);
        expect(refused.status, `${command} with cacheDir ${cacheDir}`).toBe(2);
        expect(refused.stderr).toMatch(/"cacheDir" .* overlaps/);
      }
    }
    expect(existsSync(path.join(root, 'content', 'a.md'))).toBe(true);
    // An output folder around the project is the output's fault, not the cache's.
    writeFileSync(path.join(root, 'gazette.config.yml'), '');
    for (const command of ['build', 'clean', 'dev']) {
      const refused = gazette(command, '--root', root, '--out', path.dirname(root));
      expect(refused.status, command).toBe(2);
      expect(refused.stderr).toMatch(/output folder .* would contain or replace the project/);
    }

    writeFileSync(path.join(root, 'gazette.config.yml'), '');
    writeFileSync(path.join(root, 'site'), 'not a site');
    const file = gazette('clean', '--root', root);
    expect(file.status).toBe(2);
    expect(file.stderr).toMatch(/is a file, not a site Gazette made/);
  });

  it('names a mistyped flag and a mistyped config key', () => {
    const root = makeProject({}, 'titel: x\n');
    expect(gazette('build', '--root', root, '--outt', 'x').stderr).toMatch(/--outt/);
    const result = gazette('build', '--root', root);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown key "titel" \(did you mean "title"\?\)/);
  });

  it('refuses stray words after a command, and warns of an empty content folder', () => {
    const root = makeProject();
    const stray = gazette('build', '--root', root, 'extra');
    expect(stray.status).toBe(2);
    expect(stray.stderr).toMatch(/Unexpected argument 'extra'/);
    const empty = gazette('build', '--root', root, '--no-search');
    expect(empty.status).toBe(0);
    expect(empty.stderr).toMatch(/no article files \(\.md, .*\) in the content folder/);
    // No article, no "updated" date (the time of the build would change it every build).
    expect(readFileSync(path.join(root, 'site', 'index.html'), 'utf8')).not.toContain(
      'site-updated',
    );
  });

  it('checks a site as it was built, whatever base URL it is given', () => {
    const root = makeProject({ 'a.md': '---\ntitle: A\ndate: 2024-01-01\n---\n<p>a</p>' });
    const args = ['--root', root, '--no-search', '-q', '--base-url', 'https://ex.org/news/'];
    expect(gazette('build', ...args).status).toBe(0);
    const checked = gazette('check', '--out', path.join(root, 'site'));
    expect(checked.stderr).toMatch(/the site was built for https:\/\/ex.org\/news\/, not /);
    expect(checked.status).toBe(0);
  });

  it('dates the sitemap of an archive from before 1970 by its newest article', () => {
    const root = makeProject(
      {
        'moon.md': '---\ntitle: Moon\ndate: 1969-07-20 20:17\ncategories: [Space]\n---\n<p>a</p>',
        'sputnik.md':
          '---\ntitle: Sputnik\ndate: 1957-10-04 19:28\ncategories: [Space]\n---\n<p>b</p>',
      },
      'baseUrl: https://example.org/\ntimezone: UTC\n',
    );
    expect(gazette('build', '--root', root, '-q', '--no-search').status).toBe(0);
    const sitemap = readFileSync(path.join(root, 'site', 'sitemap.xml'), 'utf8');
    expect(sitemap).not.toContain('1970-01-01');
    expect(sitemap).toContain('<lastmod>1969-07-20');
  });

  it('says a strict build that failed wrote nothing', () => {
    const root = makeProject({
      'a.md': '---\ntitle: A\ndate: 2024-01-01\n---\n<p>a</p>',
      'b.md': '---\ntitle: "broken\ndate: 2024-01-02\n---\n<p>b</p>',
    });
    const result = gazette('build', '--root', root, '--no-search', '--strict');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/no file written; 1 errors/);
    expect(result.stderr).toMatch(/--strict and 1 error\(s\): the previous site was kept/);
    expect(existsSync(path.join(root, 'site'))).toBe(false);
  });

  it('explains a missing folder or an unwritable report in one line, without a stack', () => {
    const root = makeProject({ 'a.md': '---\ntitle: A\ndate: 2024-01-01\n---\n<p>a</p>' });
    const cases: [string[], number, RegExp][] = [
      [['build', '--root', root, '--content', 'nope'], 2, /^gazette: content folder not found: /],
      [
        ['build', '--root', root, '--content', path.join(root, 'content', 'a.md')],
        2,
        /^gazette: content folder .*a\.md is a file: give the folder/,
      ],
      // A Jekyll or Hexo site root given for both: every source, drafts too, would be public.
      [
        [
          'build',
          '--root',
          makeProject({ 'a.md': '---\ntitle: A\n---\nA' }, 'publicDir: content\n'),
        ],
        2,
        /^gazette: .*"publicDir" .* is or holds the content folder/,
      ],
      [['check', '--out', path.join(root, 'nope')], 2, /^gazette: no built site at /],
      [
        [
          'build',
          '--root',
          root,
          '-q',
          '--no-search',
          '--report',
          path.join(root, 'no/dir/r.json'),
        ],
        2,
        /^gazette: cannot write the report to .*: ENOENT$/m,
      ],
      [
        ['dev', '--root', root, '--no-search', '--host', '10.255.255.1'],
        2,
        /^gazette: the dev server cannot listen there: .*EADDRNOTAVAIL/m,
      ],
    ];
    for (const [args, status, message] of cases) {
      const result = gazette(...args);
      expect(result.status, args.join(' ')).toBe(status);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
