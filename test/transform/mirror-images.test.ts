import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { isNonPublicAddress } from '../../src/transform/fetch-image.ts';
import {
  applyImageReplacements,
  collectRemoteImages,
  mirrorImages,
  sniffImageType,
} from '../../src/transform/mirror-images.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

let server: Server;
let origin: string;
const requests: string[] = [];
let flakyFailures = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = request.url ?? '/';
    requests.push(url);
    if (request.headers.referer) {
      response.writeHead(403).end();
      return;
    }
    if (url === '/a.png') response.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    else if (url === '/b.jpg' || url === '/b-copy.jpg')
      response.writeHead(200, { 'content-type': 'image/jpeg' }).end(JPEG);
    else if (url === '/evil.svg')
      response.writeHead(200, { 'content-type': 'image/svg+xml' }).end(SVG);
    else if (url === '/fake.jpg')
      response.writeHead(200, { 'content-type': 'image/jpeg' }).end('<html>not an image</html>');
    else if (url === '/huge.jpg')
      response
        .writeHead(200, { 'content-type': 'image/jpeg' })
        .end(Buffer.concat([JPEG, Buffer.alloc(300_000)]));
    else if (url === '/flaky.png') {
      if (flakyFailures++ < 1) response.writeHead(503).end();
      else response.writeHead(200).end(PNG);
    } else if (url === '/to-file.png')
      response.writeHead(302, { location: 'file:///etc/passwd' }).end();
    else if (url === '/to-a.png') response.writeHead(301, { location: '/a.png' }).end();
    else if (url === '/slow.png') setTimeout(() => response.writeHead(200).end(PNG), 2_000);
    else response.writeHead(404).end('missing');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function article(relativePath: string, images: string[], cover?: string) {
  const html = images
    .map(
      (src, index) =>
        `<p><img src="${src}" srcset="${src} 1x, ${src} 2x"${index ? ' loading="lazy"' : ''} referrerpolicy="no-referrer"></p>`,
    )
    .join('');
  return { relativePath, html, ...(cover ? { cover: { src: cover } } : {}) };
}

