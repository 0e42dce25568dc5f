import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { aliasSitePath, articleAliases, redirectPage } from '../../src/render/redirects.ts';
import { buildProject, elements, makeProject, readPage } from '../helpers.ts';

describe('aliasSitePath', () => {
  it('gives a folder page for a path, the file itself for an .html path', () => {
    expect(aliasSitePath('/2019/old-post/')).toEqual({ sitePath: '/2019/old-post/index.html' });
    expect(aliasSitePath('/2019/old-post')).toEqual({ sitePath: '/2019/old-post/index.html' });
    expect(aliasSitePath('old/post.html')).toEqual({ sitePath: '/old/post.html' });
    expect(aliasSitePath('/%E6%97%A7/')).toEqual({ sitePath: '/旧/index.html' });
  });

  it('refuses other sites, queries, the home page and paths that leave the site', () => {
    for (const alias of [
      'https://evil.example/x',
      '//evil.example/x',
      'javascript:alert(1)',
      '/a?id=3',
      '/a#b',
      '/',
      '../../etc/passwd',
      '/a/%2e%2e/%2e%2e/b',
      '/.gazette-output',
      '/a/%00/b',
      '/bad%',
      '/con/',
      '/a:b/',
      '/x|y/',
      '/%22%3E%3Cscript%3E/',
      `/${'x'.repeat(201)}/`,
    ]) {
      expect(aliasSitePath(alias), alias).toHaveProperty('problem');
    }
  });
});

describe('articleAliases', () => {
  it('reads Hugo’s aliases, Jekyll’s redirect_from and Hexo’s alias, lists or strings', () => {
    expect(
      articleAliases({
        extra: { aliases: ['/a/', '/b/'], redirect_from: '/c/', alias: ['  ', 3, '/d/'] },
      }),
    ).toEqual(['/a/', '/b/', '/c/', '/d/']);
    expect(articleAliases({ extra: {} })).toEqual([]);
  });
});

describe('redirectPage', () => {
  it('escapes the target everywhere it is written', () => {
    const page = redirectPage('/a/"><script>x</script>', '/a/', 'en');
    expect(page).not.toContain('<script>');
    expect(page).toContain('content="0; url=/a/&#34;&#62;&#60;script&#62;');
  });
});

const article = (title: string, date: string, front = '') =>
  `---\ntitle: ${title}\ndate: ${date}\n${front}---\n<p>${title} text.</p>\n`;

