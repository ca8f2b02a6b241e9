import { beforeAll, describe, expect, it } from 'vitest';
import { tipFor } from '../../src/domain/education/ask.js';
import { loadLibrary } from '../../src/domain/education/library.js';
import { reminderHarness, type ReminderHarness } from '../helpers/reminders.js';

/**
 * The education drip under the job runner, with its due items computed from the patient's programme
 * (content/education/programmes.yaml: an active medication plan starts the `medication_plan` programme; tips at
 * 18:00 local on days 0, 2, 6 and 13). Real database, fake Twilio, injectable clock. Now: Tuesday 2026-04-14
 * 08:00 in New York (EDT).
 */
const library = loadLibrary();
let h: ReminderHarness;

beforeAll(async () => {
  h = await reminderHarness(new Date('2026-04-14T12:00:00Z'));
});

async function drip(): Promise<Record<string, number>> {
  const job = h.container.scheduler.jobs.find((candidate) => candidate.name === 'education-drip')!;
  return job.run({ clock: h.clock, signal: new AbortController().signal });
}

describe("education tips on the days of the patient's programme", () => {
  it('go once at the local time, after the patient\'s quiet hours, only with consent to education', async () => {
    const enrolled = await h.enroll();
    const remindersOnly = await h.enroll();
    const lateRiser = await h.enroll();
    const notYet = await h.enroll();
    for (const patient of [enrolled, remindersOnly, lateRiser]) await h.plan(patient.id, { times: ['09:00'], startDate: '2026-04-14' });
    await h.plan(notYet.id, { times: ['09:00'], startDate: '2026-04-20' });
    expect((await h.api('PATCH', `/api/v1/patients/${remindersOnly.id}`, { consent: { sms: { granted: true, purposes: ['medication_reminders'] } } })).statusCode).toBe(200);
    expect((await h.api('PATCH', `/api/v1/patients/${lateRiser.id}`, { quietHours: { start: '17:00', end: '09:00' } })).statusCode).toBe(200);
    const tips = (phone: string) => h.sentTo(phone).map((message) => message.body);

    h.advanceTo(new Date('2026-04-14T21:55:00Z')); // 17:55: not yet
    expect(await drip()).toMatchObject({ sent: 0, blocked: 0 });
    h.advanceTo(new Date('2026-04-14T22:05:00Z')); // 18:05: day 0
    expect(await drip()).toMatchObject({ sent: 1, blocked: 1 });
    expect(tips(enrolled.phone)).toEqual([tipFor(library, 'medicines-on-time')]);
    expect(tips(remindersOnly.phone)).toEqual([]);
    expect(tips(lateRiser.phone)).toEqual([]);
    h.advanceTo(new Date('2026-04-14T22:20:00Z')); // the next run finds the same item: sent once
    expect(await drip()).toMatchObject({ sent: 0, already_sent: 1 });

    h.advanceTo(new Date('2026-04-15T13:05:00Z')); // 09:05 next morning: the late riser's quiet hours are over
    expect(await drip()).toMatchObject({ sent: 1 });
    expect(tips(lateRiser.phone)).toEqual([tipFor(library, 'medicines-on-time')]);

    h.advanceTo(new Date('2026-04-16T22:05:00Z')); // day 2
    expect(await drip()).toMatchObject({ sent: 1 });
    expect(tips(enrolled.phone)).toEqual([tipFor(library, 'medicines-on-time'), tipFor(library, 'pill-organizer')]);
    h.advanceTo(new Date('2026-04-17T13:05:00Z'));
    await drip();
    expect(tips(lateRiser.phone)).toEqual([tipFor(library, 'medicines-on-time'), tipFor(library, 'pill-organizer')]);
    expect(tips(notYet.phone)).toEqual([]);
  });

  it('refuses a programme file that is not a draft or names an article the library does not have', async () => {
    const { loadProgrammes } = await import('../../src/domain/education/programmes.js');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'careloop-programmes-'));
    const write = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const programme = 'programmes:\n  - { id: p, applies: medication_plan, sendTime: "18:00", items: [{ day: 0, article: wound-care }] }\n';
    expect(() => loadProgrammes(write('reviewed.yaml', `status: reviewed\n${programme}`))).toThrow(/draft until a clinician/);
    expect(() => loadProgrammes(write('unknown.yaml', `status: draft\n${programme.replace('wound-care', 'no-such-article')}`), (id) => library.articles.some((article) => article.id === id))).toThrow(/no-such-article/);
    expect(loadProgrammes(write('ok.yaml', `status: draft\n${programme}`))).toHaveLength(1);
  });
});
