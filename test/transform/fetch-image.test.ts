import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchImage, RefusedAddress } from '../../src/transform/fetch-image.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
let server: Server;
let port: number;
const requests: string[] = [];

beforeAll(async () => {
  // On both loopbacks: 127.0.0.1 stands for a public host here, ::1 for a private one.
  server = createServer((request, response) => {
    requests.push(`${request.socket.localAddress} ${request.url}`);
    if (request.url === '/to-v6')
      response.writeHead(302, { location: `http://[::1]:${port}/a.png` }).end();
    else if (request.url === '/to-localhost')
      response.writeHead(302, { location: `http://localhost:${port}/a.png` }).end();
    else response.writeHead(200).end(PNG);
  });
  await new Promise<void>((resolve) => server.listen(0, '::', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const onlyV4Allowed = {
  timeoutMs: 2_000,
  maxBytes: 1_000,
  allowPrivateHosts: false,
  isRefused: (address: string) => address !== '127.0.0.1' && address !== '::ffff:127.0.0.1',
};

describe('fetching an image to mirror', () => {
  it('fetches from an allowed address', async () => {
    expect(Buffer.from(await fetchImage(`http://127.0.0.1:${port}/a.png`, onlyV4Allowed))).toEqual(
      PNG,
    );
  });

  it('refuses a redirect to a refused address, before connecting', async () => {
    requests.length = 0;
    await expect(fetchImage(`http://127.0.0.1:${port}/to-v6`, onlyV4Allowed)).rejects.toThrow(
      RefusedAddress,
    );
    expect(requests.map((request) => request.split(' ')[1])).toEqual(['/to-v6']);
  });

  it('refuses a host name by the addresses it resolves to, before connecting', async () => {
    requests.length = 0;
    const refuseAll = { ...onlyV4Allowed, isRefused: () => true };
    await expect(fetchImage(`http://localhost:${port}/a.png`, refuseAll)).rejects.toThrow(
      /is a loopback or private address, not fetched/,
    );
    expect(requests).toEqual([]);
  });
});
