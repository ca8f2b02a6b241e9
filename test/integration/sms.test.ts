import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeTwilio } from '../fakes/twilio-server.js';
import { fakeTwilio, newMessageSid, startSmsApp } from '../helpers/sms.js';

let fake: FakeTwilio;
let sms: Awaited<ReturnType<typeof startSmsApp>>;
let adminKey: string;
let teamId: string;
let phoneCounter = 0;

beforeAll(async () => {
  fake = await fakeTwilio();
  sms = await startSmsApp(fake);
  adminKey = await sms.adminKey();
  teamId = (await post('/api/v1/care-teams', { name: 'Riverside Cardiology', timeZone: 'America/New_York' })).id;
});

const post = (path: string, body: unknown): Promise<{ id: string }> => sms.admin('POST', path, body);

/** Enrolls a patient with a number of their own, SMS consent given. */
async function enroll(name = 'Ana Diaz'): Promise<{ id: string; phone: string }> {
  const phone = `+1555${String(Date.now() % 1000).padStart(3, '0')}${String(++phoneCounter).padStart(4, '0')}`;
  const { id } = await post('/api/v1/patients', { name, phone, timeZone: 'America/New_York', dateOfBirth: '1950-05-05', careTeamId: teamId, consent: { sms: true } });
  return { id, phone };
}

const say = (phone: string, body: string) => sms.say(phone, body);

const messagesOf = (patientId: string) => sms.app.db.models.Message.find({ patientId }).lean();

