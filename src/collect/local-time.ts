import { DateTime, FixedOffsetZone } from 'luxon';

const HOUR = 3_600_000;
const cache = new Map<string, Map<number, FixedOffsetZone>>();

/**
 * A date in a named time zone. Luxon asks Intl for the zone's offset on every conversion,
 * which dominates building thousands of pages; offsets only change on whole hours, so the
 * offset is looked up once per hour and the date is built in a fixed-offset zone.
 */
export function inZone(date: Date, timezone: string): DateTime {
  let zones = cache.get(timezone);
  if (!zones) {
    zones = new Map();
    cache.set(timezone, zones);
  }
  const time = date.getTime();
  const hour = Math.floor(time / HOUR);
  let zone = zones.get(hour);
  if (!zone) {
    zone = FixedOffsetZone.instance(DateTime.fromMillis(hour * HOUR, { zone: timezone }).offset);
    zones.set(hour, zone);
  }
  return DateTime.fromMillis(time, { zone });
}
