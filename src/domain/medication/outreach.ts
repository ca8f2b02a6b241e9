/**
 * The conversation around a dose: which doses a reply can answer, recording the answer (a snooze schedules the
 * reminder again), the follow-up chain after a reminder, and the care team's alert (with the caregiver's notice)
 * when doses go missed. The dialog (dialogs/dose-dialog.ts) and the outreach handlers (src/scheduler/handlers)
 * call it; it sends nothing itself.
 */
import type { Clock } from '../../lib/clock.js';
import { forEachLimited } from '../../lib/concurrency.js';
import { AppError } from '../../lib/errors.js';
import type { AlertRaiser } from '../alerts/service.js';
import { quietHoursFor, type QuietHours } from '../messaging/quiet-hours.js';
import type { OutreachStore } from '../outreach/ports.js';
import type { PatientRepository } from '../patients/ports.js';
import { nextAllowedMinute } from './deferral.js';
import { OPEN_DOSE_STATUSES, type DoseEvent, type DoseRecord } from './doses.js';
import type { DoseRepository, MedicationPlanRepository } from './ports.js';
import { caregiverKey, chainKey, DEFAULT_SNOOZE_MINUTES, snoozeKey, type FollowupPayload } from './reminders.js';
import { parseDoseReply, pickDoses, type DoseReply, type OpenDose } from './replies.js';
import type { MedicationService, MissedDoseFact } from './service.js';

const MINUTE_MS = 60_000;
/** Dose updates of one batch in flight at once (each is a lookup and an update by key). */
const DOSE_WRITES_AT_ONCE = 10;
/** Reminded doses a reply can still answer: those of the last day (older ones have been settled as unconfirmed). */
const OPEN_LOOKBACK_MS = 24 * 60 * MINUTE_MS;
/** At most this many stale doses settled per pass (one update each; normally there are none). */
const STALE_BATCH = 500;

export interface DoseOutreachDeps {
  medication: MedicationService;
  plans: MedicationPlanRepository;
  doses: DoseRepository;
  patients: PatientRepository;
  outreach: OutreachStore;
  alerts: AlertRaiser;
  clock: Clock;
  /** The deployment's quiet hours; a patient's own replace them. */
  quietHours: QuietHours;
  /** DOSE_FOLLOWUP_MINUTES: from a reminder to its follow-up, and from the follow-up to the final check. */
  followupMinutes: number;
}

/** A dose question that went out: a reminder (or a snooze's), or the follow-up; `chain` is the reminder it follows. */
export interface AskedDose {
  patientId: string;
  doseKey: string;
  chain: string;
  after: 'reminder' | 'followup';
}

/** What a patient's reply did: recorded an answer, named a dose that is not open, or was no dose answer at all. */
export type ReplyOutcome =
  | { status: 'recorded'; answer: DoseReply['answer']; doses: OpenDose[]; minutes?: number; confirmation: string }
  | { status: 'which'; open: OpenDose[]; question: string }
  | { status: 'not_an_answer' };

export class DoseOutreach {
  constructor(private readonly deps: DoseOutreachDeps) {}

  /**
   * The doses a reply may answer: the patient's reminded or snoozed doses of the last day, and those the question
   * was about even if their final check has since recorded them unconfirmed (a late "taken" still counts): the
   * named dose, and doses asked about since the question went out (`askedSince`).
   */
  async openDoses(patientId: string, askedKey?: string, askedSince?: Date): Promise<OpenDose[]> {
    const now = this.deps.clock.now();
    const [recent, plans, asked] = await Promise.all([
      this.deps.doses.forPatient(patientId, new Date(now.getTime() - OPEN_LOOKBACK_MS), new Date(now.getTime() + MINUTE_MS)),
      this.deps.plans.listForPatient(patientId),
      askedKey ? this.deps.doses.get(askedKey) : undefined,
    ]);
    const names = new Map(plans.map((plan) => [plan.id, plan.displayName]));
    const answerable = (dose: DoseRecord) => dose.status !== 'scheduled' && OPEN_DOSE_STATUSES.includes(dose.status);
    // Since the question: doses it reminded that the final check has settled since, and a dose whose reminder
    // went out in the same batch but is not recorded as reminded yet (a quick answer can overtake that record).
    const sinceQuestion = (dose: DoseRecord) =>
      askedSince !== undefined &&
      ((dose.status === 'unconfirmed' && dose.remindedAt !== undefined && dose.remindedAt >= askedSince) || (dose.status === 'scheduled' && dose.at <= askedSince));
    const open = recent.filter((dose) => answerable(dose) || sinceQuestion(dose));
    if (asked && (answerable(asked) || asked.status === 'unconfirmed') && !open.some((dose) => dose.key === asked.key)) open.push(asked);
    return open.map((dose) => ({ key: dose.key, displayName: names.get(dose.planId) ?? 'medicine', localTime: dose.localTime, at: dose.at }));
  }

