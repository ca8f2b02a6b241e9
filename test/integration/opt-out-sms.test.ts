import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeTwilio } from '../fakes/twilio-server.js';
import { fakeTwilio, startSmsApp } from '../helpers/sms.js';

/**
 * The one opt-out path over real SMS webhooks: a plain-language request opts out like STOP (FCC 2024: any
 * reasonable means), revokes SMS consent, and blocks replies and proactive messages until START.
 */
let fake: FakeTwilio;
let sms: Awaited<ReturnType<typeof startSmsApp>>;
let teamId: string;
let counter = 0;

beforeAll(async () => {
  fake = await fakeTwilio();
  sms = await startSmsApp(fake);
  teamId = (await sms.admin('POST', '/api/v1/care-teams', { name: 'Pulmonology', timeZone: 'America/New_York' })).id;
});

async function enroll(): Promise<{ id: string; phone: string }> {
  const phone = `+1555888${String(++counter).padStart(4, '0')}`;
  const { id } = await sms.admin('POST', '/api/v1/patients', { name: 'Ida Holm', phone, timeZone: 'America/New_York', dateOfBirth: '1948-04-04', careTeamId: teamId, consent: { sms: true } });
  return { id, phone };
}

const say = (phone: string, text: string) => sms.say(phone, text);
const consentOf = async (id: string) => (await sms.admin('GET', `/api/v1/patients/${id}/consent`)).current.sms as { granted: boolean; source: string };
const optedOut = async (phone: string) => (await sms.app.db.repositories.contacts.get('sms', phone))?.optedOut ?? false;
const remind = (patientId: string, key: string) =>
  sms.app.server.conversations.proactive.send({ patientId, channel: 'sms', text: 'Time for your 8 am inhaler. Reply TAKEN or SKIP.', purpose: 'medication_reminders', idempotencyKey: key });

const UNSUBSCRIBED = /unsubscribed.*Reply START/;
const MENU = /Reply 1 to tell your care team how you are feeling/;

describe('plain-language opt-out by SMS', () => {
  it('"please stop texting me" opts out, revokes SMS consent, blocks replies and reminders; START resumes', async () => {
    const { id, phone } = await enroll();
    expect(await say(phone, 'please stop texting me')).toEqual([expect.stringMatching(UNSUBSCRIBED)]);
    expect(await optedOut(phone)).toBe(true);
    expect(await consentOf(id)).toMatchObject({ granted: false, source: 'sms:request' });

    expect(await say(phone, 'hello?')).toEqual([]);
    expect(await remind(id, `job:opt-out-test:${id}:1`)).toMatchObject({ status: 'blocked', reason: 'opted_out' });
    expect(fake.messages.filter((m) => m.to === phone)).toHaveLength(1);

    expect(await say(phone, 'START')).toEqual([expect.stringMatching(/subscribed .* again/)]);
    expect(await consentOf(id)).toMatchObject({ granted: true, source: 'sms:keyword' });
    expect(await say(phone, 'hi')).toEqual([expect.stringMatching(MENU)]);
    expect(await remind(id, `job:opt-out-test:${id}:2`)).toMatchObject({ status: expect.stringMatching(/queued|sent/) });
  });

  it.each(['dont text me anymore', 'unsubscribe me', 'remove me from this list', "I don't want these messages"])(
    '%j at the check-in score prompt opts out with the one confirmation',
    async (request) => {
      const { id, phone } = await enroll();
      expect(await say(phone, '1')).toEqual([expect.stringMatching(/scale of 0 to 10/)]);
      expect(await say(phone, request)).toEqual([expect.stringMatching(UNSUBSCRIBED)]);
      expect(await say(phone, '5')).toEqual([]);
      expect(await consentOf(id)).toMatchObject({ granted: false, source: 'sms:request' });
    },
  );

  it('"stop the reminders for my old inhaler" opts no one out: it says how to stop all and asks the care team', async () => {
    const { id, phone } = await enroll();
    expect(await say(phone, 'stop the reminders for my old inhaler')).toEqual([expect.stringMatching(/reply STOP\. I have asked your care team/)]);
    expect(await optedOut(phone)).toBe(false);
    expect(await consentOf(id)).toMatchObject({ granted: true });
    const alerts = (await sms.admin('GET', `/api/v1/alerts?patientId=${id}`)).items;
    expect(alerts).toEqual([expect.objectContaining({ kind: 'handoff', severity: 'normal' })]);
    expect(await say(phone, 'hi')).toEqual([expect.stringMatching(MENU)]);
  });

  it.each(['how do I stop the bleeding', 'can you stop by'])('%j is not an opt-out', async (text) => {
    const { phone } = await enroll();
    const replies = await say(phone, text);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.join('\n')).not.toMatch(/unsubscribed/);
    expect(await optedOut(phone)).toBe(false);
  });
});

describe('one confirmation per opt-out (CTIA)', () => {
  const confirmations = (phone: string) => fake.messages.filter((m) => m.to === phone && UNSUBSCRIBED.test(m.body));
  const inbound = async (phone: string) => (await sms.app.db.models.Message.find({ address: phone, direction: 'inbound' }).lean()).map((m) => m.text).sort();

  it('STOP three times confirms once and stores all three; START then STOP confirms again', async () => {
    const { phone } = await enroll();
    expect(await say(phone, 'STOP')).toEqual([expect.stringMatching(UNSUBSCRIBED)]);
    expect(await say(phone, 'stop')).toEqual([]);
    expect(await say(phone, 'please stop texting me')).toEqual([]);
    expect(await inbound(phone)).toEqual(['STOP', 'please stop texting me', 'stop']);
    expect(await optedOut(phone)).toBe(true);

    expect(await say(phone, 'START')).toEqual([expect.stringMatching(/subscribed .* again/)]);
    expect(await say(phone, 'STOP')).toEqual([expect.stringMatching(UNSUBSCRIBED)]);
    expect(await say(phone, 'STOP')).toEqual([]);
    expect(confirmations(phone)).toHaveLength(2);
  });

  it('two STOPs at the same moment on two instances, then a third: one confirmation, all three stored', async () => {
    const second = await startSmsApp(fake, { dbName: sms.config.MONGODB_DB_NAME });
    const { phone } = await enroll();
    const answers = await Promise.all([sms.text(phone, 'STOP'), second.text(phone, 'Stop')]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await Promise.all([sms.drain(), second.drain()]);
    expect(await say(phone, 'STOP')).toEqual([]);
    expect(confirmations(phone)).toHaveLength(1);
    expect(await inbound(phone)).toEqual(['STOP', 'STOP', 'Stop']);
    const recorded = await sms.app.db.models.Message.find({ address: phone, direction: 'outbound', kind: 'opt_out_confirmation' }).lean();
    expect(recorded).toHaveLength(1);
  });
});

