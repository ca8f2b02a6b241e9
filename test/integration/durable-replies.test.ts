import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContainer, type Container } from '../../src/app/container.js';
import { smsProvider } from '../../src/channels/sms/provider.js';
import { ApiKeyService } from '../../src/domain/auth/service.js';
import { OutboundGateway, type Deliver, type OutboundRequest } from '../../src/domain/messaging/gateway.js';
import { inQuietHours } from '../../src/domain/messaging/quiet-hours.js';
import { MAX_SEND_ATTEMPTS, maxRetryWait } from '../../src/domain/messaging/retry.js';
import { buildServer } from '../../src/http/server.js';
import { TwilioSms } from '../../src/integrations/twilio/client.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import type { Database } from '../../src/store/database.js';
import { startFakeTwilio, type FakeMessage, type FakeTwilio } from '../fakes/twilio-server.js';
import { trusted } from '../../src/store/models.js';
import { openTestDatabase } from '../helpers/db.js';
import { ACCOUNT_SID, AUTH_TOKEN, newMessageSid, OUR_NUMBER } from '../helpers/sms.js';

/**
 * Durable replies (issue 12): a stored inbound message always gets its turn, a reply that failed for a retryable
 * reason goes out once the provider is back (or ends `failed` where staff see it), and a send left in flight by a
 * crash is settled by asking the provider before any resend. Real database, the real twilio library against the
 * local Twilio-compatible server, several "instances" (containers) on one database, one clock moved by hand.
 */
const clock = fixedClock(new Date('2026-03-10T15:00:00Z')); // 11:00 in New York: outside quiet hours
const PUBLIC_URL = 'https://careloop.example.org';
const TURN_LEASE_MS = 30_000;
const SETTLE_AFTER_MS = 60_000;

let fake: FakeTwilio;
let db: Database;
let instances: Container[];
let server: FastifyInstance;
let adminKey: string;
let teamId: string;
const logLines: string[] = [];
let phoneCounter = 0;
const logger = createLogger('info', new Writable({ write: (chunk: Buffer, _encoding, done) => (logLines.push(chunk.toString()), done()) }));

beforeAll(async () => {
  fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, clock });
  afterAll(() => fake.close());
  let config;
  ({ db, config } = await openTestDatabase({
    clock,
    env: { PUBLIC_BASE_URL: PUBLIC_URL, TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: OUR_NUMBER, TWILIO_API_BASE_URL: fake.url, SMS_REPLIES_PER_MINUTE: '100' },
  }));
  // Three CareLoop instances on one database: each its own runtime (queues), gateway and Twilio client.
  instances = [0, 1, 2].map(() => buildContainer({ config, logger, db, clock }));
  server = await buildServer(instances[0]!, { version: 'test' });
  afterAll(() => server.close());
  adminKey = (await new ApiKeyService(db.repositories.apiKeys, clock).create({ name: 'durable replies', role: 'admin' }, 'test')).key;
  teamId = (await instances[0]!.careTeams.create({ name: 'Riverside Cardiology', timeZone: 'America/New_York' })).id;
});

async function enroll(name = 'Ana Diaz'): Promise<{ id: string; phone: string }> {
  const phone = `+1555${randomBytes(2).readUInt16BE(0).toString().padStart(3, '0').slice(0, 3)}${String(++phoneCounter).padStart(4, '0')}`;
  const patient = await instances[0]!.patients.create(
    { name, phone, timeZone: 'America/New_York', language: 'en', dateOfBirth: '1950-05-05', careTeamId: teamId, consent: { sms: true } },
    { keyId: 'test', role: 'admin' },
  );
  return { id: patient.id, phone };
}

/**
 * A gateway on the same database with its own provider and a logger (the containers' gateways get theirs when
 * the composition root passes one).
 */
function gatewayWith(sms: Deliver): OutboundGateway {
  const repos = db.repositories;
  return new OutboundGateway({
    messages: repos.messages, contacts: repos.contacts, patients: repos.patients, clock, quietHours: { start: '21:00', end: '08:00' },
    providers: { sms }, optOuts: { optOut: async () => undefined }, replyCap: { perMinute: 100, notice: 'slow down' }, logger,
  });
}

const runtimeOf = (instance: number) => instances[instance]!.conversations.runtime;
const gatewayOf = (instance: number) => instances[instance]!.conversations.gateway;

