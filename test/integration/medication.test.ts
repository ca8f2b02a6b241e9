import { beforeAll, describe, expect, it } from 'vitest';
import type { DoseRecord } from '../../src/domain/medication/doses.js';
import type { PlanInput } from '../../src/domain/medication/plan.js';
import { MedicationService } from '../../src/domain/medication/service.js';
import type { Patient } from '../../src/domain/patients/ports.js';
import { fixedClock } from '../../src/lib/clock.js';
import type { Database } from '../../src/store/database.js';
import { openTestDatabase } from '../helpers/db.js';

// Saturday 2025-03-08 12:00 in New York (17:00 UTC): the clocks spring forward at 02:00 the next night.
const START = new Date('2025-03-08T17:00:00Z');
const HOUR = 3_600_000;
const clock = fixedClock(START);
let db: Database;
let medication: MedicationService;
let teamId: string;
let phoneNumber = 0;

beforeAll(async () => {
  ({ db } = await openTestDatabase({ clock }));
  teamId = (await db.repositories.careTeams.create({ name: 'Team', timeZone: 'America/New_York' })).id;
  medication = new MedicationService({ plans: db.repositories.medicationPlans, doses: db.repositories.doses, patients: db.repositories.patients, clock });
});

async function patient(timeZone = 'America/New_York'): Promise<Patient> {
  phoneNumber++;
  return db.repositories.patients.create({
    name: 'Test Patient', phone: `+1555888${String(phoneNumber).padStart(4, '0')}`, timeZone, language: 'en', dateOfBirth: '1950-01-01', careTeamId: teamId, consent: {},
  });
}

const plan = (overrides: Partial<PlanInput> = {}): PlanInput => ({ displayName: 'morning pill', dose: '1 tablet', times: ['02:30', '08:00'], startDate: '2025-03-01', ...overrides });
const dosesOf = async (planId: string): Promise<DoseRecord[]> =>
  ((await db.models.Dose.find({ planId }).sort({ at: 1 }).lean()) as unknown as (DoseRecord & { _id: string })[]).map((doc) => ({ ...doc, key: doc._id }));

/** Runs `body` with the clock at `at`, then puts it back, so tests do not depend on each other's time. */
async function at<T>(instant: Date, body: () => Promise<T>): Promise<T> {
  const offset = instant.getTime() - clock.now().getTime();
  clock.advance(offset);
  try {
    return await body();
  } finally {
    clock.advance(-offset);
  }
}

