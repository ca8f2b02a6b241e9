import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeTimeCursor } from '../../src/domain/common.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createCareTeam, samplePatient, testApi, type TestApi } from '../helpers/api.js';

// Many rows per timestamp: a burst of bot replies, an import, a fast clock. The cursor must still be total.
const TIMESTAMPS = 40;
const PER_TIMESTAMP = 25;
const clock = fixedClock(new Date('2026-03-02T15:00:00Z'));
let api: TestApi;
let clinician: string;
let patientId: string;
let otherPatientId: string;

beforeAll(async () => {
  api = await testApi({ clock });
  const admin = await api.keyFor('admin');
  clinician = await api.keyFor('clinician');
  const teamId = await createCareTeam(api, admin);
  const enroll = async (phone: string) => (await api.call(admin, 'POST', '/api/v1/patients', samplePatient(teamId, { phone }))).json<{ id: string }>().id;
  patientId = await enroll('+15551230001');
  otherPatientId = await enroll('+15551230002');
});

type Seen = { id: string; createdAt: string };

/** Random ids, so the _id order is unrelated to the insertion order. */
const randomId = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`;

/** The order the API promises: createdAt, then id, both descending (ids are ASCII: JS and BSON compare alike). */
const newestFirst = (a: Seen, b: Seen) =>
  descending(a.createdAt, b.createdAt) || descending(a.id, b.id);
const descending = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

/** Inserts `perTimestamp` rows at each of `timestamps` instants through `insert`, which stamps them with the clock. */
async function insertInBursts(timestamps: number, perTimestamp: number, insert: (i: number) => Promise<unknown>): Promise<void> {
  for (let t = 0; t < timestamps; t++) {
    await Promise.all(Array.from({ length: perTimestamp }, (_, j) => insert(t * perTimestamp + j)));
    clock.advance(1_000);
  }
}

/** Follows nextCursor through the API to the end; returns every item in the order served. */
async function walk(url: string, limit: number, from: string | null = null): Promise<Seen[]> {
  const seen: Seen[] = [];
  let cursor = from;
  do {
    const res = await api.call(clinician, 'GET', `${url}${url.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode).toBe(200);
    const page = res.json<{ items: Seen[]; nextCursor: string | null }>();
    expect(page.items.length).toBeLessThanOrEqual(limit);
    seen.push(...page.items.map(({ id, createdAt }) => ({ id, createdAt })));
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

describe("a patient's messages, newest first", () => {
  let expected: Seen[];

  beforeAll(async () => {
    const inserted: Seen[] = [];
    await insertInBursts(TIMESTAMPS, PER_TIMESTAMP, async (i) => {
      const own = i % 10 !== 0; // one in ten belongs to another patient and must never show up
      const id = randomId('sms:SM');
      const createdAt = clock.now().toISOString();
      await api.db.repositories.messages.insert({
        id, direction: 'inbound', channel: 'sms', address: '+15551230001', patientId: own ? patientId : otherPatientId, text: `message ${i}`,
        media: [], status: 'received', statusRank: 0, createdAt: clock.now(), updatedAt: clock.now(),
      });
      if (own) inserted.push({ id, createdAt });
    });
    // Top up to exactly 1,000 of the patient's own, all in one more burst.
    const missing = 1_000 - inserted.length;
    await insertInBursts(1, missing, async () => {
      const id = randomId('webchat:');
      const createdAt = clock.now().toISOString();
      await api.db.repositories.messages.insert({
        id, direction: 'outbound', channel: 'webchat', address: 'conversation-1', patientId, text: 'reply',
        media: [], status: 'sent', statusRank: 3, createdAt: clock.now(), updatedAt: clock.now(),
      });
      inserted.push({ id, createdAt });
    });
    expected = inserted.sort(newestFirst);
    expect(expected).toHaveLength(1_000);
    expect(new Set(expected.map((m) => m.createdAt)).size).toBe(TIMESTAMPS + 1);
  }, 120_000);

  // About 22 messages share each timestamp, so pages of 7 split every run of equal timestamps.
  it.each([7, 100])('returns each of 1,000 messages exactly once, in order, %i per page (API)', async (limit) => {
    expect(await walk(`/api/v1/patients/${patientId}/messages`, limit)).toEqual(expected);
  }, 600_000);

  it('stays correct when newer messages arrive during the walk', async () => {
    const first = (await api.call(clinician, 'GET', `/api/v1/patients/${patientId}/messages?limit=100`)).json<{ items: { id: string }[]; nextCursor: string }>();
    await api.db.repositories.messages.insert({
      id: randomId('sms:SM'), direction: 'inbound', channel: 'sms', address: '+15551230001', patientId, text: 'late',
      media: [], status: 'received', statusRank: 0, createdAt: clock.now(), updatedAt: clock.now(),
    });
    const rest = await walk(`/api/v1/patients/${patientId}/messages`, 100, first.nextCursor);
    expect([...first.items.map((m) => m.id), ...rest.map((m) => m.id)]).toEqual(expected.map((m) => m.id));
  });
});

