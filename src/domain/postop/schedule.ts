/**
 * When a protocol's check-ins are due: on each protocol day after the surgery date, at the send hour on the
 * patient's own clock. The DST choices are the dose slots' (medication/local-time.ts), so a check-in and a dose
 * reminder at the same local time always agree: a send hour that happens twice (fall back) means its first
 * occurrence, and one that does not happen (spring forward) moves to the first minute after the gap.
 */
import { DateTime } from 'luxon';
import { addDays, resolveLocalTime } from '../medication/local-time.js';
import type { Protocol } from './protocol.js';

/** One check-in: the protocol day, the instant it is due, and the patient's local date that day. */
export interface CheckInTime {
  day: number;
  dueAt: Date;
  localDate: string;
  /** True when the send hour fell in a DST gap that day and `dueAt` is the first minute after it. */
  shifted: boolean;
}

/**
 * The protocol's check-in times for a surgery on `surgeryDate` ('YYYY-MM-DD', the patient's local date), in
 * `timeZone` (IANA), ordered by day. Throws on a date that is not a real calendar date or an unknown zone.
 */
export function checkInTimes(surgeryDate: string, protocol: Pick<Protocol, 'days' | 'sendHour'>, timeZone: string): CheckInTime[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(surgeryDate) || !DateTime.fromISO(surgeryDate, { zone: 'utc' }).isValid) {
    throw new Error(`post-op check-in times: surgery date "${surgeryDate}" is not a date as YYYY-MM-DD`);
  }
  try {
    return [...protocol.days].sort((left, right) => left - right).map((day) => {
      const localDate = addDays(surgeryDate, day);
      const { at, shifted } = resolveLocalTime(localDate, protocol.sendHour, timeZone);
      return { day, dueAt: at, localDate, shifted };
    });
  } catch (cause) {
    throw new Error(`post-op check-in times for a surgery on ${surgeryDate} in ${timeZone}`, { cause });
  }
}
