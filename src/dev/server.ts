import { readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SITE_PATHS, type UrlBuilder } from '../collect/urls.ts';

/** Where the dev server's own files and event stream live, outside any base path. */
export const DEV_PREFIX = '/__gazette/';
export const RELOAD_CLIENT_PATH = `${DEV_PREFIX}reload.js`;
const EVENTS_PATH = `${DEV_PREFIX}events`;
const CLIENT_DIR = fileURLToPath(new URL('./client/', import.meta.url));
const CLIENT_FILES: Record<string, string> = {
  'reload.js': 'text/javascript; charset=utf-8',
  'overlay.css': 'text/css; charset=utf-8',
};

/** The tag that loads the reload client; a file of its own, as the pages' CSP allows no inline script. */
export const RELOAD_CLIENT_TAG = `<script src="${RELOAD_CLIENT_PATH}" defer></script>`;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.rss': 'application/rss+xml; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
  '.jfif': 'image/jpeg',
  '.apng': 'image/apng',
  '.bmp': 'image/bmp',
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.webm': 'video/webm',
  '.ogv': 'video/ogg',
  '.mov': 'video/quicktime',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.oga': 'audio/ogg',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
  '.vtt': 'text/vtt; charset=utf-8',
  '.epub': 'application/epub+zip',
  '.csv': 'text/csv; charset=utf-8',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.7z': 'application/x-7z-compressed',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.ppt': 'application/vnd.ms-powerpoint',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.odt': 'application/vnd.oasis.opendocument.text',
  '.ods': 'application/vnd.oasis.opendocument.spreadsheet',
  '.odp': 'application/vnd.oasis.opendocument.presentation',
};

