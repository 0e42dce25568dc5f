/**
 * Save-to-reload latency of `gazette dev`: from a file write to the reload message reaching
 * a connected browser's event stream, for an article edit and a template edit. Runs on
 * tmpfs; part of `npm run bench` (`benchDev`), or alone:
 *
 *   npx tsx scripts/bench-dev.ts --articles 1000 [--edits 20] [--dir /dev/shm/…]
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type DevServer, startDev } from '../src/dev/dev-server.ts';
import { BUILT_IN_EXTENSIONS } from '../src/pipeline.ts';
import { DEFAULT_TEMPLATES_DIR } from '../src/render/environment.ts';
import { generateCorpus } from './generate-corpus.ts';

export interface LatencyStats {
  samples: number;
  p50: number;
  p95: number;
  max: number;
}

export interface DevBenchResult {
  articles: number;
  machine: string;
  /** First build and server start, in ms. */
  startupMs: number;
  articleEdit: LatencyStats;
  templateEdit: LatencyStats;
  /** After a template edit, until every page is rendered again (the background pass). */
  templateSettleMs: LatencyStats;
}

export interface DevBenchOptions {
  articles: number;
  /** Edits of each kind measured (after two warm-up edits). */
  edits?: number;
  /** Project folder; by default one on /dev/shm per size, reused between runs. */
  dir?: string;
  log?: (line: string) => void;
}

export async function benchDev(options: DevBenchOptions): Promise<DevBenchResult> {
  const edits = options.edits ?? 20;
  const log = options.log ?? (() => {});
  const root = options.dir ?? `/dev/shm/gazette-bench-dev-${options.articles}`;
  prepareProject(root, options.articles, log);

  const started = performance.now();
  const dev = await startDev({
    root,
    port: 0,
    // Search indexing only runs on full builds; leaving it out keeps start-up short.
    extensions: BUILT_IN_EXTENSIONS.filter((extension) => extension.name !== 'search'),
    onError: (error) => log(`dev error: ${error.message}`),
  });
  const startupMs = performance.now() - started;
  log(`dev server up in ${(startupMs / 1000).toFixed(1)} s at ${dev.url}`);
  try {
    const contentDir = dev.project.contentDir;
    const files = listArticles(contentDir);
    const relativePath = files[Math.floor(files.length / 2)]!;
    const href = dev.hrefOf(relativePath);
    if (!href) throw new Error(`${relativePath} was not built`);
    const client = await connect(dev, href);
    try {
      const articleFile = path.join(contentDir, relativePath);
      const original = readFileSync(articleFile, 'utf8');
      const articleEdit = await measure(edits, dev, client, href, (round) => {
        writeFileSync(articleFile, original.replace(/^title:.*$/m, `title: 'Bench edit ${round}'`));
      });
      writeFileSync(articleFile, original);
      await dev.settled();

      const templateFile = path.join(root, 'templates/article.njk');
      const template = readFileSync(templateFile, 'utf8');
      const settle: number[] = [];
      const templateEdit = await measure(
        Math.max(3, Math.ceil(edits / 4)),
        dev,
        client,
        href,
        (round) => {
          writeFileSync(
            templateFile,
            template.replace(
              '<h1 class="story__title"',
              `<h1 data-bench="${round}" class="story__title"`,
            ),
          );
        },
        (ms) => settle.push(ms),
      );
      writeFileSync(templateFile, template);
      await dev.settled();
      return {
        articles: files.length,
        machine: machine(),
        startupMs,
        articleEdit,
        templateEdit,
        templateSettleMs: stats(settle),
      };
    } finally {
      client.close();
    }
  } finally {
    await dev.close();
  }
}

