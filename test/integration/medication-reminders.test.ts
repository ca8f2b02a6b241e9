import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reminderHarness, type ReminderHarness } from '../helpers/reminders.js';

/**
 * Medication reminders end to end on the real database and the fake Twilio: the materialiser schedules, the
 * dispatcher hands over at the due second (injectable clock), the patient answers by signed SMS webhook. The
 * tests run in order on one clock, from Friday 2026-03-06 (US DST starts Sunday 2026-03-08).
 */
const REMINDER = 'Time for your morning pill (1 tablet). Reply 1 when taken, 2 to skip, 3 to snooze 30 min.';
const FOLLOWUP = 'Did you take your morning pill? Reply 1 taken, 2 skipped.';
const MENU = /Reply 1 to tell your care team how you are feeling/;
const MINUTE = 60_000;
let h: ReminderHarness;

beforeAll(async () => {
  h = await reminderHarness(new Date('2026-03-06T12:00:00Z'));
});
// Each test's plans end with it, so later tests run only their own reminders.
afterEach(() => h.endAllPlans());

const at = (iso: string) => new Date(iso);
/** The patient's local "HH:MM", `minutes` from now. */
const localIn = (minutes: number, timeZone = 'America/New_York') => h.local(new Date(h.clock.now().getTime() + minutes * MINUTE), timeZone).time;
const doseKeyOf = (planId: string, instant: Date, timeZone = 'America/New_York') => {
  const local = h.local(instant, timeZone);
  return `med:${planId}:${local.date}T${local.time}`;
};

/** A patient with a plan whose one dose time is `minutes` from now, reminded once that time comes. */
async function reminded(minutes = 2, input: { displayName?: string } = {}) {
  const patient = await h.enroll();
  const slotAt = new Date(h.clock.now().getTime() + minutes * MINUTE);
  const plan = await h.plan(patient.id, { times: [localIn(minutes)], ...input });
  await h.runUntil(slotAt);
  const key = doseKeyOf(plan.id, slotAt);
  expect((await h.dose(key)).status).toBe('reminded');
  return { patient, plan, key };
}

