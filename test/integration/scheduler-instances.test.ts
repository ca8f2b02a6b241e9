import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewOutreachJob } from '../../src/domain/outreach/types.js';
import { createLogger } from '../../src/lib/logger.js';
import { Dispatcher, type TickCounts } from '../../src/scheduler/dispatcher.js';
import { JobRunner, type RunnableJob } from '../../src/scheduler/runner.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { startFerretDb, type FerretDbHandle } from '../../src/store/ferretdb.js';
import { testConfig } from '../helpers/db.js';
import { tempDir } from '../helpers/process.js';

// Two CareLoop instances as deployed on one shared database: each with its own FerretDB process over the same
// PostgreSQL database (which runs on these machines), its own connection, its own dispatcher.
const POSTGRESQL_URL = process.env.CARELOOP_TEST_POSTGRESQL_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const T0 = new Date('2026-03-02T15:00:00.000Z');
const clock = { now: () => T0 };
const ferrets: FerretDbHandle[] = [];
const instances: Database[] = [];

beforeAll(async () => {
  const dbName = `sched_${randomBytes(4).toString('hex')}`;
  for (const name of ['a', 'b']) {
    const ferret = await startFerretDb({ backend: 'postgresql', dataDir: tempDir(`careloop-sched-${name}-`), postgresqlUrl: POSTGRESQL_URL });
    ferrets.push(ferret);
    // One after the other: FerretDB instances creating the same collections at once collide (see postgres-shared.test.ts).
    instances.push(await openDatabase(testConfig({ MONGODB_URI: ferret.uri, MONGODB_DB_NAME: dbName }), { clock }));
  }
});
afterAll(async () => {
  await instances[0]?.connection.dropDatabase().catch(() => undefined);
  for (const db of instances) await db.close();
  for (const ferret of ferrets) await ferret.stop();
});

describe('two scheduler instances on one PostgreSQL-backed database', () => {
  it('hand each of 2,000 due jobs over exactly once, working side by side', async () => {
    const [a, b] = instances as [Database, Database];
    const jobs: NewOutreachJob[] = Array.from({ length: 2_000 }, (_, i) => ({
      key: `med:plan${i % 40}:2026-03-02T${String(10 + (i % 5)).padStart(2, '0')}:00:${i}`, kind: 'medication_reminder', patientId: `p${i % 40}`,
      dueAt: new Date(T0.getTime() - (i % 60) * 60_000), payload: { n: i },
    }));
    expect(await a.repositories.outreach.schedule(jobs)).toEqual({ scheduled: 2_000, alreadyScheduled: 0 });
    expect(await b.repositories.outreach.schedule(jobs.slice(0, 500))).toEqual({ scheduled: 0, alreadyScheduled: 500 });

    const handed = new Map<string, string[]>();
    const dispatcher = (db: Database, owner: string) => new Dispatcher({
      store: db.repositories.outreach, clock, logger: createLogger('silent'), owner, batchSize: 100, leaseMs: 60_000, catchUpWindowMs: 2 * 3_600_000,
      handlers: {
        medication_reminder: async (job) => {
          handed.set(job.key, [...(handed.get(job.key) ?? []), owner]);
          await new Promise((resolve) => setImmediate(resolve)); // let the other instance's queries interleave
          return { status: 'sent' };
        },
      },
    });
    // Each instance ticks until it finds nothing due, both at once.
    const drain = async (instance: Dispatcher) => {
      const totals: TickCounts[] = [];
      for (let counts = await instance.tick(); counts.due > 0; counts = await instance.tick()) totals.push(counts);
      return totals;
    };
    const [ticksA, ticksB] = await Promise.all([drain(dispatcher(a, 'instance-a')), drain(dispatcher(b, 'instance-b'))]);

    const sum = (ticks: TickCounts[], name: keyof TickCounts) => ticks.reduce((total, counts) => total + counts[name], 0);
    expect(handed.size).toBe(2_000);
    expect([...handed.values()].filter((owners) => owners.length !== 1)).toEqual([]);
    expect(sum(ticksA, 'sent') + sum(ticksB, 'sent')).toBe(2_000);
    expect(sum(ticksA, 'sent')).toBeGreaterThan(0);
    expect(sum(ticksB, 'sent')).toBeGreaterThan(0);
    expect(await a.models.OutreachJob.countDocuments({})).toBe(0);
    expect(await b.models.OutreachHistory.countDocuments({ status: 'sent' })).toBe(2_000);
    console.log(`instance a: ${ticksA.length} ticks, ${sum(ticksA, 'sent')} sent, ${sum(ticksA, 'contested')} contested; instance b: ${ticksB.length} ticks, ${sum(ticksB, 'sent')} sent, ${sum(ticksB, 'contested')} contested`);
  });

  it('run each cron slot of a job once between two runners', async () => {
    const runs: string[] = [];
    const job: RunnableJob = {
      name: 'count-runs',
      cron: '* * * * *',
      run: async () => {
        runs.push('ran');
        return { ran: 1 };
      },
    };
    const runners = instances.map((db, i) => new JobRunner({ runs: db.repositories.jobRuns, clock, logger: createLogger('silent'), owner: `runner-${i}` }));
    const slots = Array.from({ length: 20 }, (_, i) => new Date(T0.getTime() + i * 60_000));
    const outcomes = await Promise.all(slots.flatMap((slot) => runners.map((runner) => runner.runSlot(job, slot))));

    expect(runs).toHaveLength(20);
    expect(outcomes.filter((outcome) => outcome.status === 'ran')).toHaveLength(20);
    expect(outcomes.filter((outcome) => outcome.status === 'not_run' && outcome.reason === 'taken')).toHaveLength(20);
    const records = await instances[1]!.models.JobRun.find({}).sort({ _id: 1 }).lean();
    expect(records.map((record) => record._id)).toEqual(slots.map((slot) => `count-runs@${slot.toISOString()}`));
    for (const runner of runners) await runner.stop();
  });
});
