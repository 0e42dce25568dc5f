import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

/**
 * Where a body lives in the pack: byte offset, length and the CRC-32 of its bytes (missing in
 * an index written before checksums were kept).
 */
export type BodyRef = [offset: number, length: number, checksum?: number];

/**
 * A body whose bytes are not those written (a disk error, a pack edited or cut by hand): it
 * is not put on a page, where it would go unsanitized. The build is started again without
 * the cache (see `build`).
 */
export class DamagedBodyError extends Error {
  override name = 'DamagedBodyError';
  constructor(readonly pack: string) {
    super(`the build cache is damaged: a body in ${pack} does not match its checksum`);
  }
}

/**
 * Sanitized article bodies in one append-only file, so a build holds only offsets in memory
 * and reads a body when a page is rendered. A changed article appends its new body; the pack
 * is rewritten without dead bodies when they outweigh the live ones.
 */
export class BodyStore {
  private fd: number;
  private size: number;
  /** Bodies found damaged by `get` so far. */
  damaged = 0;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'a+');
    this.size = fstatSync(this.fd).size;
  }

  put(html: string): BodyRef {
    const bytes = Buffer.from(html);
    // A short write is a full disk: said as such, not found later as a truncated pack.
    const written = writeSync(this.fd, bytes, 0, bytes.length, this.size);
    if (written !== bytes.length)
      throw Object.assign(new Error(`no space left writing ${this.file}`), {
        code: 'ENOSPC',
        path: this.file,
      });
    const ref: BodyRef = [this.size, bytes.length, crc32(bytes)];
    this.size += bytes.length;
    return ref;
  }

  /** A body's text; throws `DamagedBodyError` if its bytes are not those written. */
  get(ref: BodyRef): string {
    const bytes = this.bytesOf(ref);
    const checksum = ref[2];
    if (checksum !== undefined && crc32(bytes) !== checksum) {
      this.damaged++;
      throw new DamagedBodyError(this.file);
    }
    return bytes.toString('utf8');
  }

  /**
   * Throws `DamagedBodyError` if `get` found a damaged body, wherever its error went (inside
   * a template, it fails the page as a template error).
   */
  assertUndamaged(): void {
    if (this.damaged > 0) throw new DamagedBodyError(this.file);
  }

  private bytesOf([offset, length]: BodyRef): Buffer {
    const bytes = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const count = readSync(this.fd, bytes, read, length - read, offset + read);
      if (count === 0) throw new Error(`build cache body pack is truncated: ${this.file}`);
      read += count;
    }
    return bytes;
  }

  /** True when a ref points inside the pack (a crash may have cut it short). */
  holds([offset, length]: BodyRef): boolean {
    return offset + length <= this.size;
  }

  /** Whether `compactInto` would rewrite the pack for these live bodies. */
  wouldCompact(live: BodyRef[]): boolean {
    const liveBytes = live.reduce((sum, [, length]) => sum + length, 0);
    return this.size >= 1 << 20 && liveBytes * 2 < this.size;
  }

  /**
   * When most of the pack is dead, writes the live bodies to a new pack file `target` and
   * returns their refs there; undefined when rewriting is not worth it. The current pack is
   * left as it is: the index that points into it stays valid until the caller replaces it.
   */
  compactInto(live: BodyRef[], target: string): BodyRef[] | undefined {
    if (!this.wouldCompact(live)) return undefined;
    const out = openSync(target, 'w');
    let size = 0;
    // Copied as they are, checksums and all: a damaged body stays found out when it is read.
    const moved = live.map((ref): BodyRef => {
      const bytes = this.bytesOf(ref);
      writeSync(out, bytes, 0, bytes.length, size);
      const placed: BodyRef = ref[2] === undefined ? [size, ref[1]] : [size, ref[1], ref[2]];
      size += bytes.length;
      return placed;
    });
    closeSync(out);
    return moved;
  }

  /** Closes the pack; again is nothing (a failed save closed it before throwing). */
  close(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    closeSync(fd);
  }
}
