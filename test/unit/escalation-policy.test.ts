import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { onCallAt, resolveTargets, rotationSchema, type Rotation, type StaffRef } from '../../src/domain/escalation/on-call.js';
import {
  DEFAULT_POLICY,
  escalationPolicySchema,
  isWithinSupportHours,
  nextSupportOpening,
  WEEKDAYS,
  type EscalationPolicy,
  type SupportHours,
  type Target,
} from '../../src/domain/escalation/policy.js';
import { planStep, type EscalationSeverity, type EscalationState } from '../../src/domain/escalation/stepper.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const id = (n: number) => n.toString(16).padStart(24, '0');
const [ALICE, BOB, CAROL, DAN] = [id(1), id(2), id(3), id(4)];
const at = (iso: string) => new Date(iso);

const WEEKDAY_HOURS: SupportHours = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' };

function state(policy: EscalationPolicy, changes: Partial<EscalationState> = {}): EscalationState {
  return { severity: 'normal', policy, teamZone: 'America/New_York', step: 0, acknowledged: false, resolved: false, ...changes };
}

const ladder = escalationPolicySchema.parse({
  levels: [
    { targets: [{ type: 'staff', staffId: ALICE }], ackTimeoutMinutes: 5 },
    { targets: [{ type: 'on_call' }], ackTimeoutMinutes: 10 },
    { targets: [{ type: 'team' }], ackTimeoutMinutes: 15 },
  ],
  repeat: 1,
});

describe('escalation policy schema', () => {
  it('fills repeat with 2 and accepts the default policy', () => {
    expect(escalationPolicySchema.parse({ levels: [{ targets: [{ type: 'team' }], ackTimeoutMinutes: 15 }] }).repeat).toBe(2);
    expect(escalationPolicySchema.parse(DEFAULT_POLICY)).toEqual({ levels: [{ targets: [{ type: 'team' }], ackTimeoutMinutes: 15 }], repeat: 2 });
  });

  it.each([
    ['no levels', { levels: [] }],
    ['eleven levels', { levels: Array.from({ length: 11 }, () => ({ targets: [{ type: 'team' }], ackTimeoutMinutes: 5 })) }],
    ['no targets', { levels: [{ targets: [], ackTimeoutMinutes: 5 }] }],
    ['21 targets', { levels: [{ targets: Array.from({ length: 21 }, () => ({ type: 'team' })), ackTimeoutMinutes: 5 }] }],
    ['a zero timeout', { levels: [{ targets: [{ type: 'team' }], ackTimeoutMinutes: 0 }] }],
    ['a timeout over a day', { levels: [{ targets: [{ type: 'team' }], ackTimeoutMinutes: 1441 }] }],
    ['a fractional timeout', { levels: [{ targets: [{ type: 'team' }], ackTimeoutMinutes: 1.5 }] }],
    ['repeat 11', { levels: [{ targets: [{ type: 'team' }], ackTimeoutMinutes: 5 }], repeat: 11 }],
    ['an unknown field', { levels: [{ targets: [{ type: 'team' }], ackTimeoutMinutes: 5 }], retries: 3 }],
    ['an unknown target', { levels: [{ targets: [{ type: 'everyone' }], ackTimeoutMinutes: 5 }] }],
    ['a staff target without an id', { levels: [{ targets: [{ type: 'staff' }], ackTimeoutMinutes: 5 }] }],
    ['an operator for a staff id', { levels: [{ targets: [{ type: 'staff', staffId: { $ne: null } }], ackTimeoutMinutes: 5 }] }],
  ])('rejects %s', (_name, input) => {
    expect(escalationPolicySchema.safeParse(input).success).toBe(false);
  });

  it.each([
    ['a repeated day', { days: ['mon', 'mon'], start: '08:00', end: '18:00' }, 'days'],
    ['24:00', { days: ['mon'], start: '08:00', end: '24:00' }, 'end'],
    ['an empty window', { days: ['mon'], start: '08:00', end: '08:00' }, 'end'],
    ['an unknown zone', { days: ['mon'], start: '08:00', end: '18:00', timeZone: 'Mars/Olympus' }, 'timeZone'],
  ])('rejects support hours with %s and names the field', (_name, supportHours, field) => {
    const result = escalationPolicySchema.safeParse({ levels: DEFAULT_POLICY.levels, supportHours });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['supportHours', field]);
  });
});

