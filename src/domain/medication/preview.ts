import type { Clock } from '../../lib/clock.js';
import { notFound } from '../../lib/errors.js';
import { quietHoursFor, type QuietHours } from '../messaging/quiet-hours.js';
import { overCapacityMinutes, type SendCapacity } from '../outreach/capacity.js';
import type { OutreachStore } from '../outreach/ports.js';
import type { OutreachJob, OutreachKind } from '../outreach/types.js';
import type { Patient, PatientRepository } from '../patients/ports.js';
import { localDateTime } from './local-time.js';
import type { MedicationPlan } from './plan.js';
import type { MedicationPlanRepository } from './ports.js';
import { caregiverText, followupText, reminderDueAt, reminderText, type FollowupPayload } from './reminders.js';
import { doseSlots } from './slots.js';

/** One message in a patient's schedule preview: when it goes out (quiet hours applied), on their clock too. */
export interface PreviewItem {
  kind: OutreachKind;
  dueAt: Date;
  localDate: string;
  localTime: string;
  /** What will be sent; null for kinds whose text is composed at send time elsewhere (post-op, escalation). */
  text: string | null;
  /** A live job's status (`scheduled`, `deferred`), or `planned` for a dose slot beyond the materialised horizon. */
  status: string;
}

export const MAX_PREVIEW_DAYS = 31;

/**
 * What CareLoop will send a patient in the next days: the live outreach jobs, plus the dose slots of active
 * plans that have no job yet (beyond the 48 h the materialiser schedules), with the texts the patient will get.
 * A final check (which sends nothing) is left out. Three queries.
 */
export class OutreachPreview {
  constructor(private readonly deps: { outreach: OutreachStore; plans: MedicationPlanRepository; patients: PatientRepository; clock: Clock; quietHours: QuietHours; sendCapacity?: SendCapacity }) {}

  /**
   * Deployment-wide: the minutes in the next `days` with more jobs due (all patients) than the SMS send rate can
   * send within the catch-up window, in words (figures only, no patient). One query; none without a send rate.
   */
  async warnings(days: number): Promise<string[]> {
    const { sendCapacity, outreach, clock } = this.deps;
    if (!sendCapacity) return [];
    const now = clock.now();
    const over = overCapacityMinutes(await outreach.dueCounts(now, new Date(now.getTime() + days * 86_400_000)), sendCapacity);
    const window = `${sendCapacity.catchUpWindowMs / 60_000}-minute catch-up window`;
    return over.map(({ minute, due, capacity }) =>
      `${due} messages (all patients) are due at ${minute.toISOString()}; at ${sendCapacity.ratePerSecond} SMS per second only ${capacity} go out within the ${window}: the rest would expire`);
  }

  async preview(patientId: string, days: number): Promise<PreviewItem[]> {
    const patient = await this.deps.patients.get(patientId);
    if (!patient) throw notFound('patient');
    const now = this.deps.clock.now();
    const until = new Date(now.getTime() + days * 86_400_000);
    const [jobs, plans] = await Promise.all([this.deps.outreach.upcoming(patientId, until), this.deps.plans.listForPatient(patientId)]);
    const planById = new Map(plans.map((plan) => [plan.id, plan]));
    const live = new Set(jobs.map((job) => job.key));
    const items = jobs
      .filter((job) => (job.payload as Partial<FollowupPayload>).step !== 'final')
      .map((job) => item(patient, job.kind, job.dueAt, textOf(job, patient, planById), job.status));
    for (const plan of plans.filter((candidate) => !candidate.endedAt)) {
      for (const slot of doseSlots(plan, patient.timeZone, now, until)) {
        if (live.has(slot.key) || slot.at <= now) continue;
        const dueAt = reminderDueAt(slot, patient.timeZone, quietHoursFor(patient, this.deps.quietHours));
        if (dueAt < until) items.push(item(patient, 'medication_reminder', dueAt, reminderText(plan), 'planned'));
      }
    }
    return items.sort((left, right) => left.dueAt.getTime() - right.dueAt.getTime());
  }
}

function item(patient: Patient, kind: OutreachKind, dueAt: Date, text: string | null, status: string): PreviewItem {
  const local = localDateTime(dueAt, patient.timeZone);
  return { kind, dueAt, localDate: local.date, localTime: local.time, text, status };
}

/** The plan a dose key belongs to: `med:<planId>:<localDate>T<HH:MM>`. */
const planIdOf = (doseKey: string): string | undefined => doseKey.split(':')[1];

function textOf(job: OutreachJob, patient: Patient, plans: Map<string, MedicationPlan>): string | null {
  if (job.kind === 'medication_reminder') {
    const plan = plans.get(planIdOf(job.key) ?? '');
    return plan ? reminderText(plan) : null;
  }
  if (job.kind !== 'dose_followup') return null;
  const payload = job.payload as unknown as FollowupPayload;
  const plan = plans.get(planIdOf(payload.doseKey) ?? '');
  if (!plan) return null;
  if (payload.step === 'followup') return followupText(plan);
  if (payload.step === 'caregiver') return caregiverText(patient.name, payload.missed ?? 0, plan);
  return reminderText(plan);
}
