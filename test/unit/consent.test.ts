import { describe, expect, it } from 'vitest';
import { PURPOSES, applyConsent, type ChannelConsent } from '../../src/domain/consent/consent.js';

const earlier = new Date('2026-01-01T09:00:00Z');
const now = new Date('2026-02-01T09:00:00Z');
const source = 'api:key1';

const allGranted: ChannelConsent = { granted: true, purposes: [...PURPOSES], at: earlier, source: 'api:key0' };

describe('applyConsent', () => {
  it('grants every purpose for `true` and records each one', () => {
    const { consent, records } = applyConsent('p1', {}, { sms: true }, now, source);
    expect(consent.sms).toEqual({ granted: true, purposes: [...PURPOSES], at: now, source });
    expect(records.map((r) => r.purpose).sort()).toEqual([...PURPOSES].sort());
    expect(records.every((r) => r.granted && r.channel === 'sms' && r.patientId === 'p1')).toBe(true);
  });

  it('grants only the listed purposes and records the others as not granted', () => {
    const { consent, records } = applyConsent('p1', {}, { sms: { granted: true, purposes: ['education', 'education'] } }, now, source);
    expect(consent.sms?.purposes).toEqual(['education']);
    expect(records.filter((r) => r.granted).map((r) => r.purpose)).toEqual(['education']);
    expect(records).toHaveLength(PURPOSES.length);
  });

  it('revokes every purpose for `false`', () => {
    const { consent, records } = applyConsent('p1', { sms: allGranted }, { sms: false }, now, source);
    expect(consent.sms).toEqual({ granted: false, purposes: [], at: now, source });
    expect(records).toHaveLength(PURPOSES.length);
    expect(records.every((r) => !r.granted)).toBe(true);
  });

  it('ignores purposes when consent is refused', () => {
    const { consent } = applyConsent('p1', { sms: allGranted }, { sms: { granted: false, purposes: ['education'] } }, now, source);
    expect(consent.sms?.purposes).toEqual([]);
  });

  it('leaves channels that are not mentioned unchanged and unrecorded', () => {
    const current = { sms: allGranted, webchat: { ...allGranted, granted: false, purposes: [] } };
    const { consent, records } = applyConsent('p1', current, { sms: false }, now, source);
    expect(consent.webchat).toBe(current.webchat);
    expect(records.some((r) => r.channel === 'webchat')).toBe(false);
  });

  it('changes nothing for no input', () => {
    const current = { sms: allGranted };
    expect(applyConsent('p1', current, undefined, now, source)).toEqual({ consent: current, records: [] });
  });

  it('records only the purposes that change when narrowing from all to a subset', () => {
    const { records } = applyConsent('p1', { sms: allGranted }, { sms: { granted: true, purposes: ['medication_reminders', 'education'] } }, now, source);
    expect(records.map((r) => r.purpose).sort()).toEqual(['care_team_messages', 'postop_checkins', 'symptom_check']);
    expect(records.every((r) => !r.granted)).toBe(true);
  });

  it('records nothing when re-granting what is already granted', () => {
    expect(applyConsent('p1', { sms: allGranted }, { sms: true }, now, source).records).toEqual([]);
  });

  it('stamps every record with the time and source of the decision', () => {
    const { records } = applyConsent('p1', {}, { sms: true, webchat: false }, now, source);
    expect(records).toHaveLength(2 * PURPOSES.length);
    for (const record of records) expect(record).toMatchObject({ at: now, source });
  });

  it('does not mutate the current consent', () => {
    const current = { sms: allGranted };
    applyConsent('p1', current, { sms: false }, now, source);
    expect(current.sms).toBe(allGranted);
    expect(allGranted.purposes).toHaveLength(PURPOSES.length);
  });
});
