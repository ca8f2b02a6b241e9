import type { OutboundRequest, SendOutcome } from '../../domain/messaging/gateway.js';
import { quietHoursFor, type QuietHours } from '../../domain/messaging/quiet-hours.js';
import { nextAllowedMinute } from '../../domain/medication/deferral.js';
import type { DoseRecord } from '../../domain/medication/doses.js';
import type { AskedDose, DoseOutreach } from '../../domain/medication/outreach.js';
import type { MedicationPlan } from '../../domain/medication/plan.js';
import type { MedicationPlanRepository } from '../../domain/medication/ports.js';
import { BUSY_RETRY_MS, caregiverText, followupText, reminderText, type FollowupPayload } from '../../domain/medication/reminders.js';
import type { OutreachJob, OutreachOutcome } from '../../domain/outreach/types.js';
import type { Patient, PatientRepository } from '../../domain/patients/ports.js';
import { forEachLimited } from '../../lib/concurrency.js';
import type { HandlerContext, OutreachBatchHandler, OutreachHandler } from '../dispatcher.js';
import { mapOutcome } from './outcomes.js';

export interface MedicationHandlerDeps {
  doseOutreach: DoseOutreach;
  plans: MedicationPlanRepository;
  patients: PatientRepository;
  /** The deployment's quiet hours; a patient's own replace them. */
  quietHours: QuietHours;
  /**
   * Of these SMS numbers, those whose conversation has a flow the patient was in lately (a symptom check, a
   * check-in): a dose question waits for them, so their next "yes" is not read as its answer (one lookup each).
   */
  busy(phones: readonly string[], now: Date): Promise<Set<string>>;
  /** Sends a batch of SMS through the outbound gateway (OutboundGateway.sendMany). */
  sendMany(requests: OutboundRequest[], patients: ReadonlyMap<string, Patient>): Promise<SendOutcome[]>;
  /** Sends one SMS through the outbound gateway (the caregiver's notice). */
  send(request: OutboundRequest): Promise<SendOutcome>;
}

/** Dose lookups of one batch in flight at once (each by key: FerretDB would scan every dose ever recorded for an $in). */
const DOSE_READS_AT_ONCE = 10;

/** A dose question to ask: a reminder, a snooze's reminder or the follow-up. */
interface Question {
  job: OutreachJob;
  doseKey: string;
  chain: string;
  after: AskedDose['after'];
  text: (plan: MedicationPlan) => string;
}

/**
 * The `medication_reminder` and `dose_followup` handlers, batch first: a batch of due reminders is a constant
 * number of queries plus a lookup and an update per dose by key. Each dose is loaded first (a dose gone with a
 * changed plan, or already answered, is skipped with the reason); quiet hours and a patient mid-flow defer
 * (no blocked send is recorded); the questions go out through the gateway's `sendMany` as plain SMS under the
 * job's key; the patients are marked asked (`doseAskedAt`), so their next SMS is read as the answer (the dose
 * dialog, dialogs/dose-dialog.ts); then the doses are reminded and the next steps scheduled in one insert.
 * The single-job handlers are batches of one.
 */
