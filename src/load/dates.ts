import { DateTime } from 'luxon';

/**
 * Reads a front-matter date: RFC 2822 (`Mon, 04 Apr 2022 15:12:14 GMT`), ISO 8601 with or
 * without a zone, `YYYY-MM-DD HH:mm[:ss]`, `YYYY-MM-DD`, `YYYY/MM/DD …`, a Date, or epoch
 * milliseconds (seconds are accepted too). Dates without a zone are in `timezone`.
 */
export function parseDate(value: unknown, timezone: string): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d{9,13}$/.test(text)) return fromEpoch(Number(text));

  const zone = { zone: timezone };
  const candidates = [
    () => DateTime.fromISO(text, { ...zone, setZone: true }),
    () => DateTime.fromSQL(text, { ...zone, setZone: true }),
    () => DateTime.fromRFC2822(text, { ...zone, setZone: true }),
    () => DateTime.fromHTTP(text, { ...zone, setZone: true }),
    () => DateTime.fromFormat(text.replace(/\//g, '-'), 'yyyy-M-d H:mm:ss', zone),
    () => DateTime.fromFormat(text.replace(/\//g, '-'), 'yyyy-M-d H:mm', zone),
    () => DateTime.fromFormat(text.replace(/\//g, '-'), 'yyyy-M-d', zone),
    // RFC 2822 with a zone name Luxon does not know ("CST") or none at all.
    () =>
      DateTime.fromFormat(text.replace(/\s+[A-Z]{2,5}$/, ''), 'EEE, dd MMM yyyy HH:mm:ss', zone),
  ];
  for (const candidate of candidates) {
    const parsed = candidate();
    if (parsed.isValid) return parsed.toJSDate();
  }
  const fallback = new Date(text);
  return Number.isNaN(fallback.getTime()) ? undefined : fallback;
}

function fromEpoch(value: number): Date | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  // Scrapers write epoch milliseconds; a 10-digit number can only be seconds.
  const date = new Date(value < 1e11 ? value * 1000 : value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A date in a file or folder name, as Jekyll (`2020-08-10-title.md`) and archives use. */
export function dateFromPath(relativePath: string, timezone: string): Date | undefined {
  const match = /(?:^|[/_-])((?:19|20)\d\d)-(\d\d)-(\d\d)(?=[-_/. ]|$)/.exec(relativePath);
  if (!match) return undefined;
  const parsed = DateTime.fromObject(
    { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) },
    { zone: timezone },
  );
  return parsed.isValid ? parsed.toJSDate() : undefined;
}
