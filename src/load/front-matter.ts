import matter from 'gray-matter';
import yaml, { type YAMLException } from 'js-yaml';
import { parse as parseToml } from 'smol-toml';
import { isPlainObject } from '../config/load.ts';
import { jsonErrorOffset } from './json-error-offset.ts';

export interface FrontMatterResult {
  data: Record<string, unknown>;
  body: string;
  /** 1-based line of the file on which the body starts. */
  bodyLine: number;
  /** True when nothing usable could be read: the file cannot become an article. */
  failed: boolean;
  /** Problems, with 1-based file lines where known. */
  problems: { severity: 'error' | 'warning'; message: string; line?: number }[];
}

/** Front matter must never run code: gray-matter would `eval` these languages by default. */
const EXECUTABLE_LANGUAGES = ['javascript', 'js', 'coffee', 'coffeescript', 'cson'];

/**
 * Splits text into front matter and body. YAML (`---`), TOML (`+++`) and JSON (`---json`) are
 * read, and YAML without its opening `---` as Hexo reads it (`isOpenlessFrontMatter`); a file
 * opening with anything else is all body. The opening delimiter may follow blank lines, as in
 * files written by RSSHub's Hexo action.
 */
export function splitFrontMatter(text: string): FrontMatterResult {
  const leading = /^(?:[ \t]*\n)*/.exec(text)?.[0] ?? '';
  const leadingLines = countLines(leading);
  const rest = text.slice(leading.length);
  const problems: FrontMatterResult['problems'] = [];

  const opening = /^(---|\+\+\+)([^\n]*)\n/.exec(rest);
  if (!opening && isOpenlessFrontMatter(rest)) {
    // Read as if opened: each line is then one later than in the file. Keys that are not
    // YAML after all are the body's text, as before.
    const opened = splitFrontMatter(`---\n${rest}`);
    const shift = (line: number) => line + leadingLines - 1;
    const error = opened.problems.find((problem) => problem.severity === 'error');
    if (!opened.failed && !error) {
      return {
        ...opened,
        bodyLine: shift(opened.bodyLine),
        problems: opened.problems.map((problem) =>
          problem.line === undefined ? problem : { ...problem, line: shift(problem.line) },
        ),
      };
    }
    problems.push({
      severity: 'warning',
      message: `the lines before the first --- look like front matter without its opening --- (title, date), but are not valid YAML${error ? ` (${/\(([^)]*)\)|: (.*)$/.exec(error.message)?.slice(1).find(Boolean) ?? error.message})` : ''}; read as body (add a --- line above them to have them read)`,
      line: error?.line === undefined ? leadingLines + 1 : shift(error.line),
    });
  }
  if (!opening) {
    if (rest.startsWith('---') && !rest.includes('\n')) {
      problems.push({
        severity: 'error',
        message: 'front matter is not closed',
        line: leadingLines + 1,
      });
      return { data: {}, body: '', bodyLine: leadingLines + 1, problems, failed: true };
    }
    return { data: {}, body: rest, bodyLine: leadingLines + 1, problems, failed: false };
  }
  const delimiter = opening[1] as '---' | '+++';
  const language = delimiter === '+++' ? 'toml' : opening[2]!.trim().toLowerCase() || 'yaml';
  const closing = new RegExp(`\\n${delimiter === '+++' ? '\\+\\+\\+' : '---'}[ \\t]*(?:\\n|$)`);
  if (!closing.test(rest.slice(opening[0].length - 1))) {
    problems.push({
      severity: 'error',
      message: `front matter opened with ${delimiter} on line ${leadingLines + 1} is never closed`,
      line: leadingLines + 1,
    });
    return { data: {}, body: '', bodyLine: leadingLines + 1, problems, failed: true };
  }
  if (EXECUTABLE_LANGUAGES.includes(language)) {
    problems.push({
      severity: 'error',
      message: `front matter in "${language}" would run code; use YAML, TOML or JSON`,
      line: leadingLines + 1,
    });
    return { data: {}, body: '', bodyLine: leadingLines + 1, problems, failed: true };
  }

  // The matter text starts on the line after the opening delimiter.
  const firstMatterLine = leadingLines + 2;
  const reject = () => {
    throw new Error('front matter languages that run code are not allowed');
  };
  // gray-matter keeps a Buffer copy of all the text it is given: it gets the block only, up
  // to the first line starting with the closing delimiter (where it would cut itself). On a
  // 7 KB body that halves the cost of reading front matter.
  const closeIndex = rest.indexOf(`\n${delimiter}`, opening[0].length - 1);
  const blockEnd = closeIndex + 1 + delimiter.length;
  let data: unknown = {};
  try {
    const parsed = matter(rest.slice(0, blockEnd), {
      delimiters: delimiter,
      language,
      engines: {
        yaml: (source: string) => parseYamlFrontMatter(source, leadingLines, problems),
        toml: (source: string) => parseToml(source),
        json: parseJsonFrontMatter,
        javascript: reject,
        coffee: reject,
      },
    } as unknown as Parameters<typeof matter>[1]);
    data = parsed.data;
  } catch (error) {
    if (!(error instanceof FrontMatterSyntaxError)) {
      // Engines get the text from the end of the opening delimiter's line, so their line 1
      // is the delimiter's own line.
      const line = (error as { line?: number }).line;
      problems.push({
        severity: 'error',
        message: `invalid ${language.toUpperCase()} front matter: ${firstLine((error as Error).message)}`,
        line: line ? leadingLines + line : firstMatterLine,
      });
    }
    return { data: {}, body: '', bodyLine: firstMatterLine, problems, failed: true };
  }

  // As gray-matter does: the body starts after the closing delimiter and one line break.
  const body = rest.slice(blockEnd).replace(/^\r?\n?/, '');
  const bodyLine = leadingLines + countLines(rest.slice(0, rest.length - body.length)) + 1;
  if (data === null || data === undefined) data = {};
  if (!isPlainObject(data)) {
    problems.push({
      severity: 'error',
      message: `front matter must be a map of keys to values, found ${Array.isArray(data) ? 'a list' : typeof data}`,
      line: firstMatterLine,
    });
    return { data: {}, body, bodyLine, problems, failed: true };
  }
  return {
    data: boundedCopy(
      data,
      (key) => keyLine(rest.slice(0, blockEnd), key, leadingLines + 1, language),
      problems,
    ),
    body,
    bodyLine,
    problems,
    failed: false,
  };
}

