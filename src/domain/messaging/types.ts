import type { Purpose } from '../consent/consent.js';

/** Where a message travels. `botframework` covers Teams and other Azure Bot Service channels. */
export type MessageChannel = 'sms' | 'webchat' | 'botframework';

/**
 * Delivery status, one vocabulary for every channel. `simulated`: no SMS provider configured, recorded only.
 * `blocked`: the gateway refused to send (opted out, no consent, quiet hours) and says why in `blockedReason`.
 */
export type MessageStatus =
  | 'received'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'read'
  | 'undelivered'
  | 'failed'
  | 'simulated'
  | 'blocked';

/**
 * `reply_cap`: the number reached its replies for the minute (SMS_REPLIES_PER_MINUTE); see reply-cap.ts.
 * `page_cap`: a staff number reached its pages for the minute (a loop of alerts must not flood a nurse's phone).
 */
export type BlockedReason = 'opted_out' | 'no_consent' | 'quiet_hours' | 'inactive_patient' | 'reply_cap' | 'page_cap';

/** A media attachment (an MMS photo), kept as a reference: the bytes stay with the provider. */
export interface MediaRef {
  url: string;
  contentType: string;
}

/** One message, either direction, as the conversation log keeps it. */
export interface Message {
  /** Inbound: `<channel>:<provider id>`; outbound: the sender's idempotency key. */
  id: string;
  direction: 'inbound' | 'outbound';
  channel: MessageChannel;
  /** Phone number (sms) or conversation id (webchat, botframework). */
  address: string;
  patientId?: string;
  text: string;
  media: MediaRef[];
  status: MessageStatus;
  /** Position of `status` in the delivery order, so callbacks only move it forward. */
  statusRank: number;
  providerId?: string;
  errorCode?: string;
  blockedReason?: BlockedReason;
  /** `reply_cap_notice`: the gateway sent the reply cap's notice in place of this reply. */
  kind?: OutboundKind | 'reply_cap_notice';
  purpose?: Purpose;
  /** Inbound: when its bot turn completed. Absent while the turn is pending (see bot/runtime.ts). */
  answeredAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * `reply`: answers a message the patient just sent (consent implied by writing, still never after STOP).
 * `urgent`: a reply that tells the patient what to do in an emergency or a crisis: never held back by the reply
 * cap (still never sent after STOP).
 * `flow_step`: a reply that is the next step of a flow CareLoop started (a post-op check-in's next question or
 * its closing words): not held back by the reply cap, or the flow would wait for an answer to a question the
 * patient never got; the protocol's length bounds how many there are.
 * `proactive`: CareLoop starts it (reminders, check-ins): needs consent for the purpose and respects quiet hours.
 * `opt_out_confirmation`: the single message allowed after STOP.
 * `staff_page`: an alert page to a staff member (never to a patient): no patient consent or quiet hours apply,
 * it carries no patientId and no PHI, and its own per-number cap applies (still never sent after STOP).
 */
export type OutboundKind = 'reply' | 'urgent' | 'flow_step' | 'proactive' | 'opt_out_confirmation' | 'staff_page';

/** What a provider answers when asked to deliver. */
export interface DeliveryResult {
  providerId?: string;
  status: MessageStatus;
}

/**
 * A provider did not take the message. `code`: the provider's error code, or `http_<status>` / `unreachable`
 * when it gave none. `optedOut`: the carrier says the patient sent STOP (Twilio 21610). `retryable`: trying again
 * later may work (rate limited, provider error, no answer). `outcomeUnknown`: no answer came, so the provider may
 * have accepted it all the same (a timeout): ask it before sending again.
 */
export class DeliveryError extends Error {
  readonly code: string | undefined;
  readonly optedOut: boolean;
  readonly retryable: boolean;
  readonly outcomeUnknown: boolean;

  constructor(message: string, details: { code?: string; optedOut?: boolean; retryable?: boolean; outcomeUnknown?: boolean }, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DeliveryError';
    this.code = details.code;
    this.optedOut = details.optedOut ?? false;
    this.retryable = details.retryable ?? false;
    this.outcomeUnknown = details.outcomeUnknown ?? false;
  }
}