describe('medication reminders', () => {
  it('arrive at the local time in two zones, across a DST change, once each', async () => {
    const newYork = await h.enroll({ timeZone: 'America/New_York' });
    const tokyo = await h.enroll({ timeZone: 'Asia/Tokyo' });
    const plans = [await h.plan(newYork.id, { times: ['08:00'], startDate: '2026-03-06' }), await h.plan(tokyo.id, { times: ['08:00'], startDate: '2026-03-06' })];
    await h.runUntil(at('2026-03-10T00:00:00Z'));

    const reminders = (phone: string) => h.sentTo(phone).filter((m) => m.body === REMINDER).map((m) => m.at.toISOString());
    // 08:00 EST is 13:00Z; from Sunday 08:00 EDT is 12:00Z.
    expect(reminders(newYork.phone)).toEqual(['2026-03-06T13:00:00.000Z', '2026-03-07T13:00:00.000Z', '2026-03-08T12:00:00.000Z', '2026-03-09T12:00:00.000Z']);
    expect(reminders(tokyo.phone)).toEqual(['2026-03-06T23:00:00.000Z', '2026-03-07T23:00:00.000Z', '2026-03-08T23:00:00.000Z', '2026-03-09T23:00:00.000Z']);
    // Unanswered: one follow-up an hour later, then recorded unconfirmed.
    expect(h.sentTo(newYork.phone).filter((m) => m.body === FOLLOWUP).map((m) => m.at.toISOString())[0]).toBe('2026-03-06T14:00:00.000Z');
    expect((await h.dose(`med:${plans[0]!.id}:2026-03-06T08:00`)).status).toBe('unconfirmed');
  });

  it('defer a reminder due in quiet hours to the first allowed minute, never dropping it', async () => {
    // Now 19:00 in New York (EDT); quiet hours 22:00-07:00.
    const patient = await h.enroll();
    const late = await h.plan(patient.id, { times: ['22:30'], startDate: '2026-03-10', endDate: '2026-03-10' });
    const nearly = await h.plan(patient.id, { times: ['21:50'], displayName: 'evening pill', startDate: '2026-03-10', endDate: '2026-03-10' });
    await h.materialise();
    const jobs = await h.liveJobs(patient.id);
    expect(jobs.find((job) => job.key === `med:${late.id}:2026-03-10T22:30`)?.dueAt.toISOString()).toBe('2026-03-11T11:00:00.000Z');
    expect(jobs.find((job) => job.key === `med:${nearly.id}:2026-03-10T21:50`)?.dueAt.toISOString()).toBe('2026-03-11T01:50:00.000Z');

    // The scheduler comes 20 minutes late (inside the catch-up window), in quiet hours: the job waits for 07:00.
    h.advanceTo(at('2026-03-11T02:10:00Z'));
    expect(await h.tick()).toMatchObject({ deferred: 1, sent: 0 });
    const live = new Map((await h.liveJobs(patient.id)).map((job) => [job.key, [job.dueAt.toISOString(), job.status, job.reason]]));
    expect(live).toEqual(new Map([
      [`med:${late.id}:2026-03-10T22:30`, ['2026-03-11T11:00:00.000Z', 'scheduled', undefined]],
      [`med:${nearly.id}:2026-03-10T21:50`, ['2026-03-11T11:00:00.000Z', 'deferred', 'quiet_hours']],
    ]));
    await h.runUntil(at('2026-03-11T11:30:00Z'));
    expect(h.sentTo(patient.phone).filter((m) => m.body.startsWith('Time for your')).map((m) => [m.at.toISOString(), h.local(m.at).time])).toEqual([
      ['2026-03-11T11:00:00.000Z', '07:00'],
      ['2026-03-11T11:00:00.000Z', '07:00'],
    ]);
    // Nothing was tried and refused at night: no blocked send on record.
    expect(await h.db.models.Message.countDocuments({ patientId: patient.id, status: 'blocked' })).toBe(0);
  });

  it('skip, with the reason, a patient without consent and one who opted out', async () => {
    const noConsent = await h.enroll({ consent: false });
    const optedOut = await h.enroll();
    expect(await h.say(optedOut.phone, 'STOP')).toHaveLength(1);
    const plans = [await h.plan(noConsent.id, { times: [localIn(5)] }), await h.plan(optedOut.id, { times: [localIn(5)] })];
    const slotAt = new Date(h.clock.now().getTime() + 5 * MINUTE);
    await h.runUntil(slotAt);
    expect(await h.history(doseKeyOf(plans[0]!.id, slotAt))).toMatchObject({ status: 'skipped', reason: 'no_consent' });
    expect(await h.history(doseKeyOf(plans[1]!.id, slotAt))).toMatchObject({ status: 'skipped', reason: 'opted_out' });
    expect(h.sentTo(noConsent.phone)).toEqual([]);
    expect(h.sentTo(optedOut.phone).filter((m) => m.body === REMINDER)).toEqual([]);
    expect((await h.dose(doseKeyOf(plans[0]!.id, slotAt))).status).toBe('scheduled');
  });

  it('catch up after downtime: an hour late is sent once, three hours late expires', async () => {
    const hourLate = await h.enroll();
    const threeHoursLate = await h.enroll();
    const start = h.clock.now().getTime();
    await h.plan(hourLate.id, { times: [localIn(10)] });
    const second = await h.plan(threeHoursLate.id, { times: [localIn(80)] });
    await h.materialise();
    h.advanceTo(new Date(start + 70 * MINUTE)); // down for an hour: first is 60 min late
    await h.tick();
    await h.tick();
    expect(h.sentTo(hourLate.phone).map((m) => m.body)).toEqual([REMINDER]);
    h.advanceTo(new Date(start + 261 * MINUTE)); // down again: second is 3 h 1 min late
    await h.tick();
    expect(await h.history(doseKeyOf(second.id, new Date(start + 80 * MINUTE)))).toMatchObject({ status: 'expired', reason: 'catch_up_window' });
    expect(h.sentTo(threeHoursLate.phone)).toEqual([]);
    expect(h.sentTo(hourLate.phone).filter((m) => m.body === REMINDER)).toHaveLength(1);
  });
});

