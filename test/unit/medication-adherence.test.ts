import { describe, expect, it } from 'vitest';
import { computeAdherence, detectMissedDoses } from '../../src/domain/medication/adherence.js';
import { applyDoseEvent, type DoseStatus } from '../../src/domain/medication/doses.js';

const dose = (planId: string, at: string, status: DoseStatus) => ({ key: `med:${planId}:${at.slice(0, 16)}`, planId, at: new Date(at), status });
const plans = [
  { id: 'a', displayName: 'morning pill' },
  { id: 'b', displayName: 'water pill' },
];
const window = { from: new Date('2025-06-01T00:00:00Z'), to: new Date('2025-06-08T00:00:00Z') };

describe('computeAdherence', () => {
  it('counts due doses (in the window and past) by answer, overall and per plan, with the rate', () => {
    const doses = [
      dose('a', '2025-05-31T12:00:00Z', 'skipped'), // before the window
      dose('a', '2025-06-01T12:00:00Z', 'taken'),
      dose('a', '2025-06-02T12:00:00Z', 'skipped'),
      dose('a', '2025-06-03T12:00:00Z', 'unconfirmed'),
      dose('b', '2025-06-01T20:00:00Z', 'taken'),
      dose('b', '2025-06-02T20:00:00Z', 'reminded'), // waiting for an answer: due, not confirmed
      dose('b', '2025-06-04T20:00:00Z', 'scheduled'), // after now: not due yet
    ];
    const result = computeAdherence(doses, plans, window, new Date('2025-06-04T00:00:00Z'));
    expect(result.overall).toEqual({ due: 5, taken: 2, skipped: 1, unconfirmed: 2, rate: 0.4 });
    expect(result.plans).toEqual([
      { planId: 'a', displayName: 'morning pill', due: 3, taken: 1, skipped: 1, unconfirmed: 1, rate: 1 / 3 },
      { planId: 'b', displayName: 'water pill', due: 2, taken: 1, skipped: 0, unconfirmed: 1, rate: 0.5 },
    ]);
  });

  it('gives a null rate when nothing was due, and leaves out ended plans with nothing due', () => {
    const result = computeAdherence([], [...plans, { id: 'c', displayName: 'old', endedAt: new Date('2025-01-01T00:00:00Z') }], window, new Date('2025-06-10T00:00:00Z'));
    expect(result.overall).toEqual({ due: 0, taken: 0, skipped: 0, unconfirmed: 0, rate: null });
    expect(result.plans.map((plan) => plan.planId)).toEqual(['a', 'b']);
    expect(result.streak).toBe(0);
  });

  it('excludes the window\'s end ([from, to))', () => {
    const result = computeAdherence([dose('a', '2025-06-08T00:00:00Z', 'taken'), dose('a', '2025-06-01T00:00:00Z', 'taken')], plans, window, new Date('2025-07-01T00:00:00Z'));
    expect(result.overall.due).toBe(1);
  });

  it('counts the streak back from the latest due dose, across plans, past doses still awaiting an answer', () => {
    const doses = [
      dose('a', '2025-06-01T12:00:00Z', 'taken'),
      dose('a', '2025-06-02T12:00:00Z', 'unconfirmed'),
      dose('b', '2025-06-02T20:00:00Z', 'taken'),
      dose('a', '2025-06-03T12:00:00Z', 'taken'),
      dose('b', '2025-06-03T20:00:00Z', 'taken'),
      dose('a', '2025-06-04T12:00:00Z', 'reminded'),
    ];
    expect(computeAdherence(doses, plans, window, new Date('2025-06-04T13:00:00Z')).streak).toBe(3);
    const skippedLast = [...doses.slice(0, 5), dose('a', '2025-06-04T12:00:00Z', 'skipped')];
    expect(computeAdherence(skippedLast, plans, window, new Date('2025-06-04T13:00:00Z')).streak).toBe(0);
  });
});

describe('detectMissedDoses', () => {
  it('raises one fact when a run of missed doses reaches the threshold, not again while it continues', () => {
    const doses = [
      dose('a', '2025-06-01T08:00:00Z', 'taken'),
      dose('a', '2025-06-01T20:00:00Z', 'unconfirmed'),
      dose('a', '2025-06-02T08:00:00Z', 'skipped'),
      dose('a', '2025-06-02T20:00:00Z', 'unconfirmed'),
    ];
    expect(detectMissedDoses(doses)).toEqual([
      { key: 'missed:med:a:2025-06-02T08:00', planId: 'a', doseKeys: ['med:a:2025-06-01T20:00', 'med:a:2025-06-02T08:00'] },
    ]);
  });

  it('starts over after a taken dose, reads doses in slot order, and honours another threshold', () => {
    const doses = [
      dose('a', '2025-06-03T08:00:00Z', 'unconfirmed'),
      dose('a', '2025-06-01T08:00:00Z', 'unconfirmed'),
      dose('a', '2025-06-02T08:00:00Z', 'taken'),
      dose('a', '2025-06-04T08:00:00Z', 'unconfirmed'),
      dose('a', '2025-06-05T08:00:00Z', 'unconfirmed'),
    ];
    expect(detectMissedDoses(doses).map((fact) => fact.key)).toEqual(['missed:med:a:2025-06-04T08:00']);
    expect(detectMissedDoses(doses, 3).map((fact) => fact.key)).toEqual(['missed:med:a:2025-06-05T08:00']);
    expect(detectMissedDoses(doses, 4)).toEqual([]);
  });

  it('does not count a dose still waiting for an answer as missed, nor let it join two runs', () => {
    const doses = [dose('a', '2025-06-01T08:00:00Z', 'unconfirmed'), dose('a', '2025-06-02T08:00:00Z', 'reminded'), dose('a', '2025-06-03T08:00:00Z', 'skipped')];
    expect(detectMissedDoses(doses)).toEqual([]);
  });
});

describe('applyDoseEvent', () => {
  const at = new Date('2025-06-01T08:05:00Z');

  it('follows scheduled -> reminded -> answered, with times', () => {
    expect(applyDoseEvent('scheduled', { type: 'reminded' }, at)).toEqual({ status: 'reminded', remindedAt: at });
    expect(applyDoseEvent('reminded', { type: 'reminded' }, at)).toEqual({ status: 'reminded', remindedAt: at }); // a follow-up
    expect(applyDoseEvent('reminded', { type: 'taken' }, at)).toEqual({ status: 'taken', answeredAt: at });
    const until = new Date('2025-06-01T08:35:00Z');
    expect(applyDoseEvent('reminded', { type: 'snoozed', until }, at)).toEqual({ status: 'snoozed', snoozedUntil: until, answeredAt: at });
    expect(applyDoseEvent('snoozed', { type: 'unconfirmed' }, at)).toEqual({ status: 'unconfirmed' });
  });

  it('records a late answer and a correction, but never reopens an answered dose', () => {
    expect(applyDoseEvent('unconfirmed', { type: 'taken' }, at)?.status).toBe('taken');
    expect(applyDoseEvent('skipped', { type: 'taken' }, at)?.status).toBe('taken');
    expect(applyDoseEvent('taken', { type: 'reminded' }, at)).toBeUndefined();
    expect(applyDoseEvent('taken', { type: 'unconfirmed' }, at)).toBeUndefined();
    expect(applyDoseEvent('skipped', { type: 'snoozed', until: at }, at)).toBeUndefined();
    expect(applyDoseEvent('unconfirmed', { type: 'reminded' }, at)).toBeUndefined();
  });
});
