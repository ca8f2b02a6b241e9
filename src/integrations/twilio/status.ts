/**
 * Delivery status of one SMS, in our words, and the rule that keeps it moving forward only.
 *
 * Twilio sends status callbacks over separate HTTP requests that can arrive late, twice, or out of order
 * (a `sent` after its `delivered`). So the status we keep is never "the last callback we saw" but the
 * furthest one along the order below, which makes the result independent of arrival order and makes a
 * duplicate callback a no-op.
 */

/** Where a message stands with the provider. Outbound messages use all but `received`; inbound ones only `received`. */
export type SmsStatus =
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'undelivered'
  | 'failed'
  | 'received'
  | 'read'
  | 'canceled'
  | 'accepted'
  | 'scheduled';

/**
 * Every status from least to most advanced; a status's index is its rank.
 *
 * - In flight, in Twilio's own order: `accepted` (a Messaging Service took it) -> `scheduled` (waits for its
 *   send time) -> `queued` -> `sending` -> `sent` (handed to the carrier).
 * - Final states rank above every in-flight state, so a late `queued` or `sent` never reopens a finished message.
 * - Among final states, evidence that the patient got the message beats evidence that they did not:
 *   `canceled` < `failed` < `undelivered` < `delivered` < `read`. A carrier may report `undelivered` and later
 *   confirm delivery (a delayed receipt after a retry on its side); `failed` and `canceled` are Twilio's own
 *   verdicts before any carrier was involved, so a later `delivered` for them can only be a reordered callback
 *   of a state Twilio reached afterwards. Either way the most favourable final evidence wins, and `read`
 *   (RCS/WhatsApp read receipts) implies `delivered`.
 * - `received` belongs to inbound messages only and is final for them; it never meets the outbound states.
 *
 * A strict total order (no ties) is what makes the final status the same whatever order callbacks arrive in.
 */
const STATUS_ORDER = [
  'accepted',
  'scheduled',
  'queued',
  'sending',
  'sent',
  'canceled',
  'failed',
  'undelivered',
  'delivered',
  'read',
  'received',
] as const satisfies readonly SmsStatus[];

const FINAL_STATUSES: ReadonlySet<SmsStatus> = new Set(['canceled', 'failed', 'undelivered', 'delivered', 'read', 'received']);

/** Twilio status values that are spelled differently from ours. Everything else maps to itself or to nothing. */
const TWILIO_ALIASES: Readonly<Record<string, SmsStatus>> = {
  // An inbound MMS whose media Twilio is still fetching; we only ever see inbound messages once they are complete.
  receiving: 'received',
};

const KNOWN: ReadonlySet<string> = new Set(STATUS_ORDER);

/**
 * Maps a status string from Twilio (a REST response's `status` or a callback's `MessageStatus`) to ours.
 *
 * @returns the status, or `undefined` for a value we do not track (e.g. `partially_delivered`), so the caller
 *   decides whether that is an error.
 */
export function toSmsStatus(twilioStatus: string): SmsStatus | undefined {
  if (KNOWN.has(twilioStatus)) return twilioStatus as SmsStatus;
  return Object.hasOwn(TWILIO_ALIASES, twilioStatus) ? TWILIO_ALIASES[twilioStatus] : undefined;
}

/**
 * A number that only grows as a message moves along its life; see {@link STATUS_ORDER} for the rule.
 * Stores can persist it next to the status and update with `rank < newRank` to apply a callback atomically.
 */
export function statusRank(status: SmsStatus): number {
  return STATUS_ORDER.indexOf(status);
}

/** Whether no later callback can change this status (for the message's direction). */
export function isFinalStatus(status: SmsStatus): boolean {
  return FINAL_STATUSES.has(status);
}

/**
 * The status to keep after a callback reports `reported` for a message now at `current`: the more advanced
 * of the two. Late and duplicate callbacks therefore leave the status unchanged.
 */
export function mergeStatus(current: SmsStatus | undefined, reported: SmsStatus): SmsStatus {
  if (current === undefined) return reported;
  return statusRank(reported) > statusRank(current) ? reported : current;
}

/** Twilio error 21610: the patient replied STOP at the carrier, and Twilio refuses to text them until START. */
const OPTED_OUT_ERROR_CODE = 21610;

/** Whether a Twilio error code means the recipient has opted out at the carrier (STOP). */
export function isOptedOutErrorCode(code: number | undefined): boolean {
  return code === OPTED_OUT_ERROR_CODE;
}
