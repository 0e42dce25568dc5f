import path from 'node:path';
import { formatDiagnostic } from '../cli/report.ts';
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
  const result = checkSite({
    outDir: path.resolve(configRoot, config.outDir),
    baseUrl: config.baseUrl,
  });
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
