import { beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../schedules/job.js';
import { createLogger } from '../../src/lib/logger.js';
import { systemClock } from '../../src/lib/clock.js';
import { bindJob, Scheduler, type RunnableJob } from '../../src/scheduler/index.js';
import { JobRunner } from '../../src/scheduler/runner.js';
import type { Database } from '../../src/store/database.js';
import { trusted } from '../../src/store/models.js';
import { openTestDatabase } from '../helpers/db.js';

const T0 = new Date('2026-03-02T15:00:00.000Z');
const clock = { at: T0, now: () => clock.at, advance: (ms: number) => void (clock.at = new Date(clock.at.getTime() + ms)) };
let db: Database;

beforeAll(async () => {
  ({ db } = await openTestDatabase({ clock }));
});

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  return { lines, logger: createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line)) }) };
}

let slotCounter = 0;
/** A slot no other test uses. */
const nextSlot = () => new Date(T0.getTime() + ++slotCounter * 60_000);

describe('job runner', () => {
  it('runs a slot once, and logs one line with its counts, a warning when slow, an error when it fails', async () => {
    const { lines, logger } = capturingLogger();
    const runner = new JobRunner({ runs: db.repositories.jobRuns, clock, logger, owner: 'runner-1', slowRunMs: 30_000 });
    let took = 0;
    const job: RunnableJob = {
      name: 'tips',
      cron: '*/15 * * * *',
      run: async ({ clock: given }) => {
        expect(given).toBe(clock);
        clock.advance(took);
        if (took < 0) throw new Error('tip library missing');
        return { sent: took > 0 ? 3 : 0, blocked: 0 };
      },
    };

    took = 1_000;
    const slot = nextSlot();
    expect(await runner.runSlot(job, slot)).toEqual({ status: 'ran', counts: { sent: 3, blocked: 0 }, ms: 1_000 });
    expect(await runner.runSlot(job, slot)).toEqual({ status: 'not_run', reason: 'taken' });
    took = 31_000;
    expect(await runner.runSlot(job, nextSlot())).toMatchObject({ status: 'ran', ms: 31_000 });
    took = 0;
    expect(await runner.runSlot(job, nextSlot())).toMatchObject({ status: 'ran', ms: 0 });
    took = -1;
    expect(await runner.runSlot(job, nextSlot())).toMatchObject({ status: 'failed' });

    const runLines = lines.filter((line) => line.job === 'tips').map(({ level, msg, slot: s, ms, counts }) => ({ level, msg, slot: s, ms, counts }));
    expect(runLines).toEqual([
      { level: 30, msg: 'job run', slot: slot.toISOString(), ms: 1_000, counts: { sent: 3, blocked: 0 } },
      { level: 40, msg: 'slow job run', slot: expect.any(String), ms: 31_000, counts: { sent: 3, blocked: 0 } },
      { level: 20, msg: 'job run', slot: expect.any(String), ms: 0, counts: { sent: 0, blocked: 0 } },
      { level: 50, msg: 'job run failed', slot: expect.any(String), ms: -1, counts: undefined },
    ]);
    await runner.stop();
  });

  it('stop() waits for a run in flight, tells it to stop, and starts no new one', async () => {
    const runner = new JobRunner({ runs: db.repositories.jobRuns, clock, logger: createLogger('silent'), owner: 'runner-1' });
    let release!: () => void;
    let seen: AbortSignal | undefined;
    const job: RunnableJob = {
      name: 'long',
      cron: '* * * * *',
      run: async ({ signal }) => {
        seen = signal;
        await new Promise<void>((resolve) => (release = resolve));
        return { done: 1 };
      },
    };
    const running = runner.runSlot(job, nextSlot());
    await expect.poll(() => seen).toBeDefined();

    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    expect(seen!.aborted).toBe(true);
    expect(await runner.runSlot(job, nextSlot())).toEqual({ status: 'not_run', reason: 'stopped' });

    release();
    await stopping;
    expect(stopped).toBe(true);
    expect(await running).toMatchObject({ status: 'ran', counts: { done: 1 } });
  });

  it('node-cron triggers the slots, and of two runners on one database each slot runs on one', async () => {
    const everySecond = { _id: trusted({ $regex: '^every-second@' }) };
    let runs = 0;
    const job: RunnableJob = { name: 'every-second', cron: '* * * * * *', run: async () => ({ ran: ++runs }) };
    const runners = ['runner-a', 'runner-b'].map((owner) => new JobRunner({ runs: db.repositories.jobRuns, clock: systemClock, logger: createLogger('silent'), owner }));
    for (const runner of runners) runner.start([job]);
    await expect.poll(() => db.models.JobRun.countDocuments(everySecond), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    for (const runner of runners) await runner.stop();

    const records = await db.models.JobRun.find(everySecond).lean();
    expect(runs).toBe(records.length);
    expect(records.every((record) => /@\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/.test(record._id))).toBe(true);
    const settled = records.length;
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // stopped: no slot runs after stop()
    expect(await db.models.JobRun.countDocuments(everySecond)).toBe(settled);
    await db.models.JobRun.deleteMany(everySecond); // their startedAt is today's, not the test clock's
  });

  it('refuses an invalid cron expression at start', () => {
    const runner = new JobRunner({ runs: db.repositories.jobRuns, clock, logger: createLogger('silent'), owner: 'runner-1' });
    expect(() => runner.start([{ name: 'bad', cron: '61 * * * *', run: async () => ({}) }])).toThrow('job bad: invalid cron expression "61 * * * *"');
  });
});

describe('scheduler', () => {
  it('runs the dispatcher as a job that drains full batches, beside bound schedules/ jobs and retention', async () => {
    await db.repositories.outreach.schedule(Array.from({ length: 250 }, (_, i) => ({ key: `med:p:${i}`, kind: 'medication_reminder' as const, patientId: 'p', dueAt: clock.now(), payload: {} })));
    const handed: string[] = [];
    const drip: Job<{ tips: string[] }> = { name: 'education-drip', cron: '*/15 * * * *', run: async ({ tips }) => ({ sent: tips.length }) };
    const scheduler = new Scheduler({
      outreach: db.repositories.outreach, runs: db.repositories.jobRuns, clock, logger: createLogger('silent'), owner: 'worker-1',
      config: { CATCHUP_WINDOW_MINUTES: 120, SCHEDULER_LEASE_SECONDS: 60, SCHEDULER_BATCH_SIZE: 100 },
      handlers: { medication_reminder: async (job) => (handed.push(job.key), { status: 'sent' }) },
      jobs: [bindJob(drip, { tips: ['a', 'b'] })],
    });
    expect(scheduler.jobs.map((job) => [job.name, job.cron])).toEqual([
      ['outreach-dispatch', '*/10 * * * * *'], ['scheduler-retention', '30 */5 * * * *'], ['education-drip', '*/15 * * * *'],
    ]);
    const [dispatch, retention, bound] = scheduler.jobs as [RunnableJob, RunnableJob, RunnableJob];

    expect(await scheduler.runner.runSlot(dispatch, nextSlot())).toMatchObject({ status: 'ran', counts: { due: 250, claimed: 250, sent: 250 } });
    expect(new Set(handed).size).toBe(250);
    expect(await scheduler.runner.runSlot(bound, nextSlot())).toMatchObject({ status: 'ran', counts: { sent: 2 } });

    const claims = await db.models.OutreachClaim.countDocuments({});
    const runRecords = await db.models.JobRun.countDocuments({});
    clock.advance(60_000 + 5 * 60_000 + 1); // the claims' lease and their retention are over
    expect(await scheduler.runner.runSlot(retention, nextSlot())).toMatchObject({ status: 'ran', counts: { claims_pruned: claims, runs_pruned: 0 } });
    clock.advance(24 * 3_600_000);
    expect(await scheduler.runner.runSlot(retention, new Date(clock.now().getTime() + 1))).toMatchObject({ counts: { claims_pruned: 0, runs_pruned: runRecords } }); // not the first retention run: it is exactly a day old
    await scheduler.stop();
  });
});
