/**
 * What an alert's escalation does next, from its state and the time: page a level, wait for support hours,
 * give up (and maybe flag the admins), or stop because someone acknowledged. Pure: the outreach job that calls
 * it stores the step and schedules the next check; nothing here reads a clock or a database.
 */
import { isWithinSupportHours, nextSupportOpening, type EscalationPolicy, type Target } from './policy.js';

export type EscalationSeverity = 'critical' | 'high' | 'normal';

/** An alert's escalation as stored between checks. */
export interface EscalationState {
  severity: EscalationSeverity;
  policy: EscalationPolicy;
  /** The care team's IANA zone, for support hours without a zone of their own. */
  teamZone: string;
  /** How many pages have gone out: 0 = nothing paged yet. Step n pages level n % levels of round n / levels. */
  step: number;
  acknowledged: boolean;
  resolved: boolean;
}

/** Page these targets now, then check again at `nextCheckAt` with `step: nextStep`. Level and round count from 0. */
export interface PageStep {
  action: 'page';
  step: number;
  nextStep: number;
  level: number;
  round: number;
  targets: Target[];
  /** When this level's acknowledgement time runs out. */
  nextCheckAt: Date;
}

/** Page nobody yet: check again at `until` with the same step. */
export interface WaitStep {
  action: 'wait';
  until: Date;
  reason: 'support_hours';
}

/** Every round has been paged and nobody acknowledged. */
export interface ExhaustedStep {
  action: 'exhausted';
  flagAdmins: boolean;
}

export type EscalationStep = PageStep | WaitStep | ExhaustedStep | { action: 'done' };

const MINUTE_MS = 60_000;

/**
 * Severities whose exhausted ladder is flagged to the admins. Critical as the brief requires; high too,
 * because a high alert (a likely wound infection, a possible clot) that nobody answered through every round
 * means the team's paging is failing and a patient needs same-day care. A normal one stays open in the queue.
 */
const FLAG_ADMINS_WHEN_EXHAUSTED: ReadonlySet<EscalationSeverity> = new Set(['critical', 'high']);

/** How many pages the policy sends in all: every level, once per round; rounds = 1 + repeat. */
export function totalSteps(policy: EscalationPolicy): number {
  return policy.levels.length * (1 + policy.repeat);
}

/**
 * The next thing to do for an alert at `now`. Acknowledged or resolved: done. Past the last round: exhausted.
 * A non-critical alert outside the policy's support hours waits for them to open (also mid-ladder: paging
 * pauses overnight and resumes at the level it had reached). Otherwise the step's level is paged now and its
 * acknowledgement timeout counts from now, so a check that ran late still gives the paged staff their full time.
 */
export function planStep(state: EscalationState, now: Date): EscalationStep {
  if (state.acknowledged || state.resolved) return { action: 'done' };
  const { policy, step } = state;
  if (!Number.isInteger(step) || step < 0) throw new Error(`planning an escalation: step ${step} is not a whole number >= 0`);
  if (policy.levels.length === 0) throw new Error('planning an escalation: the policy has no levels');
  if (step >= totalSteps(policy)) return { action: 'exhausted', flagAdmins: FLAG_ADMINS_WHEN_EXHAUSTED.has(state.severity) };

  if (state.severity !== 'critical' && policy.supportHours) {
    try {
      if (!isWithinSupportHours(policy.supportHours, state.teamZone, now)) {
        return { action: 'wait', until: nextSupportOpening(policy.supportHours, state.teamZone, now), reason: 'support_hours' };
      }
    } catch (cause) {
      throw new Error(`planning an escalation: reading support hours in ${policy.supportHours.timeZone ?? state.teamZone}`, { cause });
    }
  }

  const level = step % policy.levels.length;
  const { targets, ackTimeoutMinutes } = policy.levels[level]!;
  return {
    action: 'page',
    step,
    nextStep: step + 1,
    level,
    round: Math.floor(step / policy.levels.length),
    targets,
    nextCheckAt: new Date(now.getTime() + ackTimeoutMinutes * MINUTE_MS),
  };
}
