import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withConfigReference } from '../../scripts/config-reference.ts';
import { FIELD_ALIASES } from '../../src/load/fields.ts';
import { repoRoot } from '../helpers.ts';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

describe('README', () => {
  it('documents every configuration key (run `npm run docs` after changing the schema)', () => {
    expect(readme).toBe(withConfigReference(readme));
  });

  it('documents every front-matter alias', () => {
    for (const alias of Object.values(FIELD_ALIASES).flat()) expect(readme).toContain(`\`${alias}`);
  });
});
