import fc from 'fast-check';
import { DateTime, FixedOffsetZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { compileLocalFormat, inZone, isoInZone, localParts } from '../../src/collect/local-time.ts';

/**
 * Luxon in a named zone, but with a local-mean-time offset (+08:05:43) rounded up to a whole
 * minute, as Gazette prints it.
 */
function luxonAt(time: number, zone: string): DateTime {
  const exact = DateTime.fromMillis(time, { zone });
  return Number.isInteger(exact.offset)
    ? exact
    : exact.setZone(FixedOffsetZone.instance(Math.ceil(exact.offset)));
}

describe('inZone', () => {
  it.each(['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'UTC'])(
    'agrees with Luxon in %s, across daylight-saving changes',
    (zone) => {
      fc.assert(
        fc.property(
          fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }),
          (time) => {
            const date = new Date(time);
            const fast = inZone(date, zone);
            const exact = luxonAt(time, zone);
            // Same instant, offset and wall time (a zero offset may print as Z instead of +00:00).
            expect([fast.toMillis(), fast.offset, fast.toFormat('yyyy-MM-dd HH:mm:ss')]).toEqual([
              exact.toMillis(),
              exact.offset,
              exact.toFormat('yyyy-MM-dd HH:mm:ss'),
            ]);
          },
        ),
        { numRuns: 2000 },
      );
    },
  );

  it('shows the seed date as 2022-04-04 23:12 in Shanghai', () => {
    expect(
      inZone(new Date('2022-04-04T15:12:14Z'), 'Asia/Shanghai').toFormat('yyyy-MM-dd HH:mm'),
    ).toBe('2022-04-04 23:12');
  });
});

describe('localParts', () => {
  it.each(['Asia/Shanghai', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC'])(
    'gives the wall-clock fields Luxon gives in %s',
    (zone) => {
      fc.assert(
        fc.property(
          fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }),
          (time) => {
            const exact = luxonAt(time, zone);
            const { year, month, day, hour, minute } = exact;
            expect(localParts(new Date(time), zone)).toEqual({ year, month, day, hour, minute });
          },
        ),
        { numRuns: 2000 },
      );
    },
  );

  it('follows a change of offset on the half hour (Lord Howe Island, October 2024)', () => {
    // Daylight time starts at 02:00 standard time (+10:30), which is 15:30 UTC the day before.
    expect(localParts(new Date('2024-10-05T15:15:00Z'), 'Australia/Lord_Howe')).toMatchObject({
      day: 6,
      hour: 1,
      minute: 45,
    });
    expect(localParts(new Date('2024-10-05T15:45:00Z'), 'Australia/Lord_Howe')).toMatchObject({
      day: 6,
      hour: 2,
      minute: 45,
    });
  });
});

describe('isoInZone', () => {
  it.each(['Asia/Shanghai', 'America/St_Johns', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC'])(
    'writes what Luxon writes in %s',
    (zone) => {
      fc.assert(
        fc.property(
          fc.integer({ min: Date.UTC(0, 0, 1), max: Date.UTC(2200, 0, 1) }),
          fc.boolean(),
          (time, whole) => {
            const date = new Date(whole ? time - (time % 1000) : time);
            expect(isoInZone(date, zone)).toBe(
              luxonAt(date.getTime(), zone).toISO({ suppressMilliseconds: true }),
            );
          },
        ),
        { numRuns: 2000 },
      );
    },
  );
});

describe('local mean time', () => {
  it('prints 1900-01-01 12:00 in Shanghai (+08:05:43) with a time that agrees with its offset', () => {
    const noon = DateTime.fromObject(
      { year: 1900, month: 1, day: 1, hour: 12 },
      { zone: 'Asia/Shanghai' },
    ).toJSDate();
    expect(noon.toISOString()).toBe('1900-01-01T03:54:17.000Z');
    expect(isoInZone(noon, 'Asia/Shanghai')).toBe('1900-01-01T12:00:17+08:06');
    expect(inZone(noon, 'Asia/Shanghai').toFormat('yyyy-MM-dd HH:mm ZZ')).toBe(
      '1900-01-01 12:00 +08:06',
    );
    expect(localParts(noon, 'Asia/Shanghai')).toMatchObject({ day: 1, hour: 12, minute: 0 });
  });

  it.each(['Asia/Shanghai', 'America/New_York', 'Europe/Amsterdam', 'Africa/Monrovia'])(
    'prints times that are their instant in %s, before and after its local mean time',
    (zone) => {
      fc.assert(
        fc.property(
          fc.integer({ min: Date.UTC(1800, 0, 1), max: Date.UTC(2000, 0, 1) }),
          (time) => {
            const date = new Date(time);
            expect(Date.parse(isoInZone(date, zone))).toBe(time);
            expect(DateTime.fromISO(inZone(date, zone).toISO()!).toMillis()).toBe(time);
          },
        ),
        { numRuns: 2000 },
      );
    },
  );
});

describe('compileLocalFormat', () => {
  it.each(['yyyy-MM-dd HH:mm', 'yyyy-MM-dd', 'yyyy/M/d H:mm', 'dd.MM.yy', 'yyyy年M月d日 HH:mm'])(
    'formats %s as Luxon does, in any zone',
    (pattern) => {
      const format = compileLocalFormat(pattern)!;
      expect(format).toBeDefined();
      fc.assert(
        fc.property(
          fc.integer({ min: Date.UTC(0, 0, 1), max: Date.UTC(2200, 0, 1) }),
          fc.constantFrom('Asia/Shanghai', 'America/St_Johns', 'Australia/Lord_Howe', 'UTC'),
          (time, zone) => {
            const date = new Date(time);
            const exact = luxonAt(time, zone).toFormat(pattern);
            const fast = format(localParts(date, zone));
            // Years outside 1000–9999 are left to Luxon.
            if (fast !== undefined) expect(fast).toBe(exact);
            else expect(DateTime.fromJSDate(date, { zone }).year < 1000).toBe(true);
          },
        ),
        { numRuns: 1500 },
      );
    },
  );

  it('leaves formats with names, seconds, offsets or quoted text to Luxon', () => {
    for (const pattern of ['DDD', 'yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd ZZ', "yyyy 'at' HH", 'MMM d'])
      expect(compileLocalFormat(pattern)).toBeUndefined();
  });
});
