import type { ProactiveOutcome } from '../../bot/proactive.js';
import type { OutreachOutcome, OutreachJob } from '../../domain/outreach/types.js';
import type { OutboundRequest, SendOutcome } from '../../domain/messaging/gateway.js';
import { quietHoursFor, type QuietHours } from '../../domain/messaging/quiet-hours.js';
import { nextAllowedMinute } from '../../domain/medication/deferral.js';
import type { DoseOutreach } from '../../domain/medication/outreach.js';
import type { MedicationPlan } from '../../domain/medication/plan.js';
import type { MedicationPlanRepository } from '../../domain/medication/ports.js';
import { caregiverText, followupText, reminderText, type FollowupPayload } from '../../domain/medication/reminders.js';
import type { Patient, PatientRepository } from '../../domain/patients/ports.js';
import type { HandlerContext, OutreachHandler } from '../dispatcher.js';
import { mapOutcome } from './outcomes.js';

/** The dialog a dose question begins (dialogs/dose-dialog.ts), and what it is given. */
export interface DoseQuestion {
  doseKey: string;
  text: string;
}

export interface MedicationHandlerDeps {
  doseOutreach: DoseOutreach;
  plans: MedicationPlanRepository;
  patients: PatientRepository;
  /** The deployment's quiet hours; a patient's own replace them. */
  quietHours: QuietHours;
  /** Begins the dose dialog in the patient's SMS conversation (ProactiveMessenger.begin, purpose medication_reminders). */
  ask(patientId: string, idempotencyKey: string, question: DoseQuestion): Promise<ProactiveOutcome>;
  /** Sends one SMS through the outbound gateway (the caregiver's notice). */
  send(request: OutboundRequest): Promise<SendOutcome>;
}

type Loaded = { status: 'ready'; plan: MedicationPlan; patient: Patient } | { status: 'skip'; outcome: OutreachOutcome };

/**
 * The `medication_reminder` and `dose_followup` handlers. Each loads the dose first (a dose gone with a changed
 * plan, or already answered, is skipped with the reason), waits out quiet hours itself (so no blocked send is
 * recorded), then asks through the dose dialog and maps the gateway's outcome onto the job's.
 */
export function medicationHandlers(deps: MedicationHandlerDeps): { medication_reminder: OutreachHandler; dose_followup: OutreachHandler } {
  const { doseOutreach } = deps;

  async function load(doseKey: string): Promise<Loaded> {
    const { dose, open } = await doseOutreach.dose(doseKey);
    if (!dose) return { status: 'skip', outcome: { status: 'skipped', reason: 'dose_gone' } };
    if (!open) return { status: 'skip', outcome: { status: 'skipped', reason: 'already_answered' } };
    const [plan, patient] = await Promise.all([deps.plans.get(dose.planId), deps.patients.get(dose.patientId)]);
    if (!plan || plan.endedAt) return { status: 'skip', outcome: { status: 'skipped', reason: 'plan_ended' } };
    if (!patient) return { status: 'skip', outcome: { status: 'skipped', reason: 'patient_gone' } };
    return { status: 'ready', plan, patient };
  }

  /** Asks, unless quiet hours hold it; `onSent` runs once the question went out. */
  async function askDose(job: OutreachJob, context: HandlerContext, patient: Patient, question: DoseQuestion, onSent: () => Promise<void>): Promise<OutreachOutcome> {
    const quietHours = quietHoursFor(patient, deps.quietHours);
    const allowedAt = nextAllowedMinute(context.now, patient.timeZone, quietHours);
    if (allowedAt > context.now) return { status: 'deferred', dueAt: allowedAt, reason: 'quiet_hours' };
    const outcome = await deps.ask(patient.id, job.key, question);
    const mapped = mapOutcome(outcome, context, patient, quietHours);
    if (mapped.status === 'sent') await onSent();
    return mapped;
  }

  const medication_reminder: OutreachHandler = async (job, context) => {
    const loaded = await load(job.key);
    if (loaded.status === 'skip') return loaded.outcome;
    const { plan, patient } = loaded;
    return askDose(job, context, patient, { doseKey: job.key, text: reminderText(plan) }, () => doseOutreach.reminded(patient.id, job.key, job.key));
  };

  const dose_followup: OutreachHandler = async (job, context) => {
    const payload = job.payload as unknown as FollowupPayload;
    if (payload.step === 'caregiver') return notifyCaregiver(job, context, payload);
    const loaded = await load(payload.doseKey);
    if (loaded.status === 'skip') return loaded.outcome;
    const { plan, patient } = loaded;
    const chain = payload.chain ?? payload.doseKey;
    switch (payload.step) {
      case 'final':
        // Nothing goes to the patient: the job is done (`sent` = handed over), its reason says what it recorded.
        return { status: 'sent', reason: await doseOutreach.settleUnanswered(payload.doseKey) };
      case 'snooze':
        return askDose(job, context, patient, { doseKey: payload.doseKey, text: reminderText(plan) }, () => doseOutreach.reminded(patient.id, payload.doseKey, chain));
      case 'followup': {
        const outcome = await askDose(job, context, patient, { doseKey: payload.doseKey, text: followupText(plan) }, () => doseOutreach.followedUp(patient.id, payload.doseKey, chain, true));
        // A follow-up that cannot go out (opt-out, no consent) still leads to the final check: the dose was reminded.
        if (outcome.status === 'skipped') await doseOutreach.followedUp(patient.id, payload.doseKey, chain, false);
        return outcome;
      }
    }
  };

  /** The caregiver's one notice after a run of missed doses; the plan must still name a caregiver who consents. */
  async function notifyCaregiver(job: OutreachJob, context: HandlerContext, payload: FollowupPayload): Promise<OutreachOutcome> {
    const { dose } = await doseOutreach.dose(payload.doseKey);
    const [plan, patient] = dose ? await Promise.all([deps.plans.get(dose.planId), deps.patients.get(dose.patientId)]) : [];
    if (!plan || !patient) return { status: 'skipped', reason: 'dose_gone' };
    if (!plan.caregiver?.consent) return { status: 'skipped', reason: 'no_caregiver_consent' };
    const quietHours = quietHoursFor(patient, deps.quietHours);
    const allowedAt = nextAllowedMinute(context.now, patient.timeZone, quietHours);
    if (allowedAt > context.now) return { status: 'deferred', dueAt: allowedAt, reason: 'quiet_hours' };
    // Sent as about the patient (their record, their consent to medication SMS, their quiet hours); the
    // caregiver's own opt-out (STOP from their number) is checked on their address.
    const outcome = await deps.send({
      channel: 'sms', address: plan.caregiver.phone, patientId: patient.id, text: caregiverText(patient.name, payload.missed ?? 0, plan),
      idempotencyKey: job.key, kind: 'proactive', purpose: 'medication_reminders',
    });
    return mapOutcome(outcome, context, patient, quietHours);
  }

  return { medication_reminder, dose_followup };
}
