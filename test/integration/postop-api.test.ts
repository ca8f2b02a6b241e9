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
