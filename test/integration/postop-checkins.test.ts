import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/medication/local-time.js';
import { reminderHarness, type ReminderHarness } from '../helpers/reminders.js';

/**
 * Post-op check-ins end to end on the real database and the fake Twilio: enrolment schedules them, the
 * dispatcher sends them at their time (injectable clock), the patient answers by signed SMS webhook (or in web
 * chat). The tests run in order on one clock, from Monday 2026-03-02, 12:00 in New York.
 */
const CLINIC_PHONE = '+15550001111';
const Q = {
  breathing: 'Are you short of breath, or do you have chest pain? Reply NO, BREATH, CHEST or BOTH.',
  bleeding: 'Is your wound bleeding? Reply NO, A LITTLE, or HEAVY if blood soaks the dressing or will not stop.',
  opening: 'Have the edges of your wound come apart? Reply NO, YES, or INSIDE if you can see anything inside it or coming out.',
  temperature: 'What is your temperature today? Reply the number, like 98.6 or 37.0, or NOT TAKEN if you could not check it.',
  pain: 'How bad is your pain right now, from 0 (no pain) to 10 (worst pain you can imagine)? Reply 0-10.',
};
const CALL_TEAM = `Please call your surgical team today at ${CLINIC_PHONE}. If you get worse or feel very unwell before then, call 911.`;
const CALL_911 = /^Call 911 now, or have someone take you to the nearest emergency department\. Do not drive yourself\./;
const MENU = /Reply 1 to tell your care team how you are feeling/;
const HOUR = 3_600_000;
let h: ReminderHarness;
const enrolled: string[] = [];

beforeAll(async () => {
  h = await reminderHarness(new Date('2026-03-02T17:00:00Z'), { CLINIC_PHONE, POSTOP_REMINDER_MINUTES: '120' });
});
// Each test's enrolments end with it, so later tests run only their own check-ins.
afterEach(async () => {
  for (const id of enrolled.splice(0)) await h.api('DELETE', `/api/v1/patients/${id}/postop`);
});

/** The patient's local date today, `days` from now. */
const today = (days = 0) => addDays(h.local(h.clock.now()).date, days);