/**
 * Hexo reads front matter without its opening `---` (`title: A\ndate: …\n---\nbody`), as
 * older Hexo posts were written (`hexo new` writes both keys). Taken so only when every line
 * before the first `---` line is a key, a list item or an indented continuation, with both
 * `title` and `date` among the keys: a paragraph over a Markdown rule, a line underlined into
 * a heading (`date: 2024-01-02` over `---`), an e-mail's headers are not.
 */
function isOpenlessFrontMatter(text: string): boolean {
  if (!/^[A-Za-z_][\w-]*:(?:[ \t]|$)/.test(text)) return false;
  const close = /^---[ \t]*$/m.exec(text.slice(0, 16_384));
  if (!close) return false;
  const keys = new Set<string>();
  for (const line of text.slice(0, close.index).split('\n')) {
    const key = /^([A-Za-z_][\w-]*):(?:[ \t]|$)/.exec(line);
    if (key) keys.add(key[1]!);
    else if (line.trim() !== '' && !/^(?:[ \t]+\S|-[ \t])/.test(line)) return false;
  }
  return keys.has('title') && keys.has('date');
}

/** Values of one key past this many items (lists, maps and scalars) are dropped. */
export const MAX_FRONT_MATTER_ITEMS = 20_000;
/** Lists and maps nested deeper than this are dropped: no news field needs it. */
export const MAX_FRONT_MATTER_DEPTH = 32;