  /**
   * Reads a reply to a dose question and records it on the dose(s) it names: the latest open one by default,
   * "morning" or "the 8pm one" picks another, "both" all. A bare "1"/"2"/"3" counts: the question offered them.
   */
  async answer(patientId: string, text: string, askedKey?: string, askedSince?: Date): Promise<ReplyOutcome> {
    const open = await this.openDoses(patientId, askedKey, askedSince);
    const reply = parseDoseReply(text, open.map((dose) => dose.displayName));
    if (!reply || open.length === 0) return { status: 'not_an_answer' };
    const picked = pickDoses(open, reply.which);
    if (picked.length === 0) {
      return { status: 'which', open, question: `Which one? You have ${listNames(open)} waiting. Reply for example "took the morning one", or "both".` };
    }
    const now = this.deps.clock.now();
    const minutes = reply.answer === 'snoozed' ? (reply.minutes ?? DEFAULT_SNOOZE_MINUTES) : undefined;
    const until = minutes === undefined ? undefined : new Date(now.getTime() + minutes * MINUTE_MS);
    const event: DoseEvent = until ? { type: 'snoozed', until } : { type: reply.answer as 'taken' | 'skipped' };
    for (const dose of picked) {
      const result = await this.deps.medication.recordDoseEvent(dose.key, event);
      if (result.missedDoses) await this.onMissedDoses(result.missedDoses);
      if (until && result.applied) await this.snooze(patientId, dose.key, until);
    }
    return { status: 'recorded', answer: reply.answer, doses: picked, ...(minutes ? { minutes } : {}), confirmation: confirmation(reply.answer, picked, minutes) };
  }

  /**
   * After a batch of dose questions went out: each dose is reminded, and its chain's next step is scheduled
   * DOSE_FOLLOWUP_MINUTES later: after a reminder (or a snooze's), the follow-up `<chain>:followup`; after the
   * follow-up, the final check `<chain>:final`. One lookup and one update per dose (by key), one insert for all.
   */
  async asked(questions: readonly AskedDose[]): Promise<void> {
    await forEachLimited(questions, DOSE_WRITES_AT_ONCE, (question) =>
      this.deps.medication.recordDoseEvent(question.doseKey, { type: 'reminded' }).catch((err: unknown) => {
        // Gone with a changed plan while its question was out: nothing left to record.
        if (!(err instanceof AppError && err.code === 'not_found')) throw err;
      }),
    );
    await this.scheduleSteps(questions.map(({ patientId, doseKey, chain, after }) => ({ patientId, doseKey, chain, step: after === 'followup' ? 'final' : 'followup' })));
  }

  /** A follow-up that could not go out (opt-out, no consent): the final check still comes, the dose was reminded. */
  async followUpNotSent(patientId: string, doseKey: string, chain: string): Promise<void> {
    await this.scheduleSteps([{ patientId, doseKey, chain, step: 'final' }]);
  }

  /** The final check: a dose still open is recorded unconfirmed, which may complete a run of missed doses. */
  async settleUnanswered(doseKey: string): Promise<'unconfirmed' | 'answered'> {
    const result = await this.deps.medication.recordDoseEvent(doseKey, { type: 'unconfirmed' });
    if (!result.applied) return 'answered';
    if (result.missedDoses) await this.onMissedDoses(result.missedDoses);
    return 'unconfirmed';
  }

