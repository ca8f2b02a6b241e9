import type { Clock } from '../../lib/clock.js';
import { AppError, notFound, validationFailed } from '../../lib/errors.js';
import { quietHoursFor, type QuietHours } from '../messaging/quiet-hours.js';
import type { OutreachStore } from '../outreach/ports.js';
import type { Patient, PatientRepository } from '../patients/ports.js';
import { computeAdherence, DEFAULT_MISSED_DOSE_THRESHOLD, detectMissedDoses, type Adherence, type MissedDoseEscalation } from './adherence.js';
import { applyDoseEvent, isMissed, type DoseEvent, type DoseRecord } from './doses.js';
import { mergePlan, planInputOf, planInputSchema, sortWeekdays, type Caregiver, type MedicationPlan, type PlanInput, type PlanPatch } from './plan.js';
import type { DoseRepository, MedicationPlanRepository } from './ports.js';
import { resolveLocalTime } from './local-time.js';
import { reminderJobs } from './reminders.js';
import { doseSlots, slotsBefore, type DoseSlot } from './slots.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const DEFAULT_ADHERENCE_DAYS = 30;
const MAX_ADHERENCE_DAYS = 366;
/** Plans materialised per round of the pass over all plans (see scheduleActivePlans). */
const PLANS_PER_ROUND = 1_000;

/** A missed-dose run with what the care team's alert and the caregiver's SMS need. */
export interface MissedDoseFact extends MissedDoseEscalation {
  patientId: string;
  displayName: string;
  /** Present only when the plan names a caregiver who consented to be told. */
  caregiver?: Caregiver;
}

export interface DoseEventResult {
  dose: DoseRecord;
  /** False when the event did not apply to the dose's status (e.g. a late reminder for a taken dose). */
  applied: boolean;
  missedDoses?: MissedDoseFact;
}

/**
 * Medication plans and their doses: the rules around the repositories. Plans are kept in the patient's local
 * terms; doses are the plan's slots in the patient's zone, recorded under their slot key.
 */
export class MedicationService {
  private readonly missedDoseThreshold: number;
  private readonly horizonMs: number;

  constructor(
    private readonly deps: {
      plans: MedicationPlanRepository;
      doses: DoseRepository;
      patients: PatientRepository;
      clock: Clock;
      /** Consecutive missed doses of a plan that raise the missed-dose fact (default 2). */
      missedDoseThreshold?: number;
      /** How far ahead doses are recorded when a plan is created or changed (default 48 h). */
      horizonHours?: number;
      /**
       * Where each recorded dose's reminder is scheduled (one `medication_reminder` job per slot, deferred past
       * the patient's quiet hours); without it only dose records are kept.
       */
      reminders?: { outreach: OutreachStore; quietHours: QuietHours };
    },
  ) {
    this.missedDoseThreshold = deps.missedDoseThreshold ?? DEFAULT_MISSED_DOSE_THRESHOLD;
    this.horizonMs = (deps.horizonHours ?? 48) * HOUR_MS;
  }

  async create(patientId: string, input: PlanInput): Promise<MedicationPlan> {
    const patient = await this.patient(patientId);
    const plan = await this.deps.plans.create({ ...normalise(input), patientId });
    await this.scheduleDoses(patient, plan);
    return plan;
  }

  /** The plan, which must belong to the patient (404 otherwise, as for a patient that does not exist). */
  async get(patientId: string, planId: string): Promise<MedicationPlan> {
    await this.patient(patientId);
    return this.planOf(patientId, planId);
  }

  async list(patientId: string, status: 'active' | 'ended' | 'all'): Promise<MedicationPlan[]> {
    await this.patient(patientId);
    const plans = await this.deps.plans.listForPatient(patientId);
    return status === 'all' ? plans : plans.filter((plan) => (plan.endedAt ? 'ended' : 'active') === status);
  }

  /**
   * Changes a plan (the fields sent, merged onto the stored ones, must still make a valid plan). Future doses
   * that no longer fit are removed and new ones recorded; a slot kept keeps its key, so nothing is duplicated.
   */
  async update(patientId: string, planId: string, patch: PlanPatch): Promise<MedicationPlan> {
    const patient = await this.patient(patientId);
    const current = await this.planOf(patientId, planId);
    if (current.endedAt) throw new AppError('conflict', 'this medication plan has ended; create a new plan instead');
    const merged = planInputSchema.safeParse(mergePlan(planInputOf(current), patch));
    if (!merged.success) throw validationFailed('invalid medication plan after the change', merged.error);
    const updated = await this.deps.plans.replace(planId, normalise(merged.data));
    if (!updated) throw notFound('medication plan');
    await this.dropUnplannedDoses(patient, updated);
    await this.scheduleDoses(patient, updated);
    return updated;
  }

