import { describe, expect, it } from 'vitest';
import { loadDefaultProtocol } from '../../src/domain/postop/protocol.js';
import { checkInTimes } from '../../src/domain/postop/schedule.js';

/** The patient's clock at an instant, "YYYY-MM-DD HH:MM", read with Intl (not the code under test). */
function clock(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

describe('post-op check-in times', () => {
  it('sends the default protocol on each day after surgery at the send hour on the patient clock', () => {
    const protocol = loadDefaultProtocol();
    const times = checkInTimes('2025-01-20', protocol, 'America/Chicago');
    expect(times.map((time) => time.day)).toEqual(protocol.days);
    expect(times.map((time) => time.localDate)).toEqual(['2025-01-21', '2025-01-22', '2025-01-23', '2025-01-25', '2025-01-27', '2025-01-30', '2025-02-03', '2025-02-10', '2025-02-19']);
    for (const time of times) expect(clock(time.dueAt, 'America/Chicago')).toBe(`${time.localDate} ${protocol.sendHour}`);
  });

  it('moves a send hour in the New York spring-forward gap to the first minute after it, once', () => {
    const times = checkInTimes('2025-03-08', { days: [0, 1, 2], sendHour: '02:30' }, 'America/New_York');
    expect(times.map((time) => [time.localDate, clock(time.dueAt, 'America/New_York'), time.shifted])).toEqual([
      ['2025-03-08', '2025-03-08 02:30', false],
      ['2025-03-09', '2025-03-09 03:00', true],
      ['2025-03-10', '2025-03-10 02:30', false],
    ]);
    expect(times[1]?.dueAt.toISOString()).toBe('2025-03-09T07:00:00.000Z');
  });

  it('takes the first of the two London 01:30s when the clocks go back', () => {
    const [time] = checkInTimes('2025-10-25', { days: [1], sendHour: '01:30' }, 'Europe/London');
    // 01:30 BST (UTC+1), not 01:30 GMT an hour later.
    expect(time?.dueAt.toISOString()).toBe('2025-10-26T00:30:00.000Z');
    expect(time?.shifted).toBe(false);
  });

  it('keeps the send hour across a change of offset between check-ins', () => {
    const times = checkInTimes('2025-10-20', { days: [1, 10], sendHour: '10:00' }, 'Europe/London');
    expect(times.map((time) => time.dueAt.toISOString())).toEqual(['2025-10-21T09:00:00.000Z', '2025-10-30T10:00:00.000Z']);
  });

  it('orders check-ins by day whatever order the days come in', () => {
    expect(checkInTimes('2025-05-01', { days: [7, 1], sendHour: '08:00' }, 'UTC').map((time) => time.day)).toEqual([1, 7]);
  });

  it('refuses a date that does not exist and an unknown zone, saying which', () => {
    expect(() => checkInTimes('2025-02-30', { days: [1], sendHour: '10:00' }, 'UTC')).toThrow(/2025-02-30/);
    expect(() => checkInTimes('20250201', { days: [1], sendHour: '10:00' }, 'UTC')).toThrow(/YYYY-MM-DD/);
    expect(() => checkInTimes('2025-02-01', { days: [1], sendHour: '10:00' }, 'Mars/Olympus')).toThrow(/Mars\/Olympus/);
  });
});