async function enrol(patientId: string, surgeryDate: string, extra: Record<string, unknown> = {}) {
  const res = await h.api('POST', `/api/v1/patients/${patientId}/postop`, { procedure: 'Appendectomy', surgeryDate, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  enrolled.push(patientId);
  return res.json() as { id: string };
}

/** The patient's next check-in job (an ask). */
async function nextAsk(patientId: string) {
  const jobs = (await h.liveJobs(patientId)).filter((job) => job.kind === 'postop_checkin' && job.payload.step === 'ask');
  expect(jobs.length).toBeGreaterThan(0);
  return jobs[0]!;
}


const checkIns = async (patientId: string) => (await h.api('GET', `/api/v1/patients/${patientId}/postop/checkins`)).json();
const alerts = async (patientId: string) => (await h.db.repositories.alerts.list({ patientId }, { limit: 20 })).items;

describe('the post-op check-in over SMS', () => {
  it('day 3, "38.6" with thick yellow drainage: a high alert, the questions stop, the patient is told to call the team', async () => {
    const patient = await h.enroll();
    await enrol(patient.id, today(-2));
    const ask = await nextAsk(patient.id);
    expect(ask.key).toMatch(/:d3@/);
    await h.runUntil(ask.dueAt);
    expect(h.sentTo(patient.phone).map((m) => m.body)).toEqual([`Your recovery check-in (day 3): ${Q.breathing}`]);
    expect(h.local(h.sentTo(patient.phone)[0]!.at).time).toBe('10:00');

    expect(await h.say(patient.phone, 'no')).toEqual([Q.bleeding]);
    expect(await h.say(patient.phone, 'No')).toEqual([Q.opening]);
    expect(await h.say(patient.phone, 'nope')).toEqual([Q.temperature]);
    expect(await h.say(patient.phone, '38.6 and thick yellow discharge from the wound')).toEqual([CALL_TEAM]);
    const raised = await alerts(patient.id);
    expect(raised).toEqual([expect.objectContaining({ kind: 'postop_checkin', severity: 'high', status: 'open', careTeamId: expect.any(String) })]);
    expect(raised[0]!.reason).toMatch(/day 3: postop\.fever, postop\.pus_or_smell\b.*; facts .*temperature_c=38\.6.*drainage=thick/);
    expect(raised[0]!.reason).not.toMatch(/yellow|wound\b/);

    // The check-in is over: the next message goes to the conversation, and no reminder follows.
    expect(await h.say(patient.phone, 'hello')).toEqual([expect.stringMatching(MENU)]);
    const sent = h.sentTo(patient.phone).length;
    await h.runUntil(new Date(h.clock.now().getTime() + 5 * HOUR));
    expect(h.sentTo(patient.phone)).toHaveLength(sent);

    const { items, trends } = await checkIns(patient.id);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ day: 3, status: 'red_flag', protocolId: 'default-postop', protocolVersion: 1, facts: { temperature_c: 38.6, drainage: 'thick' } });
    expect(items[0].answers.map((answer: { text: string; status: string }) => [answer.text, answer.status])).toEqual([
      ['no', 'answered'], ['No', 'answered'], ['nope', 'answered'], ['38.6 and thick yellow discharge from the wound', 'red_flag'],
    ]);
    expect(items[0].redFlags.map((flag: { id: string }) => flag.id)).toEqual(['postop.fever', 'postop.pus_or_smell', 'triage.postop.wound_infection_or_opening']);
    expect(trends).toEqual([expect.objectContaining({ day: 3, temperatureC: 38.6, wound: expect.objectContaining({ drainage: 'thick', opening: false, bleeding: 'none' }), redFlag: 'high' })]);
  });

  it('a critical answer tells the patient to call 911 and raises a critical alert at once', async () => {
    const patient = await h.enroll();
    await enrol(patient.id, today(0));
    await h.runUntil((await nextAsk(patient.id)).dueAt);
    const replies = await h.say(patient.phone, 'BOTH');
    expect(replies).toEqual([expect.stringMatching(CALL_911)]);
    expect(await alerts(patient.id)).toEqual([expect.objectContaining({ kind: 'postop_checkin', severity: 'critical' })]);
  });

  it('an unclear answer is asked again once, then left; every answer is stored, an MMS photo as a media reference', async () => {
    const patient = await h.enroll();
    await enrol(patient.id, today(-2));
    await h.runUntil((await nextAsk(patient.id)).dueAt);
    // All 14 answers within one minute, more than SMS_REPLIES_PER_MINUTE (10): the check-in's questions are never held.
    for (const answer of ['no', 'no', 'no', '98.6']) expect(await h.say(patient.phone, answer)).toHaveLength(1);
    expect(await h.say(patient.phone, 'banana')).toEqual(['Please reply with one number from 0 (no pain) to 10 (the worst pain you can imagine).']);
    expect(await h.say(patient.phone, 'banana')).toEqual(['Is the pain medicine you were prescribed keeping your pain under control? Reply YES or NO.']);
    for (const answer of ['yes', 'no', 'no', 'no', 'no', 'yes', 'yes']) expect(await h.say(patient.phone, answer)).toHaveLength(1);
    const photo = [{ url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1', contentType: 'image/jpeg' }];
    expect(await h.say(patient.phone, '', photo)).toEqual([`Thank you, your answers are with your care team. If anything gets worse, call ${CLINIC_PHONE}; in an emergency call 911.`]);
    const { items, trends } = await checkIns(patient.id);
    expect(items[0]).toMatchObject({ status: 'completed', facts: { temperature_c: 37, photo: true, swelling: false } });
    expect(items[0].answers).toHaveLength(14);
    expect(items[0].answers.filter((answer: { status: string }) => answer.status === 'unclear').map((answer: { questionId: string }) => answer.questionId)).toEqual(['pain', 'pain']);
    expect(items[0].answers.at(-1)).toMatchObject({ questionId: 'photo', status: 'answered', value: true, media: photo });
    expect(trends[0]).toMatchObject({ temperatureC: 37, wound: { redness: 'none', swelling: false, drainage: 'none' } });
    expect(trends[0].pain).toBeUndefined();
    expect(await alerts(patient.id)).toEqual([]);
  });

  it('emergency words and STOP during a check-in still win', async () => {
    const patient = await h.enroll();
    await enrol(patient.id, today(0));
    await h.runUntil((await nextAsk(patient.id)).dueAt);
    expect((await h.say(patient.phone, 'I have crushing chest pain'))[0]).toMatch(/Call 911 now/);
    expect((await alerts(patient.id)).map((alert) => alert.kind)).toEqual(['emergency']);
    expect(await h.say(patient.phone, 'STOP')).toHaveLength(1);
    // The reminder is refused by the gateway (opted out): nothing more reaches the patient.
    const sent = h.sentTo(patient.phone).length;
    await h.runUntil(new Date(h.clock.now().getTime() + 5 * HOUR));
    expect(h.sentTo(patient.phone)).toHaveLength(sent);
  });
});

describe('non-responders, consent and changes', () => {
  it('a non-responder is reminded, and after two missed check-ins in a row alerted, once per run', async () => {
    const patient = await h.enroll();
    const enrolment = await enrol(patient.id, today(0));
    const day1 = (await nextAsk(patient.id)).dueAt;
    await h.runUntil(new Date(day1.getTime() + 5 * HOUR));
    expect(h.sentTo(patient.phone).map((m) => [m.body.slice(0, 40), (m.at.getTime() - day1.getTime()) / HOUR])).toEqual([
      ['Your recovery check-in (day 1): Are you ', 0],
      ['Reminder: your recovery check-in for tod', 2],
    ]);
    expect(await alerts(patient.id)).toEqual([]);
    await h.runUntil(new Date(day1.getTime() + 29 * HOUR)); // day 2, its reminder and its missed check
    expect((await alerts(patient.id)).map((alert) => [alert.kind, alert.severity, alert.id])).toEqual([['postop_nonresponse', 'high', `postop_nonresponse:postop:${enrolment.id}:d2`]]);
    await h.runUntil(new Date(day1.getTime() + 53 * HOUR)); // day 3 missed too: the same run, no second alert
    expect(await alerts(patient.id)).toHaveLength(1);
    expect((await checkIns(patient.id)).items.map((item: { day: number; status: string }) => `${item.day}:${item.status}`)).toEqual(['1:missed', '2:missed', '3:missed']);
    expect(h.sentTo(patient.phone)).toHaveLength(6);
  });

  it('skip, with the reason, a patient without consent and one who opted out', async () => {
    const noConsent = await h.enroll({ consent: false });
    const optedOut = await h.enroll();
    expect(await h.say(optedOut.phone, 'STOP')).toHaveLength(1);
    await enrol(noConsent.id, today(0));
    await enrol(optedOut.id, today(0));
    const asks = [await nextAsk(noConsent.id), await nextAsk(optedOut.id)];
    await h.runUntil(asks[0]!.dueAt);
    expect(await h.history(asks[0]!.key)).toMatchObject({ status: 'skipped', reason: 'no_consent' });
    expect(await h.history(asks[1]!.key)).toMatchObject({ status: 'skipped', reason: 'opted_out' });
    expect(h.sentTo(noConsent.phone)).toEqual([]);
    expect(h.sentTo(optedOut.phone)).toHaveLength(1); // the STOP confirmation only
    expect((await checkIns(noConsent.id)).items).toEqual([]);
  });

  it('a changed surgery date moves the check-ins to come; a day already sent is not sent again', async () => {
    const patient = await h.enroll();
    const enrolment = await enrol(patient.id, today(0));
    const day1Date = today(1);
    await h.runUntil((await nextAsk(patient.id)).dueAt);
    await h.say(patient.phone, 'no');
    const newDate = today(2);
    expect((await h.api('PATCH', `/api/v1/patients/${patient.id}/postop`, { surgeryDate: newDate })).statusCode).toBe(200);
    const asks = (await h.liveJobs(patient.id)).filter((job) => job.kind === 'postop_checkin' && job.payload.step === 'ask');
    expect(asks.map((job) => job.key)).toEqual([2, 3, 5, 7, 10, 14, 21, 30].map((day) => `postop:${enrolment.id}:d${day}@${newDate}`));
    expect(h.local(asks[0]!.dueAt).date).toBe(addDays(newDate, 2));
    await h.runUntil(new Date(asks[0]!.dueAt.getTime() + HOUR));
    expect(h.sentTo(patient.phone).filter((m) => m.body.startsWith('Your recovery check-in')).map((m) => [m.body.slice(0, 31), h.local(m.at).date])).toEqual([
      ['Your recovery check-in (day 1):', day1Date],
      ['Your recovery check-in (day 2):', addDays(newDate, 2)],
    ]);
    expect((await checkIns(patient.id)).items.map((item: { day: number }) => item.day)).toEqual([1, 2]);
  });

  it('a protocol change leaves the check-ins already sent, and the enrolment, on the version they were sent with', async () => {
    const protocol = {
      status: 'draft, pending clinician review', id: 'short-check', days: [1, 2], sendHour: '09:00',
      questions: [
        { id: 'pain', kind: 'scale_0_10', fact: 'pain', text: 'Pain today, 0-10?' },
        { id: 'temperature', kind: 'temperature', fact: 'temperature_c', text: 'Temperature today?' },
      ],
    };
    expect((await h.api('POST', '/api/v1/postop-protocols', protocol)).statusCode).toBe(201);
    const patient = await h.enroll();
    await enrol(patient.id, today(0), { protocolId: 'short-check' });
    await h.runUntil((await nextAsk(patient.id)).dueAt);
    expect(await h.say(patient.phone, '3')).toEqual(['Temperature today?']);
    expect(await h.say(patient.phone, '37.1')).toEqual([expect.stringMatching(/^Thank you/)]);
    const changed = { ...protocol, questions: [{ ...protocol.questions[0], text: 'How much pain, 0 to 10?' }, protocol.questions[1]] };
    expect((await h.api('POST', '/api/v1/postop-protocols/short-check/versions', changed)).json().protocol.version).toBe(2);

    const before = (await checkIns(patient.id)).items[0];
    expect(before).toMatchObject({ protocolId: 'short-check', protocolVersion: 1, status: 'completed', facts: { pain: 3, temperature_c: 37.1 } });
    expect(before.answers.map((answer: { question: string }) => answer.question)).toEqual(['Your recovery check-in (day 1): Pain today, 0-10?', 'Temperature today?']);
    await h.runUntil((await nextAsk(patient.id)).dueAt);
    expect(h.sentTo(patient.phone).at(-1)!.body).toBe('Your recovery check-in (day 2): Pain today, 0-10?');
    expect((await checkIns(patient.id)).items.map((item: { protocolVersion: number }) => item.protocolVersion)).toEqual([1, 1]);
  });
});

describe('the post-op check-in in web chat', () => {
  it('is asked where the patient last wrote, and answered there', async () => {
    const phone = '+15558889999';
    const patient = await h.container.patients.create(
      { name: 'Lea Web', phone, timeZone: 'America/New_York', language: 'en', dateOfBirth: '1960-01-01', careTeamId: (await h.db.repositories.patients.get((await h.enroll()).id))!.careTeamId, consent: { sms: true, webchat: true } },
      { keyId: 'test', role: 'admin' },
    );
    const conversation = `conv-${randomUUID()}`;
    await h.container.webchatStore.create(conversation, patient.id);
    const write = async (text: string): Promise<string[]> => {
      const before = (await h.container.webchatStore.since(conversation, 0))!.activities.length;
      const recorded = await h.container.conversations.runtime.record({ channel: 'webchat', address: conversation, providerMessageId: randomUUID(), text, media: [], linkedPatientId: patient.id });
      await h.container.conversations.runtime.process(recorded!);
      await h.container.conversations.runtime.drain();
      return botSaid(before);
    };
    const botSaid = async (from = 0) => (await h.container.webchatStore.since(conversation, 0))!.activities.slice(from).filter((activity) => activity.from.role === 'bot').map((activity) => activity.text ?? '');
    expect(await write('hi')).toEqual([expect.stringMatching(MENU)]);

    await enrol(patient.id, today(0), { channel: 'webchat' });
    await h.runUntil((await nextAsk(patient.id)).dueAt);
    expect((await botSaid()).at(-1)).toBe(`Your recovery check-in (day 1): ${Q.breathing}`);
    expect(h.sentTo(phone)).toEqual([]);
    expect(await write('no')).toEqual([Q.bleeding]);
    expect(await write('it is soaking through the dressing')).toEqual([expect.stringMatching(CALL_911)]);
    expect(await alerts(patient.id)).toEqual([expect.objectContaining({ kind: 'postop_checkin', severity: 'critical', source: expect.objectContaining({ channel: 'webchat', address: conversation }) })]);
    expect((await checkIns(patient.id)).items[0]).toMatchObject({ channel: 'webchat', status: 'red_flag', facts: { bleeding: 'heavy' } });
  });
});
