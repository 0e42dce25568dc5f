import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from '../../src/load/json-error-offset.ts';

describe('jsonErrorOffset', () => {
  it.each([
    ['{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"], "b": {}}'],
    ['  []  '],
    ['"text"'],
    ['0'],
  ])('finds nothing wrong in valid JSON: %j', (text) => {
    expect(jsonErrorOffset(text)).toBeUndefined();
  });

  it.each([
    ['{"a": x}', 6],
    ['{"a": 1 "b": 2}', 8],
    ['{"a": 1,}', 8],
    ['[1, 2,]', 6],
    ['{"a" 1}', 5],
    ['{"a": tru}', 9],
    ['{"a": 01}', 7],
    ['{"a": "x\ny"}', 8],
    ['{"a": "\\q"}', 7],
    ['{"a": 1} x', 9],
    ['{"a": [1, 2}', 11],
    ["{'a': 1}", 1],
    ['{"a": 1', 7],
    ['{"a": "open', 11],
    ['', 0],
  ])('points at the first character that is not JSON: %j', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('survives nesting far deeper than a call stack', () => {
    expect(jsonErrorOffset(`${'['.repeat(100_000)}x`)).toBe(100_000);
  });
});
