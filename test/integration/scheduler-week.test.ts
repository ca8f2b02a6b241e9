import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContainer, type Container } from '../../src/app/container.js';
import { doseSlots } from '../../src/domain/medication/slots.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { startFerretDb, type FerretDbHandle } from '../../src/store/ferretdb.js';
import type { FakeTwilio } from '../fakes/twilio-server.js';
import { testConfig } from '../helpers/db.js';
import { tempDir } from '../helpers/process.js';
import { ACCOUNT_SID, AUTH_TOKEN, fakeTwilio, OUR_NUMBER } from '../helpers/sms.js';

// Two CareLoop instances as deployed on one shared database (each its own FerretDB process over the same
// PostgreSQL database, its own connection and scheduler), run over a simulated week on one fixed clock that
// crosses the start of US daylight saving time (2026-03-08 in America/New_York).
const POSTGRESQL_URL = process.env.CARELOOP_TEST_POSTGRESQL_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const T0 = new Date('2026-03-05T00:00:00.000Z');
const WEEK_END = new Date(T0.getTime() + 7 * 86_400_000);
/** The clock runs past the week's last slot by this much, so that slot's reminder is due (and its follow-up too). */
const RUN_OVER_MS = 3 * 3_600_000;
const MATERIALISE_EVERY_MS = 15 * 60_000;
const clock = fixedClock(T0);
const ferrets: FerretDbHandle[] = [];
const instances: { db: Database; container: Container }[] = [];
let fake: FakeTwilio;

beforeAll(async () => {
  fake = await fakeTwilio();
  const dbName = `week_${randomBytes(4).toString('hex')}`;
  for (const name of ['a', 'b']) {
    const ferret = await startFerretDb({ backend: 'postgresql', dataDir: tempDir(`careloop-week-${name}-`), postgresqlUrl: POSTGRESQL_URL });
    ferrets.push(ferret);
    const config = testConfig({
      MONGODB_URI: ferret.uri, MONGODB_DB_NAME: dbName, PUBLIC_BASE_URL: 'http://127.0.0.1:9', TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: OUR_NUMBER, TWILIO_API_BASE_URL: fake.url, QUIET_HOURS: '22:00-07:00',
    });
    // One after the other: FerretDB instances creating the same collections at once collide (see postgres-shared.test.ts).
    const db = await openDatabase(config, { clock });
    instances.push({ db, container: buildContainer({ config, logger: createLogger('silent'), db, clock }) });
  }
});
afterAll(async () => {
  for (const { container } of instances) await container.stop();
  await instances[0]?.db.connection.dropDatabase().catch(() => undefined);
  for (const { db } of instances) await db.close();
  for (const ferret of ferrets) await ferret.stop();
  await fake?.close();
});

describe('two scheduler instances over a simulated week', () => {
  it('send the reminder of every dose slot of the week exactly once', { timeout: 900_000 }, async () => {
    const [a, b] = instances as [{ db: Database; container: Container }, { db: Database; container: Container }];
    const { container } = a;
    const careTeamId = (await container.careTeams.create({ name: 'Pharmacy', timeZone: 'America/New_York' })).id;
    const enrol = async (phone: string, timeZone: string) =>
      (await container.patients.create(
        { name: 'Ida Berg', phone, timeZone, language: 'en', dateOfBirth: '1950-05-05', careTeamId, consent: { sms: true } },
        { keyId: 'test', role: 'admin' },
      )).id;
    const plan = (patientId: string, times: string[], displayName = 'morning pill') =>
      container.medication.create(patientId, { displayName, dose: '1 tablet', startDate: '2026-01-01', times });
    const newYork = [await enrol('+15555550101', 'America/New_York'), await enrol('+15555550102', 'America/New_York'), await enrol('+15555550103', 'America/New_York')];
    const berlin = [await enrol('+4915155550101', 'Europe/Berlin'), await enrol('+4915155550102', 'Europe/Berlin')];
    await plan(newYork[0]!, ['08:00', '20:00']);
    await plan(newYork[1]!, ['09:00'], 'blood pressure');
    await plan(newYork[1]!, ['15:00'], 'water pill'); // a second plan of the same patient
    await plan(newYork[2]!, ['07:30', '12:30', '18:30']);
    await plan(berlin[0]!, ['07:30', '13:00', '21:00']);
    await plan(berlin[1]!, ['10:00']);

    // The week's slots, in each patient's zone: each must be reminded once (message id `<dose key>:0`).
    const plans = await container.db.repositories.medicationPlans.listActive();
    const expected = plans.flatMap(({ plan: p, patient }) => doseSlots(p, patient.timeZone, T0, WEEK_END)).map((slot) => `${slot.key}:0`);
    expect(expected.length).toBeGreaterThanOrEqual(7 * 11 - 1); // 11 doses a day (the edges of the week may cut one)

    // Both instances run the materialiser every 15 minutes of the clock and tick at every moment a job is due,
    // side by side; the clock jumps to the next due job (or the next materialiser run), as running schedulers would.
    let materialisedAt = -Infinity;
    let steps = 0;
    const sent = { a: 0, b: 0 };
    const until = WEEK_END.getTime() + RUN_OVER_MS;
    while (clock.now().getTime() < until) {
      const now = clock.now();
      if (now.getTime() - materialisedAt >= MATERIALISE_EVERY_MS) {
        await Promise.all([a.container.medication.scheduleActivePlans(now), b.container.medication.scheduleActivePlans(now)]);
        materialisedAt = now.getTime();
      }
      // Alternate which instance starts first, so each wins claims.
      const order = steps % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const);
      await Promise.all(order.map(async (name) => {
        sent[name] += (await (name === 'a' ? a : b).container.scheduler.dispatcher.tick(now)).sent;
      }));
      steps += 1;
      const next = await a.db.models.OutreachJob.findOne({}).sort({ dueAt: 1 }).lean();
      const nextDue = next ? (next.dueAt as Date).getTime() : Infinity;
      const target = Math.min(nextDue, materialisedAt + MATERIALISE_EVERY_MS, until);
      clock.advance(Math.max(target - now.getTime(), 1_000));
    }

    const perKey = new Map<string, number>();
    for (const message of fake.messages) {
      const key = new URL(message.statusCallback ?? 'http://x/').searchParams.get('m') ?? '';
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    const lost = expected.filter((key) => !perKey.has(key));
    const duplicated = [...perKey].filter(([, count]) => count > 1).map(([key]) => key);
    expect(lost).toEqual([]);
    expect(duplicated).toEqual([]);
    // Both instances handed jobs over (reminders, follow-ups and final checks), none twice.
    expect(sent.a).toBeGreaterThan(0);
    expect(sent.b).toBeGreaterThan(0);
    console.log(`scheduler-week: ${steps} steps, ${expected.length} dose slots each reminded once, ${fake.messages.length} messages in all (reminders and follow-ups), none twice; jobs handed over: ${sent.a} by instance a, ${sent.b} by instance b`);
  });
});
