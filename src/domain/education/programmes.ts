/**
 * Education programmes (content/education/programmes.yaml): the library articles a patient receives on given days
 * of a programme, at a local time. `dueEducation` computes the items due now for the education drip; which
 * patients are enrolled is the caller's (today: an active medication plan starts the `medication_plan` programme).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { nextAllowedMinute } from '../medication/deferral.js';
import { addDays, localDateTime, resolveLocalTime } from '../medication/local-time.js';
import type { QuietHours } from '../messaging/quiet-hours.js';

export const DEFAULT_PROGRAMMES_FILE = fileURLToPath(new URL('../../../content/education/programmes.yaml', import.meta.url));

const programmeSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  applies: z.enum(['medication_plan']),
  sendTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM'),
  items: z.array(z.strictObject({ day: z.number().int().min(0).max(365), article: z.string().regex(/^[a-z0-9-]+$/) })).min(1).max(100),
});
const fileSchema = z.strictObject({
  status: z.string().regex(/^draft/i, 'every programme stays a draft until a clinician has reviewed it'),
  programmes: z.array(programmeSchema).max(50),
});

export type Programme = z.infer<typeof programmeSchema>;

/** One education message due for a patient on a day of their programme. */
export interface EducationItem {
  patientId: string;
  articleId: string;
  /** The programme day's local date (YYYY-MM-DD): part of the item's idempotency key. */
  day: string;
}

/** A patient enrolled in a programme: since `startDate` (local), in their zone, with their quiet hours. */
export interface Enrolment {
  applies: Programme['applies'];
  patientId: string;
  startDate: string;
  timeZone: string;
  quietHours: QuietHours;
}

/** Loads and checks the programmes; an unknown article is refused when `articleExists` is given. */
export function loadProgrammes(file = DEFAULT_PROGRAMMES_FILE, articleExists?: (id: string) => boolean): Programme[] {
  const parsed = fileSchema.safeParse(parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  for (const programme of parsed.data.programmes) {
    const unknown = programme.items.find((item) => articleExists && !articleExists(item.article));
    if (unknown) throw new Error(`${file}: programme "${programme.id}" names article "${unknown.article}", which the education library does not have`);
  }
  return parsed.data.programmes;
}

/**
 * The items whose send time (the programme's local time on its day, moved past quiet hours) falls in
 * (now - window, now]: a drip run every 15 minutes finds each one, and a run after a downtime shorter than the
 * window still does. The same item found twice has the same key, so it is sent once.
 */
export function dueEducation(enrolments: readonly Enrolment[], programmes: readonly Programme[], now: Date, windowMs: number): EducationItem[] {
  const items = new Map<string, EducationItem>();
  for (const enrolment of enrolments) {
    const today = localDateTime(now, enrolment.timeZone).date;
    for (const programme of programmes.filter((candidate) => candidate.applies === enrolment.applies)) {
      for (const item of programme.items) {
        const day = addDays(enrolment.startDate, item.day);
        // Only today's and yesterday's items can be in the window (it is at most a few hours).
        if (day !== today && day !== addDays(today, -1)) continue;
        const sendAt = nextAllowedMinute(resolveLocalTime(day, programme.sendTime, enrolment.timeZone).at, enrolment.timeZone, enrolment.quietHours);
        if (sendAt > now || now.getTime() - sendAt.getTime() >= windowMs) continue;
        items.set(`${enrolment.patientId}:${item.article}:${day}`, { patientId: enrolment.patientId, articleId: item.article, day });
      }
    }
  }
  return [...items.values()];
}

/**
 * Patients with an active medication plan, enrolled in the `medication_plan` programmes from their earliest plan's
 * start date (a second plan does not start the programme again).
 */
export function medicationEnrolments(
  plans: readonly { plan: { startDate: string }; patient: { id: string; timeZone: string; active: boolean; quietHours: QuietHours | null } }[],
  deploymentQuietHours: QuietHours,
): Enrolment[] {
  const earliest = new Map<string, Enrolment>();
  for (const { plan, patient } of plans) {
    if (!patient.active) continue;
    const known = earliest.get(patient.id);
    if (known && known.startDate <= plan.startDate) continue;
    earliest.set(patient.id, { applies: 'medication_plan', patientId: patient.id, startDate: plan.startDate, timeZone: patient.timeZone, quietHours: patient.quietHours ?? deploymentQuietHours });
  }
  return [...earliest.values()];
}
