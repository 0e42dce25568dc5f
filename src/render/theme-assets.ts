import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFiles } from '../files.ts';

/** The default theme: templates and their assets, shipped with Gazette. */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/**
 * The theme's own static files (stylesheet, scripts, icons) live in `assets/` beside its
 * templates and are served at `/assets/`. A file in the user's templates folder replaces
 * the default theme's file of the same name, as templates do.
 *
 * Returns site path → absolute file, for every asset of every search path (first wins).
 */
export function themeAssets(searchPaths: string[]): Map<string, string> {
  const assets = new Map<string, string>();
  for (const root of searchPaths) {
    const folder = path.join(root, 'assets');
    for (const relative of listFiles(folder)) {
      if (!assets.has(`/assets/${relative}`))
        assets.set(`/assets/${relative}`, path.join(folder, relative));
    }
  }
  return assets;
}

/** Root-relative paths of the files in a static folder (`public/`), e.g. `/images/a.png`. */
export function staticFilePaths(publicDir: string): Set<string> {
  return new Set(listFiles(publicDir).map((relative) => `/${relative}`));
}

/**
 * Whether a template besides the home page's mentions the build date (the default theme
 * shows it on the home page only). If one does, every page's key has the date, and a new
 * newest article makes every page again.
 */
export function buildDateOnEveryPage(templateFolders: string[]): boolean {
  return templateFolders.some((folder) =>
    listFiles(folder).some(
      (file) =>
        file !== 'home.njk' &&
        !file.startsWith('assets/') &&
        readFileSync(path.join(folder, file), 'utf8').includes('buildDate'),
    ),
  );
}
