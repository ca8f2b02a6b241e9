import { beforeAll, describe, expect, it } from 'vitest';
import { escalationJobKey } from '../../src/domain/alerts/service.js';
import { reminderHarness, type ReminderHarness } from '../helpers/reminders.js';

/**
 * An escalation resumes where a downtime or a crash left it. After a downtime longer than the catch-up window its
 * next step is handed over however late it is found (an unacknowledged alert still needs its next page), where a
 * reminder that late expires (medication-downtime.test.ts). After a crash between recording a step and the rest
 * of it, the step's job run again completes what is missing and pages nobody twice. Real database, injectable
 * clock, the fake Twilio.
 */
const NURSE_A = '+15550005001';
const NURSE_B = '+15550005002';
let h: ReminderHarness;

beforeAll(async () => {
  h = await reminderHarness(new Date('2026-03-02T14:00:00Z')); // Monday 09:00 in New York
});

const pagesTo = (phone: string) => h.sentTo(phone).filter((m) => m.body.startsWith('CareLoop alert'));

describe('an escalation resumed after a downtime or a crash', () => {
  it('pages the next level late rather than expiring, and its level gets its full time from then', async () => {
    const staff = (name: string, phone: string) => h.container.staff.create({ name, phone, role: 'nurse', careTeamId: h.careTeamId, notificationChannels: [] });
    const [nurseA, nurseB] = [await staff('Ann Nurse', NURSE_A), await staff('Bob Nurse', NURSE_B)];
    const policy = { levels: [{ targets: [{ type: 'staff' as const, staffId: nurseA.id }], ackTimeoutMinutes: 5 }, { targets: [{ type: 'staff' as const, staffId: nurseB.id }], ackTimeoutMinutes: 5 }], repeat: 0 };
    await h.container.escalationRules.create({ name: 'Handoff: A, then B', condition: { event: 'handoff' }, severity: 'high', policy });
    const { alert } = await h.container.alerts.raise({ kind: 'handoff', severity: 'high', idempotencyKey: 'downtime:1', careTeamId: h.careTeamId, reason: 'asked for a person' });
    await h.tick();
    expect(pagesTo(NURSE_A)).toHaveLength(1);

    // Down from just after level 1 until its step (due 14:05) is 3 hours late, past the 2-hour catch-up window.
    h.advanceTo(new Date('2026-03-02T17:05:00Z'));
    await h.tick();
    expect(await h.history(escalationJobKey(alert.id, 0, 1))).toMatchObject({ status: 'sent' });
    expect(pagesTo(NURSE_B).map((m) => m.at.toISOString())).toEqual(['2026-03-02T17:05:00.000Z']);
    expect((await h.container.alerts.get(alert.id)).escalation).toMatchObject({ step: 2, nextCheckAt: new Date('2026-03-02T17:10:00Z') });
    expect(pagesTo(NURSE_A)).toHaveLength(1);
  });

  it('marks the alert notified when a crash cut off that change after level 1 was paged and recorded', async () => {
    const { alert } = await h.container.alerts.raise({ kind: 'handoff', severity: 'high', idempotencyKey: 'crash:1', careTeamId: h.careTeamId, reason: 'asked for a person' });
    const before = pagesTo(NURSE_A).length;
    await h.tick();
    expect(pagesTo(NURSE_A)).toHaveLength(before + 1);
    // What a crash right after recording the step leaves: status still open, step 1's job not scheduled, step 0's
    // job live under the dead process's claim (the tick's claim on it is still there).
    await h.db.repositories.alerts.change(alert.id, { set: { status: 'open' } });
    await h.db.repositories.outreach.cancel([escalationJobKey(alert.id, 0, 1)]);
    const { nextCheckAt } = (await h.container.alerts.get(alert.id)).escalation;
    await h.db.repositories.outreach.schedule([{ key: escalationJobKey(alert.id, 0, 0), kind: 'escalation_step', patientId: '-', dueAt: h.clock.now(), payload: { alertId: alert.id, epoch: 0, step: 0 } }]);

    // After the claim's lease (60 s) a tick takes the job over, and the next hands it over again.
    h.advanceTo(new Date(h.clock.now().getTime() + 61_000));
    expect(await h.tick()).toMatchObject({ taken_over: 1 });
    expect(await h.tick()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await h.container.alerts.get(alert.id)).toMatchObject({ status: 'notified', escalation: { step: 1, nextCheckAt } });
    expect(await h.liveJobs('-')).toContainEqual(expect.objectContaining({ key: escalationJobKey(alert.id, 0, 1), dueAt: nextCheckAt }));
    expect(pagesTo(NURSE_A)).toHaveLength(before + 1);
  });
});
