/**
 * Image mirroring (opt-in, `images.mirror`): remote images of transformed bodies and covers are
 * downloaded into the output under content-hashed names (`/media/<hash>.<ext>`), so the archive
 * keeps its pictures after the news site deletes them or starts refusing hot-links.
 *
 * Downloads run with bounded concurrency, a timeout, retries on transient failures, a size
 * limit, and type sniffing (magic bytes: only JPEG, PNG, GIF, WebP and AVIF; never SVG, which
 * can carry script). Everything fetched is kept in `cacheDir`, shared across builds: a rebuild
 * fetches nothing it already has. A failure keeps the remote URL and is reported.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { SiteConfig } from '../config/schema.ts';
import type { Diagnostic, Image } from '../model.ts';
import {
  type FetchImageOptions,
  fetchImage,
  isNonPublicAddress,
  PermanentFailure,
  RefusedAddress,
} from './fetch-image.ts';
import { parseSrcset } from './srcset.ts';
import { decodeEntities } from './url.ts';

/** What mirroring needs of an article: its transformed HTML and cover. */
export interface MirrorSubject {
  relativePath: string;
  html: string;
  cover?: Image;
}

export interface MirrorOptions {
  config: SiteConfig;
  /** The site output folder; images are written to `<outDir>/media/`. */
  outDir: string;
  /** Build cache folder (`config.cacheDir`, resolved); images are kept in `<cacheDir>/images/`. */
  cacheDir: string;
  /** Parallel downloads. */
  concurrency?: number;
  /** Per attempt. */
  timeoutMs?: number;
  /** Extra attempts after a transient failure (network error, timeout, 5xx, 429). */
  retries?: number;
  /** Largest image accepted, in bytes. */
  maxBytes?: number;
  /** URL path under which mirrored images are served (root-relative; render adds the base path). */
  mediaPath?: string;
  /** How long a permanent failure (404, not an image, too big) is remembered, in ms. */
  failureTtlMs?: number;
}

export interface MirrorResult {
  /** Remote URL → local root-relative path, for every image now in the output. */
  replacements: Map<string, string>;
  diagnostics: Diagnostic[];
  /** Images fetched over the network in this run. */
  downloaded: number;
  /** Images taken from the cache. */
  fromCache: number;
  failed: number;
}

const IMAGE_TAG = /<(?:img|source)\b[^>]*>/gi;
const URL_ATTRIBUTE = /\s(src|srcset)="([^"]*)"/gi;

/** Remote (http/https) image URLs of a transformed body, in order, without duplicates. */
export function collectRemoteImages(html: string): string[] {
  const urls = new Set<string>();
  for (const tag of html.match(IMAGE_TAG) ?? []) {
    for (const [, name, raw] of tag.matchAll(URL_ATTRIBUTE)) {
      const value = decodeEntities(raw!);
      const candidates =
        name!.toLowerCase() === 'srcset' ? parseSrcset(value).map((c) => c.url) : [value];
      for (const url of candidates) if (/^https?:\/\//i.test(url)) urls.add(url);
    }
  }
  return [...urls];
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&#x26;').replace(/"/g, '&#x22;');
}

/** Rewrites the image URLs of a transformed body (and its cover) to their mirrored copies. */
export function applyImageReplacements<T extends { html: string; cover?: Image }>(
  body: T,
  replacements: ReadonlyMap<string, string>,
): T {
  if (replacements.size === 0) return body;
  const html = body.html.replace(IMAGE_TAG, (tag) =>
    tag.replace(URL_ATTRIBUTE, (whole, name: string, raw: string) => {
      const value = decodeEntities(raw);
      let replaced: string;
      if (name.toLowerCase() === 'srcset') {
        replaced = parseSrcset(value)
          .map(({ url, descriptor }) =>
            [replacements.get(url) ?? url, descriptor].filter(Boolean).join(' '),
          )
          .join(', ');
      } else {
        replaced = replacements.get(value) ?? value;
      }
      return replaced === value ? whole : ` ${name}="${escapeAttribute(replaced)}"`;
    }),
  );
  const coverSrc = body.cover ? replacements.get(body.cover.src) : undefined;
  const cover = body.cover && coverSrc ? { ...body.cover, src: coverSrc } : body.cover;
  return { ...body, html, ...(cover ? { cover } : {}) };
}

/** The file extension of a raster image, from its first bytes; undefined for anything else. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return 'jpg';
  if (bytes.length >= 8 && ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (bytes.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return 'gif';
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (bytes.length >= 12 && ascii(4, 8) === 'ftyp' && /^avi[fs]$/.test(ascii(8, 12))) return 'avif';
  return undefined;
}

interface CacheEntry {
  url: string;
  /** `<hash>.<ext>` in the blob store, when the download succeeded. */
  file?: string;
  /** Fetched while private addresses were allowed (`images.mirrorPrivateHosts`). */
  anyAddress?: true;
  /** Why it failed, when it failed permanently. */
  error?: string;
  at: number;
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}

