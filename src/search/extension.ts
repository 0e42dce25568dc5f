import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as pagefind from 'pagefind';
import type { BuildExtension, ExtensionContext } from '../build.ts';
import { sha1 } from '../cache/fingerprint.ts';
import { encodePath } from '../collect/urls.ts';
import type { Diagnostic } from '../model.ts';
import { GAZETTE_VERSION } from '../version.ts';
import { indexLanguage } from './language.ts';
import { ARCHIVE_BUNDLE_PATH, type SearchShards, searchShards } from './shards.ts';

/** Where the (archive's) Pagefind bundle goes, under the site root. */
export const SEARCH_BUNDLE_PATH = ARCHIVE_BUNDLE_PATH;

/**
 * Pages handed to Pagefind and not yet indexed before the render loop waits for the oldest
 * half: Pagefind, the slower, always has pages queued; bounds memory in flight.
 */
const PAGES_IN_FLIGHT = 128;

/** Pagefind's Node API: a module whose functions talk to the module's own service. */
export type Pagefind = typeof pagefind;

/**
 * Pagefind's service is one process that works through its requests in order, on one core.
 * A second one (the module's own service, in a second instance of the module) fills the next
 * bundle while the first writes the previous one.
 */
export async function pagefindServices(): Promise<Pagefind[]> {
  // Imported only when a search index is made: a build without one need not load it.
  const first: Pagefind = await import('pagefind');
  try {
    const second = (await import(`${import.meta.resolve('pagefind')}?second-service`)) as Pagefind;
    return [first, second];
  } catch {
    // A loader that drops the query (or a bundler) leaves one service: slower, still right.
    return [first];
  }
}

/** Pagefind rejects with strings as well as errors. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Characters of a page's HTML that Pagefind indexes. Its time grows with the square of a
 * word's occurrences: a scraped body of 700,000 identical CJK characters took minutes.
 */
export const MAX_INDEXED_CHARACTERS = 100_000;

/** The page cut before the tag that crosses the limit; Pagefind reads unclosed HTML. */
function indexedPart(html: string): string {
  if (html.length <= MAX_INDEXED_CHARACTERS) return html;
  const cut = html.lastIndexOf('<', MAX_INDEXED_CHARACTERS);
  return html.slice(0, cut > 0 ? cut : MAX_INDEXED_CHARACTERS);
}

/** One bundle: kept from the previous build, or made from its pages as they are rendered. */
interface Shard {
  bundlePath: string;
  /** What the bundle is made from: its articles' files, URLs and terms, config, templates. */
  key: string;
  /** The previous build's bundle is still right: its pages are not indexed. */
  kept: boolean;
  ready?: Promise<void>;
  /** The Pagefind service the bundle is made in. */
  service?: Pagefind;
  /** Written (or failed) and freed: no longer a load on its service. */
  done?: boolean;
  index?: pagefind.PagefindIndex;
  failure?: string;
  pending: Promise<unknown>[];
  errors: string[];
  pages: number;
  /** Article pages the bundle indexes: once all are in, it is written and its index freed. */
  expected: number;
  /** Writing the bundle, once started: what it wrote, and its problems. */
  written?: Promise<{ files: number; bytes: number; diagnostics: Diagnostic[] }>;
}

interface SearchBuild {
  shards: SearchShards;
  byBundle: Map<string, Shard>;
  /** Started with the first bundle made again. */
  services?: Promise<Pagefind[]>;
  /** Pages handed to Pagefind and not known to be indexed, oldest first, of any bundle. */
  inFlight: Promise<unknown>[];
  /** The build failed: bundles being written are not put in its output. */
  aborted: boolean;
  /** Milliseconds the render loop waited for Pagefind (waiting in `finish` is in `finishMs`). */
  waited: number;
}

/**
 * Pagefind's version, part of every bundle's key: a year's bundle is kept for years, and one
 * made by another version of Pagefind must be made again, not merged into the new ones.
 */
