/**
 * The one way alerts are raised and handled. Raising evaluates the escalation rules into a decision snapshot
 * kept on the alert (a rule change never alters an alert in flight), reserves a short number for SMS replies
 * and schedules the first escalation step as an outreach job (timers live in MongoDB, never in memory).
 * Acknowledging, resolving and reopening are each decided once by a unique insert, so two nurses answering at
 * once, or two instances, never both win.
 */
import { AppError, notFound } from '../../lib/errors.js';
import type { Clock } from '../../lib/clock.js';
import type { CareTeamRepository } from '../careteams/careteams.js';
import type { Page, PageRequest } from '../common.js';
import type { EscalationEvent } from '../escalation/events.js';
import { DEFAULT_POLICY } from '../escalation/policy.js';
import type { RuleSource } from '../escalation/rule-book.js';
import { decide, evaluate, snapshot, type Severity } from '../escalation/rules.js';
import type { OutreachStore } from '../outreach/ports.js';
import {
  alertId, UNACKNOWLEDGED, type Alert, type AlertActor, type AlertFilter, type AlertRepository, type RaiseAlert, type ResolutionOutcome,
} from './alerts.js';

/** What raisers (safety net, triage, wellbeing, medication, post-op) need: raise, idempotently. */
export interface AlertRaiser {
  raise(input: RaiseAlert): Promise<RaiseOutcome>;
}

export interface RaiseOutcome {
  /** False when this kind and key raised an alert before (a replay): nothing new was paged. */
  raised: boolean;
  alert: Alert;
  /** What the deciding rule tells the patient (e.g. "Call 911 now."), if anything. */
  patientAdvice?: string;
}

export interface AlertServiceDeps {
  alerts: AlertRepository;
  rules: RuleSource;
  careTeams: Pick<CareTeamRepository, 'get'>;
  /** Who can be assigned an alert (optional: without it, assign refuses). */
  staff?: { get(id: string): Promise<{ active: boolean; role: string; careTeamId: string } | undefined> };
  outreach: Pick<OutreachStore, 'schedule' | 'cancel'>;
  /** Asks this process's scheduler to hand over the first step now rather than at its next slot (optional). */
  dispatchNow?: () => void;
  clock: Clock;
  /** For short numbers; Math.random by default. */
  random?: () => number;
}

const RANK: Record<Severity, number> = { critical: 0, high: 1, normal: 2 };
const moreSevere = (a: Severity, b: Severity): Severity => (RANK[a] <= RANK[b] ? a : b);
/** Tries at four digits before a short number gets five: four digits read aloud well, and few alerts are open at once. */
const FOUR_DIGIT_TRIES = 20;

/** The outreach job key of one escalation step: alert, epoch (reopenings) and step, so each runs once. */
export const escalationJobKey = (id: string, epoch: number, step: number) => `esc:${id}#${epoch}:${step}`;
const decisionKey = (what: 'ack' | 'resolve' | 'reopen', alert: Alert) => `${what}:${alert.id}#${alert.escalation.epoch}`;
/** The claim that decides who acknowledged this round of an alert. */
export const ackKey = (alert: Alert) => decisionKey('ack', alert);
const actorKey = (actor: AlertActor) => JSON.stringify(actor);

export class AlertService implements AlertRaiser {
  private readonly random: () => number;

  constructor(private readonly deps: AlertServiceDeps) {
    this.random = deps.random ?? Math.random;
  }

  async raise(input: RaiseAlert): Promise<RaiseOutcome> {
    const { alerts, clock } = this.deps;
    const id = alertId(input.kind, input.idempotencyKey);
    const existing = await alerts.get(id);
    if (existing) return { raised: false, alert: await this.ensureStarted(existing), ...adviceOf(existing) };

    const now = clock.now();
    const alert: Alert = {
      id,
      kind: input.kind,
      status: 'open',
      ...(input.patientId ? { patientId: input.patientId } : {}),
      ...(input.source ? { source: input.source } : {}),
      reason: input.reason,
      ...(await this.decide({ type: input.kind, patientId: input.patientId, careTeamId: input.careTeamId, facts: input.facts ?? {} }, input.severity)),
      escalation: { epoch: 0, step: 0, pagedStaffIds: [] },
      timeline: [{ at: now, type: 'raised' }],
      createdAt: now,
      updatedAt: now,
    };
    if (!(await alerts.insert(alert))) {
      const raced = await alerts.get(id);
      if (!raced) throw new Error(`alert ${id} was raised by another caller and is gone`);
      return { raised: false, alert: await this.ensureStarted(raced), ...adviceOf(raced) };
    }
    return { raised: true, alert: await this.ensureStarted(alert), ...adviceOf(alert) };
  }

