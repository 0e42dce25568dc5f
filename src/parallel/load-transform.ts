import type { SiteConfig } from '../config/schema.ts';
import { loadArticle } from '../load/article.ts';
import type { ContentFile } from '../load/discover.ts';
import type { Diagnostic, LoadedArticle, TransformedBody } from '../model.ts';
import {
  type BodyTransformer,
  type BodyTransformerOptions,
  createBodyTransformer,
} from '../transform/index.ts';

/** What load and transform made of one file; the source body is not sent back. */
export interface FileOutcome {
  file: ContentFile;
  /** Missing when the file could not be loaded. */
  loaded?: LoadedArticle;
  /** Missing for drafts that are not built, and for failed files. */
  body?: TransformedBody;
  diagnostics: Diagnostic[];
  /** The file's modification time, when its date was taken from it. */
  mtimeMs?: number;
  /** The file is there but could not be read (see `LoadOutcome`). */
  unreadable?: true;
}

/** Loads and transforms files one at a time; the same code runs on the main thread and in workers. */
export function createFileProcessor(
  config: SiteConfig,
  now: number,
  localFiles: BodyTransformerOptions = {},
) {
  let transformBody: BodyTransformer | undefined;
  return (file: ContentFile, mtimeMs: number): FileOutcome => {
    const outcome = loadArticle(file, config, now);
    const diagnostics = [...outcome.diagnostics];
    const loaded = outcome.article;
    if (!loaded) return { file, diagnostics, ...(outcome.unreadable ? { unreadable: true } : {}) };
    const datedByMtime = diagnostics.some((d) => d.message.includes('file modification time'));
    const result: FileOutcome = {
      file,
      loaded: { ...loaded, body: '' },
      diagnostics,
      ...(datedByMtime ? { mtimeMs } : {}),
    };
    if (loaded.draft && !config.drafts) return result;
    transformBody ??= createBodyTransformer(config, localFiles);
    const transformed = transformBody(loaded);
    diagnostics.push(...transformed.diagnostics);
    result.body = transformed.body;
    return result;
  };
}