describe('answers to a dose reminder', () => {
  const forms: [string, 'taken' | 'skipped' | 'snoozed'][] = [
    ['taken', 'taken'], ['took it', 'taken'], ['yes', 'taken'], ['1', 'taken'], ['done', 'taken'], ['Tooken', 'taken'],
    ['skip', 'skipped'], ['no', 'skipped'], ['2', 'skipped'], ['skiped', 'skipped'],
    ['snooze', 'snoozed'], ['snooze 30', 'snoozed'], ['later', 'snoozed'], ['3', 'snoozed'], ['snoze 20', 'snoozed'],
  ];

  it.each(forms)('"%s" records the dose as %s', async (reply, status) => {
    const { patient, key } = await reminded();
    const replies = await h.say(patient.phone, reply);
    expect((await h.dose(key)).status).toBe(status);
    expect(replies).toEqual([expect.stringMatching(status === 'snoozed' ? /remind you about your morning pill in \d+ min/ : new RegExp(`recorded as ${status}`))]);
    if (status === 'snoozed') {
      const minutes = Number(/^\w+ (\d+)$/.exec(reply)?.[1] ?? 30);
      const snooze = (await h.liveJobs(patient.id)).filter((job) => job.kind === 'dose_followup');
      // The snooze replaces the follow-up chain: only the snooze's reminder is waiting.
      expect(snooze.map((job) => [job.payload.step, job.dueAt.getTime() - h.clock.now().getTime()])).toEqual([['snooze', minutes * MINUTE]]);
      await h.runUntil(snooze[0]!.dueAt);
      expect(h.sentTo(patient.phone).at(-1)).toMatchObject({ body: REMINDER, at: snooze[0]!.dueAt });
      expect((await h.dose(key)).status).toBe('reminded');
      expect(await h.say(patient.phone, 'took it')).toEqual([expect.stringMatching(/recorded as taken/)]);
      expect((await h.dose(key)).status).toBe('taken');
    }
  });

  it('a later follow-up of an answered dose sends nothing', async () => {
    const { patient, key } = await reminded();
    await h.say(patient.phone, 'taken');
    await h.runUntil(new Date(h.clock.now().getTime() + 3 * 60 * MINUTE));
    expect(h.sentTo(patient.phone).filter((m) => m.body === FOLLOWUP)).toEqual([]);
    expect(await h.history(`${key}:followup`)).toMatchObject({ status: 'skipped', reason: 'already_answered' });
  });

  it('a message that is no dose answer goes to the conversation and leaves the dose open', async () => {
    const { patient, key } = await reminded();
    expect(await h.say(patient.phone, 'hello')).toEqual([expect.stringMatching(MENU)]);
    expect((await h.dose(key)).status).toBe('reminded');
    // The conversation goes on as usual: "1" is now the menu's check-in.
    expect(await h.say(patient.phone, '1')).toEqual([expect.stringMatching(/scale of 0 to 10/)]);
    expect((await h.dose(key)).status).toBe('reminded');
  });

  it('a late "taken" after the final check recorded the dose unconfirmed still counts', async () => {
    const { patient, key } = await reminded();
    await h.runUntil(new Date(h.clock.now().getTime() + 3 * 60 * MINUTE));
    expect(h.sentTo(patient.phone).filter((m) => m.body === FOLLOWUP)).toHaveLength(1);
    expect((await h.dose(key)).status).toBe('unconfirmed');
    expect(await h.say(patient.phone, 'took it')).toEqual([expect.stringMatching(/recorded as taken/)]);
    expect((await h.dose(key)).status).toBe('taken');
  });

  it('an answer that overtakes the record of its reminder still counts', async () => {
    const patient = await h.enroll();
    const slotAt = new Date(h.clock.now().getTime() + 2 * MINUTE);
    const plan = await h.plan(patient.id, { times: [localIn(2)] });
    const key = doseKeyOf(plan.id, slotAt);
    await h.runUntil(new Date(slotAt.getTime() - 1_000));
    // As in a batch between its sends and its records: the patient is marked asked, the dose not yet reminded.
    await h.db.repositories.patients.markDoseAsked([patient.id], slotAt);
    expect((await h.dose(key)).status).toBe('scheduled');
    expect(await h.say(patient.phone, '1')).toEqual([expect.stringMatching(/recorded as taken/)]);
    expect((await h.dose(key)).status).toBe('taken');
    await h.runUntil(new Date(slotAt.getTime() + MINUTE));
    expect(h.sentTo(patient.phone).filter((m) => m.body === REMINDER)).toEqual([]);
    expect(await h.history(key)).toMatchObject({ status: 'skipped', reason: 'already_answered' });
  });

  it('waits while the patient is in the middle of another flow, then asks; the answer is read against the question', async () => {
    const patient = await h.enroll();
    // The check-in's first question leaves a flow open.
    expect(await h.say(patient.phone, 'hi')).toEqual([expect.stringMatching(MENU)]);
    expect(await h.say(patient.phone, '1')).toEqual([expect.stringMatching(/scale of 0 to 10/)]);
    const slotAt = new Date(h.clock.now().getTime() + 2 * MINUTE);
    const plan = await h.plan(patient.id, { times: [localIn(2)] });
    const key = doseKeyOf(plan.id, slotAt);
    await h.runUntil(new Date(slotAt.getTime() + MINUTE));
    expect(h.sentTo(patient.phone).filter((m) => m.body === REMINDER)).toEqual([]);
    expect((await h.liveJobs(patient.id)).find((job) => job.key === key)).toMatchObject({ status: 'deferred', reason: 'patient_busy' });
    // They answer the check-in's question ("7" is its answer, not a dose's) and leave the flow unfinished; once
    // they have been silent for half an hour the reminder goes out, and their "1" answers it.
    expect(await h.say(patient.phone, '7')).not.toEqual([]);
    expect((await h.dose(key)).status).toBe('scheduled');
    await h.runUntil(new Date(h.clock.now().getTime() + 40 * MINUTE));
    expect(h.sentTo(patient.phone).filter((m) => m.body === REMINDER)).toHaveLength(1);
    expect(await h.say(patient.phone, '1')).toEqual([expect.stringMatching(/recorded as taken/)]);
    expect((await h.dose(key)).status).toBe('taken');
  });

  it('"chest pain" during a dose question gets the emergency reply and leaves the dose open', async () => {
    const { patient, key } = await reminded();
    const replies = await h.say(patient.phone, 'I have chest pain');
    expect(replies[0]).toMatch(/Call 911 now/);
    expect((await h.dose(key)).status).toBe('reminded');
    const alerts = await h.db.repositories.alerts.list({ patientId: patient.id }, { limit: 10 });
    expect(alerts.items.map((alert) => alert.kind)).toEqual(['emergency']);
  });
});

