import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { overCapacityMinutes } from '../domain/outreach/capacity.js';
import type { OutreachStore } from '../domain/outreach/ports.js';
import { NEVER_EXPIRES, OUTREACH_KINDS, type OutreachJob, type OutreachKind, type OutreachOutcome, type OutreachResult } from '../domain/outreach/types.js';
import type { Clock } from '../lib/clock.js';
import { forEachLimited } from '../lib/concurrency.js';
import type { Logger } from '../lib/logger.js';

/** What a handler gets besides its job: the tick's time and when this instance's hold on the job ends. */
export interface HandlerContext {
  now: Date;
  leaseUntil: Date;
}

/**
 * Hands one job over (usually to the outbound gateway, with the job's key as idempotency key, so a job handed
 * over again after a takeover reaches the patient once) and says what became of it. A throw is retried.
 */
export type OutreachHandler = (job: OutreachJob, context: HandlerContext) => Promise<OutreachOutcome>;
export type OutreachHandlers = Partial<Record<OutreachKind, OutreachHandler>>;
/**
 * Hands over a batch of jobs of one kind at once (a constant number of queries for the batch rather than some
 * per job) and says what became of each, in order. A throw is retried for every job of the batch.
 */
export type OutreachBatchHandler = (jobs: OutreachJob[], context: HandlerContext) => Promise<OutreachOutcome[]>;

export interface DispatcherOptions {
  store: OutreachStore;
  /** One per kind this instance handles; jobs of other kinds are left for an instance that has a handler. */
  handlers: OutreachHandlers;
  /** Kinds handed over a batch at a time (they need a single-job handler too, for other callers). */
  batchHandlers?: Partial<Record<OutreachKind, OutreachBatchHandler>>;
  clock: Clock;
  logger: Logger;
  /** Jobs claimed per tick (SCHEDULER_BATCH_SIZE). */
  batchSize: number;
  /** How long a claim holds (SCHEDULER_LEASE_SECONDS); longer than a batch takes to hand over. */
  leaseMs: number;
  /** Jobs later than this are expired, not handed over (CATCHUP_WINDOW_MINUTES), except kinds that never expire. */
  catchUpWindowMs: number;
  /** Handlers running at once. */
  concurrency?: number;
  /**
   * SMS_SEND_RATE_PER_SECOND (every outreach job is sent by SMS): a tick warns when more jobs are due in one
   * minute than the rate sends within the catch-up window, and hands over no more at once than the rate starts in
   * the lease's last quarter, so a send waiting for its turn never outlives the lease.
   */
  smsRatePerSecond?: number;
  /** This instance's name in claims; unique per process. */
  owner?: string;
}

const COUNT_NAMES = ['due', 'claimed', 'contested', 'taken_over', 'sent', 'skipped', 'failed', 'deferred', 'expired', 'retried', 'lease_ran_out'] as const;
export type TickCounts = Record<(typeof COUNT_NAMES)[number], number>;

/** A handler that throws is tried again after these delays (from the tick that ran it), then the job fails. */
const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000];

/**
 * Hands due outreach jobs to their handlers, exactly once across any number of instances: a job goes to the
 * instance whose claim insert won its current attempt. One tick is a fixed number of queries whatever the batch
 * size (see the store), and every outcome is recorded in one round at the end.
 */
export class Dispatcher {
  readonly owner: string;
  /** What hands over each kind (also for a benchmark's baseline that runs the same work under another scheduler). */
  readonly handlers: OutreachHandlers;
  private readonly kinds: OutreachKind[];
  /** How long the last batch hand-over took per job (0 before the first): sizes the next batch. */
  private batchMsPerJob = 0;

  constructor(private readonly options: DispatcherOptions) {
    this.owner = options.owner ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.handlers = options.handlers;
    this.kinds = OUTREACH_KINDS.filter((kind) => options.handlers[kind] !== undefined);
  }

