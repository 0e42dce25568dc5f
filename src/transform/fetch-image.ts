/**
 * Fetches one remote image for mirroring. Its URL comes from a scraped page, so by default it
 * may not make the build fetch from the building machine or its network: loopback, private,
 * link-local and other non-public addresses are refused, on every redirect, and checked on the
 * addresses the connection is actually made to (a host name resolving to a public address
 * when checked and to 127.0.0.1 when connecting gains nothing).
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/** A failure that trying again will not mend (a 404, not an image, a refused address). */
export class PermanentFailure extends Error {}

/** An address the build may not fetch from (loopback, private, …). */
export class RefusedAddress extends PermanentFailure {}

export interface FetchImageOptions {
  timeoutMs: number;
  maxBytes: number;
  /** Fetch from loopback and private addresses too (`images.mirrorPrivateHosts`). */
  allowPrivateHosts: boolean;
  /** Which addresses are refused; tests narrow it to reach a local server at all. */
  isRefused?: (address: string) => boolean;
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const NOT_PUBLIC = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  NOT_PUBLIC.addSubnet(prefix, bits, 'ipv4');
for (const [prefix, bits] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  NOT_PUBLIC.addSubnet(prefix, bits, 'ipv6');

/** An IPv4 address carried in an IPv6 one (`::ffff:127.0.0.1`, NAT64, 6to4), if any. */
function embeddedIpv4(address: string): string | undefined {
  const parts = new net.SocketAddress({ address, family: 'ipv6' }).address;
  const mapped = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(parts);
  if (mapped) return mapped[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(parts);
  const sixToFour = /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4}):/i.exec(parts);
  const words = hex ?? sixToFour;
  if (!words) return undefined;
  const high = Number.parseInt(words[1]!, 16);
  const low = Number.parseInt(words[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Whether an IP address is loopback, private, link-local, shared, multicast or reserved. */
export function isNonPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return NOT_PUBLIC.check(address, 'ipv4');
  if (family !== 6) return true;
  const ipv4 = embeddedIpv4(address);
  return ipv4 !== undefined ? NOT_PUBLIC.check(ipv4, 'ipv4') : NOT_PUBLIC.check(address, 'ipv6');
}

function refused(address: string): RefusedAddress {
  return new RefusedAddress(
    `${address} is a loopback or private address, not fetched (images.mirrorPrivateHosts allows it)`,
  );
}

/** `dns.lookup` that fails for refused addresses: what the socket connects to is checked. */
const lookupRefusing =
  (isRefused: (address: string) => boolean): net.LookupFunction =>
  (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      const bad = addresses.find((entry) => isRefused(entry.address));
      if (bad || addresses.length === 0) {
        callback(refused(bad?.address ?? hostname), '', 0);
        return;
      }
      if (options.all)
        (callback as (error: null, all: dns.LookupAddress[]) => void)(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };

function get(
  url: URL,
  options: FetchImageOptions,
  signal: AbortSignal,
): Promise<http.IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(url, {
      signal,
      headers: { accept: 'image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1' },
      ...(options.allowPrivateHosts
        ? {}
        : { lookup: lookupRefusing(options.isRefused ?? isNonPublicAddress) }),
    });
    request.once('response', resolve);
    request.once('error', reject);
  });
}

/** The image's bytes; throws `PermanentFailure` for what a retry would not change. */
export async function fetchImage(url: string, options: FetchImageOptions): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let current = new URL(url);
  try {
    for (let redirects = 0; ; redirects++) {
      if (current.protocol !== 'http:' && current.protocol !== 'https:')
        throw new PermanentFailure(`redirected to a ${current.protocol} URL`);
      const host = current.hostname.replace(/^\[|\]$/g, '');
      // An address written in the URL is connected to without a lookup: checked here.
      const isRefused = options.isRefused ?? isNonPublicAddress;
      if (!options.allowPrivateHosts && net.isIP(host) && isRefused(host)) throw refused(host);
      const response = await get(current, options, signal);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECTS.has(status) && location) {
        response.resume();
        if (redirects >= MAX_REDIRECTS) throw new PermanentFailure('too many redirects');
        current = new URL(location, current);
        continue;
      }
      if (status < 200 || status > 299) {
        response.resume();
        const message = `HTTP ${status}`;
        if (status >= 500 || status === 429 || status === 408) throw new Error(message);
        throw new PermanentFailure(message);
      }
      if (Number(response.headers['content-length']) > options.maxBytes) {
        response.destroy();
        throw new PermanentFailure(`larger than ${options.maxBytes} bytes`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response as AsyncIterable<Buffer>) {
        size += chunk.byteLength;
        if (size > options.maxBytes) {
          response.destroy();
          throw new PermanentFailure(`larger than ${options.maxBytes} bytes`);
        }
        chunks.push(chunk);
      }
      return Buffer.concat(chunks);
    }
  } catch (error) {
    if (signal.aborted && !(error instanceof PermanentFailure)) {
      const timeout = new Error(`timed out after ${options.timeoutMs} ms`);
      timeout.name = 'TimeoutError';
      throw timeout;
    }
    throw error;
  }
}
