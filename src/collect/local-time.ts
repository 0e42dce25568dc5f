import { DateTime, FixedOffsetZone } from 'luxon';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;
/** By zone and span (a day, or an hour): the zone's offset, or null if it changes within. */
const cache = new Map<string, Map<string, FixedOffsetZone | null>>();

/**
 * The fixed-offset zone a named zone is in at a moment. Luxon asks Intl for the zone's offset
 * on every conversion, which dominates building thousands of pages; offsets change a few
 * times a year, so they are looked up once per day, and once per hour on a day the offset
 * changes. An hour in which it changes (most zones change on the hour, Lord Howe Island on
 * the half hour) is looked up exactly each time.
 *
 * Local mean time has offsets in fractions of a minute (Asia/Shanghai before 1901 is
 * +08:05:43), which RFC 3339 cannot write: a time printed with `+08:05` would be 43 s off
 * the instant. Such offsets are rounded up to a whole minute, so that every printed time
 * agrees with its printed offset, and a time read in whole minutes keeps its minute.
 */
function zoneAt(time: number, timezone: string): FixedOffsetZone {
  let zones = cache.get(timezone);
  if (!zones) {
    zones = new Map();
    cache.set(timezone, zones);
  }
  const steady = (span: number): FixedOffsetZone | null => {
    const start = Math.floor(time / span) * span;
    const key = `${span}:${start}`;
    let zone = zones.get(key);
    if (zone === undefined) {
      const first = DateTime.fromMillis(start, { zone: timezone }).offset;
      const last = DateTime.fromMillis(start + span - 1, { zone: timezone }).offset;
      zone = first === last ? wholeMinuteZone(first) : null;
      zones.set(key, zone);
    }
    return zone;
  };
  return (
    steady(DAY) ??
    steady(HOUR) ??
    wholeMinuteZone(DateTime.fromMillis(time, { zone: timezone }).offset)
  );
}

function wholeMinuteZone(offset: number): FixedOffsetZone {
  return FixedOffsetZone.instance(Math.ceil(offset));
}

/** A date in a named time zone, built in the fixed-offset zone it is in at that moment. */
export function inZone(date: Date, timezone: string): DateTime {
  const time = date.getTime();
  return DateTime.fromMillis(time, { zone: zoneAt(time, timezone) });
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/**
 * The calendar fields of a date in a named time zone, without a luxon object: URLs and
 * archives of every article need only these, and making a DateTime per article cost a
 * tenth of a rebuild.
 */
export function localParts(date: Date, timezone: string): LocalParts {
  const time = date.getTime();
  const shifted = new Date(time + zoneAt(time, timezone).offset(time) * MINUTE);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
  };
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/**
 * ISO 8601 in a named zone, as Luxon's `toISO({ suppressMilliseconds: true })` writes it
 * (`2022-04-04T23:12:14+08:00`, `Z` for a zero offset), without a luxon object: every card
 * of a site carries one.
 */
export function isoInZone(date: Date, timezone: string): string {
  const time = date.getTime();
  const offset = zoneAt(time, timezone).offset(time);
  const shifted = new Date(time + offset * MINUTE);
  const year = shifted.getUTCFullYear();
  if (year < 1000 || year > 9999)
    return inZone(date, timezone).toISO({ suppressMilliseconds: true }) ?? date.toISOString();
  const milliseconds = shifted.getUTCMilliseconds();
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset);
  const zone = offset === 0 ? 'Z' : `${sign}${pad(Math.trunc(minutes / 60))}:${pad(minutes % 60)}`;
  // Joined, not concatenated: a template literal leaves a tree of a dozen string pieces
  // (380 bytes), and every card of a site keeps its date for the whole build.
  return [
    year,
    '-',
    pad(shifted.getUTCMonth() + 1),
    '-',
    pad(shifted.getUTCDate()),
    'T',
    pad(shifted.getUTCHours()),
    ':',
    pad(shifted.getUTCMinutes()),
    ':',
    pad(shifted.getUTCSeconds()),
    milliseconds ? `.${pad(milliseconds, 3)}` : '',
    zone,
  ].join('');
}

const LOCAL_TOKENS: Record<string, (parts: LocalParts) => string> = {
  yyyy: (parts) => String(parts.year),
  yy: (parts) => pad(parts.year % 100),
  MM: (parts) => pad(parts.month),
  M: (parts) => String(parts.month),
  dd: (parts) => pad(parts.day),
  d: (parts) => String(parts.day),
  HH: (parts) => pad(parts.hour),
  H: (parts) => String(parts.hour),
  mm: (parts) => pad(parts.minute),
};

/**
 * A Luxon format made only of numeric year, month, day, hour and minute tokens and
 * punctuation (the default `yyyy-MM-dd HH:mm`, `yyyy年M月d日`) as a function of `localParts`,
 * for years 1000–9999: formatting with Luxon took a tenth of a millisecond a card. Undefined
 * for any other format (names, seconds, offsets, quoted text), which Luxon formats.
 */
export function compileLocalFormat(
  pattern: string,
): ((parts: LocalParts) => string | undefined) | undefined {
  // Luxon reads a format as runs of one character; a letter run is a token.
  const runs = pattern.match(/(.)\1*/gsu) ?? [];
  const pieces: ((parts: LocalParts) => string)[] = [];
  for (const run of runs) {
    if (run.includes("'")) return undefined;
    if (/[A-Za-z]/.test(run)) {
      const token = LOCAL_TOKENS[run];
      if (!token) return undefined;
      pieces.push(token);
    } else pieces.push(() => run);
  }
  return (parts) =>
    parts.year < 1000 || parts.year > 9999
      ? undefined
      : pieces.map((piece) => piece(parts)).join('');
}
