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
      zone = first === last ? FixedOffsetZone.instance(first) : null;
      zones.set(key, zone);
    }
    return zone;
  };
  return (
    steady(DAY) ??
    steady(HOUR) ??
    FixedOffsetZone.instance(DateTime.fromMillis(time, { zone: timezone }).offset)
  );
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
