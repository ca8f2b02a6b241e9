import { z } from 'zod';

/** Quiet hours as local clock times, e.g. 21:00 to 08:00 (crossing midnight). */
export interface QuietHours {
  start: string;
  end: string;
}

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:MM (00:00-23:59)');
/** A patient's own quiet hours (`start` = `end`: none at all). */
export const quietHoursSchema = z.strictObject({ start: clockTime, end: clockTime });

/** The quiet hours that hold for a patient: their own if set, else the deployment's (QUIET_HOURS). */
export function quietHoursFor(patient: { quietHours?: QuietHours | null }, deploymentDefault: QuietHours): QuietHours {
  return patient.quietHours ?? deploymentDefault;
}

/** Parses "HH:MM-HH:MM". */
export function parseQuietHours(value: string): QuietHours | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return match ? { start: `${match[1]}:${match[2]}`, end: `${match[3]}:${match[4]}` } : undefined;
}

/** True when `at` falls inside the quiet hours in the patient's time zone. */
export function inQuietHours(at: Date, timeZone: string, quiet: QuietHours): boolean {
  if (quiet.start === quiet.end) return false;
  const local = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  return quiet.start < quiet.end ? local >= quiet.start && local < quiet.end : local >= quiet.start || local < quiet.end;
}
