/** Gazette's version: part of every cache key, and named in feeds and page metadata. */
export const GAZETTE_VERSION = '0.1.0';
