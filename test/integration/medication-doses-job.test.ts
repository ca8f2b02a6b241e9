import { beforeAll, describe, expect, it, vi } from 'vitest';
import { medicationDoses } from '../../schedules/medication-doses.js';
import { buildContainer, type Container } from '../../src/app/container.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { seedDueReminders } from '../helpers/bulk-reminders.js';
import { openTestDatabase } from '../helpers/db.js';

/**
 * The materialiser job (`schedules/medication-doses.ts`) over many plans, in rounds of 1,000: a process that is
 * stopping (SIGTERM) stops between rounds, so it exits within its shutdown timeout, and the next run records what
 * the stopped one left. 2,500 patients with one daily plan each, their dose due a minute from now.
 */
const PLANS = 2_500;
const dueAt = new Date('2026-03-10T15:00:00Z');
const clock = fixedClock(new Date(dueAt.getTime() - 60_000));
let container: Container;

beforeAll(async () => {
  const { db, config } = await openTestDatabase({ clock });
  container = buildContainer({ config, logger: createLogger('silent'), db, clock });
  await seedDueReminders(container, { count: PLANS, timeZone: 'America/New_York', dueAt, phonePrefix: '+1555400' });
}, 180_000);

type Counts = Record<'plans' | 'doses_recorded' | 'reminders_scheduled' | 'already_scheduled', number>;
const run = async (signal?: AbortSignal) =>
  (await medicationDoses.run({ medication: container.medication, doseOutreach: container.doseOutreach, clock, ...(signal ? { signal } : {}) })) as Counts;
const count = (collection: string) => container.db.connection.db!.collection(collection).countDocuments();

describe('the medication-doses job over many plans', () => {
  it('stops between rounds of 1,000 plans when its process stops, and the next run records the rest, once', async () => {
    const doses = container.db.repositories.doses;
    const createMissing = doses.createMissing.bind(doses);
    const stopping = new AbortController();
    const rounds = vi.spyOn(doses, 'createMissing').mockImplementation(async (...args) => {
      const created = await createMissing(...args);
      stopping.abort(); // SIGTERM arrives during the first round
      return created;
    });
    // Seeded: every plan's dose at dueAt, and the first plan's next one (made through the service). Within the 48 h
    // horizon each plan has one more: tomorrow's.
    const before = { doses: await count('doses'), jobs: await count('outreachjobs') };
    expect(before.doses).toBe(PLANS + 1);

    const stopped = await run(stopping.signal);
    expect(rounds).toHaveBeenCalledTimes(1);
    rounds.mockRestore();
    expect(stopped.plans).toBe(PLANS);
    expect(stopped.doses_recorded).toBeGreaterThanOrEqual(999);
    expect(stopped.doses_recorded).toBeLessThanOrEqual(1_000);
    expect(await count('doses')).toBe(before.doses + stopped.doses_recorded);

    const next = await run();
    expect(stopped.doses_recorded + next.doses_recorded).toBe(PLANS - 1);
    expect(stopped.reminders_scheduled + next.reminders_scheduled).toBe(PLANS - 1);
    expect(await count('doses')).toBe(2 * PLANS);
    expect(await count('outreachjobs')).toBe(before.jobs + PLANS - 1);

    // A third run finds every slot recorded and scheduled.
    expect(await run()).toMatchObject({ doses_recorded: 0, reminders_scheduled: 0, already_scheduled: 2 * PLANS });
  });
});
