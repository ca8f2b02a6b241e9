/**
 * Adherence and missed-dose detection, computed in TypeScript from dose records (FerretDB v1 has too few
 * accumulators to do it in the database, and a patient's doses for a window are few).
 */
import { isMissed, OPEN_DOSE_STATUSES, type DoseRecord } from './doses.js';

/**
 * Figures for a window [from, to):
 * - `due`: doses whose slot is in the window and already past (before `now`);
 * - `taken`, `skipped`: due doses with that answer;
 * - `unconfirmed`: every other due dose: no answer in time, or a reminder still waiting for one;
 * - `rate`: taken / due, or null when nothing was due.
 */
export interface AdherenceFigures {
  due: number;
  taken: number;
  skipped: number;
  unconfirmed: number;
  rate: number | null;
}

export interface Adherence {
  overall: AdherenceFigures;
  plans: (AdherenceFigures & { planId: string; displayName: string })[];
  /**
   * Consecutive taken doses, counted back from the most recent due dose in the window, across plans. A dose
   * still waiting for an answer neither counts nor breaks it; a skipped or unconfirmed one ends it.
   */
  streak: number;
}

type DoseOutcome = Pick<DoseRecord, 'key' | 'planId' | 'at' | 'status'>;

/** Adherence over [from, to) at `now`. Lists every plan given that is not ended or had a dose due. */
export function computeAdherence(
  doses: readonly DoseOutcome[],
  plans: readonly { id: string; displayName: string; endedAt?: Date }[],
  window: { from: Date; to: Date },
  now: Date,
): Adherence {
  const end = Math.min(window.to.getTime(), now.getTime());
  const due = doses
    .filter((dose) => dose.at.getTime() >= window.from.getTime() && dose.at.getTime() < end)
    .sort((left, right) => left.at.getTime() - right.at.getTime() || left.key.localeCompare(right.key));
  const listed = plans
    .map((plan) => ({ plan, planDoses: due.filter((dose) => dose.planId === plan.id) }))
    .filter(({ plan, planDoses }) => !plan.endedAt || planDoses.length > 0);
  return {
    overall: figures(due),
    plans: listed.map(({ plan, planDoses }) => ({ planId: plan.id, displayName: plan.displayName, ...figures(planDoses) })),
    streak: streak(due),
  };
}

function figures(due: readonly DoseOutcome[]): AdherenceFigures {
  const taken = due.filter((dose) => dose.status === 'taken').length;
  const skipped = due.filter((dose) => dose.status === 'skipped').length;
  return { due: due.length, taken, skipped, unconfirmed: due.length - taken - skipped, rate: due.length === 0 ? null : taken / due.length };
}

function streak(dueOldestFirst: readonly DoseOutcome[]): number {
  let count = 0;
  for (const dose of [...dueOldestFirst].reverse()) {
    if (OPEN_DOSE_STATUSES.includes(dose.status)) continue;
    if (dose.status !== 'taken') break;
    count++;
  }
  return count;
}

/** N consecutive missed doses of one plan: a fact for the care team (and a consenting caregiver). */
export interface MissedDoseEscalation {
  /** `missed:<key of the dose that made the run reach N>`: one alert per run of misses, however long it gets. */
  key: string;
  planId: string;
  /** The run's doses, oldest first. */
  doseKeys: string[];
}

export const DEFAULT_MISSED_DOSE_THRESHOLD = 2;

/**
 * Every run of `threshold` consecutive missed (unconfirmed or skipped) doses in one plan's doses. The
 * fact comes when a run reaches the threshold, once per run: a taken dose, or one not yet settled, ends it.
 */
export function detectMissedDoses(planDoses: readonly DoseOutcome[], threshold = DEFAULT_MISSED_DOSE_THRESHOLD): MissedDoseEscalation[] {
  const facts: MissedDoseEscalation[] = [];
  let run: DoseOutcome[] = [];
  const ordered = [...planDoses].sort((left, right) => left.at.getTime() - right.at.getTime() || left.key.localeCompare(right.key));
  for (const dose of ordered) {
    run = isMissed(dose.status) ? [...run, dose] : [];
    if (run.length === threshold) facts.push({ key: `missed:${dose.key}`, planId: dose.planId, doseKeys: run.map((missed) => missed.key) });
  }
  return facts;
}
