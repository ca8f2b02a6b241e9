import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app/start.js';
import { ApiKeyService } from '../../src/domain/auth/service.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import type { FakeTwilio } from '../fakes/twilio-server.js';
import { testConfig } from '../helpers/db.js';
import { freePort } from '../helpers/port.js';
import { ACCOUNT_SID, AUTH_TOKEN, fakeTwilio, newMessageSid, OUR_NUMBER } from '../helpers/sms.js';

/**
 * A flood of texts from one number, through real webhooks, the real dialogs and a real database: the replies
 * are capped at SMS_REPLIES_PER_MINUTE plus one notice, every message is still stored and its turn still runs,
 * emergency instructions always go out, and other numbers do not notice. The minute is the app's own clock.
 */
const clock = fixedClock(new Date('2026-03-10T15:00:00Z'));
let fake: FakeTwilio;
let app: RunningApp;
let adminKey: string;
let teamId: string;
let cap: number;
let counter = 0;

beforeAll(async () => {
  fake = await fakeTwilio();
  const port = await freePort();
  const config = testConfig({
    PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_FROM: OUR_NUMBER, TWILIO_API_BASE_URL: fake.url, CLINIC_NAME: 'Riverside Clinic', QUIET_HOURS: '00:00-00:00',
    // Every webhook comes from one address here (as from Twilio's): the HTTP limit per address is not under test.
    RATE_LIMIT_PER_MINUTE: '100000',
  });
  cap = config.SMS_REPLIES_PER_MINUTE;
  app = await startApp(config, createLogger('silent'), clock);
  afterAll(() => app.stop());
  adminKey = (await new ApiKeyService(app.db.repositories.apiKeys, clock).create({ name: 'flood test', role: 'admin' }, 'test')).key;
  teamId = (await admin('POST', '/api/v1/care-teams', { name: 'Cardiology', timeZone: 'America/New_York' })).id;
});

async function admin(method: 'GET' | 'POST', path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${app.url}${path}`, {
    method, headers: { authorization: `Bearer ${adminKey}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function enroll(): Promise<{ id: string; phone: string }> {
  const phone = `+1555777${String(++counter).padStart(4, '0')}`;
  const { id } = await admin('POST', '/api/v1/patients', { name: 'Flo Ode', phone, timeZone: 'America/New_York', dateOfBirth: '1950-05-05', careTeamId: teamId, consent: { sms: true } });
  return { id, phone };
}

const drain = () => app.server.conversations.runtime.drain();
const sentTo = (phone: string) => fake.messages.filter((m) => m.to === phone).map((m) => m.body);

/** Posts one signed inbound SMS; the webhook must take it. */
async function text(phone: string, body: string): Promise<void> {
  const res = await fake.postInbound(`${app.url}/sms/inbound`, fake.inboundParams({ from: phone, to: OUR_NUMBER, body, messageSid: newMessageSid() }));
  if (res.status !== 200) throw new Error(`inbound webhook answered ${res.status}`);
}

/** `count` texts from one number, `inFlight` webhooks at a time, as a phone stuck in a loop sends them. */
async function flood(phone: string, count: number, inFlight = 25): Promise<void> {
  for (let sent = 0; sent < count; sent += inFlight) {
    await Promise.all(Array.from({ length: Math.min(inFlight, count - sent) }, () => text(phone, 'hello')));
  }
}

const EMERGENCY = /This may be an emergency\. Call 911 now/;
const NOTICE = /^You're sending messages faster than we can answer\..*call 911\.$/;

describe('a flood of texts from one number', () => {
  it('gets the cap and one notice, every message stored, emergency replies through, other numbers unaffected', { timeout: 300_000 }, async () => {
    const flooder = await enroll();
    const neighbour = await enroll();

    await flood(flooder.phone, 150);
    await drain();
    const beforeEmergency = sentTo(flooder.phone);
    expect(beforeEmergency).toHaveLength(cap + 1);
    expect(beforeEmergency.at(-1)).toMatch(NOTICE);
    expect(beforeEmergency.slice(0, -1).every((body) => !NOTICE.test(body))).toBe(true);

    // Past the cap, in the middle of the flood: the emergency instructions still go out, and the alert is raised.
    await text(flooder.phone, "crushing chest pain and I can't breathe");
    await drain();
    const emergencyReplies = sentTo(flooder.phone).slice(cap + 1);
    expect(emergencyReplies).toEqual([expect.stringMatching(EMERGENCY), expect.stringMatching(/alerted your care team/)]);
    const alerts = (await admin('GET', `/api/v1/alerts?patientId=${flooder.id}`)).items;
    expect(alerts).toEqual([expect.objectContaining({ kind: 'emergency', severity: 'critical' })]);

    // The rest of the flood, while another patient texts: they get every reply; the flooder gets nothing more.
    const neighbourTurns = (async () => {
      for (const body of ['hello', '1', '7']) await text(neighbour.phone, body);
    })();
    await Promise.all([flood(flooder.phone, 149), neighbourTurns]);
    await drain();
    expect(sentTo(flooder.phone)).toHaveLength(cap + 1 + 2);
    expect(sentTo(neighbour.phone)).toEqual([
      expect.stringMatching(/^Hi Flo/), expect.stringMatching(/scale of 0 to 10/), expect.stringMatching(/anything you want your care team to know/),
    ]);

    // Nothing the patient said is lost: all 300 stored, each turn ran and its reply is recorded as held back.
    const messages = await app.db.models.Message.find({ address: flooder.phone }).lean();
    expect(messages.filter((m) => m.direction === 'inbound')).toHaveLength(300);
    const held = messages.filter((m) => m.blockedReason === 'reply_cap');
    expect(held).toHaveLength(299 - (cap + 1));
    expect(messages.filter((m) => m.kind === 'reply_cap_notice')).toHaveLength(1);

    // A minute later the number is answered again.
    clock.advance(60_000);
    await text(flooder.phone, 'hello');
    await drain();
    expect(sentTo(flooder.phone).slice(cap + 3)).toEqual([expect.stringMatching(/Hi Flo|did not understand/)]);
  });
});