describe('alerts, newest first', () => {
  it.each([1, 7])('returns each alert exactly once, in order, %i per page, with equal timestamps', async (limit) => {
    const raised: Seen[] = [];
    const patient = limit === 1 ? patientId : otherPatientId; // a fresh set per case
    await insertInBursts(4, 15, async (i) => {
      const messageId = randomId('sms:SM');
      const createdAt = clock.now().toISOString();
      const kind = i % 2 ? 'handoff' : 'emergency';
      expect((await api.container.alerts.raise({
        kind, severity: 'high', idempotencyKey: messageId, patientId: patient, source: { channel: 'sms', address: '+15551230001', messageId }, reason: 'test',
      })).raised).toBe(true);
      raised.push({ id: `${kind}:${messageId}`, createdAt });
    });
    expect(await walk(`/api/v1/alerts?patientId=${patient}`, limit)).toEqual(raised.sort(newestFirst));
  }, 60_000);
});

describe('malformed cursors', () => {
  const base64url = (text: string) => Buffer.from(text).toString('base64url');
  const valid = encodeTimeCursor({ createdAt: new Date('2026-03-02T15:00:00Z'), id: 'sms:SM1' });
  const cursors = [
    ['a bare timestamp (the old cursor)', '2026-03-02T15:00:00.000Z'],
    ['an ObjectId (a findPage cursor)', '0123456789abcdef01234567'],
    ['not base64url', 'abc+/=='],
    ['base64url of text', base64url('hello')],
    ['an id that is not a string', base64url('[1772463600000,{"$gt":""}]')],
    ['a negative time', base64url('[-1,"sms:SM1"]')],
    ['an object', base64url('{"createdAt":1772463600000,"id":"sms:SM1"}')],
    ['an empty id', base64url('[1772463600000,""]')],
    ['a valid cursor cut short', valid.slice(0, -1)],
    ['a valid cursor with a character added', `${valid}A`],
    ['empty', ''],
  ];

  it.each(cursors)('answers %s with 400 on messages and alerts', async (_label, cursor) => {
    for (const url of [`/api/v1/patients/${patientId}/messages`, '/api/v1/alerts']) {
      const res = await api.call(clinician, 'GET', `${url}?cursor=${encodeURIComponent(cursor)}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'validation_failed', details: { issues: [{ field: 'cursor' }] } } });
    }
  });

  it.each(['cursor[$gt]=', 'cursor=a&cursor=b'])('answers the query %s with 400', async (query) => {
    const res = await api.call(clinician, 'GET', `/api/v1/alerts?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toMatch(/^(bad_request|validation_failed)$/);
  });

  it('refuses a malformed cursor in the repository too, for callers other than the routes', async () => {
    await expect(api.db.repositories.messages.forPatient(patientId, { limit: 5, cursor: '2026-03-02T15:00:00.000Z' })).rejects.toMatchObject({
      status: 400, code: 'bad_request',
    });
  });
});
