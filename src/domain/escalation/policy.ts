/**
 * An escalation policy: who is paged, in which order, how long each level has to acknowledge, how often the
 * whole ladder repeats, and (for non-critical alerts) the hours in which anyone is paged at all.
 * Pure data and its schema; the stepper (stepper.ts) decides what happens next.
 */
import { z } from 'zod';
import { idSchema, timeZoneSchema } from '../common.js';
import { addDays, isoWeekday, localDateTime, resolveLocalTime } from '../medication/local-time.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const MINUTES_PER_DAY = 24 * 60;

/** A local clock time "HH:MM" (24-hour). */
export const timeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day as HH:MM (24-hour), e.g. 08:00');

/** Who a level pages: one named staff member, whoever is on call for the care team, or the whole team. */
export const targetSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('staff'), staffId: idSchema }),
  z.strictObject({ type: z.literal('on_call') }),
  // Every active staff member of the alert's care team.
  z.strictObject({ type: z.literal('team') }),
]);
export type Target = z.infer<typeof targetSchema>;

export const escalationLevelSchema = z.strictObject({
  targets: z.array(targetSchema).min(1, 'expected at least one target per level').max(20),
  ackTimeoutMinutes: z.int().min(1).max(MINUTES_PER_DAY),
});
export type EscalationLevel = z.infer<typeof escalationLevelSchema>;

/**
 * The weekly hours in which non-critical alerts page anyone. A window opens at `start` on each listed day and
 * closes at `end`; an `end` at or before `start` closes the next day (e.g. 22:00-06:00, or 08:00-00:00 for
 * "until midnight"). Times are read in `timeZone`, or the care team's zone when absent.
 */
export const supportHoursSchema = z
  .strictObject({
    days: z
      .array(z.enum(WEEKDAYS))
      .min(1, 'expected at least one day')
      .max(7)
      .refine((days) => new Set(days).size === days.length, 'expected each day at most once'),
    start: timeOfDaySchema,
    end: timeOfDaySchema,
    timeZone: timeZoneSchema.optional(),
  })
  .refine((hours) => hours.start !== hours.end, {
    message: 'expected end to differ from start (leave supportHours out to page at any hour)',
    path: ['end'],
  });
export type SupportHours = z.infer<typeof supportHoursSchema>;

export const escalationPolicySchema = z.strictObject({
  levels: z.array(escalationLevelSchema).min(1, 'expected at least one level').max(10),
  /** How many times the whole ladder runs again after its last level. */
  repeat: z.int().min(0).max(10).default(2),
  /** Applies to non-critical alerts only: critical alerts page at any hour. */
  supportHours: supportHoursSchema.optional(),
});
/** A parsed policy (defaults applied). */
export type EscalationPolicy = z.infer<typeof escalationPolicySchema>;
/** A policy as written by an integrator (repeat may be left out). */
export type EscalationPolicyInput = z.input<typeof escalationPolicySchema>;

/** What a care team without its own policy gets: page the whole team, 15 minutes to acknowledge, three rounds. */
export const DEFAULT_POLICY: EscalationPolicy = escalationPolicySchema.parse({
  levels: [{ targets: [{ type: 'team' }], ackTimeoutMinutes: 15 }],
  repeat: 2,
});

/** One opening of the support hours: [opensAt, closesAt). */
interface SupportWindow {
  opensAt: Date;
  closesAt: Date;
}

/**
 * The support windows that open on local dates from the day before `at` to two weeks after it: enough to hold
 * the window `at` is in (an overnight window opened the day before) and the next opening (every listed day
 * comes round within seven days, and a DST gap can swallow one week's window of a short one). DST: a start or end in a gap means the first minute after it, one that
 * happens twice its first occurrence (resolveLocalTime); a window a gap swallows whole is skipped.
 */
function windowsAround(hours: SupportHours, timeZone: string, at: Date): SupportWindow[] {
  const today = localDateTime(at, timeZone).date;
  const overnight = hours.end <= hours.start;
  const windows: SupportWindow[] = [];
  for (let offset = -1; offset <= 14; offset += 1) {
    const date = addDays(today, offset);
    if (!hours.days.includes(weekdayOf(date))) continue;
    const opensAt = resolveLocalTime(date, hours.start, timeZone).at;
    const closesAt = resolveLocalTime(overnight ? addDays(date, 1) : date, hours.end, timeZone).at;
    if (opensAt < closesAt) windows.push({ opensAt, closesAt });
  }
  return windows;
}

const weekdayOf = (localDate: string): Weekday => WEEKDAYS[isoWeekday(localDate) - 1]!;

/** True when `at` falls inside the support hours, read in their own zone or else `teamZone`. */
export function isWithinSupportHours(hours: SupportHours, teamZone: string, at: Date): boolean {
  const timeZone = hours.timeZone ?? teamZone;
  return windowsAround(hours, timeZone, at).some((window) => window.opensAt <= at && at < window.closesAt);
}

/**
 * The earliest instant at or after `now` inside the support hours: `now` itself when they are open, else the
 * next opening.
 */
export function nextSupportOpening(hours: SupportHours, teamZone: string, now: Date): Date {
  const timeZone = hours.timeZone ?? teamZone;
  const windows = windowsAround(hours, timeZone, now);
  if (windows.some((window) => window.opensAt <= now && now < window.closesAt)) return now;
  const next = windows.find((window) => window.opensAt > now);
  // Unreachable for a parsed policy (a listed day recurs weekly and a DST gap swallows at most one of its
  // windows); an unparsed one could get here.
  if (!next) throw new Error(`support hours ${hours.days.join(',')} ${hours.start}-${hours.end} in ${timeZone} never open`);
  return next.opensAt;
}
