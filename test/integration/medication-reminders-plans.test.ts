import { beforeAll, describe, expect, it } from 'vitest';
import { reminderHarness, type ReminderHarness } from '../helpers/reminders.js';

/**
 * Medication plans through the API driving reminders: a week of answers read back as adherence, a plan change
 * that reschedules without duplicates or losses, and the outreach preview. One clock, in order, from Monday
 * 2026-06-01 08:00 in New York (EDT); quiet hours 22:00-07:00.
 */
const REMINDER = 'Time for your morning pill (1 tablet). Reply 1 when taken, 2 to skip, 3 to snooze 30 min.';
const FOLLOWUP = 'Did you take your morning pill? Reply 1 taken, 2 skipped.';
let h: ReminderHarness;

beforeAll(async () => {
  h = await reminderHarness(new Date('2026-06-01T12:00:00Z'));
});

const at = (iso: string) => new Date(iso);
const plan = (times: string[], startDate: string) => ({ displayName: 'morning pill', dose: '1 tablet', times, startDate });

async function createPlan(patientId: string, body: object): Promise<string> {
  const res = await h.api('POST', `/api/v1/patients/${patientId}/medication-plans`, body);
  expect(res.statusCode).toBe(201);
  return res.json<{ id: string }>().id;
}

describe('a week of reminders', () => {
  it('reads back as adherence through the API', async () => {
    const patient = await h.enroll();
    await createPlan(patient.id, plan(['09:00'], '2026-06-01'));
    const answers = ['taken', 'took it', '1', 'yes', 'skip', undefined, undefined];
    for (const [day, answer] of answers.entries()) {
      await h.runUntil(new Date(Date.parse('2026-06-01T13:01:00Z') + day * 86_400_000));
      if (answer) await h.say(patient.phone, answer);
    }
    await h.runUntil(at('2026-06-08T12:00:00Z'));

    expect(h.sentTo(patient.phone).filter((m) => m.body === REMINDER)).toHaveLength(7);
    const res = await h.api('GET', `/api/v1/patients/${patient.id}/adherence?from=2026-06-01&to=2026-06-08`);
    expect(res.statusCode).toBe(200);
    const figures = { due: 7, taken: 4, skipped: 1, unconfirmed: 2, rate: 4 / 7 };
    expect(res.json()).toMatchObject({ overall: figures, plans: [{ displayName: 'morning pill', ...figures }], streak: 0 });
    // The skip and the first unanswered dose made a run of two: one alert, the third miss adds none.
    expect((await h.db.repositories.alerts.list({ patientId: patient.id }, { limit: 10 })).items.map((alert) => alert.kind)).toEqual(['missed_doses']);
    await h.endAllPlans();
  });
});

describe('changing a plan', () => {
  it('reschedules future reminders without duplicating or losing any', async () => {
    // Now 08:00 on Monday 2026-06-08.
    const patient = await h.enroll();
    const planId = await createPlan(patient.id, plan(['08:30', '20:00'], '2026-06-08'));
    const keys = async () => (await h.liveJobs(patient.id)).filter((job) => job.kind === 'medication_reminder').map((job) => job.key).sort();
    const key = (date: string, time: string) => `med:${planId}:${date}T${time}`;
    // Created with the plan, no materialiser run needed: the next 48 hours.
    expect(await keys()).toEqual([key('2026-06-08', '08:30'), key('2026-06-08', '20:00'), key('2026-06-09', '08:30'), key('2026-06-09', '20:00')]);

    const res = await h.api('PATCH', `/api/v1/patients/${patient.id}/medication-plans/${planId}`, { times: ['09:00', '20:00'] });
    expect(res.statusCode).toBe(200);
    expect(await keys()).toEqual([key('2026-06-08', '09:00'), key('2026-06-08', '20:00'), key('2026-06-09', '09:00'), key('2026-06-09', '20:00')]);
    expect(await h.db.repositories.doses.get(key('2026-06-08', '08:30'))).toBeUndefined();
    for (let run = 0; run < 3; run++) expect(await h.materialise()).toMatchObject({ reminders_scheduled: 0 });

    await h.runUntil(at('2026-06-11T04:00:00Z'));
    const reminders = h.sentTo(patient.phone).filter((m) => m.body === REMINDER).map((m) => `${h.local(m.at).date} ${h.local(m.at).time}`);
    expect(reminders).toEqual(['2026-06-08 09:00', '2026-06-08 20:00', '2026-06-09 09:00', '2026-06-09 20:00', '2026-06-10 09:00', '2026-06-10 20:00']);
    await h.endAllPlans();
  });

  it('ending a plan cancels its future reminders', async () => {
    const patient = await h.enroll();
    const planId = await createPlan(patient.id, plan(['08:00'], '2026-06-11'));
    expect(await h.liveJobs(patient.id)).toHaveLength(2);
    expect((await h.api('DELETE', `/api/v1/patients/${patient.id}/medication-plans/${planId}`)).statusCode).toBe(200);
    expect(await h.liveJobs(patient.id)).toEqual([]);
    await h.materialise();
    expect(await h.liveJobs(patient.id)).toEqual([]);
  });
});

describe('the outreach preview', () => {
  it('lists what will be sent, with quiet-hour deferrals applied, beyond the scheduled horizon too', async () => {
    // Now midnight starting Thursday 2026-06-11 in New York.
    expect(h.clock.now().toISOString()).toBe('2026-06-11T04:00:00.000Z');
    const patient = await h.enroll();
    await createPlan(patient.id, plan(['08:00', '22:30'], '2026-06-11'));
    const clinician = await h.keyFor('clinician');
    const res = await h.api('GET', `/api/v1/patients/${patient.id}/outreach?days=3`, undefined, clinician);
    expect(res.statusCode).toBe(200);
    const item = (dueAt: string, localDate: string, localTime: string, status: string) => ({ kind: 'medication_reminder', dueAt, localDate, localTime, text: REMINDER, status });
    expect(res.json().items).toEqual([
      item('2026-06-11T12:00:00.000Z', '2026-06-11', '08:00', 'scheduled'),
      item('2026-06-12T11:00:00.000Z', '2026-06-12', '07:00', 'scheduled'), // 22:30 is in quiet hours
      item('2026-06-12T12:00:00.000Z', '2026-06-12', '08:00', 'scheduled'),
      item('2026-06-13T11:00:00.000Z', '2026-06-13', '07:00', 'scheduled'),
      item('2026-06-13T12:00:00.000Z', '2026-06-13', '08:00', 'planned'), // beyond the 48 h materialised
    ]);

    // Once the reminder went out, its follow-up is in the preview, with its text.
    await h.runUntil(at('2026-06-11T12:00:00Z'));
    const after = (await h.api('GET', `/api/v1/patients/${patient.id}/outreach?days=1`)).json().items;
    expect(after[0]).toEqual({ kind: 'dose_followup', dueAt: '2026-06-11T13:00:00.000Z', localDate: '2026-06-11', localTime: '09:00', text: FOLLOWUP, status: 'scheduled' });
    await h.endAllPlans();
  });

  it('refuses bad input with a reason, and unknown patients', async () => {
    const patient = await h.enroll();
    for (const days of ['0', '32', '1.5', 'two']) {
      const res = await h.api('GET', `/api/v1/patients/${patient.id}/outreach?days=${days}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'validation_failed', message: expect.any(String) });
    }
    expect((await h.api('GET', '/api/v1/patients/0123456789abcdef01234567/outreach')).statusCode).toBe(404);
    expect((await h.api('GET', `/api/v1/patients/${patient.id}/outreach?days=31`)).statusCode).toBe(200);
  });
});
