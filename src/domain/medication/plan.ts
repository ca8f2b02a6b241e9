import { z } from 'zod';
import { phoneSchema } from '../common.js';

/** Days of the week as plans name them; the index + 1 is the ISO weekday (Monday 1 ... Sunday 7). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The caregiver told about missed doses, only when they consented. */
export interface Caregiver {
  name: string;
  phone: string;
  consent: boolean;
}

/**
 * A medication plan as stored. Times and dates are the patient's local ones (their IANA zone): a plan says
 * "08:00 every day", never an instant. `endedAt` is set when staff end the plan (DELETE): no slot from then on.
 */
export interface MedicationPlan {
  id: string;
  patientId: string;
  /** What SMS shows: may be a neutral alias ("morning pill") so a text reveals no diagnosis. */
  displayName: string;
  dose: string;
  times: string[];
  daysOfWeek?: Weekday[];
  everyNDays?: number;
  startDate: string;
  endDate?: string;
  instructions?: string;
  caregiver?: Caregiver;
  endedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const MAX_TIMES_PER_DAY = 12;
const EARLIEST_DATE = '2000-01-01';
const LATEST_DATE = '2100-12-31';

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day as HH:MM (24-hour), e.g. 08:00');
const planDate = z.iso
  .date('expected a date as YYYY-MM-DD')
  .refine((value) => value >= EARLIEST_DATE && value <= LATEST_DATE, `expected a date between ${EARLIEST_DATE} and ${LATEST_DATE}`);

const caregiverSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  phone: phoneSchema,
  consent: z.boolean({ error: 'expected consent: true or false (whether the caregiver agreed to be told about missed doses)' }),
});

const planFields = {
  displayName: z
    .string()
    .trim()
    .min(1, 'expected the name SMS shows, e.g. "morning pill"')
    .max(40, 'displayName is sent by SMS: at most 40 characters (a neutral alias such as "morning pill" is fine)'),
  dose: z.string().trim().min(1, 'expected the dose, e.g. "1 tablet" or "10 mg"').max(100),
  times: z
    .array(timeOfDay)
    .min(1, 'expected at least one time of day, e.g. ["08:00"]')
    .max(MAX_TIMES_PER_DAY, `at most ${MAX_TIMES_PER_DAY} times a day`)
    .refine(isStrictlyAscending, 'times must be in ascending order without repeats, e.g. ["08:00", "20:00"]'),
  daysOfWeek: z
    .array(z.enum(WEEKDAYS, 'expected days as mon, tue, wed, thu, fri, sat, sun'))
    .min(1, 'expected at least one day; leave daysOfWeek out for every day')
    .refine((days) => new Set(days).size === days.length, 'each day at most once'),
  everyNDays: z.int('expected a whole number of days').min(1).max(365),
  startDate: planDate,
  endDate: planDate,
  instructions: z.string().trim().min(1).max(500),
  caregiver: caregiverSchema,
};

/** The rules that span fields, shared by create and by a PATCH merged onto the stored plan. */
function checkPlan(plan: { daysOfWeek?: unknown; everyNDays?: unknown; startDate?: string; endDate?: string }, ctx: z.RefinementCtx): void {
  if (plan.daysOfWeek !== undefined && plan.everyNDays !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['everyNDays'], message: 'give daysOfWeek or everyNDays, not both (neither means every day; a PATCH sends null to remove one)' });
  }
  if (plan.startDate && plan.endDate && plan.endDate < plan.startDate) {
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'endDate must be on or after startDate' });
  }
}

/** The plan JSON integrators send (POST), also what a PATCH must add up to. */
export const planInputSchema = z
  .strictObject({
    ...planFields,
    daysOfWeek: planFields.daysOfWeek.optional(),
    everyNDays: planFields.everyNDays.optional(),
    endDate: planFields.endDate.optional(),
    instructions: planFields.instructions.optional(),
    caregiver: planFields.caregiver.optional(),
  })
  .superRefine(checkPlan);
export type PlanInput = z.infer<typeof planInputSchema>;

/** A change: only the fields sent; `null` removes an optional field (e.g. daysOfWeek, to switch to everyNDays). */
export const planPatchSchema = z
  .strictObject({
    displayName: planFields.displayName.optional(),
    dose: planFields.dose.optional(),
    times: planFields.times.optional(),
    startDate: planFields.startDate.optional(),
    daysOfWeek: planFields.daysOfWeek.nullable().optional(),
    everyNDays: planFields.everyNDays.nullable().optional(),
    endDate: planFields.endDate.nullable().optional(),
    instructions: planFields.instructions.nullable().optional(),
    caregiver: planFields.caregiver.nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'expected at least one field to change');
export type PlanPatch = z.infer<typeof planPatchSchema>;

/** The plan a PATCH leaves: the stored fields, the patch over them, `null` removing a field. */
export function mergePlan(current: PlanInput, patch: PlanPatch): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete merged[field];
    else if (value !== undefined) merged[field] = value;
  }
  return merged;
}

/** The plan's input fields, as a PATCH is merged onto them. */
export function planInputOf(plan: MedicationPlan): PlanInput {
  const { displayName, dose, times, daysOfWeek, everyNDays, startDate, endDate, instructions, caregiver } = plan;
  return dropUndefined({ displayName, dose, times, daysOfWeek, everyNDays, startDate, endDate, instructions, caregiver }) as PlanInput;
}

/** Days in Monday-first order, so equal plans are stored alike. */
export function sortWeekdays(days: readonly Weekday[]): Weekday[] {
  return [...days].sort((left, right) => WEEKDAYS.indexOf(left) - WEEKDAYS.indexOf(right));
}

/** The plan as the API returns it. */
export const planViewSchema = z.object({
  id: z.string(),
  patientId: z.string(),
  displayName: z.string(),
  dose: z.string(),
  times: z.array(z.string()),
  daysOfWeek: z.array(z.enum(WEEKDAYS)).optional(),
  everyNDays: z.number().optional(),
  startDate: z.string(),
  endDate: z.string().optional(),
  instructions: z.string().optional(),
  caregiver: z.object({ name: z.string(), phone: z.string(), consent: z.boolean() }).optional(),
  status: z.enum(['active', 'ended']),
  endedAt: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PlanView = z.infer<typeof planViewSchema>;

export function toPlanView(plan: MedicationPlan): PlanView {
  const { endedAt, createdAt, updatedAt, ...fields } = plan;
  return dropUndefined({
    ...fields,
    status: endedAt ? 'ended' : 'active',
    endedAt: endedAt?.toISOString(),
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  }) as PlanView;
}

function isStrictlyAscending(times: readonly string[]): boolean {
  return times.every((time, index) => index === 0 || time > times[index - 1]!);
}

function dropUndefined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
}