describe('planStep: the ladder', () => {
  it('pages each level in order for every round, each with its own timeout, then is exhausted', () => {
    let now = at('2025-06-10T14:00:00Z');
    const paged: Array<[number, number, string, number]> = [];
    let current = state(ladder, { severity: 'critical' });
    for (;;) {
      const next = planStep(current, now);
      if (next.action !== 'page') {
        expect(next).toEqual({ action: 'exhausted', flagAdmins: true });
        break;
      }
      paged.push([next.round, next.level, next.targets[0]!.type, (next.nextCheckAt.getTime() - now.getTime()) / MINUTE]);
      expect(next.nextStep).toBe(current.step + 1);
      current = { ...current, step: next.nextStep };
      now = next.nextCheckAt;
    }
    expect(paged).toEqual([
      [0, 0, 'staff', 5], [0, 1, 'on_call', 10], [0, 2, 'team', 15],
      [1, 0, 'staff', 5], [1, 1, 'on_call', 10], [1, 2, 'team', 15],
    ]);
    expect(now.toISOString()).toBe('2025-06-10T15:00:00.000Z');
  });

  it('runs the default policy three times (repeat 2) before giving up', () => {
    const now = at('2025-06-10T14:00:00Z');
    expect(planStep(state(DEFAULT_POLICY, { step: 2 }), now)).toMatchObject({ action: 'page', round: 2, level: 0 });
    expect(planStep(state(DEFAULT_POLICY, { step: 3 }), now)).toEqual({ action: 'exhausted', flagAdmins: false });
  });

  it('pages one level once when repeat is 0', () => {
    const once = { ...DEFAULT_POLICY, repeat: 0 };
    expect(planStep(state(once), at('2025-06-10T14:00:00Z')).action).toBe('page');
    expect(planStep(state(once, { step: 1 }), at('2025-06-10T14:15:00Z')).action).toBe('exhausted');
  });

  it.each<[EscalationSeverity, boolean]>([['critical', true], ['high', true], ['normal', false]])(
    'flags the admins of an exhausted %s alert: %s',
    (severity, flagAdmins) => {
      expect(planStep(state(ladder, { severity, step: 6 }), at('2025-06-10T14:00:00Z'))).toEqual({ action: 'exhausted', flagAdmins });
    },
  );

  it('is done once acknowledged or resolved, whatever the step or hour', () => {
    const saturday = at('2025-06-14T16:00:00Z');
    const withHours = { ...ladder, supportHours: WEEKDAY_HOURS };
    expect(planStep(state(withHours, { acknowledged: true }), saturday)).toEqual({ action: 'done' });
    expect(planStep(state(withHours, { resolved: true, step: 99 }), saturday)).toEqual({ action: 'done' });
  });

  it('refuses a step that is not a whole number', () => {
    expect(() => planStep(state(ladder, { step: -1 }), at('2025-06-10T14:00:00Z'))).toThrow(/step -1/);
    expect(() => planStep(state(ladder, { step: 1.5 }), at('2025-06-10T14:00:00Z'))).toThrow(/step 1.5/);
  });
});

