import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { resolveLocalTime } from '../../src/domain/medication/local-time.js';
import { WEEKDAYS, type Weekday } from '../../src/domain/medication/plan.js';
import { doseKey, doseSlots, slotsBefore, type SlotPlan } from '../../src/domain/medication/slots.js';

// Real zones with awkward rules: 30-minute DST (Lord_Howe), a :45 offset (Chatham), no DST (Kolkata), DST that
// ended in 2019 and changed at midnight (Sao_Paulo), changes at midnight (Havana, Santiago, Tehran), negative DST
// in the zone data (Dublin).
const ZONES = [
  'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'America/Sao_Paulo',
  'America/Havana', 'America/Santiago', 'Asia/Tehran', 'Europe/Dublin',
] as const;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Where each zone's offset changed in 2016-2027 (daily samples, then to the minute), to aim tests at. */
const transitions: Record<string, number[]> = Object.fromEntries(ZONES.map((zone) => [zone, offsetChanges(zone, Date.UTC(2016, 0, 1), Date.UTC(2028, 0, 1))]));

function offsetChanges(zone: string, from: number, to: number): number[] {
  const offset = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
  const found: number[] = [];
  for (let day = from; day < to; day += DAY) {
    if (offset(day) === offset(day + DAY)) continue;
    let [low, high] = [day, day + DAY];
    while (high - low > 60_000) {
      const middle = low + Math.floor((high - low) / 120_000) * 60_000;
      if (offset(middle) === offset(low)) low = middle;
      else high = middle;
    }
    found.push(high);
  }
  return found;
}

