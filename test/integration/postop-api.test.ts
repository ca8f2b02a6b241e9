import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultProtocol } from '../../src/domain/postop/protocol.js';
import { reminderHarness, type ReminderHarness } from '../helpers/reminders.js';

/**
 * The post-op API on the real database: protocols stored and versioned, enrolment scheduling every check-in as
 * outreach jobs, a changed surgery date moving them. The clock starts on Monday 2026-03-02, 12:00 in New York.
 */
let h: ReminderHarness;

beforeAll(async () => {
  h = await reminderHarness(new Date('2026-03-02T17:00:00Z'));
});

/** A small protocol of our own: two days, two questions. */
function smallProtocol(id = 'knee-short') {
  return {
    status: 'draft, pending clinician review', id, title: 'Knee, short', days: [1, 2], sendHour: '09:30',
    questions: [
      { id: 'pain', kind: 'scale_0_10', fact: 'pain', text: 'How bad is your pain, 0-10?' },
      { id: 'temperature', kind: 'temperature', fact: 'temperature_c', text: 'What is your temperature?' },
    ],
  };
}

describe('post-op protocols', () => {
  it('serve the shipped default, stored on first use', async () => {
    const list = await h.api('GET', '/api/v1/postop-protocols');
    expect(list.statusCode).toBe(200);
    const shipped = loadDefaultProtocol();
    expect(list.json().items).toEqual([expect.objectContaining({ id: 'default-postop', version: 1, days: [1, 2, 3, 5, 7, 10, 14, 21, 30], sendHour: '10:00', questions: shipped.questions.length })]);
    const one = await h.api('GET', '/api/v1/postop-protocols/default-postop');
    expect(one.json()).toMatchObject({ protocol: { id: 'default-postop', version: 1 }, createdBy: 'careloop' });
    expect(one.json().protocol.questions[0].text).toBe(shipped.questions[0]!.text);
  });

  it('are created as version 1 and changed only by adding a version; old versions stay readable', async () => {
    const created = await h.api('POST', '/api/v1/postop-protocols', smallProtocol());
    expect(created.statusCode).toBe(201);
    expect(created.json().protocol).toMatchObject({ id: 'knee-short', version: 1 });
    expect((await h.api('POST', '/api/v1/postop-protocols', smallProtocol())).statusCode).toBe(409);

    const changed = { ...smallProtocol(), days: [1, 2, 4] };
    const second = await h.api('POST', '/api/v1/postop-protocols/knee-short/versions', changed);
    expect(second.statusCode).toBe(201);
    expect(second.json().protocol).toMatchObject({ id: 'knee-short', version: 2, days: [1, 2, 4] });
    expect((await h.api('GET', '/api/v1/postop-protocols/knee-short')).json().protocol.version).toBe(2);
    expect((await h.api('GET', '/api/v1/postop-protocols/knee-short?version=1')).json().protocol.days).toEqual([1, 2]);
    expect((await h.api('GET', '/api/v1/postop-protocols')).json().items.map((item: { id: string; version: number }) => `${item.id}@${item.version}`)).toEqual(['default-postop@1', 'knee-short@2']);
  });

  it('refuse bad input with a 400 and the reason, changing nothing', async () => {
    const before = await h.db.models.PostopProtocol.countDocuments();
    const refuse = async (method: 'POST', url: string, body: unknown, reason: RegExp) => {
      const res = await h.api(method, url, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.body).toMatch(reason);
    };
    await refuse('POST', '/api/v1/postop-protocols', { ...smallProtocol('bad-days'), days: [3, 1] }, /increasing order/);
    await refuse('POST', '/api/v1/postop-protocols', { ...smallProtocol('bad-version'), version: 7 }, /version is set by CareLoop/);
    await refuse('POST', '/api/v1/postop-protocols', { ...smallProtocol('bad-fact'), questions: [{ id: 'q', kind: 'scale_0_10', fact: 'swelling', text: 'Swollen?' }] }, /cannot record swelling/);
    await refuse('POST', '/api/v1/postop-protocols', { ...smallProtocol('bad-op'), sendHour: { $gt: '' } }, /sendHour/);
    await refuse('POST', '/api/v1/postop-protocols', [smallProtocol('array')], /JSON object/);
    await refuse('POST', '/api/v1/postop-protocols/knee-short/versions', { ...smallProtocol('other-id') }, /differs/);
    const malformed = await h.server.inject({ method: 'POST', url: '/api/v1/postop-protocols', headers: { authorization: `Bearer ${await h.keyFor('admin')}`, 'content-type': 'application/json' }, payload: '{"id": ' });
    expect(malformed.statusCode).toBe(400);
    expect(await h.db.models.PostopProtocol.countDocuments()).toBe(before);
    expect((await h.api('POST', '/api/v1/postop-protocols/nothing-here/versions', smallProtocol('nothing-here'))).statusCode).toBe(404);
    expect((await h.api('GET', '/api/v1/postop-protocols/knee-short?version=9')).statusCode).toBe(404);
    const clinician = await h.keyFor('clinician');
    expect((await h.api('POST', '/api/v1/postop-protocols', smallProtocol('by-clinician'), clinician)).statusCode).toBe(403);
  });
});