export function medicationHandlers(deps: MedicationHandlerDeps): {
  batch: { medication_reminder: OutreachBatchHandler; dose_followup: OutreachBatchHandler };
  single: { medication_reminder: OutreachHandler; dose_followup: OutreachHandler };
} {
  const { doseOutreach } = deps;

  async function askAll(questions: Question[], context: HandlerContext): Promise<Map<OutreachJob, OutreachOutcome>> {
    const outcomes = new Map<OutreachJob, OutreachOutcome>();
    if (questions.length === 0) return outcomes;
    const doses = new Map<string, { dose?: DoseRecord; open: boolean }>();
    await forEachLimited([...new Set(questions.map((question) => question.doseKey))], DOSE_READS_AT_ONCE, async (key) => void doses.set(key, await doseOutreach.dose(key)));
    const loadedDoses = [...doses.values()].flatMap(({ dose, open }) => (dose && open ? [dose] : []));
    const [plans, patients] = await Promise.all([
      deps.plans.getMany([...new Set(loadedDoses.map((dose) => dose.planId))]),
      deps.patients.getMany([...new Set(loadedDoses.map((dose) => dose.patientId))]),
    ]);
    const planById = new Map(plans.map((plan) => [plan.id, plan]));
    const patientById = new Map(patients.map((patient) => [patient.id, patient]));

    const ready: { question: Question; plan: MedicationPlan; patient: Patient }[] = [];
    for (const question of questions) {
      const { dose, open } = doses.get(question.doseKey)!;
      const plan = dose && planById.get(dose.planId);
      const patient = dose && patientById.get(dose.patientId);
      if (!dose) outcomes.set(question.job, { status: 'skipped', reason: 'dose_gone' });
      else if (!open) outcomes.set(question.job, { status: 'skipped', reason: 'already_answered' });
      else if (!plan || plan.endedAt) outcomes.set(question.job, { status: 'skipped', reason: 'plan_ended' });
      else if (!patient) outcomes.set(question.job, { status: 'skipped', reason: 'patient_gone' });
      else {
        const allowedAt = nextAllowedMinute(context.now, patient.timeZone, quietHoursFor(patient, deps.quietHours));
        if (allowedAt > context.now) outcomes.set(question.job, { status: 'deferred', dueAt: allowedAt, reason: 'quiet_hours' });
        else ready.push({ question, plan, patient });
      }
    }
    const busy = await deps.busy([...new Set(ready.map(({ patient }) => patient.phone))], context.now);
    const asking = ready.filter(({ question, patient }) => {
      if (!busy.has(patient.phone)) return true;
      outcomes.set(question.job, { status: 'deferred', dueAt: new Date(context.now.getTime() + BUSY_RETRY_MS), reason: 'patient_busy' });
      return false;
    });
    if (asking.length === 0) return outcomes;

    // Marked before the questions go out, so a quick answer finds it; a question that then fails leaves only the
    // mark, which reads a reply as an answer to doses still open (none are opened here unless the question went out).
    await deps.patients.markDoseAsked([...new Set(asking.map(({ patient }) => patient.id))], context.now);
    const sent = await deps.sendMany(
      asking.map(({ question, plan, patient }) => ({
        // `<job key>:0`, the id a proactive turn gave its first message: a job handed over again sends nothing.
        channel: 'sms', address: patient.phone, patientId: patient.id, text: question.text(plan), idempotencyKey: `${question.job.key}:0`, kind: 'proactive', purpose: 'medication_reminders',
      })),
      patientById,
    );
    const asked: AskedDose[] = [];
    const followUpsNotSent: Question[] = [];
    asking.forEach(({ question, patient }, index) => {
      const outcome = mapOutcome(sent[index]!, context, patient, quietHoursFor(patient, deps.quietHours));
      outcomes.set(question.job, outcome);
      if (outcome.status === 'sent') asked.push({ patientId: patient.id, doseKey: question.doseKey, chain: question.chain, after: question.after });
      // A follow-up that cannot go out (opt-out, no consent) still leads to the final check: the dose was reminded.
      else if (outcome.status === 'skipped' && question.after === 'followup') followUpsNotSent.push(question);
    });
    await doseOutreach.asked(asked);
    for (const question of followUpsNotSent) await doseOutreach.followUpNotSent(question.job.patientId, question.doseKey, question.chain);
    return outcomes;
  }

  const medication_reminder: OutreachBatchHandler = async (jobs, context) => {
    const outcomes = await askAll(jobs.map((job) => ({ job, doseKey: job.key, chain: job.key, after: 'reminder', text: reminderText })), context);
    return jobs.map((job) => outcomes.get(job)!);
  };

  const dose_followup: OutreachBatchHandler = async (jobs, context) => {
    const questions: Question[] = [];
    const others = new Map<OutreachJob, OutreachOutcome>();
    for (const job of jobs) {
      const payload = job.payload as unknown as FollowupPayload;
      const chain = payload.chain ?? payload.doseKey;
      if (payload.step === 'snooze') questions.push({ job, doseKey: payload.doseKey, chain, after: 'reminder', text: reminderText });
      else if (payload.step === 'followup') questions.push({ job, doseKey: payload.doseKey, chain, after: 'followup', text: followupText });
      else if (payload.step === 'caregiver') others.set(job, await notifyCaregiver(job, context, payload));
      // Nothing goes to the patient: the job is done (`sent` = handed over), its reason says what it recorded.
      else others.set(job, { status: 'sent', reason: await doseOutreach.settleUnanswered(payload.doseKey) });
    }
    const asked = await askAll(questions, context);
    return jobs.map((job) => others.get(job) ?? asked.get(job)!);
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

  const one = (batch: OutreachBatchHandler): OutreachHandler => async (job, context) => (await batch([job], context))[0]!;
  return { batch: { medication_reminder, dose_followup }, single: { medication_reminder: one(medication_reminder), dose_followup: one(dose_followup) } };
}
