import type { Config } from '../config/index.js';
import type { JobRunLog, OutreachStore } from '../domain/outreach/ports.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { Dispatcher, type DispatcherOptions, type OutreachHandlers } from './dispatcher.js';
import { dispatchJob, retentionJob } from './jobs.js';
import { JobRunner, type RunnableJob } from './runner.js';

export { bindJob, type RunnableJob } from './runner.js';
export type { HandlerContext, OutreachHandler, OutreachHandlers, TickCounts } from './dispatcher.js';

export interface SchedulerOptions {
  outreach: OutreachStore;
  runs: JobRunLog;
  /** One handler per outreach kind this process hands over. */
  handlers: OutreachHandlers;
  /** Kinds handed over a batch at a time (see Dispatcher). */
  batchHandlers?: DispatcherOptions['batchHandlers'];
  /** Other `schedules/` jobs, bound to their context: `bindJob(educationDrip, { ... })`. */
  jobs?: RunnableJob[];
  clock: Clock;
  logger: Logger;
  config: Pick<Config, 'CATCHUP_WINDOW_MINUTES' | 'SCHEDULER_LEASE_SECONDS' | 'SCHEDULER_BATCH_SIZE'> & Partial<Pick<Config, 'SMS_SEND_RATE_PER_SECOND'>>;
  /** This instance's name in claims and the run log (default: host, pid and a random suffix). */
  owner?: string;
}

/**
 * Everything scheduled in one process: the outreach dispatcher, claim and run-log retention, and the
 * `schedules/` jobs, all under one runner. `start()` after the database opens; `stop()` before it closes.
 */
export class Scheduler {
  readonly dispatcher: Dispatcher;
  readonly runner: JobRunner;
  readonly jobs: RunnableJob[];
  private started = false;
  private stopped = false;
  private nudging: Promise<void> | undefined;
  private nudgeAgain = false;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(options: SchedulerOptions) {
    const { config, clock, logger } = options;
    this.clock = clock;
    this.logger = logger;
    this.dispatcher = new Dispatcher({
      store: options.outreach,
      handlers: options.handlers,
      batchHandlers: options.batchHandlers,
      clock,
      logger,
      owner: options.owner,
      batchSize: config.SCHEDULER_BATCH_SIZE,
      leaseMs: config.SCHEDULER_LEASE_SECONDS * 1000,
      catchUpWindowMs: config.CATCHUP_WINDOW_MINUTES * 60_000,
      smsRatePerSecond: config.SMS_SEND_RATE_PER_SECOND,
    });
    this.runner = new JobRunner({ runs: options.runs, clock, logger, owner: this.dispatcher.owner });
    this.jobs = [dispatchJob(this.dispatcher, config.SCHEDULER_BATCH_SIZE), retentionJob(options.outreach, options.runs), ...(options.jobs ?? [])];
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.runner.start(this.jobs);
  }

  /**
   * Hands over what is due now, without waiting for the next 10-second slot: an alert that must page at once.
   * Safe beside the slot's own run (claims decide each job); nothing happens unless the schedules run in this
   * process (an API-only instance leaves it to the worker's next slot).
   */
  nudge(): void {
    if (!this.started || this.stopped) return;
    if (this.nudging) {
      this.nudgeAgain = true;
      return;
    }
    this.nudging = (async () => {
      do {
        this.nudgeAgain = false;
        await this.dispatcher.tick(this.clock.now());
      } while (this.nudgeAgain && !this.stopped);
    })()
      .catch((err: unknown) => this.logger.error({ err }, 'an immediate dispatch failed: the next slot hands over what is due'))
      .finally(() => {
        this.nudging = undefined;
      });
  }

  /** Resolves once an immediate dispatch in flight (see nudge) has finished. */
  async settled(): Promise<void> {
    while (this.nudging) await this.nudging;
  }

  /** Stops the triggers and waits for runs in flight (a dispatch run stops after its current batch). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.runner.stop();
    await this.settled();
  }
}
