/**
 * Articles published later or withdrawn at a set time (Hugo's `publishDate` and
 * `expiryDate`): whether one is out depends on when the site is built, so a build records
 * when the next one comes or goes, and is not replayed past that time.
 */

export type ScheduleState = 'published' | 'scheduled' | 'expired';

interface Scheduled {
  publishDate?: Date;
  expiryDate?: Date;
}

/** Where an article stands at `now` (ms). */
export function scheduleState(article: Scheduled, now: number): ScheduleState {
  if (article.expiryDate && article.expiryDate.getTime() <= now) return 'expired';
  if (article.publishDate && article.publishDate.getTime() > now) return 'scheduled';
  return 'published';
}

/**
 * The times between which these articles stay as they are at `now`: the last time one came
 * out or went, at or before `now`, and the first time after it that one does.
 */
export function scheduleWindow(
  articles: Iterable<Scheduled>,
  now: number,
): { from?: number; until?: number } {
  let from: number | undefined;
  let until: number | undefined;
  for (const article of articles)
    for (const date of [article.publishDate, article.expiryDate]) {
      const time = date?.getTime();
      if (time === undefined) continue;
      if (time > now) until = until === undefined ? time : Math.min(until, time);
      else from = from === undefined ? time : Math.max(from, time);
    }
  return { ...(from === undefined ? {} : { from }), ...(until === undefined ? {} : { until }) };
}