  /** One batch: take the due jobs, claim them, expire the late ones, hand over the rest, record the outcomes. */
  async tick(now: Date = this.options.clock.now()): Promise<TickCounts> {
    const { store, clock, batchSize, leaseMs, catchUpWindowMs, logger } = this.options;
    const counts = Object.fromEntries(COUNT_NAMES.map((name) => [name, 0])) as TickCounts;
    if (this.kinds.length === 0) return counts;
    const due = await store.due(now, batchSize, this.kinds);
    counts.due = due.length;
    if (due.length === 0) return counts;
    this.warnOverCapacity(due);

    const leaseUntil = new Date(now.getTime() + leaseMs);
    const won = await this.claim(due, now, leaseUntil, counts);

    const isLate = (job: OutreachJob) => !NEVER_EXPIRES.has(job.kind) && now.getTime() - job.dueAt.getTime() > catchUpWindowMs;
    const results: OutreachResult[] = won.filter(isLate).map((job) => ({ job, status: 'expired', reason: 'catch_up_window' }));
    // No new hand-over in the lease's last quarter (nor at all after a freeze between reading and claiming):
    // what was handed over must be recorded before another instance may take the jobs over.
    const handOverUntil = leaseUntil.getTime() - leaseMs / 4;
    const notHandedOver: OutreachJob[] = [];
    const live = won.filter((job) => !isLate(job));
    const batched = (job: OutreachJob) => this.options.batchHandlers?.[job.kind] !== undefined;
    await forEachLimited(live.filter((job) => !batched(job)), this.concurrency(), async (job) => {
      if (clock.now().getTime() >= handOverUntil) notHandedOver.push(job);
      else results.push(await this.handOver(job, now, leaseUntil));
    });
    for (const kind of this.kinds) {
      const jobs = live.filter((job) => job.kind === kind && batched(job));
      for (let start = 0; start < jobs.length; ) {
        const chunk = jobs.slice(start, start + this.batchChunk());
        start += chunk.length;
        if (clock.now().getTime() >= handOverUntil) notHandedOver.push(...chunk);
        else results.push(...(await this.handOverBatch(kind, chunk, now, leaseUntil)));
      }
    }
    await store.complete(results, clock.now());
    await store.release(notHandedOver);
    counts.lease_ran_out = notHandedOver.length;

    for (const result of results) counts[result.status === 'deferred' && result.failed ? 'retried' : result.status] += 1;
    if (counts.expired > 0) logger.warn({ expired: counts.expired, catchUpWindowMs }, 'outreach jobs expired: found later than the catch-up window');
    if (counts.lease_ran_out > 0) logger.warn({ left: counts.lease_ran_out, leaseMs }, 'lease ran short before the batch was handed over: the rest was given back for the next tick');
    return counts;
  }

  /**
   * Handlers at once. With a send rate, a handed-over send may wait behind the others in flight (concurrency / rate
   * seconds); keeping that within the lease's last quarter, where no new hand-over starts, ends every wait in time.
   */
  private concurrency(): number {
    const { concurrency = 10, smsRatePerSecond, leaseMs } = this.options;
    if (smsRatePerSecond === undefined) return concurrency;
    return Math.max(1, Math.min(concurrency, Math.floor((smsRatePerSecond * leaseMs) / 4 / 1000)));
  }

  /**
   * Jobs per batch hand-over: no more than the send rate sends in a quarter of the lease, nor than the last batch's
   * pace hands over in that time, so a batch started before the lease's last quarter ends within the lease.
   */
  private batchChunk(): number {
    const { smsRatePerSecond, leaseMs, batchSize } = this.options;
    const byRate = smsRatePerSecond === undefined ? batchSize : Math.floor((smsRatePerSecond * leaseMs) / 4 / 1000);
    const byPace = this.batchMsPerJob > 0 ? Math.floor(leaseMs / 4 / this.batchMsPerJob) : batchSize;
    return Math.max(1, Math.min(batchSize, byRate, byPace));
  }

