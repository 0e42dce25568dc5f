import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Every file under `folder`, as sorted paths relative to it with forward slashes; none when
 * the folder does not exist. An explicit stack: archives nest deep, recursion gains nothing.
 */
export function listFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  const files: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    for (const entry of readdirSync(path.join(folder, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) pending.push(child);
      else if (entry.isFile()) files.push(child);
    }
  }
  return files.sort();
}
