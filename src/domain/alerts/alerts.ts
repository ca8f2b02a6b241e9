import type { Page, PageRequest } from '../common.js';
import type { MessageChannel } from '../messaging/types.js';

/**
 * Why the care team should look: an emergency, a request for a person, a worrying check-in or symptom check,
 * a run of missed medication doses, a red flag in a post-op check-in, post-op check-ins missed in a row.
 */
export type AlertKind = 'emergency' | 'handoff' | 'checkin_low' | 'triage' | 'missed_doses' | 'postop_red_flag' | 'postop_nonresponse';
export type AlertSeverity = 'critical' | 'high' | 'routine';

/** Something a nurse must see. Paging and escalation until acknowledged come with the escalation issue. */
export interface Alert {
  id: string;
  kind: AlertKind;
  severity: AlertSeverity;
  status: 'open' | 'acknowledged';
  patientId?: string;
  careTeamId?: string;
  channel: MessageChannel;
  /** Where the patient can be reached back (a phone number, a chat conversation). */
  address: string;
  /** The message that raised it. */
  messageId: string;
  /** What was detected (e.g. `emergency:cardiac "crushing chest pain"`), never the whole message. */
  reason: string;
  createdAt: Date;
  updatedAt: Date;
}

export type NewAlert = Omit<Alert, 'id' | 'status' | 'createdAt' | 'updatedAt'>;

export interface AlertRepository {
  /** Raises once per message and kind; false when it was already raised (a replayed message). */
  raise(alert: NewAlert): Promise<boolean>;
  list(filter: { status?: 'open' | 'acknowledged'; patientId?: string }, page: PageRequest): Promise<Page<Alert>>;
  acknowledge(id: string): Promise<Alert | undefined>;
}

/** The id an alert gets: one per kind and message, so replays and retries never raise it twice. */
export const alertId = (kind: AlertKind, messageId: string) => `${kind}:${messageId}`;
