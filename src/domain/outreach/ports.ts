import type { NewOutreachJob, OutreachJob, OutreachKind, OutreachResult } from './types.js';

/**
 * The durable store of outreach jobs. Designed for the database's cost model (ARCHITECTURE.md): every method
 * is a constant number of queries whatever the number of jobs, and exactly-once decisions are inserts under
 * unique ids (claims `<key>#<attempt>`), never conditional updates.
 */
export interface OutreachStore {
  /**
   * Inserts jobs under their keys; a key already live is left as it is (a job scheduled twice is one job).
   * Finished jobs are not remembered here: producers schedule only slots after now (a finished job was due at or
   * before its send), and the gateway's idempotency key stops a second send of a key that slips through.
   */
  schedule(jobs: NewOutreachJob[]): Promise<{ scheduled: number; alreadyScheduled: number }>;
  /** Live jobs due at `now`, earliest first, but for `excludeKeys` (jobs just found held by others). */
  due(now: Date, limit: number, kinds: readonly OutreachKind[], excludeKeys?: string[]): Promise<OutreachJob[]>;
  /**
   * Claims the jobs' current attempts for `owner` until `leaseUntil`, in one insert: `won` are this owner's to
   * hand over, `lost` are claimed by someone else (who holds them, or died holding them).
   */
  claim(jobs: OutreachJob[], owner: string, leaseUntil: Date): Promise<{ won: OutreachJob[]; lost: OutreachJob[] }>;
  /** Gives back claims on jobs this owner won but did not hand over, so they can be claimed at once. */
  release(jobs: OutreachJob[]): Promise<void>;
  /**
   * Of jobs whose claim was lost, opens a new attempt for those whose claim's lease ended before `now` (their
   * instance died or froze); returns how many. The next `due` offers them again, to be claimed anew.
   */
  reopenAbandoned(lost: OutreachJob[], now: Date): Promise<number>;
  /** Records outcomes: final ones move the jobs to history, deferred ones come back at their new `dueAt`. */
  complete(results: OutreachResult[], now: Date): Promise<void>;
  /** Removes live jobs (a plan changed or ended); returns how many. A job already handed over may still finish. */
  cancel(keys: string[]): Promise<number>;
  /** A patient's live jobs due before `until`, earliest first (for the schedule preview). */
  upcoming(patientId: string, until: Date): Promise<OutreachJob[]>;
  /** All patients' live jobs due in [from, until), counted per `dueAt` (one aggregation; the send-rate warning). */
  dueCounts(from: Date, until: Date): Promise<[Date, number][]>;
  /** Deletes claims whose lease ended before `before`; returns how many. */
  pruneClaims(before: Date): Promise<number>;
}

/**
 * Which instance runs each slot of a scheduled job: `begin` inserts `<name>@<slot ISO>` once; a duplicate means
 * another instance has that slot.
 */
export interface JobRunLog {
  begin(runId: string, owner: string, startedAt: Date): Promise<boolean>;
  /** Deletes records of runs started before `before`; returns how many. */
  prune(before: Date): Promise<number>;
}
