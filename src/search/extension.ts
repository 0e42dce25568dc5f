import * as pagefind from 'pagefind';
import type { BuildExtension, ExtensionContext } from '../build.ts';
import { encodePath } from '../collect/urls.ts';
import type { Diagnostic } from '../model.ts';
import { indexLanguage } from './language.ts';

/** Where the Pagefind bundle goes, under the site root. */
export const SEARCH_BUNDLE_PATH = '/pagefind/';

/** Pages handed to Pagefind before the render loop waits for it; bounds memory in flight. */
const IN_FLIGHT = 64;

interface SearchBuild {
  ready: Promise<void>;
  index?: pagefind.PagefindIndex;
  failure?: string;
  pending: Promise<unknown>[];
  errors: string[];
  pages: number;
  /** Milliseconds spent waiting for Pagefind, inside and after the render loop. */
  waited: number;
}

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
    const state = builds.get(context);
    if (state) return state;
    const created: SearchBuild = {
      ready: Promise.resolve(),
      pending: [],
      errors: [],
      pages: 0,
      waited: 0,
    };
    created.ready = pagefind
      .createIndex({ forceLanguage: languageOf(context) })
      .then((response) => {
        if (response.index) created.index = response.index;
        else created.failure = response.errors.join('; ') || 'Pagefind did not start';
      })
      .catch((error: Error) => {
        created.failure = error.message;
      });
    builds.set(context, created);
    return created;
  };
  return {
    name: 'search',
    async pageRendered(spec, html, context) {
      if (!context.config.search.enabled || spec.kind !== 'article') return;
      const state = stateOf(context);
      await state.ready;
      if (!state.index) return;
      state.pages++;
      state.pending.push(
        state.index
          // Relative to the site root: Pagefind's UI puts the base path (where the bundle is) in front.
          .addHTMLFile({ url: encodePath(spec.sitePath), content: html() })
          .then((response) => {
            if (response.errors.length > 0)
              state.errors.push(`${spec.sitePath}: ${response.errors.join('; ')}`);
          }),
      );
      if (state.pending.length >= IN_FLIGHT) {
        const waitStart = performance.now();
        await Promise.all(state.pending);
        state.pending = [];
        state.waited += performance.now() - waitStart;
      }
    },
    async finish(context): Promise<Diagnostic[]> {
      if (!context.config.search.enabled) return [];
      const finishStart = performance.now();
      const state = stateOf(context);
      await state.ready;
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