/**
 * A copy of the front matter as a plain tree. YAML aliases let ten lines stand for a billion
 * items (`b: [*a, *a, …]`) that every later copy, hash or template loop would expand, and
 * flow collections nest without end; a key whose value is too big or too deep is dropped
 * with an error, keeping the rest of the article.
 */
function boundedCopy(
  data: Record<string, unknown>,
  lineOf: (key: string) => number,
  problems: FrontMatterResult['problems'],
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const budget = { items: MAX_FRONT_MATTER_ITEMS };
    const copy = copyWithin(value, budget, 0);
    if (copy === TOO_BIG) {
      problems.push({
        severity: 'error',
        message: `front-matter key "${key.slice(0, 80)}" holds more than ${MAX_FRONT_MATTER_ITEMS} items or nests deeper than ${MAX_FRONT_MATTER_DEPTH} levels (YAML aliases?); ignored`,
        line: lineOf(key),
      });
      continue;
    }
    defineValue(result, key, copy);
  }
  return result;
}

/**
 * The file line of a top-level key in the front-matter block (`block` starts with the
 * opening delimiter, on line `firstLine`), written plain or quoted: at the start of a line
 * in YAML (an indented one is nested, or text in a block), indented or not in JSON and
 * TOML. The block's first line when it cannot be found.
 */
function keyLine(block: string, key: string, firstLine: number, language: string): number {
  const name = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const indent = language === 'yaml' ? '' : '[ \\t]*';
  const index = block.search(
    new RegExp(`^${indent}(?:${name}|"${name}"|'${name}')[ \\t]*[:=]`, 'm'),
  );
  return index < 0 ? firstLine + 1 : firstLine + countLines(block.slice(0, index));
}

const TOO_BIG = Symbol('too big');

function copyWithin(value: unknown, budget: { items: number }, depth: number): unknown {
  if (--budget.items < 0) return TOO_BIG;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (depth >= MAX_FRONT_MATTER_DEPTH) return TOO_BIG;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    for (const item of value) {
      const itemCopy = copyWithin(item, budget, depth + 1);
      if (itemCopy === TOO_BIG) return TOO_BIG;
      copy.push(itemCopy);
    }
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const itemCopy = copyWithin(item, budget, depth + 1);
    if (itemCopy === TOO_BIG) return TOO_BIG;
    defineValue(copy, key, itemCopy);
  }
  return copy;
}

