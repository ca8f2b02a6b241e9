import { beforeAll, describe, expect, it } from 'vitest';
import { OptOutService } from '../../src/domain/consent/opt-out.js';
import { OutboundGateway, type OutboundRequest } from '../../src/domain/messaging/gateway.js';
import { DeliveryError, type Message } from '../../src/domain/messaging/types.js';
import { PatientService } from '../../src/domain/patients/service.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import type { Database } from '../../src/store/database.js';
import { openTestDatabase } from '../helpers/db.js';

// 2026-03-10 15:00 UTC = 11:00 in New York: outside quiet hours; 03:00 UTC = 23:00 the day before in New York.
const clock = fixedClock(new Date('2026-03-10T15:00:00Z'));
let db: Database;
let gateway: OutboundGateway;
const delivered: Message[] = [];
let patientId: string;
let educationOnlyId: string;
let refusedId: string;
let patientService: PatientService;
/** The provider answers 503 to +15557770018 until this is set. */
let providerBack = false;
const REPLIES_PER_MINUTE = 3;

beforeAll(async () => {
  ({ db } = await openTestDatabase({ clock }));
  const repos = db.repositories;
  const patients = new PatientService({ patients: repos.patients, consent: repos.consent, careTeams: repos.careTeams, clock });
  patientService = patients;
  gateway = new OutboundGateway({
    messages: repos.messages, contacts: repos.contacts, patients: repos.patients, clock, quietHours: { start: '21:00', end: '08:00' }, logger: createLogger('silent'),
    providers: {
      sms: async (message) => {
        if (message.address === '+15557770009') throw new DeliveryError('refused (21610)', { code: '21610', optedOut: true });
        if (message.address === '+15557770018' && !providerBack) throw new DeliveryError('unavailable (503)', { code: '503', retryable: true });
        delivered.push(message);
        return { providerId: `SM${delivered.length}`, status: 'queued' };
      },
      webchat: async () => ({ status: 'sent' }),
    },
    optOuts: new OptOutService({ contacts: repos.contacts, patients, clock }),
    replyCap: { perMinute: REPLIES_PER_MINUTE, notice: 'Too many messages: replies pause for a minute. Emergency: call 911.' },
  });
  const team = await repos.careTeams.create({ name: 'Team', timeZone: 'America/New_York' });
  const actor = { keyId: 'test', role: 'admin' };
  const base = { timeZone: 'America/New_York', language: 'en', dateOfBirth: '1960-01-01', careTeamId: team.id };
  patientId = (await patients.create({ ...base, name: 'A', phone: '+15557770001', consent: { sms: true } }, actor)).id;
  educationOnlyId = (await patients.create({ ...base, name: 'B', phone: '+15557770002', consent: { sms: { granted: true, purposes: ['education'] } } }, actor)).id;
  refusedId = (await patients.create({ ...base, name: 'C', phone: '+15557770009', consent: { sms: true } }, actor)).id;
});

const reminder = (overrides: Partial<OutboundRequest>): OutboundRequest => ({
  channel: 'sms', address: '+15557770001', patientId, text: 'Time for your 3 pm medicine. Reply TAKEN, SKIP or SNOOZE 30.',
  idempotencyKey: `job:reminder:${Math.random()}`, kind: 'proactive', purpose: 'medication_reminders', ...overrides,
});

