import mongoose from 'mongoose';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NewOutreachJob, OutreachJob, OutreachOutcome } from '../../src/domain/outreach/types.js';
import { createLogger } from '../../src/lib/logger.js';
import { Dispatcher, type DispatcherOptions, type OutreachHandler } from '../../src/scheduler/dispatcher.js';
import type { Database } from '../../src/store/database.js';
import { openTestDatabase } from '../helpers/db.js';

const T0 = new Date('2026-03-02T15:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const LEASE = 60_000;

/** A clock the tests set: the dispatcher, its lease checks and the models' timestamps all read it. */
const clock = { at: T0, now: () => clock.at, set: (ms: number) => void (clock.at = new Date(T0.getTime() + ms)) };
let db: Database;

beforeAll(async () => {
  ({ db } = await openTestDatabase({ clock }));
});
beforeEach(async () => {
  clock.set(0);
  await db.models.OutreachJob.deleteMany({});
  await db.models.OutreachClaim.deleteMany({});
  await db.models.OutreachHistory.deleteMany({});
});

function newJobs(count: number, dueAt: Date, prefix = 'med:plan1'): NewOutreachJob[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `${prefix}:${String(i).padStart(4, '0')}`, kind: 'medication_reminder', patientId: `patient-${i % 7}`, dueAt, payload: { planId: 'plan1', slot: i },
  }));
}

/** A handler that records every job handed to it and answers with `outcome` (default: sent). */
function recorder(outcome: (job: OutreachJob) => OutreachOutcome = () => ({ status: 'sent' })) {
  const handed: OutreachJob[] = [];
  const handler: OutreachHandler = async (job) => {
    handed.push(job);
    return outcome(job);
  };
  return { handed, handler, keys: () => handed.map((job) => job.key) };
}

function dispatcher(handler: OutreachHandler, options: Partial<DispatcherOptions> = {}): Dispatcher {
  return new Dispatcher({
    store: db.repositories.outreach, handlers: { medication_reminder: handler }, clock, logger: createLogger('silent'),
    batchSize: 100, leaseMs: LEASE, catchUpWindowMs: 2 * HOUR, ...options,
  });
}

const history = async () => (await db.models.OutreachHistory.find({}).sort({ _id: 1 }).lean()).map((doc) => ({ key: doc._id, status: doc.status, reason: doc.reason, attempts: doc.attempts }));
const liveCount = () => db.models.OutreachJob.countDocuments({});