export function contentTypeFor(file: string): string {
  const extension = path.extname(file).toLowerCase();
  if (extension === '' && path.basename(file) === '_headers') return 'text/plain; charset=utf-8';
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

/** Adds the reload client to a served page; the file on disk stays as `build` makes it. */
export function injectReloadClient(html: string): string {
  const head = html.search(/<\/head\s*>/i);
  if (head >= 0) return `${html.slice(0, head)}${RELOAD_CLIENT_TAG}\n${html.slice(head)}`;
  return `${html}\n${RELOAD_CLIENT_TAG}`;
}

export interface ServerOptions {
  /** The site's URLs as they are now: a config change may move the base path. */
  urls: () => UrlBuilder;
  /** The output file of a site path, or undefined when the path leaves the output folder. */
  fileFor: (sitePath: string) => string | undefined;
  /** Called before a page is read, so a page still waiting to be rendered is rendered first. */
  beforeServe?: (sitePath: string) => void;
  /** What a newly connected client is told: the build id and the current errors. */
  hello: () => unknown;
  port: number;
  host: string;
  /** How many ports after `port` to try when it is taken. */
  portAttempts?: number;
}

export interface DevHttpServer {
  url: string;
  port: number;
  host: string;
  /** Sends an event to every connected browser. */
  broadcast: (event: string, data: unknown) => void;
  /** Site paths open in connected browsers. */
  viewedPages: () => Set<string>;
  clientCount: () => number;
  close: () => Promise<void>;
}

interface Client {
  response: http.ServerResponse;
  sitePath?: string;
}

/** Serves the output folder under the base path, with an event stream for live reload. */
export async function startHttpServer(options: ServerOptions): Promise<DevHttpServer> {
  const clients = new Set<Client>();
  const server = http.createServer((request, response) => {
    try {
      handle(request, response);
    } catch (error) {
      response.statusCode = 500;
      response.setHeader('Content-Type', 'text/plain; charset=utf-8');
      response.end(`gazette dev: ${(error as Error).message}`);
    }
  });

  const handle = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === EVENTS_PATH) return openEventStream(request, response, url);
    if (url.pathname.startsWith(DEV_PREFIX)) {
      const name = url.pathname.slice(DEV_PREFIX.length);
      const type = CLIENT_FILES[name];
      if (!type) return notFound(response, request);
      return send(response, request, 200, type, readFileSync(path.join(CLIENT_DIR, name)));
    }
    const sitePath = options.urls().toSitePath(url.pathname);
    if (sitePath === undefined) {
      if (url.pathname === '/' || url.pathname === '/index.html') {
        response.writeHead(302, { Location: options.urls().href('/') }).end();
        return;
      }
      return notFound(response, request);
    }
    const resolved = resolveFile(sitePath);
    if (resolved === 'directory') {
      response.writeHead(301, { Location: `${url.pathname}/${url.search}` }).end();
      return;
    }
    if (!resolved) return notFound(response, request);
    serveFile(response, request, 200, resolved.file);
  };

  /** The file for a site path; `directory` when the path lacks its trailing slash. */
  const resolveFile = (sitePath: string): { file: string } | 'directory' | undefined => {
    const pagePath = sitePath.endsWith('/index.html')
      ? sitePath.slice(0, -'index.html'.length)
      : sitePath;
    options.beforeServe?.(pagePath);
    const file = options.fileFor(sitePath);
    if (!file) return undefined;
    const stats = statOf(file);
    if (stats?.isFile()) return { file };
    if (stats?.isDirectory() && !sitePath.endsWith('/')) {
      options.beforeServe?.(`${sitePath}/`);
      if (statOf(path.join(file, 'index.html'))?.isFile()) return 'directory';
    }
    return undefined;
  };

  const serveFile = (
    response: http.ServerResponse,
    request: http.IncomingMessage,
    status: number,
    file: string,
  ) => {
    const type = contentTypeFor(file);
    let body: Buffer | string = readFileSync(file);
    if (type.startsWith('text/html')) body = injectReloadClient(body.toString('utf8'));
    send(response, request, status, type, body);
  };

  const notFound = (response: http.ServerResponse, request: http.IncomingMessage) => {
    options.beforeServe?.(SITE_PATHS.notFound);
    const file = options.fileFor(SITE_PATHS.notFound);
    if (file && statOf(file)?.isFile()) return serveFile(response, request, 404, file);
    send(
      response,
      request,
      404,
      'text/html; charset=utf-8',
      injectReloadClient('<!DOCTYPE html><title>Not found</title><h1>Not found</h1>'),
    );
  };

  const send = (
    response: http.ServerResponse,
    request: http.IncomingMessage,
    status: number,
    type: string,
    body: Buffer | string,
  ) => {
    response.writeHead(status, {
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(body),
      // Pages change under the reader: never cached; other files are revalidated each time.
      'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  };

  const openEventStream = (
    request: http.IncomingMessage,
    response: http.ServerResponse,
    url: URL,
  ) => {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    const page = url.searchParams.get('page');
    let sitePath = page ? options.urls().toSitePath(page) : undefined;
    if (sitePath?.endsWith('/index.html')) sitePath = sitePath.slice(0, -'index.html'.length);
    const client: Client = sitePath ? { response, sitePath } : { response };
    clients.add(client);
    // A browser that lost the server retries after a second.
    response.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify(options.hello())}\n\n`);
    request.on('close', () => clients.delete(client));
  };

  const keepAlive = setInterval(() => {
    for (const client of clients) client.response.write(': keep-alive\n\n');
  }, 20_000);
  keepAlive.unref();

  const port = await listen(server, options.port, options.host, options.portAttempts ?? 20);
  // Not "localhost" for an IPv4 address: a browser may take it for ::1, where another
  // server can be listening on the same port.
  const shownHost =
    options.host === '0.0.0.0'
      ? '127.0.0.1'
      : options.host === '::'
        ? 'localhost'
        : options.host.includes(':')
          ? `[${options.host}]`
          : options.host;
  return {
    url: `http://${shownHost}:${port}${options.urls().href('/')}`,
    port,
    host: options.host,
    broadcast(event, data) {
      const message = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
      for (const client of clients) client.response.write(message);
    },
    viewedPages() {
      const pages = new Set<string>();
      for (const client of clients) if (client.sitePath) pages.add(client.sitePath);
      return pages;
    },
    clientCount: () => clients.size,
    close() {
      clearInterval(keepAlive);
      for (const client of clients) client.response.end();
      clients.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function statOf(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/** Listens on `port`, or the next free one when it is taken. */
async function listen(
  server: http.Server,
  port: number,
  host: string,
  attempts: number,
): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const wanted = port === 0 ? 0 : port + attempt;
    try {
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error) => {
          server.off('listening', onListening);
          reject(error);
        };
        const onListening = () => {
          server.off('error', onError);
          resolve();
        };
        server.once('error', onError);
        server.once('listening', onListening);
        server.listen(wanted, host);
      });
      return (server.address() as AddressInfo).port;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt + 1 >= attempts)
        throw error;
    }
  }
}