describe('medication plans and doses on the database', () => {
  it('records the next 48 hours of doses in the patient\'s zone, across a DST change, each once', async () => {
    const { id: patientId } = await patient();
    const created = await medication.create(patientId, plan());
    const doses = await dosesOf(created.id);
    expect(doses.map((dose) => [dose.key, dose.at.toISOString(), dose.status])).toEqual([
      // 08:00 on the 8th (13:00 UTC) is already past. 02:30 does not exist on the 9th: 03:00 EDT, the first minute after the gap.
      [`med:${created.id}:2025-03-09T02:30`, '2025-03-09T07:00:00.000Z', 'scheduled'],
      [`med:${created.id}:2025-03-09T08:00`, '2025-03-09T12:00:00.000Z', 'scheduled'],
      [`med:${created.id}:2025-03-10T02:30`, '2025-03-10T06:30:00.000Z', 'scheduled'],
      [`med:${created.id}:2025-03-10T08:00`, '2025-03-10T12:00:00.000Z', 'scheduled'],
    ]);
    expect(doses[0]!.patientId).toBe(patientId);

    // Several instances materialising the same horizon at once: every dose still recorded once.
    const holder = (await db.repositories.patients.get(patientId))!;
    const results = await Promise.all([1, 2, 3].map(() => medication.scheduleDoses(holder, created)));
    expect(results.flat()).toEqual([]);
    expect(await dosesOf(created.id)).toHaveLength(doses.length);
  });

  it('records reminders and answers by dose key, ignores a late reminder for an answered dose, and keeps the history', async () => {
    const { id: patientId } = await patient();
    const { id: planId } = await medication.create(patientId, plan({ times: ['20:00'] }));
    const key = `med:${planId}:2025-03-08T20:00`;
    const slot = new Date('2025-03-09T01:00:00Z');
    await at(slot, () => medication.recordDoseEvent(key, { type: 'reminded' }));
    const snoozeUntil = new Date(slot.getTime() + 30 * 60_000);
    await at(new Date(slot.getTime() + 60_000), () => medication.recordDoseEvent(key, { type: 'snoozed', until: snoozeUntil }));
    await at(snoozeUntil, () => medication.recordDoseEvent(key, { type: 'reminded' }));
    const taken = await at(new Date(snoozeUntil.getTime() + 120_000), () => medication.recordDoseEvent(key, { type: 'taken' }));
    expect(taken).toMatchObject({ applied: true, dose: { status: 'taken', answeredAt: new Date(snoozeUntil.getTime() + 120_000), snoozedUntil: snoozeUntil } });
    expect(taken.missedDoses).toBeUndefined();

    const late = await medication.recordDoseEvent(key, { type: 'reminded' });
    expect(late.applied).toBe(false);
    const stored = await db.repositories.doses.get(key);
    expect(stored?.status).toBe('taken');
    expect(stored?.history.map((entry) => entry.status)).toEqual(['scheduled', 'reminded', 'snoozed', 'reminded', 'taken']);
    await expect(medication.recordDoseEvent(`med:${planId}:2030-01-01T20:00`, { type: 'taken' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('raises the missed-dose fact once when two consecutive doses go unconfirmed or skipped, with a consenting caregiver', async () => {
    const holder = await patient();
    const caregiver = { name: 'Maria', phone: '+15559990001', consent: true };
    const { id: planId } = await medication.create(holder.id, plan({ times: ['09:00', '21:00'], caregiver }));
    const created = await medication.get(holder.id, planId);
    await medication.scheduleDoses(holder, created, START, new Date(START.getTime() + 72 * HOUR));
    const keys = ['2025-03-08T21:00', '2025-03-09T09:00', '2025-03-09T21:00', '2025-03-10T09:00'].map((slot) => `med:${planId}:${slot}`);

    const first = await medication.recordDoseEvent(keys[0]!, { type: 'unconfirmed' });
    expect(first.missedDoses).toBeUndefined();
    const second = await medication.recordDoseEvent(keys[1]!, { type: 'skipped' });
    expect(second.missedDoses).toEqual({ key: `missed:${keys[1]}`, planId, doseKeys: [keys[0], keys[1]], patientId: holder.id, displayName: 'morning pill', caregiver });
    // The run goes on: no second fact for the same run.
    expect((await medication.recordDoseEvent(keys[2]!, { type: 'unconfirmed' })).missedDoses).toBeUndefined();
    // A late "taken" for the last miss ends the run; the next miss starts a new one.
    await medication.recordDoseEvent(keys[2]!, { type: 'taken' });
    expect((await medication.recordDoseEvent(keys[3]!, { type: 'unconfirmed' })).missedDoses).toBeUndefined();
  });

  it('names no caregiver who has not consented, and counts no slot that was never recorded as a miss', async () => {
    const holder = await patient('Europe/London');
    const { id: planId } = await medication.create(holder.id, plan({ times: ['09:00'], startDate: '2025-03-08', caregiver: { name: 'Sam', phone: '+447700900123', consent: false } }));
    // Only the horizon from now is recorded: 2025-03-09 09:00 exists, 2025-03-08 09:00 (before START) does not.
    const created = await medication.recordDoseEvent(`med:${planId}:2025-03-09T09:00`, { type: 'unconfirmed' });
    expect(created.missedDoses).toBeUndefined();
    const fact = (await medication.recordDoseEvent(`med:${planId}:2025-03-10T09:00`, { type: 'skipped' })).missedDoses;
    expect(fact).toMatchObject({ planId, doseKeys: [`med:${planId}:2025-03-09T09:00`, `med:${planId}:2025-03-10T09:00`] });
    expect(fact).not.toHaveProperty('caregiver');
  });

  it('reschedules future doses on a change without duplicating or losing any, and leaves reminded ones alone', async () => {
    const { id: patientId } = await patient();
    const { id: planId } = await medication.create(patientId, plan({ times: ['08:00', '20:00'] }));
    const before = await dosesOf(planId);
    // The first one has been reminded: it stays whatever the change.
    await medication.recordDoseEvent(before[0]!.key, { type: 'reminded' });

    await medication.update(patientId, planId, { times: ['08:00', '21:00'] });
    const after = await dosesOf(planId);
    const keys = after.map((dose) => dose.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain(before[0]!.key);
    expect(before[0]!.key).toBe(`med:${planId}:2025-03-08T20:00`);
    expect(keys.filter((key) => key.endsWith('T20:00'))).toEqual([before[0]!.key]);
    expect(keys.filter((key) => key.endsWith('T21:00'))).toEqual([`med:${planId}:2025-03-08T21:00`, `med:${planId}:2025-03-09T21:00`]);
    // A kept slot keeps its record (same key, same document).
    const kept = after.find((dose) => dose.key === `med:${planId}:2025-03-09T08:00`);
    expect(kept?.history).toHaveLength(1);
  });

  it('ends a plan: no future doses, history kept, no change afterwards, listed as ended', async () => {
    const { id: patientId } = await patient();
    const { id: planId } = await medication.create(patientId, plan({ times: ['08:00', '20:00'] }));
    const past = `med:${planId}:2025-03-08T08:00`;
    await db.repositories.doses.createMissing([{ key: past, planId, patientId, localDate: '2025-03-08', localTime: '08:00', at: new Date('2025-03-08T13:00:00Z') }], START);
    await medication.recordDoseEvent(past, { type: 'taken' });

    const ended = await medication.end(patientId, planId);
    expect(ended.endedAt).toEqual(START);
    expect((await dosesOf(planId)).map((dose) => [dose.key, dose.status])).toEqual([[past, 'taken']]);
    await expect(medication.update(patientId, planId, { dose: '2 tablets' })).rejects.toMatchObject({ code: 'conflict' });
    expect((await medication.end(patientId, planId)).endedAt).toEqual(START);
    expect((await medication.list(patientId, 'active')).map((found) => found.id)).not.toContain(planId);
    expect((await medication.list(patientId, 'ended')).map((found) => found.id)).toEqual([planId]);
  });

  it('checks a change against the whole plan, and finds plans only under their own patient', async () => {
    const { id: patientId } = await patient();
    const other = await patient();
    const { id: planId } = await medication.create(patientId, plan({ daysOfWeek: ['sun', 'mon'] }));
    expect((await medication.get(patientId, planId)).daysOfWeek).toEqual(['mon', 'sun']);
    await expect(medication.update(patientId, planId, { everyNDays: 2 })).rejects.toMatchObject({ code: 'validation_failed' });
    const switched = await medication.update(patientId, planId, { everyNDays: 2, daysOfWeek: null, instructions: 'with food' });
    expect(switched).toMatchObject({ everyNDays: 2, instructions: 'with food' });
    expect(switched).not.toHaveProperty('daysOfWeek');
    await expect(medication.update(patientId, planId, { endDate: '2025-02-01' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(medication.get(other.id, planId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(medication.create('0123456789abcdef01234567', plan())).rejects.toMatchObject({ code: 'not_found' });
  });

  it('computes adherence from the stored doses', async () => {
    const holder = await patient();
    const { id: planId } = await medication.create(holder.id, plan({ times: ['09:00', '21:00'], startDate: '2025-03-08' }));
    const key = (slot: string) => `med:${planId}:${slot}`;
    await medication.recordDoseEvent(key('2025-03-08T21:00'), { type: 'taken' });
    await medication.recordDoseEvent(key('2025-03-09T09:00'), { type: 'skipped' });
    await medication.recordDoseEvent(key('2025-03-09T21:00'), { type: 'taken' });
    await medication.recordDoseEvent(key('2025-03-10T09:00'), { type: 'taken' });

    // At 2025-03-10 10:00 EDT the four doses above are due; 2025-03-10 21:00 is not yet.
    const result = await at(new Date('2025-03-10T14:00:00Z'), () => medication.adherence(holder.id, { from: '2025-03-08' }));
    expect(result.from).toEqual(new Date('2025-03-08T05:00:00Z'));
    expect(result.overall).toEqual({ due: 4, taken: 3, skipped: 1, unconfirmed: 0, rate: 0.75 });
    expect(result.plans).toEqual([{ planId, displayName: 'morning pill', due: 4, taken: 3, skipped: 1, unconfirmed: 0, rate: 0.75 }]);
    expect(result.streak).toBe(2);
    await expect(medication.adherence(holder.id, { from: '2025-03-10', to: '2025-03-09' })).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
