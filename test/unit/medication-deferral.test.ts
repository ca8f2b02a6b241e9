import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { nextAllowedMinute } from '../../src/domain/medication/deferral.js';
import { inQuietHours, type QuietHours } from '../../src/domain/messaging/quiet-hours.js';

const ZONES = [
  'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'America/Sao_Paulo',
  'America/Havana', 'America/Santiago', 'Europe/Dublin',
] as const;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Where each zone's offset changed in 2016-2027, to aim instants at. */
const transitions: Record<string, number[]> = Object.fromEntries(ZONES.map((zone) => [zone, offsetChanges(zone)]));

function offsetChanges(zone: string): number[] {
  const offset = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
  const found: number[] = [];
  for (let day = Date.UTC(2016, 0, 1); day < Date.UTC(2028, 0, 1); day += DAY) {
    if (offset(day) === offset(day + DAY)) continue;
    let [low, high] = [day, day + DAY];
    while (high - low > MINUTE) {
      const middle = low + Math.floor((high - low) / (2 * MINUTE)) * MINUTE;
      if (offset(middle) === offset(low)) low = middle;
      else high = middle;
    }
    found.push(high);
  }
  return found;
}

/** messaging/inQuietHours' rule with one Intl formatter per zone: the oracle for every minute in between. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function quietByIntl(at: number, zone: string, quiet: QuietHours): boolean {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, format);
  }
  const local = format.format(at);
  if (quiet.start === quiet.end) return false;
  return quiet.start < quiet.end ? local >= quiet.start && local < quiet.end : local >= quiet.start || local < quiet.end;
}

const time = fc.integer({ min: 0, max: 24 * 60 - 1 }).map((minutes) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`);
// Quiet hours like the deployment's (21:00-08:00), and ones whose edges sit where clocks change (00:00-03:00).
const edgeTime = fc.constantFrom('00:00', '00:30', '01:00', '01:30', '02:00', '02:15', '02:30', '02:45', '03:00', '23:00', '23:30');
const quietHours = fc.oneof(
  fc.constant({ start: '21:00', end: '08:00' }),
  fc.record({ start: edgeTime, end: fc.oneof(edgeTime, time) }),
  fc.record({ start: time, end: time }),
);

/** A zone and an instant within three days of one of its offset changes, on a whole minute or not. */
const scenario = fc
  .record({ zone: fc.constantFrom(...ZONES), pick: fc.nat(), minutesFromChange: fc.integer({ min: -3 * 24 * 60, max: 3 * 24 * 60 }), seconds: fc.constantFrom(0, 0, 0, 30, 59), quiet: quietHours })
  .map(({ zone, pick, minutesFromChange, seconds, quiet }) => {
    const changes = transitions[zone]!;
    const anchor = changes.length > 0 ? changes[pick % changes.length]! : Date.UTC(2020, 0, 1) + (pick % 2000) * DAY;
    return { zone, quiet, at: new Date(anchor + minutesFromChange * MINUTE + seconds * 1000) };
  });

describe('nextAllowedMinute (properties over real zones near their DST changes)', () => {
  it('is never in quiet hours, never earlier than the input, and is the input when that is allowed', () => {
    fc.assert(
      fc.property(scenario, ({ zone, quiet, at }) => {
        const next = nextAllowedMinute(at, zone, quiet);
        expect(inQuietHours(next, zone, quiet)).toBe(false);
        expect(next.getTime()).toBeGreaterThanOrEqual(at.getTime());
        if (!inQuietHours(at, zone, quiet)) expect(next).toEqual(at);
      }),
      { numRuns: 300 },
    );
  });

  it('is the first allowed minute: every minute before it, from the input on, is quiet', () => {
    fc.assert(
      fc.property(scenario, ({ zone, quiet, at }) => {
        const next = nextAllowedMinute(at, zone, quiet).getTime();
        // The input, then each whole minute after it: quiet hours change only on whole minutes.
        for (let instant = at.getTime(); instant < next; instant = (Math.floor(instant / MINUTE) + 1) * MINUTE) {
          expect(quietByIntl(instant, zone, quiet)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('nextAllowedMinute (known dates)', () => {
  const night = { start: '21:00', end: '08:00' };

  it('moves a reminder due at 23:00 to 08:00 the next morning, in the patient\'s zone', () => {
    // 23:00 in New York on 2025-06-10 is 03:00 UTC on the 11th; 08:00 EDT is 12:00 UTC.
    expect(nextAllowedMinute(new Date('2025-06-11T03:00:00Z'), 'America/New_York', night)).toEqual(new Date('2025-06-11T12:00:00Z'));
    // 07:59:30 is still quiet: the next minute is 08:00.
    expect(nextAllowedMinute(new Date('2025-06-11T11:59:30Z'), 'America/New_York', night)).toEqual(new Date('2025-06-11T12:00:00Z'));
  });

  it('counts the 08:00 after a spring-forward night correctly (an hour shorter night)', () => {
    // New York 2025-03-09: 23:00 EST on the 8th is 04:00 UTC; 08:00 EDT on the 9th is 12:00 UTC.
    expect(nextAllowedMinute(new Date('2025-03-09T04:00:00Z'), 'America/New_York', night)).toEqual(new Date('2025-03-09T12:00:00Z'));
  });

  it('ends quiet hours that end inside a DST gap at the first minute after the gap', () => {
    // Quiet 01:00-02:30; on 2025-03-09 New York jumps from 02:00 EST to 03:00 EDT (07:00 UTC).
    expect(nextAllowedMinute(new Date('2025-03-09T06:30:00Z'), 'America/New_York', { start: '01:00', end: '02:30' })).toEqual(new Date('2025-03-09T07:00:00Z'));
  });

  it('leaves quiet hours when a fall-back sets the clock back before their start', () => {
    // Santiago 2025-04-06: at 00:00 (-03) clocks go back to 23:00 (-04) on the 5th. Quiet from 23:30:
    // 23:45 is quiet, then the clock shows 23:00, which is allowed.
    expect(nextAllowedMinute(new Date('2025-04-06T02:45:00Z'), 'America/Santiago', { start: '23:30', end: '07:00' })).toEqual(new Date('2025-04-06T03:00:00Z'));
  });

  it('waits for the next day when the only allowed hour falls in a DST gap', () => {
    // Quiet 03:00-02:00 leaves 02:00-03:00, which New York skips on 2016-03-13: the next is 02:00 EDT on the 14th.
    expect(nextAllowedMinute(new Date('2016-03-13T04:59:00Z'), 'America/New_York', { start: '03:00', end: '02:00' })).toEqual(new Date('2016-03-14T06:00:00Z'));
  });

  it('never defers when quiet hours start and end at the same time', () => {
    const at = new Date('2025-06-11T03:00:00Z');
    expect(nextAllowedMinute(at, 'America/New_York', { start: '22:00', end: '22:00' })).toBe(at);
  });
});