/** What an instance does with a signed webhook before it answers 200: verify, parse, record. Its turn never runs. */
const recordOnly = (instance: number, phone: string, body: string, messageSid = newMessageSid()) =>
  runtimeOf(instance).record({ channel: 'sms', address: phone, providerMessageId: messageSid, text: body, media: [] }).then(() => messageSid);

/** Records and answers at once, as the webhook does when nothing goes wrong. */
async function answerNow(instance: number, phone: string, body: string): Promise<string> {
  const messageSid = newMessageSid();
  const recorded = await runtimeOf(instance).record({ channel: 'sms', address: phone, providerMessageId: messageSid, text: body, media: [] });
  await runtimeOf(instance).process(recorded!);
  return messageSid;
}

/** Posts a signed inbound webhook to the HTTP server (instance 0), as Twilio would. */
function postInbound(phone: string, body: string, messageSid: string) {
  const params = fake.inboundParams({ from: phone, to: OUR_NUMBER, body, messageSid });
  return server.inject({
    method: 'POST', url: '/sms/inbound', payload: new URLSearchParams(params).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': fake.sign(`${PUBLIC_URL}/sms/inbound`, params) },
  });
}

/** Our message id in a message the fake accepted (the StatusCallback's `m`). */
const keyOf = (message: FakeMessage) => new URL(message.statusCallback ?? 'http://x/').searchParams.get('m') ?? '';
/** The reply keys Twilio received for one inbound message, one entry per message received. */
const repliesTo = (messageSid: string) => fake.messages.map(keyOf).filter((key) => key.startsWith(`reply:sms:${messageSid}:`));
const drainAll = () => Promise.all(instances.map((instance) => instance.conversations.runtime.drain()));
const messageOf = (id: string) => db.repositories.messages.get(id);

function expectAnsweredOnce(messageSid: string): void {
  const keys = repliesTo(messageSid);
  expect(keys.length).toBeGreaterThan(0);
  expect(new Set(keys).size).toBe(keys.length);
}