describe('planStep: support hours', () => {
  const withHours = { ...ladder, supportHours: WEEKDAY_HOURS };

  it.each([
    ['Saturday noon', '2025-06-14T16:00:00Z', '2025-06-16T12:00:00.000Z'],
    ['Friday evening', '2025-06-13T23:00:00Z', '2025-06-16T12:00:00.000Z'],
    ['18:00 exactly (the end is not included)', '2025-06-10T22:00:00Z', '2025-06-11T12:00:00.000Z'],
    ['07:59 on a Thursday', '2025-06-12T11:59:00Z', '2025-06-12T12:00:00.000Z'],
  ])('a normal alert at %s (New York) waits for the next opening', (_name, now, until) => {
    expect(planStep(state(withHours), at(now))).toEqual({ action: 'wait', until: at(until), reason: 'support_hours' });
  });

  it('holds high alerts to support hours too, but pages critical ones at any hour', () => {
    const saturday = at('2025-06-14T16:00:00Z');
    expect(planStep(state(withHours, { severity: 'high' }), saturday).action).toBe('wait');
    expect(planStep(state(withHours, { severity: 'critical' }), saturday)).toMatchObject({ action: 'page', level: 0 });
  });

  it('pauses a ladder mid-way at closing time and resumes at the same level', () => {
    expect(planStep(state(withHours, { step: 1 }), at('2025-06-10T21:55:00Z'))).toMatchObject({ action: 'page', level: 1 });
    const evening = planStep(state(withHours, { step: 2 }), at('2025-06-10T22:05:00Z'));
    expect(evening).toEqual({ action: 'wait', until: at('2025-06-11T12:00:00Z'), reason: 'support_hours' });
    expect(planStep(state(withHours, { step: 2 }), at('2025-06-11T12:00:00Z'))).toMatchObject({ action: 'page', level: 2 });
  });

  it("reads the hours in their own zone when given, else the team's", () => {
    const london = { ...ladder, supportHours: { ...WEEKDAY_HOURS, timeZone: 'Europe/London' } };
    // 13:30 in New York is 18:30 in London: open for the team's zone, closed for London's.
    expect(planStep(state(withHours), at('2025-06-10T17:30:00Z')).action).toBe('page');
    expect(planStep(state(london), at('2025-06-10T17:30:00Z'))).toMatchObject({ action: 'wait', until: at('2025-06-11T07:00:00Z') });
  });

  it('handles overnight windows, including the part after midnight', () => {
    const nights: SupportHours = { days: ['fri'], start: '22:00', end: '06:00' };
    expect(isWithinSupportHours(nights, 'America/New_York', at('2025-06-14T09:00:00Z'))).toBe(true); // Sat 05:00
    expect(isWithinSupportHours(nights, 'America/New_York', at('2025-06-14T10:00:00Z'))).toBe(false); // Sat 06:00
    expect(nextSupportOpening(nights, 'America/New_York', at('2025-06-14T10:00:00Z'))).toEqual(at('2025-06-21T02:00:00Z'));
  });

  it('returns now when the hours are open', () => {
    const now = at('2025-06-10T15:00:00Z');
    expect(nextSupportOpening(WEEKDAY_HOURS, 'America/New_York', now)).toEqual(now);
  });

  describe('DST', () => {
    it('opens a start inside the New York spring-forward gap at the first minute after it', () => {
      const hours: SupportHours = { days: ['sun'], start: '02:30', end: '05:00' };
      // 2025-03-09: 02:00 EST jumps to 03:00 EDT (07:00Z).
      expect(nextSupportOpening(hours, 'America/New_York', at('2025-03-09T06:00:00Z'))).toEqual(at('2025-03-09T07:00:00Z'));
      expect(isWithinSupportHours(hours, 'America/New_York', at('2025-03-09T06:59:00Z'))).toBe(false);
    });

    it('skips a window the New York gap swallows whole and opens the next week', () => {
      const hours: SupportHours = { days: ['sun'], start: '02:00', end: '02:30' };
      expect(nextSupportOpening(hours, 'America/New_York', at('2025-03-09T05:00:00Z'))).toEqual(at('2025-03-16T06:00:00Z'));
      // Asked on the Tuesday before, the next opening is 12 days away.
      expect(nextSupportOpening(hours, 'America/New_York', at('2025-03-04T12:00:00Z'))).toEqual(at('2025-03-16T06:00:00Z'));
    });

    it('opens a start inside the New York fall-back overlap at its first occurrence and stays open through the second', () => {
      const hours: SupportHours = { days: ['sun'], start: '01:30', end: '03:00' };
      // 2025-11-02: 02:00 EDT falls back to 01:00 EST (06:00Z); 01:30 happens at 05:30Z and 06:30Z.
      expect(nextSupportOpening(hours, 'America/New_York', at('2025-11-02T04:00:00Z'))).toEqual(at('2025-11-02T05:30:00Z'));
      expect(isWithinSupportHours(hours, 'America/New_York', at('2025-11-02T06:15:00Z'))).toBe(true);
      expect(isWithinSupportHours(hours, 'America/New_York', at('2025-11-02T07:59:00Z'))).toBe(true);
      expect(isWithinSupportHours(hours, 'America/New_York', at('2025-11-02T08:00:00Z'))).toBe(false);
    });

    it('opens a start inside the London spring-forward gap at 02:00 BST', () => {
      const hours: SupportHours = { days: [...WEEKDAYS], start: '01:30', end: '06:00' };
      // 2025-03-30: 01:00 GMT jumps to 02:00 BST (01:00Z).
      expect(nextSupportOpening(hours, 'Europe/London', at('2025-03-30T00:30:00Z'))).toEqual(at('2025-03-30T01:00:00Z'));
      expect(nextSupportOpening(hours, 'Europe/London', at('2025-03-31T00:00:00Z'))).toEqual(at('2025-03-31T00:30:00Z'));
    });

    it('opens a start inside the London fall-back overlap once, at its first occurrence', () => {
      const hours: SupportHours = { days: ['sun'], start: '01:15', end: '04:00' };
      // 2025-10-26: 02:00 BST falls back to 01:00 GMT (01:00Z); 01:15 happens at 00:15Z and 01:15Z.
      expect(nextSupportOpening(hours, 'Europe/London', at('2025-10-26T00:00:00Z'))).toEqual(at('2025-10-26T00:15:00Z'));
      expect(nextSupportOpening(hours, 'Europe/London', at('2025-10-26T01:20:00Z'))).toEqual(at('2025-10-26T01:20:00Z'));
      expect(nextSupportOpening(hours, 'Europe/London', at('2025-10-26T04:00:00Z'))).toEqual(at('2025-11-02T01:15:00Z'));
    });
  });
});

