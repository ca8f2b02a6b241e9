import { describe, expect, it } from 'vitest';
import { buildContainer } from '../../src/app/container.js';
import { parseConfig } from '../../src/config/index.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { openDatabase } from '../../src/store/database.js';
import type { FakeTwilio } from '../fakes/twilio-server.js';
import { seedDueReminders } from '../helpers/bulk-reminders.js';
import { tempDir } from '../helpers/process.js';
import { ACCOUNT_SID, AUTH_TOKEN, fakeTwilio, OUR_NUMBER } from '../helpers/sms.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

/**
 * Reminders survive crashes (issue 12): `npm run worker` with its embedded database dispatches 10,000 due
 * medication reminders to the local Twilio-compatible server and is killed with SIGKILL (process group: npm, the
 * worker, FerretDB) twice, after about 2,000 and 6,000 arrived, and restarted on the same data each time. Every
 * reminder must reach the server exactly once, counted by our message id (`<dose key>:0`) in each message's
 * StatusCallback: 0 lost, 0 duplicated.
 */
const REMINDERS = 10_000;
const KILL_AT = [2_000, 6_000];
const TIME_ZONE = 'America/New_York';
const PHONE_PREFIX = '+1555300';
/** A short lease (the default is 60 s), so a killed worker's claims are taken over sooner. */
const LEASE_SECONDS = 15;
/**
 * After the last crash, long enough for all of its leftovers to be due again: the claims' lease and unsettled
 * sends (the gateway asks the provider about a send in flight for 60 s) and a sweep after them (10 s).
 */
const SETTLE_MS = 80_000;

describe('SIGKILL twice while dispatching 10,000 reminders', () => {
  it('sends every reminder exactly once across two crashes and restarts', { timeout: 1_800_000 }, async () => {
    const fake = await fakeTwilio();
    const env = {
      DATA_DIR: tempDir('careloop-reminders-crash-'), PUBLIC_BASE_URL: 'http://127.0.0.1:9', TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: OUR_NUMBER, TWILIO_API_BASE_URL: fake.url, QUIET_HOURS: '00:00-00:00', SMS_SEND_RATE_PER_SECOND: '1000',
      SCHEDULER_LEASE_SECONDS: String(LEASE_SECONDS), SCHEDULER_BATCH_SIZE: '200',
    };

    // Seed on the data the worker will open: 10,000 patients, one plan each, their dose due this minute (the
    // seeding clock stands a minute earlier, so the plans' first slot is this one; the worker, on the real clock,
    // finds them all due within the catch-up window).
    const seedStart = Date.now();
    const dueAt = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const clock = fixedClock(new Date(dueAt.getTime() - 60_000));
    const config = parseConfig({ ...env, LOG_LEVEL: 'silent' });
    const db = await openDatabase(config, { clock });
    const container = buildContainer({ config, logger: createLogger('silent'), db, clock });
    const { messageKeys: keys } = await seedDueReminders(container, { count: REMINDERS, timeZone: TIME_ZONE, dueAt, phonePrefix: PHONE_PREFIX });
    expect(await db.repositories.outreach.due(dueAt, REMINDERS + 1, ['medication_reminder'])).toHaveLength(REMINDERS);
    expect(new Set(keys).size).toBe(REMINDERS);
    await container.stop();
    await db.close();
    const seedMs = Date.now() - seedStart;

    const workers: WorkerProcess[] = [await startWorkerProcess(env)];
    const marks: string[] = [];
    let lastCrashAt = 0;
    for (const killAt of KILL_AT) {
      await expect.poll(() => receivedKeys(fake).size, { timeout: 900_000, interval: 200 }).toBeGreaterThanOrEqual(killAt);
      const worker = workers.at(-1)!;
      process.kill(-worker.child.pid!, 'SIGKILL');
      await worker.exited;
      lastCrashAt = Date.now();
      marks.push(`killed at ${receivedKeys(fake).size} received`);
      workers.push(await startWorkerProcess(env));
    }
    const restartedAt = Date.now();
    await expect.poll(() => receivedKeys(fake).size, { timeout: 900_000, interval: 1_000 }).toBe(REMINDERS);
    const allInAfterMs = Date.now() - restartedAt;
    // Duplicates could only appear once the last crash's leftovers are due again: wait past that, then count.
    await sleep(Math.max(0, lastCrashAt + SETTLE_MS - Date.now()));

    const perKey = countPerKey(fake);
    const lost = keys.filter((key) => !perKey.has(key));
    const duplicated = [...perKey].filter(([, count]) => count > 1).map(([key]) => key);
    expect({ lost: lost.length, duplicated: duplicated.length }).toEqual({ lost: 0, duplicated: 0 });
    // Nothing else went out (follow-ups are an hour away), and every message went to its own patient.
    expect([...perKey.keys()].sort()).toEqual([...keys].sort());
    expect(new Set(fake.messages.map((message) => message.to)).size).toBe(REMINDERS);
    console.log(`reminders-crash: seeded ${REMINDERS} in ${(seedMs / 1000).toFixed(1)} s; ${marks.join(', ')}; all ${REMINDERS} received ${(allInAfterMs / 1000).toFixed(1)} s after the last restart; ${fake.messages.length} messages, 0 lost, 0 duplicated`);

    const logs = workers.map((worker) => worker.output()).join('');
    expect(logs).not.toContain(PHONE_PREFIX);
    const last = workers.at(-1)!;
    last.child.kill('SIGTERM');
    expect(await last.exited, `the last worker's log:\n${last.output().slice(-6000)}`).toBe(0);
  });
});

/** Our message id of each message the fake accepted, from its StatusCallback (`/sms/status?m=<id>`). */
function messageKey(message: FakeTwilio['messages'][number]): string {
  return new URL(message.statusCallback ?? 'http://x/').searchParams.get('m') ?? '';
}

function receivedKeys(fake: FakeTwilio): Set<string> {
  return new Set(fake.messages.map(messageKey));
}

function countPerKey(fake: FakeTwilio): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of fake.messages) counts.set(messageKey(message), (counts.get(messageKey(message)) ?? 0) + 1);
  return counts;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