export function pagefindVersion(): string {
  try {
    const entry = fileURLToPath(import.meta.resolve('pagefind'));
    const manifest = path.join(path.dirname(entry), '..', 'package.json');
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? '';
  } catch {
    return '';
  }
}

function searchProblem(message: string): Diagnostic {
  return { severity: 'error', file: 'search', message };
}

/**
 * Files only the archive's bundle needs: Pagefind's user interfaces and its engine (script,
 * worker, WebAssembly), which the search page loads from there. A bundle merged into it is
 * read for its entry, metadata, index and fragments only (Pagefind's `mergeIndex` starts it
 * without WebAssembly): 0.4 MB of UIs and 0.15 MB of engine a bundle, not written or uploaded.
 */
const ARCHIVE_ONLY_FILE =
  /^(?:pagefind-(?:ui|component-ui|modular-ui|highlight)\.(?:js|css)|pagefind(?:-worker)?\.js|wasm\.[\w-]+\.pagefind)$/;

/** Beside each bundle: what it was built from, so an unchanged shard keeps its bundle. */
const BUNDLE_KEY_FILE = 'gazette-bundle.txt';

export interface SearchStatistics {
  /** Pages indexed (those of the bundles made again). */
  pages: number;
  files: number;
  bytes: number;
  waitedMs: number;
  finishMs: number;
  language: string;
  /** Bundles made again, by site path; the others were kept. */
  rebuilt: string[];
}

/**
 * Full-text search with Pagefind: each article page is handed over from memory as it is
 * rendered (index pages are not, so lists never crowd out articles), and the bundles (index,
 * WebAssembly, default UI) are written with the rest of the staged site: the oldest at
 * `/pagefind/`, later years' at `/pagefind-2023/`… (a large year's runs of days at
 * `/pagefind-2023-04-17/`…), the newest month's at `/pagefind-recent/` (see `shards.ts`);
 * the search page merges them. Pagefind takes a result's title from the first h1 of
 * `data-pagefind-body`, its picture from the first image there (the cover), and its date
 * from `data-pagefind-meta="date"`.
 */