async function download(
  url: string,
  options: FetchImageOptions,
): Promise<{ bytes: Uint8Array; ext: string }> {
  const bytes = await fetchImage(url, options);
  const ext = sniffImageType(bytes);
  if (!ext) throw new PermanentFailure('not a JPEG, PNG, GIF, WebP or AVIF image');
  return { bytes, ext };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a URL names a private address or `localhost` itself (no lookup). */
function namesPrivateHost(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (host === 'localhost' || host.endsWith('.localhost')) return true;
    return net.isIP(host) !== 0 && isNonPublicAddress(host);
  } catch {
    return true;
  }
}

/**
 * Mirrors the remote images of transformed articles. Call after the transform stage, then
 * rewrite each body with `applyImageReplacements(body, result.replacements)`.
 */
export async function mirrorImages(
  articles: readonly MirrorSubject[],
  options: MirrorOptions,
): Promise<MirrorResult> {
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const retries = Math.max(0, options.retries ?? 2);
  const maxBytes = options.maxBytes ?? 15 * 1024 * 1024;
  const failureTtlMs = options.failureTtlMs ?? 7 * 24 * 3600 * 1000;
  const mediaPath = (options.mediaPath ?? '/media/').replace(/\/?$/, '/');
  const mediaDir = path.join(options.outDir, ...mediaPath.split('/').filter(Boolean));
  const indexDir = path.join(options.cacheDir, 'images', 'index');
  const blobDir = path.join(options.cacheDir, 'images', 'blobs');
  await Promise.all([
    mkdir(mediaDir, { recursive: true }),
    mkdir(indexDir, { recursive: true }),
    mkdir(blobDir, { recursive: true }),
  ]);

  // Each URL once, reported against the first article that uses it.
  const firstUser = new Map<string, string>();
  for (const article of articles) {
    const urls = collectRemoteImages(article.html);
    if (article.cover && /^https?:\/\//i.test(article.cover.src)) urls.push(article.cover.src);
    for (const url of urls) if (!firstUser.has(url)) firstUser.set(url, article.relativePath);
  }

  const result: MirrorResult = {
    replacements: new Map(),
    diagnostics: [],
    downloaded: 0,
    fromCache: 0,
    failed: 0,
  };

  const publish = async (url: string, file: string) => {
    const target = path.join(mediaDir, file);
    if (!(await exists(target))) await copyFile(path.join(blobDir, file), target);
    result.replacements.set(url, `${mediaPath}${file}`);
  };

  const mirrorOne = async (url: string) => {
    const anyAddress = options.config.images.mirrorPrivateHosts;
    const indexFile = path.join(indexDir, `${sha256(url).slice(0, 40)}.json`);
    let entry: CacheEntry | undefined;
    try {
      entry = JSON.parse(await readFile(indexFile, 'utf8')) as CacheEntry;
      if (entry.url !== url) entry = undefined;
    } catch {
      entry = undefined;
    }
    // An image fetched while private addresses were allowed is not used once they are not,
    // nor one an earlier version fetched from an address written in its URL that is private.
    if (!anyAddress && entry?.file && (entry.anyAddress || namesPrivateHost(url)))
      entry = undefined;
    if (entry?.file && (await exists(path.join(blobDir, entry.file)))) {
      await publish(url, entry.file);
      result.fromCache++;
      return;
    }
    if (entry?.error && Date.now() - entry.at < failureTtlMs) {
      result.failed++;
      result.diagnostics.push(failure(url, entry.error, true));
      return;
    }
    let lastError = 'unknown error';
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(100 * 2 ** attempt);
      try {
        const { bytes, ext } = await download(url, {
          timeoutMs,
          maxBytes,
          allowPrivateHosts: options.config.images.mirrorPrivateHosts,
        });
        const file = `${sha256(bytes).slice(0, 20)}.${ext}`;
        const blob = path.join(blobDir, file);
        if (!(await exists(blob))) await writeAtomically(blob, bytes);
        await writeAtomically(
          indexFile,
          JSON.stringify({
            url,
            file,
            at: Date.now(),
            ...(anyAddress ? { anyAddress: true as const } : {}),
          } satisfies CacheEntry),
        );
        await publish(url, file);
        result.downloaded++;
        return;
      } catch (error) {
        lastError =
          error instanceof Error
            ? error.name === 'TimeoutError'
              ? `timed out after ${timeoutMs} ms`
              : error.message
            : String(error);
        // A refused address is not remembered: the setting or the host's address may change.
        if (error instanceof RefusedAddress) break;
        if (error instanceof PermanentFailure) {
          await writeAtomically(
            indexFile,
            JSON.stringify({ url, error: lastError, at: Date.now() } satisfies CacheEntry),
          );
          break;
        }
      }
    }
    result.failed++;
    result.diagnostics.push(failure(url, lastError, false));
  };

  const failure = (url: string, reason: string, cached: boolean): Diagnostic => ({
    severity: 'warning',
    file: firstUser.get(url) ?? '',
    message: `image ${url} could not be mirrored (${reason}${cached ? ', remembered from an earlier build' : ''}); the remote URL is kept`,
  });

  const queue = [...firstUser.keys()];
  const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      try {
        await mirrorOne(url);
      } catch (error) {
        // A cache or output write failed: keep the remote URL, say why.
        result.failed++;
        result.diagnostics.push(
          failure(url, error instanceof Error ? error.message : String(error), false),
        );
      }
    }
  });
  await Promise.all(workers);
  return result;
}