  /** One warning per tick (figures only) when the rate cannot send some minute's due jobs within the catch-up window. */
  private warnOverCapacity(due: OutreachJob[]): void {
    const { smsRatePerSecond, catchUpWindowMs, logger } = this.options;
    if (smsRatePerSecond === undefined) return;
    const over = overCapacityMinutes(due.map((job) => [job.dueAt, 1]), { ratePerSecond: smsRatePerSecond, catchUpWindowMs });
    if (over.length === 0) return;
    const busiest = over.reduce((most, minute) => (minute.due > most.due ? minute : most));
    logger.warn(
      { minute: busiest.minute.toISOString(), due: busiest.due, canSend: busiest.capacity, minutesOver: over.length, smsRatePerSecond, catchUpWindowMs },
      'more SMS jobs are due in one minute than the send rate can send within the catch-up window: the rest will expire',
    );
  }

  /** Claims the due jobs; if others hold some, reopens the abandoned ones and claims the next jobs instead. */
  private async claim(due: OutreachJob[], now: Date, leaseUntil: Date, counts: TickCounts): Promise<OutreachJob[]> {
    const { store, batchSize } = this.options;
    const { won, lost } = await store.claim(due, this.owner, leaseUntil);
    if (lost.length > 0) {
      counts.taken_over = await store.reopenAbandoned(lost, now);
      // Another instance holds the head of the queue: claim the jobs after what this tick has seen instead.
      if (due.length === batchSize) {
        const next = await store.due(now, batchSize - won.length, this.kinds, due.map((job) => job.key));
        const second = await store.claim(next, this.owner, leaseUntil);
        counts.due += next.length;
        won.push(...second.won);
        lost.push(...second.lost);
      }
    }
    counts.claimed = won.length;
    counts.contested = lost.length;
    return won;
  }

  private async handOver(job: OutreachJob, now: Date, leaseUntil: Date): Promise<OutreachResult> {
    try {
      return checked(job, await this.options.handlers[job.kind]!(job, { now, leaseUntil }), now);
    } catch (err) {
      this.options.logger.warn({ err, job: job.key, kind: job.kind, failures: job.failures + 1 }, 'outreach handler failed');
      return retryResult(job, err, now);
    }
  }

  private async handOverBatch(kind: OutreachKind, jobs: OutreachJob[], now: Date, leaseUntil: Date): Promise<OutreachResult[]> {
    try {
      const started = this.options.clock.now().getTime();
      const outcomes = await this.options.batchHandlers![kind]!(jobs, { now, leaseUntil });
      this.batchMsPerJob = (this.options.clock.now().getTime() - started) / jobs.length;
      if (outcomes.length !== jobs.length) throw new Error(`a ${kind} batch handler gave ${outcomes.length} outcomes for ${jobs.length} jobs`);
      return jobs.map((job, index) => checked(job, outcomes[index]!, now));
    } catch (err) {
      this.options.logger.warn({ err, kind, jobs: jobs.length }, 'outreach batch handler failed');
      return jobs.map((job) => retryResult(job, err, now));
    }
  }
}

function checked(job: OutreachJob, outcome: OutreachOutcome, now: Date): OutreachResult {
  if (outcome.status === 'deferred' && !(outcome.dueAt.getTime() > now.getTime())) throw new Error(`a ${job.kind} handler deferred a job without a later dueAt`);
  return { ...outcome, job };
}

/** A job whose handler threw: tried again after the next delay, or failed after the last. */
function retryResult(job: OutreachJob, err: unknown, now: Date): OutreachResult {
  const delay = RETRY_DELAYS_MS[job.failures];
  if (delay === undefined) return { job, status: 'failed', reason: 'handler_error', lastError: String((err as Error)?.message ?? err).slice(0, 500) };
  return { job, status: 'deferred', dueAt: new Date(now.getTime() + delay), reason: 'handler_error', failed: true };
}