export function searchExtension(
  options: {
    onStatistics?: (statistics: SearchStatistics) => void;
    /** Pagefind's services to share the bundles between (tests wrap them). */
    services?: () => Promise<Pagefind[]>;
    /** Pages handed to Pagefind before the render loop waits (tests use a few). */
    pagesInFlight?: number;
  } = {},
): BuildExtension {
  const pagesInFlight = options.pagesInFlight ?? PAGES_IN_FLIGHT;
  const builds = new WeakMap<ExtensionContext, SearchBuild>();
  const languageOf = (context: ExtensionContext) =>
    indexLanguage(
      context.config,
      context.site.articles.map((article) => article.lang),
    );
  /**
   * Decides up front which bundles are made again. A bundle's key stands for what the indexed
   * part of its pages (the article) is made from, not for the pages: a page made again because
   * a neighbour's title changed has the same text to index.
   */
  const stateOf = (context: ExtensionContext): SearchBuild => {
    let state = builds.get(context);
    if (state) return state;
    const shards = searchShards(context.site, context.config);
    const articlesOf = new Map(shards.bundles.map((bundlePath) => [bundlePath, [] as string[]]));
    for (const article of context.site.articles)
      articlesOf
        .get(shards.bundleOf(article))!
        .push(`${article.path}\0${context.views.cardKey(article)}`);
    const language = languageOf(context);
    const engine = pagefindVersion();
    state = {
      shards,
      byBundle: new Map(),
      inFlight: [],
      aborted: false,
      waited: 0,
    };
    for (const bundlePath of shards.bundles) {
      const key = `search:${sha1(
        `${GAZETTE_VERSION}\0${engine}\0${language}\0${context.pagesKey ?? ''}\0${bundlePath}\0${articlesOf.get(bundlePath)!.join('\0')}`,
      )}`;
      // Kept whole, or made again (one of its files deleted by hand).
      const kept =
        context.output.previousFolderComplete(bundlePath) &&
        context.output.keep(`${bundlePath}${BUNDLE_KEY_FILE}`, key);
      state.byBundle.set(bundlePath, {
        bundlePath,
        key,
        kept,
        pending: [],
        errors: [],
        pages: 0,
        expected: articlesOf.get(bundlePath)!.length,
      });
    }
    builds.set(context, state);
    return state;
  };
  /**
   * Hands a page to the shard's index once Pagefind has made it: the render loop does not
   * wait for that (the service may be busy writing the previous bundle).
   */
  const add = (
    state: SearchBuild,
    shard: Shard,
    context: ExtensionContext,
    sitePath: string,
    html: string,
  ) => {
    shard.pages++;
    const content = indexedPart(html);
    const indexed = startIndexing(state, shard, context)
      .then(() =>
        shard.index
          // Relative to the site root: Pagefind puts the base path (where the bundle is) in front.
          ?.addHTMLFile({ url: encodePath(sitePath), content })
          .then((response) => {
            if (response.errors.length > 0)
              shard.errors.push(`${sitePath}: ${response.errors.join('; ')}`);
          }),
      )
      // A page Pagefind failed (its service stopped) is reported with its bundle's write;
      // the promise never rejects, so pages in flight are never unhandled.
      .catch((error: unknown) => {
        shard.errors.push(`${sitePath}: ${messageOf(error)}`);
      });
    shard.pending.push(indexed);
    state.inFlight.push(indexed);
  };
  /** Waits for Pagefind to index the oldest half of the pages in flight. */
  const flushOldest = async (state: SearchBuild) => {
    const waitStart = performance.now();
    // A failed page is reported by its bundle's write; here it only stops being in flight.
    await Promise.allSettled(state.inFlight.splice(0, Math.ceil(pagesInFlight / 2)));
    state.waited += performance.now() - waitStart;
  };
  /**
   * Starts the shard's Pagefind index, once, in the service with the fewest pages still to
   * index or write: the one not busy writing the previous bundle, or the one that will be
   * free first (taking turns would pile large runs of days on one service when a year's
   * large runs and small last runs alternate).
   */
  const startIndexing = (state: SearchBuild, shard: Shard, context: ExtensionContext) => {
    if (shard.ready) return shard.ready;
    state.services ??= (options.services ?? pagefindServices)();
    shard.ready = state.services
      .then((services) => {
        const load = services.map(() => 0);
        for (const other of state.byBundle.values())
          if (other.service && !other.done) load[services.indexOf(other.service)]! += other.pages;
        shard.service = services[load.indexOf(Math.min(...load))]!;
        return shard.service.createIndex({ forceLanguage: languageOf(context) });
      })
      .then((response) => {
        if (response.index) shard.index = response.index;
        else shard.failure = response.errors.join('; ') || 'Pagefind did not start';
      })
      .catch((error: unknown) => {
        shard.failure = messageOf(error);
      });
    return shard.ready;
  };
  /**
   * Writes a bundle made again into the staged site and frees its index in Pagefind, once.
   * Pagefind holds every index it was given in memory (gigabytes at 100,000 articles): a
   * bundle is written as soon as its last article page is in, so that only one is held by
   * each service. The render loop does not wait for it.
   */
  const writeBundle = (state: SearchBuild, shard: Shard, context: ExtensionContext) => {
    shard.written ??= (async () => {
      const diagnostics: Diagnostic[] = [];
      const written = { files: 0, bytes: 0, diagnostics };
      await startIndexing(state, shard, context);
      if (!shard.index) {
        diagnostics.push(searchProblem(`the search index could not be built: ${shard.failure}`));
        return written;
      }
      await Promise.all(shard.pending);
      shard.pending = [];
      for (const error of shard.errors.slice(0, 20))
        diagnostics.push({ ...searchProblem(error), severity: 'warning' });
      const index = shard.index;
      shard.index = undefined;
      let made: Awaited<ReturnType<typeof index.getFiles>>;
      try {
        made = await index.getFiles();
      } finally {
        // Freed even when the write failed: the service holds the index until then.
        await index.deleteIndex().catch(() => undefined);
        shard.done = true;
      }
      const { files, errors } = made;
      // The build failed meanwhile: its staged output is being dropped.
      if (state.aborted) return written;
      if (errors.length > 0) diagnostics.push(searchProblem(`Pagefind: ${errors.join('; ')}`));
      for (const file of files) {
        if (shard.bundlePath !== ARCHIVE_BUNDLE_PATH && ARCHIVE_ONLY_FILE.test(file.path)) continue;
        context.output.write(`${shard.bundlePath}${file.path}`, file.content);
        written.bytes += file.content.length;
      }
      if (errors.length === 0)
        context.output.write(`${shard.bundlePath}${BUNDLE_KEY_FILE}`, shard.key, shard.key);
      written.files = files.length;
      return written;
    })().catch((error: unknown) => ({
      files: 0,
      bytes: 0,
      diagnostics: [searchProblem(`the search index could not be built: ${messageOf(error)}`)],
    }));
    return shard.written;
  };
  /**
   * Waits for the bundles being written, then closes the services (each is started again by
   * the next build that needs it, so none is left running between dev-server builds).
   */
  const stop = async (context: ExtensionContext, state: SearchBuild) => {
    builds.delete(context);
    const shards = [...state.byBundle.values()];
    // A bundle's service is known once its index is started.
    await Promise.allSettled(shards.flatMap((shard) => [shard.ready, shard.written]));
    const used = new Set(shards.map((shard) => shard.service));
    await Promise.allSettled([...used].map((service) => service?.close()));
  };
  return {
    name: 'search',
    async abort(context) {
      const state = builds.get(context);
      if (!state) return;
      state.aborted = true;
      await stop(context, state);
    },
    // Not async: most pages are not indexed again, and a promise for each would cost.
    pageRendered(spec, html, context) {
      if (!context.config.search.enabled || spec.kind !== 'article' || !spec.article) return;
      const state = stateOf(context);
      const shard = state.byBundle.get(state.shards.bundleOf(spec.article))!;
      if (shard.kept) return;
      // A page kept from the previous build is read from disk here, for a bundle made again.
      add(state, shard, context, spec.sitePath, html());
      if (shard.pages === shard.expected) void writeBundle(state, shard, context);
      if (state.inFlight.length >= pagesInFlight) return flushOldest(state);
    },
    async finish(context): Promise<Diagnostic[]> {
      if (!context.config.search.enabled) return [];
      const finishStart = performance.now();
      const state = stateOf(context);
      const diagnostics: Diagnostic[] = [];
      const statistics: SearchStatistics = {
        pages: 0,
        files: 0,
        bytes: 0,
        waitedMs: 0,
        finishMs: 0,
        language: languageOf(context),
        rebuilt: [],
      };
      try {
        // The archive's bundle is made even for a site without articles: the search page
        // loads Pagefind's scripts from it.
        for (const shard of state.byBundle.values()) {
          if (shard.kept) {
            statistics.files += context.output.keepFolder(shard.bundlePath);
            continue;
          }
          const written = await writeBundle(state, shard, context);
          diagnostics.push(...written.diagnostics);
          if (written.files === 0 && written.diagnostics.some((d) => d.severity === 'error'))
            continue;
          statistics.files += written.files;
          statistics.bytes += written.bytes;
          statistics.pages += shard.pages;
          statistics.rebuilt.push(shard.bundlePath);
        }
      } catch (error) {
        diagnostics.push(searchProblem(`the search index could not be built: ${messageOf(error)}`));
      } finally {
        await stop(context, state);
      }
      statistics.waitedMs = state.waited;
      statistics.finishMs = performance.now() - finishStart;
      options.onStatistics?.(statistics);
      return diagnostics;
    },
  };
}
