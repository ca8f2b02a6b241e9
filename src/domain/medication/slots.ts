import { addDays, daysBetween, isoWeekday, localDateTime, resolveLocalTime } from './local-time.js';
import { WEEKDAYS, type MedicationPlan } from './plan.js';

/** What slot generation needs of a plan. */
export type SlotPlan = Pick<MedicationPlan, 'id' | 'times' | 'daysOfWeek' | 'everyNDays' | 'startDate' | 'endDate' | 'endedAt'>;

/** One planned dose: the plan's local date and time, and the instant it falls on in the patient's zone. */
export interface DoseSlot {
  /** `med:<planId>:<localDate>T<HH:MM>`: the same slot always has the same key (idempotent scheduling). */
  key: string;
  planId: string;
  localDate: string;
  /** The plan's time ("HH:MM"); the clock shows it at `at` except in a DST gap. */
  localTime: string;
  at: Date;
  /** True when the planned time did not exist that day (DST gap) and `at` is the first minute after the gap. */
  shifted: boolean;
}

/** The longest window slots are listed for: a bound on work, far beyond any horizon or preview. */
export const MAX_SLOT_WINDOW_DAYS = 400;

/** The idempotency key of a dose slot. */
export function doseKey(planId: string, localDate: string, localTime: string): string {
  return `med:${planId}:${localDate}T${localTime}`;
}

/** True when the plan doses on this local date: within its start and end dates (inclusive) and on its days. */
export function isPlanDay(plan: SlotPlan, localDate: string): boolean {
  if (localDate < plan.startDate || (plan.endDate !== undefined && localDate > plan.endDate)) return false;
  if (plan.daysOfWeek) return plan.daysOfWeek.includes(WEEKDAYS[isoWeekday(localDate) - 1]!);
  // Every N days counts calendar days in the patient's zone from startDate, so a DST change never shifts it.
  if (plan.everyNDays) return daysBetween(plan.startDate, localDate) % plan.everyNDays === 0;
  return true;
}

/**
 * The plan's dose slots whose instant is in [from, to), in the patient's zone, ordered by instant. A plan
 * ended at `endedAt` has no slot at or after it. A time in a DST overlap gives one slot (its first
 * occurrence); a time in a gap gives one slot at the first minute after the gap (see local-time.ts).
 */
export function doseSlots(plan: SlotPlan, timeZone: string, from: Date, to: Date): DoseSlot[] {
  if (to.getTime() - from.getTime() > MAX_SLOT_WINDOW_DAYS * 86_400_000) throw new Error(`dose slots are listed for at most ${MAX_SLOT_WINDOW_DAYS} days at a time`);
  const until = plan.endedAt && plan.endedAt < to ? plan.endedAt : to;
  if (from >= until) return [];
  // One local day of margin each side: a slot's local date can differ from the window edges' dates.
  let localDate = maxDate(plan.startDate, addDays(localDateTime(from, timeZone).date, -1));
  const lastDate = minDate(plan.endDate, addDays(localDateTime(until, timeZone).date, 1));
  const slots: DoseSlot[] = [];
  for (; localDate <= lastDate; localDate = addDays(localDate, 1)) {
    if (!isPlanDay(plan, localDate)) continue;
    for (const localTime of plan.times) {
      const { at, shifted } = resolveLocalTime(localDate, localTime, timeZone);
      if (at < from || at >= until) continue;
      slots.push({ key: doseKey(plan.id, localDate, localTime), planId: plan.id, localDate, localTime, at, shifted });
    }
  }
  return slots.sort((left, right) => left.at.getTime() - right.at.getTime() || left.key.localeCompare(right.key));
}

/**
 * The `count` slots of the plan just before an instant, oldest first (fewer near the plan's start). Looks back
 * far enough for any plan's spacing: a week per slot for days of the week, N days per slot for every N days.
 */
export function slotsBefore(plan: SlotPlan, timeZone: string, before: Date, count: number): DoseSlot[] {
  if (count <= 0) return [];
  const daysPerSlot = plan.daysOfWeek ? 7 : (plan.everyNDays ?? 1);
  const lookbackDays = Math.min(MAX_SLOT_WINDOW_DAYS, daysPerSlot * (count + 1) + 1);
  const from = new Date(before.getTime() - lookbackDays * 86_400_000);
  return doseSlots(plan, timeZone, from, before).slice(-count);
}

const maxDate = (left: string, right: string): string => (left > right ? left : right);
const minDate = (left: string | undefined, right: string): string => (left !== undefined && left < right ? left : right);