describe('post-op enrolment', () => {
  const ask = (key: string) => /^postop:[0-9a-f]{24}:d\d+@\d{4}-\d{2}-\d{2}$/.test(key);
  const checkInJobs = async (patientId: string) => (await h.liveJobs(patientId)).filter((job) => job.kind === 'postop_checkin');

  it('schedules every check-in of the protocol at the send hour in the patient\'s zone, shown in the outreach preview', async () => {
    const patient = await h.enroll({ timeZone: 'America/Chicago' });
    const res = await h.api('POST', `/api/v1/patients/${patient.id}/postop`, { procedure: 'Left knee replacement', surgeryDate: '2026-03-02' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ patientId: patient.id, procedure: 'Left knee replacement', surgeryDate: '2026-03-02', protocolId: 'default-postop', protocolVersion: 1, channel: 'sms' });
    const jobs = await checkInJobs(patient.id);
    expect(jobs.every((job) => ask(job.key))).toBe(true);
    // 10:00 in Chicago: 16:00Z before the DST change of 2026-03-08, 15:00Z after it.
    expect(jobs.map((job) => job.dueAt.toISOString())).toEqual([
      '2026-03-03T16:00:00.000Z', '2026-03-04T16:00:00.000Z', '2026-03-05T16:00:00.000Z', '2026-03-07T16:00:00.000Z', '2026-03-09T15:00:00.000Z',
      '2026-03-12T15:00:00.000Z', '2026-03-16T15:00:00.000Z', '2026-03-23T15:00:00.000Z', '2026-04-01T15:00:00.000Z',
    ]);
    const preview = (await h.api('GET', `/api/v1/patients/${patient.id}/outreach?days=4`)).json();
    expect(preview.items).toEqual([1, 2, 3].map((day) => expect.objectContaining({
      kind: 'postop_checkin', localTime: '10:00', status: 'scheduled',
      text: `Your recovery check-in (day ${day}): Are you short of breath, or do you have chest pain? Reply NO, BREATH, CHEST or BOTH.`,
    })));
    // Scheduling is keyed by enrolment and day: a second enrolment is refused, nothing is doubled.
    expect((await h.api('POST', `/api/v1/patients/${patient.id}/postop`, { procedure: 'Again', surgeryDate: '2026-03-02' })).statusCode).toBe(409);
    expect(await checkInJobs(patient.id)).toHaveLength(9);
    const read = (await h.api('GET', `/api/v1/patients/${patient.id}/postop`)).json();
    expect(read.schedule.map((item: { day: number; state: string }) => `${item.day}:${item.state}`)).toEqual(['1:scheduled', '2:scheduled', '3:scheduled', '5:scheduled', '7:scheduled', '10:scheduled', '14:scheduled', '21:scheduled', '30:scheduled']);
  });

  it('a changed surgery date moves every check-in to come; quiet hours and time zone changes move them too; DELETE cancels', async () => {
    const patient = await h.enroll();
    await h.api('POST', `/api/v1/patients/${patient.id}/postop`, { procedure: 'Hernia repair', surgeryDate: '2026-03-01' });
    expect((await checkInJobs(patient.id)).map((job) => h.local(job.dueAt).date)).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-06', '2026-03-08', '2026-03-11', '2026-03-15', '2026-03-22', '2026-03-31'].slice(1));

    const moved = await h.api('PATCH', `/api/v1/patients/${patient.id}/postop`, { surgeryDate: '2026-03-04' });
    expect(moved.statusCode, moved.body).toBe(200);
    const jobs = await checkInJobs(patient.id);
    expect(jobs.map((job) => [job.key.split(':').at(-1), h.local(job.dueAt).date, h.local(job.dueAt).time])).toEqual(
      [[1, '05'], [2, '06'], [3, '07'], [5, '09'], [7, '11'], [10, '14'], [14, '18'], [21, '25']].map(([day, date]) => [`d${day}@2026-03-04`, `2026-03-${date}`, '10:00']).concat([['d30@2026-03-04', '2026-04-03', '10:00']]),
    );

    // The patient's own quiet hours cover 10:00: every check-in goes out at their end instead.
    expect((await h.api('PATCH', `/api/v1/patients/${patient.id}`, { quietHours: { start: '21:00', end: '10:30' } })).statusCode).toBe(200);
    expect(new Set((await checkInJobs(patient.id)).map((job) => h.local(job.dueAt).time))).toEqual(new Set(['10:30']));
    expect(await checkInJobs(patient.id)).toHaveLength(9);

    const ended = await h.api('DELETE', `/api/v1/patients/${patient.id}/postop`);
    expect(ended.statusCode).toBe(200);
    expect(ended.json().endedAt).toBeDefined();
    expect(await checkInJobs(patient.id)).toEqual([]);
    expect((await h.api('GET', `/api/v1/patients/${patient.id}/postop`)).statusCode).toBe(404);
    expect((await h.api('POST', `/api/v1/patients/${patient.id}/postop`, { procedure: 'Second operation', surgeryDate: '2026-03-10' })).statusCode).toBe(201);
  });

  it('refuses bad enrolments with a 4xx, scheduling nothing', async () => {
    const patient = await h.enroll();
    const url = `/api/v1/patients/${patient.id}/postop`;
    for (const body of [
      { procedure: 'Knee', surgeryDate: '2026-02-30' },
      { procedure: 'Knee', surgeryDate: '03/02/2026' },
      { procedure: { $gt: '' }, surgeryDate: '2026-03-02' },
      { procedure: 'Knee', surgeryDate: '2026-03-02', protocolId: 'no-such-protocol' },
      { procedure: 'Knee', surgeryDate: '2026-03-02', extra: true },
      { procedure: '', surgeryDate: '2026-03-02' },
    ]) {
      const res = await h.api('POST', url, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await h.api('POST', '/api/v1/patients/0123456789abcdef01234567/postop', { procedure: 'Knee', surgeryDate: '2026-03-02' })).statusCode).toBe(404);
    expect((await h.api('PATCH', url, { surgeryDate: '2026-03-03' })).statusCode).toBe(404);
    expect((await h.api('PATCH', url, {})).statusCode).toBe(400);
    expect(await checkInJobs(patient.id)).toEqual([]);
  });
});
