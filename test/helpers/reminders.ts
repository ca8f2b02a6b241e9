import { afterAll, expect } from 'vitest';
import { buildContainer, type Container, type ContainerDeps } from '../../src/app/container.js';
import { ApiKeyService } from '../../src/domain/auth/service.js';
import { localDateTime } from '../../src/domain/medication/local-time.js';
import type { PlanInput } from '../../src/domain/medication/plan.js';
import { buildServer } from '../../src/http/server.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { medicationDoses } from '../../schedules/medication-doses.js';
import { openTestDatabase } from './db.js';
import { freePort } from './port.js';
import { ACCOUNT_SID, AUTH_TOKEN, fakeTwilio, newMessageSid, OUR_NUMBER } from './sms.js';

/** A message the fake Twilio accepted, with the test clock's time when it did. */
export interface Received {
  to: string;
  body: string;
  at: Date;
}

/**
 * A listening CareLoop on a fresh database with a fixed clock, wired to the fake Twilio: reminders are driven by
 * calling the materialiser's run and the dispatcher's tick directly, the patient answers through the signed
 * SMS webhook.
 */
export async function reminderHarness(start: Date, env: Record<string, string> = {}, options: Pick<ContainerDeps, 'paging'> = {}) {
  const clock = fixedClock(start);
  const fake = await fakeTwilio();
  const port = await freePort();
  const { db, config } = await openTestDatabase({
    clock,
    env: {
      PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: OUR_NUMBER, TWILIO_API_BASE_URL: fake.url, QUIET_HOURS: '22:00-07:00', ...env,
    },
  });
  const container: Container = buildContainer({ config, logger: createLogger('silent'), db, clock, ...options });
  const server = await buildServer(container, { version: 'test' });
  await server.listen({ host: '127.0.0.1', port });
  afterAll(() => server.close()); // before the database is dropped: hooks run in reverse
  const inboundUrl = `http://127.0.0.1:${port}/sms/inbound`;
  const careTeamId = (await container.careTeams.create({ name: 'Pharmacy', timeZone: 'America/New_York' })).id;
  const received: Received[] = [];
  fake.onMessage((message) => received.push({ to: message.to, body: message.body, at: clock.now() }));
  const keys = new ApiKeyService(db.repositories.apiKeys, clock);
  const adminKey = (await keys.create({ name: 'admin', role: 'admin' }, 'test')).key;
  let enrolled = 0;

  const h = {
    clock, fake, db, container, server, received, careTeamId, inboundUrl,
    async enroll(options: { timeZone?: string; consent?: boolean; name?: string } = {}): Promise<{ id: string; phone: string }> {
      const phone = `+1555888${String(++enrolled).padStart(4, '0')}`;
      const patient = await container.patients.create(
        { name: options.name ?? 'Ida Berg', phone, timeZone: options.timeZone ?? 'America/New_York', language: 'en', dateOfBirth: '1950-05-05', careTeamId, consent: { sms: options.consent ?? true } },
        { keyId: 'test', role: 'admin' },
      );
      return { id: patient.id, phone };
    },
    plan(patientId: string, input: Partial<PlanInput> & Pick<PlanInput, 'times'>) {
      return container.medication.create(patientId, { displayName: 'morning pill', dose: '1 tablet', startDate: '2026-01-01', ...input });
    },
    /** The materialiser's run, as the runner calls it. */
    materialise: () => medicationDoses.run({ medication: container.medication, doseOutreach: container.doseOutreach, clock }),
    tick: () => container.scheduler.dispatcher.tick(clock.now()),
    /** Moves the clock to `at` (never back). */
    advanceTo(at: Date) {
      const ms = at.getTime() - clock.now().getTime();
      if (ms < 0) throw new Error(`cannot go back from ${clock.now().toISOString()} to ${at.toISOString()}`);
      clock.advance(ms);
    },
    /**
     * Runs the schedules until `until`: the materialiser, then the clock to each next due job and a tick, as a
     * running scheduler would (to the second). `onTick` sees each moment a tick handed something over.
     */
    async runUntil(until: Date, onTick?: () => Promise<void>) {
      let materialisedAt = -Infinity;
      for (;;) {
        // Every 15 minutes of the clock, as its cron runs it.
        if (clock.now().getTime() - materialisedAt >= 15 * 60_000) {
          await h.materialise();
          materialisedAt = clock.now().getTime();
        }
        const next = await db.models.OutreachJob.findOne({}).sort({ dueAt: 1 }).lean();
        const dueAt = next ? (next.dueAt as Date) : undefined;
        if (!dueAt || dueAt > until) break;
        if (dueAt > clock.now()) h.advanceTo(dueAt);
        await h.tick();
        await onTick?.();
      }
      if (until > clock.now()) h.advanceTo(until);
    },
    /** Texts as the patient (an MMS with `media`), waits for the turn, returns what CareLoop texted back. */
    async say(phone: string, body: string, media?: { url: string; contentType: string }[]): Promise<string[]> {
      const before = received.length;
      const res = await fake.postInbound(inboundUrl, fake.inboundParams({ from: phone, to: OUR_NUMBER, body, media, messageSid: newMessageSid() }));
      expect(res.status).toBe(200);
      await container.conversations.runtime.drain();
      return received.slice(before).filter((m) => m.to === phone).map((m) => m.body);
    },
    /** Ends every plan still active (through the service, as DELETE does: their future reminders are cancelled). */
    async endAllPlans() {
      for (const { plan } of await db.repositories.medicationPlans.listActive()) await container.medication.end(plan.patientId, plan.id);
    },
    sentTo: (phone: string) => received.filter((m) => m.to === phone),
    dose: async (key: string) => (await db.repositories.doses.get(key))!,
    /** A finished job's record. */
    history: async (key: string) => db.models.OutreachHistory.findById(key).lean() as Promise<{ status: string; reason?: string } | null>,
    liveJobs: async (patientId: string) => container.db.repositories.outreach.upcoming(patientId, new Date('2100-01-01')),
    api: (method: 'GET' | 'PATCH' | 'POST' | 'DELETE', url: string, body?: unknown, key = adminKey) =>
      server.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(body === undefined ? {} : { payload: body as object }) }),
    keyFor: async (role: 'admin' | 'clinician' | 'integration') => (await keys.create({ name: role, role }, 'test')).key,
    /** The local date and time of an instant in a zone. */
    local: (at: Date, timeZone = 'America/New_York') => localDateTime(at, timeZone),
  };
  return h;
}

export type ReminderHarness = Awaited<ReturnType<typeof reminderHarness>>;