describe('on-call rotation', () => {
  // Handover Monday 09:00 New York; the first is 2025-03-03 (startsOn is the Saturday before).
  const rotation: Rotation = rotationSchema.parse({
    timeZone: 'America/New_York',
    handover: { day: 'mon', time: '09:00' },
    staffIds: [ALICE, BOB, CAROL],
    startsOn: '2025-03-01',
  });

  it.each([
    ['before startsOn', '2025-02-20T12:00:00Z', ALICE],
    ['before the first handover', '2025-03-03T13:59:00Z', ALICE],
    ['at the first handover (09:00 EST)', '2025-03-03T14:00:00Z', ALICE],
    ['a minute before the second handover, after DST began (09:00 EDT)', '2025-03-10T12:59:00Z', ALICE],
    ['at the second handover', '2025-03-10T13:00:00Z', BOB],
    ['the third week', '2025-03-17T13:00:00Z', CAROL],
    ['the fourth week, round again', '2025-03-24T13:00:00Z', ALICE],
    ['09:00 EDT on the Monday after DST ended', '2025-11-03T13:00:00Z', BOB],
    ['09:00 EST on that Monday, week 35', '2025-11-03T14:00:00Z', CAROL],
  ])('%s: %s', (_name, instant, staffId) => {
    expect(onCallAt(rotation, at(instant))).toBe(staffId);
  });

  it('hands over at the first minute after a London DST gap', () => {
    const london = rotationSchema.parse({ timeZone: 'Europe/London', handover: { day: 'sun', time: '01:30' }, staffIds: [ALICE, BOB], startsOn: '2025-03-23' });
    expect(onCallAt(london, at('2025-03-23T01:30:00Z'))).toBe(ALICE);
    expect(onCallAt(london, at('2025-03-30T00:59:00Z'))).toBe(ALICE);
    expect(onCallAt(london, at('2025-03-30T01:00:00Z'))).toBe(BOB);
    expect(onCallAt(london, at('2025-04-06T00:29:00Z'))).toBe(BOB);
    expect(onCallAt(london, at('2025-04-06T00:30:00Z'))).toBe(ALICE);
  });

  it('lets overrides win, the latest-starting one first, each ending before its `to`', () => {
    const covered = rotationSchema.parse({
      ...rotation,
      overrides: [
        { from: '2025-03-07T17:00:00-05:00', to: '2025-03-10T09:00:00-04:00', staffId: DAN },
        { from: '2025-03-08T00:00:00-05:00', to: '2025-03-08T12:00:00-05:00', staffId: CAROL },
      ],
    });
    expect(onCallAt(covered, at('2025-03-07T21:59:00Z'))).toBe(ALICE);
    expect(onCallAt(covered, at('2025-03-07T22:00:00Z'))).toBe(DAN);
    expect(onCallAt(covered, at('2025-03-08T06:00:00Z'))).toBe(CAROL);
    expect(onCallAt(covered, at('2025-03-08T18:00:00Z'))).toBe(DAN);
    expect(onCallAt(covered, at('2025-03-10T13:00:00Z'))).toBe(BOB);
  });

  it.each([
    ['an override ending before it starts', { overrides: [{ from: '2025-03-08T00:00:00Z', to: '2025-03-07T00:00:00Z', staffId: DAN }] }],
    ['an override time without an offset', { overrides: [{ from: '2025-03-08T00:00:00', to: '2025-03-09T00:00:00Z', staffId: DAN }] }],
    ['no staff', { staffIds: [] }],
    ['a handover at 25:00', { handover: { day: 'mon', time: '25:00' } }],
    ['an impossible startsOn', { startsOn: '2025-02-30' }],
  ])('rejects %s', (_name, change) => {
    expect(rotationSchema.safeParse({ ...rotation, ...change }).success).toBe(false);
  });
});