describe('outbound gateway', () => {
  it('records before it delivers, and sends one idempotency key once', async () => {
    const request = reminder({ idempotencyKey: 'job:reminder:once' });
    const first = await gateway.send(request);
    expect(first).toMatchObject({ status: 'queued', providerId: expect.stringMatching(/^SM/) });
    expect(await gateway.send(request)).toEqual({ status: 'duplicate', messageId: 'job:reminder:once' });
    expect(delivered.filter((m) => m.id === 'job:reminder:once')).toHaveLength(1);
    expect(await db.repositories.messages.get('job:reminder:once')).toMatchObject({ status: 'queued', providerId: first.status === 'queued' ? first.providerId : '' });
  });

  it('blocks a proactive message without consent for its purpose, and records why', async () => {
    const outcome = await gateway.send(reminder({ address: '+15557770002', patientId: educationOnlyId }));
    expect(outcome).toMatchObject({ status: 'blocked', reason: 'no_consent' });
    expect((await db.repositories.messages.get(outcome.messageId))?.status).toBe('blocked');
    expect(await gateway.send(reminder({ address: '+15557770002', patientId: educationOnlyId, purpose: 'education' }))).toMatchObject({ status: 'queued' });
    expect(await gateway.send(reminder({ patientId: undefined }))).toMatchObject({ status: 'blocked', reason: 'no_consent' });
  });

  it('holds proactive messages in the patient\'s quiet hours but never replies', async () => {
    clock.advance(12 * 3600_000); // 03:00 UTC: 23:00 in New York
    try {
      expect(await gateway.send(reminder({ idempotencyKey: 'job:night' }))).toMatchObject({ status: 'blocked', reason: 'quiet_hours' });
      expect(await gateway.send(reminder({ kind: 'reply', idempotencyKey: 'reply:x:0' }))).toMatchObject({ status: 'queued' });
    } finally {
      clock.advance(-12 * 3600_000);
    }
    // The held message keeps its key free: in the morning the same job sends it.
    expect(await gateway.send(reminder({ idempotencyKey: 'job:night' }))).toMatchObject({ status: 'queued', messageId: 'job:night' });
  });

  it('sends nothing after an opt-out but the one confirmation', async () => {
    await db.repositories.contacts.setOptedOut('sms', '+15557770001', true, clock.now());
    try {
      expect(await gateway.send(reminder({}))).toMatchObject({ status: 'blocked', reason: 'opted_out' });
      expect(await gateway.send(reminder({ kind: 'reply', idempotencyKey: 'reply:y:0' }))).toMatchObject({ status: 'blocked', reason: 'opted_out' });
      expect(await gateway.send(reminder({ kind: 'opt_out_confirmation', idempotencyKey: 'reply:y:1' }))).toMatchObject({ status: 'queued' });
    } finally {
      await db.repositories.contacts.setOptedOut('sms', '+15557770001', false, clock.now());
    }
  });

  it('turns a carrier opt-out (21610) into an opt-out and revoked consent', async () => {
    const outcome = await gateway.send(reminder({ address: '+15557770009', patientId: refusedId, kind: 'reply' }));
    expect(outcome).toMatchObject({ status: 'failed', errorCode: '21610' });
    expect(await db.repositories.contacts.get('sms', '+15557770009')).toMatchObject({ optedOut: true });
    expect((await db.repositories.patients.get(refusedId))?.consent.sms).toMatchObject({ granted: false, source: 'sms:carrier' });
  });

  it('caps SMS replies per number per minute: then one notice, then nothing but urgent replies, until the minute is over', async () => {
    const flooder = '+15557770003';
    let n = 0;
    const reply = (overrides: Partial<OutboundRequest> = {}) =>
      gateway.send({ channel: 'sms', address: flooder, text: 'Reply 1 to check in.', idempotencyKey: `reply:flood:${n++}`, kind: 'reply', ...overrides });
    const statuses = async (count: number) => {
      const outcomes: string[] = [];
      for (let i = 0; i < count; i++) outcomes.push((await reply()).status);
      return outcomes;
    };

    expect(await statuses(REPLIES_PER_MINUTE)).toEqual(Array(REPLIES_PER_MINUTE).fill('queued'));
    const notice = await reply();
    expect(notice).toMatchObject({ status: 'queued' });
    expect(delivered.at(-1)).toMatchObject({ id: notice.messageId, text: expect.stringMatching(/^Too many messages/), kind: 'reply_cap_notice' });
    const held = await reply();
    expect(held).toMatchObject({ status: 'blocked', reason: 'reply_cap' });
    expect(await db.repositories.messages.get(held.messageId)).toMatchObject({ status: 'blocked', blockedReason: 'reply_cap', text: 'Reply 1 to check in.' });

    // What always goes: emergency instructions, the opt-out confirmation, CareLoop's own messages, other numbers, web chat.
    expect(await reply({ kind: 'urgent', text: 'This may be an emergency. Call 911 now.' })).toMatchObject({ status: 'queued' });
    expect(await reply({ kind: 'opt_out_confirmation' })).toMatchObject({ status: 'queued' });
    expect(await gateway.send(reminder({ address: flooder, idempotencyKey: 'job:flood-reminder' }))).toMatchObject({ status: 'queued' });
    expect(await reply({ address: '+15557770004' })).toMatchObject({ status: 'queued' });
    expect(await reply({ channel: 'webchat', address: 'conv-flood' })).toMatchObject({ status: 'sent' });
    expect(await statuses(3)).toEqual(['blocked', 'blocked', 'blocked']);

    // The next minute starts over; a re-run turn (same key) sends nothing and uses up no place.
    clock.advance(60_000);
    try {
      const first = await reply();
      expect(await gateway.send({ channel: 'sms', address: flooder, text: 'again', idempotencyKey: first.messageId, kind: 'reply' })).toMatchObject({ status: 'duplicate' });
      const before = delivered.length;
      expect(await statuses(REPLIES_PER_MINUTE)).toEqual(Array(REPLIES_PER_MINUTE).fill('queued'));
      expect(delivered.slice(before).map((m) => m.kind)).toEqual([...Array(REPLIES_PER_MINUTE - 1).fill('reply'), 'reply_cap_notice']);
    } finally {
      clock.advance(-60_000);
    }
  });
});

