import { beforeAll, describe, expect, it } from 'vitest';
import { reminderHarness, type ReminderHarness } from '../helpers/reminders.js';

/**
 * A patient's own quiet hours (issue 12: "deployment default, overridable per patient"), through the patients API,
 * on the real database with an injectable clock. Now: Wednesday 2026-03-11 07:30 in New York (EDT); the
 * deployment's quiet hours are 22:00-07:00, so a 07:30 dose is reminded at 07:30.
 */
const REMINDER = 'Time for your morning pill (1 tablet). Reply 1 when taken, 2 to skip, 3 to snooze 30 min.';
let h: ReminderHarness;

beforeAll(async () => {
  h = await reminderHarness(new Date('2026-03-11T11:30:00Z'));
});

const at = (iso: string) => new Date(iso);

describe('quiet hours per patient', () => {
  it("a patient's own quiet hours replace the deployment's; changing them or the zone moves reminders already scheduled", async () => {
    const patient = await h.enroll();
    const plan = await h.plan(patient.id, { times: ['07:30'], startDate: '2026-03-12', endDate: '2026-03-13' });
    const dueTimes = async () => (await h.liveJobs(patient.id)).filter((job) => job.kind === 'medication_reminder').map((job) => [job.key.slice(-16), job.dueAt.toISOString()]);
    // (The 13th is beyond the 48-hour horizon: the materialiser schedules it later.)
    expect(await dueTimes()).toEqual([['2026-03-12T07:30', '2026-03-12T11:30:00.000Z']]);

    // Malformed quiet hours are refused and change nothing.
    for (const quietHours of [{ start: '25:00', end: '09:00' }, { start: '21:00' }, '21:00-09:00', { start: '21:00', end: '09:00', $set: 1 }]) {
      expect((await h.api('PATCH', `/api/v1/patients/${patient.id}`, { quietHours })).statusCode).toBe(400);
    }
    expect(await dueTimes()).toEqual([['2026-03-12T07:30', '2026-03-12T11:30:00.000Z']]);

    // Their own quiet hours until 09:00: both reminders move to 09:00 local.
    const patched = await h.api('PATCH', `/api/v1/patients/${patient.id}`, { quietHours: { start: '21:00', end: '09:00' } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().quietHours).toEqual({ start: '21:00', end: '09:00' });
    expect(await dueTimes()).toEqual([['2026-03-12T07:30', '2026-03-12T13:00:00.000Z']]);
    // The preview applies them to the slot beyond the horizon too.
    const preview = (await h.api('GET', `/api/v1/patients/${patient.id}/outreach?days=3`)).json() as { items: { kind: string; localTime: string }[] };
    expect(preview.items.filter((item) => item.kind === 'medication_reminder').map((item) => item.localTime)).toEqual(['09:00', '09:00']);
    await h.runUntil(at('2026-03-12T14:00:00Z'));
    expect(h.sentTo(patient.phone).filter((m) => m.body === REMINDER).map((m) => [m.at.toISOString(), h.local(m.at).time])).toEqual([['2026-03-12T13:00:00.000Z', '09:00']]);

    expect(await dueTimes()).toEqual([['2026-03-13T07:30', '2026-03-13T13:00:00.000Z']]);

    // Back to the deployment's, then a move to Chicago: tomorrow's reminder follows, once.
    expect((await h.api('PATCH', `/api/v1/patients/${patient.id}`, { quietHours: null })).json().quietHours).toBeNull();
    expect(await dueTimes()).toEqual([['2026-03-13T07:30', '2026-03-13T11:30:00.000Z']]);
    expect((await h.api('PATCH', `/api/v1/patients/${patient.id}`, { timeZone: 'America/Chicago' })).statusCode).toBe(200);
    expect(await dueTimes()).toEqual([['2026-03-13T07:30', '2026-03-13T12:30:00.000Z']]);
    expect((await h.dose(`med:${plan.id}:2026-03-13T07:30`)).at.toISOString()).toBe('2026-03-13T12:30:00.000Z');
    await h.runUntil(at('2026-03-13T13:00:00Z'));
    expect(h.sentTo(patient.phone).filter((m) => m.body === REMINDER).map((m) => m.at.toISOString())).toEqual(['2026-03-12T13:00:00.000Z', '2026-03-13T12:30:00.000Z']);
  });

});