describe('redirect pages in a build', () => {
  it('sends old URLs to the article under the base path, and refuses clashes', async () => {
    const root = makeProject(
      {
        'moved.md': article(
          'Moved story',
          '2022-04-05',
          'aliases: [/2019/old-story/, /old.html, "https://evil.example/", /index.html, /2022/04/04/kept/]\nredirect_from: /jekyll/old/\n',
        ),
        'kept.md': article('Kept story', '2022-04-04', 'aliases: [/2019/old-story/]\n'),
      },
      'title: Redirects\nbaseUrl: https://user.github.io/news/\nsearch:\n  enabled: false\n',
    );
    const result = await buildProject(root);
    expect(result.ok).toBe(true);
    const site = result.outDir;
    for (const page of ['2019/old-story/index.html', 'old.html', 'jekyll/old/index.html']) {
      const tree = readPage(site, page);
      const refresh = elements(
        tree,
        (element) => String(element.properties.httpEquiv) === 'refresh',
      );
      expect(refresh.map((element) => element.properties.content)).toEqual([
        '0; url=/news/2022/04/05/moved/',
      ]);
      const canonical = elements(tree, (element) => element.tagName === 'link');
      expect(canonical.map((element) => element.properties.href)).toEqual([
        'https://user.github.io/news/2022/04/05/moved/',
      ]);
    }
    // The home page and the other article stay theirs.
    expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toContain('Kept story');
    expect(readFileSync(path.join(site, '2022/04/04/kept/index.html'), 'utf8')).toContain(
      'Kept story text.',
    );
    const warnings = result.diagnostics.map((d) => `${d.file}: ${d.message}`).join('\n');
    expect(warnings).toContain(
      'moved.md: old URL "https://evil.example/" is a URL of another site',
    );
    expect(warnings).toContain('moved.md: old URL "/index.html" is a page or file of the site');
    expect(warnings).toContain('kept.md: old URL "/2019/old-story/" is also one of moved.md');
    // Not in the sitemap: they are not pages of their own.
    expect(readFileSync(path.join(site, 'sitemap.xml'), 'utf8')).not.toContain('old-story');

    // Old URLs taken out of the front matter: their pages go, or go to the next article
    // that claims them.
    writeFileSync(
      path.join(root, 'content', 'moved.md'),
      article('Moved story', '2022-04-05', 'aliases: [/old.html]\n'),
    );
    const again = await buildProject(root);
    expect(existsSync(path.join(again.outDir, 'jekyll/old/index.html'))).toBe(false);
    expect(existsSync(path.join(again.outDir, 'old.html'))).toBe(true);
    expect(readFileSync(path.join(again.outDir, '2019/old-story/index.html'), 'utf8')).toContain(
      'url=/news/2022/04/04/kept/',
    );
  });

  it('refuses old URLs that differ only in letter case from a page, a file or another old URL', async () => {
    const root = makeProject(
      {
        'hello.md': article(
          'Hello',
          '2022-04-04',
          'aliases: [/2022/04/04/Hello/, /Tags/, /About/, /OLD-A.HTML, /feed.xml/]\n',
        ),
        'other.md': article('Other', '2022-04-03', 'aliases: [/old-a.html]\n'),
      },
      'title: Case\nsearch:\n  enabled: false\n',
    );
    mkdirSync(path.join(root, 'public', 'about'), { recursive: true });
    writeFileSync(path.join(root, 'public', 'about', 'index.html'), '<p>About us</p>');
    const result = await buildProject(root);
    const site = result.outDir;
    expect(readFileSync(path.join(site, '2022/04/04/hello/index.html'), 'utf8')).toContain(
      'Hello text.',
    );
    for (const gone of ['2022/04/04/Hello', 'Tags', 'About'])
      expect(existsSync(path.join(site, gone, 'index.html')), gone).toBe(false);
    expect(existsSync(path.join(site, 'OLD-A.HTML'))).toBe(true);
    expect(existsSync(path.join(site, 'old-a.html'))).toBe(false);
    const warnings = result.diagnostics.map((d) => `${d.file}: ${d.message}`);
    expect(warnings).toContainEqual(
      expect.stringMatching(/hello\.md: old URL "\/Tags\/" is a page or file of the site/),
    );
    expect(warnings).toContainEqual(
      expect.stringMatching(/other\.md: old URL "\/old-a\.html" is also one of hello\.md/),
    );
    // A clash the output found is told once, by the article that wanted the path.
    expect(warnings.filter((warning) => warning.includes('/feed.xml/index.html'))).toHaveLength(1);
  });
});

describe('redirect pages for .html permalinks', () => {
  it('keeps the .html URL a permalink named, as a redirect to the folder Gazette serves', async () => {
    const root = makeProject(
      {
        'custom.md': article('Custom', '2019-03-05', 'permalink: /custom/path/custom-post.html\n'),
        '2019-03-04-hello.md': article('Hello', '2019-03-04'),
        'index-like.md': article('Index like', '2019-03-03', 'permalink: /about/index.html\n'),
      },
      'title: Jekyll\nbaseUrl: https://user.github.io/blog/\npermalink: ":year/:month/:day/:slug.html"\nsearch:\n  enabled: false\n',
    );
    const result = await buildProject(root);
    const site = result.outDir;
    expect(readFileSync(path.join(site, 'custom/path/custom-post.html'), 'utf8')).toContain(
      'url=/blog/custom/path/custom-post/',
    );
    expect(readFileSync(path.join(site, '2019/03/04/hello.html'), 'utf8')).toContain(
      'url=/blog/2019/03/04/hello/',
    );
    // `index.html` permalinks were folders already; no warning for implied old URLs.
    expect(existsSync(path.join(site, 'about.html'))).toBe(false);
    expect(result.diagnostics.filter((d) => /old URL/.test(d.message))).toEqual([]);
  });
});