describe('mirroring images', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'gazette-mirror-'));
  const outDir = path.join(work, 'site');
  const cacheDir = path.join(work, 'cache');
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  // The test server is on 127.0.0.1, which mirroring refuses unless told otherwise.
  const config = defaultConfig();
  const options = () => ({
    config: { ...config, images: { ...config.images, mirrorPrivateHosts: true } },
    outDir,
    cacheDir,
    timeoutMs: 500,
    retries: 1,
    maxBytes: 100_000,
  });

  it('downloads images into the output under content-hashed names', async () => {
    const articles = [
      article('one.md', [`${origin}/a.png`, `${origin}/b.jpg`], `${origin}/a.png`),
      article('two.md', [
        `${origin}/b-copy.jpg`,
        `${origin}/missing.jpg`,
        `${origin}/evil.svg`,
        `${origin}/fake.jpg`,
        `${origin}/huge.jpg`,
        `${origin}/flaky.png`,
        `${origin}/slow.png`,
      ]),
    ];
    const result = await mirrorImages(articles, options());

    expect(result.downloaded).toBe(4); // a, b, b-copy (same bytes as b), flaky after a retry
    expect(result.replacements.get(`${origin}/a.png`)).toMatch(/^\/media\/[0-9a-f]{20}\.png$/);
    expect(result.replacements.get(`${origin}/b.jpg`)).toMatch(/^\/media\/[0-9a-f]{20}\.jpg$/);
    expect(result.replacements.get(`${origin}/b-copy.jpg`)).toBe(
      result.replacements.get(`${origin}/b.jpg`),
    );
    expect(result.replacements.get(`${origin}/flaky.png`)).toBe(
      result.replacements.get(`${origin}/a.png`),
    );
    for (const local of result.replacements.values()) {
      expect(existsSync(path.join(outDir, local))).toBe(true);
    }
    expect(readFileSync(path.join(outDir, result.replacements.get(`${origin}/a.png`)!))).toEqual(
      PNG,
    );
    expect(readdirSync(path.join(outDir, 'media'))).toHaveLength(2);

    // Failures keep the remote URL and are reported against the article that uses them.
    for (const name of ['missing.jpg', 'evil.svg', 'fake.jpg', 'huge.jpg', 'slow.png']) {
      expect(result.replacements.has(`${origin}/${name}`)).toBe(false);
      expect(
        result.diagnostics.some(
          (d) => d.file === 'two.md' && d.severity === 'warning' && d.message.includes(name),
        ),
      ).toBe(true);
    }
    expect(result.diagnostics.find((d) => d.message.includes('missing.jpg'))?.message).toMatch(
      /HTTP 404/,
    );
    expect(result.diagnostics.find((d) => d.message.includes('evil.svg'))?.message).toMatch(
      /not a JPEG, PNG/,
    );
    expect(result.diagnostics.find((d) => d.message.includes('huge.jpg'))?.message).toMatch(
      /larger than/,
    );
    expect(result.diagnostics.find((d) => d.message.includes('slow.png'))?.message).toMatch(
      /timed out/,
    );

    const rewritten = applyImageReplacements(
      { html: articles[0]!.html, cover: articles[0]!.cover },
      result.replacements,
    );
    expect(rewritten.html).not.toContain(origin);
    expect(rewritten.html).toContain(`src="${result.replacements.get(`${origin}/a.png`)}"`);
    expect(rewritten.cover?.src).toBe(result.replacements.get(`${origin}/a.png`));
    const untouched = applyImageReplacements({ html: articles[1]!.html }, result.replacements);
    expect(untouched.html).toContain(`${origin}/missing.jpg`);
  });

  it('fetches nothing new on a rebuild, even into a fresh output folder', async () => {
    requests.length = 0;
    const freshOut = path.join(work, 'site2');
    const articles = [
      article('one.md', [`${origin}/a.png`, `${origin}/b.jpg`]),
      article('two.md', [`${origin}/missing.jpg`]),
    ];
    const result = await mirrorImages(articles, { ...options(), outDir: freshOut });
    expect(requests).toEqual([]);
    expect(result.downloaded).toBe(0);
    expect(result.fromCache).toBe(2);
    expect(existsSync(path.join(freshOut, result.replacements.get(`${origin}/a.png`)!))).toBe(true);
    expect(result.diagnostics).toHaveLength(1);
  });

  it('follows redirects over http(s) only', async () => {
    const result = await mirrorImages(
      [article('r.md', [`${origin}/to-a.png`, `${origin}/to-file.png`])],
      { ...options(), cacheDir: path.join(work, 'cache-redirects') },
    );
    expect(result.replacements.get(`${origin}/to-a.png`)).toMatch(/\.png$/);
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/to-file\.png could not be mirrored \(redirected to a file: URL/),
    ]);
  });

  it('fetches nothing from loopback or private addresses unless allowed', async () => {
    requests.length = 0;
    const port = new URL(origin).port;
    const urls = [
      `${origin}/a.png`,
      `http://localhost:${port}/a.png`,
      `http://[::ffff:127.0.0.1]:${port}/a.png`,
      `http://2130706433:${port}/a.png`,
      `http://169.254.169.254/latest/meta-data.png`,
    ];
    const result = await mirrorImages([article('p.md', urls)], {
      ...options(),
      config,
      cacheDir: path.join(work, 'cache-private'),
      retries: 0,
    });
    expect(requests).toEqual([]);
    expect(result.replacements.size).toBe(0);
    expect(result.diagnostics).toHaveLength(urls.length);
    for (const diagnostic of result.diagnostics)
      expect(diagnostic.message).toMatch(/is a loopback or private address, not fetched/);
  });

  it('does not publish an image fetched while private addresses were allowed once they are not', async () => {
    const cacheDir = path.join(work, 'cache-scope');
    const url = `${origin}/b.jpg`;
    const allowed = await mirrorImages([article('s.md', [url])], { ...options(), cacheDir });
    expect(allowed.replacements.has(url)).toBe(true);
    const refused = await mirrorImages([article('s.md', [url])], {
      ...options(),
      config,
      cacheDir,
    });
    expect(refused.replacements.has(url)).toBe(false);
    expect(refused.diagnostics[0]?.message).toMatch(/loopback or private address/);
    // The refusal is not remembered: allowed again, the image is back (from the cache).
    requests.length = 0;
    const again = await mirrorImages([article('s.md', [url])], { ...options(), cacheDir });
    expect(again.replacements.has(url)).toBe(true);
    expect(requests).toEqual([]);
  });

  it('keeps using images an earlier version mirrored from sites that are gone', async () => {
    const cacheDir = path.join(work, 'cache-upgrade');
    const url = 'http://images.invalid/photo.png';
    mkdirSync(path.join(cacheDir, 'images', 'index'), { recursive: true });
    mkdirSync(path.join(cacheDir, 'images', 'blobs'), { recursive: true });
    writeFileSync(path.join(cacheDir, 'images', 'blobs', 'abc.png'), PNG);
    const key = createHash('sha256').update(url).digest('hex').slice(0, 40);
    writeFileSync(
      path.join(cacheDir, 'images', 'index', `${key}.json`),
      JSON.stringify({ url, file: 'abc.png', at: Date.now() }),
    );
    const result = await mirrorImages([article('u.md', [url])], { ...options(), config, cacheDir });
    expect(result).toMatchObject({ fromCache: 1, failed: 0 });
    expect(result.replacements.get(url)).toBe('/media/abc.png');
  });

  it('sends no Referer', async () => {
    const result = await mirrorImages([article('x.md', [`${origin}/a.png`])], {
      ...options(),
      cacheDir: path.join(work, 'cache3'),
    });
    expect(result.downloaded).toBe(1);
  });
});

describe('helpers', () => {
  it('collects remote images from src and srcset, once each', () => {
    expect(
      collectRemoteImages(
        '<img src="https://a.cn/x.jpg?a=1&#x26;b=2" srcset="https://a.cn/x.jpg?a=1&#x26;b=2 1x, https://a.cn/y.jpg 2x"><img src="/local.jpg"><a href="https://a.cn/z.jpg">z</a>',
      ),
    ).toEqual(['https://a.cn/x.jpg?a=1&b=2', 'https://a.cn/y.jpg']);
  });

  it.each([
    [PNG, 'png'],
    [JPEG, 'jpg'],
    [Buffer.from('GIF89a\x01\x00'), 'gif'],
    [Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 '), 'webp'],
    [Buffer.from('\x00\x00\x00\x1cftypavif'), 'avif'],
    [SVG, undefined],
    [Buffer.from('<!doctype html>'), undefined],
  ])('sniffs image types', (bytes, type) => {
    expect(sniffImageType(new Uint8Array(bytes))).toBe(type);
  });
});

describe('isNonPublicAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['224.0.0.1', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['64:ff9b::10.0.0.1', true],
    ['2002:7f00:1::1', true],
    ['fe80::1', true],
    ['fd00::1', true],
    ['8.8.8.8', false],
    ['::ffff:8.8.8.8', false],
    ['2606:4700::1111', false],
  ])('%s → %s', (address, expected) => {
    expect(isNonPublicAddress(address)).toBe(expected);
  });
});
