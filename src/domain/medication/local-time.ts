/**
 * Local dates and times in a patient's IANA zone, and the instants they name. Luxon supplies the zone rules
 * (offsets); the choices at DST changes are ours and deliberate (Luxon's own defaults differ: it reads an
 * ambiguous 01:30 as the second occurrence and moves a 02:30 in a gap an hour on, to 03:30):
 * - a time that happens twice (fall back) means its first occurrence, so a dose is never reminded twice;
 * - a time that does not happen (spring forward) moves to the first minute after the gap: the earliest moment
 *   the patient's clock has reached or passed the planned time, so the reminder is as little late as can be.
 */
import { DateTime, IANAZone } from 'luxon';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

function zoneOf(timeZone: string): IANAZone {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new Error(`unknown time zone ${timeZone}`);
  return zone;
}

/** What the zone's wall clock reads at an instant, counted like a UTC timestamp ("wall time as if UTC"). */
function wallClockMs(zone: IANAZone, instantMs: number): number {
  return instantMs + zone.offset(instantMs) * MINUTE_MS;
}

/** The local date and "HH:MM" as a wall-clock count, the form wallClockMs returns. */
function wallMsOf(localDate: string, time: string): number {
  const [year, month, day] = localDate.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return Date.UTC(year, month - 1, day, hour, minute);
}

/** The offsets (minutes) the zone uses around a wall time: before and after any change near it. */
function offsetsNear(zone: IANAZone, wallMs: number): number[] {
  return [...new Set([zone.offset(wallMs - DAY_MS), zone.offset(wallMs), zone.offset(wallMs + DAY_MS)])];
}

/** Every instant at which the local clock reads this date and time: none in a DST gap, two in an overlap. */
export function localOccurrences(localDate: string, time: string, timeZone: string): Date[] {
  const zone = zoneOf(timeZone);
  const wallMs = wallMsOf(localDate, time);
  const instants = offsetsNear(zone, wallMs)
    .map((offset) => wallMs - offset * MINUTE_MS)
    .filter((instantMs) => wallClockMs(zone, instantMs) === wallMs);
  return [...new Set(instants)].sort((left, right) => left - right).map((instantMs) => new Date(instantMs));
}

/**
 * The instant a local date and time stands for: its first occurrence, or in a DST gap the first minute after
 * the gap (`shifted: true`). Deterministic, so the same plan always yields the same slots.
 */
export function resolveLocalTime(localDate: string, time: string, timeZone: string): { at: Date; shifted: boolean } {
  const [first] = localOccurrences(localDate, time, timeZone);
  if (first) return { at: first, shifted: false };
  const zone = zoneOf(timeZone);
  const wallMs = wallMsOf(localDate, time);
  const offsets = offsetsNear(zone, wallMs);
  // Before the gap the clock reads less than wallMs, after it more: find the first minute it reads at least that.
  let before = wallMs - Math.max(...offsets) * MINUTE_MS;
  let after = wallMs - Math.min(...offsets) * MINUTE_MS;
  while (after - before > MINUTE_MS) {
    const middle = before + Math.floor((after - before) / MINUTE_MS / 2) * MINUTE_MS;
    if (wallClockMs(zone, middle) >= wallMs) after = middle;
    else before = middle;
  }
  return { at: new Date(after), shifted: true };
}

/** The local date and "HH:MM" the patient's clock shows at an instant (seconds dropped). */
export function localDateTime(at: Date, timeZone: string): { date: string; time: string } {
  const wall = new Date(wallClockMs(zoneOf(timeZone), at.getTime())).toISOString();
  return { date: wall.slice(0, 10), time: wall.slice(11, 16) };
}

/** Minutes since local midnight on the patient's clock at an instant. */
export function localMinuteOfDay(at: Date, timeZone: string): number {
  const wallMs = wallClockMs(zoneOf(timeZone), at.getTime());
  return Math.floor((((wallMs % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);
}

/**
 * The instants in (from, to] at which the zone's offset changes (DST and other transitions), to the minute.
 * Samples hourly: real zones never change twice within an hour.
 */
export function zoneTransitions(timeZone: string, from: Date, to: Date): Date[] {
  const zone = zoneOf(timeZone);
  const transitions: Date[] = [];
  const start = Math.floor(from.getTime() / MINUTE_MS) * MINUTE_MS;
  for (let low = start; low < to.getTime(); low += HOUR_MS) {
    let high = Math.min(low + HOUR_MS, Math.ceil(to.getTime() / MINUTE_MS) * MINUTE_MS);
    if (zone.offset(low) === zone.offset(high)) continue;
    let before = low;
    while (high - before > MINUTE_MS) {
      const middle = before + Math.floor((high - before) / MINUTE_MS / 2) * MINUTE_MS;
      if (zone.offset(middle) === zone.offset(before)) before = middle;
      else high = middle;
    }
    if (high > from.getTime() && high <= to.getTime()) transitions.push(new Date(high));
  }
  return transitions;
}

/** A calendar date plus whole days ("2025-03-09" + 1 = "2025-03-10"): calendar arithmetic, no zone. */
export function addDays(localDate: string, days: number): string {
  return DateTime.fromISO(localDate, { zone: 'utc' }).plus({ days }).toISODate()!;
}

/** Whole calendar days from one date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** ISO weekday of a calendar date: Monday 1 ... Sunday 7. */
export function isoWeekday(localDate: string): number {
  return DateTime.fromISO(localDate, { zone: 'utc' }).weekday;
}
