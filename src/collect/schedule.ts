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

/** The first time after `now` at which one of these articles comes out or goes. */
export function nextScheduleChange(articles: Iterable<Scheduled>, now: number): number | undefined {
  let next: number | undefined;
  for (const article of articles)
    for (const date of [article.publishDate, article.expiryDate]) {
      const time = date?.getTime();
      if (time !== undefined && time > now && (next === undefined || time < next)) next = time;
    }
  return next;
}