describe('outreach dispatcher on the real database', () => {
  it('hands each job over exactly once, when it is due, and moves it to history', async () => {
    await db.repositories.outreach.schedule([...newJobs(30, new Date(T0.getTime() - MINUTE), 'med:early'), ...newJobs(20, new Date(T0.getTime() + 10 * MINUTE), 'med:later')]);
    const { handler, keys } = recorder();
    const dispatch = dispatcher(handler);

    expect(await dispatch.tick(clock.now())).toMatchObject({ due: 30, claimed: 30, contested: 0, sent: 30 });
    expect(await dispatch.tick(clock.now())).toMatchObject({ due: 0, sent: 0 });
    clock.set(10 * MINUTE);
    expect(await dispatch.tick(clock.now())).toMatchObject({ due: 20, sent: 20 });
    expect(await dispatch.tick(clock.now())).toMatchObject({ due: 0 });

    expect(keys()).toHaveLength(50);
    expect(new Set(keys()).size).toBe(50);
    expect(keys().slice(0, 30).every((key) => key.startsWith('med:early'))).toBe(true);
    expect(await liveCount()).toBe(0);
    const finished = await history();
    expect(finished).toHaveLength(50);
    expect(finished.every((job) => job.status === 'sent' && job.attempts === 1)).toBe(true);
  });

  it('keeps one job for a key scheduled twice', async () => {
    const [job] = newJobs(1, T0);
    expect(await db.repositories.outreach.schedule([job!])).toEqual({ scheduled: 1, alreadyScheduled: 0 });
    expect(await db.repositories.outreach.schedule([{ ...job!, dueAt: new Date(T0.getTime() - HOUR) }, ...newJobs(2, T0, 'med:other')])).toEqual({ scheduled: 2, alreadyScheduled: 1 });
    const { handler, handed } = recorder();
    await dispatcher(handler).tick(clock.now());
    expect(handed.filter((h) => h.key === job!.key)).toHaveLength(1);
    expect(handed.find((h) => h.key === job!.key)?.dueAt).toEqual(T0); // the first schedule stands
    expect(handed).toHaveLength(3);
  });

  it('expires jobs later than the catch-up window and counts them, never handing them over', async () => {
    await db.repositories.outreach.schedule([
      ...newJobs(3, new Date(T0.getTime() - 2 * HOUR - MINUTE), 'med:stale'),
      ...newJobs(2, new Date(T0.getTime() - 2 * HOUR + MINUTE), 'med:late'),
    ]);
    const { handler, keys } = recorder();
    expect(await dispatcher(handler).tick(clock.now())).toMatchObject({ due: 5, expired: 3, sent: 2 });
    expect(keys().every((key) => key.startsWith('med:late'))).toBe(true);
    const finished = await history();
    expect(finished.filter((job) => job.status === 'expired')).toEqual(
      ['med:stale:0000', 'med:stale:0001', 'med:stale:0002'].map((key) => ({ key, status: 'expired', reason: 'catch_up_window', attempts: 1 })),
    );
  });

  it('brings a deferred job back at its new time, as a new attempt', async () => {
    await db.repositories.outreach.schedule(newJobs(2, T0));
    const quietUntil = new Date(T0.getTime() + 8 * HOUR);
    const { handler, handed } = recorder((job) => (job.attempts === 0 ? { status: 'deferred', dueAt: quietUntil, reason: 'quiet_hours' } : { status: 'sent' }));
    const dispatch = dispatcher(handler);

    expect(await dispatch.tick(clock.now())).toMatchObject({ claimed: 2, deferred: 2 });
    const waiting = await db.models.OutreachJob.find({}).lean();
    expect(waiting.map((job) => [job.status, job.reason, job.dueAt.toISOString()])).toEqual(Array(2).fill(['deferred', 'quiet_hours', quietUntil.toISOString()]));
    clock.set(8 * HOUR - 1);
    expect(await dispatch.tick(clock.now())).toMatchObject({ due: 0 });
    clock.set(8 * HOUR);
    expect(await dispatch.tick(clock.now())).toMatchObject({ due: 2, claimed: 2, sent: 2 });
    expect(handed.map((job) => job.attempts)).toEqual([0, 0, 1, 1]);
    expect(await history()).toEqual(newJobs(2, T0).map(({ key }) => ({ key, status: 'sent', reason: undefined, attempts: 2 })));
  });

  it('takes over the jobs of an instance that died holding them, once, after the lease; meanwhile others take the next ones', async () => {
    await db.repositories.outreach.schedule(newJobs(6, T0));
    // Instance A claims a batch and dies while handing it over: its tick never completes.
    const dying = dispatcher(() => new Promise<never>(() => {}), { owner: 'instance-a', batchSize: 3 });
    void dying.tick(clock.now());
    await expect.poll(() => db.models.OutreachClaim.countDocuments({})).toBe(3);

    const { handler, keys } = recorder();
    const survivor = dispatcher(handler, { owner: 'instance-b', batchSize: 3 });
    clock.set(LEASE - 1);
    expect(await survivor.tick(clock.now())).toMatchObject({ due: 6, contested: 3, taken_over: 0, claimed: 3, sent: 3 });
    expect(await survivor.tick(clock.now())).toMatchObject({ due: 3, contested: 3, taken_over: 0, claimed: 0 });
    clock.set(LEASE);
    expect(await survivor.tick(clock.now())).toMatchObject({ due: 3, contested: 3, taken_over: 3, sent: 0 });
    expect(await survivor.tick(clock.now())).toMatchObject({ due: 3, claimed: 3, sent: 3 });
    clock.set(3 * LEASE);
    expect(await survivor.tick(clock.now())).toMatchObject({ due: 0 });
    const all = newJobs(6, T0).map((job) => job.key);
    expect(keys()).toEqual([...all.slice(3), ...all.slice(0, 3)]);
    const claims = await db.models.OutreachClaim.find({}).sort({ _id: 1 }).lean();
    expect(claims.map((claim) => [claim._id, claim.owner])).toEqual([
      ...all.slice(0, 3).flatMap((key) => [[`${key}#0`, 'instance-a'], [`${key}#1`, 'instance-b']]),
      ...all.slice(3).map((key) => [`${key}#0`, 'instance-b']),
    ]);
    expect((await history()).map((job) => job.attempts)).toEqual([2, 2, 2, 1, 1, 1]);
  });

  it('reopens a job whose claimer died between its claim and marking the job, after the lease', async () => {
    const [job] = newJobs(1, T0);
    await db.repositories.outreach.schedule([job!]);
    // The state such a crash leaves: a claim for attempt 0, the job itself untouched.
    await db.models.OutreachClaim.create({ _id: `${job!.key}#0`, owner: 'crashed', leaseUntil: new Date(T0.getTime() + LEASE) });
    const { handler, keys } = recorder();
    const survivor = dispatcher(handler);

    expect(await survivor.tick(clock.now())).toMatchObject({ due: 1, claimed: 0, contested: 1, taken_over: 0 });
    clock.set(LEASE - 1);
    expect(await survivor.tick(clock.now())).toMatchObject({ contested: 1, taken_over: 0 });
    clock.set(LEASE);
    expect(await survivor.tick(clock.now())).toMatchObject({ contested: 1, taken_over: 1, sent: 0 });
    expect(await survivor.tick(clock.now())).toMatchObject({ claimed: 1, sent: 1 });
    expect(await survivor.tick(clock.now())).toMatchObject({ due: 0 });
    expect(keys()).toEqual([job!.key]);
  });

  it('stops handing over when the lease runs short, and the rest is handed over after it', async () => {
    await db.repositories.outreach.schedule(newJobs(3, T0));
    // Each hand-over takes 30 s: after two, less than a quarter of the 60 s lease is left.
    const { handler, keys } = recorder(() => {
      clock.set(clock.now().getTime() - T0.getTime() + 30_000);
      return { status: 'sent' };
    });
    const dispatch = dispatcher(handler, { concurrency: 1 });
    expect(await dispatch.tick(clock.now())).toMatchObject({ claimed: 3, sent: 2, lease_ran_out: 1 });
    expect(await dispatch.tick(clock.now())).toMatchObject({ due: 1, claimed: 1, sent: 1 });
    expect(keys()).toEqual(newJobs(3, T0).map((job) => job.key));
    expect((await history()).map((job) => job.attempts)).toEqual([1, 1, 1]); // the third was given back, not attempted
  });

  it('retries a handler that throws, with backoff, then records the job as failed', async () => {
    await db.repositories.outreach.schedule(newJobs(1, T0));
    let calls = 0;
    const dispatch = dispatcher(async () => {
      calls += 1;
      throw new Error('provider unreachable');
    });
    expect(await dispatch.tick(clock.now())).toMatchObject({ retried: 1 });
    for (const at of [MINUTE, 6 * MINUTE]) {
      clock.set(at - 1);
      expect(await dispatch.tick(clock.now())).toMatchObject({ due: 0 });
      clock.set(at);
      expect(await dispatch.tick(clock.now())).toMatchObject({ retried: 1 });
    }
    clock.set(21 * MINUTE);
    expect(await dispatch.tick(clock.now())).toMatchObject({ failed: 1 });
    expect(calls).toBe(4);
    const [failed] = await db.models.OutreachHistory.find({}).lean();
    expect(failed).toMatchObject({ status: 'failed', reason: 'handler_error', lastError: 'provider unreachable', failures: 3, attempts: 4 });
  });

  it('hands a batch kind over in chunks its send rate sends within a quarter of the lease, each outcome to its job', async () => {
    await db.repositories.outreach.schedule(newJobs(25, T0));
    const batches: string[][] = [];
    const single = recorder();
    const dispatch = dispatcher(single.handler, {
      // 0.2 SMS per second over a 60 s lease: 3 jobs per batch.
      smsRatePerSecond: 0.2,
      batchHandlers: {
        medication_reminder: async (jobs) => {
          batches.push(jobs.map((job) => job.key));
          return jobs.map((job) => ((job.payload.slot as number) % 5 === 0 ? { status: 'skipped', reason: 'opted_out' } : { status: 'sent' }));
        },
      },
    });
    const counts = await dispatch.tick(clock.now());
    expect(counts).toMatchObject({ claimed: 25, sent: 20, skipped: 5 });
    expect(single.handed).toEqual([]);
    expect(batches.map((batch) => batch.length)).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 1]);
    expect(batches.flat()).toEqual(newJobs(25, T0).map((job) => job.key));
    expect((await history()).filter((job) => job.status === 'skipped').map((job) => job.key)).toEqual(['med:plan1:0000', 'med:plan1:0005', 'med:plan1:0010', 'med:plan1:0015', 'med:plan1:0020']);
  });

  it('sizes the next batch by the last one\'s pace, so a batch ends within the lease', async () => {
    await db.repositories.outreach.schedule(newJobs(30, T0));
    const batches: number[] = [];
    const dispatch = dispatcher(recorder().handler, {
      batchSize: 10,
      batchHandlers: {
        // 3 s per job: a quarter of the 60 s lease holds 5.
        medication_reminder: async (jobs) => {
          batches.push(jobs.length);
          clock.set(clock.now().getTime() - T0.getTime() + 3_000 * jobs.length);
          return jobs.map(() => ({ status: 'sent' }));
        },
      },
    });
    expect(await dispatch.tick(clock.now())).toMatchObject({ claimed: 10, sent: 10 });
    expect(await dispatch.tick(clock.now())).toMatchObject({ claimed: 10, sent: 10 });
    expect(batches).toEqual([10, 5, 5]);
  });

  it('retries every job of a batch whose handler throws or answers for the wrong number of jobs', async () => {
    await db.repositories.outreach.schedule(newJobs(4, T0));
    let calls = 0;
    const dispatch = dispatcher(recorder().handler, {
      batchHandlers: {
        medication_reminder: async (jobs) => {
          calls += 1;
          if (calls === 1) throw new Error('database unreachable');
          return calls === 2 ? [{ status: 'sent' }] : jobs.map(() => ({ status: 'sent' }));
        },
      },
    });
    expect(await dispatch.tick(clock.now())).toMatchObject({ claimed: 4, retried: 4 });
    clock.set(MINUTE);
    expect(await dispatch.tick(clock.now())).toMatchObject({ claimed: 4, retried: 4 });
    clock.set(6 * MINUTE);
    expect(await dispatch.tick(clock.now())).toMatchObject({ claimed: 4, sent: 4 });
    expect((await history()).map((job) => [job.status, job.attempts])).toEqual(Array(4).fill(['sent', 3]));
  });

  it('claims only the kinds it has a handler for', async () => {
    await db.repositories.outreach.schedule([...newJobs(2, T0), { key: 'postop:p1:day2', kind: 'postop_checkin', patientId: 'p1', dueAt: T0, payload: {} }]);
    const { handler, keys } = recorder();
    expect(await dispatcher(handler).tick(clock.now())).toMatchObject({ due: 2, sent: 2 });
    expect(keys()).toEqual(['med:plan1:0000', 'med:plan1:0001']);
    expect((await db.models.OutreachJob.find({}).lean()).map((job) => job._id)).toEqual(['postop:p1:day2']);
  });

  it('cancels live jobs and lists a patient’s upcoming ones', async () => {
    await db.repositories.outreach.schedule([...newJobs(7, new Date(T0.getTime() + HOUR)), ...newJobs(7, new Date(T0.getTime() + 3 * HOUR), 'med:next')]);
    const upcoming = await db.repositories.outreach.upcoming('patient-0', new Date(T0.getTime() + 4 * HOUR));
    expect(upcoming.map((job) => [job.key, job.status, job.createdAt])).toEqual([['med:plan1:0000', 'scheduled', T0], ['med:next:0000', 'scheduled', T0]]);
    expect(await db.repositories.outreach.cancel(['med:next:0000', 'med:next:0001', 'no-such-job'])).toBe(2);
    expect((await db.repositories.outreach.upcoming('patient-0', new Date(T0.getTime() + 4 * HOUR))).map((job) => job.key)).toEqual(['med:plan1:0000']);
  });
});

