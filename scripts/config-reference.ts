/**
 * Writes the configuration reference into README.md from the schema itself, so the README
 * cannot drift from what the validator accepts: `npm run docs`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONFIG_SCHEMA, type Field } from '../src/config/schema.ts';

export function configReferenceRows(
  fields: Record<string, Field> = CONFIG_SCHEMA,
  prefix = '',
): string[] {
  const rows: string[] = [];
  for (const [key, field] of Object.entries(fields)) {
    const name = `${prefix}${key}`;
    if (field.kind === 'section') {
      rows.push(...configReferenceRows(field.fields, `${name}.`));
      continue;
    }
    const type =
      field.kind === 'enum'
        ? field.values.map((value) => `\`${value}\``).join(' \\| ')
        : field.kind;
    rows.push(
      `| \`${name}\` | ${type} | \`${JSON.stringify(field.default)}\` | ${field.doc.replace(/\|/g, '\\|')} |`,
    );
  }
  return rows;
}

export function configReferenceTable(): string {
  return [
    '| key | type | default | meaning |',
    '| --- | --- | --- | --- |',
    ...configReferenceRows(),
  ].join('\n');
}

const START = '<!-- config-reference:start -->';
const END = '<!-- config-reference:end -->';

/** The README with its configuration table regenerated. */
export function withConfigReference(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1) throw new Error(`README.md has no ${START} … ${END} section`);
  return `${readme.slice(0, start + START.length)}\n${configReferenceTable()}\n${readme.slice(end)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
  writeFileSync(readmePath, withConfigReference(readFileSync(readmePath, 'utf8')));
  console.log('README.md: configuration reference regenerated');
}
