import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import nunjucks from 'nunjucks';
import { inZone } from '../collect/local-time.ts';
import type { UrlBuilder } from '../collect/urls.ts';
import type { SiteConfig } from '../config/schema.ts';
import { listFiles } from '../files.ts';
import { CompiledTemplateLoader } from './compiled-templates.ts';
import { DEFAULT_TEMPLATES_DIR } from './theme-assets.ts';

/** The default theme shipped with Gazette. */
export { DEFAULT_TEMPLATES_DIR };

/**
 * The `url` and `absoluteUrl` filters: a site path (`/about/`, `/新闻/?page=2#top`) to an
 * href under the base path, its segments encoded once (`/%E6%96%B0/` stays so), its query
 * and fragment kept as written; a URL with a scheme (`https://…`, `mailto:`) or a host
 * (`//…`) is not of this site and is given back as it is.
 */
function linkTo(urls: UrlBuilder, value: unknown, absolute: boolean): string {
  const text = String(value ?? '/');
  if (/^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|\/\/)/.test(text)) return text;
  const [, pathPart = '', rest = ''] = /^([^?#]*)([\s\S]*)$/.exec(text) ?? [];
  let sitePath = pathPart || '/';
  try {
    sitePath = decodeURIComponent(sitePath);
  } catch {
    // Not percent-encoded after all (a lone `%`): encoded as it is.
  }
  return (absolute ? urls.absolute(sitePath) : urls.href(sitePath)) + rest;
}

/**
 * A Nunjucks environment with autoescape on. A user's templates folder comes first, so a
 * file there replaces the default theme's file of the same name.
 */
export function createTemplateEnvironment(options: {
  config: SiteConfig;
  urls: UrlBuilder;
  userTemplatesDir?: string;
  /** Where templates compiled to JavaScript are kept between builds (see `CompiledTemplateLoader`). */
  compiledTemplatesDir?: string;
}): { env: nunjucks.Environment; searchPaths: string[] } {
  const searchPaths: string[] = [];
  const user = options.userTemplatesDir ? path.resolve(options.userTemplatesDir) : undefined;
  if (user && existsSync(user) && user !== path.resolve(DEFAULT_TEMPLATES_DIR))
    searchPaths.push(user);
  searchPaths.push(DEFAULT_TEMPLATES_DIR);
  const loader = options.compiledTemplatesDir
    ? new CompiledTemplateLoader(searchPaths, options.compiledTemplatesDir)
    : new nunjucks.FileSystemLoader(searchPaths, { noCache: false });
  const env = new nunjucks.Environment(loader, {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  if (loader instanceof CompiledTemplateLoader) loader.attach(env);
  compileIncludesWhenLoaded(env);
  const { urls, config } = options;
  env.addFilter('url', (sitePath: unknown) => linkTo(urls, sitePath, false));
  env.addFilter('absoluteUrl', (sitePath: unknown) => linkTo(urls, sitePath, true));
  // Every page's footer shows the build date: a date and format seen before is not formatted
  // again (the memo is this environment's, so one build's).
  const formattedDates = new Map<string, string>();
  env.addFilter('date', (value: unknown, format?: string) => {
    const pattern = typeof format === 'string' ? format : config.dateFormat;
    const memoKey = value instanceof Date ? undefined : `${String(value ?? '')}\0${pattern}`;
    const known = memoKey === undefined ? undefined : formattedDates.get(memoKey);
    if (known !== undefined) return known;
    // A date without an offset (`2022-04-04`, a front-matter extra) is in the site's zone.
    const date =
      value instanceof Date
        ? DateTime.fromJSDate(value)
        : DateTime.fromISO(String(value ?? ''), { zone: config.timezone });
    const formatted = date.isValid
      ? inZone(date.toJSDate(), config.timezone).toFormat(pattern, { locale: config.language })
      : '';
    if (memoKey !== undefined && formattedDates.size < 10_000)
      formattedDates.set(memoKey, formatted);
    return formatted;
  });
  // JSON for <script type="application/ld+json">: `<` escaped so no text can close the element.
  env.addFilter('jsonScript', (value: unknown) => {
    const json = JSON.stringify(value ?? null)
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029');
    return new nunjucks.runtime.SafeString(json);
  });
  addThemeWords(env, config);
  return { env, searchPaths };
}

/**
 * Nunjucks compiles an included or imported template only when it first renders, and reports
 * a syntax error there through a callback it schedules for later, when the page that includes
 * it has already returned nothing and its caller's error handling is gone: the error escapes
 * as an uncaught exception and stops the process. Compiled as it is loaded, the template
 * throws inside the including template's own error handling, and the page fails with it.
 */
function compileIncludesWhenLoaded(env: nunjucks.Environment): void {
  type GetTemplate = (name: unknown, eagerCompile?: unknown, ...rest: unknown[]) => unknown;
  const environment = env as unknown as { getTemplate: GetTemplate };
  const getTemplate = environment.getTemplate.bind(env);
  environment.getTemplate = (name, eagerCompile, ...rest) =>
    // A callback in the second place keeps its meaning: Nunjucks shifts the arguments.
    typeof eagerCompile === 'function'
      ? getTemplate(name, true, eagerCompile, ...rest)
      : getTemplate(name, true, ...rest);
}

/**
 * The theme's interface words (`partials/strings.njk`: `s.t.home`, `s.fill(…)`) depend only
 * on the site's language, so they are evaluated once and shared as the global `s` instead of
 * being imported again by every partial of every page.
 */
function addThemeWords(env: nunjucks.Environment, config: SiteConfig): void {
  let template: nunjucks.Template;
  try {
    template = env.getTemplate('partials/strings.njk', true);
  } catch (error) {
    // A theme without the file has nothing to share; a file that does not compile is the
    // fault to report, not the pages that then find no words.
    if (!/template not found/i.test(String((error as Error)?.message)))
      env.addGlobal('s', failingOnUse(error));
    return;
  }
  const context = { site: { language: config.language } };
  const exporter = template as unknown as {
    getExported(
      context: object,
      frame: null,
      callback: (error: Error | null, exported: Record<string, unknown>) => void,
    ): void;
  };
  const file = (template as unknown as { path?: string }).path ?? 'partials/strings.njk';
  exporter.getExported(context, null, (error, exported) => {
    env.addGlobal('s', error ? failingOnUse(error, file) : exported);
  });
}

/**
 * Stands in for the theme's words when `partials/strings.njk` fails: any page using them fails
 * with that file's error (its name and line), not with "Unable to call s["fill"]" in a page.
 */
function failingOnUse(error: unknown, file = 'partials/strings.njk'): object {
  const cause = error instanceof Error ? error : new Error(String(error));
  const message = /strings\.njk\)/.test(cause.message)
    ? cause.message
    : `(${file}) ${cause.message}`;
  return new Proxy(
    {},
    {
      get() {
        throw new Error(message);
      },
    },
  );
}

/**
 * Names the template file and line of a Nunjucks error. Nunjucks wraps an error once per
 * template it passes through, outermost first (`(page.njk) Template render error:
 * (partial.njk) [Line 1, Column 15] unexpected token`): the innermost file is where the
 * fault is, and a line is its only if it follows that file. A file of the default theme is
 * named so, as the user's folder and the theme's may both be called `templates`.
 */
export function describeTemplateError(
  error: unknown,
  searchPaths: string[],
): { file: string; line?: number; message: string } {
  const raw = error instanceof Error ? error.message : String(error);
  const files = [...raw.matchAll(/\(([^()\n]+\.(?:njk|html))\)/g)];
  const innermost = files.at(-1);
  const rest = innermost ? raw.slice(innermost.index + innermost[0].length) : raw;
  const lineMatch = /^\s*(?:Template render error:\s*)?\[Line (\d+), Column \d+\]/.exec(rest);
  const message = rest
    .replace(/\[Line \d+, Column \d+\]\s*/g, '')
    .replace(/Template render error:\s*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  // Errors thrown while rendering ("Error: Unable to call …") count lines from 0, syntax
  // errors from 1.
  const thrown = /^Error: /.test(message);
  let line = lineMatch ? Number(lineMatch[1]) + (thrown ? 1 : 0) : undefined;
  let file = innermost?.[1];
  // Nunjucks runs the rest of a template inside the callback of each template it included,
  // so a later error is wrapped as if in the last included one, often at a wrong line. An
  // unknown filter can be found where it is written instead.
  const written = faultPattern(message);
  // Not in the chain, a macro imported from another file is looked for in every template.
  const found =
    written &&
    (firstLineWritten(
      written,
      files.map((match) => match[1]!),
    ) ??
      firstLineWritten(written, templateFiles(searchPaths).reverse()));
  if (found) ({ file, line } = found);
  return {
    file: file === undefined ? 'templates' : templateName(file, searchPaths),
    ...(line ? { line } : {}),
    message: thrown ? message.slice('Error: '.length) : message,
  };
}

/** A template file as messages name it: in the user's folder, or the default theme's. */
function templateName(file: string, searchPaths: string[]): string {
  const absolute = path.resolve(file);
  for (const searchPath of searchPaths) {
    const root = path.resolve(searchPath);
    if (!absolute.startsWith(root + path.sep)) continue;
    const relative = path.relative(root, absolute);
    return root === path.resolve(DEFAULT_TEMPLATES_DIR)
      ? `default theme: ${relative}`
      : path.join(path.basename(root), relative);
  }
  return file;
}

/**
 * What an error's cause looks like in a template's text, when the message tells: an unknown
 * filter (`| name`, `{% filter name %}`), or a call of something undefined
 * (`Unable to call \`article["title"]["foo"]\``: `article.title.foo(`).
 */
function faultPattern(message: string): RegExp | undefined {
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // A template changing a read-only list in place (`.push(`, `.reverse(`).
  if (
    /Cannot (?:assign to read only property|add property|delete property)|object is not extensible/.test(
      message,
    )
  )
    return /\.\s*(?:push|pop|shift|unshift|splice|reverse|sort|fill|copyWithin)\s*\(/;
  // An include or import of a file that is not there: where its name is written.
  const missing = /^Error: template not found: (\S+)$/.exec(message)?.[1];
  if (missing) return new RegExp(`["']${literal(missing)}["']`);
  const filter = /^Error: filter not found: (\S+)$/.exec(message)?.[1];
  if (filter) return new RegExp(`(?:\\|\\s*|\\{%-?\\s*filter\\s+)${literal(filter)}(?![\\w$])`);
  const callee = /^Error: Unable to call `([\w$]+)((?:\["[^"\]]*"\])*)`/.exec(message);
  if (!callee) return undefined;
  const steps = [...callee[2]!.matchAll(/\["([^"\]]*)"\]/g)].map((step) => literal(step[1]!));
  const member = (name: string) => `\\s*(?:\\.\\s*${name}|\\[\\s*["']${name}["']\\s*\\])`;
  // A call, not a macro's definition (`{% macro badge(a) %}` in a file included instead of
  // imported leaves `badge` undefined where it is called).
  return new RegExp(
    `(?<![\\w$.])(?<!macro\\s+)${literal(callee[1]!)}${steps.map(member).join('')}\\s*\\(`,
  );
}

/** Every template file of the search paths, the user's first (`.njk` and `.html`). */
function templateFiles(searchPaths: string[]): string[] {
  return searchPaths.flatMap((folder) =>
    listFiles(folder)
      .filter((file) => /\.(?:njk|html)$/.test(file) && !file.startsWith('assets/'))
      .map((file) => path.join(folder, file)),
  );
}

/** The first line (from 1) written so in these template files, innermost first. */
function firstLineWritten(
  pattern: RegExp,
  files: string[],
): { file: string; line: number } | undefined {
  for (const file of [...new Set(files)].reverse()) {
    let lines: string[];
    try {
      // Comments (`{# … | shout #}`) blanked, their line breaks kept.
      lines = readFileSync(file, 'utf8')
        .replace(/\{#[\s\S]*?#\}/g, (comment) => comment.replace(/[^\n]/g, ' '))
        .split('\n');
    } catch {
      continue;
    }
    const index = lines.findIndex((text) => pattern.test(text));
    if (index >= 0) return { file, line: index + 1 };
  }
  return undefined;
}