describe('two doses open at once', () => {
  /** Reminders at 10:50 (morning) and 11:10 (noon) the next day, both unanswered when the patient replies at 11:11. */
  async function twoOpen() {
    const patient = await h.enroll();
    const plan = await h.plan(patient.id, { times: ['10:50', '11:10'], displayName: 'blue pill', startDate: '2026-03-12', endDate: '2026-03-12' });
    return { patient, morning: `med:${plan.id}:2026-03-12T10:50`, noon: `med:${plan.id}:2026-03-12T11:10` };
  }

  it('a reply maps to the latest; "morning" and "both" pick', async () => {
    const latest = await twoOpen();
    const named = await twoOpen();
    const both = await twoOpen();
    const unclear = await twoOpen();
    await h.runUntil(at('2026-03-12T15:11:00Z'));
    for (const { morning, noon } of [latest, named, both, unclear]) {
      expect([(await h.dose(morning)).status, (await h.dose(noon)).status]).toEqual(['reminded', 'reminded']);
    }

    await h.say(latest.patient.phone, 'taken');
    expect([(await h.dose(latest.morning)).status, (await h.dose(latest.noon)).status]).toEqual(['reminded', 'taken']);
    await h.say(named.patient.phone, 'took the morning one');
    expect([(await h.dose(named.morning)).status, (await h.dose(named.noon)).status]).toEqual(['taken', 'reminded']);
    await h.say(both.patient.phone, 'took both');
    expect([(await h.dose(both.morning)).status, (await h.dose(both.noon)).status]).toEqual(['taken', 'taken']);
    // Naming a dose that is not open asks which, and the question stays open for the answer.
    expect(await h.say(unclear.patient.phone, 'took the evening one')).toEqual([
      'Which one? You have blue pill (10:50) and blue pill (11:10) waiting. Reply for example "took the morning one", or "both".',
    ]);
    expect([(await h.dose(unclear.morning)).status, (await h.dose(unclear.noon)).status]).toEqual(['reminded', 'reminded']);
    expect(await h.say(unclear.patient.phone, '1')).toEqual(['Thank you, your blue pill is recorded as taken.']);
    expect([(await h.dose(unclear.morning)).status, (await h.dose(unclear.noon)).status]).toEqual(['reminded', 'taken']);
  });
});

