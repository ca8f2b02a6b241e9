/**
 * Deferral, not refusal: a reminder due in the patient's quiet hours goes out at the next minute they allow.
 */
import type { QuietHours } from '../messaging/quiet-hours.js';
import { addDays, localDateTime, localMinuteOfDay, localOccurrences, zoneTransitions } from './local-time.js';

const DAY_MS = 86_400_000;

const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * Quiet at this instant on the patient's clock: the rule of messaging/inQuietHours (start inclusive, end
 * exclusive, crossing midnight when start > end), read through Luxon's offsets, which is many times faster
 * than building an Intl formatter per call.
 */
function isQuiet(at: Date, timeZone: string, quiet: QuietHours): boolean {
  const minute = localMinuteOfDay(at, timeZone);
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/**
 * The first instant at or after `at` that is outside the quiet hours in the patient's zone: `at` itself when
 * it is allowed. While quiet, the clock leaves quiet hours either by reaching the end time or by jumping (a
 * DST change, e.g. a fall-back from 23:45 to 23:00 when quiet starts at 23:30, or a spring-forward past the
 * end), so the answer is the earliest allowed one of those moments in the next days.
 */
export function nextAllowedMinute(at: Date, timeZone: string, quiet: QuietHours): Date {
  if (!isQuiet(at, timeZone, quiet)) return at;
  const { date } = localDateTime(at, timeZone);
  const candidates = [
    // Two days ahead: when the allowed hours fall in a DST gap (02:00-03:00 on a spring-forward day), they come next day.
    ...[-1, 0, 1, 2].flatMap((days) => localOccurrences(addDays(date, days), quiet.end, timeZone)),
    ...zoneTransitions(timeZone, at, new Date(at.getTime() + 3 * DAY_MS)),
  ].filter((candidate) => candidate >= at && !isQuiet(candidate, timeZone, quiet));
  if (candidates.length === 0) throw new Error(`no allowed minute within three days in ${timeZone} for quiet hours ${quiet.start}-${quiet.end}`);
  return new Date(Math.min(...candidates.map((candidate) => candidate.getTime())));
}