describe('inbound turns are durable', () => {
  it('answers a stored message whose turn never ran exactly once, after its lease, and only then', async () => {
    const { phone } = await enroll();
    const sid = await recordOnly(0, phone, 'hello');
    expect(await runtimeOf(1).recoverPending()).toMatchObject({ due: 0 }); // its recorder may still be running it
    expect(await db.models.PendingTurn.countDocuments({ _id: `sms:${sid}` })).toBe(1);

    clock.advance(TURN_LEASE_MS);
    // A process that is stopping (SIGTERM) starts no turn: the message stays pending for the next sweep.
    expect(await runtimeOf(1).recoverPending(clock.now(), AbortSignal.abort())).toMatchObject({ due: 1, answered: 0 });
    expect(repliesTo(sid)).toEqual([]);
    expect(await runtimeOf(1).recoverPending()).toMatchObject({ due: 1, answered: 1 });
    expectAnsweredOnce(sid);
    expect(fake.messages.find((m) => keyOf(m) === `reply:sms:${sid}:0`)?.body).toMatch(/Hi Ana/);
    expect((await messageOf(`sms:${sid}`))?.answeredAt).toEqual(clock.now());
    // Done means gone from the pending set: the next sweeps find nothing.
    expect(await db.models.PendingTurn.countDocuments({ _id: `sms:${sid}` })).toBe(0);
    clock.advance(TURN_LEASE_MS);
    expect(await runtimeOf(2).recoverPending()).toMatchObject({ due: 0 });
    expectAnsweredOnce(sid);
  });

  it('runs the turn of a redelivered MessageSid that was stored but never answered, and drops one that was', async () => {
    const { phone } = await enroll('Ben Ode');
    const sid = await recordOnly(1, phone, 'hello'); // instance 1 recorded it, answered 200, and died
    clock.advance(TURN_LEASE_MS);
    expect((await postInbound(phone, 'hello', sid)).statusCode).toBe(200);
    await drainAll();
    expectAnsweredOnce(sid);
    const answered = repliesTo(sid).length;

    expect((await postInbound(phone, 'hello', sid)).statusCode).toBe(200);
    clock.advance(TURN_LEASE_MS);
    await drainAll();
    expect(await runtimeOf(2).recoverPending()).toMatchObject({ due: 0 });
    expect(repliesTo(sid)).toHaveLength(answered);
    expect(await db.models.Message.countDocuments({ _id: `sms:${sid}` })).toBe(1);
  });

  it('leaves a redelivery to the instance whose claim still runs, then recovers it when that instance is gone', async () => {
    const { phone } = await enroll('Cy Lease');
    const sid = await recordOnly(1, phone, 'hello');
    expect((await postInbound(phone, 'hello', sid)).statusCode).toBe(200);
    await drainAll();
    expect(repliesTo(sid)).toEqual([]); // instance 1's lease still runs: it may be answering right now

    clock.advance(TURN_LEASE_MS);
    expect(await runtimeOf(0).recoverPending()).toMatchObject({ answered: 1 });
    expectAnsweredOnce(sid);
  });

  it('two instances recovering at once answer each message once, each conversation in order', async () => {
    const patients = await Promise.all(['Di One', 'Ed Two', 'Flo Three'].map((name) => enroll(name)));
    const sids: string[] = [];
    for (const { phone } of patients) {
      for (const body of ['hello', 'hi there']) {
        sids.push(await recordOnly(0, phone, body));
        clock.advance(1_000);
      }
    }
    clock.advance(TURN_LEASE_MS);
    const [first, second] = await Promise.all([runtimeOf(1).recoverPending(), runtimeOf(2).recoverPending()]);
    expect(first.answered + second.answered).toBe(sids.length);
    await drainAll();
    for (const sid of sids) expectAnsweredOnce(sid);
    // Per conversation, the older message was answered first.
    for (let index = 0; index < sids.length; index += 2) {
      const order = fake.messages.map(keyOf);
      expect(order.indexOf(`reply:sms:${sids[index]}:0`)).toBeLessThan(order.indexOf(`reply:sms:${sids[index + 1]}:0`));
    }
    expect(await db.models.PendingTurn.countDocuments({ _id: trusted({ $in: sids.map((sid) => `sms:${sid}`) }) })).toBe(0);
  });

  it('gives up on a turn that fails every time, marks the message for staff, and logs no text or number', async () => {
    const { phone } = await enroll('Gil Fail');
    const sid = await recordOnly(0, phone, 'hello');
    // The turn cannot finish: its database write of the reply record fails every time.
    const messages = db.repositories.messages;
    const insert = messages.insert.bind(messages);
    messages.insert = async (message) => (message.id.startsWith(`reply:sms:${sid}`) ? Promise.reject(new Error('disk full')) : insert(message));
    try {
      const outcomes: string[] = [];
      for (let run = 0; run < 7; run++) {
        clock.advance(TURN_LEASE_MS);
        const counts = await runtimeOf(run % 3).recoverPending();
        outcomes.push(counts.failed > 0 ? 'failed' : counts.answered > 0 ? 'answered' : 'none');
      }
      // Five runs (claims 1 to 5) fail; the sixth sweep gives the turn up; then it is no longer pending.
      expect(outcomes).toEqual(['failed', 'failed', 'failed', 'failed', 'failed', 'failed', 'none']);
    } finally {
      messages.insert = insert;
    }
    // The replies' outbox entries were written before their record failed: the sweep drops them, sends nothing.
    expect(await gatewayOf(0).retryFailed()).toMatchObject({ sent: 0, settled: 2 });
    expect(await db.models.PendingSend.countDocuments({ _id: trusted({ $regex: `^reply:sms:${sid}` }) })).toBe(0);
    expect(await messageOf(`sms:${sid}`)).toMatchObject({ errorCode: 'turn_failed' });
    expect(await db.models.PendingTurn.countDocuments({ _id: `sms:${sid}` })).toBe(0);
    const given = logLines.filter((line) => line.includes('its turn failed every time'));
    expect(given).toHaveLength(1);
    expect(given[0]).toContain(`sms:${sid}`);
    expect(logLines.join('')).not.toContain(phone);
    expect(logLines.join('')).not.toContain('Gil Fail');
  });
});

