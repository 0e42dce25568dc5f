import * as pagefind from 'pagefind';
import type { BuildExtension, ExtensionContext } from '../build.ts';
import { sha1 } from '../cache/fingerprint.ts';
import { encodePath } from '../collect/urls.ts';
import type { Diagnostic } from '../model.ts';
import { GAZETTE_VERSION } from '../version.ts';
import { indexLanguage } from './language.ts';

/** Where the Pagefind bundle goes, under the site root. */
export const SEARCH_BUNDLE_PATH = '/pagefind/';

/** Pages handed to Pagefind before the render loop waits for it; bounds memory in flight. */
const IN_FLIGHT = 64;

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

interface SearchBuild {
  /** Started when the first article page that changed arrives (or at the end, if needed). */
  ready?: Promise<void>;
  index?: pagefind.PagefindIndex;
  failure?: string;
  pending: Promise<unknown>[];
  errors: string[];
  pages: number;
  /** Article pages kept from the previous build, not yet indexed: indexed only if needed. */
  deferred: { sitePath: string; html: () => string }[];
  /** Every article page of the site, for the bundle's key. */
  articlePaths: string[];
  /** Milliseconds spent waiting for Pagefind, inside and after the render loop. */
  waited: number;
}

/** Beside the bundle: what it was built from, so an unchanged site keeps its bundle. */
const BUNDLE_KEY_FILE = `${'/pagefind/'}gazette-bundle.txt`;

export interface SearchStatistics {
  pages: number;
  files: number;
  bytes: number;
  waitedMs: number;
  finishMs: number;
  language: string;
}

/**
 * Full-text search with Pagefind: each article page is handed over from memory as it is
 * rendered (index pages are not, so lists never crowd out articles), and the bundle (index,
 * WebAssembly, default UI) is written to `/pagefind/` with the rest of the staged site.
 * Pagefind takes a result's title from the first h1 of `data-pagefind-body`, its picture
 * from the first image there (the cover), and its date from `data-pagefind-meta="date"`.
 */
export function searchExtension(
  options: { onStatistics?: (statistics: SearchStatistics) => void } = {},
): BuildExtension {
  const builds = new WeakMap<ExtensionContext, SearchBuild>();
  const languageOf = (context: ExtensionContext) =>
    indexLanguage(
      context.config,
      context.site.articles.map((article) => article.lang),
    );
  const stateOf = (context: ExtensionContext): SearchBuild => {
    let state = builds.get(context);
    if (!state) {
      state = { pending: [], errors: [], pages: 0, deferred: [], articlePaths: [], waited: 0 };
      builds.set(context, state);
    }
    return state;
  };
  const add = (state: SearchBuild, sitePath: string, html: string) => {
    if (!state.index) return;
    state.pages++;
    state.pending.push(
      state.index
        // Relative to the site root: Pagefind's UI puts the base path (where the bundle is) in front.
        .addHTMLFile({ url: encodePath(sitePath), content: indexedPart(html) })
        .then((response) => {
          if (response.errors.length > 0)
            state.errors.push(`${sitePath}: ${response.errors.join('; ')}`);
        }),
    );
  };
  const flush = async (state: SearchBuild) => {
    const waitStart = performance.now();
    await Promise.all(state.pending);
    state.pending = [];
    state.waited += performance.now() - waitStart;
  };
  /** Starts Pagefind and hands it the pages kept from the previous build so far. */
  const startIndexing = async (state: SearchBuild, context: ExtensionContext) => {
    state.ready ??= pagefind
      .createIndex({ forceLanguage: languageOf(context) })
      .then((response) => {
        if (response.index) state.index = response.index;
        else state.failure = response.errors.join('; ') || 'Pagefind did not start';
      })
      .catch((error: Error) => {
        state.failure = error.message;
      });
    await state.ready;
    for (const page of state.deferred.splice(0)) {
      add(state, page.sitePath, page.html());
      if (state.pending.length >= IN_FLIGHT) await flush(state);
    }
  };
  return {
    name: 'search',
    async pageRendered(spec, html, context, reused) {
      if (!context.config.search.enabled || spec.kind !== 'article') return;
      const state = stateOf(context);
      state.articlePaths.push(spec.sitePath);
      // While every article page is unchanged, the previous bundle may still serve: wait.
      if (reused && !state.ready) {
        state.deferred.push({ sitePath: spec.sitePath, html });
        return;
      }
      await startIndexing(state, context);
      add(state, spec.sitePath, html());
      if (state.pending.length >= IN_FLIGHT) await flush(state);
    },
    async finish(context): Promise<Diagnostic[]> {
      if (!context.config.search.enabled) return [];
      const finishStart = performance.now();
      const state = stateOf(context);
      const bundleKey = `search:${sha1(
        `${GAZETTE_VERSION}\0${languageOf(context)}\0${state.articlePaths.join('\0')}`,
      )}`;
      // No article page changed and none came or went: the previous bundle is still right.
      if (!state.ready && context.output.keep(BUNDLE_KEY_FILE, bundleKey)) {
        const files = context.output.keepFolder(SEARCH_BUNDLE_PATH);
        builds.delete(context);
        options.onStatistics?.({
          pages: 0,
          files,
          bytes: 0,
          waitedMs: 0,
          finishMs: performance.now() - finishStart,
          language: languageOf(context),
        });
        return [];
      }
      await startIndexing(state, context);
      const diagnostics: Diagnostic[] = [];
      const problem = (message: string): Diagnostic => ({
        severity: 'error',
        file: 'search',
        message,
      });
      if (!state.index) return [problem(`the search index could not be built: ${state.failure}`)];
      try {
        await Promise.all(state.pending);
        state.pending = [];
        for (const error of state.errors.slice(0, 20))
          diagnostics.push({ ...problem(error), severity: 'warning' });
        const { files, errors } = await state.index.getFiles();
        if (errors.length > 0) diagnostics.push(problem(`Pagefind: ${errors.join('; ')}`));
        let bytes = 0;
        for (const file of files) {
          context.output.write(`${SEARCH_BUNDLE_PATH}${file.path}`, file.content);
          bytes += file.content.length;
        }
        if (errors.length === 0) context.output.write(BUNDLE_KEY_FILE, bundleKey, bundleKey);
        options.onStatistics?.({
          pages: state.pages,
          files: files.length,
          bytes,
          waitedMs: state.waited,
          finishMs: performance.now() - finishStart,
          language: languageOf(context),
        });
        await state.index.deleteIndex();
      } catch (error) {
        diagnostics.push(
          problem(`the search index could not be built: ${(error as Error).message}`),
        );
      } finally {
        builds.delete(context);
        // The service is restarted by the next build that needs it.
        await pagefind.close();
      }
      return diagnostics;
    },
  };
}
