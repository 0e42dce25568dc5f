import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatDiagnostic } from '../cli/report.ts';
import { UrlBuilder } from '../collect/urls.ts';
import { loadConfig } from '../config/load.ts';
import { checkSite } from './index.ts';

/**
 * `gazette check`: checks the built site named by the config (or `--out`), prints every
 * problem as `file:line: severity: message` and returns the exit code: 1 on any error.
 */
export function runCheckCommand(options: {
  root?: string;
  configFile?: string;
  overrides?: Record<string, unknown>;
  quiet?: boolean;
}): number {
  const root = path.resolve(options.root ?? process.cwd());
  const { config, root: configRoot } = loadConfig({
    root,
    file: options.configFile,
    overrides: options.overrides,
  });
  const started = performance.now();
  const outDir = path.resolve(configRoot, config.outDir);
  // Links in the pages carry the base URL the site was built with: checked against another,
  // every one of them would look broken.
  const builtFor = homeCanonicalUrl(outDir);
  let baseUrl = config.baseUrl;
  if (builtFor && builtFor !== new UrlBuilder(baseUrl).absolute('/')) {
    console.error(
      `gazette check: the site was built for ${builtFor}, not ${baseUrl}; checking it as built (pass --base-url ${builtFor} to say so)`,
    );
    baseUrl = builtFor;
  }
  const result = checkSite({ outDir, baseUrl });
  const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  for (const diagnostic of errors) console.error(formatDiagnostic(diagnostic));
  if (!options.quiet) {
    for (const diagnostic of result.diagnostics)
      if (diagnostic.severity === 'warning') console.error(formatDiagnostic(diagnostic));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `Checked ${result.pages} pages, ${result.references} internal links and ${result.documents} feeds and sitemaps in ${seconds}s: ${errors.length} errors, ${result.diagnostics.length - errors.length} warnings`,
    );
  }
  return result.ok ? 0 : 1;
}

/** The canonical URL of the site's home page, which is the base URL it was built with. */
function homeCanonicalUrl(outDir: string): string | undefined {
  try {
    const home = readFileSync(path.join(outDir, 'index.html'), 'utf8');
    const href = /<link rel="canonical" href="([^"]+)">/.exec(home)?.[1];
    return href?.replace(/&amp;/g, '&');
  } catch {
    return undefined;
  }
}