describe('retryable reply failures are retried', () => {
  it('retries replies while Twilio answers 503, and sends each exactly once when it is back', async () => {
    const patients = await Promise.all(['Hal One', 'Ida Two', 'Jo Three'].map((name) => enroll(name)));
    logLines.length = 0;
    fake.outage({ forMs: 150_000, httpStatus: 503 });
    const sids = await Promise.all(patients.map(({ phone }) => answerNow(0, phone, 'hello')));
    for (const sid of sids) {
      expect((await messageOf(`sms:${sid}`))?.answeredAt).toBeDefined(); // the turn is done; its reply waits in the outbox
      expect(await messageOf(`reply:sms:${sid}:0`)).toMatchObject({ status: 'queued', errorCode: '20503' });
      expect(await db.models.PendingSend.findById(`reply:sms:${sid}:0`).lean()).toMatchObject({ attempt: 1, outcomeUnknown: false });
    }
    expect(fake.messages.filter((m) => sids.some((sid) => keyOf(m).startsWith(`reply:sms:${sid}`)))).toEqual([]);

    expect(await gatewayOf(1).retryFailed()).toMatchObject({ due: 0 }); // not before its time
    clock.advance(maxRetryWait(1));
    expect(await gatewayOf(1).retryFailed()).toMatchObject({ due: 3, retrying: 3 }); // still down
    clock.advance(maxRetryWait(2) + 150_000); // the outage is over by now
    const [first, second] = await Promise.all([gatewayOf(1).retryFailed(), gatewayOf(2).retryFailed()]);
    expect(first.sent + second.sent).toBe(3);
    for (const sid of sids) {
      expect(repliesTo(sid)).toEqual([`reply:sms:${sid}:0`]);
      expect(await messageOf(`reply:sms:${sid}:0`)).toMatchObject({ status: 'queued', providerId: expect.stringMatching(/^SM/) });
    }
    expect(await db.models.PendingSend.countDocuments()).toBe(0);
    expect(await db.models.MessageClaim.countDocuments({ _id: trusted({ $regex: '^send:' }) })).toBe(0);
  });

  it('after the last attempt the reply is failed with its reason, logged, and shown to staff', async () => {
    const { id, phone } = await enroll('Kim Down');
    fake.outage({ forMs: 24 * 3600_000, httpStatus: 429 });
    try {
      const sid = await answerNow(0, phone, 'hello');
      const key = `reply:sms:${sid}:0`;
      const sweeper = gatewayWith(smsProvider(new TwilioSms({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: OUR_NUMBER, apiBaseUrl: fake.url }), PUBLIC_URL));
      for (let attempt = 1; attempt < MAX_SEND_ATTEMPTS; attempt++) {
        expect(await messageOf(key)).toMatchObject({ status: 'queued', errorCode: '20429' });
        clock.advance(maxRetryWait(attempt));
        expect(await (attempt % 2 ? sweeper : gatewayOf(attempt % 3)).retryFailed()).toMatchObject({ due: 1, [attempt + 1 < MAX_SEND_ATTEMPTS ? 'retrying' : 'failed']: 1 });
      }
      expect(await messageOf(key)).toMatchObject({ status: 'failed', errorCode: '20429' });
      expect(await db.models.PendingSend.countDocuments({ _id: key })).toBe(0);
      const posts = fake.requests.filter((request) => request.method === 'POST' && request.status === 429).length;
      expect(posts).toBeGreaterThanOrEqual(MAX_SEND_ATTEMPTS);

      const res = await server.inject({ method: 'GET', url: `/api/v1/patients/${id}/messages`, headers: { authorization: `Bearer ${adminKey}` } });
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toContainEqual(expect.objectContaining({ id: key, direction: 'outbound', status: 'failed', errorCode: '20429' }));
      const given = logLines.filter((line) => line.includes('marked failed') && line.includes(key));
      expect(given).toHaveLength(1);
      expect(JSON.parse(given[0]!)).toMatchObject({ errorCode: '20429', attempts: MAX_SEND_ATTEMPTS, channel: 'sms' });
      expect(logLines.join('')).not.toContain(phone);
    } finally {
      fake.endOutage();
    }
  });

  it('does not retry a permanent refusal (21211 invalid number)', async () => {
    const { phone } = await enroll('Lu Invalid');
    fake.failNext({ code: 21211, httpStatus: 400 });
    const sid = await answerNow(0, phone, 'hello');
    expect(await messageOf(`reply:sms:${sid}:0`)).toMatchObject({ status: 'failed', errorCode: '21211' });
    const before = fake.requests.length;
    clock.advance(3600_000);
    expect(await gatewayOf(0).retryFailed()).toMatchObject({ due: 0 });
    expect(fake.requests).toHaveLength(before);
  });
});

