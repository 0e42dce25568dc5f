import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { dateFromPath, dateFromUrl, parseDate } from '../../src/load/dates.ts';

const zone = 'Asia/Shanghai';

describe('parseDate', () => {
  it.each([
    ['Mon, 04 Apr 2022 15:12:14 GMT', '2022-04-04T15:12:14.000Z'],
    ['Mon, 04 Apr 2022 23:12:14 +0800', '2022-04-04T15:12:14.000Z'],
    ['2020-08-05T10:27:13.000Z', '2020-08-05T10:27:13.000Z'],
    ['2025-06-01T08:00:00+08:00', '2025-06-01T00:00:00.000Z'],
    ['2025-06-01T08:00:00', '2025-06-01T00:00:00.000Z'],
    ['2021-07-31 10:07:29', '2021-07-31T02:07:29.000Z'],
    ['2021-07-31 10:07', '2021-07-31T02:07:00.000Z'],
    ['2021/7/31 10:07', '2021-07-31T02:07:00.000Z'],
    ['2021-07-31', '2021-07-30T16:00:00.000Z'],
    ['1606648467000', '2020-11-29T11:14:27.000Z'],
    [1606648467000, '2020-11-29T11:14:27.000Z'],
    [1606648467, '2020-11-29T11:14:27.000Z'],
  ])('reads %j', (input, expected) => {
    expect(parseDate(input, zone)?.toISOString()).toBe(expected);
  });

  it.each([['Invalid Date'], [''], [null], [true], [{}], ['yesterday']])('rejects %j', (input) => {
    expect(parseDate(input, zone)).toBeUndefined();
  });

  // Unquoted in YAML these are numbers: read as their text is, never as seconds into 1970.
  it.each([
    [20220404, '2022-04-03T16:00:00.000Z'],
    ['20220404', '2022-04-03T16:00:00.000Z'],
    [2022, '2021-12-31T16:00:00.000Z'],
    ['2022', '2021-12-31T16:00:00.000Z'],
  ])('reads the number %j as its text', (input, expected) => {
    expect(parseDate(input, zone)?.toISOString()).toBe(expected);
  });

  it.each([[20221399], [12345678], [99999999], [0], [2022.5], [-5]])(
    'rejects the number %j, which is neither a date nor a timestamp',
    (input) => {
      expect(parseDate(input, zone)).toBeUndefined();
    },
  );

  it.each([
    ['Sun, 04 Apr 2022 15:12:14 GMT', '2022-04-04T15:12:14.000Z'],
    ['Tue, 04 Apr 2022 23:12:14 +0800', '2022-04-04T15:12:14.000Z'],
    ['Sunday, 04 Apr 2022 23:12:14 HKT', '2022-04-04T15:12:14.000Z'],
    ['Sun, 04 Apr 2022 23:12:14 CST', '2022-04-04T15:12:14.000Z'],
  ])('keeps the date of %j, whose day of the week is wrong', (input, expected) => {
    expect(parseDate(input, zone)?.toISOString()).toBe(expected);
  });

  it.each([
    ['Mon, 04 Apr 2022 15:12:14 UT', '2022-04-04T15:12:14.000Z'],
    ['Mon, 04 Apr 2022 15:12:14 UTC', '2022-04-04T15:12:14.000Z'],
    ['Tue, 04 Apr 2022 15:12:14 UTC', '2022-04-04T15:12:14.000Z'],
    ['04 Apr 2022 15:12:14 JST', '2022-04-04T06:12:14.000Z'],
    ['Mon, 04 Apr 2022 15:12 CEST', '2022-04-04T13:12:00.000Z'],
  ])('reads the zone name of %j as its offset', (input, expected) => {
    expect(parseDate(input, zone)?.toISOString()).toBe(expected);
    expect(parseDate(input, 'America/New_York')?.toISOString()).toBe(expected);
  });

  it('reads an RFC 2822 date with an ambiguous zone name in the given zone', () => {
    expect(parseDate('Mon, 04 Apr 2022 15:12:14 IST', 'UTC')?.toISOString()).toBe(
      '2022-04-04T15:12:14.000Z',
    );
  });

  it('reads dates without a zone in the given zone', () => {
    expect(parseDate('2021-07-31 10:07:29', 'UTC')?.toISOString()).toBe('2021-07-31T10:07:29.000Z');
  });
});

describe('dateFromPath', () => {
  it('finds Jekyll and archive dates', () => {
    expect(dateFromPath('_posts/2020-11-28-title.md', zone)?.toISOString()).toBe(
      '2020-11-27T16:00:00.000Z',
    );
    expect(dateFromPath('archived/2020-08-10/x.md', zone)?.toISOString()).toBe(
      '2020-08-09T16:00:00.000Z',
    );
    expect(dateFromPath('news/title.md', zone)).toBeUndefined();
  });

  it('finds dates written as folders or with underscores', () => {
    const day = (text: string) => dateFromPath(text, zone)?.toISOString();
    expect(day('2022/04/04/guancha.md')).toBe('2022-04-03T16:00:00.000Z');
    expect(day('news/2022_04_04_633331.md')).toBe('2022-04-03T16:00:00.000Z');
  });

  it('takes no month folder, id or impossible day for a date', () => {
    const day = (text: string) => dateFromPath(text, zone);
    expect(day('2022/06/001281-title.md')).toBeUndefined();
    expect(day('2022/06/title.md')).toBeUndefined();
    expect(day('id-1202204041.md')).toBeUndefined();
    expect(day('2022-02-30-title.md')).toBeUndefined();
    expect(day('20万外债.md')).toBeUndefined();
    // Eight digits alone are as often an id or a phone number.
    expect(day('20220404-guancha.md')).toBeUndefined();
    expect(day('phone/shanghai-021-20251130.md')).toBeUndefined();
    // The first possible reading that is a real day wins.
    expect(day('2022-13-99/2022-05-06.md')?.toISOString()).toBe('2022-05-05T16:00:00.000Z');
  });
});

