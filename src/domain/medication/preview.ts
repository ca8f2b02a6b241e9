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
  /** What will be sent (a post-op check-in: its opening and first question); null for kinds composed at send time elsewhere (escalation). */
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
  constructor(
    private readonly deps: {
      outreach: OutreachStore; plans: MedicationPlanRepository; patients: PatientRepository; clock: Clock; quietHours: QuietHours; sendCapacity?: SendCapacity;
      /** The texts of other kinds' jobs (post-op check-ins), null when it sends nothing (a check for an answer). */
      texts?: Partial<Record<OutreachKind, (jobs: OutreachJob[]) => Promise<Map<string, string | null>>>>;
    },
  ) {}

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
    const otherTexts = await this.otherTexts(jobs);
    const items = jobs
      // Escalation steps page staff, not the patient.
      .filter((job) => job.kind !== 'escalation_step' && (job.payload as Partial<FollowupPayload>).step !== 'final' && otherTexts.get(job.key) !== null)
      .map((job) => item(patient, job.kind, job.dueAt, otherTexts.get(job.key) ?? textOf(job, patient, planById), job.status));
    for (const plan of plans.filter((candidate) => !candidate.endedAt)) {
      for (const slot of doseSlots(plan, patient.timeZone, now, until)) {
        if (live.has(slot.key) || slot.at <= now) continue;
        const dueAt = reminderDueAt(slot, patient.timeZone, quietHoursFor(patient, this.deps.quietHours));
        if (dueAt < until) items.push(item(patient, 'medication_reminder', dueAt, reminderText(plan), 'planned'));
      }
    }
    return items.sort((left, right) => left.dueAt.getTime() - right.dueAt.getTime());
  }

  /** Texts of the jobs whose kind has its own composer, by key (null: the job sends nothing and is left out). */
  private async otherTexts(jobs: OutreachJob[]): Promise<Map<string, string | null>> {
    const texts = new Map<string, string | null>();
    for (const [kind, compose] of Object.entries(this.deps.texts ?? {})) {
      const ofKind = jobs.filter((job) => job.kind === kind);
      if (ofKind.length > 0 && compose) for (const [key, text] of await compose(ofKind)) texts.set(key, text);
    }
    return texts;
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