/** Sets a key as an own property, even `__proto__`, never touching a prototype. */
function defineValue(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

class FrontMatterSyntaxError extends Error {}

/** JSON.parse, with the 1-based line of the source where it fails as `line` on the error. */
function parseJsonFrontMatter(source: string): unknown {
  try {
    return JSON.parse(source);
  } catch (error) {
    const offset = jsonErrorOffset(source) ?? 0;
    // V8 quotes the whole block or counts characters from its start: neither helps a reader
    // who is told the line.
    const message = (error as Error).message;
    const reason =
      message.startsWith('Unexpected token') && offset < source.length
        ? `unexpected ${JSON.stringify(source[offset])}`
        : message.replace(/ (?:in JSON )?at position \d+$/, '');
    throw Object.assign(new Error(reason), { line: countLines(source.slice(0, offset)) + 1 });
  }
}

function parseYamlFrontMatter(
  source: string,
  lineOffset: number,
  problems: FrontMatterResult['problems'],
): unknown {
  // The core schema keeps timestamps as strings (dates are read in the site's time zone later)
  // and knows no tags that build functions or objects.
  const options = { schema: yaml.CORE_SCHEMA };
  try {
    return yaml.load(source, options);
  } catch (error) {
    const line = lineOffset + ((error as YAMLException).mark?.line ?? 0) + 1;
    const reason = (error as YAMLException).reason ?? (error as Error).message;
    if (reason.startsWith('duplicated mapping key')) {
      problems.push({
        severity: 'warning',
        message: 'duplicate front-matter key; the last value wins',
        line,
      });
      try {
        return yaml.load(source, { ...options, json: true });
      } catch {
        // Other errors besides the duplicate: salvaged below.
      }
    }
    const salvaged = salvageYaml(source);
    if (salvaged) {
      problems.push({
        severity: 'error',
        message: `invalid YAML front matter (${reason}); recovered what could be read key by key`,
        // A fault noticed after the first key that cannot be read alone (an unclosed quote,
        // found where the block ends or at the next indented line) is at that key; one
        // noticed within it (a tab in its list) is where it was noticed.
        line:
          salvaged.firstBad !== undefined && line - lineOffset - 1 >= salvaged.firstBad.end
            ? lineOffset + salvaged.firstBad.start + 1
            : line,
      });
      return salvaged.data;
    }
    problems.push({ severity: 'error', message: `invalid YAML front matter: ${reason}`, line });
    throw new FrontMatterSyntaxError(reason);
  }
}

/**
 * Scrapers write YAML by string concatenation, so one badly quoted title would lose the whole
 * article. Each top-level key is parsed alone; a value that still fails is kept as raw text.
 */
function salvageYaml(
  source: string,
): { data: Record<string, unknown>; firstBad?: { start: number; end: number } } | undefined {
  const lines = source.split('\n');
  const result: Record<string, unknown> = {};
  let found = false;
  /** The lines (from 0, end excluded) of the first key that cannot be read alone. */
  let firstBad: { start: number; end: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const key = /^([A-Za-z_][\w-]*):(?:\s|$)/.exec(lines[i]!)?.[1];
    if (!key) continue;
    let end = i + 1;
    while (end < lines.length && !/^[A-Za-z_][\w-]*:(?:\s|$)/.test(lines[end]!)) end++;
    const entry = lines.slice(i, end).join('\n');
    found = true;
    try {
      const parsed = yaml.load(entry, { schema: yaml.CORE_SCHEMA }) as Record<
        string,
        unknown
      > | null;
      if (parsed && typeof parsed === 'object' && Object.hasOwn(parsed, key)) {
        Object.defineProperty(result, key, {
          value: parsed[key],
          enumerable: true,
          writable: true,
          configurable: true,
        });
        i = end - 1;
        continue;
      }
    } catch {
      // Kept as text below.
    }
    firstBad ??= { start: i, end };
    const raw = entry
      .slice(key.length + 1)
      .replace(/\s+/g, ' ')
      .trim();
    Object.defineProperty(result, key, {
      value: salvagedText(raw),
      enumerable: true,
      writable: true,
      configurable: true,
    });
    i = end - 1;
  }
  return found ? { data: result, ...(firstBad === undefined ? {} : { firstBad }) } : undefined;
}

/**
 * The text of a value YAML refused, as its writer meant it: quotes around the whole value go
 * (as many as open and close it, of either kind: `"""'转发'"""`, `"She said "yes""`), an
 * opening quote never closed goes, but quotes that end before the text does stay (`"Hello"
 * world`). An unclosed flow list (`[a, b`) gives its items as text, which list fields split
 * at commas.
 */
function salvagedText(raw: string): string {
  if (raw.startsWith('[')) return raw.replace(/^\[\s*/, '').replace(/\s*\]$/, '');
  const opening = /^["']+/.exec(raw)?.[0];
  if (!opening) return raw;
  const closing = /["']+$/.exec(raw)?.[0];
  if (closing && closing.length < raw.length) {
    const wrap = Math.min(opening.length, closing.length);
    return raw.slice(wrap, raw.length - wrap);
  }
  return /["']/.test(raw.slice(opening.length)) ? raw : raw.slice(opening.length);
}

function countLines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