describe('dateFromUrl', () => {
  const day = (url: string | undefined) => dateFromUrl(url, zone)?.toISOString();
  it('finds the date news sites put in their article paths', () => {
    expect(day('https://www.guancha.cn/politics/2022_04_04_633331.shtml')).toBe(
      '2022-04-03T16:00:00.000Z',
    );
    expect(day('https://www.reuters.com/world/2022/04/04/some-story/')).toBe(
      '2022-04-03T16:00:00.000Z',
    );
    expect(day('http://www.gov.cn/xinwen/2022-04/04/content_1.htm')).toBe(
      '2022-04-03T16:00:00.000Z',
    );
    // Ids that look like days are not taken.
    expect(day('https://zhuanlan.zhihu.com/p/20191123')).toBeUndefined();
    expect(day('https://stackoverflow.com/questions/20151231/x')).toBeUndefined();
    expect(day('https://www.bbc.com/news/world-asia-20120612')).toBeUndefined();
  });

  it('looks at the path only, and at real URLs only', () => {
    expect(day('https://example.com/story?date=2022-04-04')).toBeUndefined();
    expect(day('https://20220404.example.com/story')).toBeUndefined();
    expect(day('/2022/04/04/relative')).toBeUndefined();
    expect(day(undefined)).toBeUndefined();
  });
});

describe('parseDate with ambiguous or local input', () => {
  it('reads CST as China Standard Time on a +08:00 site, as US Central elsewhere', () => {
    expect(parseDate('Mon, 04 Apr 2022 07:30:00 CST', 'Asia/Shanghai')?.toISOString()).toBe(
      '2022-04-03T23:30:00.000Z',
    );
    expect(parseDate('Mon, 04 Apr 2022 07:30:00 CST', 'America/Chicago')?.toISOString()).toBe(
      '2022-04-04T13:30:00.000Z',
    );
  });

  it('reads TOML local date-times as wall-clock time in the site zone', async () => {
    const { parse } = await import('smol-toml');
    const { date } = parse('date = 2022-04-04T07:30:00') as unknown as { date: Date };
    expect(parseDate(date, 'Asia/Shanghai')?.toISOString()).toBe('2022-04-03T23:30:00.000Z');
  });

  it('reads English and Chinese long dates in the site zone, whatever the machine zone', () => {
    expect(parseDate('April 4, 2022 10:00', 'Asia/Shanghai')?.toISOString()).toBe(
      '2022-04-04T02:00:00.000Z',
    );
    expect(parseDate('2022年4月4日', 'Asia/Shanghai')?.toISOString()).toBe(
      '2022-04-03T16:00:00.000Z',
    );
  });
});

describe('parseDate on dates with a zone, read without Luxon', () => {
  const MONTHS = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ];
  const two = (value: number) => String(value).padStart(2, '0');
  /** A fixed sequence of numbers below `n`, so that a failure can be replayed. */
  let seed = 20220404;
  const below = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  /** Fields in and out of range: month 0 and 13, day 0 and 32, hour 24, minute and second 60. */
  const fields = () => ({
    year: [999, 1969, 2022, 2024, 9999][below(5)]!,
    month: below(14),
    day: below(33),
    hour: below(25),
    minute: below(61),
    second: below(61),
    offset: `${below(2) ? '+' : '-'}${two([0, 5, 8, 14, 23, 24][below(6)]!)}${two([0, 30, 45, 60][below(4)]!)}`,
  });

  it('gives the instant Luxon gives for RFC 2822, with any day of the week, and refuses what it refuses', () => {
    for (let i = 0; i < 3000; i++) {
      const f = fields();
      const weekday = ['', 'Mon, ', 'Sun,', 'Thursday, '][below(4)];
      const zone = below(5) === 0 ? 'GMT' : f.offset;
      const text = `${weekday}${f.day} ${MONTHS[f.month - 1] ?? 'Foo'} ${f.year} ${two(f.hour)}:${two(f.minute)}${below(3) ? `:${two(f.second)}` : ''} ${zone}`;
      const luxon = DateTime.fromRFC2822(text.replace(/^[A-Za-z]{3,9},\s*/, ''), { setZone: true });
      expect(parseDate(text, 'Asia/Shanghai')?.getTime(), text).toBe(
        luxon.isValid ? luxon.toMillis() : undefined,
      );
    }
  });

  it('gives the instant Luxon gives for ISO 8601 with Z or an offset, and refuses what it refuses', () => {
    for (let i = 0; i < 3000; i++) {
      const f = fields();
      const fraction = ['', '.5', '.25', '.123'][below(4)];
      const zone =
        below(4) === 0 ? 'Z' : below(2) ? f.offset : `${f.offset.slice(0, 3)}:${f.offset.slice(3)}`;
      const text = `${f.year}-${two(f.month)}-${two(f.day)}T${two(f.hour)}:${two(f.minute)}:${two(f.second)}${fraction}${zone}`;
      const luxon = DateTime.fromISO(text, { setZone: true });
      expect(parseDate(text, 'Asia/Shanghai')?.getTime(), text).toBe(
        luxon.isValid ? luxon.toMillis() : undefined,
      );
    }
  });
});
