import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { UrlBuilder } from '../collect/urls.ts';
import type { SiteConfig } from '../config/schema.ts';
import { createTemplateEnvironment } from '../render/environment.ts';
import { renderTemplate } from '../render/render.ts';
import type { RenderAnswer, RenderRequest } from './render-helper.ts';

/** A worker thread that renders templates: a page's variables in, its HTML out (and on disk). */
const { config, templatesDir, compiledTemplatesDir } = workerData as {
  config: SiteConfig;
  templatesDir: string;
  compiledTemplatesDir?: string;
};
const { env, searchPaths } = createTemplateEnvironment({
  config,
  urls: new UrlBuilder(config.baseUrl),
  userTemplatesDir: templatesDir,
  ...(compiledTemplatesDir ? { compiledTemplatesDir } : {}),
});
const createdFolders = new Set<string>();

/** Writes a page: its size in bytes, or what went wrong. */
function writePage(target: string, html: string): number | NonNullable<RenderAnswer['writeError']> {
  try {
    const folder = path.dirname(target);
    if (!createdFolders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      createdFolders.add(folder);
    }
    // Written from the string (encoding it first made writing three times slower), then
    // its size looked up.
    writeFileSync(target, html);
    return lstatSync(target).size;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return { ...(code ? { code } : {}), message, path: target };
  }
}

parentPort!.on('message', ({ id, template, context, target }: RenderRequest) => {
  const result = renderTemplate(env, searchPaths, template, context);
  let answer: RenderAnswer = { id, result };
  if (result.ok && target) {
    const written = writePage(target, result.html);
    answer =
      typeof written === 'number'
        ? { ...answer, written: true, size: written }
        : { ...answer, writeError: written };
  }
  parentPort!.postMessage(answer);
});
parentPort!.postMessage('ready');
