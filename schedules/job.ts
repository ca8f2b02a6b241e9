import type { Clock } from '../src/lib/clock.js';

/**
 * A scheduled job in the shape of RapidPro's mailroom crons: one file per job, `run()` does one pass over
 * what is due and returns counts (`{ sent: 42, blocked: 3 }`). The runner that adds the cron trigger, the
 * lock, timing and slow-run warnings comes with the scheduled-outreach issue; until then jobs are called
 * directly (and by tests, on a seeded database with a fixed clock).
 */
export interface Job<Context> {
  name: string;
  /** node-cron expression, for the runner to come. */
  cron: string;
  run(context: Context & { clock: Clock }): Promise<Record<string, number>>;
}
