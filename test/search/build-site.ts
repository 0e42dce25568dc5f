import { fileURLToPath } from 'node:url';
import { build } from '../../src/build.ts';
import type { Diagnostic } from '../../src/model.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Builds a project with the real pipeline and built-in extensions; throws when it fails. */
export async function buildSite(
  root: string,
  overrides: Record<string, unknown>,
): Promise<{ outDir: string; diagnostics: Diagnostic[] }> {
  const result = await build({ root, overrides });
  if (!result.ok) throw new Error(`build failed: ${JSON.stringify(result.diagnostics)}`);
  return { outDir: result.outDir, diagnostics: result.diagnostics };
}
