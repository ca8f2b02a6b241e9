import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/domain/alerts/alerts.js';
import { createLogger } from '../../src/lib/logger.js';
import { Dispatcher } from '../../src/scheduler/dispatcher.js';
import { alertEscalations } from '../../schedules/alert-escalations.js';
import { StaffSms } from '../../src/domain/alerts/staff-sms.js';
import { reminderHarness, type ReminderHarness } from '../helpers/reminders.js';

/**
 * Escalation end to end on the real database with the injectable clock, the fake Twilio and a local webhook
 * receiver: rules decide, escalation_step jobs page level after level until someone acknowledges. The tests run
 * in order on one clock from Monday 2026-03-02 09:00 in New York (14:00Z).
 */
const MINUTE = 60_000;
const NURSE_A = '+15550001001';
const NURSE_B = '+15550001002';
let h: ReminderHarness;
let admin: (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => Promise<{ status: number; body: any }>;
let nurseA: string;
let nurseB: string;
const hook: { answers: number[]; bodies: unknown[] } = { answers: [], bodies: [] };
let hookServer: http.Server;
let hookUrl: string;

beforeAll(async () => {
  hookServer = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      hook.bodies.push(JSON.parse(body));
      res.writeHead(hook.answers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`;
  h = await reminderHarness(new Date('2026-03-02T14:00:00Z'), {}, { paging: { allowInsecureLocal: true, sleep: async () => undefined } });
  admin = async (method, url, body) => {
    const res = await h.server.inject({ method, url, headers: { authorization: `Bearer ${await adminKey()}` }, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  };
  const staff = (name: string, phone: string) => h.container.staff.create({ name, phone, role: 'nurse', careTeamId: h.careTeamId, notificationChannels: [] });
  nurseA = (await staff('Ann Nurse', NURSE_A)).id;
  nurseB = (await staff('Bob Nurse', NURSE_B)).id;
});
afterAll(() => new Promise<void>((resolve) => hookServer.close(() => resolve())));

let key: string | undefined;
const adminKey = async () => (key ??= await h.keyFor('admin'));

const pagesTo = (phone: string) => h.sentTo(phone).filter((m) => m.body.startsWith('CareLoop alert'));
const shortNumberOf = (body: string) => Number(/^CareLoop alert (\d+),/.exec(body)?.[1]);
const alertOf = async (id: string): Promise<Alert> => (await h.container.alerts.get(id));
/** Ticks the dispatcher at each due escalation job until `until`, as a running scheduler would. */
async function runUntil(until: Date): Promise<void> {
  for (;;) {
    const next = await h.db.models.OutreachJob.findOne({ kind: 'escalation_step' }).sort({ dueAt: 1 }).lean();
    const dueAt = next?.dueAt as Date | undefined;
    if (!dueAt || dueAt > until) break;
    if (dueAt > h.clock.now()) h.advanceTo(dueAt);
    await h.tick();
  }
  if (until > h.clock.now()) h.advanceTo(until);
}
const inMinutes = (minutes: number) => new Date(h.clock.now().getTime() + minutes * MINUTE);

describe('escalation', () => {
  it('pages the right team for a high post-op alert, level 2 after the timeout, and stops at "ACK <n>" from the level-2 nurse', async () => {
    const rule = await admin('POST', '/api/v1/escalation-rules', {
      name: 'Post-op fever: day nurse, then charge nurse',
      condition: { all: [{ event: 'postop_checkin' }, { fact: 'temperature_c', op: '>=', value: 38.3 }] },
      severity: 'high',
      policy: { levels: [{ targets: [{ type: 'staff', staffId: nurseA }], ackTimeoutMinutes: 10 }, { targets: [{ type: 'staff', staffId: nurseB }], ackTimeoutMinutes: 10 }], repeat: 0 },
    });
    expect(rule.status).toBe(201);
    const patient = await h.enroll({ name: 'Ida Berg' });
    // What the post-op check-in raises for a day-3 answer of 38.6 C and thick yellow drainage.
    const raised = await h.container.alerts.raise({
      kind: 'postop_checkin', severity: 'normal', idempotencyKey: 'postop:demo:day3', patientId: patient.id, careTeamId: h.careTeamId,
      reason: 'day 3 check-in', facts: { day: 3, temperature_c: 38.6, drainage: 'thick' },
    });
    expect(raised.raised).toBe(true);
    expect(raised.alert).toMatchObject({ severity: 'high', careTeamId: h.careTeamId, status: 'open' });
    expect(raised.alert.decision?.rules.map((r) => r.id)).toEqual([rule.body.id, 'postop.fever', 'postop.purulent_drainage']);
    // A replay raises nothing new.
    expect((await h.container.alerts.raise({ kind: 'postop_checkin', severity: 'normal', idempotencyKey: 'postop:demo:day3', reason: 'again' })).raised).toBe(false);

    await h.tick();
    expect(pagesTo(NURSE_A)).toHaveLength(1);
    const text = pagesTo(NURSE_A)[0]!.body;
    const shortNumber = shortNumberOf(text);
    expect(text).toMatch(new RegExp(`^CareLoop alert ${shortNumber}, high priority \\(post-op check-in\\) at 09:00 EST\\. Reply ACK ${shortNumber} or open http://127\\.0\\.0\\.1:\\d+/ack\\?t=`));
    // No patient data in the page (the signed link's random token and the random short number, which may
    // contain "38", are left out of this check).
    expect(text.replace(/https?:\/\/\S+/g, '<link>').replaceAll(String(shortNumber), '<n>')).not.toMatch(/Ida|Berg|38|drainage|\+1555/);
    expect(pagesTo(NURSE_B)).toEqual([]);
    expect((await alertOf(raised.alert.id)).status).toBe('notified');

    await runUntil(inMinutes(9));
    expect(pagesTo(NURSE_B)).toEqual([]);
    await runUntil(inMinutes(1));
    expect(pagesTo(NURSE_B).map((m) => m.at.toISOString())).toEqual(['2026-03-02T14:10:00.000Z']);

    // Nurse A was paged too, but the level-2 nurse answers; a rule change afterwards alters nothing in flight.
    expect(await h.say(NURSE_B, `ACK ${shortNumber}`)).toEqual([`CareLoop: alert ${shortNumber} acknowledged by you. Paging has stopped.`]);
    expect(await h.say(NURSE_A, `ack ${shortNumber}`)).toEqual([`CareLoop: alert ${shortNumber} was already acknowledged.`]);
    expect((await admin('PUT', `/api/v1/escalation-rules/${rule.body.id}`, { ...rule.body, id: undefined, version: undefined, createdAt: undefined, updatedAt: undefined, severity: 'normal' })).body.version).toBe(2);
    await runUntil(inMinutes(120));
    const alert = await alertOf(raised.alert.id);
    expect(alert).toMatchObject({ status: 'acknowledged', severity: 'high', acknowledgedBy: { kind: 'staff', staffId: nurseB, via: 'sms' } });
    expect(alert.decision?.rules[0]).toMatchObject({ id: rule.body.id, version: 1, severity: 'high' });
    expect(alert.timeline.map((e) => [e.type, e.staffId ?? null, e.outcome ?? null])).toEqual([
      ['raised', null, null], ['page', nurseA, 'sent'], ['page', nurseB, 'sent'], ['acknowledged', null, null],
    ]);
    expect(pagesTo(NURSE_A)).toHaveLength(1);
    expect(pagesTo(NURSE_B)).toHaveLength(1);
    // The staff texts never became a patient's conversation.
    expect(await h.db.models.Message.countDocuments({ direction: 'inbound', address: NURSE_B })).toBe(0);
    await admin('DELETE', `/api/v1/escalation-rules/${rule.body.id}`);
  });

  it("pages the whole team at once for the emergency-words interrupt's critical alert", async () => {
    const patient = await h.enroll();
    const [aBefore, bBefore] = [pagesTo(NURSE_A).length, pagesTo(NURSE_B).length];
    expect((await h.say(patient.phone, 'I have crushing chest pain'))[0]).toMatch(/Call 911 now/);
    await h.tick();
    const [alert] = (await admin('GET', `/api/v1/alerts?patientId=${patient.id}`)).body.items as { id: string; kind: string; severity: string; status: string; shortNumber: number }[];
    expect(alert).toMatchObject({ kind: 'emergency', severity: 'critical', status: 'notified' });
    expect(pagesTo(NURSE_A).slice(aBefore).map((m) => [m.body.split(' at ')[0], m.at.getTime()])).toEqual([[`CareLoop alert ${alert!.shortNumber}, CRITICAL (emergency words)`, h.clock.now().getTime()]]);
    expect(pagesTo(NURSE_B).slice(bBefore)).toHaveLength(1);
    // Acknowledged and resolved through the API: paging stops, the short number is released.
    expect((await admin('POST', `/api/v1/alerts/${encodeURIComponent(alert!.id)}/acknowledge`)).body.status).toBe('acknowledged');
    const resolved = await admin('POST', `/api/v1/alerts/${encodeURIComponent(alert!.id)}/resolve`, { outcome: 'sent_to_emergency', note: 'called 911 with the patient' });
    expect(resolved.body).toMatchObject({ status: 'resolved', resolution: { outcome: 'sent_to_emergency' }, resolvedBy: { kind: 'api' } });
    expect(resolved.body.shortNumber).toBeUndefined();
    expect((await admin('POST', `/api/v1/alerts/${encodeURIComponent(alert!.id)}/resolve`, { outcome: 'other' })).status).toBe(409);
    expect((await admin('POST', `/api/v1/alerts/${encodeURIComponent(alert!.id)}/resolve`, { outcome: { $ne: 1 } })).status).toBe(400);
    await runUntil(inMinutes(60));
    expect(pagesTo(NURSE_A).slice(aBefore)).toHaveLength(1);
  });

  it('holds a normal alert outside support hours until they open', async () => {
    h.advanceTo(new Date('2026-03-03T01:00:00Z')); // Monday 20:00 in New York
    const rule = await admin('POST', '/api/v1/escalation-rules', {
      name: 'Low wellbeing in office hours', condition: { event: 'wellbeing_low' }, severity: 'normal',
      policy: { levels: [{ targets: [{ type: 'team' }], ackTimeoutMinutes: 60 }], repeat: 0, supportHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00' } },
    });
    const patient = await h.enroll();
    const before = pagesTo(NURSE_A).length;
    const { alert } = await h.container.alerts.raise({ kind: 'wellbeing_low', severity: 'normal', idempotencyKey: 'wb:1', patientId: patient.id, careTeamId: h.careTeamId, reason: 'score 2', facts: { score: 2 } });
    await h.tick();
    expect(pagesTo(NURSE_A).length).toBe(before);
    expect((await alertOf(alert.id)).timeline.at(-1)).toMatchObject({ type: 'waiting', until: new Date('2026-03-03T14:00:00Z') });
    await runUntil(new Date('2026-03-03T13:59:00Z'));
    expect(pagesTo(NURSE_A).length).toBe(before);
    await runUntil(new Date('2026-03-03T14:00:00Z'));
    expect(pagesTo(NURSE_A).slice(before).map((m) => [m.at.toISOString(), m.body.includes('normal priority')])).toEqual([['2026-03-03T14:00:00.000Z', true]]);
    // Nobody acknowledges: a normal alert expires after its last level (no admins flagged).
    await runUntil(inMinutes(61));
    expect(await alertOf(alert.id)).toMatchObject({ status: 'expired' });
    await admin('DELETE', `/api/v1/escalation-rules/${rule.body.id}`);
  });

  it('retries a webhook answering 500, and acknowledges once by the signed link (GET only asks)', async () => {
    const team = await h.container.careTeams.create({ name: 'Wound clinic', timeZone: 'America/New_York' });
    // Through the repository: the API accepts only https webhooks, the test receiver is local http.
    const hooked = await h.db.repositories.staff.create({ name: 'Hook Nurse', role: 'nurse', careTeamId: team.id, notificationChannels: [{ type: 'webhook', address: hookUrl }] });
    hook.answers.push(500, 500);
    const { alert } = await h.container.alerts.raise({ kind: 'handoff', severity: 'high', idempotencyKey: 'handoff:hook', careTeamId: team.id, reason: 'asked for a person' });
    await h.tick();
    expect(hook.bodies).toHaveLength(3);
    expect(hook.bodies[2]).toMatchObject({ type: 'careloop.page', alert: { id: alert.id, severity: 'high', category: 'asked for a person' } });
    const paged = (await alertOf(alert.id)).timeline.find((e) => e.type === 'page');
    expect(paged).toMatchObject({ staffId: hooked.id, channel: 'webhook', outcome: 'delivered', attempts: 3 });

    const ackUrl = new URL((hook.bodies[2] as { links: { ack: string } }).links.ack);
    const token = ackUrl.searchParams.get('t')!;
    const shown = await h.server.inject({ method: 'GET', url: `/ack?t=${encodeURIComponent(token)}` });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('<form method="post" action="/ack">');
    expect((await alertOf(alert.id)).status).toBe('notified');
    const post = () => h.server.inject({ method: 'POST', url: '/ack', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `t=${encodeURIComponent(token)}` });
    expect((await post()).statusCode).toBe(200);
    expect(await alertOf(alert.id)).toMatchObject({ status: 'acknowledged', acknowledgedBy: { kind: 'staff', staffId: hooked.id, via: 'link' } });
    expect((await post()).statusCode).toBe(409);
    const forged = `${token.startsWith('A') ? 'B' : 'A'}${token.slice(1)}`; // another payload under the same signature
    expect((await h.server.inject({ method: 'GET', url: `/ack?t=${encodeURIComponent(forged)}` })).statusCode).toBe(403);
    expect((await h.server.inject({ method: 'GET', url: '/ack?t=not-a-token' })).statusCode).toBe(400);
  });

  it('never double-pages with two dispatchers on the same jobs', async () => {
    const second = new Dispatcher({
      store: h.db.repositories.outreach, handlers: h.container.scheduler.dispatcher.handlers, clock: h.clock, logger: createLogger('silent'),
      batchSize: 50, leaseMs: 60_000, catchUpWindowMs: 120 * MINUTE, owner: 'second-instance',
    });
    const before = [pagesTo(NURSE_A).length, pagesTo(NURSE_B).length];
    const alerts = await Promise.all([1, 2, 3].map((n) => h.container.alerts.raise({ kind: 'handoff', severity: 'high', idempotencyKey: `race:${n}`, careTeamId: h.careTeamId, reason: 'asked for a person' })));
    await Promise.all([h.tick(), second.tick(h.clock.now()), h.tick(), second.tick(h.clock.now())]);
    const numbers = alerts.map(({ alert }) => alert.shortNumber);
    expect(new Set(numbers).size).toBe(3);
    for (const [i, phone] of [NURSE_A, NURSE_B].entries()) expect(pagesTo(phone).slice(before[i]).map((m) => shortNumberOf(m.body)).sort()).toEqual([...numbers].sort());
  });

  it('pages an open alert stored before escalation existed, once, and leaves the old acknowledged ones', async () => {
    const patient = await h.enroll();
    const before = [pagesTo(NURSE_A).length, pagesTo(NURSE_B).length];
    // As the version before escalation stored them: a top-level source, `routine`, no policy, no escalation state.
    const old = { kind: 'handoff', severity: 'routine', patientId: patient.id, careTeamId: h.careTeamId, channel: 'sms', address: patient.phone, reason: 'asked for a person', createdAt: h.clock.now(), updatedAt: h.clock.now() };
    await h.db.models.Alert.collection.insertMany([
      { ...old, _id: 'handoff:legacy-open' as never, status: 'open', messageId: 'SMlegacy1' },
      { ...old, _id: 'handoff:legacy-acked' as never, status: 'acknowledged', messageId: 'SMlegacy2' },
    ]);
    expect(await alertEscalations.run({ alerts: h.container.alerts, clock: h.clock })).toEqual({ legacy_alerts_started: 1 });
    expect(await alertEscalations.run({ alerts: h.container.alerts, clock: h.clock })).toEqual({ legacy_alerts_started: 0 });
    await h.tick();
    const alert = await alertOf('handoff:legacy-open');
    expect(alert).toMatchObject({ status: 'notified', severity: 'normal', source: { channel: 'sms', messageId: 'SMlegacy1' } });
    for (const [i, phone] of [NURSE_A, NURSE_B].entries()) expect(pagesTo(phone).slice(before[i]).map((m) => shortNumberOf(m.body))).toEqual([alert.shortNumber]);
    expect((await alertOf('handoff:legacy-acked')).shortNumber).toBeUndefined();
    await h.container.alerts.resolve(alert.id, { kind: 'api', keyId: 'test' }, { outcome: 'other' });
  });

  it('an "ACK <n>" cut off by a crash before its reply is acknowledged and answered when Twilio delivers it again', async () => {
    const { alert } = await h.container.alerts.raise({ kind: 'handoff', severity: 'high', idempotencyKey: 'crash-ack', careTeamId: h.careTeamId, reason: 'asked for a person' });
    await h.tick();
    const shortNumber = (await alertOf(alert.id)).shortNumber!;
    const deps = {
      staffByPhone: (phone: string) => h.db.repositories.staffDirectory.byPhone(phone), alerts: h.container.alerts,
      once: (key: string, holder: string) => h.db.repositories.alerts.once(key, holder),
      optOuts: h.container.conversations.optOuts,
    };
    const sms = { from: NURSE_A, body: `ACK ${shortNumber}`, providerMessageId: 'SMcrashack1' };
    // The process dies after the acknowledgement's claim, before its reply went out.
    const crashing = new StaffSms({ ...deps, send: () => Promise.reject(new Error('killed')) });
    await expect(crashing.handle(sms)).rejects.toThrow('killed');
    const before = h.sentTo(NURSE_A).length;
    const restarted = new StaffSms({ ...deps, send: (request) => h.container.conversations.gateway.sendStaffPage(request) });
    expect(await restarted.handle(sms)).toBe(true);
    expect(h.sentTo(NURSE_A).slice(before).map((m) => m.body)).toEqual([`CareLoop: alert ${shortNumber} acknowledged by you. Paging has stopped.`]);
    expect(await alertOf(alert.id)).toMatchObject({ status: 'acknowledged', acknowledgedBy: { kind: 'staff', staffId: nurseA, via: 'sms' } });
    // A third delivery: the claim is this nurse's, so it runs again, and every step is idempotent (no second text).
    expect(await restarted.handle(sms)).toBe(true);
    expect(h.sentTo(NURSE_A).slice(before)).toHaveLength(1);
    await h.container.alerts.resolve(alert.id, { kind: 'api', keyId: 'test' }, { outcome: 'other' });
  });

  it('refuses a malformed rule with the reason, and changes nothing', async () => {
    const bad = await admin('POST', '/api/v1/escalation-rules', { name: 'typo', condition: { all: [{ event: 'postop_checkin' }, { fact: 'temprature_c', op: '>=', value: 38 }] }, severity: 'high' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/temprature_c/);
    expect((await admin('POST', '/api/v1/escalation-rules', { name: 'x', condition: { event: 'handoff' }, severity: 'urgent' })).status).toBe(400);
    expect((await admin('GET', '/api/v1/escalation-rules')).body.items).toEqual([]);
  });

  // Last: it starts this process's schedules, as `npm start` does.
  it('pages at once, without a dispatcher tick, when the schedules run in the process that raised the alert', async () => {
    const patient = await h.enroll();
    const before = pagesTo(NURSE_A).length;
    h.container.startSchedules();
    expect((await h.say(patient.phone, 'my husband collapsed and is not breathing'))[0]).toMatch(/Call 911 now/);
    await h.container.scheduler.settled();
    const [alert] = (await admin('GET', `/api/v1/alerts?patientId=${patient.id}`)).body.items as { severity: string; status: string; shortNumber: number }[];
    expect(alert).toMatchObject({ severity: 'critical', status: 'notified' });
    expect(pagesTo(NURSE_A).slice(before).map((m) => shortNumberOf(m.body))).toEqual([alert!.shortNumber]);
  });
});