describe('inbound SMS', () => {
  it('answers a signed inbound SMS with empty TwiML and exactly one reply through Twilio', async () => {
    const { phone } = await enroll();
    const res = await sms.text(phone, 'hello');
    expect(res.status).toBe(200);
    expect(res.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    await sms.drain();
    const sent = fake.messages.filter((m) => m.to === phone);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ from: '+15550009999', body: expect.stringContaining('Hi Ana') });
    expect(sent[0]!.statusCallback).toMatch(/\/sms\/status\?m=reply%3Asms%3ASM/);
  });

  it('processes a replayed webhook once, also when the replay reaches a second instance', async () => {
    const { phone, id } = await enroll('Ben Ode');
    const second = await startSmsApp(fake, { dbName: sms.config.MONGODB_DB_NAME });
    const messageSid = newMessageSid();
    const params = fake.inboundParams({ from: phone, to: '+15550009999', body: 'hello', messageSid });
    const answers = await Promise.all([fake.postInbound(sms.inboundUrl, params), fake.postInbound(sms.inboundUrl, params), fake.postInbound(second.inboundUrl, params)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await Promise.all([sms.drain(), second.drain()]);
    expect(fake.messages.filter((m) => m.to === phone)).toHaveLength(1);
    const inbound = (await messagesOf(id)).filter((m) => m.direction === 'inbound');
    expect(inbound.map((m) => m._id)).toEqual([`sms:${messageSid}`]);
  });

  it('answers a forged, altered or missing signature with 403 and stores nothing', async () => {
    const { phone, id } = await enroll('Cy Forge');
    const params = fake.inboundParams({ from: phone, to: '+15550009999', body: 'STOP', messageSid: newMessageSid() });
    const forged = await fake.postInbound(sms.inboundUrl, params, { signature: 'bm90IGEgc2lnbmF0dXJl' });
    const missing = await fake.postInbound(sms.inboundUrl, params, { signature: null });
    const altered = await fake.postInbound(sms.inboundUrl, { ...params, Body: 'START' }, { signature: fake.sign(sms.inboundUrl, params) });
    expect([forged.status, missing.status, altered.status]).toEqual([403, 403, 403]);
    await sms.drain();
    expect(await messagesOf(id)).toHaveLength(0);
    expect(await sms.app.db.repositories.contacts.get('sms', phone)).toMatchObject({ optedOut: false });
  });

  it('rejects a signed webhook with bad fields with 400', async () => {
    const params = { MessageSid: 'not-a-sid', From: '+15551110000', To: '+15550009999', Body: 'hi', AccountSid: 'x' };
    const res = await fake.postInbound(sms.inboundUrl, params);
    expect(res.status).toBe(400);
  });

  it('records MMS photos as references on the message', async () => {
    const { phone, id } = await enroll('Di Photo');
    await sms.text(phone, 'here is my wound', { media: [{ url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1', contentType: 'image/jpeg' }] });
    await sms.drain();
    const inbound = (await messagesOf(id)).find((m) => m.direction === 'inbound');
    expect(inbound?.media).toEqual([{ url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1', contentType: 'image/jpeg' }]);
  });

  it('lets an unknown number talk without enrolling it or showing anyone data', async () => {
    const stranger = `+1444${randomBytes(3).readUIntBE(0, 3).toString().padStart(7, '0').slice(0, 7)}`;
    const replies = await say(stranger, 'hi is this the clinic');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/do not have a patient record/);
    expect(await sms.app.db.models.Patient.countDocuments({ phone: stranger })).toBe(0);
  });
});

describe('opt-out', () => {
  it.each(['STOP', ' stop ', 'Unsubscribe', 'QUIT', 'cancel', 'End', 'STOPALL', 'revoke', 'OptOut'])(
    '"%s" revokes consent at once, confirms once, sends nothing more until START',
    async (word) => {
      const { phone, id } = await enroll('Opt Out');
      expect(await say(phone, word)).toEqual([expect.stringMatching(/unsubscribed.*Reply START/)]);
      expect(await say(phone, 'hello?')).toEqual([]);
      expect(await say(phone, 'AGENT')).toEqual([]);
      const blocked = (await messagesOf(id)).filter((m) => m.status === 'blocked');
      expect(blocked.length).toBeGreaterThanOrEqual(2);
      expect(blocked.every((m) => m.blockedReason === 'opted_out')).toBe(true);

      const patient: any = await (await fetch(`${sms.app.url}/api/v1/patients/${id}`, { headers: { authorization: `Bearer ${adminKey}` } })).json();
      expect(patient.consent.sms).toBe(false);

      expect(await say(phone, 'START')).toEqual([expect.stringMatching(/subscribed .* again/)]);
      expect(await say(phone, 'hello')).toHaveLength(1);
    },
  );
});

describe('delivery status callbacks', () => {
  async function sentTo(phone: string) {
    await say(phone, 'hello');
    const message = fake.messages.filter((m) => m.to === phone).at(-1)!;
    const id = new URL(message.statusCallback!).searchParams.get('m')!;
    return { sid: message.sid, id };
  }
  const statusOf = async (id: string) => (await sms.app.db.models.Message.findById(id).lean())!;

  it('ends in the right final status whatever order the callbacks arrive in', async () => {
    const { phone } = await enroll('Status Order');
    const { sid, id } = await sentTo(phone);
    for (const status of ['delivered', 'sent', 'queued', 'sent', 'delivered']) {
      expect((await fake.postStatus(sid, status)).status).toBe(204);
    }
    expect(await statusOf(id)).toMatchObject({ status: 'delivered', providerId: sid });
  });

  it('records failures with their error code, and a carrier opt-out (21610) opts the patient out', async () => {
    const { phone, id: patientId } = await enroll('Carrier Stop');
    const first = await sentTo(phone);
    await fake.postStatus(first.sid, 'undelivered', 30007);
    await fake.postStatus(first.sid, 'sent');
    expect(await statusOf(first.id)).toMatchObject({ status: 'undelivered', errorCode: '30007' });

    const second = await sentTo(phone);
    await fake.postStatus(second.sid, 'failed', 21610);
    expect(await sms.app.db.models.Contact.findById(`sms:${phone}`).lean()).toMatchObject({ optedOut: true });
    expect(await say(phone, 'hello')).toEqual([]);
    const consent: any = await (await fetch(`${sms.app.url}/api/v1/patients/${patientId}/consent`, { headers: { authorization: `Bearer ${adminKey}` } })).json();
    expect(consent.current.sms.granted).toBe(false);
  });

  it('rejects an unsigned status callback and one for a message we never sent', async () => {
    const { phone } = await enroll('Bad Callback');
    const { sid, id } = await sentTo(phone);
    const url = `${sms.app.url}/sms/status?m=${encodeURIComponent(id)}`;
    const params = { MessageSid: sid, MessageStatus: 'failed', AccountSid: 'AC0', To: phone, From: '+15550009999' };
    expect((await fake.postInbound(url, params, { signature: 'forged' })).status).toBe(403);
    expect((await statusOf(id)).status).not.toBe('failed');
    const unknown = `${sms.app.url}/sms/status?m=reply%3Anothing`;
    expect((await fake.postInbound(unknown, params)).status).toBe(404);
  });

  it('marks a message failed when Twilio refuses it, with the code', async () => {
    const { phone, id } = await enroll('Refused');
    fake.failNext({ code: 21211, httpStatus: 400 });
    await say(phone, 'hello');
    const outbound = (await messagesOf(id)).filter((m) => m.direction === 'outbound');
    expect(outbound.at(-1)).toMatchObject({ status: 'failed', errorCode: '21211' });
  });
});
