import { beforeAll, describe, expect, it } from 'vitest';
import { reminderHarness, type ReminderHarness } from '../helpers/reminders.js';

/**
 * A downtime longer than the catch-up window loses a reminded dose's follow-up chain (the follow-up expires, so
 * the final check that records "unconfirmed" is never scheduled). The materialiser's pass settles such doses a
 * day after their slot, so they still count toward the missed-dose alert. Real database, injectable clock.
 */
let h: ReminderHarness;

beforeAll(async () => {
  h = await reminderHarness(new Date('2026-04-14T12:00:00Z')); // 08:00 in New York (EDT)
});

describe('doses whose follow-ups were lost to a long downtime', () => {
  it('are settled as unconfirmed a day after their slot and count toward the missed-dose alert', async () => {
    const patient = await h.enroll();
    const plan = await h.plan(patient.id, { times: ['08:10'], startDate: '2026-04-14' });
    const firstKey = `med:${plan.id}:2026-04-14T08:10`;
    const secondKey = `med:${plan.id}:2026-04-15T08:10`;
    await h.runUntil(new Date('2026-04-14T12:10:00Z'));
    expect((await h.dose(firstKey)).status).toBe('reminded');

    // Down from just after the reminder until its follow-up (due 09:10) is 2 h 1 min late: it expires.
    h.advanceTo(new Date('2026-04-14T15:11:00Z'));
    await h.tick();
    expect(await h.history(`${firstKey}:followup`)).toMatchObject({ status: 'expired', reason: 'catch_up_window' });
    await h.materialise();
    expect((await h.dose(firstKey)).status).toBe('reminded');

    // The next day runs normally: its reminder goes unanswered (follow-up, then final check).
    await h.runUntil(new Date('2026-04-15T15:00:00Z'));
    expect((await h.dose(firstKey)).status).toBe('unconfirmed');
    expect((await h.dose(secondKey)).status).toBe('unconfirmed');
    const first = await h.dose(firstKey);
    expect(first.history.at(-1)?.at.getTime()).toBeGreaterThanOrEqual(new Date('2026-04-15T12:10:00Z').getTime());
    // Two in a row: one alert.
    const alerts = (await h.db.repositories.alerts.list({ patientId: patient.id }, { limit: 10 })).items;
    expect(alerts.map((alert) => alert.kind)).toEqual(['missed_doses']);
    expect(h.sentTo(patient.phone).filter((m) => m.body.startsWith('Time for your')).length).toBe(2);
  });
});