/** The patient's clock at an instant, as "YYYY-MM-DDTHH:MM", read with Intl (not the code under test). */
const formatters = new Map<string, Intl.DateTimeFormat>();
function clockReading(at: Date | number, zone: string): string {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, format);
  }
  const part = Object.fromEntries(format.formatToParts(at).map(({ type, value }) => [type, value]));
  return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}`;
}

const shiftDate = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;

/** Independent reading of the plan's days: start/end inclusive, weekdays, every N days from the start. */
function onPlanDay(plan: SlotPlan, date: string): boolean {
  if (date < plan.startDate || (plan.endDate && date > plan.endDate)) return false;
  const weekday = WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7]!;
  if (plan.daysOfWeek) return plan.daysOfWeek.includes(weekday);
  if (plan.everyNDays) return (dayNumber(date) - dayNumber(plan.startDate)) % plan.everyNDays === 0;
  return true;
}

const timeText = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
// Times near where the clock changes (around midnight and 01:00-03:00) are chosen often.
const awkwardMinutes = [0, 15, 30, 45, 60, 75, 90, 105, 120, 135, 150, 165, 180, 210, 23 * 60, 23 * 60 + 30, 23 * 60 + 59];
const planTimes = fc
  .uniqueArray(fc.oneof(fc.constantFrom(...awkwardMinutes), fc.integer({ min: 0, max: 24 * 60 - 1 })), { minLength: 1, maxLength: 5 })
  .map((minutes) => [...minutes].sort((a, b) => a - b).map(timeText));
const schedule = fc.oneof(
  fc.constant({}),
  fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 7 }).map((days) => ({ daysOfWeek: days as Weekday[] })),
  fc.integer({ min: 1, max: 5 }).map((everyNDays) => ({ everyNDays })),
);

/** A zone, a window of 1 to 6 days near one of its offset changes, and a plan around it. */
const scenario = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    pick: fc.nat(),
    hoursFromChange: fc.integer({ min: -72, max: 72 }),
    windowHours: fc.integer({ min: 1, max: 6 * 24 }),
    times: planTimes,
    schedule,
    startOffsetDays: fc.integer({ min: -10, max: 3 }),
    lengthDays: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
  })
  .map(({ zone, pick, hoursFromChange, windowHours, times, schedule, startOffsetDays, lengthDays }) => {
    const changes = transitions[zone]!;
    // Kolkata has no change in these years: any instant in them will do.
    const anchor = changes.length > 0 ? changes[pick % changes.length]! : Date.UTC(2020, 0, 1) + (pick % 2000) * DAY;
    const from = new Date(anchor + hoursFromChange * HOUR);
    const to = new Date(from.getTime() + windowHours * HOUR);
    const startDate = shiftDate(clockReading(from, zone).slice(0, 10), startOffsetDays);
    const plan: SlotPlan = { id: 'plan1', times, startDate, ...(lengthDays === undefined ? {} : { endDate: shiftDate(startDate, lengthDays) }), ...schedule };
    return { zone, from, to, plan };
  });

const RUNS = { numRuns: 400 };

describe('dose slots (properties over real zones and their DST changes)', () => {
  it('lie in the window, in order, each key once, on the plan\'s days only', () => {
    fc.assert(
      fc.property(scenario, ({ zone, from, to, plan }) => {
        const slots = doseSlots(plan, zone, from, to);
        expect(new Set(slots.map((slot) => slot.key)).size).toBe(slots.length);
        for (const [index, slot] of slots.entries()) {
          expect(slot.at >= from && slot.at < to).toBe(true);
          if (index > 0) expect(slot.at >= slots[index - 1]!.at).toBe(true);
          expect(slot.key).toBe(`med:plan1:${slot.localDate}T${slot.localTime}`);
          expect(plan.times).toContain(slot.localTime);
          expect(onPlanDay(plan, slot.localDate)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('fall at the planned local time; in a gap at the first minute after it; in an overlap at the first occurrence', () => {
    fc.assert(
      fc.property(scenario, ({ zone, from, to, plan }) => {
        for (const slot of doseSlots(plan, zone, from, to)) {
          const planned = `${slot.localDate}T${slot.localTime}`;
          const shown = clockReading(slot.at, zone);
          if (slot.shifted) {
            // The planned time never showed: the minute before reads earlier, this minute later.
            expect(shown > planned).toBe(true);
            expect(clockReading(slot.at.getTime() - 60_000, zone) < planned).toBe(true);
          } else {
            expect(shown).toBe(planned);
            // No earlier instant showed the same time (overlaps are 30 or 60 minutes; 120 for safety).
            for (const minutes of [30, 60, 120]) expect(clockReading(slot.at.getTime() - minutes * 60_000, zone)).not.toBe(planned);
          }
        }
      }),
      RUNS,
    );
  });

  it('give every plan time once on each plan day wholly inside the window', () => {
    fc.assert(
      fc.property(scenario, ({ zone, from, to, plan }) => {
        const slots = doseSlots(plan, zone, from, to);
        const firstDay = shiftDate(clockReading(from, zone).slice(0, 10), 1);
        const lastDay = shiftDate(clockReading(to, zone).slice(0, 10), -1);
        for (let day = firstDay; day <= lastDay; day = shiftDate(day, 1)) {
          const times = slots.filter((slot) => slot.localDate === day).map((slot) => slot.localTime);
          expect(times).toEqual(onPlanDay(plan, day) ? plan.times : []);
        }
      }),
      RUNS,
    );
  });

  it('are the same when the window is cut in two (materialising a horizon in steps adds nothing, loses nothing)', () => {
    fc.assert(
      fc.property(scenario, fc.double({ min: 0, max: 1, noNaN: true }), ({ zone, from, to, plan }, cut) => {
        const middle = new Date(from.getTime() + Math.floor((to.getTime() - from.getTime()) * cut));
        const halves = [...doseSlots(plan, zone, from, middle), ...doseSlots(plan, zone, middle, to)];
        expect(halves).toEqual(doseSlots(plan, zone, from, to));
      }),
      { numRuns: 200 },
    );
  });
});

describe('dose slots (known dates)', () => {
  const daily = (times: string[], extra: Partial<SlotPlan> = {}): SlotPlan => ({ id: 'p', times, startDate: '2025-01-01', ...extra });
  const at = (plan: SlotPlan, zone: string, from: string, to: string) =>
    doseSlots(plan, zone, new Date(from), new Date(to)).map((slot) => [slot.localDate, slot.localTime, slot.at.toISOString(), slot.shifted]);

  it('moves 02:30 on New York\'s spring-forward day to 03:00 EDT, and keeps 01:30 once on the fall-back day (EDT)', () => {
    expect(at(daily(['02:30']), 'America/New_York', '2025-03-09T00:00Z', '2025-03-11T00:00Z')).toEqual([
      ['2025-03-09', '02:30', '2025-03-09T07:00:00.000Z', true],
      ['2025-03-10', '02:30', '2025-03-10T06:30:00.000Z', false],
    ]);
    expect(at(daily(['01:30']), 'America/New_York', '2025-11-02T00:00Z', '2025-11-03T00:00Z')).toEqual([['2025-11-02', '01:30', '2025-11-02T05:30:00.000Z', false]]);
  });

  it('handles Lord Howe\'s 30-minute change and Chatham\'s 02:45 gap', () => {
    // Lord Howe springs from 02:00 to 02:30 (+10:30 -> +11:00) on 2025-10-05.
    expect(at(daily(['02:15']), 'Australia/Lord_Howe', '2025-10-04T00:00Z', '2025-10-05T00:00Z')).toEqual([['2025-10-05', '02:15', '2025-10-04T15:30:00.000Z', true]]);
    // Chatham springs from 02:45 to 03:45 (+12:45 -> +13:45) on 2025-09-28.
    expect(at(daily(['03:00']), 'Pacific/Chatham', '2025-09-27T00:00Z', '2025-09-28T00:00Z')).toEqual([['2025-09-28', '03:00', '2025-09-27T14:00:00.000Z', true]]);
  });

  it('counts every N days from the start date in local days, across a DST change', () => {
    const plan = daily(['09:00'], { startDate: '2025-03-01', everyNDays: 3 });
    const dates = doseSlots(plan, 'America/New_York', new Date('2025-03-01T00:00Z'), new Date('2025-03-20T00:00Z')).map((slot) => slot.localDate);
    expect(dates).toEqual(['2025-03-01', '2025-03-04', '2025-03-07', '2025-03-10', '2025-03-13', '2025-03-16', '2025-03-19']);
  });

  it('keeps to the days of the week and to start and end dates (inclusive), in the patient\'s zone', () => {
    // 2025-06-02 is a Monday. 23:30 in Kolkata is 18:00 UTC the same day.
    const plan = daily(['23:30'], { startDate: '2025-06-02', endDate: '2025-06-13', daysOfWeek: ['mon', 'fri'] });
    expect(at(plan, 'Asia/Kolkata', '2025-05-25T00:00Z', '2025-06-30T00:00Z')).toEqual([
      ['2025-06-02', '23:30', '2025-06-02T18:00:00.000Z', false],
      ['2025-06-06', '23:30', '2025-06-06T18:00:00.000Z', false],
      ['2025-06-09', '23:30', '2025-06-09T18:00:00.000Z', false],
      ['2025-06-13', '23:30', '2025-06-13T18:00:00.000Z', false],
    ]);
  });

  it('has no slot at or after the moment a plan was ended', () => {
    const plan = daily(['08:00', '20:00'], { endedAt: new Date('2025-05-01T12:00:00Z') });
    expect(at(plan, 'Europe/London', '2025-04-30T00:00Z', '2025-05-03T00:00Z').map((slot) => slot[2])).toEqual(['2025-04-30T07:00:00.000Z', '2025-04-30T19:00:00.000Z', '2025-05-01T07:00:00.000Z']);
  });

  it('lists the slots just before an instant, for missed-dose checks', () => {
    const plan = daily(['08:00'], { daysOfWeek: ['wed'] });
    const before = slotsBefore(plan, 'Europe/London', new Date('2025-06-18T07:00:00Z'), 2);
    expect(before.map((slot) => slot.key)).toEqual([doseKey('p', '2025-06-04', '08:00'), doseKey('p', '2025-06-11', '08:00')]);
  });

  it('resolves the same local time the same way every time (deterministic keys and instants)', () => {
    expect(resolveLocalTime('2025-03-30', '01:30', 'Europe/London')).toEqual(resolveLocalTime('2025-03-30', '01:30', 'Europe/London'));
    expect(resolveLocalTime('2025-03-30', '01:30', 'Europe/London')).toEqual({ at: new Date('2025-03-30T01:00:00Z'), shifted: true });
  });
});