describe('resolveTargets', () => {
  const staff: StaffRef[] = [{ id: ALICE, active: true }, { id: BOB, active: false }, { id: CAROL, active: true }, { id: DAN, active: true }];
  const staffById = new Map(staff.map((member) => [member.id, member]));
  const teamStaff = staff.slice(0, 3);
  const ids = (result: { staff: StaffRef[] }) => result.staff.map((member) => member.id);

  it('expands staff, on-call and team targets in order, each person once, inactive people dropped', () => {
    const result = resolveTargets([{ type: 'staff', staffId: DAN }, { type: 'on_call' }, { type: 'team' }], { onCall: CAROL, teamStaff, staffById });
    expect(ids(result)).toEqual([DAN, CAROL, ALICE]);
    expect(result.fallback).toBe(false);
  });

  it('falls back to the whole active team when nobody is on call', () => {
    expect(resolveTargets([{ type: 'on_call' }], { teamStaff, staffById })).toEqual({ staff: [staff[0], staff[2]], fallback: true, skipped: [] });
  });

  it('falls back when the on-call person is inactive or unknown, and says who was skipped', () => {
    expect(resolveTargets([{ type: 'on_call' }], { onCall: BOB, teamStaff, staffById })).toEqual({ staff: [staff[0], staff[2]], fallback: true, skipped: [BOB] });
    const unknown = id(99);
    const result = resolveTargets([{ type: 'staff', staffId: DAN }, { type: 'on_call' }], { onCall: unknown, teamStaff, staffById });
    expect(ids(result)).toEqual([DAN, ALICE, CAROL]);
    expect(result).toMatchObject({ fallback: true, skipped: [unknown] });
  });

  it('never pages nobody: a level naming only an inactive person pages the team', () => {
    expect(resolveTargets([{ type: 'staff', staffId: BOB }], { onCall: ALICE, teamStaff, staffById })).toEqual({ staff: [staff[0], staff[2]], fallback: true, skipped: [BOB] });
  });

  it('finds the on-call person in the team when the map lacks them', () => {
    expect(ids(resolveTargets([{ type: 'on_call' }], { onCall: CAROL, teamStaff, staffById: new Map() }))).toEqual([CAROL]);
  });
});

