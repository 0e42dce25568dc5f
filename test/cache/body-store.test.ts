import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BodyStore, DamagedBodyError } from '../../src/cache/body-store.ts';
import { makeTempFolder } from '../temp-folders.ts';

function packFile(): string {
  return path.join(makeTempFolder('gazette-pack-'), 'bodies-test.pack');
}

/** Changes one byte of a file in place, as a disk error or an edit by hand would. */
function flipByte(file: string, offset: number): void {
  const fd = openSync(file, 'r+');
  const byte = Buffer.alloc(1);
  readSync(fd, byte, 0, 1, offset);
  byte[0] = byte[0]! ^ 0x20;
  writeSync(fd, byte, 0, 1, offset);
  closeSync(fd);
}

describe('the body pack', () => {
  it('gives back what was put, and refuses a body whose bytes changed', () => {
    const file = packFile();
    const store = new BodyStore(file);
    const first = store.put('<p>第一篇</p>');
    const second = store.put('<p>second body</p>');
    expect(store.get(first)).toBe('<p>第一篇</p>');
    flipByte(file, second[0] + 4);
    expect(() => store.get(second)).toThrow(DamagedBodyError);
    expect(store.damaged).toBe(1);
    expect(() => store.assertUndamaged()).toThrow(/does not match its checksum/);
    // The other body is still read.
    expect(store.get(first)).toBe('<p>第一篇</p>');
    store.close();
  });

  it('reads a body of an index without checksums as it is', () => {
    const file = packFile();
    const store = new BodyStore(file);
    const [offset, length] = store.put('<p>older index</p>');
    expect(store.get([offset, length])).toBe('<p>older index</p>');
    store.assertUndamaged();
    store.close();
  });

  it('keeps checksums when compacting, so a damaged body stays found out', () => {
    const file = packFile();
    const store = new BodyStore(file);
    const dead = store.put('x'.repeat(3 << 20));
    const kept = store.put('<p>kept</p>');
    const damaged = store.put('<p>damaged</p>');
    expect(dead[1]).toBeGreaterThan(0);
    flipByte(file, damaged[0] + 3);
    const target = path.join(path.dirname(file), 'bodies-compacted.pack');
    const moved = store.compactInto([kept, damaged], target)!;
    store.close();
    const compacted = new BodyStore(target);
    expect(compacted.get(moved[0]!)).toBe('<p>kept</p>');
    expect(() => compacted.get(moved[1]!)).toThrow(DamagedBodyError);
    compacted.close();
  });
});