/** A project of N generated articles, and a copy of the theme's article template to edit. */
function prepareProject(root: string, count: number, log: (line: string) => void): void {
  const marker = path.join(root, '.bench-articles');
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== String(count)) {
    rmSync(root, { recursive: true, force: true });
    log(`writing ${count} articles to ${root}`);
    generateCorpus({ dir: path.join(root, 'content'), count });
    writeFileSync(marker, String(count));
  }
  mkdirSync(path.join(root, 'templates'), { recursive: true });
  cpSync(path.join(DEFAULT_TEMPLATES_DIR, 'article.njk'), path.join(root, 'templates/article.njk'));
  writeFileSync(
    path.join(root, 'gazette.config.yml'),
    'baseUrl: https://example.org/news/\nsearch:\n  enabled: false\n',
  );
}

function listArticles(folder: string): string[] {
  const found: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    for (const entry of readdirEntries(path.join(folder, relative))) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) pending.push(child);
      else if (child.endsWith('.md')) found.push(child);
    }
  }
  return found.sort();
}

function readdirEntries(folder: string) {
  return readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
}

interface EventClient {
  /** Resolves with the time the next reload naming `href` (or every page) arrives. */
  nextReload: (href: string) => Promise<number>;
  close: () => void;
}

/** A browser's event stream, read the way EventSource does. */
function connect(dev: DevServer, href: string): Promise<EventClient> {
  const url = new URL(`/__gazette/events?page=${encodeURIComponent(href)}`, dev.url);
  return new Promise((resolve, reject) => {
    const waiting: { href: string; resolve: (at: number) => void }[] = [];
    const request = http.get(url, (response) => {
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(message)?.[1];
          const data = /^data: (.*)$/m.exec(message)?.[1];
          if (event !== 'reload' || !data) continue;
          const at = performance.now();
          const { paths } = JSON.parse(data) as { paths: string[] | null };
          for (const waiter of waiting.splice(0)) {
            if (!paths || paths.includes(waiter.href)) waiter.resolve(at);
            else waiting.push(waiter);
          }
        }
      });
      resolve({
        nextReload: (wanted) =>
          new Promise((done) => {
            waiting.push({ href: wanted, resolve: done });
          }),
        close: () => request.destroy(),
      });
    });
    request.on('error', reject);
  });
}

async function measure(
  rounds: number,
  dev: DevServer,
  client: EventClient,
  href: string,
  edit: (round: number) => void,
  onSettled?: (ms: number) => void,
): Promise<LatencyStats> {
  const samples: number[] = [];
  const warmUp = 2;
  for (let round = 0; round < rounds + warmUp; round++) {
    const reload = client.nextReload(href);
    const written = performance.now();
    edit(round);
    const arrived = await withTimeout(reload, 60_000);
    if (round >= warmUp) samples.push(arrived - written);
    await dev.settled();
    if (round >= warmUp) onSettled?.(performance.now() - written);
    // Editors do not save every millisecond; let the watcher's debounce window close.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return stats(samples);
}

function stats(samples: number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return {
    samples: sorted.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    max: round(sorted[sorted.length - 1] ?? 0),
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no reload message within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length}× ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${os.platform()}`;
}

export function formatDevBench(result: DevBenchResult): string {
  const row = (name: string, value: LatencyStats) =>
    `  ${name.padEnd(26)} p50 ${String(value.p50).padStart(7)} ms   p95 ${String(value.p95).padStart(7)} ms   max ${String(value.max).padStart(7)} ms   (${value.samples} saves)`;
  return [
    `gazette dev, ${result.articles} articles (${result.machine}); start-up ${(result.startupMs / 1000).toFixed(1)} s`,
    row('article edit → reload', result.articleEdit),
    row('template edit → reload', result.templateEdit),
    row('template edit → all pages', result.templateSettleMs),
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      articles: { type: 'string', default: '1000' },
      edits: { type: 'string', default: '20' },
      dir: { type: 'string' },
    },
  });
  const result = await benchDev({
    articles: Number(values.articles),
    edits: Number(values.edits),
    ...(values.dir ? { dir: values.dir } : {}),
    log: (line) => console.error(line),
  });
  console.log(formatDevBench(result));
}
