import { beforeAll, describe, expect, it } from 'vitest';
import { tipFor } from '../../src/domain/education/ask.js';
import { loadLibrary } from '../../src/domain/education/library.js';
import { systemClock } from '../../src/lib/clock.js';
import { educationDrip, type EducationDripItem } from '../../schedules/education-drip.js';
import type { FakeTwilio } from '../fakes/twilio-server.js';
import { fakeTwilio, startSmsApp } from '../helpers/sms.js';

let fake: FakeTwilio;
let sms: Awaited<ReturnType<typeof startSmsApp>>;
const ids: Record<string, string> = {};
const library = loadLibrary();

beforeAll(async () => {
  fake = await fakeTwilio();
  sms = await startSmsApp(fake);
  const post = async (path: string, body: unknown): Promise<string> => (await sms.admin('POST', path, body)).id;
  const careTeamId = await post('/api/v1/care-teams', { name: 'Surgery', timeZone: 'UTC' });
  const patient = { timeZone: 'UTC', dateOfBirth: '1960-01-01', careTeamId };
  ids.educated = await post('/api/v1/patients', { ...patient, name: 'Ed U', phone: '+15554440001', consent: { sms: true } });
  ids.remindersOnly = await post('/api/v1/patients', { ...patient, name: 'Rem O', phone: '+15554440002', consent: { sms: { granted: true, purposes: ['medication_reminders'] } } });
});

describe('education drip job: the items it is given', () => {
  it('sends due tips once, through consent and the gateway, and counts what happened', async () => {
    const items: EducationDripItem[] = [
      { patientId: ids.educated!, articleId: 'wound-care', day: '2026-03-12' },
      { patientId: ids.remindersOnly!, articleId: 'wound-care', day: '2026-03-12' },
      { patientId: ids.educated!, articleId: 'no-such-article', day: '2026-03-12' },
    ];
    const context = {
      due: async () => items,
      tipFor: (articleId: string) => tipFor(library, articleId),
      proactive: sms.app.server.conversations.proactive,
      clock: systemClock,
    };
    // A run in a process that is stopping (SIGTERM) sends nothing; the next run sends it all.
    expect(await educationDrip.run({ ...context, signal: AbortSignal.abort() })).toEqual({ sent: 0, blocked: 0, already_sent: 0, no_address: 0, unknown_article: 0, failed: 0 });
    expect(fake.messages.filter((m) => m.to === '+15554440001')).toHaveLength(0);
    expect(await educationDrip.run(context)).toMatchObject({ sent: 1, blocked: 1, unknown_article: 1, already_sent: 0 });
    expect(fake.messages.filter((m) => m.to === '+15554440001').map((m) => m.body)).toEqual([expect.stringMatching(/^Caring for your wound after surgery: .+ Reply 3 to ask a question\.$/)]);
    expect(fake.messages.filter((m) => m.to === '+15554440002')).toHaveLength(0);

    // A second pass over the same items sends nothing new; the refused one is refused again, not skipped.
    expect(await educationDrip.run(context)).toMatchObject({ sent: 0, already_sent: 1, blocked: 1 });
    expect(fake.messages.filter((m) => m.to === '+15554440001')).toHaveLength(1);
  });
});
