/**
 * One escalation step of one alert, run by its `escalation_step` outreach job: plan (stepper.ts), resolve who
 * to page (on-call.ts), page each person on their channels through the StaffNotifier, record every attempt on
 * the alert's timeline, and schedule the next step. Exactly once across instances and crashes: the job key names
 * the alert, its epoch and the step (the dispatcher's claims hand each over once), the handler ignores a step the
 * alert has passed, and each page carries its own idempotency key (a re-run after a crash pages nobody twice).
 */
import type { Clock } from '../../lib/clock.js';
import { onCallAt, resolveTargets, type Rotation } from '../escalation/on-call.js';
import type { Page, PageSeverity } from '../escalation/page.js';
import { planStep } from '../escalation/stepper.js';
import type { OutreachStore } from '../outreach/ports.js';
import type { OutreachOutcome } from '../outreach/types.js';
import type { StaffMember } from '../staff/staff.js';
import type { Alert, AlertEvent, AlertKind, AlertRepository } from './alerts.js';
import { ackKey, escalationJobKey } from './service.js';

/** What one channel made of one page to one person. */
export interface PageAttempt {
  channel: NonNullable<AlertEvent['channel']>;
  /** `delivered` (webhook, e-mail), `sent` (SMS handed to the provider), `retrying` (the gateway retries it), `failed`, `skipped` (already sent, no channel). */
  outcome: 'delivered' | 'sent' | 'retrying' | 'failed' | 'skipped';
  code?: string;
  attempts?: number;
}

/** Pages one staff member on every channel they chose (or SMS at their phone when they chose none). */
export interface StaffNotifier {
  notify(member: StaffMember, page: Page, idempotencyKey: string): Promise<PageAttempt[]>;
}

/** The staff an escalation may page. */
export interface StaffDirectory {
  /** Every staff member of a care team, active or not (resolveTargets skips the inactive). */
  teamMembers(careTeamId: string): Promise<StaffMember[]>;
  get(id: string): Promise<StaffMember | undefined>;
  /** Active admins: who an exhausted critical or high alert is flagged to. */
  admins(): Promise<StaffMember[]>;
  /** The active staff member with this phone (or SMS channel address); one small scan of the staff collection. */
  byPhone(phone: string): Promise<StaffMember | undefined>;
}

/** Weekly on-call rotations, one per care team. */
export interface RotationRepository {
  get(careTeamId: string): Promise<Rotation | undefined>;
  put(careTeamId: string, rotation: Rotation): Promise<void>;
}

export interface EscalationStepDeps {
  alerts: AlertRepository;
  staff: StaffDirectory;
  rotations: RotationRepository;
  notifier: StaffNotifier;
  outreach: Pick<OutreachStore, 'schedule'>;
  clock: Clock;
  /** The signed acknowledgement link for one staff member and alert (see ack-link.ts). */
  ackUrl(alertId: string, staffId: string): string;
}

/** What an escalation_step job carries. */
export interface EscalationStepPayload {
  alertId: string;
  epoch: number;
  step: number;
}

/** A reason category from our own list: pages never carry the alert's free text. */
const CATEGORY: Record<AlertKind, string> = {
  emergency: 'emergency words',
  handoff: 'asked for a person',
  wellbeing_low: 'low wellbeing score',
  triage: 'symptom check',
  missed_doses: 'missed doses',
  postop_checkin: 'post-op check-in',
  postop_nonresponse: 'post-op check-ins unanswered',
};

/** When every page of a level failed, the next level is tried this soon instead of after the level's timeout. */
const ALL_FAILED_RETRY_MS = 60_000;

export class EscalationSteps {
  constructor(private readonly deps: EscalationStepDeps) {}

