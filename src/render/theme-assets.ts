import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

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
    if (!existsSync(folder)) continue;
    const pending = [''];
    while (pending.length > 0) {
      const relative = pending.pop()!;
      for (const entry of readdirSync(path.join(folder, relative), { withFileTypes: true })) {
        const child = relative ? `${relative}/${entry.name}` : entry.name;
        if (entry.isDirectory()) pending.push(child);
        else if (entry.isFile() && !assets.has(`/assets/${child}`))
          assets.set(`/assets/${child}`, path.join(folder, child));
      }
    }
  }
  return assets;
}

/** Root-relative paths of the files in a static folder (`public/`), e.g. `/images/a.png`. */
export function staticFilePaths(publicDir: string): Set<string> {
  const files = new Set<string>();
  if (!existsSync(publicDir)) return files;
  const pending = [''];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    for (const entry of readdirSync(path.join(publicDir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) pending.push(child);
      else if (entry.isFile()) files.add(`/${child}`);
    }
  }
  return files;
}
