import { DateTime } from 'luxon';

/**
 * Reads a front-matter date: RFC 2822 (`Mon, 04 Apr 2022 15:12:14 GMT`), ISO 8601 with or
 * without a zone, `YYYY-MM-DD HH:mm[:ss]`, `YYYY-MM-DD`, `YYYY/MM/DD …`, a Date, or epoch
 * milliseconds (seconds are accepted too). Dates without a zone are in `timezone`.
 */
export function parseDate(value: unknown, timezone: string): Date | undefined {
  // TOML local date-times (no offset) arrive as Dates in UTC; they are wall-clock times.
  if (isLocalTomlDate(value)) return parseDate(value.toISOString(), timezone);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  // An unquoted `date: 20220404` or `date: 2022` is a number to YAML: read as its text is
  // (ISO 8601's basic date, a year), not as seconds into 1970.
  if (typeof value === 'number')
    return Number.isInteger(value) && value >= 0 && value < EPOCH_MIN
      ? parseDate(String(value), timezone)
      : fromEpoch(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d{9,13}$/.test(text)) return fromEpoch(Number(text));

  const zone = { zone: timezone };
  const chinaTime = chinaStandardTime(text, timezone);
  if (chinaTime) return chinaTime;
  const rfc2822 = withNumericZone(text);
  if (rfc2822 !== text) return parseDate(rfc2822, timezone);
  const zoned = dateWithOffset(text);
  if (zoned) return zoned;
  const candidates = [
    () => DateTime.fromISO(text, { ...zone, setZone: true }),
    () => DateTime.fromSQL(text, { ...zone, setZone: true }),
    () => DateTime.fromRFC2822(text, { ...zone, setZone: true }),
    () => DateTime.fromHTTP(text, { ...zone, setZone: true }),
    () => DateTime.fromFormat(text.replace(/\//g, '-'), 'yyyy-M-d H:mm:ss', zone),
    () => DateTime.fromFormat(text.replace(/\//g, '-'), 'yyyy-M-d H:mm', zone),
    () => DateTime.fromFormat(text.replace(/\//g, '-'), 'yyyy-M-d', zone),
    // RFC 2822 whose day of the week disagrees with its date: feeds often get the weekday
    // wrong (worked out in another zone), seldom the date, so the date is kept.
    () => DateTime.fromRFC2822(withoutWeekday(text), { ...zone, setZone: true }),
    // RFC 2822 with a zone name of no single offset ("IST") or none at all: site time.
    () => DateTime.fromFormat(stripZoneName(withoutWeekday(text)), 'd MMM yyyy HH:mm:ss', zone),
    () => DateTime.fromFormat(text, 'MMMM d, yyyy H:mm', { ...zone, locale: 'en' }),
    () => DateTime.fromFormat(text, 'MMM d, yyyy H:mm', { ...zone, locale: 'en' }),
    () => DateTime.fromFormat(text, 'MMMM d, yyyy', { ...zone, locale: 'en' }),
    () => DateTime.fromFormat(text, 'MMM d, yyyy', { ...zone, locale: 'en' }),
    () => DateTime.fromFormat(text, "yyyy'年'M'月'd'日' H:mm", zone),
    () => DateTime.fromFormat(text, "yyyy'年'M'月'd'日'", zone),
  ];
  for (const candidate of candidates) {
    const parsed = candidate();
    if (parsed.isValid) return parsed.toJSDate();
  }
  // Nothing else: `new Date(text)` would read the text in the build machine's zone.
  return undefined;
}

const MONTH_NUMBERS: Record<string, number> = {
  Jan: 1,
  Feb: 2,
  Mar: 3,
  Apr: 4,
  May: 5,
  Jun: 6,
  Jul: 7,
  Aug: 8,
  Sep: 9,
  Oct: 10,
  Nov: 11,
  Dec: 12,
};

/** RFC 2822 with a numeric zone or GMT; any day of the week (see `withoutWeekday`). */
const RFC_2822_WITH_OFFSET =
  /^(?:[A-Za-z]{3,9},\s*)?(\d{1,2})\s+([A-Z][a-z]{2})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+(?:GMT|([+-])(\d{2})(\d{2}))$/;
/** ISO 8601 date and time with `Z` or an offset, to the millisecond. */
const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

interface ZonedFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC. */
  offset: number;
}

/** Minutes east of UTC; NaN when out of range (a zone of `+2475`). */
function offsetMinutes(sign = '+', hours = '0', minutes = '0'): number {
  if (Number(hours) > 23 || Number(minutes) > 59) return Number.NaN;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

function rfc2822Fields(text: string): ZonedFields | undefined {
  const match = RFC_2822_WITH_OFFSET.exec(text);
  const month = match ? MONTH_NUMBERS[match[2]!] : undefined;
  if (!match || month === undefined) return undefined;
  const [, day, , year, hour, minute, second = '0', sign, hours, minutes] = match;
  return {
    year: Number(year),
    month,
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
    millisecond: 0,
    offset: offsetMinutes(sign, hours, minutes),
  };
}

function isoFields(text: string): ZonedFields | undefined {
  const match = ISO_WITH_OFFSET.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = '0', fraction = '0', sign, hours, minutes] =
    match;
  return {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
    millisecond: Number(fraction.padEnd(3, '0')),
    offset: offsetMinutes(sign, hours, minutes),
  };
}

/**
 * The two shapes most scraped dates have, an instant whatever the site's zone, read without
 * Luxon: trying its parsers one after the other took a tenth of loading an article. Anything
 * out of range or of another shape is left to the parsers, which read or refuse it as before
 * (a wrong day of the week is ignored there too).
 */
function dateWithOffset(text: string): Date | undefined {
  const fields = rfc2822Fields(text) ?? isoFields(text);
  if (!fields) return undefined;
  const { year, month, day, hour, minute, second, millisecond, offset } = fields;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const inRange =
    year >= 1000 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    !Number.isNaN(offset);
  if (!inRange) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  return new Date(utc - offset * 60_000);
}

/** `Sun, 04 Apr 2022 …` → `04 Apr 2022 …` (RFC 2822 makes the day of the week optional). */
function withoutWeekday(text: string): string {
  return text.replace(/^[A-Za-z]{3,9},\s*/, '');
}

/**
 * Zone names of RFC 2822 dates that Luxon does not read (`UT`, a bug; `UTC`, not in the RFC)
 * or does not know, where each means one offset. Without it such a date was read as site
 * time: "15:12:14 UTC" eight hours early on a Beijing site. Ambiguous names (IST, BST) are
 * not here, nor CST (see `chinaStandardTime`).
 */
const ZONE_OFFSETS: Record<string, string> = {
  UT: '+0000',
  UTC: '+0000',
  WET: '+0000',
  WEST: '+0100',
  CET: '+0100',
  CEST: '+0200',
  EET: '+0200',
  EEST: '+0300',
  MSK: '+0300',
  ICT: '+0700',
  WIB: '+0700',
  HKT: '+0800',
  SGT: '+0800',
  MYT: '+0800',
  PHT: '+0800',
  AWST: '+0800',
  JST: '+0900',
  KST: '+0900',
  AEST: '+1000',
  AEDT: '+1100',
  NZST: '+1200',
  NZDT: '+1300',
};

const RFC_2822_WITH_ZONE_NAME =
  /^((?:[A-Za-z]{3,9},\s*)?\d{1,2}\s+[A-Za-z]{3,9}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?)\s+([A-Z]{2,4})$/;

/** An RFC 2822 date with a zone name of `ZONE_OFFSETS` given that offset instead. */
function withNumericZone(text: string): string {
  const match = RFC_2822_WITH_ZONE_NAME.exec(text);
  const offset = match && ZONE_OFFSETS[match[2]!];
  return offset ? `${match[1]} ${offset}` : text;
}

function stripZoneName(text: string): string {
  return text.replace(/\s+[A-Z]{2,5}$/, '');
}

/**
 * RFC 2822 says "CST" is US Central time, but Chinese feeds mean China Standard Time by it.
 * On a site in a +08:00 zone the Chinese reading wins.
 */
function chinaStandardTime(text: string, timezone: string): Date | undefined {
  if (!/\sCST$/.test(text)) return undefined;
  const wallClock = DateTime.fromFormat(
    stripZoneName(withoutWeekday(text)),
    'd MMM yyyy HH:mm:ss',
    { zone: 'UTC+8' },
  );
  if (!wallClock.isValid) return undefined;
  const siteOffset = DateTime.fromJSDate(wallClock.toJSDate(), { zone: timezone }).offset;
  return siteOffset === 480 ? wallClock.toJSDate() : undefined;
}

/** A TOML date or date-time without an offset (`2022-04-04`): a wall-clock value. */
export function isLocalTomlDate(value: unknown): value is Date {
  return (
    value instanceof Date &&
    typeof (value as { isLocal?: unknown }).isLocal === 'function' &&
    (value as unknown as { isLocal(): boolean }).isLocal()
  );
}

/** Numbers from nine digits on are timestamps (seconds from March 1973); shorter ones are dates' text. */
const EPOCH_MIN = 1e8;

/** Epoch milliseconds, or seconds below 10^11 (a 10-digit number can only be seconds). */
function fromEpoch(value: number): Date | undefined {
  if (!Number.isFinite(value) || value < EPOCH_MIN) return undefined;
  const date = new Date(value < 1e11 ? value * 1000 : value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * A calendar date written in a path with separators: `2020-08-10`, `2020_08_10`,
 * `2020/08/10` or gov.cn's `2020-08/10`, not part of a longer number. Eight digits alone
 * (`20200810`) are not taken: as often an id (zhihu's `/p/20191123`, BBC's
 * `world-asia-20120612`, a phone number) as a date.
 */
const DATE_IN_PATH = /(?<!\d)((?:19|20)\d\d)[-_/](\d\d)[-_/](\d\d)(?!\d)/g;

function firstDateIn(text: string, timezone: string): Date | undefined {
  for (const match of text.matchAll(DATE_IN_PATH)) {
    const parsed = DateTime.fromObject(
      {
        year: Number(match[1]),
        month: Number(match[2]),
        day: Number(match[3]),
      },
      { zone: timezone },
    );
    if (parsed.isValid) return parsed.toJSDate();
  }
  return undefined;
}

/**
 * A date in a file or folder name, as Jekyll (`2020-08-10-title.md`) and archives
 * (`2020/08/10/title.md`) write it: midnight of that day in the site's zone.
 */
export function dateFromPath(relativePath: string, timezone: string): Date | undefined {
  return firstDateIn(relativePath, timezone);
}

/**
 * A date in the path of an article's source URL, where most news sites put it
 * (`/2022/04/04/…`, `/2022_04_04_633331.shtml`): unlike the file's time, it is the same on
 * every clone of the archive.
 */
export function dateFromUrl(url: string | undefined, timezone: string): Date | undefined {
  if (!url) return undefined;
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return undefined;
  }
  return firstDateIn(pathname, timezone);
}