  /**
   * Open alerts stored before escalation existed get what a raise gives an alert today: the current rules'
   * decision (from their kind, patient and team: they kept no facts), a short number and their first escalation
   * step, so none waits in a list unpaged after an upgrade. Writing the escalation state marks each one started,
   * so a later pass leaves it; the step's job key is deterministic, so two instances at once page once.
   */
  async startUnescalated(limit = 100): Promise<{ legacy_alerts_started: number }> {
    let started = 0;
    for (const alert of await this.deps.alerts.unescalated(limit)) {
      const decided = await this.decide({ type: alert.kind, patientId: alert.patientId, careTeamId: alert.careTeamId, facts: {} }, alert.severity);
      const changed = await this.deps.alerts.change(alert.id, { set: { ...decided, escalation: { epoch: 0, step: 0, pagedStaffIds: [] } }, onlyIfStatus: ['open'] });
      if (!changed) continue;
      await this.ensureStarted(changed);
      started += 1;
    }
    return { legacy_alerts_started: started };
  }

  /**
   * What the rules decide for an event: the severity (the raiser's is a deterministic safety decision made
   * upstream: rules may raise it, never lower it), the team, the decision's snapshot, the policy and the zone
   * support hours are read in.
   */
  private async decide(event: EscalationEvent, least: Severity): Promise<Pick<Alert, 'severity' | 'careTeamId' | 'decision' | 'policy' | 'teamZone'>> {
    const decision = decide(evaluate(await this.deps.rules.current(), event));
    const careTeamId = decision?.careTeamId ?? event.careTeamId;
    const team = careTeamId ? await this.deps.careTeams.get(careTeamId) : undefined;
    return {
      severity: decision ? moreSevere(decision.severity, least) : least,
      ...(careTeamId ? { careTeamId } : {}),
      ...(decision ? { decision: snapshot(decision) } : {}),
      policy: decision?.policy ?? DEFAULT_POLICY,
      teamZone: team?.timeZone ?? 'UTC',
    };
  }

  /**
   * Gives an alert its short number and its first escalation job, if it lacks them (a raise that crashed half
   * way is completed by the replay). The job key is deterministic: scheduling it again while it is live is a no-op,
   * and the step handler ignores a step the alert has passed.
   */
  private async ensureStarted(alert: Alert): Promise<Alert> {
    let current = alert;
    if (current.shortNumber === undefined && current.status !== 'resolved') current = await this.allocateShortNumber(current);
    const { epoch, step, exhausted } = current.escalation;
    if (step === 0 && !exhausted && current.status === 'open') {
      await this.deps.outreach.schedule([{
        key: escalationJobKey(current.id, epoch, 0), kind: 'escalation_step', patientId: current.patientId ?? '-', dueAt: this.deps.clock.now(),
        payload: { alertId: current.id, epoch, step: 0 },
      }]);
      this.deps.dispatchNow?.();
    }
    return current;
  }

  private async allocateShortNumber(alert: Alert): Promise<Alert> {
    for (let attempt = 0; attempt < FOUR_DIGIT_TRIES * 2; attempt++) {
      const [low, high] = attempt < FOUR_DIGIT_TRIES ? [1000, 9999] : [10000, 99999];
      const candidate = low + Math.floor(this.random() * (high - low + 1));
      if (await this.deps.alerts.reserveShortNumber(candidate, alert.id)) {
        return (await this.deps.alerts.change(alert.id, { set: { shortNumber: candidate } })) ?? alert;
      }
    }
    throw new Error(`no free short number for alert ${alert.id}`);
  }

  async get(id: string): Promise<Alert> {
    const alert = await this.deps.alerts.get(id);
    if (!alert) throw notFound('alert');
    return alert;
  }

  list(filter: AlertFilter, page: PageRequest): Promise<Page<Alert>> {
    return this.deps.alerts.list(filter, page);
  }

  /**
   * Acknowledges: the first acknowledgement of this round wins (a unique insert) and stops the paging; a later
   * one changes nothing and gets the alert as it stands. A resolved alert cannot be acknowledged (409).
   */
  async acknowledge(id: string, by: AlertActor): Promise<{ alert: Alert; acknowledged: boolean }> {
    const alert = await this.get(id);
    if (alert.status === 'resolved') throw new AppError('conflict', 'the alert is resolved; reopen it first');
    const key = decisionKey('ack', alert);
    const won = await this.deps.alerts.once(key, actorKey(by));
    if (!won) {
      // The winner may have crashed between its claim and its update: finish it for them.
      if (UNACKNOWLEDGED.includes(alert.status)) return { alert: await this.applyAck(alert, JSON.parse((await this.deps.alerts.holderOf(key))!) as AlertActor), acknowledged: false };
      return { alert, acknowledged: false };
    }
    return { alert: await this.applyAck(alert, by), acknowledged: true };
  }

