import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml, { type YAMLException } from 'js-yaml';
import { defaultSiteDescription } from '../languages.ts';
import { jsonErrorOffset } from '../load/json-error-offset.ts';
import { CONFIG_SCHEMA, defaultConfig, type Field, type SiteConfig } from './schema.ts';

export const CONFIG_FILE_NAMES = [
  'gazette.config.yml',
  'gazette.config.yaml',
  'gazette.config.json',
];

/** A configuration problem stops the build before anything is read: it names the file and key. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface LoadedConfig {
  config: SiteConfig;
  /** Absolute path of the config file, if one was read. */
  file?: string;
  /** Folder against which relative folders in the config are resolved. */
  root: string;
}

export function findConfigFile(root: string): string | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = path.join(root, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Reads and validates the config file (if any), then applies `overrides` (from the command
 * line), which are validated the same way.
 */
export function loadConfig(options: {
  root: string;
  file?: string;
  overrides?: Record<string, unknown>;
}): LoadedConfig {
  const file = options.file
    ? path.resolve(options.root, options.file)
    : findConfigFile(options.root);
  let config = defaultConfig();
  if (file) {
    if (!existsSync(file)) throw new ConfigError(`Config file not found: ${file}`);
    const text = readFileSync(file, 'utf8');
    const raw = parseConfigText(text, file);
    try {
      config = validateConfig(raw, path.basename(file), config);
    } catch (error) {
      throw error instanceof ConfigError
        ? withKeyLine(error, path.basename(file), text, file.endsWith('.json'))
        : error;
    }
  }
  if (options.overrides) config = validateConfig(options.overrides, 'command line', config);
  // In the site's language: an English line read out by a Chinese voice helps no one.
  if (!config.description.trim())
    config = { ...config, description: defaultSiteDescription(config.language) };
  return { config, file, root: file ? path.dirname(file) : options.root };
}

/**
 * A value error (`g.yml: "pageSize" must be …`) with the line of the key it names
 * (`g.yml:3: …`). In YAML a top-level key starts its line and a nested one is indented
 * deeper than its parent, within the parent's section (so neither an indented look-alike
 * nor text in a block scalar is taken for it); in JSON each key is looked for after its
 * parent's.
 */
function withKeyLine(error: ConfigError, source: string, text: string, json: boolean): ConfigError {
  const literal = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const named = new RegExp(`^${literal(source)}: (?:unknown key )?"([^"]+)"`).exec(error.message);
  if (!named) return error;
  const lines = text.split(/\r?\n/);
  const indentOf = (line: string) => /^[ \t]*/.exec(line)![0].length;
  let line = -1;
  let parentIndent = -1;
  let sectionEnd = lines.length;
  for (const key of named[1]!.split('.')) {
    const keyPattern = new RegExp(
      `^[ \\t]*(?:${literal(key)}|"${literal(key)}"|'${literal(key)}')[ \\t]*:`,
    );
    let found = -1;
    for (let index = line + 1; index < sectionEnd; index++) {
      const candidate = lines[index]!;
      if (!keyPattern.test(candidate)) continue;
      const indent = indentOf(candidate);
      if (!json && (line < 0 ? indent !== 0 : indent <= parentIndent)) continue;
      found = index;
      parentIndent = indent;
      break;
    }
    if (found < 0) return error;
    line = found;
    if (json) continue;
    // The key's section: up to the next line (not blank, not a comment) indented no deeper.
    sectionEnd = lines.length;
    for (let index = found + 1; index < lines.length; index++) {
      const next = lines[index]!;
      if (/^[ \t]*(?:#|$)/.test(next)) continue;
      if (indentOf(next) <= parentIndent) {
        sectionEnd = index;
        break;
      }
    }
  }
  return new ConfigError(`${source}:${line + 1}${error.message.slice(source.length)}`);
}

/** Named as value errors name it (`gazette.config.yml:3: …`), with the line where known. */
function parseConfigText(text: string, file: string): unknown {
  const name = path.basename(file);
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      // Node 20 names a position, not a line, and not for every error.
      const offset = jsonErrorOffset(text) ?? 0;
      const line = text.slice(0, offset).split('\n').length;
      throw new ConfigError(`${name}:${line}: invalid JSON: ${(error as Error).message}`);
    }
  }
  try {
    return yaml.load(text, { schema: yaml.CORE_SCHEMA }) ?? {};
  } catch (error) {
    const mark = (error as YAMLException).mark;
    const line = mark ? `:${mark.line + 1}` : '';
    const reason = (error as YAMLException).reason ?? (error as Error).message.split('\n')[0];
    throw new ConfigError(`${name}${line}: ${reason}`);
  }
}

/** Validates `input` against the schema and returns `base` with its values replaced. */
export function validateConfig(input: unknown, source: string, base: SiteConfig): SiteConfig {
  const result = structuredClone(base) as unknown as Record<string, unknown>;
  applySection(CONFIG_SCHEMA, input, result, '', source);
  const config = result as unknown as SiteConfig;
  checkCrossFieldRules(config, source);
  return config;
}

function applySection(
  fields: Record<string, Field>,
  input: unknown,
  target: Record<string, unknown>,
  prefix: string,
  source: string,
): void {
  if (!isPlainObject(input)) {
    throw new ConfigError(`${source}: ${prefix || 'the config'} must be a map of keys to values`);
  }
  for (const [key, value] of Object.entries(input)) {
    const name = prefix ? `${prefix}.${key}` : key;
    const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (!field) {
      const suggestion = closest(key, Object.keys(fields));
      throw new ConfigError(
        `${source}: unknown key "${name}"${suggestion ? ` (did you mean "${prefix ? `${prefix}.` : ''}${suggestion}"?)` : ''}`,
      );
    }
    if (value === undefined) continue;
    if (field.kind === 'section') {
      applySection(field.fields, value, target[key] as Record<string, unknown>, name, source);
    } else {
      target[key] = checkValue(field, value, name, source);
    }
  }
}

function checkValue(
  field: Exclude<Field, { kind: 'section' }>,
  value: unknown,
  name: string,
  source: string,
): unknown {
  const fail = (expected: string): never => {
    throw new ConfigError(`${source}: "${name}" must be ${expected}, got ${JSON.stringify(value)}`);
  };
  switch (field.kind) {
    case 'string':
      if (typeof value !== 'string') return fail('a string');
      if (field.pattern && !field.pattern.test(value))
        return fail(field.hint ?? `a string matching ${field.pattern}`);
      return value;
    case 'integer':
      if (
        typeof value !== 'number' ||
        !Number.isInteger(value) ||
        value < field.min ||
        value > field.max
      ) {
        return fail(`a whole number from ${field.min} to ${field.max}`);
      }
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') return fail('true or false');
      return value;
    case 'enum':
      if (typeof value !== 'string' || !field.values.includes(value)) {
        return fail(`one of ${field.values.map((v) => `"${v}"`).join(', ')}`);
      }
      return value;
    case 'strings':
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
        return fail('a list of strings');
      return [...value];
    case 'stringMap':
      if (
        !isPlainObject(value) ||
        !Object.values(value).every((item) => typeof item === 'string')
      ) {
        return fail('a map of strings');
      }
      return { ...value };
    case 'rules':
      if (
        !Array.isArray(value) ||
        !value.every(
          (rule) =>
            isPlainObject(rule) &&
            typeof rule.match === 'string' &&
            typeof rule.replace === 'string' &&
            Object.keys(rule).length === 2,
        )
      ) {
        return fail('a list of {match, replace} rules');
      }
      for (const rule of value as { match: string }[]) {
        try {
          new RegExp(rule.match);
        } catch {
          fail(`a list of rules with valid regular expressions ("${rule.match}" is not one)`);
        }
      }
      return value.map((rule: { match: string; replace: string }) => ({
        match: rule.match,
        replace: rule.replace,
      }));
  }
}

function checkCrossFieldRules(config: SiteConfig, source: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: config.timezone });
  } catch {
    throw new ConfigError(
      `${source}: "timezone" must be an IANA time zone such as Asia/Shanghai, got "${config.timezone}"`,
    );
  }
  const base = config.baseUrl;
  if (base.startsWith('//')) {
    throw new ConfigError(
      `${source}: "baseUrl" "${base}" has no scheme: write https:${base} (or a path such as /news/)`,
    );
  }
  if (/[?#]/.test(base)) {
    throw new ConfigError(
      `${source}: "baseUrl" may not have a query or fragment (every link would lose it), got "${base}"`,
    );
  }
  if (
    base.startsWith('/') &&
    base.split('/').some((segment) => segment === '.' || segment === '..')
  ) {
    throw new ConfigError(
      `${source}: "baseUrl" may not have . or .. segments (links would keep them as written), got "${base}"`,
    );
  }
  if (!base.startsWith('/')) {
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      throw new ConfigError(
        `${source}: "baseUrl" must be an absolute http(s) URL or a path starting with /, got "${base}"`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConfigError(`${source}: "baseUrl" must use http or https, got "${base}"`);
    }
  }
  if (!/:slug|:title|:id/.test(config.permalink)) {
    throw new ConfigError(
      `${source}: "permalink" must contain :slug (or :title) or :id so that articles get distinct URLs`,
    );
  }
  // Any other word after a colon would be written into every URL as it is.
  const unknown = [...config.permalink.matchAll(/:([A-Za-z]\w*)/g)]
    .map((match) => match[1]!)
    .filter((token) => !PERMALINK_TOKENS.includes(token));
  if (unknown.length > 0) {
    throw new ConfigError(
      `${source}: "permalink" has unknown token(s) ${unknown.map((token) => `:${token}`).join(', ')}; known: ${PERMALINK_TOKENS.map((token) => `:${token}`).join(' ')}`,
    );
  }
  // Hosts exactly as iframe URLs name them: they are matched by equality and written into
  // the Content-Security-Policy as `https://<host>`.
  const badHosts = config.embeds.allowHosts.filter(
    (host) => !/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]+$/i.test(host),
  );
  if (badHosts.length > 0) {
    throw new ConfigError(
      `${source}: "embeds.allowHosts" takes host names (www.youtube.com), not ${badHosts.map((host) => JSON.stringify(host)).join(', ')}: no scheme, path, port or wildcard`,
    );
  }
  if (config.dateFormat.trim() === '') {
    throw new ConfigError(`${source}: "dateFormat" is empty: every date shown would be blank`);
  }
}

/** Tokens a permalink pattern may use (`expandPermalink`); tokens are lower case. */
const PERMALINK_TOKENS = [
  'year',
  'month',
  'day',
  'hour',
  'minute',
  'slug',
  'title',
  'id',
  'category',
];

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
