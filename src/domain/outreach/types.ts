/** What a job does when it comes due; each kind has one handler, registered by whoever composes the scheduler. */
export const OUTREACH_KINDS = ['medication_reminder', 'dose_followup', 'postop_checkin', 'escalation_step', 'education_drip'] as const;
export type OutreachKind = (typeof OUTREACH_KINDS)[number];

/**
 * Kinds handed over however late they are found (after a downtime past the catch-up window). A reminder or a
 * check-in hours late is noise, so those expire; an escalation step is the next page about an alert nobody has
 * acknowledged, still needed after any downtime (the step gives the level its full time from when it runs).
 */
export const NEVER_EXPIRES: ReadonlySet<OutreachKind> = new Set(['escalation_step']);

/** Live jobs are `scheduled` or `deferred`; the others are final and the job has moved to history. */
export type OutreachStatus = 'scheduled' | 'deferred' | 'sent' | 'skipped' | 'failed' | 'expired';
export type FinalOutreachStatus = Exclude<OutreachStatus, 'scheduled' | 'deferred'>;

/** A job as its producer schedules it (a medication plan, a post-op protocol, the escalation engine). */
export interface NewOutreachJob {
  /**
   * The idempotency key, e.g. `med:<planId>:<doseSlotISO>`: one job per key, and the key the outbound gateway
   * sends under, so a job handed over twice (after a takeover) still reaches the patient once. Ids only, no
   * PHI: keys appear in logs.
   */
  key: string;
  kind: OutreachKind;
  patientId: string;
  /** When to hand it over (UTC). */
  dueAt: Date;
  /** Small JSON the handler needs (ids, not message text). */
  payload: Record<string, unknown>;
}

export interface OutreachJob extends NewOutreachJob {
  status: OutreachStatus;
  /**
   * Attempts made: on a live job, those before the current one (0 until a deferral or a takeover starts a new
   * one); in history, all of them.
   */
  attempts: number;
  /** Times its handler threw (retried with backoff, then failed). */
  failures: number;
  lastError?: string;
  /** Why it was deferred, skipped, failed or expired (e.g. `quiet_hours`, `opted_out`). */
  reason?: string;
  createdAt: Date;
  updatedAt: Date;
  /** When it left the live jobs; on finished jobs only. */
  finishedAt?: Date;
}

/** A handler's verdict on one job: final, or deferred to a later `dueAt` (quiet hours, a snooze, a retryable failure). */
export type OutreachOutcome =
  | { status: FinalOutreachStatus; reason?: string; lastError?: string }
  | { status: 'deferred'; dueAt: Date; reason?: string; lastError?: string; failed?: boolean };

/** An outcome for a job, to record. `failed: true` on a deferral counts a handler failure. */
export type OutreachResult = OutreachOutcome & { job: OutreachJob };