  private async applyAck(alert: Alert, by: AlertActor): Promise<Alert> {
    const now = this.deps.clock.now();
    const changed = await this.deps.alerts.change(alert.id, {
      set: { status: 'acknowledged', acknowledgedBy: by, acknowledgedAt: now },
      events: [{ at: now, type: 'acknowledged', by }],
    });
    await this.cancelPending(alert);
    return changed ?? alert;
  }

  /**
   * The SMS "ACK 4821" of a staff member: acknowledged only when that number names an alert not yet resolved and
   * this staff member was paged about it.
   */
  async acknowledgeByShortNumber(shortNumber: number, staffId: string): Promise<{ status: 'acknowledged' | 'already' | 'unknown' | 'not_paged'; alert?: Alert }> {
    const id = await this.deps.alerts.shortNumberHolder(shortNumber);
    const alert = id ? await this.deps.alerts.get(id) : undefined;
    if (!alert || alert.status === 'resolved') return { status: 'unknown' };
    if (!alert.escalation.pagedStaffIds.includes(staffId)) return { status: 'not_paged', alert };
    const result = await this.acknowledge(alert.id, { kind: 'staff', staffId, via: 'sms' });
    return { status: result.acknowledged ? 'acknowledged' : 'already', alert: result.alert };
  }

  /** Resolves with an outcome and a note; the short number is released for other alerts. Once per round. */
  /**
   * Hands an alert to a staff member of its care team (or an admin): they own the follow-up. An alert not yet
   * acknowledged is acknowledged by the one who assigns it (someone has it now: paging stops). Resolved: 409.
   */
  async assign(id: string, staffId: string, by: AlertActor): Promise<Alert> {
    let alert = await this.get(id);
    if (alert.status === 'resolved') throw new AppError('conflict', 'the alert is resolved; reopen it first');
    const assignee = await this.deps.staff?.get(staffId);
    if (!assignee?.active) throw new AppError('validation_failed', 'no active staff member with that id');
    if (assignee.role !== 'admin' && assignee.careTeamId !== alert.careTeamId) throw new AppError('validation_failed', "the staff member is not in the alert's care team");
    if (UNACKNOWLEDGED.includes(alert.status)) alert = (await this.acknowledge(id, by)).alert;
    const now = this.deps.clock.now();
    return (await this.deps.alerts.change(id, { set: { assignedTo: staffId }, events: [{ at: now, type: 'assigned', by, staffId }] })) ?? alert;
  }

  async resolve(id: string, by: AlertActor, resolution: { outcome: ResolutionOutcome; note?: string }): Promise<Alert> {
    const alert = await this.get(id);
    if (alert.status === 'resolved') throw new AppError('conflict', 'the alert is resolved already');
    if (!(await this.deps.alerts.once(decisionKey('resolve', alert), actorKey(by)))) throw new AppError('conflict', 'the alert is resolved already');
    const now = this.deps.clock.now();
    const changed = await this.deps.alerts.change(id, {
      set: { status: 'resolved', resolvedBy: by, resolvedAt: now, resolution },
      unset: ['shortNumber'],
      events: [{ at: now, type: 'resolved', by, ...(resolution.note ? { note: resolution.note } : {}) }],
    });
    if (alert.shortNumber !== undefined) await this.deps.alerts.releaseShortNumber(alert.shortNumber, alert.id);
    await this.cancelPending(alert);
    return changed ?? alert;
  }

  /**
   * Reopens an acknowledged, resolved or expired alert: a new round (epoch) with a new short number, paged from
   * the first level again under new job keys.
   */
  async reopen(id: string, by: AlertActor, note?: string): Promise<Alert> {
    const alert = await this.get(id);
    if (alert.status === 'open' || alert.status === 'notified') throw new AppError('conflict', 'the alert is not acknowledged, resolved or expired');
    if (!(await this.deps.alerts.once(decisionKey('reopen', alert), actorKey(by)))) throw new AppError('conflict', 'the alert was reopened already');
    const now = this.deps.clock.now();
    const changed = await this.deps.alerts.change(id, {
      set: { status: 'open', escalation: { epoch: alert.escalation.epoch + 1, step: 0, pagedStaffIds: [] } },
      unset: ['acknowledgedBy', 'acknowledgedAt', 'assignedTo', 'resolvedBy', 'resolvedAt', 'resolution', 'flaggedAt'],
      events: [{ at: now, type: 'reopened', by, ...(note ? { note } : {}) }],
    });
    return this.ensureStarted(changed ?? alert);
  }

  /** The live step job goes (the handler would skip it anyway: this keeps the queue small). */
  private async cancelPending(alert: Alert): Promise<void> {
    await this.deps.outreach.cancel([escalationJobKey(alert.id, alert.escalation.epoch, alert.escalation.step)]);
  }
}

function adviceOf(alert: Alert): { patientAdvice?: string } {
  return alert.decision?.patientAdvice ? { patientAdvice: alert.decision.patientAdvice } : {};
}