  /**
   * After the patient's time zone or quiet hours changed: every future dose not reminded yet is scheduled again
   * (same keys, so nothing is lost or doubled; their instants and reminder times follow the new settings).
   */
  async rescheduleForPatient(patientId: string): Promise<{ rescheduled: number }> {
    const patient = await this.patient(patientId);
    const now = this.deps.clock.now();
    let rescheduled = 0;
    for (const plan of (await this.deps.plans.listForPatient(patientId)).filter((candidate) => !candidate.endedAt)) {
      const future = (await this.deps.doses.scheduledFrom(plan.id, now)).map((dose) => dose.key);
      if (future.length > 0) {
        await this.deps.reminders?.outreach.cancel(future);
        await this.deps.doses.removeScheduled(future);
      }
      if (patient.active) rescheduled += (await this.scheduleDoses(patient, plan)).length;
    }
    return { rescheduled };
  }

  /** Ends a plan now: no dose from now on; dose history stays. Ending an ended plan changes nothing. */
  async end(patientId: string, planId: string): Promise<MedicationPlan> {
    const patient = await this.patient(patientId);
    const current = await this.planOf(patientId, planId);
    if (current.endedAt) return current;
    const ended = await this.deps.plans.end(planId, this.deps.clock.now());
    if (!ended) throw notFound('medication plan');
    await this.dropUnplannedDoses(patient, ended);
    return ended;
  }

  /**
   * Records the plan's doses with a slot in [from, to) not recorded yet, and schedules the reminder of every
   * slot after now that has none live (same key: never twice); returns the doses it created.
   */
  async scheduleDoses(patient: Pick<Patient, 'id' | 'timeZone' | 'quietHours'>, plan: MedicationPlan, from = this.deps.clock.now(), to = new Date(from.getTime() + this.horizonMs)): Promise<DoseRecord[]> {
    const slots = doseSlots(plan, patient.timeZone, from, to);
    if (slots.length === 0) return [];
    const [created] = await Promise.all([this.deps.doses.createMissing(slots.map((slot) => newDose(patient.id, slot)), this.deps.clock.now()), this.scheduleReminders([{ patient, slots }])]);
    return created;
  }

  /**
   * The materialiser's pass: for every active plan of an active patient, the doses and reminders of the next
   * horizon (48 h). Two queries for the plans and their patients, then per 1,000 plans one insert of the doses
   * and one of the jobs; slots already recorded or scheduled are left as they are. A stopping process (`signal`)
   * stops between those rounds (10,000 plans take about 15 s on the embedded database); the next run does the rest.
   */
  async scheduleActivePlans(now = this.deps.clock.now(), signal?: AbortSignal): Promise<{ plans: number; inactive_patients: number; doses_recorded: number; reminders_scheduled: number; already_scheduled: number }> {
    const active = await this.deps.plans.listActive();
    const to = new Date(now.getTime() + this.horizonMs);
    const scheduled = active.filter(({ patient }) => patient.active).map(({ plan, patient }) => ({ patient, slots: doseSlots(plan, patient.timeZone, now, to) }));
    const counts = { plans: active.length, inactive_patients: active.length - scheduled.length, doses_recorded: 0, reminders_scheduled: 0, already_scheduled: 0 };
    for (let start = 0; start < scheduled.length && !signal?.aborted; start += PLANS_PER_ROUND) {
      const round = scheduled.slice(start, start + PLANS_PER_ROUND);
      const [created, jobs] = await Promise.all([
        this.deps.doses.createMissing(round.flatMap(({ patient, slots }) => slots.map((slot) => newDose(patient.id, slot))), now),
        this.scheduleReminders(round),
      ]);
      counts.doses_recorded += created.length;
      counts.reminders_scheduled += jobs.scheduled;
      counts.already_scheduled += jobs.alreadyScheduled;
    }
    return counts;
  }

  /** One reminder job per slot after now (a job due now or earlier may have run already: its key is not live any more). */
  private async scheduleReminders(plans: { patient: Pick<Patient, 'id' | 'timeZone' | 'quietHours'>; slots: DoseSlot[] }[]): Promise<{ scheduled: number; alreadyScheduled: number }> {
    const { reminders, clock } = this.deps;
    if (!reminders) return { scheduled: 0, alreadyScheduled: 0 };
    const now = clock.now();
    const jobs = plans.flatMap(({ patient, slots }) => reminderJobs(patient.id, slots.filter((slot) => slot.at > now), patient.timeZone, quietHoursFor(patient, reminders.quietHours)));
    return jobs.length === 0 ? { scheduled: 0, alreadyScheduled: 0 } : reminders.outreach.schedule(jobs);
  }

  /**
   * Records what happened to a dose, by its key. An event that does not fit the dose's status changes
   * nothing (`applied: false`). A dose that ends missed may complete a run of missed doses: the fact is
   * returned once per run, for the caller to alert the care team and, with consent, the caregiver.
   */
  async recordDoseEvent(key: string, event: DoseEvent): Promise<DoseEventResult> {
    const dose = await this.deps.doses.get(key);
    if (!dose) throw notFound('dose');
    const now = this.deps.clock.now();
    const changes = applyDoseEvent(dose.status, event, now);
    if (!changes) return { dose, applied: false };
    const updated = await this.deps.doses.update(key, changes, now);
    if (!updated) throw notFound('dose');
    const missedDoses = isMissed(updated.status) ? await this.missedRun(updated) : undefined;
    return { dose: updated, applied: true, ...(missedDoses ? { missedDoses } : {}) };
  }

