/**
 * What medication outreach says and when: the texts of reminders, follow-ups and the caregiver's notice, and
 * the outreach jobs for a plan's dose slots with the patient's quiet hours already applied. Pure functions: the
 * service (outreach.ts) and the schedule preview use the same ones, so the preview shows what will be sent.
 */
import type { QuietHours } from '../messaging/quiet-hours.js';
import type { NewOutreachJob } from '../outreach/types.js';
import { nextAllowedMinute } from './deferral.js';
import type { MedicationPlan } from './plan.js';
import type { DoseSlot } from './slots.js';

/** Minutes a plain "snooze" (or "3") waits before reminding again. */
export const DEFAULT_SNOOZE_MINUTES = 30;
/** How long a reminder waits when the patient is in the middle of another flow. */
export const BUSY_RETRY_MS = 5 * 60_000;

/**
 * The steps of a dose's follow-up chain, in `dose_followup` jobs:
 * - `followup`: one "Did you take ...?" after DOSE_FOLLOWUP_MINUTES without an answer;
 * - `final`: after another such wait, the dose is recorded as unconfirmed (nothing is sent);
 * - `snooze`: the reminder again, when a snooze ends;
 * - `caregiver`: the one notice to a consenting caregiver after a run of missed doses.
 */
export type FollowupStep = 'followup' | 'final' | 'snooze' | 'caregiver';

/** A dose_followup job's payload: ids only (keys and payloads appear in logs). */
export interface FollowupPayload {
  step: FollowupStep;
  doseKey: string;
  /** The key of the reminder this chain follows (the dose key, or a snooze's job key). */
  chain?: string;
  /** Caregiver notices: how many doses the run counts. */
  missed?: number;
}

/** The reminder: the plan's SMS name (maybe an alias) and dose, never a diagnosis. */
export function reminderText(plan: Pick<MedicationPlan, 'displayName' | 'dose'>): string {
  return `Time for your ${plan.displayName} (${plan.dose}). Reply 1 when taken, 2 to skip, 3 to snooze ${DEFAULT_SNOOZE_MINUTES} min.`;
}

export function followupText(plan: Pick<MedicationPlan, 'displayName'>): string {
  return `Did you take your ${plan.displayName}? Reply 1 taken, 2 skipped.`;
}

/**
 * The caregiver's notice, the minimum that lets them help: whom (first name only, as they know the patient),
 * that doses went unconfirmed, and of what (the plan's SMS name, chosen to be safe in a text). No dose, times,
 * instructions or clinic details: they are not the caregiver's to receive by SMS.
 */
export function caregiverText(patientName: string, missed: number, plan: Pick<MedicationPlan, 'displayName'>): string {
  const firstName = patientName.trim().split(/\s+/)[0] ?? '';
  return `CareLoop: ${firstName} has not confirmed ${missed} doses of their ${plan.displayName}. Please check in with them.`;
}

/** When a reminder for this slot goes out: the slot's instant, or the first minute after the patient's quiet hours. */
export function reminderDueAt(slot: Pick<DoseSlot, 'at'>, timeZone: string, quietHours: QuietHours): Date {
  return nextAllowedMinute(slot.at, timeZone, quietHours);
}

/** One `medication_reminder` job per slot, keyed by the dose key (so scheduling twice schedules once). */
export function reminderJobs(patientId: string, slots: readonly DoseSlot[], timeZone: string, quietHours: QuietHours): NewOutreachJob[] {
  return slots.map((slot) => ({
    key: slot.key, kind: 'medication_reminder', patientId, dueAt: reminderDueAt(slot, timeZone, quietHours), payload: { planId: slot.planId },
  }));
}

/** The key of a chain step's job: `<chain>:followup`, `<chain>:final`. */
export const chainKey = (chain: string, step: 'followup' | 'final'): string => `${chain}:${step}`;

/** A snooze's job key: one per snooze (its end), so a second snooze of the same dose sends again. */
export const snoozeKey = (doseKey: string, until: Date): string => `${doseKey}:snooze@${until.getTime()}`;

/** The caregiver notice's job key, one per run of missed doses. */
export const caregiverKey = (missedKey: string): string => `caregiver:${missedKey}`;