  async run(payload: EscalationStepPayload, now: Date): Promise<OutreachOutcome> {
    const alert = await this.deps.alerts.get(payload.alertId);
    if (!alert) return { status: 'skipped', reason: 'alert_gone' };
    const { escalation } = alert;
    if (escalation.epoch !== payload.epoch) return { status: 'skipped', reason: 'stale' };
    if (alert.status !== 'open' && alert.status !== 'notified') return { status: 'skipped', reason: alert.status };
    if (escalation.exhausted) return { status: 'skipped', reason: 'exhausted' };
    // An acknowledgement decided (its claim inserted) whose status update has not landed yet still stops the paging.
    if (await this.deps.alerts.holderOf(ackKey(alert))) return { status: 'skipped', reason: 'acknowledged' };
    // This step was recorded but its successor never scheduled (a crash between the two): schedule it now, and
    // make the alert notified if the crash also cut that off after a page of this step reached someone.
    if (escalation.step === payload.step + 1 && escalation.nextCheckAt) {
      const reached = alert.timeline.some((event) => event.type === 'page' && event.step === payload.step && (event.outcome === 'delivered' || event.outcome === 'sent'));
      if (reached && alert.status === 'open') await this.deps.alerts.change(alert.id, { set: { status: 'notified' }, onlyIfStatus: ['open'] });
      await this.scheduleStep(alert, escalation.step, escalation.nextCheckAt);
      return { status: 'sent', reason: 'resumed' };
    }
    if (escalation.step !== payload.step) return { status: 'skipped', reason: 'stale' };

    const plan = planStep({ severity: alert.severity, policy: alert.policy, teamZone: alert.teamZone, step: payload.step, acknowledged: false, resolved: false }, now);
    switch (plan.action) {
      case 'done':
        return { status: 'skipped', reason: 'done' };
      case 'wait': {
        const last = alert.timeline.at(-1);
        if (last?.type !== 'waiting' || last.until?.getTime() !== plan.until.getTime()) {
          await this.deps.alerts.change(alert.id, { events: [{ at: now, type: 'waiting', until: plan.until, note: plan.reason }] });
        }
        return { status: 'deferred', dueAt: plan.until, reason: plan.reason };
      }
      case 'exhausted':
        return this.exhausted(alert, plan.flagAdmins, now);
      case 'page': {
        const members = await this.targets(alert, plan.targets, now);
        const position = { step: plan.step, level: plan.level, round: plan.round };
        const events = await this.pageAll(alert, members, `${payload.step}`, now, position);
        // Nobody active in the team and nobody named: the timeline says so, and the ladder runs on to the admins.
        if (members.length === 0) events.push({ at: now, type: 'page', ...position, outcome: 'skipped', code: 'no_staff' });
        const anyReached = events.some((event) => event.outcome === 'delivered' || event.outcome === 'sent');
        const nextCheckAt = anyReached ? plan.nextCheckAt : new Date(now.getTime() + ALL_FAILED_RETRY_MS);
        const paged = [...new Set([...escalation.pagedStaffIds, ...members.map((member) => member.id)])];
        await this.deps.alerts.change(alert.id, { set: { escalation: { ...escalation, step: plan.nextStep, nextCheckAt, pagedStaffIds: paged } }, events });
        if (anyReached) await this.deps.alerts.change(alert.id, { set: { status: 'notified' }, onlyIfStatus: ['open'] });
        await this.scheduleStep(alert, plan.nextStep, nextCheckAt);
        return { status: 'sent', reason: anyReached ? `paged_${members.length}` : 'all_pages_failed' };
      }
    }
  }

  private async exhausted(alert: Alert, flagAdmins: boolean, now: Date): Promise<OutreachOutcome> {
    const events: AlertEvent[] = [{ at: now, type: 'exhausted' }];
    if (flagAdmins) {
      const admins = await this.deps.staff.admins();
      events.push({ at: now, type: 'flagged_admins' }, ...(await this.pageAll(alert, admins, 'admins', now, {})));
    } else {
      events.push({ at: now, type: 'expired' });
    }
    await this.deps.alerts.change(alert.id, { set: { escalation: { ...alert.escalation, exhausted: true }, ...(flagAdmins ? { flaggedAt: now } : {}) }, events });
    if (!flagAdmins) await this.deps.alerts.change(alert.id, { set: { status: 'expired' }, onlyIfStatus: ['open', 'notified'] });
    return { status: 'sent', reason: flagAdmins ? 'flagged_admins' : 'expired' };
  }

  /** The staff a level's targets name, expanded (on-call, team) and filtered to active people. */
  private async targets(alert: Alert, targets: Parameters<typeof resolveTargets>[0], now: Date): Promise<StaffMember[]> {
    const teamStaff = alert.careTeamId ? await this.deps.staff.teamMembers(alert.careTeamId) : [];
    const rotation = alert.careTeamId && targets.some((target) => target.type === 'on_call') ? await this.deps.rotations.get(alert.careTeamId) : undefined;
    const onCall = rotation ? onCallAt(rotation, now) : undefined;
    const named = [...new Set([...targets.flatMap((target) => (target.type === 'staff' ? [target.staffId] : [])), ...(onCall ? [onCall] : [])])];
    const outside = named.filter((id) => !teamStaff.some((member) => member.id === id));
    const staffById = new Map<string, StaffMember>();
    for (const member of await Promise.all(outside.map((id) => this.deps.staff.get(id)))) if (member) staffById.set(member.id, member);
    return resolveTargets(targets, { onCall, teamStaff, staffById }).staff;
  }

  private async pageAll(alert: Alert, members: StaffMember[], stepLabel: string, now: Date, position: Pick<AlertEvent, 'step' | 'level' | 'round'>): Promise<AlertEvent[]> {
    const events: AlertEvent[] = [];
    await Promise.all(members.map(async (member) => {
      const page: Page = {
        alertId: alert.id,
        shortNumber: alert.shortNumber ?? 0,
        severity: alert.severity as PageSeverity,
        category: CATEGORY[alert.kind],
        raisedAt: alert.createdAt,
        ackUrl: this.deps.ackUrl(alert.id, member.id),
        timeZone: alert.teamZone,
      };
      const attempts = await this.deps.notifier.notify(member, page, `page:${alert.id}#${alert.escalation.epoch}:${stepLabel}:${member.id}`);
      for (const attempt of attempts) events.push({ at: now, type: 'page', ...position, staffId: member.id, ...attempt });
    }));
    return events;
  }

  private async scheduleStep(alert: Alert, step: number, dueAt: Date): Promise<void> {
    const { epoch } = alert.escalation;
    await this.deps.outreach.schedule([{
      key: escalationJobKey(alert.id, epoch, step), kind: 'escalation_step', patientId: alert.patientId ?? '-', dueAt,
      payload: { alertId: alert.id, epoch, step },
    }]);
  }
}
