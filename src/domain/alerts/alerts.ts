import type { Page, PageRequest } from '../common.js';
import type { DecisionSnapshot } from '../escalation/rules.js';
import type { EscalationPolicy } from '../escalation/policy.js';
import type { FactValue } from '../escalation/events.js';
import type { MessageChannel } from '../messaging/types.js';

/**
 * Why the care team should look: an emergency, a request for a person, a low wellbeing score (the 0-10 "how are
 * you feeling" check, not the post-op wound check-in), a worrying symptom check, a run of missed doses, a post-op
 * check-in answer or a patient who stopped answering post-op check-ins. The kinds are the escalation event types.
 */
export const ALERT_KINDS = ['emergency', 'handoff', 'wellbeing_low', 'triage', 'missed_doses', 'postop_checkin', 'postop_nonresponse'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_SEVERITIES = ['critical', 'high', 'normal'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/**
 * open: raised, nobody paged yet (or waiting for support hours). notified: paged at least once. acknowledged: a
 * person owns it. resolved: closed with an outcome. expired: a normal alert whose whole ladder went unanswered
 * (it stays in the queue under this status; critical and high ones stay `notified` and are flagged to admins).
 */
export const ALERT_STATUSES = ['open', 'notified', 'acknowledged', 'resolved', 'expired'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Statuses in which an alert still pages people and can be acknowledged. */
export const UNACKNOWLEDGED: readonly AlertStatus[] = ['open', 'notified', 'expired'];

/** The message an alert came from, when it came from one (missed doses and non-responders have none). */
export interface AlertSource {
  channel: MessageChannel;
  /** Where the patient can be reached back (a phone number, a chat conversation). */
  address: string;
  messageId: string;
}

/** Who did something to an alert: a staff member (SMS reply, signed link) or an API key. */
export type AlertActor = { kind: 'staff'; staffId: string; via: 'sms' | 'link' | 'console' } | { kind: 'api'; keyId: string };

/** One line of an alert's timeline. Ids, codes and counts only: no patient words, no phone numbers. */
export interface AlertEvent {
  at: Date;
  type: 'raised' | 'page' | 'waiting' | 'exhausted' | 'flagged_admins' | 'acknowledged' | 'assigned' | 'resolved' | 'reopened' | 'expired';
  /** page: the escalation step (0-based), its level and round. */
  step?: number;
  level?: number;
  round?: number;
  /** page: who, on which channel, and how it went (`delivered`, `sent`, `failed`, `skipped`); assigned: to whom. */
  staffId?: string;
  channel?: 'sms' | 'email' | 'webhook' | 'teams' | 'slack';
  outcome?: string;
  code?: string;
  attempts?: number;
  /** waiting: until when. */
  until?: Date;
  by?: AlertActor;
  note?: string;
}

/** Where an alert's escalation stands, as the escalation_step jobs read and move it. */
export interface AlertEscalation {
  /** Reopening starts a new round of paging under new job keys. */
  epoch: number;
  /** Pages sent so far (planStep's `step`). */
  step: number;
  nextCheckAt?: Date;
  exhausted?: boolean;
  /** Everyone paged, so an SMS "ACK <n>" can be checked against who was asked. */
  pagedStaffIds: string[];
}

/** Something a nurse must see, and who owns it. */
export interface Alert {
  id: string;
  kind: AlertKind;
  severity: AlertSeverity;
  status: AlertStatus;
  /** A short number for SMS ("ACK 4821"), unique among alerts not yet resolved; absent until allocated. */
  shortNumber?: number;
  patientId?: string;
  careTeamId?: string;
  source?: AlertSource;
  /** What was detected (e.g. `emergency:cardiac "crushing chest pain"`), never the whole message. */
  reason: string;
  /** The rules that decided, as they were when it was raised: a later rule change never alters it. */
  decision?: DecisionSnapshot;
  /** The paging policy it runs (the decision's, or the default), and the zone support hours are read in. */
  policy: EscalationPolicy;
  teamZone: string;
  escalation: AlertEscalation;
  timeline: AlertEvent[];
  acknowledgedBy?: AlertActor;
  acknowledgedAt?: Date;
  /** Who owns the follow-up, when someone handed it to a colleague (otherwise whoever acknowledged it). */
  assignedTo?: string;
  resolvedBy?: AlertActor;
  resolvedAt?: Date;
  resolution?: { outcome: ResolutionOutcome; note?: string };
  flaggedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export const RESOLUTION_OUTCOMES = ['patient_contacted', 'seen_in_clinic', 'sent_to_emergency', 'no_action_needed', 'false_alarm', 'other'] as const;
export type ResolutionOutcome = (typeof RESOLUTION_OUTCOMES)[number];

/** What a raiser says: the event and its facts; severity is the least it may get (rules can only raise it). */
export interface RaiseAlert {
  kind: AlertKind;
  /** The least severity: the raiser's own deterministic decision (the safety net said critical). */
  severity: AlertSeverity;
  /** Makes the raise idempotent: one alert per kind and key (the inbound message id, the missed-dose run key). */
  idempotencyKey: string;
  patientId?: string;
  careTeamId?: string;
  source?: AlertSource;
  reason: string;
  /** The event's facts for the escalation rules (events.ts lists them per kind). */
  facts?: Record<string, FactValue>;
}

export interface AlertFilter {
  status?: AlertStatus;
  /** Any of these statuses (the console's open queue). */
  statuses?: readonly AlertStatus[];
  careTeamId?: string;
  severity?: AlertSeverity;
  patientId?: string;
}

/** Changes to one alert: fields to set and timeline events to append, in one update. */
export interface AlertChange {
  set?: Partial<Pick<Alert, 'status' | 'severity' | 'careTeamId' | 'decision' | 'policy' | 'teamZone' | 'shortNumber' | 'acknowledgedBy' | 'acknowledgedAt' | 'assignedTo' | 'resolvedBy' | 'resolvedAt' | 'resolution' | 'flaggedAt' | 'escalation'>>;
  /** Clears these fields (a reopened alert loses its acknowledgement and resolution). */
  unset?: ('acknowledgedBy' | 'acknowledgedAt' | 'assignedTo' | 'resolvedBy' | 'resolvedAt' | 'resolution' | 'shortNumber' | 'flaggedAt')[];
  events?: AlertEvent[];
  /** Adds to escalation.pagedStaffIds. */
  paged?: string[];
  /**
   * Applies only while the alert has one of these statuses (so paging never turns an acknowledgement back into
   * `notified`). Not atomic on FerretDB: the acknowledgement itself is decided by `once`, and steps check it.
   */
  onlyIfStatus?: AlertStatus[];
}

export interface AlertRepository {
  /** Inserts under its id; false when an alert with this id exists (a replayed message). */
  insert(alert: Alert): Promise<boolean>;
  get(id: string): Promise<Alert | undefined>;
  /** Newest first, total over equal timestamps. */
  list(filter: AlertFilter, page: PageRequest): Promise<Page<Alert>>;
  /** Open alerts stored before escalation existed (no escalation state), oldest first. */
  unescalated(limit: number): Promise<Alert[]>;
  /** Applies a change by _id; the alert after it, or undefined when there is none. */
  change(id: string, change: AlertChange): Promise<Alert | undefined>;
  /**
   * Decides something once, by inserting `key` (unique): true for the first caller and again for the same
   * `holder`; false for anyone else. Acknowledgements, resolutions, reopenings, used link tokens, staff SMS.
   */
  once(key: string, holder: string): Promise<boolean>;
  /** The holder of a decision taken with `once`. */
  holderOf(key: string): Promise<string | undefined>;
  /** Reserves a short number for an alert; false when one not yet released holds it. */
  reserveShortNumber(shortNumber: number, alertId: string): Promise<boolean>;
  /** The alert holding a short number, if any. */
  shortNumberHolder(shortNumber: number): Promise<string | undefined>;
  releaseShortNumber(shortNumber: number, alertId: string): Promise<void>;
}

/** The id an alert gets: one per kind and idempotency key, so replays and retries never raise it twice. */
export const alertId = (kind: AlertKind, idempotencyKey: string) => `${kind}:${idempotencyKey}`;

/** Stored severities and kinds of earlier versions, read as today's. */
export const readSeverity = (stored: string): AlertSeverity => (stored === 'routine' ? 'normal' : (stored as AlertSeverity));
export const readKind = (stored: string): AlertKind => (stored === 'checkin_low' ? 'wellbeing_low' : (stored as AlertKind));
