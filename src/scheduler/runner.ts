import cron, { type ScheduledTask } from 'node-cron';
import type { Job, RunContext } from '../../schedules/job.js';
import type { JobRunLog } from '../domain/outreach/ports.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';

/** A job bound to its context: what the runner schedules. */
export interface RunnableJob {
  name: string;
  cron: string;
  run(context: Required<RunContext>): Promise<Record<string, number>>;
}

/** Binds a `schedules/` job to the services it needs. */
export function bindJob<Context>(job: Job<Context>, context: Context): RunnableJob {
  return { name: job.name, cron: job.cron, run: (base) => job.run({ ...context, ...base }) };
}

export type RunResult =
  | { status: 'ran'; counts: Record<string, number>; ms: number }
  | { status: 'failed'; ms: number }
  /** Another instance runs this slot, or this runner is stopping. */
  | { status: 'not_run'; reason: 'taken' | 'stopped' | 'run_log_unavailable' };

export interface JobRunnerOptions {
  runs: JobRunLog;
  clock: Clock;
  logger: Logger;
  /** This instance's name in the run log. */
  owner: string;
  /** A run longer than this is logged as a warning. */
  slowRunMs?: number;
}

/**
 * Runs `schedules/` jobs on their cron: node-cron only ticks; each slot runs on the one instance whose
 * insert of `<name>@<slot ISO>` into the run log succeeds. Every run is timed and logged once, with its counts.
 */
export class JobRunner {
  private readonly tasks: ScheduledTask[] = [];
  private readonly inFlight = new Set<Promise<RunResult>>();
  private readonly stopping = new AbortController();

  constructor(private readonly options: JobRunnerOptions) {}

  /** Starts the cron triggers (UTC, so a DST change neither skips nor repeats a slot). */
  start(jobs: RunnableJob[]): void {
    for (const job of jobs) {
      if (!cron.validate(job.cron)) throw new Error(`job ${job.name}: invalid cron expression "${job.cron}"`);
    }
    for (const job of jobs) {
      // noOverlap: a slot that comes while this instance still runs the last one is left to another instance.
      const task = cron.createTask(job.cron, (context) => this.runSlot(job, context.date), { name: job.name, timezone: 'UTC', noOverlap: true });
      void task.start();
      this.tasks.push(task);
    }
  }

  /** Runs one slot of a job if no other instance has it; what the cron trigger calls, and tests directly. */
  runSlot(job: RunnableJob, slot: Date): Promise<RunResult> {
    if (this.stopping.signal.aborted) return Promise.resolve({ status: 'not_run', reason: 'stopped' });
    const run = this.execute(job, slot);
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  /** Stops the triggers, tells running jobs to wrap up, and waits for them (before the database closes). */
  async stop(): Promise<void> {
    this.stopping.abort();
    for (const task of this.tasks.splice(0)) await task.destroy();
    await Promise.allSettled([...this.inFlight]);
  }

  private async execute(job: RunnableJob, slot: Date): Promise<RunResult> {
    const { runs, clock, logger, owner, slowRunMs = 30_000 } = this.options;
    const fields = { job: job.name, slot: slot.toISOString() };
    try {
      if (!(await runs.begin(`${job.name}@${fields.slot}`, owner, clock.now()))) return { status: 'not_run', reason: 'taken' };
    } catch (err) {
      logger.error({ err, ...fields }, 'job run skipped: cannot record it in the run log');
      return { status: 'not_run', reason: 'run_log_unavailable' };
    }
    const startedAt = clock.now().getTime();
    try {
      const counts = await job.run({ clock, signal: this.stopping.signal });
      const ms = clock.now().getTime() - startedAt;
      const idle = Object.values(counts).every((count) => count === 0);
      // One line per run: a warning when slow, and at debug level when there was nothing to do (every 10 s).
      if (ms > slowRunMs) logger.warn({ ...fields, ms, slowRunMs, counts }, 'slow job run');
      else logger[idle ? 'debug' : 'info']({ ...fields, ms, counts }, 'job run');
      return { status: 'ran', counts, ms };
    } catch (err) {
      const ms = clock.now().getTime() - startedAt;
      logger.error({ err, ...fields, ms }, 'job run failed');
      return { status: 'failed', ms };
    }
  }
}
