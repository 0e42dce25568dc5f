import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.ts';
import { configDiagnostic, type DevServer, startDev } from '../../src/dev/dev-server.ts';
import { injectReloadClient, RELOAD_CLIENT_TAG } from '../../src/dev/server.ts';
import { articleText, makeDevProject } from './helpers.ts';

/** Waits until `check` holds (the dev server rebuilds after a short debounce). */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check()) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
}

describe('the dev server under a base path', () => {
  let root: string;
  let dev: DevServer;
  let blocker: net.Server;

  beforeAll(async () => {
    root = makeDevProject(
      { 'rail.md': articleText('Rail strike ends'), '乌方.md': articleText('乌方：谈判') },
      'baseUrl: https://example.org/news/\n',
    );
    // Something else holds the wanted port: the next free one is taken.
    blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as net.AddressInfo).port;
    dev = await startDev({ root, port: busy, extensions: [] });
    expect(dev.port).toBeGreaterThan(busy);
  });

  afterAll(async () => {
    await dev?.close();
    await new Promise((resolve) => blocker?.close(resolve));
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const get = (pathname: string, init?: RequestInit) =>
    fetch(new URL(pathname, dev.url), { redirect: 'manual', ...init });

  it('serves the site under its base path, pages uncached and with the reload client', async () => {
    // The address it listens on, not "localhost" (which may be another server's ::1).
    expect(dev.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/news\/$/);
    const home = await get('/news/');
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(home.headers.get('cache-control')).toBe('no-store');
    const html = await home.text();
    expect(html).toContain(RELOAD_CLIENT_TAG);
    // The file on disk is what `build` writes.
    expect(readFileSync(path.join(dev.project.outDir, 'index.html'), 'utf8')).not.toContain(
      '__gazette',
    );
  });

  it('redirects the root to the base path and folders to their trailing slash', async () => {
    const root = await get('/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/news/');
    const href = dev.hrefOf('rail.md')!;
    const bare = await get(href.slice(0, -1));
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe(href);
  });

  it('serves percent-encoded Chinese paths', async () => {
    const href = dev.hrefOf('乌方.md')!;
    expect(href).toMatch(/%E4%B9%8C/);
    const page = await get(href);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('乌方：谈判');
  });

  it('gives static files their content type and charset', async () => {
    const css = await get('/news/assets/gazette.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toBe('no-cache');
    const svg = await get('/news/assets/favicon.svg');
    expect(svg.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const png = await get('/news/images/farm.png');
    expect(png.headers.get('content-type')).toBe('image/png');
    const head = await get('/news/assets/gazette.css', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it("answers unknown paths with the theme's 404 page and status 404", async () => {
    for (const pathname of ['/news/no/such/page/', '/elsewhere/', '/news/../../etc/passwd']) {
      const response = await get(pathname);
      expect(response.status, pathname).toBe(404);
      const html = await response.text();
      expect(html).toContain('not-found');
      expect(html).toContain(RELOAD_CLIENT_TAG);
    }
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get('/news/', { method: 'POST' })).status).toBe(405);
  });
});

describe('the reload client tag', () => {
  it('goes before </head>, or at the end of a page without one', () => {
    expect(injectReloadClient('<html><head><title>x</title></HEAD><body>')).toBe(
      `<html><head><title>x</title>${RELOAD_CLIENT_TAG}\n</HEAD><body>`,
    );
    expect(injectReloadClient('<p>bare')).toBe(`<p>bare\n${RELOAD_CLIENT_TAG}`);
  });
});

describe('the dev server after a new base path', () => {
  it('serves the site under the new path', async () => {
    const root = makeDevProject(
      { 'rail.md': articleText('Rail strike ends') },
      'baseUrl: https://example.org/a/\nsearch:\n  enabled: false\n',
    );
    const dev = await startDev({ root, port: 0, extensions: [], debounceMs: 10 });
    try {
      const status = async (pathname: string) =>
        (await fetch(new URL(pathname, dev.url), { redirect: 'manual' })).status;
      expect(await status('/a/')).toBe(200);
      writeFileSync(
        path.join(root, 'gazette.config.yml'),
        'baseUrl: https://example.org/b/\nsearch:\n  enabled: false\n',
      );
      await eventually(async () => (await status('/b/')) === 200);
      expect(await status('/b/')).toBe(200);
      expect(await status('/b/assets/gazette.css')).toBe(200);
      expect(await status('/a/')).toBe(404);
    } finally {
      await dev.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the dev server after a public/ file appears', () => {
  it('shows the body image that names it, as a build does', async () => {
    const root = makeDevProject(
      {
        'pic.md':
          '---\ntitle: Picture\ndate: 2024-05-01 10:00\n---\n<p>Text <img src="/images/new-pic.png"></p>\n',
      },
      'search:\n  enabled: false\n',
    );
    const dev = await startDev({ root, port: 0, extensions: [], debounceMs: 10 });
    try {
      const page = async () =>
        (await fetch(new URL('2024/05/01/pic/', dev.url), { redirect: 'manual' })).text();
      expect(await page()).not.toContain('new-pic.png');
      mkdirSync(path.join(root, 'public', 'images'), { recursive: true });
      writeFileSync(path.join(root, 'public', 'images', 'new-pic.png'), 'png');
      await eventually(async () => (await page()).includes('new-pic.png'));
      expect(await page()).toContain('<img src="/images/new-pic.png"');
    } finally {
      await dev.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the dev server after a failed first build', () => {
  it('leaves an output folder that build and clean know as Gazette’s', async () => {
    const root = makeDevProject(
      { 'rail.md': articleText('Rail strike ends') },
      'search:\n  enabled: false\n',
    );
    // A broken template and no previous site: the server writes what it could make.
    mkdirSync(path.join(root, 'templates'), { recursive: true });
    writeFileSync(path.join(root, 'templates', 'article.njk'), '{{ article.title }');
    const dev = await startDev({ root, port: 0, extensions: [], debounceMs: 10 });
    try {
      expect((await fetch(dev.url)).status).toBe(200);
    } finally {
      await dev.close();
    }
    const outDir = path.join(root, 'site');
    expect(existsSync(path.join(outDir, 'index.html'))).toBe(true);
    rmSync(path.join(root, 'templates'), { recursive: true });
    try {
      const built = await build({ root });
      expect(built.ok).toBe(true);
      expect(readFileSync(path.join(outDir, 'index.html'), 'utf8')).toContain('Rail strike ends');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the dev server after an edit that changes the newest date', () => {
  it('dates the home pages as a build does, also those not listing the edited article', async () => {
    const root = makeDevProject(
      Object.fromEntries(
        [1, 2, 3].map((day) => [
          `a${day}.md`,
          articleText(`Article ${day}`, { date: `2022-04-0${day} 10:00:00` }),
        ]),
      ),
      'pageSize: 2\nsearch:\n  enabled: false\n',
    );
    const dev = await startDev({ root, port: 0, extensions: [], debounceMs: 10 });
    try {
      const page = async (pathname: string) => (await fetch(new URL(pathname, dev.url))).text();
      expect(await page('page/2/')).toContain('2022-04-03');
      // The oldest article, on the second page only, is updated after the newest one's date.
      const file = path.join(root, 'content', 'a1.md');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('lang: en', 'lang: en\nupdated: 2024-01-01 08:00:00'),
      );
      await eventually(async () => (await page('')).includes('2024-01-01'));
      for (const pathname of ['', 'page/2/']) expect(await page(pathname)).toContain('2024-01-01');
    } finally {
      await dev.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the dev server after an edit to one of two copies of a story', () => {
  it('serves the larger copy, as a build does', async () => {
    const copy = (body: string) =>
      articleText('Article X')
        .replace('lang: en', 'lang: en\nlink: https://example.com/story')
        .replace(/<p>Body of Article X\..*<\/p>/, `<p>${body}</p>`);
    const root = makeDevProject(
      {
        'x1.md': copy(`Long body one. ${'More words. '.repeat(40)}`),
        'x2.md': copy('Short body two.'),
      },
      'search:\n  enabled: false\n',
    );
    const dev = await startDev({ root, port: 0, extensions: [], debounceMs: 10 });
    try {
      const status = async (pathname: string) =>
        (await fetch(new URL(pathname, dev.url), { redirect: 'manual' })).status;
      expect(await status('2025/03/01/x1/')).toBe(200);
      writeFileSync(path.join(root, 'content', 'x1.md'), copy('tiny'));
      await eventually(async () => (await status('2025/03/01/x2/')) === 200);
      expect(await status('2025/03/01/x2/')).toBe(200);
      expect(await status('2025/03/01/x1/')).toBe(404);
    } finally {
      await dev.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("the dev server with the site owner's own page at an article's permalink", () => {
  it('keeps the page and moves the article aside when the site is collected again', async () => {
    const root = makeDevProject(
      {
        'about.md': articleText('About the scraper').replace(
          'lang: en',
          'lang: en\npermalink: /about/',
        ),
      },
      'search:\n  enabled: false\n',
    );
    mkdirSync(path.join(root, 'public', 'about'), { recursive: true });
    writeFileSync(
      path.join(root, 'public', 'about', 'index.html'),
      '<p>The owner’s about page</p>',
    );
    const dev = await startDev({ root, port: 0, extensions: [], debounceMs: 10 });
    try {
      const text = async (pathname: string) => (await fetch(new URL(pathname, dev.url))).text();
      expect(await text('about/')).toContain('The owner’s about page');
      expect(await text('about-2/')).toContain('About the scraper');
      // A new article makes the server collect the site again, with the same rule.
      writeFileSync(
        path.join(root, 'content', 'new.md'),
        articleText('Newer story', { date: '2025-03-05 09:00:00' }),
      );
      await eventually(async () => (await text('')).includes('Newer story'));
      expect(await text('about/')).toContain('The owner’s about page');
      expect(await text('about-2/')).toContain('About the scraper');
    } finally {
      await dev.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the output folder after a dev session', () => {
  it('loses the pages the dev server rewrote once the site no longer has them', async () => {
    const root = makeDevProject(
      {
        'rail.md': articleText('Rail strike ends'),
        'port.md': articleText('Port reopens', { date: '2025-03-02 09:00:00' }),
      },
      'search:\n  enabled: false\n',
    );
    const pageFile = path.join(root, 'site', '2025', '03', '01', 'rail', 'index.html');
    const dev = await startDev({ root, port: 0, extensions: [], debounceMs: 10 });
    try {
      const file = path.join(root, 'content', 'rail.md');
      writeFileSync(file, readFileSync(file, 'utf8').replace('</p>', ' Edited.</p>'));
      await eventually(async () => readFileSync(pageFile, 'utf8').includes('Edited.'));
    } finally {
      await dev.close();
    }
    try {
      rmSync(path.join(root, 'content', 'rail.md'));
      expect((await build({ root })).ok).toBe(true);
      expect(existsSync(pageFile)).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('a config error in the dev server', () => {
  it('names the file once, with the line the loader gave', () => {
    expect(
      configDiagnostic('gazette.config.yml', 'gazette.config.yml:3: "pageSize" must be a number'),
    ).toEqual({
      severity: 'error',
      file: 'gazette.config.yml',
      line: 3,
      message: '"pageSize" must be a number',
    });
    expect(configDiagnostic('g.yml', 'g.yml: the config must be a map')).toEqual({
      severity: 'error',
      file: 'g.yml',
      message: 'the config must be a map',
    });
    expect(configDiagnostic('g.yml', 'Config file not found: /x/g.yml').message).toBe(
      'Config file not found: /x/g.yml',
    );
    // A YAML syntax error names the file by its path.
    expect(configDiagnostic('/site/g.yml', '/site/g.yml:5: unexpected end of the stream')).toEqual({
      severity: 'error',
      file: 'g.yml',
      line: 5,
      message: 'unexpected end of the stream',
    });
  });
});

describe("the dev server's feeds and sitemap", () => {
  it('follow edits, new and deleted articles, as a build makes them', async () => {
    const root = makeDevProject(
      Object.fromEntries(
        [1, 2, 3].map((day) => [
          `a${day}.md`,
          articleText(`Article ${day}`, { date: `2022-04-0${day} 10:00:00`, tags: ['energy'] }),
        ]),
      ),
      'baseUrl: https://example.org/news/\nsearch:\n  enabled: false\n',
    );
    const dev = await startDev({ root, port: 0, debounceMs: 10 });
    const served = async (pathname: string) => {
      const response = await fetch(new URL(pathname, dev.url));
      return response.ok ? response.text() : `(${response.status})`;
    };
    const content = (name: string) => path.join(root, 'content', name);
    try {
      expect(await served('feed.xml')).toContain('Article 1');
      writeFileSync(content('a1.md'), articleText('Article 1 corrected', { tags: ['energy'] }));
      writeFileSync(
        content('a4.md'),
        articleText('Article 4', { date: '2022-05-01 10:00:00', tags: ['fresh'] }),
      );
      await eventually(async () => (await served('tags/fresh/feed.xml')).includes('Article 4'));
      await dev.settled();
      expect(await served('feed.xml')).toContain('Article 1 corrected');
      expect(await served('tags/energy/atom.xml')).toContain('Article 1 corrected');
      expect(await served('sitemap.xml')).toContain('/news/2022/05/01/a4/');

      // Served as a build makes them from the same articles.
      const copy = makeDevProject({});
      rmSync(path.join(copy, 'content'), { recursive: true });
      cpSync(path.join(root, 'content'), path.join(copy, 'content'), { recursive: true });
      cpSync(path.join(root, 'gazette.config.yml'), path.join(copy, 'gazette.config.yml'));
      expect((await build({ root: copy })).ok).toBe(true);
      for (const file of ['feed.xml', 'feed.json', 'tags/fresh/atom.xml', 'sitemap.xml'])
        expect(await served(file), file).toBe(readFileSync(path.join(copy, 'site', file), 'utf8'));

      // A tag no article has any more loses its feeds.
      rmSync(content('a4.md'));
      await eventually(async () => (await served('tags/fresh/feed.xml')) === '(404)');
      await dev.settled();
      expect(await served('tags/fresh/feed.json')).toBe('(404)');
      expect(await served('sitemap.xml')).not.toContain('/a4/');
    } finally {
      await dev.close();
    }
    // The next build makes them again rather than trusting what the server wrote.
    const result = await build({ root });
    expect(result.ok).toBe(true);
    expect(existsSync(path.join(root, 'site', 'tags', 'fresh'))).toBe(false);
    rmSync(root, { recursive: true, force: true });
  });
});

describe("the dev server's related articles", () => {
  it('follow an edited title onto the pages that list it, not only its neighbours', async () => {
    const root = makeDevProject(
      Object.fromEntries(
        [1, 2, 3, 4, 5, 6, 7].map((day) => [
          `a${day}.md`,
          articleText(`Article ${day}`, { date: `2022-04-0${day} 10:00:00`, tags: ['energy'] }),
        ]),
      ),
      'search:\n  enabled: false\n',
    );
    const dev = await startDev({ root, port: 0, debounceMs: 10 });
    const served = async (pathname: string) => (await fetch(new URL(pathname, dev.url))).text();
    try {
      // Article 2 lists 1 and 3 (a day away), then 4 (two days): its neighbours are 3 and 5.
      const related = (html: string) => html.slice(html.indexOf('class="related'));
      expect(related(await served('2022/04/02/a2/'))).toContain('Article 4');
      writeFileSync(
        path.join(root, 'content', 'a4.md'),
        articleText('Article 4 corrected', { date: '2022-04-04 10:00:00', tags: ['energy'] }),
      );
      await eventually(async () =>
        (await served('2022/04/04/a4/')).includes('Article 4 corrected'),
      );
      await dev.settled();
      expect(related(await served('2022/04/02/a2/'))).toContain('Article 4 corrected');
    } finally {
      await dev.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("the dev server's links to archived copies", () => {
  it('take a link to the copy when the story it names is added', async () => {
    const root = makeDevProject(
      {
        'a.md':
          '---\ntitle: Port strike widens\ndate: 2024-05-02 10:00\n---\n<p><a href="https://news.example.cn/talks.html#two">Talks</a> failed.</p>\n',
        // Between the two: the story added is no neighbour of the linking article.
        'b.md': '---\ntitle: Ships wait\ndate: 2024-05-01 12:00\n---\n<p>Text.</p>\n',
      },
      'search:\n  enabled: false\n',
    );
    const dev = await startDev({ root, port: 0, debounceMs: 10 });
    const served = async (pathname: string) => (await fetch(new URL(pathname, dev.url))).text();
    try {
      expect(await served('2024/05/02/a/')).toContain(
        'href="https://news.example.cn/talks.html#two"',
      );
      writeFileSync(
        path.join(root, 'content', 'talks.md'),
        '---\ntitle: Talks fail\ndate: 2024-05-01 10:00\nlink: https://news.example.cn/talks.html\n---\n<p>Text.</p>\n',
      );
      await eventually(async () =>
        (await served('2024/05/02/a/')).includes('href="/2024/05/01/talks/#two"'),
      );
      expect(await served('2024/05/02/a/')).toContain('href="/2024/05/01/talks/#two"');
    } finally {
      await dev.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("the dev server's own pages", () => {
  it('follows an edited About page and links a new one from every page', async () => {
    const about = (text: string) => `---\ntitle: About the desk\nlayout: page\n---\n\n${text}\n`;
    const root = makeDevProject(
      {
        'a.md': articleText('Port strike widens', { date: '2024-05-01 10:00:00' }),
        'about.md': about('We keep the news.'),
      },
      'search:\n  enabled: false\n',
    );
    const dev = await startDev({ root, port: 0, debounceMs: 10 });
    const served = async (pathname: string) => (await fetch(new URL(pathname, dev.url))).text();
    try {
      expect(await served('about/')).toContain('We keep the news.');
      writeFileSync(path.join(root, 'content', 'about.md'), about('We keep and correct the news.'));
      await eventually(async () => (await served('about/')).includes('keep and correct'));
      expect(await served('about/')).toContain('keep and correct');
      writeFileSync(
        path.join(root, 'content', 'contact.md'),
        '---\ntitle: Contact the desk\ntype: page\n---\n\nWrite to us.\n',
      );
      await eventually(async () => (await served('')).includes('Contact the desk'));
      expect(await served('')).toContain('href="/contact/">Contact the desk</a>');
      // An article made a page leaves the lists for its own URL.
      const article = await served('');
      expect(article).toContain('Port strike widens');
      writeFileSync(
        path.join(root, 'content', 'a.md'),
        articleText('Port strike widens', { date: '2024-05-01 10:00:00' }).replace(
          '---\n',
          '---\nlayout: page\n',
        ),
      );
      const status = async (pathname: string) => (await fetch(new URL(pathname, dev.url))).status;
      await eventually(async () => (await status('a/')) === 200);
      expect(await status('a/')).toBe(200);
      expect(await served('a/')).toContain('<h1 class="story__title">Port strike widens</h1>');
    } finally {
      await dev.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("the dev server's expiring articles", () => {
  it('takes down an article that expired while it ran when it is next edited', async () => {
    const expiry = new Date(Date.now() + 2_000).toISOString();
    const text = (body: string) =>
      `---\ntitle: Offer\ndate: 2024-05-01 10:00\nexpiryDate: ${expiry}\n---\n<p>${body}</p>\n`;
    const root = makeDevProject({ 'offer.md': text('Until soon.') }, 'search:\n  enabled: false\n');
    const dev = await startDev({ root, port: 0, debounceMs: 10 });
    const status = async (pathname: string) => (await fetch(new URL(pathname, dev.url))).status;
    try {
      expect(await status('2024/05/01/offer/')).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      writeFileSync(path.join(root, 'content', 'offer.md'), text('Until soon, corrected.'));
      await eventually(async () => (await status('2024/05/01/offer/')) === 404);
      expect(await status('2024/05/01/offer/')).toBe(404);
    } finally {
      await dev.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the dev server starting with a failed build', () => {
  it("deletes the previous site's feeds and pages of a tag gone meanwhile, keeps the rest", async () => {
    const root = makeDevProject(
      { 'rail.md': articleText('Rail strike ends', { tags: ['old'] }) },
      'baseUrl: https://example.org/news/\nsearch:\n  enabled: false\n',
    );
    expect((await build({ root })).ok).toBe(true);
    const stale = ['tags/old/feed.xml', 'tags/old/atom.xml', 'tags/old/index.html'];
    for (const file of stale) expect(existsSync(path.join(root, 'site', file)), file).toBe(true);
    writeFileSync(
      path.join(root, 'content', 'rail.md'),
      articleText('Rail strike ends', { tags: ['new'] }),
    );
    const broken = path.join(root, 'templates', 'tag.njk');
    writeFileSync(
      broken,
      '{% extends "base.njk" %}{% block main %}{{ x | nosuchfilter }}{% endblock %}',
    );
    let firstOk: boolean | undefined;
    const dev = await startDev({
      root,
      port: 0,
      debounceMs: 10,
      onBuild: (result) => {
        firstOk ??= result.ok;
      },
    });
    try {
      expect(firstOk).toBe(false);
      await dev.settled();
      // Gone at once: no build of this site has them, whatever its templates.
      for (const file of stale) expect(existsSync(path.join(root, 'site', file)), file).toBe(false);
      expect(existsSync(path.join(root, 'site', 'tags', 'new', 'feed.xml'))).toBe(true);
      // The article's page stays, and the tag's page comes once its template is fixed.
      expect(existsSync(path.join(root, 'site', '2025', '03', '01', 'rail', 'index.html'))).toBe(
        true,
      );
      rmSync(broken);
      await eventually(async () =>
        existsSync(path.join(root, 'site', 'tags', 'new', 'index.html')),
      );
      expect(existsSync(path.join(root, 'site', 'tags', 'new', 'index.html'))).toBe(true);
    } finally {
      await dev.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the dev server after an undated article is saved again', () => {
  it('dates its pages by the new file time, as a build does', async () => {
    const root = makeDevProject(
      { 'rail.md': articleText('Rail strike ends').replace(/^date: .*\n/m, '') },
      'timezone: UTC\nsearch:\n  enabled: false\n',
    );
    const file = path.join(root, 'content', 'rail.md');
    const at = (time: string) => utimesSync(file, new Date(time), new Date(time));
    at('2025-03-01T09:00:00Z');
    const dev = await startDev({ root, port: 0, debounceMs: 10 });
    try {
      const page = async () => (await fetch(new URL('2025/03/01/rail/', dev.url))).text();
      expect(await page()).toContain('2025-03-01T09:00:00');
      at('2025-03-01T10:30:00Z');
      await eventually(async () => (await page()).includes('2025-03-01T10:30:00'));
      expect(await page()).toContain('2025-03-01T10:30:00');
    } finally {
      await dev.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
