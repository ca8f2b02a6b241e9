import type { JobRunLog, OutreachStore } from '../domain/outreach/ports.js';
import type { Dispatcher } from './dispatcher.js';
import type { RunnableJob } from './runner.js';

/** A dispatch run keeps taking batches while they come full, for at most this long, then leaves the rest to the next slot. */
const DISPATCH_RUN_MS = 60_000;
/**
 * Claims are kept this long after their lease ends. A tick that read a job before its claim was pruned could win
 * the claim again, but it then finds its own lease (counted from its read) over and hands nothing over.
 */
const CLAIM_RETENTION_MS = 5 * 60_000;
const RUN_LOG_RETENTION_MS = 24 * 60 * 60_000;

/**
 * The outreach dispatcher as a scheduled job, every 10 seconds: a reminder goes out within about 10 s of its time,
 * and an idle slot costs one small query. Slots go to one instance each; several instances still work in
 * parallel, since a run that drains a backlog spans several slots and claims decide each job.
 */
export function dispatchJob(dispatcher: Dispatcher, batchSize: number): RunnableJob {
  return {
    name: 'outreach-dispatch',
    cron: '*/10 * * * * *',
    async run({ clock, signal }) {
      const totals: Record<string, number> = {};
      const startedAt = clock.now().getTime();
      for (;;) {
        const counts = await dispatcher.tick(clock.now());
        for (const [name, count] of Object.entries(counts)) totals[name] = (totals[name] ?? 0) + count;
        // A short batch means the backlog is done; nothing claimed means others hold what is due.
        if (counts.due < batchSize || counts.claimed === 0 || signal.aborted) break;
        if (clock.now().getTime() - startedAt >= DISPATCH_RUN_MS) break;
      }
      return totals;
    },
  };
}

/**
 * Every 5 minutes: deletes old claims, so the claims read when instances contend stays small, and old run-log
 * records (retention is ours: FerretDB has no TTL indexes).
 */
export function retentionJob(outreach: OutreachStore, runs: JobRunLog): RunnableJob {
  return {
    name: 'scheduler-retention',
    cron: '30 */5 * * * *',
    async run({ clock }) {
      const now = clock.now().getTime();
      return {
        claims_pruned: await outreach.pruneClaims(new Date(now - CLAIM_RETENTION_MS)),
        runs_pruned: await runs.prune(new Date(now - RUN_LOG_RETENTION_MS)),
      };
    },
  };
}