describe('queries per tick', () => {
  const commands: string[] = [];
  beforeAll(() => {
    mongoose.set('debug', (collection: string, method: string) => void commands.push(`${collection}.${method}`));
  });
  afterEach(() => void mongoose.set('debug', false));

  it('is the same for a batch of 5 jobs and a batch of 400, but for the deletes by _id, 25 to a command', async () => {
    const perTick: string[][] = [];
    for (const size of [5, 400]) {
      await db.repositories.outreach.schedule([
        ...newJobs(size, T0, `med:sent${size}`),
        ...newJobs(size, T0, `med:quiet${size}`),
        ...newJobs(size, new Date(T0.getTime() - 3 * HOUR), `med:stale${size}`),
      ]);
      const dispatch = dispatcher(async (job) => (job.key.startsWith('med:quiet') ? { status: 'deferred', dueAt: new Date(T0.getTime() + 8 * HOUR), reason: 'quiet_hours' } : { status: 'sent' }), { batchSize: 3 * size });
      commands.length = 0;
      expect(await dispatch.tick(clock.now())).toMatchObject({ claimed: 3 * size, sent: size, deferred: size, expired: size });
      perTick.push([...commands]);
      await db.models.OutreachJob.deleteMany({});
    }
    // The finished jobs (sent and expired) leave the live collection by _id: 2 of 5 is one command, 800 of 400 x 3 are 32.
    const deletes = (commands: string[]) => commands.filter((command) => command === 'outreachjobs.bulkWrite').length;
    expect([deletes(perTick[0]!), deletes(perTick[1]!)]).toEqual([1, 32]);
    const others = (commands: string[]) => commands.filter((command) => command !== 'outreachjobs.bulkWrite');
    expect(others(perTick[1]!)).toEqual(others(perTick[0]!));
    expect(perTick[0]).toEqual([
      'outreachjobs.find', // due
      'outreachclaims.insertMany', // claim
      'outreachhistory.insertMany', // finished: sent and expired
      'outreachjobs.bulkWrite', // and deleted by _id
      'outreachjobs.updateMany', // deferred (one per distinct new dueAt)
    ]);
  });
});