describe('properties', () => {
  // The DST changes of 2024-2025 the generated instants cluster around, so gaps and overlaps are hit often.
  const TRANSITIONS: Record<string, string[]> = {
    'America/New_York': ['2024-03-10T07:00:00Z', '2024-11-03T06:00:00Z', '2025-03-09T07:00:00Z', '2025-11-02T06:00:00Z'],
    'Europe/London': ['2024-03-31T01:00:00Z', '2024-10-27T01:00:00Z', '2025-03-30T01:00:00Z', '2025-10-26T01:00:00Z'],
    'Australia/Sydney': ['2025-04-05T16:00:00Z', '2025-10-04T16:00:00Z'],
    'Asia/Kolkata': ['2025-01-01T00:00:00Z'],
  };
  const zoneArb = fc.constantFrom(...Object.keys(TRANSITIONS));
  const timeArb = fc.oneof(
    fc.constantFrom('00:00', '00:30', '01:00', '01:15', '01:30', '02:00', '02:30', '03:00'),
    fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
  );
  const hoursArb = fc
    .record({ days: fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 7 }), start: timeArb, end: timeArb })
    .filter((hours) => hours.start !== hours.end);
  const nowArb = (zone: string) =>
    fc.tuple(fc.constantFrom(...TRANSITIONS[zone]!), fc.integer({ min: -4 * DAY, max: 4 * DAY })).map(([base, shift]) => new Date(Date.parse(base) + shift));

  const parts = new Map<string, Intl.DateTimeFormat>();
  /** The local weekday and "HH:MM" at an instant, read with Intl (not the code under test). */
  function clock(instant: Date, zone: string): { day: string; time: string } {
    let format = parts.get(zone);
    if (!format) parts.set(zone, (format = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
    const read = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
    return { day: read.weekday!.toLowerCase(), time: `${read.hour}:${read.minute}` };
  }
  const previousDay = (day: string) => WEEKDAYS[(WEEKDAYS.indexOf(day as never) + 6) % 7]!;
  /** Open by the wall clock alone; undefined when the reading happens twice (fall back), where it cannot tell. */
  function clockSaysOpen(hours: SupportHours, zone: string, instant: Date): boolean | undefined {
    const reading = clock(instant, zone);
    const same = (other: Date) => { const o = clock(other, zone); return o.day === reading.day && o.time === reading.time; };
    if (same(new Date(instant.getTime() - HOUR)) || same(new Date(instant.getTime() + HOUR))) return undefined;
    const listed = (day: string) => hours.days.includes(day as never);
    if (hours.start < hours.end) return listed(reading.day) && reading.time >= hours.start && reading.time < hours.end;
    return (listed(reading.day) && reading.time >= hours.start) || (listed(previousDay(reading.day)) && reading.time < hours.end);
  }

  it('nextSupportOpening is not before now, inside the hours, and the earliest such instant', () => {
    const arb = zoneArb.chain((zone) => fc.tuple(fc.constant(zone), hoursArb, nowArb(zone)));
    fc.assert(
      fc.property(arb, ([zone, hours, now]) => {
        const opening = nextSupportOpening(hours, zone, now);
        expect(opening.getTime()).toBeGreaterThanOrEqual(now.getTime());
        expect(isWithinSupportHours(hours, zone, opening)).toBe(true);
        expect(clockSaysOpen(hours, zone, opening)).not.toBe(false);
        const minuteBefore = new Date(opening.getTime() - MINUTE);
        if (opening > now) expect(clockSaysOpen(hours, zone, minuteBefore)).not.toBe(true);
        expect(isWithinSupportHours(hours, zone, now)).toBe(opening.getTime() === now.getTime());
      }),
      { numRuns: 400 },
    );
  });

  it('planStep never pages before now or outside support hours, and its next check is after now', () => {
    const policyArb = fc.record({
      levels: fc.array(fc.record({ targets: fc.constant<Target[]>([{ type: 'team' }]), ackTimeoutMinutes: fc.integer({ min: 1, max: 1440 }) }), { minLength: 1, maxLength: 4 }),
      repeat: fc.integer({ min: 0, max: 3 }),
      supportHours: fc.option(hoursArb, { nil: undefined }),
    });
    const arb = zoneArb.chain((zone) =>
      fc.tuple(fc.constant(zone), policyArb, fc.constantFrom<EscalationSeverity>('critical', 'high', 'normal'), fc.integer({ min: 0, max: 20 }), nowArb(zone)),
    );
    fc.assert(
      fc.property(arb, ([zone, policy, severity, step, now]) => {
        const next = planStep({ severity, policy, teamZone: zone, step, acknowledged: false, resolved: false }, now);
        const gated = severity !== 'critical' && policy.supportHours !== undefined;
        if (next.action === 'page') {
          expect(next.nextCheckAt.getTime()).toBeGreaterThan(now.getTime());
          if (gated) expect(clockSaysOpen(policy.supportHours!, zone, now)).not.toBe(false);
        } else if (next.action === 'wait') {
          expect(gated).toBe(true);
          expect(next.until.getTime()).toBeGreaterThan(now.getTime());
          expect(clockSaysOpen(policy.supportHours!, zone, next.until)).not.toBe(false);
        } else {
          expect(next).toEqual({ action: 'exhausted', flagAdmins: severity !== 'normal' });
          expect(step).toBeGreaterThanOrEqual(policy.levels.length * (1 + policy.repeat));
        }
      }),
      { numRuns: 400 },
    );
  });
});