describe('sendMany: a batch of proactive messages', () => {
  it('checks, records and sends each message as send would, each key once, and retries a failed one later', async () => {
    const team = await db.repositories.careTeams.create({ name: 'Batch team', timeZone: 'America/New_York' });
    const base = { timeZone: 'America/New_York', language: 'en', dateOfBirth: '1960-01-01', careTeamId: team.id };
    const enrol = async (phone: string, consent: boolean | { granted: boolean; purposes: 'education'[] }) => (await patientService.create({ ...base, name: 'Batch', phone, consent: { sms: consent } }, { keyId: 'test', role: 'admin' })).id;
    const ids = {
      ok: await enrol('+15557770015', true), optedOut: await enrol('+15557770016', true), educationOnly: await enrol('+15557770017', { granted: true, purposes: ['education'] }),
      failing: await enrol('+15557770018', true), inactive: await enrol('+15557770019', true),
    };
    await db.repositories.contacts.setOptedOut('sms', '+15557770016', true, clock.now());
    await db.repositories.patients.setActive(ids.inactive, false);
    const requests = [
      reminder({ address: '+15557770015', patientId: ids.ok, idempotencyKey: 'batch:ok' }),
      reminder({ address: '+15557770016', patientId: ids.optedOut, idempotencyKey: 'batch:opted-out' }),
      reminder({ address: '+15557770017', patientId: ids.educationOnly, idempotencyKey: 'batch:no-consent' }),
      reminder({ address: '+15557770018', patientId: ids.failing, idempotencyKey: 'batch:failing' }),
      reminder({ address: '+15557770019', patientId: ids.inactive, idempotencyKey: 'batch:inactive' }),
    ];
    const patients = new Map((await db.repositories.patients.getMany(Object.values(ids))).map((patient) => [patient.id, patient]));
    expect(patients.size).toBe(5);
    const before = delivered.length;

    const outcomes = await gateway.sendMany(requests, patients);
    expect(outcomes.map((outcome) => [outcome.status, 'reason' in outcome ? outcome.reason : undefined])).toEqual([
      ['queued', undefined], ['blocked', 'opted_out'], ['blocked', 'no_consent'], ['retrying', undefined], ['blocked', 'inactive_patient'],
    ]);
    expect(delivered.slice(before).map((message) => message.id)).toEqual(['batch:ok']);
    const sent = await db.repositories.messages.get('batch:ok');
    expect(sent).toMatchObject({ status: 'queued', providerId: outcomes[0]!.status === 'queued' ? outcomes[0]!.providerId : 'none', kind: 'proactive', purpose: 'medication_reminders' });
    expect(await db.repositories.messages.outbox.get('batch:ok')).toBeUndefined();
    // Refusals are recorded as blocked attempts and keep the key free, as with send.
    expect(await db.repositories.messages.get(outcomes[1]!.messageId)).toMatchObject({ status: 'blocked', blockedReason: 'opted_out' });
    expect(outcomes[1]!.messageId).toMatch(/^batch:opted-out~blocked~/);
    expect(await db.repositories.messages.get('batch:failing')).toMatchObject({ status: 'queued', errorCode: '503' });
    expect(await db.repositories.messages.outbox.get('batch:failing')).toMatchObject({ attempt: 1, outcomeUnknown: false });

    // The same batch again a second later (a job handed over twice): nothing is sent twice; refusals are recorded again.
    clock.advance(1_000);
    const again = await gateway.sendMany(requests, patients).finally(() => clock.advance(-1_000));
    expect(again.map((outcome) => outcome.status)).toEqual(['duplicate', 'blocked', 'blocked', 'duplicate', 'blocked']);
    expect(delivered.slice(before).map((message) => message.id)).toEqual(['batch:ok']);

    // The provider is back: the outbox sweep sends the failed one, once.
    providerBack = true;
    clock.advance(10 * 60_000);
    try {
      // A sweep in a process that is stopping (SIGTERM) starts nothing: the message waits in the outbox for the next one.
      const stopping = await gateway.retryFailed(clock.now(), AbortSignal.abort());
      expect(stopping.due).toBeGreaterThan(0);
      expect(stopping).toMatchObject({ sent: 0, retrying: 0, failed: 0, settled: 0 });
      expect(delivered.slice(before).map((message) => message.id)).toEqual(['batch:ok']);
      expect(await db.repositories.messages.outbox.get('batch:failing')).toMatchObject({ attempt: 1 });
      const swept = await gateway.retryFailed();
      expect(swept).toMatchObject({ sent: 1 });
    } finally {
      clock.advance(-10 * 60_000);
    }
    expect(delivered.slice(before).map((message) => message.id)).toEqual(['batch:ok', 'batch:failing']);
    expect(await db.repositories.messages.get('batch:failing')).toMatchObject({ providerId: expect.stringMatching(/^SM/) });
  });
});
