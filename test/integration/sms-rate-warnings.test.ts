import { Writable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import type { NewOutreachJob } from '../../src/domain/outreach/types.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { Dispatcher } from '../../src/scheduler/dispatcher.js';
import { createCareTeam, samplePatient, testApi } from '../helpers/api.js';

const T0 = new Date('2026-03-02T15:00:00.000Z');
const MINUTE = 60_000;
const clock = fixedClock(T0);
// 0.1 SMS per second within a 1-minute catch-up window: 6 messages can go out per due minute.
const api = await testApi({ clock, env: { SMS_SEND_RATE_PER_SECOND: '0.1', CATCHUP_WINDOW_MINUTES: '1' } });
const { db } = api;
const admin = await api.keyFor('admin');
const patientId: string = (await api.call(admin, 'POST', '/api/v1/patients', samplePatient(await createCareTeam(api, admin), { phone: '+15551237001' }))).json().id;

/** `count` reminders of other patients due at `dueAt` (the warning is deployment-wide). */
const reminders = (count: number, dueAt: Date, prefix: string): NewOutreachJob[] =>
  Array.from({ length: count }, (_, i) => ({ key: `med:${prefix}:${i}`, kind: 'medication_reminder', patientId: `other-${i}`, dueAt, payload: {} }));

beforeEach(async () => {
  await db.models.OutreachJob.deleteMany({});
  await db.models.OutreachClaim.deleteMany({});
  await db.models.OutreachHistory.deleteMany({});
});

describe('the dispatcher warns when a minute’s due SMS jobs exceed rate x catch-up window', () => {
  const tick = async () => {
    const lines: string[] = [];
    const logs = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    const dispatcher = new Dispatcher({
      store: db.repositories.outreach, handlers: { medication_reminder: async () => ({ status: 'sent' }) }, clock, logger: createLogger('warn', logs),
      batchSize: 100, leaseMs: 60_000, catchUpWindowMs: MINUTE, smsRatePerSecond: 0.1,
    });
    const counts = await dispatcher.tick(clock.now());
    return { counts, warnings: lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => String(line.msg).includes('send rate')) };
  };

  it('logs one warning with the figures, and no patient, when 7 are due in a minute that can send 6', async () => {
    await db.repositories.outreach.schedule([...reminders(4, new Date(T0.getTime() - 50_000), 'a'), ...reminders(3, new Date(T0.getTime() - 20_000), 'b')]);
    const { counts, warnings } = await tick();
    expect(counts.due).toBe(7);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ minute: '2026-03-02T14:59:00.000Z', due: 7, canSend: 6, minutesOver: 1, smsRatePerSecond: 0.1, catchUpWindowMs: MINUTE });
    expect(JSON.stringify(warnings[0])).not.toMatch(/other-|med:/);
  });

  it('stays quiet when the minute’s jobs fit (6 of 6), or are spread over minutes', async () => {
    await db.repositories.outreach.schedule([...reminders(6, new Date(T0.getTime() - 30_000), 'a'), ...reminders(6, new Date(T0.getTime() - 90_000), 'b')]);
    const { counts, warnings } = await tick();
    expect(counts.due).toBe(12);
    expect(warnings).toEqual([]);
  });
});

describe('the dispatcher and the limiter’s wait', () => {
  /** Most handlers in flight at once in one tick over 5 due jobs. */
  const mostAtOnce = async (smsRatePerSecond: number) => {
    await db.repositories.outreach.schedule(reminders(5, new Date(T0.getTime() - 10_000), `r${smsRatePerSecond}`));
    let inFlight = 0;
    let most = 0;
    const handler = async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return { status: 'sent' as const };
    };
    const dispatcher = new Dispatcher({
      store: db.repositories.outreach, handlers: { medication_reminder: handler }, clock, logger: createLogger('silent'),
      batchSize: 100, leaseMs: 60_000, catchUpWindowMs: 10 * MINUTE, smsRatePerSecond,
    });
    expect((await dispatcher.tick(clock.now())).sent).toBe(5);
    return most;
  };

  it('hands over one at a time when the rate starts only one send in the lease’s last quarter (0.1/s, 15 s)', async () => {
    expect(await mostAtOnce(0.1)).toBe(1);
  });

  it('hands over up to its concurrency when the rate is high', async () => {
    expect(await mostAtOnce(100)).toBe(5);
  });
});

describe('GET /api/v1/patients/:id/outreach warnings', () => {
  const preview = async () => {
    const res = await api.call(admin, 'GET', `/api/v1/patients/${patientId}/outreach?days=2`);
    expect(res.statusCode).toBe(200);
    return res.json() as { items: unknown[]; warnings: string[] };
  };

  it('names each minute in the window whose due jobs (all patients) the rate cannot send in time', async () => {
    await db.repositories.outreach.schedule([
      ...reminders(5, new Date(T0.getTime() + 60 * MINUTE), 'a'),
      ...reminders(2, new Date(T0.getTime() + 60 * MINUTE + 30_000), 'b'), // the same minute: 7 in all
      ...reminders(6, new Date(T0.getTime() + 120 * MINUTE), 'c'), // fits
      ...reminders(9, new Date(T0.getTime() + 3 * 24 * 60 * MINUTE), 'd'), // beyond the 2 days asked for
    ]);
    const { warnings } = await preview();
    expect(warnings).toEqual([
      '7 messages (all patients) are due at 2026-03-02T16:00:00.000Z; at 0.1 SMS per second only 6 go out within the 1-minute catch-up window: the rest would expire',
    ]);
  });

  it('has no warnings when every minute fits', async () => {
    await db.repositories.outreach.schedule([...reminders(6, new Date(T0.getTime() + 60 * MINUTE), 'a'), ...reminders(6, new Date(T0.getTime() + 61 * MINUTE), 'b')]);
    expect((await preview()).warnings).toEqual([]);
  });
});