describe('a retry checks again what the first attempt checked', () => {
  const quiet = { start: '21:00', end: '08:00' };
  const reminder = (patientId: string, phone: string, key: string): OutboundRequest => ({
    channel: 'sms', address: phone, patientId, text: 'Time for your evening pill. Reply TAKEN or SKIP.', idempotencyKey: key, kind: 'proactive', purpose: 'medication_reminders',
  });
  const sender = () => gatewayWith(smsProvider(new TwilioSms({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: OUR_NUMBER, apiBaseUrl: fake.url }), PUBLIC_URL));

  it('waits out the patient\'s quiet hours without using up attempts, then sends once', async () => {
    const { id, phone } = await enroll('Nia Night');
    const gateway = sender();
    while (!inQuietHours(new Date(clock.now().getTime() + 60_000), 'America/New_York', quiet)) clock.advance(60_000); // a minute before
    fake.outage({ forMs: 3600_000 });
    expect(await gateway.send(reminder(id, phone, 'job:test:night'))).toMatchObject({ status: 'retrying' });
    fake.endOutage();
    clock.advance(maxRetryWait(1)); // now in quiet hours
    let deferred = 0;
    for (let sweep = 0; inQuietHours(clock.now(), 'America/New_York', quiet); sweep++) {
      deferred += (await gateway.retryFailed()).deferred;
      clock.advance(15 * 60_000);
    }
    expect(deferred).toBeGreaterThan(MAX_SEND_ATTEMPTS); // more deferrals than attempts: none was used up
    expect(fake.messages.filter((m) => keyOf(m) === 'job:test:night')).toEqual([]);
    expect(await gateway.retryFailed()).toMatchObject({ sent: 1 });
    expect(fake.messages.filter((m) => keyOf(m) === 'job:test:night')).toHaveLength(1);
  });

  it('never retries a message to a patient who opted out meanwhile', async () => {
    const { phone } = await enroll('Oz Out');
    const gateway = sender();
    fake.outage({ forMs: 60_000 });
    expect(await gateway.send({ channel: 'sms', address: phone, text: 'Thanks, we got it.', idempotencyKey: 'reply:test:optout:0', kind: 'reply' })).toMatchObject({ status: 'retrying' });
    await db.repositories.contacts.setOptedOut('sms', phone, true, clock.now());
    clock.advance(maxRetryWait(1) + 60_000);
    expect(await gateway.retryFailed()).toMatchObject({ failed: 1 });
    expect(await messageOf('reply:test:optout:0')).toMatchObject({ status: 'failed', errorCode: 'opted_out' });
    expect(fake.messages.filter((m) => keyOf(m) === 'reply:test:optout:0')).toEqual([]);
  });
});

