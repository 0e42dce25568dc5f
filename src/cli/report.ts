import type { BuildResult } from '../build.ts';
import type { Diagnostic } from '../model.ts';

/** `file:line: error: message`, the shape editors and CI logs link to. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  // A file name with a line break or escape sequence would forge lines or colours in a log.
  const file = /[\u0000-\u001f\u007f-\u009f]/.test(diagnostic.file)
    ? JSON.stringify(diagnostic.file)
    : diagnostic.file;
  const where = diagnostic.line ? `${file}:${diagnostic.line}` : file;
  return `${where}: ${diagnostic.severity}: ${diagnostic.message}`;
}

const number = new Intl.NumberFormat('en-US');

export function formatSummary(result: BuildResult): string {
  const { report } = result;
  const pageTotal = Object.entries(result.pages)
    .filter(([kind]) => kind !== 'static')
    .reduce((sum, [, count]) => sum + (count ?? 0), 0);
  const byKind = Object.entries(result.pages)
    .filter(([kind, count]) => kind !== 'static' && count)
    .map(([kind, count]) => `${number.format(count ?? 0)} ${kind}`)
    .join(', ');
  const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  const fates = [
    `${number.format(report.built)} built`,
    report.duplicates.length ? `${number.format(report.duplicates.length)} duplicates merged` : '',
    report.drafts.length ? `${number.format(report.drafts.length)} drafts skipped` : '',
    report.scheduled.length ? `${number.format(report.scheduled.length)} scheduled` : '',
    report.expired.length ? `${number.format(report.expired.length)} expired` : '',
    ...failedFates(report.failed),
  ].filter(Boolean);
  return [
    `${number.format(report.inputFiles)} files: ${fates.join(', ')}`,
    `${number.format(pageTotal)} pages (${byKind}), ${number.format(result.pages.static ?? 0)} static files → ${result.outDir}`,
    // A failed build staged its files and wrote none into the output folder.
    `${result.ok ? `${number.format(result.filesWritten)} files written, ${number.format(result.filesUnchanged)} unchanged` : 'no file written'}; ${errors} errors, ${warnings} warnings; ${(result.timings.total / 1000).toFixed(2)} s`,
  ].join('\n');
}

/**
 * Files that failed, those whose page a broken template could not render told apart: the
 * articles themselves are fine, the template is to fix.
 */
function failedFates(failed: BuildResult['report']['failed']): string[] {
  const byTemplate = failed.filter((entry) => entry.reason.startsWith('template error')).length;
  const own = failed.length - byTemplate;
  return [
    own ? `${number.format(own)} failed` : '',
    byTemplate ? `${number.format(byTemplate)} not rendered (template error)` : '',
  ];
}

export function formatTimings(result: BuildResult): string {
  const total = result.timings.total || 1;
  const rows = (['load', 'transform', 'collect', 'render', 'write'] as const).map((phase) => {
    const ms = result.timings[phase];
    return `  ${phase.padEnd(10)} ${ms.toFixed(0).padStart(7)} ms  ${((ms / total) * 100).toFixed(0).padStart(3)}%`;
  });
  return ['Timings:', ...rows, `  ${'total'.padEnd(10)} ${total.toFixed(0).padStart(7)} ms`].join(
    '\n',
  );
}

/** A one-line progress display on terminals; silent in CI logs and pipes. */
export class ProgressLine {
  private readonly active: boolean;
  private shown = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    enabled: boolean,
  ) {
    this.active = enabled && Boolean(stream.isTTY) && !process.env.CI;
  }

  update(phase: string, done: number, total: number): void {
    if (!this.active) return;
    const count =
      total > 0 ? `${number.format(done)}/${number.format(total)}` : number.format(done);
    this.stream.write(`\r\x1b[2K${phase} ${count}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