  /**
   * Doses still waiting for an answer a day after their slot: their follow-up chain was lost (it expired during a
   * downtime longer than the catch-up window). They are settled as unconfirmed, as the chain's last step would
   * have, so they count toward a missed-dose alert; a reply can no longer answer them anyway (OPEN_LOOKBACK_MS).
   */
  async settleStale(now = this.deps.clock.now(), signal?: AbortSignal): Promise<{ stale_doses_settled: number }> {
    const stale = await this.deps.doses.awaitingBefore(new Date(now.getTime() - OPEN_LOOKBACK_MS), STALE_BATCH);
    let settled = 0;
    // One at a time, oldest first: a run of missed doses is detected in slot order. A stopping process leaves the rest to the next run.
    for (const dose of stale) {
      if (signal?.aborted) break;
      if ((await this.settleUnanswered(dose.key)) === 'unconfirmed') settled += 1;
    }
    return { stale_doses_settled: settled };
  }

  /**
   * A run of missed doses: an alert for the care team (one per run: its id is the run's key), and when the plan
   * names a consenting caregiver, their notice as a job (it waits out quiet hours, and its key sends it once).
   */
  async onMissedDoses(fact: MissedDoseFact): Promise<void> {
    const patient = await this.deps.patients.get(fact.patientId);
    if (!patient) return;
    const missed = fact.doseKeys.length;
    await this.deps.alerts.raise({
      kind: 'missed_doses', severity: 'high', patientId: patient.id, careTeamId: patient.careTeamId, idempotencyKey: fact.key, facts: { missed },
      reason: `missed doses: ${missed} in a row not confirmed of "${fact.displayName}" (plan ${fact.planId})`,
    });
    if (!fact.caregiver) return;
    const payload: FollowupPayload = { step: 'caregiver', doseKey: fact.doseKeys.at(-1)!, missed };
    const dueAt = nextAllowedMinute(this.deps.clock.now(), patient.timeZone, quietHoursFor(patient, this.deps.quietHours));
    await this.deps.outreach.schedule([{ key: caregiverKey(fact.key), kind: 'dose_followup', patientId: patient.id, dueAt, payload: { ...payload } }]);
  }

  /** The dose, and whether a reply can still answer it. */
  async dose(doseKey: string): Promise<{ dose?: DoseRecord; open: boolean }> {
    const dose = await this.deps.doses.get(doseKey);
    return { dose, open: dose !== undefined && OPEN_DOSE_STATUSES.includes(dose.status) };
  }

  /** A snooze replaces the chain in progress: its follow-up and final check go, the snooze's reminder comes. */
  private async snooze(patientId: string, doseKey: string, until: Date): Promise<void> {
    const pending = await this.deps.outreach.upcoming(patientId, new Date(until.getTime() + 7 * 24 * 60 * MINUTE_MS));
    const chainSteps = pending.filter((job) => job.kind === 'dose_followup' && (job.payload as Partial<FollowupPayload>).doseKey === doseKey && job.payload.step !== 'caregiver');
    if (chainSteps.length > 0) await this.deps.outreach.cancel(chainSteps.map((job) => job.key));
    const payload: FollowupPayload = { step: 'snooze', doseKey, chain: snoozeKey(doseKey, until) };
    await this.deps.outreach.schedule([{ key: payload.chain!, kind: 'dose_followup', patientId, dueAt: until, payload: { ...payload } }]);
  }

  private async scheduleSteps(steps: { patientId: string; doseKey: string; chain: string; step: 'followup' | 'final' }[]): Promise<void> {
    if (steps.length === 0) return;
    const dueAt = new Date(this.deps.clock.now().getTime() + this.deps.followupMinutes * MINUTE_MS);
    await this.deps.outreach.schedule(steps.map(({ patientId, doseKey, chain, step }) => {
      const payload: FollowupPayload = { step, doseKey, chain };
      return { key: chainKey(chain, step), kind: 'dose_followup', patientId, dueAt, payload: { ...payload } };
    }));
  }
}

function listNames(doses: readonly OpenDose[]): string {
  const names = [...new Set(doses.map((dose) => `${dose.displayName} (${dose.localTime})`))];
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function confirmation(answer: DoseReply['answer'], doses: readonly OpenDose[], minutes?: number): string {
  const names = [...new Set(doses.map((dose) => dose.displayName))].join(' and ');
  if (answer === 'taken') return `Thank you, your ${names} is recorded as taken.`;
  if (answer === 'skipped') return `OK, your ${names} is recorded as skipped. If something is wrong, reply AGENT to reach your care team.`;
  return `OK, I will remind you about your ${names} in ${minutes} min.`;
}
