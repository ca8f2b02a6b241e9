import type { Clock } from '../src/lib/clock.js';

/** What the runner gives every run besides the job's own context. */
export interface RunContext {
  clock: Clock;
  /** Aborted when the scheduler stops: a job that loops checks it between rounds. Absent when called directly. */
  signal?: AbortSignal;
}

/**
 * A scheduled job in the shape of RapidPro's mailroom crons: one file per job, `run()` does one pass over
 * what is due and returns counts (`{ sent: 42, blocked: 3 }`). The runner (src/scheduler/runner.ts) adds the
 * cron trigger, the one-instance-per-slot coordination, timing, the log line and the slow-run warning; tests
 * call `run()` directly on a seeded database with a fixed clock.
 */
export interface Job<Context> {
  name: string;
  /** node-cron expression (an optional seconds field first), read in UTC. */
  cron: string;
  run(context: Context & RunContext): Promise<Record<string, number>>;
}
