import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, makeProject } from '../helpers.ts';

/** A 1×1… no: a 4×4 PNG, big enough not to count as a tracking pixel once sized 400×300. */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32 ? zlib.crc32(Buffer.concat([Buffer.from(type), data])) : 0);
    return Buffer.concat([length, Buffer.from(type), data, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(4, 0);
  header.writeUInt32BE(4, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc(4 * (1 + 4 * 3), 0x80);
  for (let row = 0; row < 4; row++) rows[row * 13] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('building with --mirror-images', () => {
  let server: http.Server;
  let origin: string;
  const requests: string[] = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      requests.push(request.url ?? '');
      if (request.url === '/photo.png')
        response.writeHead(200, { 'content-type': 'image/png' }).end(png());
      else response.writeHead(404).end('missing');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('puts images in the site, downloads nothing on a rebuild, and keeps a 404 image remote', async () => {
    const root = makeProject({
      'story.md': `---
title: Mirrored
date: 2024-05-01 10:00
---
<p><img src="${origin}/photo.png" width="400" height="300"></p>
<p><img src="${origin}/gone.png" width="400" height="300"></p>
`,
    });
    // The test server is on 127.0.0.1, which mirroring refuses unless told otherwise.
    const overrides = { images: { mirror: true, upgradeHttp: false, mirrorPrivateHosts: true } };
    const first = await buildProject(root, { overrides });
    expect(first.ok).toBe(true);
    const page = readFileSync(path.join(first.outDir, '2024/05/01/story/index.html'), 'utf8');
    const local = /src="(\/media\/[0-9a-f]+\.png)"/.exec(page)?.[1];
    expect(local).toBeDefined();
    expect(existsSync(path.join(first.outDir, local!))).toBe(true);
    expect(page).toContain(`src="${origin}/gone.png"`);
    expect(
      first.diagnostics.some((d) => d.severity === 'warning' && d.message.includes('gone.png')),
    ).toBe(true);

    const fetchedBefore = requests.filter((url) => url === '/photo.png').length;
    const second = await buildProject(root, { overrides });
    expect(second.ok).toBe(true);
    expect(requests.filter((url) => url === '/photo.png').length).toBe(fetchedBefore);
    expect(existsSync(path.join(second.outDir, local!))).toBe(true);
  });
});