  /** The patient's dose records over the last `days` days (due before now), oldest first: the console's timeline and chart. */
  async recentDoses(patientId: string, days: number): Promise<DoseRecord[]> {
    await this.patient(patientId);
    const now = this.deps.clock.now();
    return this.deps.doses.forPatient(patientId, new Date(now.getTime() - days * DAY_MS), now);
  }

  /**
   * Adherence over [from, to), from the patient's dose records. Each bound is an instant (ISO date-time with
   * offset) or a date, read as local midnight in the patient's zone; `to` defaults to now, `from` to 30 days
   * before `to`.
   */
  async adherence(patientId: string, window: { from?: string; to?: string } = {}): Promise<Adherence & { from: Date; to: Date }> {
    const patient = await this.patient(patientId);
    const to = window.to ? instantOf(window.to, patient.timeZone) : this.deps.clock.now();
    const from = window.from ? instantOf(window.from, patient.timeZone) : new Date(to.getTime() - DEFAULT_ADHERENCE_DAYS * DAY_MS);
    if (from >= to) throw new AppError('validation_failed', 'from must be before to');
    if (to.getTime() - from.getTime() > MAX_ADHERENCE_DAYS * DAY_MS) throw new AppError('validation_failed', `from and to may be at most ${MAX_ADHERENCE_DAYS} days apart`);
    const [doses, plans] = await Promise.all([this.deps.doses.forPatient(patientId, from, to), this.deps.plans.listForPatient(patientId)]);
    return { from, to, ...computeAdherence(doses, plans, { from, to }, this.deps.clock.now()) };
  }

  /** The run of missed doses this dose completes, if any: the plan's previous slots looked up by key. */
  private async missedRun(dose: DoseRecord): Promise<MissedDoseFact | undefined> {
    const [plan, patient] = await Promise.all([this.deps.plans.get(dose.planId), this.deps.patients.get(dose.patientId)]);
    if (!plan || !patient) return undefined;
    const previous = slotsBefore(plan, patient.timeZone, dose.at, this.missedDoseThreshold);
    const recorded = new Map((await this.deps.doses.getMany(previous.map((slot) => slot.key))).map((record) => [record.key, record]));
    // A slot with no record was never reminded: it is not a miss, and it breaks the run.
    const run = [...previous.map((slot) => recorded.get(slot.key) ?? { ...slot, status: 'scheduled' as const }), dose];
    const fact = detectMissedDoses(run, this.missedDoseThreshold).find((found) => found.doseKeys.at(-1) === dose.key);
    if (!fact) return undefined;
    return { ...fact, patientId: patient.id, displayName: plan.displayName, ...(plan.caregiver?.consent ? { caregiver: plan.caregiver } : {}) };
  }

  /** Removes future doses not reminded yet whose slot the (changed or ended) plan no longer has. */
  private async dropUnplannedDoses(patient: Patient, plan: MedicationPlan): Promise<void> {
    const now = this.deps.clock.now();
    const future = await this.deps.doses.scheduledFrom(plan.id, now);
    if (future.length === 0) return;
    const last = Math.max(...future.map((dose) => dose.at.getTime()));
    const kept = new Set(doseSlots(plan, patient.timeZone, now, new Date(last + 1)).map((slot) => slot.key));
    const stale = future.filter((dose) => !kept.has(dose.key)).map((dose) => dose.key);
    if (stale.length === 0) return;
    // Their reminders go first: a reminder whose dose is gone is skipped anyway, but need not wait in the queue.
    await this.deps.reminders?.outreach.cancel(stale);
    await this.deps.doses.removeScheduled(stale);
  }

  private async patient(patientId: string): Promise<Patient> {
    const patient = await this.deps.patients.get(patientId);
    if (!patient) throw notFound('patient');
    return patient;
  }

  private async planOf(patientId: string, planId: string): Promise<MedicationPlan> {
    const plan = await this.deps.plans.get(planId);
    if (!plan || plan.patientId !== patientId) throw notFound('medication plan');
    return plan;
  }
}

const newDose = (patientId: string, { key, planId, localDate, localTime, at }: DoseSlot) => ({ key, planId, patientId, localDate, localTime, at });

/** A date-time as given, or a date as its local midnight in the zone. */
function instantOf(value: string, timeZone: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? resolveLocalTime(value, '00:00', timeZone).at : new Date(value);
}

function normalise(input: PlanInput): PlanInput {
  return input.daysOfWeek ? { ...input, daysOfWeek: sortWeekdays(input.daysOfWeek) } : input;
}