describe('sends left in flight by a crash are settled with the provider before any resend', () => {
  let twilio: TwilioSms;
  let provider: Deliver;
  let patientId: string;
  let phone: string;

  beforeAll(async () => {
    twilio = new TwilioSms({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: OUR_NUMBER, apiBaseUrl: fake.url });
    provider = smsProvider(twilio, PUBLIC_URL);
    ({ id: patientId, phone } = await enroll('Mo Crash'));
  });

  /**
   * An instance that dies during the provider call: after Twilio took the message (`reached`), or before the
   * request left. Its gateway records the message and its outbox entry, then never hears back.
   */
  function dyingInstance(reached: boolean): OutboundGateway {
    const dies: Deliver = async (message) => {
      if (reached) await provider(message);
      return new Promise(() => {}); // the process is gone: nothing after the call is ever recorded
    };
    return gatewayWith(dies);
  }

  const reply = (key: string, text: string): OutboundRequest => ({ channel: 'sms', address: phone, patientId, text, idempotencyKey: key, kind: 'reply' });
  const sentFor = (key: string) => fake.messages.filter((m) => keyOf(m) === key);
  const crash = async (gateway: OutboundGateway, request: OutboundRequest) => {
    void gateway.send(request);
    await expect.poll(async () => (await messageOf(request.idempotencyKey))?.status).toBe('queued');
  };

  it('matches a message Twilio did take through its message list, and does not send it again', async () => {
    const recordedAt = clock.now();
    await crash(dyingInstance(true), reply('reply:test:reached:0', 'Your appointment is on Tuesday at 10:00.'));
    await expect.poll(() => sentFor('reply:test:reached:0').length).toBe(1);
    clock.advance(SETTLE_AFTER_MS - 1_000);
    expect(await gatewayOf(1).retryFailed()).toMatchObject({ due: 0 }); // still inside the time a call may take
    clock.advance(1_000);
    expect(await gatewayOf(1).retryFailed()).toMatchObject({ due: 1, matched: 1 });
    expect(sentFor('reply:test:reached:0')).toHaveLength(1);
    const listed = fake.requests.filter((request) => request.method === 'GET' && request.path.includes('/Messages.json'));
    const query = new URL(listed.at(-1)?.path ?? '/', 'http://x').searchParams;
    expect(query.get('To')).toBe(phone);
    expect(query.get('DateSent>')).toBe(new Date(recordedAt.getTime() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')); // a minute of clock skew
    expect(await messageOf('reply:test:reached:0')).toMatchObject({ status: 'queued', providerId: sentFor('reply:test:reached:0')[0]!.sid });
    expect(await db.models.PendingSend.countDocuments({ _id: 'reply:test:reached:0' })).toBe(0);
  });

  it('sends once a message whose call never happened', async () => {
    await crash(dyingInstance(false), reply('reply:test:lost:0', 'We got your message and will call you back today.'));
    clock.advance(SETTLE_AFTER_MS);
    const [first, second] = await Promise.all([gatewayOf(1).retryFailed(), gatewayOf(2).retryFailed()]);
    expect(first.sent + second.sent).toBe(1);
    expect(sentFor('reply:test:lost:0')).toHaveLength(1);
    expect(await messageOf('reply:test:lost:0')).toMatchObject({ status: 'queued', providerId: sentFor('reply:test:lost:0')[0]!.sid });
  });

  // Twilio's list cannot say which of two identical texts was which: each of ours gets its own Twilio message.
  it('never matches two identical texts to one Twilio message: one is matched, the other is sent', async () => {
    const text = 'Reply 1 to tell your care team how you are feeling.';
    await crash(dyingInstance(true), reply('reply:test:same:0', text));
    await crash(dyingInstance(false), reply('reply:test:same:1', text));
    await expect.poll(() => sentFor('reply:test:same:0').length).toBe(1);
    clock.advance(SETTLE_AFTER_MS);
    expect(await gatewayOf(1).retryFailed()).toMatchObject({ due: 2, matched: 1, sent: 1 });
    const atTwilio = fake.messages.filter((m) => m.body === text && m.to === phone).map((m) => m.sid);
    expect(atTwilio).toHaveLength(2);
    const recorded = await Promise.all([messageOf('reply:test:same:0'), messageOf('reply:test:same:1')]);
    expect(recorded.map((message) => message?.providerId).sort()).toEqual([...atTwilio].sort());
  });

  it('needs no question when the status callback already settled the message', async () => {
    await crash(dyingInstance(true), reply('reply:test:callback:0', 'See you at the clinic.'));
    await expect.poll(() => sentFor('reply:test:callback:0').length).toBe(1);
    const sid = sentFor('reply:test:callback:0')[0]!.sid;
    await db.repositories.messages.update('reply:test:callback:0', { providerId: sid, status: 'delivered', statusRank: 6 }); // what /sms/status does
    const lists = fake.requests.filter((request) => request.method === 'GET').length;
    clock.advance(SETTLE_AFTER_MS);
    expect(await gatewayOf(1).retryFailed()).toMatchObject({ due: 1, settled: 1 });
    expect(fake.requests.filter((request) => request.method === 'GET')).toHaveLength(lists);
    expect(sentFor('reply:test:callback:0')).toHaveLength(1);
  });

  it('asks Twilio after a call that got no answer, and sends once when it is reachable again', async () => {
    fake.outage({ forMs: 60_000, unreachable: true });
    const outcome = await gatewayOf(0).send(reply('reply:test:reset:0', 'Your refill is ready.'));
    expect(outcome).toMatchObject({ status: 'retrying', errorCode: 'unreachable' });
    expect(await db.models.PendingSend.findById('reply:test:reset:0').lean()).toMatchObject({ outcomeUnknown: true });
    clock.advance(maxRetryWait(1));
    expect(await gatewayOf(1).retryFailed()).toMatchObject({ retrying: 1 }); // the question itself got no answer
    clock.advance(maxRetryWait(2));
    expect(await gatewayOf(1).retryFailed()).toMatchObject({ sent: 1 });
    expect(sentFor('reply:test:reset:0')).toHaveLength(1);
  });
});