describe('missed doses', () => {
  it('two consecutive misses raise one alert and one caregiver SMS', async () => {
    const patient = await h.enroll({ name: 'Ida Berg' });
    const caregiver = '+15557770001';
    const quiet = await h.enroll();
    const plan = await h.plan(patient.id, { times: ['09:00'], startDate: '2026-03-13', caregiver: { name: 'Tom Berg', phone: caregiver, consent: true } });
    await h.plan(quiet.id, { times: ['09:00'], startDate: '2026-03-13', caregiver: { name: 'Sam', phone: '+15557770002', consent: false } });
    await h.runUntil(at('2026-03-16T12:00:00Z')); // three days unanswered

    for (const day of ['13', '14', '15']) expect((await h.dose(`med:${plan.id}:2026-03-${day}T09:00`)).status).toBe('unconfirmed');
    const alerts = (await h.db.repositories.alerts.list({ patientId: patient.id }, { limit: 10 })).items;
    expect(alerts.map((alert) => [alert.kind, alert.severity, alert.status])).toEqual([['missed_doses', 'high', 'open']]);
    expect(alerts[0]!.reason).not.toMatch(/Ida|Berg|\+1555/);
    expect(h.sentTo(caregiver).map((m) => m.body)).toEqual(['CareLoop: Ida has not confirmed 2 doses of their morning pill. Please check in with them.']);
    // The second miss was settled at 11:00 local (after the follow-up hour and the final check): the notice went then.
    expect(h.sentTo(caregiver)[0]!.at.toISOString()).toBe('2026-03-14T15:00:00.000Z');

    expect((await h.db.repositories.alerts.list({ patientId: quiet.id }, { limit: 10 })).items.map((alert) => alert.kind)).toEqual(['missed_doses']);
    expect(h.sentTo('+15557770002')).toEqual([]);
  });

  it('two skips in a row raise the alert from the conversation', async () => {
    const patient = await h.enroll();
    const plan = await h.plan(patient.id, { times: ['09:00'], startDate: '2026-03-17' });
    await h.runUntil(at('2026-03-17T13:01:00Z'));
    await h.say(patient.phone, 'skip');
    await h.runUntil(at('2026-03-18T13:01:00Z'));
    await h.say(patient.phone, 'no');
    expect((await h.dose(`med:${plan.id}:2026-03-18T09:00`)).status).toBe('skipped');
    const alerts = (await h.db.repositories.alerts.list({ patientId: patient.id }, { limit: 10 })).items;
    expect(alerts.map((alert) => alert.kind)).toEqual(['missed_doses']);
  });
});
